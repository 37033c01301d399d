//! WFS GetCapabilities documents: 2.0.0 (OGC 09-025r2 §8, wfs.xsd 2.0 with OWS 1.1 and FES 2.0
//! Filter_Capabilities) and 1.1.0 (OGC 04-094 §13). Every conformance constraint says what is
//! implemented, no more: KVP only, result paging, sorting, the standard comparison operators,
//! BBOX and ResourceId; no transactions, locking, joins, GetPropertyValue or XML/SOAP requests.

use std::fmt::Write;

use crate::collection::Collection;
use crate::crs::StorageCrs;
use crate::encode::gml::{NAMESPACE, PREFIX};
use crate::service::FeatureServices;
use ogc_common::xml::escape;

const COMPARISON_OPERATORS: [&str; 9] = [
    "PropertyIsEqualTo",
    "PropertyIsNotEqualTo",
    "PropertyIsLessThan",
    "PropertyIsGreaterThan",
    "PropertyIsLessThanOrEqualTo",
    "PropertyIsGreaterThanOrEqualTo",
    "PropertyIsLike",
    "PropertyIsNull",
    "PropertyIsBetween",
];

fn bbox(collection: &Collection) -> [f64; 4] {
    collection.extent.unwrap_or([-180.0, -90.0, 180.0, 90.0])
}

fn constraint(out: &mut String, element: &str, name: &str, value: &str) {
    let _ = write!(
        out,
        "<{element} name=\"{name}\"><ows:NoValues/><ows:DefaultValue>{value}</ows:DefaultValue></{element}>"
    );
}

fn allowed(out: &mut String, element: &str, name: &str, values: &[&str]) {
    let _ = write!(out, "<{element} name=\"{name}\"><ows:AllowedValues>");
    for v in values {
        let _ = write!(out, "<ows:Value>{}</ows:Value>", escape(v));
    }
    let _ = write!(out, "</ows:AllowedValues></{element}>");
}

fn operation(out: &mut String, name: &str, url: &str, parameters: &[(&str, &[&str])]) {
    let _ = write!(
        out,
        "<ows:Operation name=\"{name}\"><ows:DCP><ows:HTTP><ows:Get xlink:href=\"{}?\"/></ows:HTTP></ows:DCP>",
        escape(url)
    );
    for (parameter, values) in parameters.iter().filter(|(_, values)| !values.is_empty()) {
        allowed(out, "ows:Parameter", parameter, values);
    }
    out.push_str("</ows:Operation>\n");
}

const GML32: &str = "application/gml+xml; version=3.2";

