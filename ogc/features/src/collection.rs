//! What the protocols need to know of a feature collection: its identity, CRS, properties with
//! their types, and extent. The server builds these from the configuration and the catalogue.

use super::config::Edges;
use super::crs::Crs;
use super::geometry::Geometry;
use super::query::Literal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyType {
    Boolean,
    Integer,
    Double,
    Text,
    DateTime,
    Date,
}

impl PropertyType {
    /// The XML Schema type DescribeFeatureType declares.
    pub fn xsd(self) -> &'static str {
        match self {
            Self::Boolean => "xsd:boolean",
            Self::Integer => "xsd:long",
            Self::Double => "xsd:double",
            Self::Text => "xsd:string",
            Self::DateTime => "xsd:dateTime",
            Self::Date => "xsd:date",
        }
    }

    /// The JSON Schema type (OGC API queryables and schemas).
    pub fn json(self) -> (&'static str, Option<&'static str>) {
        match self {
            Self::Boolean => ("boolean", None),
            Self::Integer => ("integer", None),
            Self::Double => ("number", None),
            Self::Text => ("string", None),
            Self::DateTime => ("string", Some("date-time")),
            Self::Date => ("string", Some("date")),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: String,
    pub kind: PropertyType,
    pub description: Option<String>,
    pub unit: Option<String>,
}

/// The geometry type every feature of a collection has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryKind {
    Point,
    /// Polygons, written as MultiPolygons where they cross the seam.
    Polygon,
    /// Unknown or mixed.
    Any,
}

#[derive(Debug, Clone)]
pub struct Collection {
    /// The WFS type name (without prefix) and OGC API collection id.
    pub id: String,
    pub title: String,
    pub description: String,
    /// The CRS of the stored coordinates.
    pub crs: Crs,
    pub edges: Edges,
    pub geometry_kind: GeometryKind,
    /// The name of the geometry property in GML and DescribeFeatureType.
    pub geometry_name: String,
    /// The property whose values identify features.
    pub id_property: String,
    pub id_kind: PropertyType,
    /// Published properties, the id property among them.
    pub properties: Vec<Property>,
    /// Longitude/latitude extent in −180..180, when known.
    pub extent: Option<[f64; 4]>,
    /// The property the OGC API `datetime` parameter filters on.
    pub datetime: Option<String>,
}

impl Collection {
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Resolves a property reference as WFS clients write it: `name`, `prefix:name`, or a
    /// minimal XPath `prefix:Type/prefix:name` (FES 2.0 §7.4.4).
    pub fn resolve<'a>(&'a self, reference: &str) -> Option<&'a Property> {
        let last = reference.rsplit('/').next().unwrap_or(reference);
        let local = last.rsplit(':').next().unwrap_or(last).trim();
        self.property(local)
    }

    /// Whether `reference` names the geometry property.
    pub fn is_geometry(&self, reference: &str) -> bool {
        let last = reference.rsplit('/').next().unwrap_or(reference);
        last.rsplit(':').next().unwrap_or(last).trim() == self.geometry_name
    }

    /// A literal for `property` from request text, typed as the property is.
    pub fn literal(&self, property: &Property, text: &str) -> Result<Literal, String> {
        typed_literal(property.kind, text)
            .ok_or_else(|| format!("`{text}` is not a valid value of `{}`", property.name))
    }

    /// The feature id as a typed value; WFS ids are `<collection>.<id>` (the `gml:id`).
    pub fn id_literal(&self, text: &str) -> Option<Literal> {
        let raw = text
            .strip_prefix(&self.id)
            .and_then(|rest| rest.strip_prefix('.'))
            .unwrap_or(text);
        typed_literal(self.id_kind, raw)
    }
}

fn typed_literal(kind: PropertyType, text: &str) -> Option<Literal> {
    let trimmed = text.trim();
    match kind {
        PropertyType::Integer => trimmed.parse().map(Literal::Int).ok().or_else(|| {
            trimmed
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .map(Literal::Float)
        }),
        PropertyType::Double => trimmed
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .map(Literal::Float),
        PropertyType::Boolean => match trimmed.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(Literal::Bool(true)),
            "false" | "0" => Some(Literal::Bool(false)),
            _ => None,
        },
        PropertyType::Text => Some(Literal::Text(text.to_owned())),
        PropertyType::DateTime | PropertyType::Date => {
            looks_like_date(trimmed).then(|| Literal::DateTime(trimmed.to_owned()))
        }
    }
}

/// `YYYY-MM-DD`, optionally followed by a time: enough to refuse garbage with a clear message;
/// the engine parses the rest.
fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// One property value of a feature.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    /// ISO 8601 text.
    DateTime(String),
}

/// One feature, as the encoders take it: values in the order of the selected properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub id: Value,
    pub geometry: Option<Geometry>,
    pub values: Vec<Value>,
}

#[cfg(test)]
pub(crate) use tests::{craters as test_collection, services as test_services};

#[cfg(test)]
mod tests {
    use super::*;

    /// The feature services over [`craters`] alone, as the protocol tests take them.
    pub(crate) fn services() -> crate::FeatureServices {
        crate::FeatureServices::new(
            &crate::config::FeaturesConfig::default(),
            vec![craters()],
            "http://h",
            "t",
        )
        .expect("valid limits")
    }

    pub(crate) fn craters() -> Collection {
        Collection {
            id: "craters".into(),
            title: "Craters".into(),
            description: "Mars craters".into(),
            crs: Crs::Mars49900,
            edges: Edges::Planar,
            geometry_kind: GeometryKind::Polygon,
            geometry_name: "geometry".into(),
            id_property: "feature_id".into(),
            id_kind: PropertyType::Integer,
            properties: vec![
                Property {
                    name: "feature_id".into(),
                    kind: PropertyType::Integer,
                    description: None,
                    unit: None,
                },
                Property {
                    name: "name".into(),
                    kind: PropertyType::Text,
                    description: Some("Name".into()),
                    unit: None,
                },
                Property {
                    name: "diameter_km".into(),
                    kind: PropertyType::Double,
                    description: None,
                    unit: Some("km".into()),
                },
            ],
            extent: Some([-180.0, -90.0, 180.0, 90.0]),
            datetime: None,
        }
    }

    #[test]
    fn references_resolve_with_prefixes_and_paths() {
        let c = craters();
        assert_eq!(c.resolve("vostok:name").unwrap().name, "name");
        assert_eq!(
            c.resolve("vostok:craters/vostok:diameter_km").unwrap().name,
            "diameter_km"
        );
        assert!(c.resolve("nope").is_none());
        assert!(c.is_geometry("vostok:geometry"));
    }

    #[test]
    fn literals_take_the_type_of_their_property() {
        let c = craters();
        let d = c.property("diameter_km").unwrap();
        assert_eq!(c.literal(d, " 12.5 "), Ok(Literal::Float(12.5)));
        assert!(c.literal(d, "big").is_err());
        let id = c.property("feature_id").unwrap();
        assert_eq!(c.literal(id, "7"), Ok(Literal::Int(7)));
        assert_eq!(c.id_literal("craters.15029"), Some(Literal::Int(15029)));
        assert_eq!(c.id_literal("15029"), Some(Literal::Int(15029)));
        assert_eq!(c.id_literal("craters.x"), None);
    }
}
