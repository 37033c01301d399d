//! WFS GetCapabilities documents: 2.0.0 (OGC 09-025r2 §8, wfs.xsd 2.0 with OWS 1.1 and FES 2.0
//! Filter_Capabilities) and 1.1.0 (OGC 04-094 §13). Every conformance constraint says what is
//! implemented, no more: KVP only, result paging, sorting, the standard comparison operators,
//! BBOX and ResourceId; no transactions, locking, joins, GetPropertyValue or XML/SOAP requests.

use crate::collection::Collection;
use crate::crs::StorageCrs;
use crate::encode::gml::{NAMESPACE, PREFIX};
use crate::service::FeatureServices;
use ogc_common::xml::XmlWriter;

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

/// The attributes of the root element: `version`, the version's own `namespaces` (wfs, ows,
/// filter, gml), xlink and xsi, the features' namespace and the `schema_location` of wfs.xsd.
fn root<'a>(
    version: &'a str,
    namespaces: &[(&'a str, &'a str)],
    features_prefix: &'a str,
    schema_location: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut attributes = vec![("version", version)];
    attributes.extend_from_slice(namespaces);
    attributes.extend([
        ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        (features_prefix, NAMESPACE),
        ("xsi:schemaLocation", schema_location),
    ]);
    attributes
}

/// `<element name="name"><ows:NoValues/><ows:DefaultValue>value</ows:DefaultValue></element>`.
fn constraint(doc: &mut XmlWriter, element: &str, name: &str, value: &str) {
    doc.start(element, &[("name", name)])
        .empty("ows:NoValues", &[])
        .text("ows:DefaultValue", &[], value)
        .end(element);
}

/// `<element name="name">` with `values` as its `ows:AllowedValues`.
fn allowed(doc: &mut XmlWriter, element: &str, name: &str, values: &[&str]) {
    doc.start(element, &[("name", name)])
        .start("ows:AllowedValues", &[]);
    for value in values {
        doc.text("ows:Value", &[], value);
    }
    doc.end("ows:AllowedValues").end(element);
}

/// An `ows:Operation` offered by HTTP GET at `url`, opened and left open for its parameters.
fn start_operation(doc: &mut XmlWriter, name: &str, url: &str) {
    let href = format!("{url}?");
    doc.start("ows:Operation", &[("name", name)])
        .start("ows:DCP", &[])
        .start("ows:HTTP", &[])
        .empty("ows:Get", &[("xlink:href", &href)])
        .end("ows:HTTP")
        .end("ows:DCP");
}

fn operation(doc: &mut XmlWriter, name: &str, url: &str, parameters: &[(&str, &[&str])]) {
    start_operation(doc, name, url);
    for (parameter, values) in parameters.iter().filter(|(_, values)| !values.is_empty()) {
        allowed(doc, "ows:Parameter", parameter, values);
    }
    doc.end("ows:Operation").raw("\n");
}

/// The two corners of the collection's `ows:WGS84BoundingBox`.
fn wgs84_bounding_box(doc: &mut XmlWriter, collection: &Collection) {
    let [w, s, e, n] = bbox(collection);
    doc.start("ows:WGS84BoundingBox", &[])
        .text("ows:LowerCorner", &[], &format!("{w} {s}"))
        .text("ows:UpperCorner", &[], &format!("{e} {n}"))
        .end("ows:WGS84BoundingBox");
}

/// The opening of a `wfs:FeatureType`: name, title, abstract and the default CRS, the other
/// CRSs in `other_crs` elements (`DefaultCRS`/`OtherCRS` in 2.0, `DefaultSRS`/`OtherSRS` in 1.1).
fn start_feature_type(
    doc: &mut XmlWriter,
    collection: &Collection,
    default_crs: &str,
    other_crs: &str,
) {
    let crss = collection.crs.output_crss();
    doc.start("wfs:FeatureType", &[])
        .text("wfs:Name", &[], &format!("{PREFIX}:{}", collection.id))
        .text("wfs:Title", &[], &collection.title)
        .text("wfs:Abstract", &[], &collection.description)
        .text(default_crs, &[], crss[0].urn());
    for other in &crss[1..] {
        doc.text(other_crs, &[], other.urn());
    }
}

