//! GML feature collections for WFS, written one feature at a time: GML 3.2 in a WFS 2.0
//! `wfs:FeatureCollection` (OGC 09-025r2 §11.3.3) and GML 3.1.1 for WFS 1.1.0 (OGC 04-094
//! §9.3). Features follow the application schema DescribeFeatureType returns
//! ([`crate::wfs::describe`]): geometry first, then the properties in schema order;
//! polygon collections always write `gml:MultiSurface` so that their type never varies.

use std::io::{self, Write};

use super::GeometryOutput;
use crate::collection::{Collection, Feature, GeometryKind, Value};
use crate::geometry::{Geometry, Position, Ring};
use ogc_common::xml::{XmlWriter, escape};

/// The namespace of vostok's feature types, with the prefix `vostok`.
pub const NAMESPACE: &str = "urn:x-vostok:features";
pub const PREFIX: &str = "vostok";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GmlVersion {
    /// GML 3.2.1, WFS 2.0.
    V32,
    /// GML 3.1.1, WFS 1.1.0.
    V311,
}

impl GmlVersion {
    pub fn namespace(self) -> &'static str {
        match self {
            Self::V32 => "http://www.opengis.net/gml/3.2",
            Self::V311 => "http://www.opengis.net/gml",
        }
    }

    pub fn schema_location(self) -> &'static str {
        match self {
            Self::V32 => "http://schemas.opengis.net/gml/3.2.1/gml.xsd",
            Self::V311 => "http://schemas.opengis.net/gml/3.1.1/base/gml.xsd",
        }
    }

    /// The MIME type WFS names the output format by.
    pub fn mime(self) -> &'static str {
        match self {
            Self::V32 => "application/gml+xml; version=3.2",
            Self::V311 => "text/xml; subtype=gml/3.1.1",
        }
    }
}

/// What the root element of a collection says.
#[derive(Debug, Clone)]
pub struct CollectionHeader {
    pub number_matched: Option<u64>,
    pub number_returned: u64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub timestamp: String,
    /// DescribeFeatureType URL of the types in the response.
    pub schema_url: String,
}

pub struct GmlWriter<'a> {
    collection: &'a Collection,
    names: Vec<String>,
    geometry: GeometryOutput,
    version: GmlVersion,
    srs_name: &'static str,
}

