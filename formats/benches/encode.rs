//! One million rows (int64, two doubles, a float, a short string; every seventh row has
//! nulls) encoded into `std::io::sink()`, per format. Criterion reports rows/s as elements/s.
//!
//! `cargo bench -p formats --bench encode`

#![allow(clippy::unwrap_used)] // benchmark setup

use std::sync::Arc;

use arrow_array::builder::{Float32Builder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use formats::{DocumentInfo, EndStatus, FieldMeta, OutputFormat, encoder};

const ROWS: usize = 1_000_000;
const BATCH: usize = 8192;

fn batches() -> (Vec<RecordBatch>, Vec<FieldMeta>) {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("ra", DataType::Float64, false),
        Field::new("dec", DataType::Float64, true),
        Field::new("mag", DataType::Float32, true),
        Field::new("name", DataType::Utf8, true),
    ]));
    let mut out = Vec::new();
    let mut start = 0;
    while start < ROWS {
        let n = BATCH.min(ROWS - start);
        let mut id = Int64Builder::new();
        let mut ra = Float64Builder::new();
        let mut dec = Float64Builder::new();
        let mut mag = Float32Builder::new();
        let mut name = StringBuilder::new();
        for i in start..start + n {
            let x = (i as f64 * 0.618_033_988_749_895).fract();
            id.append_value(i as i64 * 7_919 + 1_000_000_000_000);
            ra.append_value(x * 360.0);
            if i % 7 == 0 {
                dec.append_null();
                mag.append_null();
                name.append_null();
            } else {
                dec.append_value(x * 180.0 - 90.0);
                mag.append_value((x * 25.0) as f32);
                name.append_value(format!("src {}", i % 100_000));
            }
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(id.finish()),
            Arc::new(ra.finish()),
            Arc::new(dec.finish()),
            Arc::new(mag.finish()),
            Arc::new(name.finish()),
        ];
        out.push(RecordBatch::try_new(schema.clone(), columns).unwrap());
        start += n;
    }
    let fields = schema
        .fields()
        .iter()
        .map(|f| FieldMeta::from_arrow(f).unwrap())
        .collect();
    (out, fields)
}

fn encode(c: &mut Criterion) {
    let (batches, fields) = batches();
    let doc = DocumentInfo::default();
    let mut group = c.benchmark_group("encode_1M_rows");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS as u64));
    for (label, format) in [
        ("votable_binary2", OutputFormat::VotableBinary2),
        ("votable_tabledata", OutputFormat::VotableTabledata),
        ("csv", OutputFormat::Csv),
        ("voparquet", OutputFormat::Parquet),
    ] {
        group.bench_function(label, |b| {
            b.iter(|| {
                let mut enc =
                    encoder(format, Box::new(std::io::sink()), fields.clone(), &doc).unwrap();
                for batch in &batches {
                    enc.write_batch(batch).unwrap();
                }
                enc.finish(EndStatus::Ok).unwrap();
            })
        });
    }
    group.finish();
}

criterion_group!(benches, encode);
criterion_main!(benches);