pub fn v200(services: &FeatureServices) -> String {
    let url = services.wfs_url();
    let mut doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wfs:WFS_Capabilities version=\"2.0.0\" \
         xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" xmlns:ows=\"http://www.opengis.net/ows/1.1\" \
         xmlns:fes=\"http://www.opengis.net/fes/2.0\" xmlns:gml=\"http://www.opengis.net/gml/3.2\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:{PREFIX}=\"{NAMESPACE}\" \
         xsi:schemaLocation=\"http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd\">\n\
         <ows:ServiceIdentification><ows:Title>{title}</ows:Title>\
         <ows:Abstract>Footprints and named features of {title}, from Parquet tables.</ows:Abstract>\
         <ows:ServiceType>WFS</ows:ServiceType><ows:ServiceTypeVersion>2.0.0</ows:ServiceTypeVersion>\
         <ows:ServiceTypeVersion>1.1.0</ows:ServiceTypeVersion><ows:Fees>NONE</ows:Fees>\
         <ows:AccessConstraints>NONE</ows:AccessConstraints></ows:ServiceIdentification>\n\
         <ows:ServiceProvider><ows:ProviderName>{title}</ows:ProviderName>\
         <ows:ProviderSite xlink:href=\"{base}/\"/><ows:ServiceContact/></ows:ServiceProvider>\n<ows:OperationsMetadata>\n",
        title = escape(services.title()),
        base = escape(services.base_url()),
    );
    let type_names: Vec<String> = services
        .collections()
        .iter()
        .map(|c| format!("{PREFIX}:{}", c.id))
        .collect();
    let type_names: Vec<&str> = type_names.iter().map(String::as_str).collect();
    operation(
        &mut doc,
        "GetCapabilities",
        &url,
        &[
            ("AcceptVersions", &["2.0.0", "1.1.0"]),
            ("AcceptFormats", &["text/xml"]),
        ],
    );
    operation(
        &mut doc,
        "DescribeFeatureType",
        &url,
        &[("outputFormat", &[GML32])],
    );
    operation(&mut doc, "ListStoredQueries", &url, &[]);
    operation(&mut doc, "DescribeStoredQueries", &url, &[]);
    operation(
        &mut doc,
        "GetFeature",
        &url,
        &[
            ("outputFormat", &[GML32, "application/json"]),
            ("resultType", &["results", "hits"]),
            ("typeNames", &type_names),
        ],
    );
    allowed(&mut doc, "ows:Parameter", "version", &["2.0.0", "1.1.0"]);
    for (name, value) in [
        ("ImplementsBasicWFS", "FALSE"),
        ("ImplementsTransactionalWFS", "FALSE"),
        ("ImplementsLockingWFS", "FALSE"),
        ("KVPEncoding", "TRUE"),
        ("XMLEncoding", "FALSE"),
        ("SOAPEncoding", "FALSE"),
        ("ImplementsInheritance", "FALSE"),
        ("ImplementsRemoteResolve", "FALSE"),
        ("ImplementsResultPaging", "TRUE"),
        ("ImplementsStandardJoins", "FALSE"),
        ("ImplementsSpatialJoins", "FALSE"),
        ("ImplementsTemporalJoins", "FALSE"),
        ("ImplementsFeatureVersioning", "FALSE"),
        ("ManageStoredQueries", "FALSE"),
        ("PagingIsTransactionSafe", "TRUE"),
    ] {
        constraint(&mut doc, "ows:Constraint", name, value);
    }
    constraint(
        &mut doc,
        "ows:Constraint",
        "CountDefault",
        &services.limits.max_limit.to_string(),
    );
    allowed(
        &mut doc,
        "ows:Constraint",
        "QueryExpressions",
        &["wfs:Query", "wfs:StoredQuery"],
    );
    doc.push_str("\n</ows:OperationsMetadata>\n");
    // The list is optional, and may not be empty when present.
    if !services.collections().is_empty() {
        doc.push_str("<wfs:FeatureTypeList>\n");
    }
    for c in services.collections() {
        let crss = c.crs.output_crss();
        let _ = write!(
            doc,
            "<wfs:FeatureType><wfs:Name>{PREFIX}:{}</wfs:Name><wfs:Title>{}</wfs:Title><wfs:Abstract>{}</wfs:Abstract><wfs:DefaultCRS>{}</wfs:DefaultCRS>",
            c.id,
            escape(&c.title),
            escape(&c.description),
            crss[0].urn()
        );
        for other in &crss[1..] {
            let _ = write!(doc, "<wfs:OtherCRS>{}</wfs:OtherCRS>", other.urn());
        }
        let [w, s, e, n] = bbox(c);
        let _ = writeln!(
            doc,
            "<wfs:OutputFormats><wfs:Format>{GML32}</wfs:Format><wfs:Format>application/json</wfs:Format></wfs:OutputFormats>\
             <ows:WGS84BoundingBox><ows:LowerCorner>{w} {s}</ows:LowerCorner><ows:UpperCorner>{e} {n}</ows:UpperCorner></ows:WGS84BoundingBox></wfs:FeatureType>"
        );
    }
    if !services.collections().is_empty() {
        doc.push_str("</wfs:FeatureTypeList>\n");
    }
    doc.push_str("<fes:Filter_Capabilities><fes:Conformance>");
    for (name, value) in [
        ("ImplementsQuery", "TRUE"),
        ("ImplementsAdHocQuery", "TRUE"),
        ("ImplementsFunctions", "FALSE"),
        ("ImplementsResourceId", "TRUE"),
        ("ImplementsMinStandardFilter", "TRUE"),
        ("ImplementsStandardFilter", "TRUE"),
        ("ImplementsMinSpatialFilter", "TRUE"),
        ("ImplementsSpatialFilter", "FALSE"),
        ("ImplementsMinTemporalFilter", "FALSE"),
        ("ImplementsTemporalFilter", "FALSE"),
        ("ImplementsVersionNav", "FALSE"),
        ("ImplementsSorting", "TRUE"),
        ("ImplementsExtendedOperators", "FALSE"),
        ("ImplementsMinimumXPath", "TRUE"),
        ("ImplementsSchemaElementFunc", "FALSE"),
    ] {
        constraint(&mut doc, "fes:Constraint", name, value);
    }
    doc.push_str(
        "</fes:Conformance>\n<fes:Id_Capabilities><fes:ResourceIdentifier name=\"fes:ResourceId\"/></fes:Id_Capabilities>\n\
         <fes:Scalar_Capabilities><fes:LogicalOperators/><fes:ComparisonOperators>",
    );
    for op in COMPARISON_OPERATORS {
        let _ = write!(doc, "<fes:ComparisonOperator name=\"{op}\"/>");
    }
    doc.push_str(
        "</fes:ComparisonOperators></fes:Scalar_Capabilities>\n<fes:Spatial_Capabilities><fes:GeometryOperands>\
         <fes:GeometryOperand name=\"gml:Envelope\"/></fes:GeometryOperands><fes:SpatialOperators>\
         <fes:SpatialOperator name=\"BBOX\"/></fes:SpatialOperators></fes:Spatial_Capabilities>\n\
         </fes:Filter_Capabilities>\n</wfs:WFS_Capabilities>\n",
    );
    doc
}

