//! The landing page, conformance declaration, and collection descriptions (Part 1 §7.2–7.14,
//! Part 2 §6.2 for `crs` and `storageCrs`), in JSON and HTML.

use serde_json::{Value, json};

use super::html;
use super::{CONFORMANCE, GEOJSON, OPENAPI, Representation};
use crate::collection::Collection;
use crate::crs::{Crs, StorageCrs};
use crate::encode::Link;
use crate::service::FeatureServices;
use ogc_common::OgcResponse;
use ogc_common::xml::escape;

fn json_document(body: Value) -> OgcResponse {
    OgcResponse::ok("application/json", body.to_string())
}

/// `self` and `alternate` links of a resource at `url` for the representation served.
fn self_links(url: &str, representation: Representation, json_type: &str) -> Vec<Link> {
    let (this, other) = match representation {
        Representation::Json => ((json_type, "json"), ("text/html", "html")),
        Representation::Html => (("text/html", "html"), (json_type, "json")),
    };
    vec![
        Link::new(format!("{url}?f={}", this.1), "self", this.0).titled("This document"),
        Link::new(format!("{url}?f={}", other.1), "alternate", other.0)
            .titled(format!("This document as {}", other.1.to_uppercase())),
    ]
}

fn links_json(links: &[Link]) -> Value {
    Value::Array(links.iter().map(Link::to_json).collect())
}

pub fn landing(services: &FeatureServices, representation: Representation) -> OgcResponse {
    let root = services.ogcapi_url();
    let mut links = self_links(&root, representation, "application/json");
    links.extend([
        Link::new(format!("{root}/api"), "service-desc", OPENAPI)
            .titled("The API definition (OpenAPI 3.0)"),
        Link::new(
            format!("{root}/conformance"),
            "conformance",
            "application/json",
        )
        .titled("Conformance classes"),
        Link::new(format!("{root}/collections"), "data", "application/json")
            .titled("Feature collections"),
    ]);
    let title = format!("{} – features", services.title());
    let description = "Footprints and named features, through OGC API – Features";
    match representation {
        Representation::Json => json_document(
            json!({ "title": title, "description": description, "links": links_json(&links) }),
        ),
        Representation::Html => {
            let mut body = format!("<p>{}</p>\n", escape(description));
            html::link_list(&mut body, &links);
            html::page(&title, &body)
        }
    }
}

pub fn conformance(representation: Representation) -> OgcResponse {
    match representation {
        Representation::Json => json_document(json!({ "conformsTo": CONFORMANCE })),
        Representation::Html => {
            let mut body = String::from("<ul>\n");
            for class in CONFORMANCE {
                body.push_str(&format!("<li>{}</li>\n", escape(class)));
            }
            body.push_str("</ul>\n");
            html::page("Conformance", &body)
        }
    }
}

fn extent(collection: &Collection) -> Value {
    let bbox = collection.extent.unwrap_or([-180.0, -90.0, 180.0, 90.0]);
    json!({ "spatial": { "bbox": [bbox], "crs": Crs::Crs84.def_uri() } })
}

fn collection_links(services: &FeatureServices, c: &Collection) -> Vec<Link> {
    let items = format!("{}/collections/{}/items", services.ogcapi_url(), c.id);
    vec![
        Link::new(
            format!("{}/collections/{}/queryables", services.ogcapi_url(), c.id),
            "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            "application/schema+json",
        )
        .titled("Properties a filter can use"),
        Link::new(format!("{items}?f=json"), "items", GEOJSON).titled("Features as GeoJSON"),
        Link::new(format!("{items}?f=html"), "items", "text/html").titled("Features as HTML"),
    ]
}

