//! DescribeFeatureType: the application schema of the feature types, GML 3.2 for WFS 2.0
//! (OGC 09-025r2 §9) and GML 3.1.1 for WFS 1.1.0. Each type extends `gml:AbstractFeatureType`
//! with its geometry (multi-surfaces for polygon collections, points for point collections)
//! and one optional element per property, in the order features are written.

use super::WfsVersion;
use crate::collection::{Collection, GeometryKind};
use crate::encode::gml::{GmlVersion, NAMESPACE, PREFIX};
use crate::service::FeatureServices;
use ogc_common::xml::XmlWriter;
use ogc_common::{Kvp, OgcError};

pub fn describe_feature_type(
    services: &FeatureServices,
    params: &Kvp,
    version: WfsVersion,
) -> Result<String, OgcError> {
    if let Some(format) = params.non_empty("OUTPUTFORMAT") {
        let f = format.to_ascii_lowercase().replace(' ', "");
        let known = [
            "application/gml+xml;version=3.2",
            "text/xml;subtype=gml/3.2",
            "text/xml;subtype=gml/3.1.1",
            "application/gml+xml",
            "text/xml",
            "xmlschema",
        ];
        if !known.contains(&f.as_str()) {
            return Err(OgcError::invalid(
                "OUTPUTFORMAT",
                format!("output format `{format}` is not offered"),
            ));
        }
    }
    let names = params
        .non_empty("TYPENAMES")
        .or_else(|| params.non_empty("TYPENAME"));
    let collections: Vec<&Collection> = match names {
        None => services.collections().iter().collect(),
        Some(names) => names
            .split(',')
            .map(|name| {
                services.collection_by_type_name(name).ok_or_else(|| {
                    OgcError::invalid(
                        "TYPENAMES",
                        format!("unknown feature type `{}`", name.trim()),
                    )
                })
            })
            .collect::<Result<_, _>>()?,
    };
    let gml = match version {
        WfsVersion::V200 => GmlVersion::V32,
        WfsVersion::V110 => GmlVersion::V311,
    };
    Ok(schema(&collections, gml))
}

/// The XML Schema of `collections`.
pub fn schema(collections: &[&Collection], gml: GmlVersion) -> String {
    let features_prefix = format!("xmlns:{PREFIX}");
    let mut doc = XmlWriter::compact();
    doc.start(
        "xsd:schema",
        &[
            ("xmlns:xsd", "http://www.w3.org/2001/XMLSchema"),
            ("xmlns:gml", gml.namespace()),
            (&features_prefix, NAMESPACE),
            ("targetNamespace", NAMESPACE),
            ("elementFormDefault", "qualified"),
            ("attributeFormDefault", "unqualified"),
        ],
    )
    .raw("\n")
    .empty(
        "xsd:import",
        &[
            ("namespace", gml.namespace()),
            ("schemaLocation", gml.schema_location()),
        ],
    )
    .raw("\n");
    let abstract_element = match gml {
        GmlVersion::V32 => "gml:AbstractFeature",
        GmlVersion::V311 => "gml:_Feature",
    };
    for c in collections {
        let geometry_type = match c.geometry_kind {
            GeometryKind::Point => "gml:PointPropertyType",
            GeometryKind::Polygon => "gml:MultiSurfacePropertyType",
            GeometryKind::Any => "gml:GeometryPropertyType",
        };
        let type_name = format!("{}Type", c.id);
        doc.start("xsd:complexType", &[("name", &type_name)])
            .start("xsd:complexContent", &[])
            .start("xsd:extension", &[("base", "gml:AbstractFeatureType")])
            .start("xsd:sequence", &[])
            .raw("\n");
        optional_element(&mut doc, &c.geometry_name, geometry_type);
        for p in &c.properties {
            optional_element(&mut doc, &p.name, p.kind.xsd());
        }
        doc.end("xsd:sequence")
            .end("xsd:extension")
            .end("xsd:complexContent")
            .end("xsd:complexType")
            .raw("\n")
            .empty(
                "xsd:element",
                &[
                    ("name", &c.id),
                    ("type", &format!("{PREFIX}:{type_name}")),
                    ("substitutionGroup", abstract_element),
                ],
            )
            .raw("\n");
    }
    doc.end("xsd:schema");
    doc.finish()
}

/// `<xsd:element name="name" type="xsd_type" minOccurs="0"/>` on its own line.
fn optional_element(doc: &mut XmlWriter, name: &str, xsd_type: &str) {
    doc.empty(
        "xsd:element",
        &[("name", name), ("type", xsd_type), ("minOccurs", "0")],
    )
    .raw("\n");
}
