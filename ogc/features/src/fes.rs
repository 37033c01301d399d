//! Filter Encoding: FES 2.0 (OGC 09-026r2, the WFS 2.0 `FILTER` parameter) and FES 1.1
//! (OGC 04-095, WFS 1.1.0) XML filters into a [`Filter`]. Supported: the comparison operators
//! of the Minimum Standard Filter and Standard Filter conformance classes (§7.7: EqualTo,
//! NotEqualTo, LessThan[OrEqualTo], GreaterThan[OrEqualTo], Like, Null, Between), the logical
//! operators And, Or, Not (§7.10), BBOX (§7.8, the Minimum Spatial Filter) and ResourceId
//! (§7.11; `FeatureId`/`GmlObjectId` in 1.1). Elements are matched by local name, so either
//! version's namespaces (or none) are accepted.

use quick_xml::events::Event;

use super::collection::Collection;
use super::crs::{Crs, parse_geographic};
use super::query::{CompareOp, Filter, Literal, request_bbox};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FesError(pub String);

fn err<T>(message: impl Into<String>) -> Result<T, FesError> {
    Err(FesError(message.into()))
}

/// An element of the parsed filter: local name, attributes by local name, children, text.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_owned()
}

/// Deepest nesting accepted: guards the recursive conversion against hostile input.
const MAX_DEPTH: usize = 64;

fn parse_xml(text: &str) -> Result<Element, FesError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let event = reader
            .read_event()
            .map_err(|e| FesError(format!("the filter is not well-formed XML: {e}")))?;
        match event {
            Event::Start(start) | Event::Empty(start) if stack.len() > MAX_DEPTH => {
                return err(format!(
                    "the filter nests deeper than {MAX_DEPTH} at <{}>",
                    local(start.name().as_ref())
                ));
            }
            Event::Start(start) => stack.push(element(&start)?),
            Event::Empty(start) => {
                let element = element(&start)?;
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(element);
                }
            }
            Event::End(_) => {
                let done = stack
                    .pop()
                    .ok_or_else(|| FesError("unbalanced XML".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return err("unbalanced XML"),
                }
            }
            Event::Text(t) => {
                // Entity references arrive as their own events (below).
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let resolved = match name {
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "amp" => "&".to_owned(),
                    "apos" => "'".to_owned(),
                    "quot" => "\"".to_owned(),
                    other => match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => return err(format!("unknown entity &{other};")),
                    },
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = stack
        .pop()
        .filter(|_| stack.is_empty())
        .ok_or_else(|| FesError("unclosed element".into()))?;
    match root.children.len() {
        1 => Ok(root.children.remove(0)),
        _ => err("the filter must have one root element"),
    }
}

fn element(start: &quick_xml::events::BytesStart) -> Result<Element, FesError> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| FesError(e.to_string()))?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| FesError(e.to_string()))?
            .into_owned();
        attributes.push((local(attribute.key.as_ref()), value));
    }
    Ok(Element {
        name: local(start.name().as_ref()),
        attributes,
        ..Element::default()
    })
}

/// Parses a filter for `collection`; a BBOX envelope without `srsName` is in `default_crs`.
pub fn parse_filter(
    text: &str,
    collection: &Collection,
    default_crs: Crs,
) -> Result<Filter, FesError> {
    let root = parse_xml(text)?;
    if root.name != "Filter" {
        return err(format!("the root element is <{}>, not <Filter>", root.name));
    }
    let converter = Converter {
        collection,
        default_crs,
    };
    let mut filters = root
        .children
        .iter()
        .map(|c| converter.convert(c))
        .collect::<Result<Vec<_>, _>>()?;
    // Several ResourceId (or FeatureId) children form one set of ids (FES 2.0 §7.11.1).
    if filters.len() > 1 && filters.iter().all(|f| matches!(f, Filter::Ids(_))) {
        let ids = filters
            .into_iter()
            .flat_map(|f| match f {
                Filter::Ids(ids) => ids,
                _ => Vec::new(),
            })
            .collect();
        return Ok(Filter::Ids(ids));
    }
    match filters.len() {
        1 => Ok(filters.remove(0)),
        0 => err("the filter is empty"),
        _ => err("a filter holds one predicate; combine several with <And> or <Or>"),
    }
}

struct Converter<'a> {
    collection: &'a Collection,
    default_crs: Crs,
}

