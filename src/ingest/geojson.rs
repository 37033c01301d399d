//! GeoJSON FeatureCollections (RFC 7946), read feature by feature with serde_json so that a
//! large collection is never held in memory.
//!
//! A first pass learns the properties and their types and the geometry types, a second builds
//! the rows: `id` (the feature id), each property, then the position. Points give `ra` and
//! `dec`, with longitudes in −180..180 (RFC 7946 §4) turned into right ascensions in 0..360.
//! Polygons and MultiPolygons give footprint columns (see [`super::footprints`]): WKB, bounding
//! box, centroid, and the file's GeoParquet metadata. Strings that all read as numbers (as in
//! d3-celestial's `"bv": "0.482"`) become numbers; empty strings are missing values.

use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Float64Builder, Int64Builder, StringBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::IngestError;
use super::footprints::{self, FootprintColumns};
use super::source::{BATCH_ROWS, RowNumbering, Sink, Source};
use ogc_features::Crs;
use ogc_features::geometry::{Geometry as Shape, Position, Ring};

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    properties: Option<serde_json::Map<String, Value>>,
    geometry: Option<Geometry>,
}

#[derive(Deserialize)]
struct Geometry {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    coordinates: Value,
}

/// The narrowest column type that holds every value seen so far.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    OnlyMissing,
    Boolean,
    Integer,
    Float,
    NumericText,
    Text,
}

impl Kind {
    fn of(value: &Value) -> Self {
        match value {
            Value::Null => Self::OnlyMissing,
            Value::String(s) if s.is_empty() => Self::OnlyMissing,
            Value::Bool(_) => Self::Boolean,
            Value::Number(n) if n.is_i64() => Self::Integer,
            Value::Number(_) => Self::Float,
            Value::String(s) if s.trim().parse::<f64>().is_ok() => Self::NumericText,
            _ => Self::Text,
        }
    }

    fn merge(self, other: Self) -> Self {
        use Kind::*;
        match (self, other) {
            (OnlyMissing, k) | (k, OnlyMissing) => k,
            (a, b) if a == b => a,
            (Integer | Float | NumericText, Integer | Float | NumericText) => Float,
            _ => Text,
        }
    }

    fn data_type(self) -> DataType {
        match self {
            Self::Boolean => DataType::Boolean,
            Self::Integer => DataType::Int64,
            Self::Float | Self::NumericText => DataType::Float64,
            Self::OnlyMissing | Self::Text => DataType::Utf8,
        }
    }
}

/// What the features are: points, or polygon footprints with their types and extent.
#[derive(Debug, Clone)]
enum Layout {
    Points,
    Footprints {
        types: Vec<String>,
        extent: Option<[f64; 4]>,
    },
}

pub struct GeoJsonSource {
    path: PathBuf,
    name: String,
    /// Property columns, in order of first appearance, with their kinds.
    properties: Vec<(String, Kind)>,
    id: Kind,
    features: u64,
    schema: SchemaRef,
    layout: Layout,
    crs: Crs,
}

