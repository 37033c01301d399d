//! GetFeature in KVP encoding (OGC 09-025r2 §7.9.2 and Tables 5–8; OGC 04-094 §13.2 for 1.1.0)
//! turned into a [`FeatureQuery`], and what the server needs to write the answer: the format,
//! the CRS name, the paging links.

use super::{OgcResponse, WfsVersion};
use crate::collection::Collection;
use crate::crs::{Crs, StorageCrs, parse_geographic};
use crate::encode::geojson::{CollectionTail, GeoJsonWriter};
use crate::encode::gml::{CollectionHeader, GmlVersion, GmlWriter};
use crate::encode::{Link, now_iso8601};
use crate::fes;
use crate::query::{FeatureQuery, Filter, ResultType, SortKey, request_bbox};
use crate::service::FeatureServices;
use ogc_common::Kvp;
use ogc_common::kvp::query_string;
use ogc_common::xml::{XmlWriter, escape};
use ogc_common::{Code, OgcError};

/// The GetFeatureById stored query (WFS 2.0.0 §7.9.3.6; 2.0.2 names it by URI as well).
pub const GET_FEATURE_BY_ID: &str = "urn:ogc:def:query:OGC-WFS::GetFeatureById";
const GET_FEATURE_BY_ID_URI: &str = "http://www.opengis.net/def/query/OGC-WFS/0/GetFeatureById";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WfsFormat {
    Gml(GmlVersion),
    GeoJson,
}

impl WfsFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Gml(version) => version.mime(),
            Self::GeoJson => "application/json",
        }
    }
}

/// A parsed GetFeature request.
#[derive(Debug, Clone)]
pub struct GetFeaturePlan {
    pub version: WfsVersion,
    pub query: FeatureQuery,
    pub format: WfsFormat,
    /// GetFeatureById: the answer is the feature itself, or a NotFound exception.
    pub by_id: bool,
    /// The request's parameters, to build paging links from.
    params: Kvp,
    wfs_url: String,
    type_name: String,
}

pub fn plan(
    services: &FeatureServices,
    params: &Kvp,
    version: WfsVersion,
) -> Result<GetFeaturePlan, OgcError> {
    if let Some(stored) = params.non_empty("STOREDQUERY_ID") {
        return by_id(services, params, version, stored);
    }
    let type_names = params
        .non_empty("TYPENAMES")
        .or_else(|| params.non_empty("TYPENAME"))
        .map(str::to_owned);
    let resource_ids = params
        .non_empty("RESOURCEID")
        .or_else(|| params.non_empty("FEATUREID"));
    let id_locator = if version == WfsVersion::V200 {
        "RESOURCEID"
    } else {
        "FEATUREID"
    };
    let type_name = match (&type_names, resource_ids) {
        (Some(names), _) => {
            let names = names.trim_matches(|c| c == '(' || c == ')');
            if names.contains(',') || names.contains(")(") {
                return Err(OgcError::new(
                    Code::OperationNotSupported,
                    Some("TYPENAMES"),
                    "one feature type per request: joins and several queries are not supported",
                ));
            }
            names.to_owned()
        }
        // RESOURCEID alone names the type through its ids (§7.9.2.4.1).
        (None, Some(ids)) => ids
            .split(',')
            .next()
            .and_then(|id| id.split('.').next())
            .unwrap_or_default()
            .to_owned(),
        (None, None) => {
            return Err(OgcError::missing(if version == WfsVersion::V200 {
                "TYPENAMES"
            } else {
                "TYPENAME"
            }));
        }
    };
    let collection = services
        .collection_by_type_name(&type_name)
        .ok_or_else(|| {
            OgcError::invalid(
                if type_names.is_some() {
                    "TYPENAMES"
                } else {
                    id_locator
                },
                format!("unknown feature type `{type_name}`"),
            )
        })?;
    let output_crs = output_crs(params, collection)?;
    let format = output_format(params, version)?;
    let mut query = FeatureQuery::new(&collection.id, services.limits.max_limit, output_crs);

    let selectors = [
        params.non_empty("BBOX"),
        params.non_empty("FILTER"),
        resource_ids,
    ];
    if selectors.iter().flatten().count() > 1 {
        return Err(OgcError::invalid(
            "FILTER",
            "BBOX, FILTER and RESOURCEID exclude one another (WFS 2.0 Table 8)",
        ));
    }
    if let Some(bbox) = params.non_empty("BBOX") {
        query.filter = Some(bbox_filter(bbox, collection)?);
    }
    if let Some(filter) = params.non_empty("FILTER") {
        let parsed = fes::parse_filter(filter, collection, collection.crs)
            .map_err(|e| OgcError::invalid("FILTER", e.0))?;
        query.filter = Some(parsed);
    }
    if let Some(ids) = resource_ids {
        let mut values = Vec::new();
        for id in ids.split(',').map(str::trim) {
            let prefix = id.split('.').next().unwrap_or_default();
            if id.contains('.') && prefix != collection.id {
                return Err(OgcError::invalid(
                    id_locator,
                    format!("`{id}` is not a feature of {}", collection.id),
                ));
            }
            // An id that cannot be one of this type's matches nothing.
            values.extend(collection.id_literal(id));
        }
        query.filter = Some(Filter::Ids(values));
    }

    let count = params
        .non_empty("COUNT")
        .or_else(|| params.non_empty("MAXFEATURES"));
    if let Some(count) = count {
        let count: u64 = count
            .parse()
            .map_err(|_| OgcError::invalid("COUNT", format!("`{count}` is not a count")))?;
        query.limit = count.min(services.limits.max_limit);
    }
    if let Some(start) = params.non_empty("STARTINDEX") {
        query.offset = start
            .parse()
            .map_err(|_| OgcError::invalid("STARTINDEX", format!("`{start}` is not an index")))?;
    }
    if let Some(sort) = params.non_empty("SORTBY") {
        query.sort = sort_keys(sort, collection)?;
    }
    query.paged =
        count.is_some() || params.non_empty("STARTINDEX").is_some() || !query.sort.is_empty();
    if let Some(names) = params.non_empty("PROPERTYNAME") {
        let (properties, geometry) = property_names(names, collection)?;
        query.properties = Some(properties);
        query.include_geometry = geometry;
    }
    query.result_type = match params.non_empty("RESULTTYPE") {
        None => ResultType::Results,
        Some(t) if t.eq_ignore_ascii_case("results") => ResultType::Results,
        Some(t) if t.eq_ignore_ascii_case("hits") => ResultType::Hits,
        Some(t) => {
            return Err(OgcError::invalid(
                "RESULTTYPE",
                format!("`{t}` is neither results nor hits"),
            ));
        }
    };
    Ok(GetFeaturePlan {
        version,
        query,
        format,
        by_id: false,
        params: params.clone(),
        wfs_url: services.wfs_url(),
        type_name: collection.id.clone(),
    })
}