impl Converter<'_> {
    fn convert(&self, e: &Element) -> Result<Filter, FesError> {
        let op = match e.name.as_str() {
            "And" | "Or" => {
                let operands = e
                    .children
                    .iter()
                    .map(|c| self.convert(c))
                    .collect::<Result<Vec<_>, _>>()?;
                if operands.len() < 2 {
                    return err(format!("<{}> needs two or more operands", e.name));
                }
                return Ok(if e.name == "And" {
                    Filter::And(operands)
                } else {
                    Filter::Or(operands)
                });
            }
            "Not" => {
                let [operand] = &e.children[..] else {
                    return err("<Not> takes one operand");
                };
                return Ok(Filter::Not(Box::new(self.convert(operand)?)));
            }
            "PropertyIsEqualTo" => CompareOp::Eq,
            "PropertyIsNotEqualTo" => CompareOp::Ne,
            "PropertyIsLessThan" => CompareOp::Lt,
            "PropertyIsLessThanOrEqualTo" => CompareOp::Le,
            "PropertyIsGreaterThan" => CompareOp::Gt,
            "PropertyIsGreaterThanOrEqualTo" => CompareOp::Ge,
            "PropertyIsLike" => return self.like(e),
            "PropertyIsNull" | "PropertyIsNil" => {
                let property = self.property_of(e)?;
                return Ok(Filter::IsNull(property));
            }
            "PropertyIsBetween" => return self.between(e),
            "BBOX" => return self.bbox(e),
            "ResourceId" | "FeatureId" | "GmlObjectId" => {
                let id = e
                    .attribute("rid")
                    .or_else(|| e.attribute("fid"))
                    .or_else(|| e.attribute("id"))
                    .ok_or_else(|| FesError(format!("<{}> without an id", e.name)))?;
                return Ok(Filter::Ids(
                    self.collection.id_literal(id).into_iter().collect(),
                ));
            }
            other => return err(format!("the filter operator <{other}> is not supported")),
        };
        self.compare(e, op)
    }

    fn reference<'e>(&self, e: &'e Element) -> Option<&'e Element> {
        e.children
            .iter()
            .find(|c| c.name == "ValueReference" || c.name == "PropertyName")
    }

    fn property(&self, reference: &Element) -> Result<String, FesError> {
        let name = reference.text.trim();
        self.collection
            .resolve(name)
            .map(|p| p.name.clone())
            .ok_or_else(|| {
                FesError(format!(
                    "`{name}` is not a property of {}",
                    self.collection.id
                ))
            })
    }

    fn property_of(&self, e: &Element) -> Result<String, FesError> {
        let reference = self
            .reference(e)
            .ok_or_else(|| FesError(format!("<{}> names no property", e.name)))?;
        self.property(reference)
    }

    fn literal(&self, property: &str, e: &Element) -> Result<Literal, FesError> {
        let p = self
            .collection
            .property(property)
            .ok_or_else(|| FesError(format!("`{property}` is not a property")))?;
        self.collection.literal(p, &e.text).map_err(FesError)
    }

    fn compare(&self, e: &Element, op: CompareOp) -> Result<Filter, FesError> {
        let [a, b] = &e.children[..] else {
            return err(format!("<{}> takes a property and a literal", e.name));
        };
        let is_reference = |x: &Element| x.name == "ValueReference" || x.name == "PropertyName";
        let (reference, literal, op) = match (is_reference(a), b.name == "Literal") {
            (true, true) => (a, b, op),
            // Literal first: `5 < x` is `x > 5`.
            _ if a.name == "Literal" && is_reference(b) => (b, a, mirror(op)),
            _ => return err(format!("<{}> takes a property and a literal", e.name)),
        };
        let property = self.property(reference)?;
        let value = self.literal(&property, literal)?;
        let match_case = e.attribute("matchCase").is_none_or(|v| v != "false");
        Ok(Filter::Compare {
            property,
            op,
            value,
            match_case,
        })
    }

    fn like(&self, e: &Element) -> Result<Filter, FesError> {
        let property = self.property_of(e)?;
        let literal = e
            .child("Literal")
            .ok_or_else(|| FesError("<PropertyIsLike> needs a <Literal>".into()))?;
        let wild = e.attribute("wildCard").unwrap_or("*");
        let single = e.attribute("singleChar").unwrap_or("?");
        let escape = e
            .attribute("escapeChar")
            .or_else(|| e.attribute("escape"))
            .unwrap_or("\\");
        let pattern = like_pattern(&literal.text, wild, single, escape)?;
        let match_case = e.attribute("matchCase").is_none_or(|v| v != "false");
        Ok(Filter::Like {
            property,
            pattern,
            match_case,
        })
    }

    fn between(&self, e: &Element) -> Result<Filter, FesError> {
        let property = self.property_of(e)?;
        let bound = |name: &str| -> Result<Literal, FesError> {
            let boundary = e
                .child(name)
                .ok_or_else(|| FesError(format!("<PropertyIsBetween> needs <{name}>")))?;
            let literal = boundary
                .child("Literal")
                .ok_or_else(|| FesError(format!("<{name}> needs a <Literal>")))?;
            self.literal(&property, literal)
        };
        Ok(Filter::Between {
            low: bound("LowerBoundary")?,
            high: bound("UpperBoundary")?,
            property,
        })
    }

    fn bbox(&self, e: &Element) -> Result<Filter, FesError> {
        if let Some(reference) = self.reference(e) {
            let name = reference.text.trim();
            if !self.collection.is_geometry(name) {
                return err(format!(
                    "`{name}` is not the geometry property of {}",
                    self.collection.id
                ));
            }
        }
        let envelope = e
            .children
            .iter()
            .find(|c| c.name == "Envelope" || c.name == "Box")
            .ok_or_else(|| FesError("<BBOX> needs a <gml:Envelope>".into()))?;
        let crs = match envelope.attribute("srsName") {
            Some(name) => parse_geographic(name).map_err(|e| FesError(e.to_string()))?,
            None => self.default_crs,
        };
        let numbers = |text: &str| -> Result<Vec<f64>, FesError> {
            text.split(|c: char| c.is_whitespace() || c == ',')
                .filter(|t| !t.is_empty())
                .map(|t| {
                    t.parse()
                        .map_err(|_| FesError(format!("`{t}` is not a number")))
                })
                .collect()
        };
        let corners = match (
            envelope.child("lowerCorner"),
            envelope.child("upperCorner"),
            envelope.child("coordinates"),
        ) {
            (Some(lower), Some(upper), _) => {
                [numbers(&lower.text)?, numbers(&upper.text)?].concat()
            }
            (_, _, Some(coordinates)) => numbers(&coordinates.text)?,
            _ => return err("the envelope needs <lowerCorner> and <upperCorner>"),
        };
        let [a, b, c, d] = corners[..] else {
            return err("the envelope needs two corners of two coordinates");
        };
        let boxes = request_bbox([a, b, c, d], crs).map_err(FesError)?;
        Ok(Filter::Intersects(boxes))
    }
}