impl GeoJsonSource {
    pub fn open(path: &Path) -> Result<Self, IngestError> {
        let name = path.display().to_string();
        let mut properties: Vec<(String, Kind)> = Vec::new();
        let mut id = Kind::OnlyMissing;
        let mut types: Vec<String> = Vec::new();
        let mut extent: Option<[f64; 4]> = None;
        let features = for_each_feature(path, &name, &mut |index, feature| {
            id = id.merge(Kind::of(&feature.id));
            if let Some(geometry) = &feature.geometry {
                if !types.contains(&geometry.kind) {
                    types.push(geometry.kind.clone());
                }
                if geometry.kind != "Point" {
                    let shape =
                        footprint(&feature).ok_or_else(|| bad_geometry(&name, index, &feature))?;
                    if let Some(b) = ogc_features::seam::unwrapped_bbox(&shape) {
                        extent = Some(extent.map_or(b, |e| {
                            [
                                e[0].min(b[0]),
                                e[1].min(b[1]),
                                e[2].max(b[2]),
                                e[3].max(b[3]),
                            ]
                        }));
                    }
                }
            }
            for (key, value) in feature.properties.iter().flatten() {
                match properties.iter_mut().find(|(k, _)| k == key) {
                    Some((_, kind)) => *kind = kind.merge(Kind::of(value)),
                    None => properties.push((key.clone(), Kind::of(value))),
                }
            }
            Ok(())
        })?;
        types.sort();
        let layout = if types.iter().all(|t| t == "Point") {
            Layout::Points
        } else if types.iter().all(|t| t == "Polygon" || t == "MultiPolygon") {
            Layout::Footprints { types, extent }
        } else {
            return Err(IngestError::input(
                &name,
                None,
                None,
                format!(
                    "geometry types {} are mixed: a file holds Points, or Polygons and MultiPolygons",
                    types.join(", ")
                ),
            ));
        };
        let reserved: Vec<&str> = match layout {
            Layout::Points => vec!["id", "ra", "dec"],
            Layout::Footprints { .. } => std::iter::once("id").chain(footprints::COLUMNS).collect(),
        };
        let mut fields = vec![Field::new("id", id.data_type(), true)];
        for (key, kind) in &properties {
            if reserved.contains(&key.as_str()) {
                return Err(IngestError::input(
                    &name,
                    None,
                    Some(key),
                    "this property name is taken by a column made from the feature".to_owned(),
                ));
            }
            fields.push(Field::new(key, kind.data_type(), true));
        }
        match layout {
            Layout::Points => {
                fields.push(Field::new("ra", DataType::Float64, false));
                fields.push(Field::new("dec", DataType::Float64, false));
            }
            Layout::Footprints { .. } => fields.extend(footprints::fields()),
        }
        Ok(Self {
            path: path.to_owned(),
            name,
            properties,
            id,
            features,
            schema: Arc::new(Schema::new(fields)),
            layout,
            crs: Crs::Crs84,
        })
    }

    /// The CRS written into the GeoParquet metadata of footprints (CRS84 unless told).
    pub fn with_crs(mut self, crs: Crs) -> Self {
        self.crs = crs;
        self
    }
}

fn bad_geometry(name: &str, index: u64, feature: &Feature) -> IngestError {
    let kind = feature
        .geometry
        .as_ref()
        .map_or("missing", |g| g.kind.as_str());
    IngestError::input(
        name,
        Some(format!("feature {}", index + 1)),
        None,
        format!(
            "geometry is {kind} with coordinates that are not a valid Point, Polygon or MultiPolygon"
        ),
    )
}

fn positions(value: &Value) -> Option<Vec<Position>> {
    value
        .as_array()?
        .iter()
        .map(|p| {
            let p = p.as_array()?;
            let (x, y) = (p.first()?.as_f64()?, p.get(1)?.as_f64()?);
            (x.is_finite() && (-90.0..=90.0).contains(&y)).then_some([x, y])
        })
        .collect()
}

fn rings(value: &Value) -> Option<Vec<Ring>> {
    let rings: Vec<Ring> = value
        .as_array()?
        .iter()
        .map(positions)
        .collect::<Option<_>>()?;
    (!rings.is_empty() && rings.iter().all(|r| r.len() >= 4)).then_some(rings)
}

/// A Polygon or MultiPolygon feature's geometry.
fn footprint(feature: &Feature) -> Option<Shape> {
    let geometry = feature.geometry.as_ref()?;
    match geometry.kind.as_str() {
        "Polygon" => Some(Shape::Polygon(rings(&geometry.coordinates)?)),
        "MultiPolygon" => Some(Shape::MultiPolygon(
            geometry
                .coordinates
                .as_array()?
                .iter()
                .map(rings)
                .collect::<Option<_>>()?,
        )),
        _ => None,
    }
}

