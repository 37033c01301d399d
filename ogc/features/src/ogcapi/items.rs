//! `/collections/{id}/items` and `/items/{featureId}` (Part 1 §7.15–7.16, Part 2 §6.3):
//! query parameters into a [`FeatureQuery`], and the links, counts and `Content-Crs` of the
//! answer. Pages are addressed by `offset`; features are ordered by id, so following `next`
//! links visits every feature exactly once.

use super::html::HtmlItemsWriter;
use super::{GEOJSON, Representation, error};
use crate::collection::Collection;
use crate::crs::{Crs, StorageCrs, parse_geographic};
use crate::encode::geojson::{CollectionTail, GeoJsonWriter};
use crate::encode::{Link, now_iso8601};
use crate::query::{CompareOp, FeatureQuery, Filter, Literal, request_bbox};
use crate::service::FeatureServices;
use ogc_common::Kvp;
use ogc_common::OgcResponse;
use ogc_common::kvp::query_string;

const ITEMS_PARAMETERS: [&str; 10] = [
    "f",
    "limit",
    "offset",
    "bbox",
    "bbox-crs",
    "crs",
    "datetime",
    "filter",
    "filter-lang",
    "filter-crs",
];

/// Refuses parameters the API does not define (Part 1 /req/core/query-param-unknown).
pub fn known_parameters(params: &Kvp, allowed: &[&str]) -> Result<(), OgcResponse> {
    match params.without(allowed).first() {
        Some((name, _)) => Err(error(
            400,
            "InvalidParameterValue",
            format!("unknown query parameter `{name}`"),
        )),
        None => Ok(()),
    }
}

fn bad(message: impl Into<String>) -> OgcResponse {
    error(400, "InvalidParameterValue", message)
}

#[derive(Debug, Clone)]
pub struct ItemsPlan {
    pub query: FeatureQuery,
    pub representation: Representation,
    params: Kvp,
    items_url: String,
    collection_url: String,
    title: String,
}

#[derive(Debug, Clone)]
pub struct ItemPlan {
    pub query: FeatureQuery,
    pub representation: Representation,
    pub feature_id: String,
    items_url: String,
    collection_url: String,
}

fn output_crs(params: &Kvp, collection: &Collection) -> Result<Crs, OgcResponse> {
    match params.non_empty("crs") {
        None => Ok(Crs::Crs84),
        Some(text) => parse_geographic(text)
            .ok()
            .filter(|crs| collection.crs.output_crss().contains(crs))
            .ok_or_else(|| {
                bad(format!(
                    "crs `{text}` is not offered for {}; see the collection's `crs` list",
                    collection.id
                ))
            }),
    }
}

