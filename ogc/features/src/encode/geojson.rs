//! GeoJSON (RFC 7946) feature collections, written one feature at a time: the members that are
//! only known at the end (`numberReturned`, `numberMatched`, `links`) follow the `features`
//! array, which JSON allows since member order carries no meaning.

use std::io::{self, Write};

use super::{GeometryOutput, Link, write_f64, write_i64};
use crate::collection::{Collection, Feature, Value};
use crate::geometry::{Geometry, Position};

/// What the trailing members of a collection say.
#[derive(Debug, Clone, Default)]
pub struct CollectionTail {
    pub number_matched: Option<u64>,
    pub links: Vec<Link>,
    pub timestamp: String,
    /// A `crs` member (the GeoJSON 2008 form WFS clients read), for WFS responses.
    pub crs_name: Option<String>,
}

pub struct GeoJsonWriter {
    /// The property names as JSON strings followed by `:`, encoded once.
    keys: Vec<Vec<u8>>,
    geometry: GeometryOutput,
    /// WFS writes ids as `<collection>.<id>`, the form RESOURCEID takes back: here the
    /// opening quote, the collection escaped once, and the dot.
    id_prefix: Option<Vec<u8>>,
    returned: u64,
}

impl GeoJsonWriter {
    /// `selected` are the names of the properties each feature's values stand for.
    pub fn new(
        selected: Vec<String>,
        geometry: GeometryOutput,
        id_prefix: Option<&Collection>,
    ) -> Self {
        let keys = selected
            .iter()
            .map(|name| {
                let mut key = serde_json::to_vec(name).unwrap_or_default();
                key.push(b':');
                key
            })
            .collect();
        Self {
            keys,
            geometry,
            id_prefix: id_prefix.map(|c| {
                let mut open = serde_json::to_vec(&c.id).unwrap_or_default();
                // `"name"` becomes `"name.`: the id follows inside the same string.
                open.pop();
                open.push(b'.');
                open
            }),
            returned: 0,
        }
    }

    pub fn returned(&self) -> u64 {
        self.returned
    }

    pub fn begin<W: Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(br#"{"type":"FeatureCollection","features":["#)
    }

    pub fn feature<W: Write>(&mut self, out: &mut W, feature: Feature) -> io::Result<()> {
        if self.returned > 0 {
            out.write_all(b",")?;
        }
        self.returned += 1;
        self.write_feature(out, feature)
    }

    pub fn end<W: Write>(&mut self, out: &mut W, tail: &CollectionTail) -> io::Result<()> {
        out.write_all(b"],\"numberReturned\":")?;
        write_i64(out, self.returned as i64)?;
        if let Some(matched) = tail.number_matched {
            out.write_all(b",\"numberMatched\":")?;
            write_i64(out, matched as i64)?;
        }
        out.write_all(b",\"timeStamp\":")?;
        serde_json::to_writer(&mut *out, &tail.timestamp)?;
        if let Some(name) = &tail.crs_name {
            out.write_all(b",\"crs\":")?;
            let crs = serde_json::json!({"type": "name", "properties": {"name": name}});
            serde_json::to_writer(&mut *out, &crs)?;
        }
        if !tail.links.is_empty() {
            out.write_all(b",\"links\":")?;
            let links: Vec<_> = tail.links.iter().map(Link::to_json).collect();
            serde_json::to_writer(&mut *out, &links)?;
        }
        out.write_all(b"}\n")
    }

    /// One feature on its own (OGC API `/items/{featureId}`), with its links.
    pub fn single<W: Write>(
        &mut self,
        out: &mut W,
        feature: Feature,
        links: &[Link],
    ) -> io::Result<()> {
        self.write_feature_open(out, feature)?;
        if !links.is_empty() {
            out.write_all(b",\"links\":")?;
            let links: Vec<_> = links.iter().map(Link::to_json).collect();
            serde_json::to_writer(&mut *out, &links)?;
        }
        out.write_all(b"}\n")
    }

    fn write_feature<W: Write>(&mut self, out: &mut W, feature: Feature) -> io::Result<()> {
        self.write_feature_open(out, feature)?;
        out.write_all(b"}")
    }

