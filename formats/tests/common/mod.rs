//! Shared helpers: a test batch covering every column type with nulls and hostile strings,
//! running an encoder into memory, and finding the shared data beside the repository.

#![allow(dead_code, clippy::unwrap_used)] // test helpers; not every test file uses each one

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arrow_array::types::Float64Type;
use arrow_array::{
    ArrayRef, BooleanArray, FixedSizeListArray, Float32Array, Float64Array, Int16Array, Int32Array,
    Int64Array, ListArray, RecordBatch, StringArray, TimestampMicrosecondArray, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema};
use formats::{DocumentInfo, EndStatus, FieldMeta, OutputFormat, encoder};

/// A `Write` whose bytes the test can read after the encoder is gone.
#[derive(Clone, Default)]
pub struct Shared(pub Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    pub fn bytes(&self) -> Vec<u8> {
        self.0.lock().unwrap().clone()
    }
}

/// Three rows: ordinary values, all nulls, and edge values (extreme integers, markup and
/// separators in strings, non-ASCII).
pub fn sample_batch() -> RecordBatch {
    let point_values = Float64Array::from(vec![1.5, -2.0, 0.0, 0.0, 359.9, -89.5]);
    let point = FixedSizeListArray::new(
        Arc::new(Field::new("item", DataType::Float64, true)),
        2,
        Arc::new(point_values),
        Some(vec![true, false, true].into()),
    );
    let poly = ListArray::from_iter_primitive::<Float64Type, _, _>(vec![
        Some(vec![
            Some(10.0),
            Some(20.0),
            Some(11.0),
            Some(21.0),
            Some(10.5),
            Some(22.0),
        ]),
        None,
        Some(vec![
            Some(0.1),
            Some(0.2),
            Some(0.3),
            Some(0.4),
            Some(0.5),
            Some(0.6),
        ]),
    ]);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![
            Some(i64::MAX),
            None,
            Some(-9_007_199_254_740_993),
        ])),
        Arc::new(Float64Array::from(vec![
            Some(10.684708),
            None,
            Some(-1e-300),
        ])),
        Arc::new(Float32Array::from(vec![
            Some(3.44f32),
            None,
            Some(f32::MAX),
        ])),
        Arc::new(BooleanArray::from(vec![Some(true), None, Some(false)])),
        Arc::new(StringArray::from(vec![
            Some("M 31 <&> \"q\", 'a'"),
            None,
            Some("Λ-CDM\ttab\nnew"),
        ])),
        Arc::new(Int16Array::from(vec![Some(-5i16), None, Some(i16::MAX)])),
        Arc::new(UInt8Array::from(vec![Some(200u8), None, Some(0)])),
        Arc::new(Int32Array::from(vec![Some(123_456), None, Some(i32::MAX)])),
        Arc::new(point),
        Arc::new(poly),
        Arc::new(TimestampMicrosecondArray::from(vec![
            Some(1_700_000_000_500_000),
            None,
            Some(0),
        ])),
    ];
    let schema = Schema::new(vec![
        Field::new("id", DataType::Int64, true),
        Field::new("ra", DataType::Float64, true),
        Field::new("mag", DataType::Float32, true),
        Field::new("flag", DataType::Boolean, true),
        Field::new("name", DataType::Utf8, true),
        Field::new("small", DataType::Int16, true),
        Field::new("byte", DataType::UInt8, true),
        Field::new("count", DataType::Int32, true),
        Field::new("pos", columns[8].data_type().clone(), true),
        Field::new("region", columns[9].data_type().clone(), true),
        Field::new("obs_time", columns[10].data_type().clone(), true),
    ]);
    RecordBatch::try_new(Arc::new(schema), columns).unwrap()
}

/// The FIELDs the server would send for [`sample_batch`]: Arrow defaults plus catalogue
/// metadata (units, UCDs, xtypes, descriptions with markup).
pub fn sample_fields(batch: &RecordBatch) -> Vec<FieldMeta> {
    let mut fields: Vec<FieldMeta> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| FieldMeta::from_arrow(f).unwrap())
        .collect();
    fields[0].ucd = Some("meta.id;meta.main".into());
    fields[1].unit = Some("deg".into());
    fields[1].ucd = Some("pos.eq.ra;meta.main".into());
    fields[1].description = Some("Right ascension <ICRS> & \"J2000\"".into());
    fields[2].unit = Some("mag".into());
    fields[8].xtype = Some("point".into());
    fields[8].unit = Some("deg".into());
    fields[9].xtype = Some("polygon".into());
    fields[9].utype = Some("obscore:Char.SpatialAxis.Coverage.Support.Area".into());
    fields
}

pub fn sample_doc() -> DocumentInfo {
    DocumentInfo {
        resource_name: Some("vostok".into()),
        table_name: Some("result".into()),
        table_description: Some("a result with <markup> & \"quotes\"".into()),
        query: Some("SELECT * FROM t WHERE x < 3 AND name = 'a&b'".into()),
        infos: vec![formats::Info::new("request_date", "2025-01-01T00:00:00")],
        ..DocumentInfo::default()
    }
}

/// Runs an encoder over `batches` and returns its output.
pub fn encode(
    format: OutputFormat,
    fields: Vec<FieldMeta>,
    batches: &[RecordBatch],
    end: EndStatus,
) -> Vec<u8> {
    let out = Shared::default();
    let mut enc = encoder(format, Box::new(out.clone()), fields, &sample_doc()).unwrap();
    for b in batches {
        enc.write_batch(b).unwrap();
    }
    enc.finish(end).unwrap();
    out.bytes()
}

/// A file under the shared data folder: `$VOSTOK_SHARED/data`, else the `shared/data` beside the
/// repository (or beside its worktree), as the other crates' tests find it.
pub fn shared_data(path: &str) -> PathBuf {
    let shared = std::env::var_os("VOSTOK_SHARED")
        .map(PathBuf::from)
        .or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|a| a.join("shared"))
                .find(|s| s.join("data").is_dir())
        })
        .expect("the shared data folder: set VOSTOK_SHARED");
    shared.join("data").join(path)
}