pub fn plan(
    services: &FeatureServices,
    collection: &Collection,
    params: &Kvp,
    representation: Representation,
) -> Result<ItemsPlan, OgcResponse> {
    known_parameters(params, &ITEMS_PARAMETERS)?;
    let limits = services.limits;
    let limit = match params.non_empty("limit") {
        None => limits.default_limit,
        Some(text) => match text.parse::<u64>() {
            Ok(0) | Err(_) => return Err(bad(format!("limit `{text}` is not a positive integer"))),
            // Beyond the maximum the server answers the maximum (Part 1 §7.15.3, permission 6).
            Ok(n) => n.min(limits.max_limit),
        },
    };
    let offset = match params.non_empty("offset") {
        None => 0,
        Some(text) => text
            .parse()
            .map_err(|_| bad(format!("offset `{text}` is not an integer ≥ 0")))?,
    };
    let mut query = FeatureQuery::new(&collection.id, limit, output_crs(params, collection)?);
    query.offset = offset;
    let mut filters = Vec::new();
    if let Some(bbox) = params.non_empty("bbox") {
        let bbox_crs = match params.non_empty("bbox-crs") {
            None => Crs::Crs84,
            Some(text) => parse_geographic(text)
                .ok()
                .filter(|crs| collection.crs.output_crss().contains(crs))
                .ok_or_else(|| {
                    bad(format!(
                        "bbox-crs `{text}` is not offered for {}",
                        collection.id
                    ))
                })?,
        };
        let numbers: Vec<f64> = bbox
            .split(',')
            .map(|v| v.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad(format!("bbox `{bbox}` is not a list of numbers")))?;
        let coords = match numbers[..] {
            [a, b, c, d] => [a, b, c, d],
            // Six numbers carry heights, which these two-dimensional footprints ignore.
            [a, b, _, d, e, _] => [a, b, d, e],
            _ => return Err(bad("bbox takes four (or six) numbers")),
        };
        filters.push(Filter::Intersects(
            request_bbox(coords, bbox_crs).map_err(bad)?,
        ));
    } else if params.non_empty("bbox-crs").is_some() {
        return Err(bad("bbox-crs without bbox"));
    }
    if let Some(datetime) = params.non_empty("datetime")
        && let Some(property) = &collection.datetime
    {
        filters.push(datetime_filter(datetime, property)?);
    }
    if let Some(text) = params.non_empty("filter") {
        filters.push(cql2_filter(text, params, collection)?);
    }
    query.filter = Filter::all(filters);
    let items_url = format!(
        "{}/collections/{}/items",
        services.ogcapi_url(),
        collection.id
    );
    Ok(ItemsPlan {
        query,
        representation,
        params: params.clone(),
        collection_url: format!("{}/collections/{}", services.ogcapi_url(), collection.id),
        items_url,
        title: collection.title.clone(),
    })
}

/// `filter` in CQL2 text (OGC API – Features Part 3), its coordinates in `filter-crs`.
fn cql2_filter(text: &str, params: &Kvp, collection: &Collection) -> Result<Filter, OgcResponse> {
    match params.non_empty("filter-lang") {
        None | Some("cql2-text") => {}
        Some(other) => {
            return Err(bad(format!(
                "filter-lang `{other}` is not offered: use cql2-text"
            )));
        }
    }
    let crs = match params.non_empty("filter-crs") {
        None => Crs::Crs84,
        Some(text) => parse_geographic(text)
            .ok()
            .filter(|crs| collection.crs.output_crss().contains(crs))
            .ok_or_else(|| {
                bad(format!(
                    "filter-crs `{text}` is not offered for {}",
                    collection.id
                ))
            })?,
    };
    crate::cql2::parse(text, collection, crs).map_err(|e| bad(e.to_string()))
}

/// `datetime`: an instant, or an interval `start/end` with `..` (or nothing) for open ends
/// (Part 1 §7.15.4).
fn datetime_filter(text: &str, property: &str) -> Result<Filter, OgcResponse> {
    let instant = |t: &str| -> Result<Option<Literal>, OgcResponse> {
        match t.trim() {
            "" | ".." => Ok(None),
            t if t.len() >= 10 && t.as_bytes()[4] == b'-' => {
                Ok(Some(Literal::DateTime(t.to_owned())))
            }
            t => Err(bad(format!("`{t}` is not an RFC 3339 date-time"))),
        }
    };
    let compare = |op, value| Filter::Compare {
        property: property.to_owned(),
        op,
        value,
        match_case: true,
    };
    Ok(match text.split_once('/') {
        None => match instant(text)? {
            Some(value) => compare(CompareOp::Eq, value),
            None => return Err(bad("datetime needs a date-time or an interval")),
        },
        Some((start, end)) => {
            let mut parts = Vec::new();
            if let Some(start) = instant(start)? {
                parts.push(compare(CompareOp::Ge, start));
            }
            if let Some(end) = instant(end)? {
                parts.push(compare(CompareOp::Le, end));
            }
            Filter::all(parts).ok_or_else(|| bad("an interval open at both ends"))?
        }
    })
}