/// `gml:id` values must be NCNames: characters outside them become `_`.
fn ncname(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

impl<'a> GmlWriter<'a> {
    pub fn new(
        collection: &'a Collection,
        selected: Vec<String>,
        geometry: GeometryOutput,
        version: GmlVersion,
        srs_name: &'static str,
    ) -> Self {
        Self {
            collection,
            names: selected,
            geometry,
            version,
            srs_name,
        }
    }

    /// The `xsi:schemaLocation` of a response: wfs.xsd, gml.xsd and the features' own
    /// schema at `schema_url`.
    fn schema_location(&self, schema_url: &str) -> String {
        format!(
            "{} {} {} {} {NAMESPACE} {schema_url}",
            self.wfs_namespace(),
            match self.version {
                GmlVersion::V32 => "http://schemas.opengis.net/wfs/2.0/wfs.xsd",
                GmlVersion::V311 => "http://schemas.opengis.net/wfs/1.1.0/wfs.xsd",
            },
            self.version.namespace(),
            self.version.schema_location(),
        )
    }

    fn wfs_namespace(&self) -> &'static str {
        match self.version {
            GmlVersion::V32 => "http://www.opengis.net/wfs/2.0",
            GmlVersion::V311 => "http://www.opengis.net/wfs",
        }
    }

    /// The namespace declarations of a document's root element, with its `schema_location`.
    fn namespaces<'s>(
        &self,
        features_prefix: &'s str,
        schema_location: &'s str,
    ) -> Vec<(&'s str, &'s str)> {
        vec![
            ("xmlns:wfs", self.wfs_namespace()),
            ("xmlns:gml", self.version.namespace()),
            (features_prefix, NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", schema_location),
        ]
    }

    pub fn begin<W: Write>(&mut self, out: &mut W, header: &CollectionHeader) -> io::Result<()> {
        let features_prefix = format!("xmlns:{PREFIX}");
        let schema_location = self.schema_location(&header.schema_url);
        let mut attributes = self.namespaces(&features_prefix, &schema_location);
        attributes.push(("timeStamp", &header.timestamp));
        let matched = header
            .number_matched
            .map_or_else(|| "unknown".to_owned(), |n| n.to_string());
        let returned = header.number_returned.to_string();
        match self.version {
            GmlVersion::V32 => {
                attributes.push(("numberMatched", &matched));
                attributes.push(("numberReturned", &returned));
                for (name, link) in [("next", &header.next), ("previous", &header.previous)] {
                    if let Some(link) = link {
                        attributes.push((name, link));
                    }
                }
            }
            GmlVersion::V311 => attributes.push(("numberOfFeatures", &returned)),
        }
        let mut doc = XmlWriter::compact();
        // The root is left open: the features stream after it and `end` closes it.
        doc.start("wfs:FeatureCollection", &attributes);
        out.write_all(doc.finish().as_bytes())
    }

    // Features are written straight to `out`, not through XmlWriter: they are the bulk of
    // the response and streamed one by one.
    pub fn feature<W: Write>(&mut self, out: &mut W, feature: Feature) -> io::Result<()> {
        let member = match self.version {
            GmlVersion::V32 => "wfs:member",
            GmlVersion::V311 => "gml:featureMember",
        };
        let type_name = &self.collection.id;
        let id = self.feature_id(&feature);
        write!(out, "<{member}><{PREFIX}:{type_name} gml:id=\"{id}\">")?;
        self.write_content(out, feature, &id)?;
        writeln!(out, "</{PREFIX}:{type_name}></{member}>")
    }

    pub fn end<W: Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b"</wfs:FeatureCollection>\n")
    }

    /// One feature as a document of its own: the answer to the GetFeatureById stored query
    /// (OGC 09-025r2 §7.9.3.6).
    pub fn single<W: Write>(
        &mut self,
        out: &mut W,
        feature: Feature,
        schema_url: &str,
    ) -> io::Result<()> {
        let features_prefix = format!("xmlns:{PREFIX}");
        let schema_location = self.schema_location(schema_url);
        let id = self.feature_id(&feature);
        let mut attributes = self.namespaces(&features_prefix, &schema_location);
        attributes.push(("gml:id", &id));
        let mut content = Vec::new();
        self.write_content(&mut content, feature, &id)?;
        let element = format!("{PREFIX}:{}", self.collection.id);
        let mut doc = XmlWriter::compact();
        doc.start(&element, &attributes)
            .raw(&String::from_utf8_lossy(&content))
            .end(&element);
        out.write_all(doc.finish().as_bytes())
    }

    /// The feature's `gml:id`: the type name and the feature's id.
    fn feature_id(&self, feature: &Feature) -> String {
        let type_name = &self.collection.id;
        match &feature.id {
            Value::Int(v) => format!("{type_name}.{v}"),
            Value::Text(t) | Value::DateTime(t) => format!("{type_name}.{}", ncname(t)),
            Value::Float(v) => format!("{type_name}.{}", ncname(&v.to_string())),
            Value::Bool(b) => format!("{type_name}.{b}"),
            Value::Null => format!("{type_name}.null"),
        }
    }

    /// The feature element's content: its geometry, then its non-null properties.
    fn write_content<W: Write>(
        &mut self,
        out: &mut W,
        feature: Feature,
        id: &str,
    ) -> io::Result<()> {
        if let Some(geometry) = feature.geometry {
            let geometry = self.geometry.prepare(geometry);
            let name = &self.collection.geometry_name;
            write!(out, "<{PREFIX}:{name}>")?;
            self.write_geometry(out, &geometry, &format!("{id}.g"))?;
            write!(out, "</{PREFIX}:{name}>")?;
        }
        for (name, value) in self.names.iter().zip(&feature.values) {
            let text = match value {
                Value::Null => continue,
                Value::Bool(b) => b.to_string(),
                Value::Int(v) => v.to_string(),
                Value::Float(v) if v.is_finite() => v.to_string(),
                Value::Float(_) => continue,
                Value::Text(t) | Value::DateTime(t) => escape(t).into_owned(),
            };
            write!(out, "<{PREFIX}:{name}>{text}</{PREFIX}:{name}>")?;
        }
        Ok(())
    }

    fn gml_id(&self, id: &str) -> String {
        match self.version {
            GmlVersion::V32 => format!(" gml:id=\"{id}\""),
            GmlVersion::V311 => String::new(),
        }
    }

    fn write_pos_list<W: Write>(&self, out: &mut W, points: &[Position]) -> io::Result<()> {
        out.write_all(b"<gml:posList srsDimension=\"2\">")?;
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                out.write_all(b" ")?;
            }
            self.geometry.write_position(out, *p, [b"", b" ", b""])?;
        }
        out.write_all(b"</gml:posList>")
    }

    fn write_point<W: Write>(
        &self,
        out: &mut W,
        p: Position,
        id: &str,
        srs: &str,
    ) -> io::Result<()> {
        write!(out, "<gml:Point{}{srs}><gml:pos>", self.gml_id(id))?;
        self.geometry.write_position(out, p, [b"", b" ", b""])?;
        out.write_all(b"</gml:pos></gml:Point>")
    }

    fn write_line<W: Write>(
        &self,
        out: &mut W,
        points: &[Position],
        id: &str,
        srs: &str,
    ) -> io::Result<()> {
        write!(out, "<gml:LineString{}{srs}>", self.gml_id(id))?;
        self.write_pos_list(out, points)?;
        out.write_all(b"</gml:LineString>")
    }

    fn write_polygon<W: Write>(
        &self,
        out: &mut W,
        rings: &[Ring],
        id: &str,
        srs: &str,
    ) -> io::Result<()> {
        write!(out, "<gml:Polygon{}{srs}>", self.gml_id(id))?;
        for (i, ring) in rings.iter().enumerate() {
            let boundary = if i == 0 { "exterior" } else { "interior" };
            write!(out, "<gml:{boundary}><gml:LinearRing>")?;
            self.write_pos_list(out, ring)?;
            write!(out, "</gml:LinearRing></gml:{boundary}>")?;
        }
        out.write_all(b"</gml:Polygon>")
    }

    fn write_geometry<W: Write>(
        &self,
        out: &mut W,
        geometry: &Geometry,
        id: &str,
    ) -> io::Result<()> {
        let srs = format!(" srsName=\"{}\"", self.srs_name);
        let polygons_as_multi = self.collection.geometry_kind == GeometryKind::Polygon;
        match geometry {
            Geometry::Point(p) => self.write_point(out, *p, id, &srs),
            Geometry::LineString(points) => self.write_line(out, points, id, &srs),
            Geometry::Polygon(rings) if polygons_as_multi => {
                self.write_multi_surface(out, std::slice::from_ref(rings), id, &srs)
            }
            Geometry::Polygon(rings) => self.write_polygon(out, rings, id, &srs),
            Geometry::MultiPolygon(polygons) => self.write_multi_surface(out, polygons, id, &srs),
            Geometry::MultiPoint(points) => {
                write!(out, "<gml:MultiPoint{}{srs}>", self.gml_id(id))?;
                for (i, p) in points.iter().enumerate() {
                    out.write_all(b"<gml:pointMember>")?;
                    self.write_point(out, *p, &format!("{id}.{i}"), "")?;
                    out.write_all(b"</gml:pointMember>")?;
                }
                out.write_all(b"</gml:MultiPoint>")
            }
            Geometry::MultiLineString(lines) => {
                write!(out, "<gml:MultiCurve{}{srs}>", self.gml_id(id))?;
                for (i, line) in lines.iter().enumerate() {
                    out.write_all(b"<gml:curveMember>")?;
                    self.write_line(out, line, &format!("{id}.{i}"), "")?;
                    out.write_all(b"</gml:curveMember>")?;
                }
                out.write_all(b"</gml:MultiCurve>")
            }
        }
    }

    fn write_multi_surface<W: Write>(
        &self,
        out: &mut W,
        polygons: &[Vec<Ring>],
        id: &str,
        srs: &str,
    ) -> io::Result<()> {
        write!(out, "<gml:MultiSurface{}{srs}>", self.gml_id(id))?;
        for (i, rings) in polygons.iter().enumerate() {
            out.write_all(b"<gml:surfaceMember>")?;
            self.write_polygon(out, rings, &format!("{id}.{i}"), "")?;
            out.write_all(b"</gml:surfaceMember>")?;
        }
        out.write_all(b"</gml:MultiSurface>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::test_collection;
    use crate::config::Edges;
    use crate::crs::Crs;

    fn writer(collection: &Collection, version: GmlVersion) -> GmlWriter<'_> {
        let output = GeometryOutput::new(Edges::Planar, 1.0, Crs::Mars49900, 7);
        let names = vec!["feature_id".into(), "name".into(), "diameter_km".into()];
        GmlWriter::new(collection, names, output, version, Crs::Mars49900.urn())
    }

    fn write(version: GmlVersion) -> String {
        let collection = test_collection();
        let mut writer = writer(&collection, version);
        let mut out = Vec::new();
        let header = CollectionHeader {
            number_matched: Some(10),
            number_returned: 1,
            next: Some("http://x/wfs?a=1&b=2".into()),
            previous: None,
            timestamp: "2026-01-01T00:00:00Z".into(),
            schema_url: "http://x/wfs?REQUEST=DescribeFeatureType&TYPENAMES=vostok:craters".into(),
        };
        writer.begin(&mut out, &header).unwrap();
        let feature = Feature {
            id: Value::Int(15029),
            geometry: Some(Geometry::Polygon(vec![vec![
                [113.0, -35.0],
                [114.0, -35.0],
                [114.0, -36.0],
                [113.0, -35.0],
            ]])),
            values: vec![
                Value::Int(15029),
                Value::Text("Cayon & co".into()),
                Value::Null,
            ],
        };
        writer.feature(&mut out, feature).unwrap();
        writer.end(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_gml32_member_has_its_id_geometry_and_properties() {
        let doc = write(GmlVersion::V32);
        assert!(
            doc.contains("numberMatched=\"10\" numberReturned=\"1\""),
            "{doc}"
        );
        assert!(doc.contains("next=\"http://x/wfs?a=1&amp;b=2\""), "{doc}");
        assert!(
            doc.contains("<wfs:member><vostok:craters gml:id=\"craters.15029\">"),
            "{doc}"
        );
        assert!(doc.contains("<gml:MultiSurface gml:id=\"craters.15029.g\" srsName=\"urn:ogc:def:crs:IAU:2015:49900\">"), "{doc}");
        // IAU_2015:49900 is latitude first.
        assert!(
            doc.contains(
                "<gml:posList srsDimension=\"2\">-35 113 -35 114 -36 114 -35 113</gml:posList>"
            ),
            "{doc}"
        );
        assert!(
            doc.contains("<vostok:name>Cayon &amp; co</vostok:name>"),
            "{doc}"
        );
        assert!(
            !doc.contains("diameter_km"),
            "null values are left out: {doc}"
        );
    }

    #[test]
    fn gml311_uses_feature_members_and_a_feature_count() {
        let doc = write(GmlVersion::V311);
        assert!(doc.contains("numberOfFeatures=\"1\""), "{doc}");
        assert!(doc.contains("<gml:featureMember>"), "{doc}");
        assert!(
            doc.contains("xmlns:gml=\"http://www.opengis.net/gml\""),
            "{doc}"
        );
        assert!(!doc.contains("<gml:Polygon gml:id"), "{doc}");
    }

    #[test]
    fn a_single_feature_is_a_document_with_the_namespaces_on_the_feature() {
        let collection = test_collection();
        let feature = Feature {
            id: Value::Text("a b".into()),
            geometry: None,
            values: vec![Value::Int(1), Value::Text("<x>".into()), Value::Null],
        };
        let mut out = Vec::new();
        writer(&collection, GmlVersion::V32)
            .single(&mut out, feature, "http://x/wfs?a=1&b=2")
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<vostok:craters \
             xmlns:wfs=\"http://www.opengis.net/wfs/2.0\" xmlns:gml=\"http://www.opengis.net/gml/3.2\" \
             xmlns:vostok=\"urn:x-vostok:features\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
             xsi:schemaLocation=\"http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd \
             http://www.opengis.net/gml/3.2 http://schemas.opengis.net/gml/3.2.1/gml.xsd \
             urn:x-vostok:features http://x/wfs?a=1&amp;b=2\" gml:id=\"craters.a_b\">\
             <vostok:feature_id>1</vostok:feature_id><vostok:name>&lt;x&gt;</vostok:name></vostok:craters>\n"
        );
    }
}
