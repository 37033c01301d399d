//! GeoJSON FeatureCollections of Points (RFC 7946), read feature by feature with serde_json so
//! that a large collection is never held in memory.
//!
//! A first pass learns the properties and their types, a second builds the rows: `id` (the
//! feature id), each property, then `ra` and `dec` from the Point, with longitudes in −180..180
//! (RFC 7946 §4) turned into right ascensions in 0..360. Strings that all read as numbers (as in
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
use super::source::{BATCH_ROWS, RowNumbering, Sink, Source};

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

pub struct GeoJsonSource {
    path: PathBuf,
    name: String,
    /// Property columns, in order of first appearance, with their kinds.
    properties: Vec<(String, Kind)>,
    id: Kind,
    features: u64,
    schema: SchemaRef,
}

impl GeoJsonSource {
    pub fn open(path: &Path) -> Result<Self, IngestError> {
        let name = path.display().to_string();
        let mut properties: Vec<(String, Kind)> = Vec::new();
        let mut id = Kind::OnlyMissing;
        let features = for_each_feature(path, &name, &mut |_, feature| {
            id = id.merge(Kind::of(&feature.id));
            for (key, value) in feature.properties.iter().flatten() {
                match properties.iter_mut().find(|(k, _)| k == key) {
                    Some((_, kind)) => *kind = kind.merge(Kind::of(value)),
                    None => properties.push((key.clone(), Kind::of(value))),
                }
            }
            Ok(())
        })?;
        let mut fields = vec![Field::new("id", id.data_type(), true)];
        for (key, kind) in &properties {
            if ["id", "ra", "dec"].contains(&key.as_str()) {
                return Err(IngestError::input(
                    &name,
                    None,
                    Some(key),
                    "this property name is taken by a column made from the feature".to_owned(),
                ));
            }
            fields.push(Field::new(key, kind.data_type(), true));
        }
        fields.push(Field::new("ra", DataType::Float64, false));
        fields.push(Field::new("dec", DataType::Float64, false));
        Ok(Self {
            path: path.to_owned(),
            name,
            properties,
            id,
            features,
            schema: Arc::new(Schema::new(fields)),
        })
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

    fn run(&mut self, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let mut batch = BatchBuilder::new(self);
        let (path, name) = (self.path.clone(), self.name.clone());
        for_each_feature(&path, &name, &mut |index, feature| {
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
            batch.push(&feature, ra, dec);
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

struct BatchBuilder {
    id: ColumnBuilder,
    properties: Vec<(String, ColumnBuilder)>,
    ra: Float64Builder,
    dec: Float64Builder,
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
            ra: Float64Builder::new(),
            dec: Float64Builder::new(),
            rows: 0,
        }
    }

    fn push(&mut self, feature: &Feature, ra: f64, dec: f64) {
        self.id.push(Some(&feature.id));
        for (key, builder) in &mut self.properties {
            builder.push(feature.properties.as_ref().and_then(|p| p.get(key)));
        }
        self.ra.append_value(ra);
        self.dec.append_value(dec);
        self.rows += 1;
    }

    fn finish(&mut self, schema: SchemaRef) -> Result<RecordBatch, IngestError> {
        let mut columns = vec![self.id.finish()];
        columns.extend(self.properties.iter_mut().map(|(_, b)| b.finish()));
        columns.push(Arc::new(self.ra.finish()));
        columns.push(Arc::new(self.dec.finish()));
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
    fn a_polygon_is_refused_with_its_feature_number() {
        let (_dir, source) = source(
            r#"{"features":[{"properties":{},"geometry":{"type":"Point","coordinates":[1,2]}},
                {"properties":{},"geometry":{"type":"Polygon","coordinates":[]}}]}"#,
        );
        let message = batches(&mut source.unwrap()).unwrap_err().to_string();
        assert!(
            message
                .ends_with("feature 2: geometry is Polygon; only Point features can be ingested"),
            "{message}"
        );
    }

    #[test]
    fn broken_json_names_its_line() {
        let (_dir, source) = source("{\"features\":[\n{\"geometry\": }]}");
        let message = source.err().unwrap().to_string();
        assert!(message.contains("line 2"), "{message}");
    }
}