fn collection_json(
    services: &FeatureServices,
    c: &Collection,
    representation: Representation,
) -> Value {
    let url = format!("{}/collections/{}", services.ogcapi_url(), c.id);
    let mut links = self_links(&url, representation, "application/json");
    links.extend(collection_links(services, c));
    let crs: Vec<&str> = c
        .crs
        .output_crss()
        .iter()
        .map(|crs| crs.def_uri())
        .collect();
    json!({
        "id": c.id,
        "title": c.title,
        "description": c.description,
        "links": links_json(&links),
        "extent": extent(c),
        "itemType": "feature",
        "crs": crs,
        "storageCrs": c.crs.def_uri(),
    })
}

pub fn collections(services: &FeatureServices, representation: Representation) -> OgcResponse {
    let url = format!("{}/collections", services.ogcapi_url());
    let links = self_links(&url, representation, "application/json");
    match representation {
        Representation::Json => {
            let collections: Vec<Value> = services
                .collections()
                .iter()
                .map(|c| collection_json(services, c, representation))
                .collect();
            json_document(json!({ "links": links_json(&links), "collections": collections }))
        }
        Representation::Html => {
            let mut body = String::from(
                "<table>\n<tr><th>Collection</th><th>Title</th><th>Description</th></tr>\n",
            );
            for c in services.collections() {
                body.push_str(&format!(
                    "<tr><td><a href=\"{}/{}?f=html\">{}</a></td><td>{}</td><td>{}</td></tr>\n",
                    escape(&url),
                    escape(&c.id),
                    escape(&c.id),
                    escape(&c.title),
                    escape(&c.description)
                ));
            }
            body.push_str("</table>\n");
            html::link_list(&mut body, &links);
            html::page("Collections", &body)
        }
    }
}

pub fn collection(
    services: &FeatureServices,
    c: &Collection,
    representation: Representation,
) -> OgcResponse {
    match representation {
        Representation::Json => json_document(collection_json(services, c, representation)),
        Representation::Html => {
            let bbox = c.extent.unwrap_or([-180.0, -90.0, 180.0, 90.0]);
            let mut body = format!(
                "<p>{}</p>\n<p>Extent (longitude, latitude): {} {} to {} {}. Storage CRS: {}.</p>\n<table>\n<tr><th>Property</th><th>Type</th><th>Unit</th><th>Description</th></tr>\n",
                escape(&c.description),
                bbox[0],
                bbox[1],
                bbox[2],
                bbox[3],
                escape(c.crs.def_uri())
            );
            for p in &c.properties {
                body.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    escape(&p.name),
                    p.kind.json().0,
                    escape(p.unit.as_deref().unwrap_or("")),
                    escape(p.description.as_deref().unwrap_or(""))
                ));
            }
            body.push_str("</table>\n");
            let mut links = self_links(
                &format!("{}/collections/{}", services.ogcapi_url(), c.id),
                representation,
                "application/json",
            );
            links.extend(collection_links(services, c));
            html::link_list(&mut body, &links);
            html::page(&c.title, &body)
        }
    }
}

/// The queryables of a collection (Part 3 §6.2): a JSON Schema of the properties a `filter`
/// may name, and the geometry.
pub fn queryables(services: &FeatureServices, c: &Collection) -> OgcResponse {
    let mut properties = serde_json::Map::new();
    properties.insert(
        c.geometry_name.clone(),
        json!({ "x-ogc-role": "primary-geometry", "format": match c.geometry_kind {
            crate::GeometryKind::Point => "geometry-point",
            crate::GeometryKind::Polygon => "geometry-multipolygon",
            crate::GeometryKind::Any => "geometry-any",
        } }),
    );
    for p in &c.properties {
        let (kind, format) = p.kind.json();
        let mut schema = json!({ "type": kind });
        if let Some(object) = schema.as_object_mut() {
            if let Some(format) = format {
                object.insert("format".into(), format.into());
            }
            if let Some(description) = &p.description {
                object.insert("description".into(), description.clone().into());
            }
        }
        properties.insert(p.name.clone(), schema);
    }
    let body = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{}/collections/{}/queryables", services.ogcapi_url(), c.id),
        "type": "object",
        "title": c.title,
        "properties": properties,
        "additionalProperties": false,
    });
    OgcResponse::ok("application/schema+json", body.to_string())
}