pub fn item_plan(
    services: &FeatureServices,
    collection: &Collection,
    feature_id: &str,
    params: &Kvp,
    representation: Representation,
) -> Result<ItemPlan, OgcResponse> {
    known_parameters(params, &["f", "crs"])?;
    let not_found = || {
        error(
            404,
            "NotFound",
            format!("no feature `{feature_id}` in {}", collection.id),
        )
    };
    let value = collection.id_literal(feature_id).ok_or_else(not_found)?;
    let mut query = FeatureQuery::new(&collection.id, 1, output_crs(params, collection)?);
    query.filter = Some(Filter::Ids(vec![value]));
    let items_url = format!(
        "{}/collections/{}/items",
        services.ogcapi_url(),
        collection.id
    );
    Ok(ItemPlan {
        query,
        representation,
        feature_id: feature_id.to_owned(),
        collection_url: format!("{}/collections/{}", services.ogcapi_url(), collection.id),
        items_url,
    })
}

/// The `Content-Crs` header value (Part 2 /req/crs/ogc-crs-header).
fn content_crs(query: &FeatureQuery) -> String {
    format!("<{}>", query.output_crs.def_uri())
}

impl ItemsPlan {
    pub fn content_crs(&self) -> String {
        content_crs(&self.query)
    }

    fn page_url(&self, offset: u64, format: &str) -> String {
        let mut pairs = self.params.without(&["offset", "f"]);
        if offset > 0 {
            pairs.push(("offset".into(), offset.to_string()));
        }
        pairs.push(("f".into(), format.into()));
        format!("{}?{}", self.items_url, query_string(&pairs))
    }

    /// self, alternate, collection, and next (when `more` features follow) / prev.
    pub fn links(&self, more: bool) -> Vec<Link> {
        let q = &self.query;
        let (this, other) = match self.representation {
            Representation::Json => ((GEOJSON, "json"), ("text/html", "html")),
            Representation::Html => (("text/html", "html"), (GEOJSON, "json")),
        };
        let mut links = vec![
            Link::new(self.page_url(q.offset, this.1), "self", this.0).titled("This page"),
            Link::new(self.page_url(q.offset, other.1), "alternate", other.0)
                .titled("This page in another format"),
            Link::new(
                self.collection_url.clone(),
                "collection",
                "application/json",
            )
            .titled("The collection"),
        ];
        if more {
            links.push(
                Link::new(self.page_url(q.offset + q.limit, this.1), "next", this.0)
                    .titled("Next page"),
            );
        }
        if q.offset > 0 {
            links.push(
                Link::new(
                    self.page_url(q.offset.saturating_sub(q.limit), this.1),
                    "prev",
                    this.0,
                )
                .titled("Previous page"),
            );
        }
        links
    }

    pub fn content_type(&self) -> &'static str {
        match self.representation {
            Representation::Json => GEOJSON,
            Representation::Html => "text/html; charset=utf-8",
        }
    }

    pub fn geojson_writer(
        &self,
        services: &FeatureServices,
        collection: &Collection,
    ) -> GeoJsonWriter {
        GeoJsonWriter::new(
            self.query.selected(collection),
            services.geometry_output(collection, self.query.output_crs),
            None,
        )
    }

    pub fn html_writer(&self, collection: &Collection) -> HtmlItemsWriter {
        HtmlItemsWriter::new(self.query.selected(collection), self.items_url.clone())
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn tail(&self, matched: Option<u64>, more: bool) -> CollectionTail {
        CollectionTail {
            number_matched: matched,
            links: self.links(more),
            timestamp: now_iso8601(),
            crs_name: None,
        }
    }
}

impl ItemPlan {
    pub fn content_crs(&self) -> String {
        content_crs(&self.query)
    }