/// WFS 1.1.0 capabilities (wfs 1.1.0 with OWS 1.0 and Filter 1.1).
pub fn v110(services: &FeatureServices) -> String {
    let url = escape(&services.wfs_url()).into_owned();
    let mut doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<wfs:WFS_Capabilities version=\"1.1.0\" \
         xmlns:wfs=\"http://www.opengis.net/wfs\" xmlns:ows=\"http://www.opengis.net/ows\" \
         xmlns:ogc=\"http://www.opengis.net/ogc\" xmlns:gml=\"http://www.opengis.net/gml\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xmlns:{PREFIX}=\"{NAMESPACE}\" \
         xsi:schemaLocation=\"http://www.opengis.net/wfs http://schemas.opengis.net/wfs/1.1.0/wfs.xsd\">\n\
         <ows:ServiceIdentification><ows:Title>{title}</ows:Title><ows:ServiceType>WFS</ows:ServiceType>\
         <ows:ServiceTypeVersion>1.1.0</ows:ServiceTypeVersion><ows:Fees>NONE</ows:Fees>\
         <ows:AccessConstraints>NONE</ows:AccessConstraints></ows:ServiceIdentification>\n\
         <ows:ServiceProvider><ows:ProviderName>{title}</ows:ProviderName><ows:ServiceContact/></ows:ServiceProvider>\n\
         <ows:OperationsMetadata>\n",
        title = escape(services.title()),
    );
    for (name, formats) in [
        ("GetCapabilities", None),
        (
            "DescribeFeatureType",
            Some(&["text/xml; subtype=gml/3.1.1"][..]),
        ),
        (
            "GetFeature",
            Some(&["text/xml; subtype=gml/3.1.1", "application/json"][..]),
        ),
    ] {
        let _ = write!(
            doc,
            "<ows:Operation name=\"{name}\"><ows:DCP><ows:HTTP><ows:Get xlink:href=\"{url}?\"/></ows:HTTP></ows:DCP>"
        );
        if let Some(formats) = formats {
            doc.push_str("<ows:Parameter name=\"outputFormat\">");
            for f in formats {
                let _ = write!(doc, "<ows:Value>{f}</ows:Value>");
            }
            doc.push_str("</ows:Parameter>");
        }
        if name == "GetFeature" {
            doc.push_str("<ows:Parameter name=\"resultType\"><ows:Value>results</ows:Value><ows:Value>hits</ows:Value></ows:Parameter>");
        }
        doc.push_str("</ows:Operation>\n");
    }
    let _ = write!(
        doc,
        "<ows:Constraint name=\"DefaultMaxFeatures\"><ows:Value>{}</ows:Value></ows:Constraint>\n</ows:OperationsMetadata>\n<wfs:FeatureTypeList>\n",
        services.limits.max_limit
    );
    for c in services.collections() {
        let crss = c.crs.output_crss();
        let [w, s, e, n] = bbox(c);
        let _ = write!(
            doc,
            "<wfs:FeatureType><wfs:Name>{PREFIX}:{}</wfs:Name><wfs:Title>{}</wfs:Title><wfs:Abstract>{}</wfs:Abstract><wfs:DefaultSRS>{}</wfs:DefaultSRS>",
            c.id,
            escape(&c.title),
            escape(&c.description),
            crss[0].urn()
        );
        for other in &crss[1..] {
            let _ = write!(doc, "<wfs:OtherSRS>{}</wfs:OtherSRS>", other.urn());
        }
        let _ = writeln!(
            doc,
            "<ows:WGS84BoundingBox><ows:LowerCorner>{w} {s}</ows:LowerCorner><ows:UpperCorner>{e} {n}</ows:UpperCorner></ows:WGS84BoundingBox></wfs:FeatureType>"
        );
    }
    doc.push_str(
        "</wfs:FeatureTypeList>\n<ogc:Filter_Capabilities><ogc:Spatial_Capabilities><ogc:GeometryOperands>\
         <ogc:GeometryOperand>gml:Envelope</ogc:GeometryOperand></ogc:GeometryOperands><ogc:SpatialOperators>\
         <ogc:SpatialOperator name=\"BBOX\"/></ogc:SpatialOperators></ogc:Spatial_Capabilities>\
         <ogc:Scalar_Capabilities><ogc:LogicalOperators/><ogc:ComparisonOperators>",
    );
    for op in [
        "EqualTo",
        "NotEqualTo",
        "LessThan",
        "GreaterThan",
        "LessThanEqualTo",
        "GreaterThanEqualTo",
        "Like",
        "Between",
        "NullCheck",
    ] {
        let _ = write!(doc, "<ogc:ComparisonOperator>{op}</ogc:ComparisonOperator>");
    }
    doc.push_str(
        "</ogc:ComparisonOperators></ogc:Scalar_Capabilities><ogc:Id_Capabilities><ogc:FID/></ogc:Id_Capabilities>\
         </ogc:Filter_Capabilities>\n</wfs:WFS_Capabilities>\n",
    );
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::test_collection;
    use crate::config::FeaturesConfig;
    use std::path::PathBuf;

    /// The official XSDs beside the repository (`../shared/schemas` beside the checkout, or `$VOSTOK_SHARED/schemas`).
    fn schemas() -> PathBuf {
        let shared = std::env::var_os("VOSTOK_SHARED")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
        let schemas = shared.join("schemas");
        assert!(
            schemas.is_dir(),
            "{} is missing: set VOSTOK_SHARED",
            schemas.display()
        );
        schemas
    }

    /// Validates `doc` against wfs.xsd 2.0 with xmllint; xmllint missing is a failure.
    fn assert_valid(doc: &str) {
        let schemas = schemas();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("capabilities.xml");
        std::fs::write(&path, doc).unwrap();
        let output = std::process::Command::new("xmllint")
            .args(["--nonet", "--noout", "--schema"])
            .arg(schemas.join("ogc/wfs/2.0/wfs.xsd"))
            .arg(&path)
            .env("XML_CATALOG_FILES", schemas.join("catalog.xml"))
            .output()
            .expect("xmllint runs (Debian package libxml2-utils)");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    #[test]
    fn capabilities_with_and_without_collections_are_valid() {
        let config = FeaturesConfig::default();
        let with = FeatureServices::new(&config, vec![test_collection()], "http://h", "Mars & co")
            .unwrap();
        let doc = v200(&with);
        assert!(doc.contains("<wfs:Name>vostok:craters</wfs:Name>"));
        assert!(doc.contains("<ows:Title>Mars &amp; co</ows:Title>"));
        assert_valid(&doc);
        let without = FeatureServices::new(&config, vec![], "http://h", "t").unwrap();
        let doc = v200(&without);
        assert!(!doc.contains("FeatureTypeList"));
        assert_valid(&doc);
    }
}