const GML32: &str = "application/gml+xml; version=3.2";

pub fn v200(services: &FeatureServices) -> String {
    let url = services.wfs_url();
    let title = services.title();
    let features_prefix = format!("xmlns:{PREFIX}");
    let mut doc = XmlWriter::compact();
    doc.start(
        "wfs:WFS_Capabilities",
        &root(
            "2.0.0",
            &[
                ("xmlns:wfs", "http://www.opengis.net/wfs/2.0"),
                ("xmlns:ows", "http://www.opengis.net/ows/1.1"),
                ("xmlns:fes", "http://www.opengis.net/fes/2.0"),
                ("xmlns:gml", "http://www.opengis.net/gml/3.2"),
            ],
            &features_prefix,
            "http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd",
        ),
    )
    .raw("\n")
    .start("ows:ServiceIdentification", &[])
    .text("ows:Title", &[], title)
    .text(
        "ows:Abstract",
        &[],
        &format!("Footprints and named features of {title}, from Parquet tables."),
    )
    .text("ows:ServiceType", &[], "WFS")
    .text("ows:ServiceTypeVersion", &[], "2.0.0")
    .text("ows:ServiceTypeVersion", &[], "1.1.0")
    .text("ows:Fees", &[], "NONE")
    .text("ows:AccessConstraints", &[], "NONE")
    .end("ows:ServiceIdentification")
    .raw("\n")
    .start("ows:ServiceProvider", &[])
    .text("ows:ProviderName", &[], title)
    .empty(
        "ows:ProviderSite",
        &[("xlink:href", &format!("{}/", services.base_url()))],
    )
    .empty("ows:ServiceContact", &[])
    .end("ows:ServiceProvider")
    .raw("\n")
    .start("ows:OperationsMetadata", &[])
    .raw("\n");
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
    doc.raw("\n").end("ows:OperationsMetadata").raw("\n");
    // The list is optional, and may not be empty when present.
    if !services.collections().is_empty() {
        doc.start("wfs:FeatureTypeList", &[]).raw("\n");
        for c in services.collections() {
            start_feature_type(&mut doc, c, "wfs:DefaultCRS", "wfs:OtherCRS");
            doc.start("wfs:OutputFormats", &[])
                .text("wfs:Format", &[], GML32)
                .text("wfs:Format", &[], "application/json")
                .end("wfs:OutputFormats");
            wgs84_bounding_box(&mut doc, c);
            doc.end("wfs:FeatureType").raw("\n");
        }
        doc.end("wfs:FeatureTypeList").raw("\n");
    }
    doc.start("fes:Filter_Capabilities", &[])
        .start("fes:Conformance", &[]);
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
    doc.end("fes:Conformance")
        .raw("\n")
        .start("fes:Id_Capabilities", &[])
        .empty("fes:ResourceIdentifier", &[("name", "fes:ResourceId")])
        .end("fes:Id_Capabilities")
        .raw("\n")
        .start("fes:Scalar_Capabilities", &[])
        .empty("fes:LogicalOperators", &[])
        .start("fes:ComparisonOperators", &[]);
    for op in COMPARISON_OPERATORS {
        doc.empty("fes:ComparisonOperator", &[("name", op)]);
    }
    doc.end("fes:ComparisonOperators")
        .end("fes:Scalar_Capabilities")
        .raw("\n")
        .start("fes:Spatial_Capabilities", &[])
        .start("fes:GeometryOperands", &[])
        .empty("fes:GeometryOperand", &[("name", "gml:Envelope")])
        .end("fes:GeometryOperands")
        .start("fes:SpatialOperators", &[])
        .empty("fes:SpatialOperator", &[("name", "BBOX")])
        .end("fes:SpatialOperators")
        .end("fes:Spatial_Capabilities")
        .raw("\n")
        .end("fes:Filter_Capabilities")
        .raw("\n")
        .end("wfs:WFS_Capabilities");
    doc.finish()
}