fn by_id(
    services: &FeatureServices,
    params: &Kvp,
    version: WfsVersion,
    stored: &str,
) -> Result<GetFeaturePlan, OgcError> {
    if stored != GET_FEATURE_BY_ID && stored != GET_FEATURE_BY_ID_URI {
        return Err(OgcError::invalid(
            "STOREDQUERY_ID",
            format!("unknown stored query `{stored}`"),
        ));
    }
    let id = params
        .non_empty("ID")
        .ok_or_else(|| OgcError::missing("ID"))?;
    let not_found = || {
        OgcError::new(
            Code::NotFound,
            Some("ID"),
            format!("no feature has the id `{id}`"),
        )
    };
    let type_name = id.split('.').next().unwrap_or_default();
    let collection = services
        .collection_by_type_name(type_name)
        .ok_or_else(not_found)?;
    let value = collection.id_literal(id).ok_or_else(not_found)?;
    let mut query = FeatureQuery::new(&collection.id, 1, output_crs(params, collection)?);
    query.filter = Some(Filter::Ids(vec![value]));
    Ok(GetFeaturePlan {
        version,
        query,
        format: output_format(params, version)?,
        by_id: true,
        params: params.clone(),
        wfs_url: services.wfs_url(),
        type_name: collection.id.clone(),
    })
}

fn output_crs(params: &Kvp, collection: &Collection) -> Result<Crs, OgcError> {
    match params.non_empty("SRSNAME") {
        None => Ok(collection.crs),
        Some(name) => {
            let crs =
                parse_geographic(name).map_err(|e| OgcError::invalid("SRSNAME", e.to_string()))?;
            if collection.crs.accepts(crs) {
                Ok(crs)
            } else {
                Err(OgcError::invalid(
                    "SRSNAME",
                    format!("{name} is not a CRS of {}", collection.id),
                ))
            }
        }
    }
}