fn mirror(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        other => other,
    }
}

/// Rewrites a FES pattern (its own wildcard, single-character and escape characters) as an SQL
/// LIKE pattern with `%`, `_` and `\`.
pub fn like_pattern(
    text: &str,
    wild: &str,
    single: &str,
    escape: &str,
) -> Result<String, FesError> {
    let one = |s: &str, what: &str| {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => err(format!("{what} must be one character")),
        }
    };
    let (wild, single, escape) = (
        one(wild, "wildCard")?,
        one(single, "singleChar")?,
        one(escape, "escapeChar")?,
    );
    let mut out = String::with_capacity(text.len() + 4);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == escape {
            match chars.next() {
                Some(next) if matches!(next, '%' | '_' | '\\') => {
                    out.push('\\');
                    out.push(next);
                }
                Some(next) => out.push(next),
                None => return err("the pattern ends with its escape character"),
            }
        } else if c == wild {
            out.push('%');
        } else if c == single {
            out.push('_');
        } else if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::test_collection;

    fn parse(xml: &str) -> Result<Filter, FesError> {
        parse_filter(xml, &test_collection(), Crs::Mars49900)
    }

    #[test]
    fn comparisons_and_logic_of_fes_2() {
        let f = parse(
            r#"<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:And>
                <fes:PropertyIsGreaterThan><fes:ValueReference>vostok:diameter_km</fes:ValueReference><fes:Literal>100</fes:Literal></fes:PropertyIsGreaterThan>
                <fes:Not><fes:PropertyIsEqualTo matchCase="false"><fes:ValueReference>name</fes:ValueReference><fes:Literal>Gale &amp; co</fes:Literal></fes:PropertyIsEqualTo></fes:Not>
               </fes:And></fes:Filter>"#,
        )
        .unwrap();
        assert_eq!(
            f,
            Filter::And(vec![
                Filter::Compare {
                    property: "diameter_km".into(),
                    op: CompareOp::Gt,
                    value: Literal::Float(100.0),
                    match_case: true
                },
                Filter::Not(Box::new(Filter::Compare {
                    property: "name".into(),
                    op: CompareOp::Eq,
                    value: Literal::Text("Gale & co".into()),
                    match_case: false
                })),
            ])
        );
    }

    #[test]
    fn a_literal_first_comparison_is_mirrored() {
        let f = parse(r#"<Filter><PropertyIsLessThan><Literal>5</Literal><PropertyName>diameter_km</PropertyName></PropertyIsLessThan></Filter>"#).unwrap();
        assert!(
            matches!(
                f,
                Filter::Compare {
                    op: CompareOp::Gt,
                    ..
                }
            ),
            "{f:?}"
        );
    }

    #[test]
    fn bbox_envelopes_follow_their_crs_axis_order() {
        let f = parse(
            r#"<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:gml="http://www.opengis.net/gml/3.2"><fes:BBOX>
               <fes:ValueReference>geometry</fes:ValueReference>
               <gml:Envelope srsName="urn:ogc:def:crs:IAU:2015:49900"><gml:lowerCorner>10 20</gml:lowerCorner><gml:upperCorner>11 21</gml:upperCorner></gml:Envelope>
               </fes:BBOX></fes:Filter>"#,
        )
        .unwrap();
        let Filter::Intersects(boxes) = f else {
            panic!()
        };
        assert_eq!(
            (boxes[0].west, boxes[0].south, boxes[0].east, boxes[0].north),
            (20.0, 10.0, 21.0, 11.0)
        );
        let f = parse(r#"<ogc:Filter xmlns:ogc="http://www.opengis.net/ogc"><ogc:BBOX><ogc:PropertyName>geometry</ogc:PropertyName><gml:Envelope srsName="CRS:84"><gml:lowerCorner>170 0</gml:lowerCorner><gml:upperCorner>190 1</gml:upperCorner></gml:Envelope></ogc:BBOX></ogc:Filter>"#).unwrap();
        let Filter::Intersects(boxes) = f else {
            panic!()
        };
        assert_eq!(boxes.len(), 2, "across the antimeridian: two boxes");
    }

    #[test]
    fn resource_ids_gather_into_one_set() {
        let f = parse(r#"<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:ResourceId rid="craters.1"/><fes:ResourceId rid="craters.2"/></fes:Filter>"#).unwrap();
        assert_eq!(f, Filter::Ids(vec![Literal::Int(1), Literal::Int(2)]));
    }

    #[test]
    fn like_between_and_null() {
        let f = parse(r#"<Filter><PropertyIsLike wildCard="*" singleChar="." escapeChar="!"><ValueReference>name</ValueReference><Literal>G*e.100!*%</Literal></PropertyIsLike></Filter>"#).unwrap();
        assert_eq!(
            f,
            Filter::Like {
                property: "name".into(),
                pattern: "G%e_100*\\%".into(),
                match_case: true
            }
        );
        let f = parse(r#"<Filter><PropertyIsBetween><ValueReference>diameter_km</ValueReference><LowerBoundary><Literal>1</Literal></LowerBoundary><UpperBoundary><Literal>2</Literal></UpperBoundary></PropertyIsBetween></Filter>"#).unwrap();
        assert!(matches!(f, Filter::Between { .. }));
        let f = parse(r#"<Filter><PropertyIsNull><ValueReference>name</ValueReference></PropertyIsNull></Filter>"#).unwrap();
        assert_eq!(f, Filter::IsNull("name".into()));
    }

    #[test]
    fn bad_filters_say_what_is_wrong() {
        let message = |xml: &str| parse(xml).unwrap_err().0;
        assert!(
            message("<Filter><PropertyIsEqualTo>").contains("not well-formed")
                || message("<Filter><PropertyIsEqualTo>").contains("unclosed")
        );
        assert!(message("<Filter><Touches/></Filter>").contains("<Touches> is not supported"));
        assert!(message("<Filter><PropertyIsEqualTo><ValueReference>nope</ValueReference><Literal>1</Literal></PropertyIsEqualTo></Filter>").contains("`nope` is not a property"));
        assert!(message("<Filter><PropertyIsEqualTo><ValueReference>diameter_km</ValueReference><Literal>big</Literal></PropertyIsEqualTo></Filter>").contains("not a valid value"));
        assert!(message("<Query/>").contains("not <Filter>"));
        let deep = format!(
            "<Filter>{}{}</Filter>",
            "<Not>".repeat(100),
            "</Not>".repeat(100)
        );
        assert!(message(&deep).contains("deeper"));
    }
}