/// WFS 1.1.0 capabilities (wfs 1.1.0 with OWS 1.0 and Filter 1.1).
pub fn v110(services: &FeatureServices) -> String {
    let url = services.wfs_url();
    let title = services.title();
    let features_prefix = format!("xmlns:{PREFIX}");
    let mut doc = XmlWriter::compact();
    doc.start(
        "wfs:WFS_Capabilities",
        &root(
            "1.1.0",
            &[
                ("xmlns:wfs", "http://www.opengis.net/wfs"),
                ("xmlns:ows", "http://www.opengis.net/ows"),
                ("xmlns:ogc", "http://www.opengis.net/ogc"),
                ("xmlns:gml", "http://www.opengis.net/gml"),
            ],
            &features_prefix,
            "http://www.opengis.net/wfs http://schemas.opengis.net/wfs/1.1.0/wfs.xsd",
        ),
    )
    .raw("\n")
    .start("ows:ServiceIdentification", &[])
    .text("ows:Title", &[], title)
    .text("ows:ServiceType", &[], "WFS")
    .text("ows:ServiceTypeVersion", &[], "1.1.0")
    .text("ows:Fees", &[], "NONE")
    .text("ows:AccessConstraints", &[], "NONE")
    .end("ows:ServiceIdentification")
    .raw("\n")
    .start("ows:ServiceProvider", &[])
    .text("ows:ProviderName", &[], title)
    .empty("ows:ServiceContact", &[])
    .end("ows:ServiceProvider")
    .raw("\n")
    .start("ows:OperationsMetadata", &[])
    .raw("\n");
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
        start_operation(&mut doc, name, &url);
        // OWS 1.0 lists a parameter's values directly, without ows:AllowedValues.
        if let Some(formats) = formats {
            doc.start("ows:Parameter", &[("name", "outputFormat")]);
            for format in formats {
                doc.text("ows:Value", &[], format);
            }
            doc.end("ows:Parameter");
        }
        if name == "GetFeature" {
            doc.start("ows:Parameter", &[("name", "resultType")])
                .text("ows:Value", &[], "results")
                .text("ows:Value", &[], "hits")
                .end("ows:Parameter");
        }
        doc.end("ows:Operation").raw("\n");
    }
    doc.start("ows:Constraint", &[("name", "DefaultMaxFeatures")])
        .text("ows:Value", &[], &services.limits.max_limit.to_string())
        .end("ows:Constraint")
        .raw("\n")
        .end("ows:OperationsMetadata")
        .raw("\n")
        .start("wfs:FeatureTypeList", &[])
        .raw("\n");
    for c in services.collections() {
        start_feature_type(&mut doc, c, "wfs:DefaultSRS", "wfs:OtherSRS");
        wgs84_bounding_box(&mut doc, c);
        doc.end("wfs:FeatureType").raw("\n");
    }
    doc.end("wfs:FeatureTypeList")
        .raw("\n")
        .start("ogc:Filter_Capabilities", &[])
        .start("ogc:Spatial_Capabilities", &[])
        .start("ogc:GeometryOperands", &[])
        .text("ogc:GeometryOperand", &[], "gml:Envelope")
        .end("ogc:GeometryOperands")
        .start("ogc:SpatialOperators", &[])
        .empty("ogc:SpatialOperator", &[("name", "BBOX")])
        .end("ogc:SpatialOperators")
        .end("ogc:Spatial_Capabilities")
        .start("ogc:Scalar_Capabilities", &[])
        .empty("ogc:LogicalOperators", &[])
        .start("ogc:ComparisonOperators", &[]);
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
        doc.text("ogc:ComparisonOperator", &[], op);
    }
    doc.end("ogc:ComparisonOperators")
        .end("ogc:Scalar_Capabilities")
        .start("ogc:Id_Capabilities", &[])
        .empty("ogc:FID", &[])
        .end("ogc:Id_Capabilities")
        .end("ogc:Filter_Capabilities")
        .raw("\n")
        .end("wfs:WFS_Capabilities");
    doc.finish()
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
