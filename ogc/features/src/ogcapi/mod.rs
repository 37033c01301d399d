//! OGC API – Features: Part 1 Core (OGC 17-069r4: core, geojson, html, oas30) and Part 2
//! Coordinate Reference Systems by Reference (OGC 18-058: `crs`, `bbox-crs`, `Content-Crs`,
//! `storageCrs`). Paths are relative to the API root (`/ogcapi` on the server).

mod documents;
mod html;
mod items;
mod openapi;

pub use html::HtmlItemsWriter;
pub use items::{ItemPlan, ItemsPlan};

use super::service::FeatureServices;
use ogc_common::Kvp;
use ogc_common::OgcResponse;

/// The conformance classes implemented (Part 1 §7.4, Part 2 §8).
/// Part 3 (Filtering) with CQL2 text: the Basic CQL2 and Advanced Comparison Operators classes.
pub const CONFORMANCE: [&str; 11] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
];

pub const GEOJSON: &str = "application/geo+json";
pub const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";

/// What an OGC API request asks of the server.
#[derive(Debug)]
pub enum OapifResponse {
    Document(OgcResponse),
    /// A page of features to fetch and encode.
    Items(Box<ItemsPlan>),
    /// One feature.
    Item(Box<ItemPlan>),
}

/// The representation asked for: `f=json|html`, else the Accept header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    Json,
    Html,
}

/// An error as OGC API answers it: a status and a JSON body with a code and a description.
pub fn error(status: u16, code: &str, description: impl Into<String>) -> OgcResponse {
    let body = serde_json::json!({ "code": code, "description": description.into() });
    OgcResponse::new(status, "application/json", body.to_string())
}

impl FeatureServices {
    /// Answers a GET on `segments` (the path below the API root, split at `/`).
    pub fn ogcapi(&self, segments: &[&str], params: &Kvp, accepts_html: bool) -> OapifResponse {
        let representation = match params.non_empty("f") {
            Some(f) if f.eq_ignore_ascii_case("html") => Representation::Html,
            Some(f)
                if ["json", "geojson"]
                    .iter()
                    .any(|j| f.eq_ignore_ascii_case(j)) =>
            {
                Representation::Json
            }
            Some(f) => {
                return OapifResponse::Document(error(
                    400,
                    "InvalidParameterValue",
                    format!("f={f} is not offered: use json or html"),
                ));
            }
            None if accepts_html => Representation::Html,
            None => Representation::Json,
        };
        let document =
            |d: Result<OgcResponse, OgcResponse>| OapifResponse::Document(d.unwrap_or_else(|e| e));
        let only = |allowed: &[&str]| items::known_parameters(params, allowed);
        match segments {
            [] | [""] => document(only(&["f"]).map(|()| documents::landing(self, representation))),
            ["conformance"] => {
                document(only(&["f"]).map(|()| documents::conformance(representation)))
            }
            ["api"] => document(only(&["f"]).map(|()| openapi::document(self))),
            ["collections"] => {
                document(only(&["f"]).map(|()| documents::collections(self, representation)))
            }
            ["collections", id] => document(
                only(&["f"])
                    .and_then(|()| self.known(id))
                    .map(|c| documents::collection(self, c, representation)),
            ),
            ["collections", id, "queryables"] => document(
                only(&["f"])
                    .and_then(|()| self.known(id))
                    .map(|c| documents::queryables(self, c)),
            ),
            ["collections", id, "items"] => match self
                .known(id)
                .and_then(|c| items::plan(self, c, params, representation))
            {
                Ok(plan) => OapifResponse::Items(Box::new(plan)),
                Err(e) => OapifResponse::Document(e),
            },
            ["collections", id, "items", feature_id] => {
                match self
                    .known(id)
                    .and_then(|c| items::item_plan(self, c, feature_id, params, representation))
                {
                    Ok(plan) => OapifResponse::Item(Box::new(plan)),
                    Err(e) => OapifResponse::Document(e),
                }
            }
            _ => OapifResponse::Document(error(404, "NotFound", "no such resource")),
        }
    }

    fn known(&self, id: &str) -> Result<&super::collection::Collection, OgcResponse> {
        self.collection(id)
            .ok_or_else(|| error(404, "NotFound", format!("no collection `{id}`")))
    }
}
