//! The API definition, OpenAPI 3.0 (Part 1 §7.3 and the oas30 conformance class): every path
//! the API serves with its parameters, the limits (`limit` default and maximum) advertised.

use serde_json::{Value, json};

use super::OPENAPI;
use crate::crs::StorageCrs;
use crate::service::FeatureServices;
use ogc_common::OgcResponse;

fn response(description: &str, media_types: &[&str]) -> Value {
    let content: serde_json::Map<String, Value> = media_types
        .iter()
        .map(|m| ((*m).to_owned(), json!({ "schema": { "type": if m.contains("html") { "string" } else { "object" } } })))
        .collect();
    json!({ "description": description, "content": content })
}

fn get(summary: &str, operation_id: &str, parameters: Vec<Value>, ok: Value) -> Value {
    json!({
        "get": {
            "summary": summary,
            "operationId": operation_id,
            "parameters": parameters,
            "responses": {
                "200": ok,
                "400": { "description": "Invalid parameter" },
                "404": { "description": "Not found" }
            }
        }
    })
}

pub fn document(services: &FeatureServices) -> OgcResponse {
    let limits = services.limits;
    let ids: Vec<&str> = services
        .collections()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let mut crss: Vec<&str> = services
        .collections()
        .iter()
        .flat_map(|c| c.crs.output_crss().iter().map(|crs| crs.def_uri()))
        .collect();
    crss.sort_unstable();
    crss.dedup();
    let f = json!({ "name": "f", "in": "query", "required": false, "description": "Representation",
                    "schema": { "type": "string", "enum": ["json", "html"] } });
    let collection_id = json!({ "name": "collectionId", "in": "path", "required": true,
                                "schema": { "type": "string", "enum": ids } });
    let crs = json!({ "name": "crs", "in": "query", "required": false, "description": "Output CRS (OGC API – Features Part 2)",
                      "schema": { "type": "string", "format": "uri", "enum": crss } });
    let items_parameters = vec![
        collection_id.clone(),
        json!({ "name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
                "schema": { "type": "integer", "minimum": 1, "maximum": limits.max_limit, "default": limits.default_limit } }),
        json!({ "name": "offset", "in": "query", "required": false, "description": "Features to skip (the next links use it)",
                "schema": { "type": "integer", "minimum": 0, "default": 0 } }),
        json!({ "name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
                "description": "Only features that intersect the box; west > east crosses the antimeridian",
                "schema": { "type": "array", "minItems": 4, "maxItems": 6, "items": { "type": "number" } } }),
        json!({ "name": "bbox-crs", "in": "query", "required": false, "schema": { "type": "string", "format": "uri", "enum": crss } }),
        crs.clone(),
        json!({ "name": "datetime", "in": "query", "required": false, "style": "form", "explode": false, "schema": { "type": "string" } }),
        json!({ "name": "filter", "in": "query", "required": false, "description": "CQL2 text (basic CQL2, LIKE, BETWEEN, IN, S_INTERSECTS with BBOX)", "schema": { "type": "string" } }),
        json!({ "name": "filter-lang", "in": "query", "required": false, "schema": { "type": "string", "enum": ["cql2-text"], "default": "cql2-text" } }),
        json!({ "name": "filter-crs", "in": "query", "required": false, "schema": { "type": "string", "format": "uri", "enum": crss } }),
        f.clone(),
    ];
    let feature_id = json!({ "name": "featureId", "in": "path", "required": true, "schema": { "type": "string" } });
    let paths = json!({
        "/": get("Landing page", "getLandingPage", vec![f.clone()], response("The landing page", &["application/json", "text/html"])),
        "/conformance": get("Conformance classes", "getConformance", vec![f.clone()], response("Conformance classes", &["application/json", "text/html"])),
        "/api": get("This API definition", "getApi", vec![f.clone()], response("The OpenAPI document", &[OPENAPI])),
        "/collections": get("Feature collections", "getCollections", vec![f.clone()], response("The collections", &["application/json", "text/html"])),
        "/collections/{collectionId}": get("A collection", "describeCollection", vec![collection_id.clone(), f.clone()], response("The collection", &["application/json", "text/html"])),
        "/collections/{collectionId}/queryables": get("Queryables of a collection", "getQueryables", vec![collection_id.clone(), f.clone()], response("JSON Schema of the queryables", &["application/schema+json"])),
        "/collections/{collectionId}/items": get("Features of a collection", "getFeatures", items_parameters, response("A page of features", &["application/geo+json", "text/html"])),
        "/collections/{collectionId}/items/{featureId}": get("One feature", "getFeature", vec![collection_id, feature_id, crs, f], response("The feature", &["application/geo+json", "text/html"])),
    });
    let body = json!({
        "openapi": "3.0.3",
        "info": { "title": format!("{} – OGC API – Features", services.title()), "version": env!("CARGO_PKG_VERSION") },
        "servers": [{ "url": services.ogcapi_url() }],
        "paths": paths,
    });
    OgcResponse::ok(OPENAPI, body.to_string())
}
