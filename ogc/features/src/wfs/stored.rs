//! The stored queries of WFS 2.0 (OGC 09-025r2 §10): GetFeatureById, the one every server
//! offers; ListStoredQueries and DescribeStoredQueries describe it.

use std::fmt::Write;

use super::getfeature::GET_FEATURE_BY_ID;
use crate::encode::gml::{NAMESPACE, PREFIX};
use crate::service::FeatureServices;
use ogc_common::Kvp;
use ogc_common::OgcError;

const HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NAMESPACES: &str = "xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
     xsi:schemaLocation=\"http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd\"";

fn return_types(services: &FeatureServices) -> String {
    services
        .collections()
        .iter()
        .map(|c| {
            format!(
                "<wfs:ReturnFeatureType>{PREFIX}:{}</wfs:ReturnFeatureType>",
                c.id
            )
        })
        .collect()
}

pub fn list(services: &FeatureServices) -> String {
    format!(
        "{HEADER}<wfs:ListStoredQueriesResponse {NAMESPACES} xmlns:{PREFIX}=\"{NAMESPACE}\">\
         <wfs:StoredQuery id=\"{GET_FEATURE_BY_ID}\"><wfs:Title>Get feature by identifier</wfs:Title>{}</wfs:StoredQuery>\
         </wfs:ListStoredQueriesResponse>\n",
        return_types(services)
    )
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
    let mut doc = format!(
        "{HEADER}<wfs:DescribeStoredQueriesResponse {NAMESPACES} xmlns:{PREFIX}=\"{NAMESPACE}\" \
         xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\
         <wfs:StoredQueryDescription id=\"{GET_FEATURE_BY_ID}\"><wfs:Title>Get feature by identifier</wfs:Title>\
         <wfs:Abstract>Returns the single feature whose gml:id is ID.</wfs:Abstract>\
         <wfs:Parameter name=\"ID\" type=\"xsd:string\"/>"
    );
    let _ = write!(
        doc,
        "<wfs:QueryExpressionText returnFeatureTypes=\"{}\" language=\"urn:ogc:def:queryLanguage:OGC-WFS::WFSQueryExpression\" isPrivate=\"true\"/>",
        services
            .collections()
            .iter()
            .map(|c| format!("{PREFIX}:{}", c.id))
            .collect::<Vec<_>>()
            .join(" ")
    );
    doc.push_str("</wfs:StoredQueryDescription></wfs:DescribeStoredQueriesResponse>\n");
    Ok(doc)
}