    /// Everything of a feature but its closing brace.
    fn write_feature_open<W: Write>(&mut self, out: &mut W, feature: Feature) -> io::Result<()> {
        out.write_all(br#"{"type":"Feature","id":"#)?;
        match (&self.id_prefix, &feature.id) {
            (Some(prefix), id) => {
                out.write_all(prefix)?;
                match id {
                    Value::Int(v) => write_i64(out, *v)?,
                    Value::Text(t) => write_string_rest(out, t)?,
                    other => write_string_rest(out, &plain(other))?,
                }
                out.write_all(b"\"")?;
            }
            (None, id) => write_value(out, id)?,
        }
        out.write_all(br#","geometry":"#)?;
        match feature.geometry {
            Some(g) => self.write_geometry(out, &self.geometry.prepare(g))?,
            None => out.write_all(b"null")?,
        }
        out.write_all(br#","properties":{"#)?;
        for (i, (key, value)) in self.keys.iter().zip(&feature.values).enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(key)?;
            write_value(out, value)?;
        }
        out.write_all(b"}")
    }

    fn write_position<W: Write>(&self, out: &mut W, p: Position) -> io::Result<()> {
        self.geometry.write_position(out, p, [b"[", b",", b"]"])
    }

    fn write_positions<W: Write>(&self, out: &mut W, points: &[Position]) -> io::Result<()> {
        out.write_all(b"[")?;
        for (i, p) in points.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            self.write_position(out, *p)?;
        }
        out.write_all(b"]")
    }

    fn write_rings<W: Write>(&self, out: &mut W, rings: &[Vec<Position>]) -> io::Result<()> {
        out.write_all(b"[")?;
        for (i, ring) in rings.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            self.write_positions(out, ring)?;
        }
        out.write_all(b"]")
    }

    fn write_geometry<W: Write>(&self, out: &mut W, geometry: &Geometry) -> io::Result<()> {
        out.write_all(br#"{"type":""#)?;
        out.write_all(geometry.type_name().as_bytes())?;
        out.write_all(br#"","coordinates":"#)?;
        match geometry {
            Geometry::Point(p) => self.write_position(out, *p)?,
            Geometry::LineString(points) | Geometry::MultiPoint(points) => {
                self.write_positions(out, points)?
            }
            Geometry::Polygon(rings) | Geometry::MultiLineString(rings) => {
                self.write_rings(out, rings)?
            }
            Geometry::MultiPolygon(polygons) => {
                out.write_all(b"[")?;
                for (i, rings) in polygons.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b",")?;
                    }
                    self.write_rings(out, rings)?;
                }
                out.write_all(b"]")?;
            }
        }
        out.write_all(b"}")
    }
}

/// `text` escaped as the inside of a JSON string, without its quotes.
fn write_string_rest<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    let quoted = serde_json::to_vec(text)?;
    out.write_all(&quoted[1..quoted.len() - 1])
}

fn plain(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(v) => v.to_string(),
        Value::Float(v) => v.to_string(),
        Value::Text(t) | Value::DateTime(t) => t.clone(),
    }
}

