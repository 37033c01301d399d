//! DescribeFeatureType: the application schema of the feature types, GML 3.2 for WFS 2.0
//! (OGC 09-025r2 §9) and GML 3.1.1 for WFS 1.1.0. Each type extends `gml:AbstractFeatureType`
//! with its geometry (multi-surfaces for polygon collections, points for point collections)
//! and one optional element per property, in the order features are written.

use std::fmt::Write;

use super::WfsVersion;
use crate::collection::{Collection, GeometryKind};
use crate::encode::gml::{GmlVersion, NAMESPACE, PREFIX};
use crate::service::FeatureServices;
use ogc_common::Kvp;
use ogc_common::OgcError;

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
    let mut doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xsd:schema xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:gml=\"{ns}\" xmlns:{PREFIX}=\"{NAMESPACE}\" targetNamespace=\"{NAMESPACE}\" \
         elementFormDefault=\"qualified\" attributeFormDefault=\"unqualified\">\n\
         <xsd:import namespace=\"{ns}\" schemaLocation=\"{location}\"/>\n",
        ns = gml.namespace(),
        location = gml.schema_location(),
    );
    for c in collections {
        let geometry_type = match c.geometry_kind {
            GeometryKind::Point => "gml:PointPropertyType",
            GeometryKind::Polygon => "gml:MultiSurfacePropertyType",
            GeometryKind::Any => "gml:GeometryPropertyType",
        };
        let _ = write!(
            doc,
            "<xsd:complexType name=\"{id}Type\"><xsd:complexContent><xsd:extension base=\"gml:AbstractFeatureType\"><xsd:sequence>\n\
             <xsd:element name=\"{geometry}\" type=\"{geometry_type}\" minOccurs=\"0\"/>\n",
            id = c.id,
            geometry = c.geometry_name,
        );
        for p in &c.properties {
            let _ = writeln!(
                doc,
                "<xsd:element name=\"{}\" type=\"{}\" minOccurs=\"0\"/>",
                p.name,
                p.kind.xsd()
            );
        }
        let abstract_element = match gml {
            GmlVersion::V32 => "gml:AbstractFeature",
            GmlVersion::V311 => "gml:_Feature",
        };
        let _ = writeln!(
            doc,
            "</xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>\n\
             <xsd:element name=\"{id}\" type=\"{PREFIX}:{id}Type\" substitutionGroup=\"{abstract_element}\"/>",
            id = c.id
        );
    }
    doc.push_str("</xsd:schema>\n");
    doc
}