fn output_format(params: &Kvp, version: WfsVersion) -> Result<WfsFormat, OgcError> {
    let Some(format) = params.non_empty("OUTPUTFORMAT") else {
        return Ok(WfsFormat::Gml(match version {
            WfsVersion::V200 => GmlVersion::V32,
            WfsVersion::V110 => GmlVersion::V311,
        }));
    };
    let normalized: String = format
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    match normalized.as_str() {
        "application/gml+xml;version=3.2"
        | "application/gml+xml"
        | "text/xml;subtype=gml/3.2"
        | "text/xml;subtype=gml/3.2.1"
        | "gml32" => Ok(WfsFormat::Gml(GmlVersion::V32)),
        "text/xml;subtype=gml/3.1.1" | "gml3" | "text/xml" => Ok(WfsFormat::Gml(GmlVersion::V311)),
        "application/json" | "application/geo+json" | "json" | "geojson" => Ok(WfsFormat::GeoJson),
        _ => Err(OgcError::invalid(
            "OUTPUTFORMAT",
            format!("output format `{format}` is not offered"),
        )),
    }
}

/// `BBOX=a,b,c,d[,crs]`, in the axis order of that CRS (the feature type's when absent).
fn bbox_filter(text: &str, collection: &Collection) -> Result<Filter, OgcError> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let (numbers, crs) = match parts.len() {
        4 => (&parts[..], collection.crs),
        5 => (
            &parts[..4],
            parse_geographic(parts[4]).map_err(|e| OgcError::invalid("BBOX", e.to_string()))?,
        ),
        _ => {
            return Err(OgcError::invalid(
                "BBOX",
                "BBOX takes four numbers and an optional CRS",
            ));
        }
    };
    let mut coords = [0.0; 4];
    for (slot, text) in coords.iter_mut().zip(numbers) {
        *slot = text
            .parse()
            .map_err(|_| OgcError::invalid("BBOX", format!("`{text}` is not a number")))?;
    }
    let boxes = request_bbox(coords, crs).map_err(|e| OgcError::invalid("BBOX", e))?;
    Ok(Filter::Intersects(boxes))
}

/// `SORTBY=name[ ASC|DESC|A|D],…`.
fn sort_keys(text: &str, collection: &Collection) -> Result<Vec<SortKey>, OgcError> {
    text.split(',')
        .map(|item| {
            let mut words = item.split_whitespace();
            let name = words
                .next()
                .ok_or_else(|| OgcError::invalid("SORTBY", "an empty sort key"))?;
            let property = collection.resolve(name).ok_or_else(|| {
                OgcError::invalid(
                    "SORTBY",
                    format!("`{name}` is not a property of {}", collection.id),
                )
            })?;
            let descending = match words.next().map(str::to_ascii_uppercase).as_deref() {
                None | Some("ASC" | "A") => false,
                Some("DESC" | "D") => true,
                Some(other) => {
                    return Err(OgcError::invalid(
                        "SORTBY",
                        format!("`{other}` is neither ASC nor DESC"),
                    ));
                }
            };
            Ok(SortKey {
                property: property.name.clone(),
                descending,
            })
        })
        .collect()
}

/// `PROPERTYNAME=a,b`: the properties kept, in the collection's order, and whether the
/// geometry is among them.
fn property_names(text: &str, collection: &Collection) -> Result<(Vec<String>, bool), OgcError> {
    let mut geometry = false;
    let mut wanted = Vec::new();
    for name in text
        .trim_matches(|c| c == '(' || c == ')')
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if collection.is_geometry(name) {
            geometry = true;
            continue;
        }
        let property = collection.resolve(name).ok_or_else(|| {
            OgcError::invalid(
                "PROPERTYNAME",
                format!("`{name}` is not a property of {}", collection.id),
            )
        })?;
        wanted.push(property.name.clone());
    }
    let ordered = collection
        .properties
        .iter()
        .filter(|p| wanted.contains(&p.name))
        .map(|p| p.name.clone())
        .collect();
    Ok((ordered, geometry))
}

impl GetFeaturePlan {
    /// The URL of this request with another STARTINDEX (and COUNT), for `next`/`previous`.
    fn page_url(&self, start: u64) -> String {
        let mut pairs = self.params.without(&["STARTINDEX", "COUNT", "MAXFEATURES"]);
        pairs.push(("STARTINDEX".into(), start.to_string()));
        pairs.push(("COUNT".into(), self.query.limit.to_string()));
        format!("{}?{}", self.wfs_url, query_string(&pairs))
    }