fn write_value<W: Write>(out: &mut W, value: &Value) -> io::Result<()> {
    match value {
        Value::Null => out.write_all(b"null"),
        Value::Bool(true) => out.write_all(b"true"),
        Value::Bool(false) => out.write_all(b"false"),
        Value::Int(v) => write_i64(out, *v),
        Value::Float(v) if v.is_finite() => write_f64(out, *v),
        Value::Float(_) => out.write_all(b"null"),
        Value::Text(t) | Value::DateTime(t) => Ok(serde_json::to_writer(&mut *out, t)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Edges;
    use crate::crs::Crs;

    fn feature(id: i64, ring: Vec<Position>) -> Feature {
        Feature {
            id: Value::Int(id),
            geometry: Some(Geometry::Polygon(vec![ring])),
            values: vec![
                Value::Text("Jezero \"J\"".into()),
                Value::Float(47.5),
                Value::Null,
            ],
        }
    }

    fn write(writer: &mut GeoJsonWriter, features: Vec<Feature>) -> serde_json::Value {
        let mut out = Vec::new();
        writer.begin(&mut out).unwrap();
        for f in features {
            writer.feature(&mut out, f).unwrap();
        }
        let tail = CollectionTail {
            number_matched: Some(5),
            links: vec![Link::new("http://x/next", "next", "application/geo+json")],
            timestamp: "2026-01-01T00:00:00Z".into(),
            crs_name: None,
        };
        writer.end(&mut out, &tail).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    fn names() -> Vec<String> {
        vec!["name".into(), "diameter_km".into(), "note".into()]
    }

    #[test]
    fn a_collection_is_valid_json_with_counts_and_links() {
        let output = GeometryOutput::new(Edges::Planar, 1.0, Crs::Crs84, 7);
        let mut writer = GeoJsonWriter::new(names(), output, None);
        let square = vec![
            [77.0, 18.0],
            [78.0, 18.0],
            [78.0, 19.0],
            [77.0, 19.0],
            [77.0, 18.0],
        ];
        let doc = write(
            &mut writer,
            vec![feature(1, square.clone()), feature(2, square)],
        );
        assert_eq!(doc["type"], "FeatureCollection");
        assert_eq!(doc["numberReturned"], 2);
        assert_eq!(doc["numberMatched"], 5);
        assert_eq!(doc["links"][0]["rel"], "next");
        let first = &doc["features"][0];
        assert_eq!(first["id"], 1);
        assert_eq!(first["properties"]["name"], "Jezero \"J\"");
        assert_eq!(first["properties"]["note"], serde_json::Value::Null);
        assert_eq!(
            first["geometry"]["coordinates"][0][1],
            serde_json::json!([78, 18])
        );
    }

    #[test]
    fn a_footprint_across_180_is_written_as_two_polygons_in_range() {
        let output = GeometryOutput::new(Edges::Planar, 1.0, Crs::Crs84, 7);
        let mut writer = GeoJsonWriter::new(names(), output, None);
        let ring = vec![
            [179.0, 0.0],
            [181.0, 0.0],
            [181.0, 1.0],
            [179.0, 1.0],
            [179.0, 0.0],
        ];
        let doc = write(&mut writer, vec![feature(1, ring)]);
        let geometry = &doc["features"][0]["geometry"];
        assert_eq!(geometry["type"], "MultiPolygon");
        let xs: Vec<f64> = geometry["coordinates"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| {
                p[0].as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c[0].as_f64().unwrap())
            })
            .collect();
        assert!(xs.iter().all(|x| (-180.0..=180.0).contains(x)), "{xs:?}");
    }

    #[test]
    fn wfs_ids_carry_the_collection_and_latitude_first_crs_swap_axes() {
        let collection = crate::collection::test_collection();
        let output = GeometryOutput::new(Edges::Planar, 1.0, Crs::Mars49900, 7);
        let mut writer = GeoJsonWriter::new(names(), output, Some(&collection));
        let doc = write(
            &mut writer,
            vec![feature(
                15029,
                vec![[10.0, 20.0], [11.0, 20.0], [11.0, 21.0], [10.0, 20.0]],
            )],
        );
        assert_eq!(doc["features"][0]["id"], "craters.15029");
        assert_eq!(
            doc["features"][0]["geometry"]["coordinates"][0][0],
            serde_json::json!([20, 10])
        );
    }

    #[test]
    fn wfs_text_ids_are_escaped_inside_the_prefixed_string() {
        let collection = crate::collection::test_collection();
        let output = GeometryOutput::new(Edges::Planar, 1.0, Crs::Crs84, 7);
        let mut writer = GeoJsonWriter::new(names(), output, Some(&collection));
        let mut quoted = feature(0, vec![[10.0, 20.0], [11.0, 20.0], [10.0, 20.0]]);
        quoted.id = Value::Text("a \"b\"\\c".into());
        let doc = write(&mut writer, vec![quoted]);
        assert_eq!(doc["features"][0]["id"], "craters.a \"b\"\\c");
    }
}