impl Source for GeoJsonSource {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn rows(&self) -> RowNumbering {
        RowNumbering::Features
    }

    fn total_rows(&self) -> Option<u64> {
        Some(self.features)
    }

    fn position(&self) -> Option<(&'static str, &'static str)> {
        match self.layout {
            Layout::Points => None,
            Layout::Footprints { .. } => Some((footprints::CENTROID_LON, footprints::CENTROID_LAT)),
        }
    }

    fn file_metadata(&self) -> Vec<(String, String)> {
        match &self.layout {
            Layout::Points => Vec::new(),
            Layout::Footprints { types, extent } => {
                let types: Vec<&str> = types.iter().map(String::as_str).collect();
                vec![(
                    "geo".to_owned(),
                    footprints::geoparquet_metadata(&types, *extent, self.crs),
                )]
            }
        }
    }

    fn run(&mut self, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let mut batch = BatchBuilder::new(self);
        let (path, name) = (self.path.clone(), self.name.clone());
        for_each_feature(&path, &name, &mut |index, feature| {
            if matches!(batch.position, PositionBuilder::Point { .. }) {
                let (ra, dec) = point(&feature).ok_or_else(|| {
                    let kind = feature
                        .geometry
                        .as_ref()
                        .map_or("missing", |g| g.kind.as_str());
                    IngestError::input(
                        &name,
                        Some(format!("feature {}", index + 1)),
                        None,
                        format!("geometry is {kind}; only Point features can be ingested"),
                    )
                })?;
                batch.push_point(ra, dec);
            } else if let PositionBuilder::Footprint(columns) = &mut batch.position {
                let shape =
                    footprint(&feature).ok_or_else(|| bad_geometry(&name, index, &feature))?;
                columns
                    .push(&shape)
                    .ok_or_else(|| bad_geometry(&name, index, &feature))?;
            }
            batch.push(&feature);
            if batch.rows == BATCH_ROWS {
                sink(batch.finish(self.schema.clone())?)?;
            }
            Ok(())
        })?;
        if batch.rows > 0 {
            sink(batch.finish(self.schema.clone())?)?;
        }
        Ok(())
    }
}

fn point(feature: &Feature) -> Option<(f64, f64)> {
    let geometry = feature.geometry.as_ref().filter(|g| g.kind == "Point")?;
    let coordinates = geometry.coordinates.as_array()?;
    let lon = coordinates.first()?.as_f64()?;
    let lat = coordinates.get(1)?.as_f64()?;
    Some((if lon < 0.0 { lon + 360.0 } else { lon }, lat))
}

enum ColumnBuilder {
    Boolean(BooleanBuilder),
    Integer(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder),
}

impl ColumnBuilder {
    fn new(kind: Kind) -> Self {
        match kind.data_type() {
            DataType::Boolean => Self::Boolean(BooleanBuilder::new()),
            DataType::Int64 => Self::Integer(Int64Builder::new()),
            DataType::Float64 => Self::Float(Float64Builder::new()),
            _ => Self::Text(StringBuilder::new()),
        }
    }

    fn push(&mut self, value: Option<&Value>) {
        let value = value.filter(|v| Kind::of(v) != Kind::OnlyMissing);
        match self {
            Self::Boolean(b) => b.append_option(value.and_then(Value::as_bool)),
            Self::Integer(b) => b.append_option(value.and_then(Value::as_i64)),
            Self::Float(b) => b.append_option(value.and_then(|v| match v {
                Value::String(s) => s.trim().parse().ok(),
                other => other.as_f64(),
            })),
            Self::Text(b) => b.append_option(value.map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Self::Boolean(b) => Arc::new(b.finish()),
            Self::Integer(b) => Arc::new(b.finish()),
            Self::Float(b) => Arc::new(b.finish()),
            Self::Text(b) => Arc::new(b.finish()),
        }
    }
}

enum PositionBuilder {
    Point {
        ra: Float64Builder,
        dec: Float64Builder,
    },
    Footprint(Box<FootprintColumns>),
}

struct BatchBuilder {
    id: ColumnBuilder,
    properties: Vec<(String, ColumnBuilder)>,
    position: PositionBuilder,
    rows: usize,
}

impl BatchBuilder {
    fn new(source: &GeoJsonSource) -> Self {
        Self {
            id: ColumnBuilder::new(source.id),
            properties: source
                .properties
                .iter()
                .map(|(key, kind)| (key.clone(), ColumnBuilder::new(*kind)))
                .collect(),
            position: match source.layout {
                Layout::Points => PositionBuilder::Point {
                    ra: Float64Builder::new(),
                    dec: Float64Builder::new(),
                },
                Layout::Footprints { .. } => PositionBuilder::Footprint(Box::default()),
            },
            rows: 0,
        }
    }