    /// Paging links given the number of features matched (when known) and returned.
    pub fn links(&self, matched: Option<u64>, returned: u64) -> (Option<String>, Option<String>) {
        let q = &self.query;
        let more = match matched {
            Some(m) => q.offset + returned < m,
            None => returned == q.limit && returned > 0,
        };
        let next = more.then(|| self.page_url(q.offset + returned));
        let previous = (q.offset > 0).then(|| self.page_url(q.offset.saturating_sub(q.limit)));
        (next, previous)
    }

    /// The DescribeFeatureType URL of the queried type.
    pub fn schema_url(&self) -> String {
        let (version, param) = match self.version {
            WfsVersion::V200 => ("2.0.0", "TYPENAMES"),
            WfsVersion::V110 => ("1.1.0", "TYPENAME"),
        };
        format!(
            "{}?SERVICE=WFS&VERSION={version}&REQUEST=DescribeFeatureType&{param}=vostok:{}",
            self.wfs_url, self.type_name
        )
    }

    /// The CRS name written in `srsName`.
    pub fn srs_name(&self) -> &'static str {
        self.query.output_crs.urn()
    }

    /// The GML root element's attributes, given what the count query found.
    pub fn gml_header(&self, matched: u64) -> CollectionHeader {
        let returned = matched
            .saturating_sub(self.query.offset)
            .min(self.query.limit);
        let (next, previous) = self.links(Some(matched), returned);
        CollectionHeader {
            number_matched: Some(matched),
            number_returned: returned,
            next,
            previous,
            timestamp: now_iso8601(),
            schema_url: self.schema_url(),
        }
    }

    pub fn gml_writer<'a>(
        &self,
        services: &FeatureServices,
        collection: &'a Collection,
        version: GmlVersion,
    ) -> GmlWriter<'a> {
        GmlWriter::new(
            collection,
            self.query.selected(collection),
            services.geometry_output(collection, self.query.output_crs),
            version,
            self.srs_name(),
        )
    }

    /// GeoJSON from WFS is written longitude first whatever SRSNAME says (RFC 7946 §3.1.1;
    /// GeoJSON readers such as GDAL's assume it), with the CRS named in a `crs` member.
    pub fn geojson_writer(
        &self,
        services: &FeatureServices,
        collection: &Collection,
    ) -> GeoJsonWriter {
        GeoJsonWriter::new(
            self.query.selected(collection),
            services
                .geometry_output(collection, self.query.output_crs)
                .lon_lat(),
            Some(collection),
        )
    }

    /// The trailing members of a GeoJSON answer. Unpaged answers, whose order is the storage
    /// order, get no paging links: pages are ordered by id.
    pub fn geojson_tail(&self, matched: Option<u64>, returned: u64) -> CollectionTail {
        let (next, previous) = if self.query.paged {
            self.links(matched, returned)
        } else {
            (None, None)
        };
        let mut links = Vec::new();
        if let Some(next) = next {
            links.push(Link::new(next, "next", "application/json"));
        }
        if let Some(previous) = previous {
            links.push(Link::new(previous, "previous", "application/json"));
        }
        let crs_name = match self.query.output_crs {
            Crs::Epsg4326 => Crs::Crs84.urn(),
            other => other.urn(),
        };
        CollectionTail {
            number_matched: matched,
            links,
            timestamp: now_iso8601(),
            crs_name: Some(crs_name.to_owned()),
        }
    }

    /// The answer to RESULTTYPE=hits.
    pub fn hits_document(&self, matched: u64) -> OgcResponse {
        let timestamp = now_iso8601();
        let matched = matched.to_string();
        let mut doc = XmlWriter::document();
        match self.version {
            WfsVersion::V200 => doc.empty(
                "wfs:FeatureCollection",
                &[
                    ("xmlns:wfs", "http://www.opengis.net/wfs/2.0"),
                    ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                    (
                        "xsi:schemaLocation",
                        "http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd",
                    ),
                    ("timeStamp", &timestamp),
                    ("numberMatched", &matched),
                    ("numberReturned", "0"),
                ],
            ),
            WfsVersion::V110 => doc.empty(
                "wfs:FeatureCollection",
                &[
                    ("xmlns:wfs", "http://www.opengis.net/wfs"),
                    ("timeStamp", &timestamp),
                    ("numberOfFeatures", &matched),
                ],
            ),
        };
        let body = doc.finish();
        OgcResponse::xml(body)
    }

    /// The NotFound exception of GetFeatureById.
    pub fn not_found(&self) -> OgcResponse {
        let id = self.params.get("ID").unwrap_or_default();
        super::error_document(
            &OgcError::new(
                Code::NotFound,
                Some("ID"),
                format!("no feature has the id `{}`", escape(id)),
            ),
            self.version,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::test_services as services;
    use crate::config::FeaturesConfig;
    use crate::query::CompareOp;

    fn parse(query: &str) -> Result<GetFeaturePlan, OgcError> {
        let pairs = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()));
        plan(&services(), &Kvp::from_pairs(pairs), WfsVersion::V200)
    }

    #[test]
    fn the_hits_document_is_one_empty_feature_collection() {
        let hits = parse("TYPENAMES=vostok:craters&RESULTTYPE=hits")
            .unwrap()
            .hits_document(1179);
        let text = hits.text();
        let (head, tail) = text.split_once(" timeStamp=\"").unwrap();
        assert_eq!(
            head,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wfs:FeatureCollection \
             xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://www.opengis.net/wfs/2.0 \
             http://schemas.opengis.net/wfs/2.0/wfs.xsd\""
        );
        assert!(
            tail.ends_with("\" numberMatched=\"1179\" numberReturned=\"0\"/>\n"),
            "{tail}"
        );
    }

    #[test]
    fn a_paged_query_with_bbox_sort_and_properties() {
        let p = parse("TYPENAMES=vostok:craters&COUNT=10&STARTINDEX=20&BBOX=-10,100,10,120,urn:ogc:def:crs:IAU:2015:49900&SORTBY=diameter_km DESC&PROPERTYNAME=name,geometry").unwrap();
        let q = &p.query;
        assert_eq!((q.limit, q.offset, q.paged), (10, 20, true));
        let Some(Filter::Intersects(boxes)) = &q.filter else {
            panic!("{:?}", q.filter)
        };
        assert_eq!((boxes[0].west, boxes[0].south), (100.0, -10.0));
        assert_eq!(
            q.sort,
            vec![SortKey {
                property: "diameter_km".into(),
                descending: true
            }]
        );
        assert_eq!(q.properties, Some(vec!["name".into()]));
        assert!(q.include_geometry);
        let (next, previous) = p.links(Some(100), 10);
        assert!(next.unwrap().ends_with("STARTINDEX=30&COUNT=10"));
        assert!(previous.unwrap().ends_with("STARTINDEX=10&COUNT=10"));
    }

    #[test]
    fn count_is_capped_and_unpaged_queries_say_so() {
        let p = parse("TYPENAMES=craters&COUNT=99999999").unwrap();
        assert_eq!(p.query.limit, FeaturesConfig::default().max_limit);
        let p = parse("TYPENAMES=craters").unwrap();
        assert!(!p.query.paged);
    }

    #[test]
    fn resource_ids_and_filters() {
        let p = parse("RESOURCEID=craters.1,craters.2").unwrap();
        assert_eq!(
            p.query.filter,
            Some(Filter::Ids(vec![
                crate::query::Literal::Int(1),
                crate::query::Literal::Int(2)
            ]))
        );
        let filter = "<Filter><PropertyIsEqualTo><ValueReference>name</ValueReference><Literal>Gale</Literal></PropertyIsEqualTo></Filter>";
        let p = parse(&format!("TYPENAMES=craters&FILTER={filter}")).unwrap();
        assert!(matches!(
            p.query.filter,
            Some(Filter::Compare {
                op: CompareOp::Eq,
                ..
            })
        ));
    }

    #[test]
    fn errors_carry_their_locator() {
        let locator = |q: &str| parse(q).unwrap_err().locator.unwrap();
        assert_eq!(locator("TYPENAMES=nope"), "TYPENAMES");
        assert_eq!(locator("TYPENAMES=craters&BBOX=1,2,3"), "BBOX");
        assert_eq!(locator("TYPENAMES=craters&SRSNAME=EPSG:3857"), "SRSNAME");
        assert_eq!(
            locator("TYPENAMES=craters&OUTPUTFORMAT=shapezip"),
            "OUTPUTFORMAT"
        );
        assert_eq!(
            locator("TYPENAMES=craters&BBOX=1,2,3,4&RESOURCEID=craters.1"),
            "FILTER"
        );
        assert_eq!(locator("TYPENAMES=craters&SORTBY=nope"), "SORTBY");
        assert_eq!(
            locator("TYPENAMES=craters&RESOURCEID=other.1"),
            "RESOURCEID"
        );
        assert_eq!(
            parse("STOREDQUERY_ID=urn:ogc:def:query:OGC-WFS::GetFeatureById&ID=nothing.1")
                .unwrap_err()
                .code,
            Code::NotFound
        );
    }
}