    pub fn links(&self) -> Vec<Link> {
        let url = format!(
            "{}/{}",
            self.items_url,
            ogc_common::kvp::encode(&self.feature_id)
        );
        let (this, other) = match self.representation {
            Representation::Json => ((GEOJSON, "json"), ("text/html", "html")),
            Representation::Html => (("text/html", "html"), (GEOJSON, "json")),
        };
        vec![
            Link::new(format!("{url}?f={}", this.1), "self", this.0).titled("This feature"),
            Link::new(format!("{url}?f={}", other.1), "alternate", other.0)
                .titled("This feature in another format"),
            Link::new(
                self.collection_url.clone(),
                "collection",
                "application/json",
            )
            .titled("The collection"),
        ]
    }

    pub fn not_found(&self) -> OgcResponse {
        error(404, "NotFound", format!("no feature `{}`", self.feature_id))
    }

    pub fn html_writer(&self, collection: &Collection) -> HtmlItemsWriter {
        HtmlItemsWriter::new(self.query.selected(collection), self.items_url.clone())
    }

    pub fn content_type(&self) -> &'static str {
        match self.representation {
            Representation::Json => GEOJSON,
            Representation::Html => "text/html; charset=utf-8",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::test_services as services;

    fn items(query: &str) -> Result<ItemsPlan, OgcResponse> {
        let pairs = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()));
        let s = services();
        let c = s.collection("craters").unwrap().clone();
        plan(&s, &c, &Kvp::from_pairs(pairs), Representation::Json)
    }

    #[test]
    fn limits_default_and_cap() {
        assert_eq!(items("").unwrap().query.limit, 100);
        assert_eq!(items("limit=999999").unwrap().query.limit, 10_000);
        assert_eq!(items("limit=0").unwrap_err().status, 400);
        assert_eq!(items("limit=ten").unwrap_err().status, 400);
    }

    #[test]
    fn unknown_parameters_and_crss_are_refused() {
        assert_eq!(items("colour=red").unwrap_err().status, 400);
        assert_eq!(
            items("crs=http://www.opengis.net/def/crs/EPSG/0/4326")
                .unwrap_err()
                .status,
            400,
            "not a CRS of a Mars collection"
        );
        let p = items("crs=http://www.opengis.net/def/crs/IAU/2015/49900").unwrap();
        assert_eq!(
            p.content_crs(),
            "<http://www.opengis.net/def/crs/IAU/2015/49900>"
        );
    }

    #[test]
    fn an_antimeridian_bbox_and_next_links() {
        let p = items("bbox=170,-10,-170,10&limit=5&offset=10").unwrap();
        let Some(Filter::Intersects(boxes)) = &p.query.filter else {
            panic!()
        };
        assert_eq!(boxes.len(), 2);
        let links = p.links(true);
        let next = links.iter().find(|l| l.rel == "next").unwrap();
        assert!(next.href.contains("offset=15"), "{}", next.href);
        assert!(
            next.href.contains("bbox=170%2C-10%2C-170%2C10"),
            "{}",
            next.href
        );
        assert!(
            links
                .iter()
                .any(|l| l.rel == "prev" && l.href.contains("offset=5"))
        );
    }

    #[test]
    fn cql2_filters_join_the_other_parameters() {
        let p = items("filter=diameter_km > 10 AND name LIKE 'G%'&bbox=0,0,10,10").unwrap();
        let Some(Filter::And(parts)) = &p.query.filter else {
            panic!("{:?}", p.query.filter)
        };
        assert_eq!(parts.len(), 3);
        assert_eq!(items("filter=colour = 1").unwrap_err().status, 400);
        assert_eq!(
            items("filter=name = 'x'&filter-lang=cql2-json")
                .unwrap_err()
                .status,
            400
        );
    }

    #[test]
    fn datetime_intervals() {
        let f = datetime_filter("2020-01-01T00:00:00Z/..", "t").unwrap();
        assert!(matches!(
            f,
            Filter::Compare {
                op: CompareOp::Ge,
                ..
            }
        ));
        assert!(matches!(
            datetime_filter("2020-01-01/2021-01-01", "t").unwrap(),
            Filter::And(_)
        ));
        assert!(datetime_filter("yesterday", "t").is_err());
    }
}
