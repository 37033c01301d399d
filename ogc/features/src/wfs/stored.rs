//! The stored queries of WFS 2.0 (OGC 09-025r2 §10): GetFeatureById, the one every server
//! offers; ListStoredQueries and DescribeStoredQueries describe it.

use super::getfeature::GET_FEATURE_BY_ID;
use crate::encode::gml::{NAMESPACE, PREFIX};
use crate::service::FeatureServices;
use ogc_common::xml::XmlWriter;
use ogc_common::{Kvp, OgcError};

const TITLE: &str = "Get feature by identifier";

/// The namespaces of both responses' root element, then `extra`.
fn root<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut attributes = vec![
        ("xmlns:wfs", "http://www.opengis.net/wfs/2.0"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        (
            "xsi:schemaLocation",
            "http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd",
        ),
    ];
    attributes.extend_from_slice(extra);
    attributes
}

/// `vostok:<id>` of every collection.
fn type_names(services: &FeatureServices) -> Vec<String> {
    services
        .collections()
        .iter()
        .map(|c| format!("{PREFIX}:{}", c.id))
        .collect()
}

pub fn list(services: &FeatureServices) -> String {
    let prefix = format!("xmlns:{PREFIX}");
    let mut doc = XmlWriter::compact();
    doc.start(
        "wfs:ListStoredQueriesResponse",
        &root(&[(&prefix, NAMESPACE)]),
    )
    .start("wfs:StoredQuery", &[("id", GET_FEATURE_BY_ID)])
    .text("wfs:Title", &[], TITLE);
    for name in type_names(services) {
        doc.text("wfs:ReturnFeatureType", &[], &name);
    }
    doc.end("wfs:StoredQuery")
        .end("wfs:ListStoredQueriesResponse");
    doc.finish()
}

pub fn describe(services: &FeatureServices, params: &Kvp) -> Result<String, OgcError> {
    if let Some(ids) = params.non_empty("STOREDQUERY_ID") {
        for id in ids.split(',').map(str::trim) {
            if id != GET_FEATURE_BY_ID
                && id != "http://www.opengis.net/def/query/OGC-WFS/0/GetFeatureById"
            {
                return Err(OgcError::invalid(
                    "STOREDQUERY_ID",
                    format!("unknown stored query `{id}`"),
                ));
            }
        }
    }
    let prefix = format!("xmlns:{PREFIX}");
    let return_types = type_names(services).join(" ");
    let mut doc = XmlWriter::compact();
    doc.start(
        "wfs:DescribeStoredQueriesResponse",
        &root(&[
            (&prefix, NAMESPACE),
            ("xmlns:xsd", "http://www.w3.org/2001/XMLSchema"),
        ]),
    )
    .start("wfs:StoredQueryDescription", &[("id", GET_FEATURE_BY_ID)])
    .text("wfs:Title", &[], TITLE)
    .text(
        "wfs:Abstract",
        &[],
        "Returns the single feature whose gml:id is ID.",
    )
    .empty("wfs:Parameter", &[("name", "ID"), ("type", "xsd:string")])
    .empty(
        "wfs:QueryExpressionText",
        &[
            ("returnFeatureTypes", &return_types),
            (
                "language",
                "urn:ogc:def:queryLanguage:OGC-WFS::WFSQueryExpression",
            ),
            ("isPrivate", "true"),
        ],
    )
    .end("wfs:StoredQueryDescription")
    .end("wfs:DescribeStoredQueriesResponse");
    Ok(doc.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::test_services as services;

    #[test]
    fn list_stored_queries_names_get_feature_by_id_and_its_return_types() {
        assert_eq!(
            list(&services()),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wfs:ListStoredQueriesResponse \
             xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://www.opengis.net/wfs/2.0 \
             http://schemas.opengis.net/wfs/2.0/wfs.xsd\" xmlns:vostok=\"urn:x-vostok:features\">\
             <wfs:StoredQuery id=\"urn:ogc:def:query:OGC-WFS::GetFeatureById\">\
             <wfs:Title>Get feature by identifier</wfs:Title>\
             <wfs:ReturnFeatureType>vostok:craters</wfs:ReturnFeatureType></wfs:StoredQuery>\
             </wfs:ListStoredQueriesResponse>\n"
        );
    }

    #[test]
    fn unknown_stored_queries_are_refused() {
        let kvp = Kvp::from_query("STOREDQUERY_ID=urn:x:nope");
        assert!(describe(&services(), &kvp).is_err());
    }
}