    fn push_point(&mut self, ra: f64, dec: f64) {
        if let PositionBuilder::Point { ra: r, dec: d } = &mut self.position {
            r.append_value(ra);
            d.append_value(dec);
        }
    }

    /// The id and properties of a feature whose position has been pushed.
    fn push(&mut self, feature: &Feature) {
        self.id.push(Some(&feature.id));
        for (key, builder) in &mut self.properties {
            builder.push(feature.properties.as_ref().and_then(|p| p.get(key)));
        }
        self.rows += 1;
    }

    fn finish(&mut self, schema: SchemaRef) -> Result<RecordBatch, IngestError> {
        let mut columns = vec![self.id.finish()];
        columns.extend(self.properties.iter_mut().map(|(_, b)| b.finish()));
        match &mut self.position {
            PositionBuilder::Point { ra, dec } => {
                columns.push(Arc::new(ra.finish()));
                columns.push(Arc::new(dec.finish()));
            }
            PositionBuilder::Footprint(f) => columns.extend(f.finish()),
        }
        self.rows = 0;
        RecordBatch::try_new(schema, columns).map_err(|e| IngestError::Engine(e.to_string()))
    }
}

type OnFeature<'a> = dyn FnMut(u64, Feature) -> Result<(), IngestError> + 'a;

/// Streams the features of the collection in `path` to `on_feature`; returns their number.
fn for_each_feature(
    path: &Path,
    name: &str,
    on_feature: &mut OnFeature<'_>,
) -> Result<u64, IngestError> {
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    let mut deserializer = serde_json::Deserializer::from_reader(BufReader::new(file));
    let mut walk = Walk {
        on_feature,
        count: 0,
        failure: None,
    };
    let parsed = (&mut walk).deserialize(&mut deserializer);
    if let Some(failure) = walk.failure {
        return Err(failure);
    }
    parsed.map_err(|e| {
        IngestError::input(
            name,
            Some(format!("line {}", e.line())),
            None,
            format!("not GeoJSON: {e}"),
        )
    })?;
    Ok(walk.count)
}

/// Visits the top-level object and the elements of its `features` array one at a time.
struct Walk<'a, 'b> {
    on_feature: &'a mut OnFeature<'b>,
    count: u64,
    failure: Option<IngestError>,
}

impl<'de> DeserializeSeed<'de> for &mut Walk<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Walk<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "features" {
                map.next_value_seed(Features(&mut *self))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Features<'w, 'a, 'b>(&'w mut Walk<'a, 'b>);

impl<'de> DeserializeSeed<'de> for Features<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of features")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let walk = self.0;
        while let Some(feature) = seq.next_element::<Feature>()? {
            if let Err(failure) = (walk.on_feature)(walk.count, feature) {
                walk.failure = Some(failure);
                return Err(serde::de::Error::custom("stopped"));
            }
            walk.count += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::arrow::datatypes::Float64Type;

    fn source(text: &str) -> (tempfile::TempDir, Result<GeoJsonSource, IngestError>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.json");
        std::fs::write(&path, text).unwrap();
        let source = GeoJsonSource::open(&path);
        (dir, source)
    }

    fn batches(source: &mut GeoJsonSource) -> Result<Vec<RecordBatch>, IngestError> {
        let mut out = Vec::new();
        source.run(&mut |b| {
            out.push(b);
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn numeric_strings_become_numbers_and_longitudes_become_right_ascensions() {
        let (_dir, source) = source(
            r#"{"type":"FeatureCollection","features":[
              {"type":"Feature","id":1,"properties":{"mag":9.1,"bv":"0.482"},"geometry":{"type":"Point","coordinates":[-36.625,-0.8]}},
              {"type":"Feature","id":2,"properties":{"mag":8,"bv":""},"geometry":{"type":"Point","coordinates":[10,20]}}]}"#,
        );
        let mut source = source.unwrap();
        let names: Vec<_> = source
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(names, ["id", "mag", "bv", "ra", "dec"]);
        assert_eq!(source.schema().field(2).data_type(), &DataType::Float64);
        let batch = &batches(&mut source).unwrap()[0];
        let bv = batch.column(2).as_primitive::<Float64Type>();
        assert_eq!(bv.value(0), 0.482);
        assert!(bv.is_null(1));
        let ra = batch.column(3).as_primitive::<Float64Type>();
        assert_eq!(ra.value(0), 323.375);
    }

    #[test]
    fn points_mixed_with_polygons_are_refused() {
        let (_dir, source) = source(
            r#"{"features":[{"properties":{},"geometry":{"type":"Point","coordinates":[1,2]}},
                {"properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#,
        );
        let message = source.err().unwrap().to_string();
        assert!(message.contains("Point, Polygon are mixed"), "{message}");
    }

    #[test]
    fn a_broken_polygon_names_its_feature() {
        let (_dir, source) = source(
            r#"{"features":[{"properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
                {"properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,"x"]]]}}]}"#,
        );
        let message = source.err().unwrap().to_string();
        assert!(
            message.contains("feature 2: geometry is Polygon"),
            "{message}"
        );
    }

    #[test]
    fn polygons_become_wkb_with_boxes_centroids_and_geoparquet_metadata() {
        let (_dir, source) = source(
            r#"{"features":[{"id":7,"properties":{"name":"a"},"geometry":{"type":"Polygon","coordinates":[[[359,0],[1,0],[1,2],[359,2],[359,0]]]}}]}"#,
        );
        let mut source = source.unwrap().with_crs(Crs::Mars49900);
        assert_eq!(source.position(), Some(("centroid_lon", "centroid_lat")));
        let batch = &batches(&mut source).unwrap()[0];
        let schema = batch.schema();
        let column = |name: &str| batch.column(schema.index_of(name).unwrap()).clone();
        let wkb = column("geometry");
        let wkb = wkb.as_binary::<i32>().value(0);
        assert!(matches!(Shape::from_wkb(wkb).unwrap(), Shape::Polygon(_)));
        assert_eq!(
            column("bbox_xmin").as_primitive::<Float64Type>().value(0),
            359.0
        );
        assert_eq!(
            column("bbox_xmax").as_primitive::<Float64Type>().value(0),
            361.0
        );
        let lat = column("centroid_lat")
            .as_primitive::<Float64Type>()
            .value(0);
        assert!((lat - 1.0).abs() < 0.01, "{lat}");
        let geo = &source.file_metadata()[0];
        assert_eq!(geo.0, "geo");
        assert!(
            geo.1.contains("\"geometry_types\":[\"Polygon\"]"),
            "{}",
            geo.1
        );
        assert!(geo.1.contains("Mars (2015)"), "{}", geo.1);
    }

    #[test]
    fn broken_json_names_its_line() {
        let (_dir, source) = source("{\"features\":[\n{\"geometry\": }]}");
        let message = source.err().unwrap().to_string();
        assert!(message.contains("line 2"), "{message}");
    }
}
