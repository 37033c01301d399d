//! CSV, TSV, JSON and VOParquet output, parsed back.

#![allow(clippy::unwrap_used)] // helpers outside #[test] functions, in test code

mod common;

use arrow_array::RecordBatch;
use common::{encode, sample_batch, sample_fields};
use formats::votable::{ReadOptions, read};
use formats::{EndStatus, OutputFormat};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// RFC 4180 records (quoted fields may hold separators, quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR must start CRLF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record ends with CRLF"
    );
    records
}

#[test]
fn csv_has_a_header_quotes_and_empty_nulls() {
    let batch = sample_batch();
    let text = String::from_utf8(encode(
        OutputFormat::Csv,
        sample_fields(&batch),
        &[batch],
        EndStatus::Overflow,
    ))
    .unwrap();
    let records = parse_csv(&text);
    assert_eq!(
        records[0],
        [
            "id", "ra", "mag", "flag", "name", "small", "byte", "count", "pos", "region",
            "obs_time"
        ]
    );
    assert_eq!(records.len(), 4);
    assert_eq!(records[1][0], "9223372036854775807");
    assert_eq!(records[1][4], "M 31 <&> \"q\", 'a'");
    assert_eq!(records[1][8], "1.5 -2.0");
    assert_eq!(records[1][10], "2023-11-14T22:13:20.5");
    assert!(records[2].iter().all(String::is_empty), "{:?}", records[2]);
    assert_eq!(records[3][4], "Λ-CDM\ttab\nnew");
    assert_eq!(records[3][2], "3.4028235e38");
}

#[test]
fn tsv_escapes_tabs_and_newlines_in_values() {
    let batch = sample_batch();
    let text = String::from_utf8(encode(
        OutputFormat::Tsv,
        sample_fields(&batch),
        &[batch],
        EndStatus::Ok,
    ))
    .unwrap();
    let lines: Vec<&str> = text.strip_suffix('\n').unwrap().split('\n').collect();
    assert_eq!(lines.len(), 4);
    for line in &lines {
        assert_eq!(line.split('\t').count(), 11, "{line:?}");
    }
    let last: Vec<&str> = lines[3].split('\t').collect();
    assert_eq!(last[4], "Λ-CDM\\ttab\\nnew");
    assert_eq!(last[0], "-9007199254740993");
}

#[test]
fn json_keeps_int64_exact_and_reports_the_status() {
    let batch = sample_batch();
    let fields = sample_fields(&batch);
    let bytes = encode(
        OutputFormat::Json,
        fields.clone(),
        std::slice::from_ref(&batch),
        EndStatus::Ok,
    );
    let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["columns"][1]["unit"], "deg");
    assert_eq!(
        doc["columns"][1]["description"],
        "Right ascension <ICRS> & \"J2000\""
    );
    assert_eq!(doc["columns"][8]["xtype"], "point");
    let data = doc["data"].as_array().unwrap();
    assert_eq!(data.len(), 3);
    assert_eq!(data[0][0].as_i64(), Some(i64::MAX));
    assert_eq!(data[2][0].as_i64(), Some(-9_007_199_254_740_993));
    assert_eq!(data[0][4], "M 31 <&> \"q\", 'a'");
    assert_eq!(data[0][3], true);
    assert_eq!(data[0][8], serde_json::json!([1.5, -2.0]));
    assert!(
        data[1]
            .as_array()
            .unwrap()
            .iter()
            .all(serde_json::Value::is_null)
    );
    assert_eq!(doc["query_status"], "OK");

    let failed = encode(
        OutputFormat::Json,
        fields.clone(),
        &[batch],
        EndStatus::Error("boom".into()),
    );
    let doc: serde_json::Value = serde_json::from_slice(&failed).unwrap();
    assert_eq!(doc["query_status"], "ERROR");
    assert_eq!(doc["error"], "boom");

    let empty = encode(OutputFormat::Json, fields, &[], EndStatus::Overflow);
    let doc: serde_json::Value = serde_json::from_slice(&empty).unwrap();
    assert_eq!(doc["data"], serde_json::json!([]));
    assert_eq!(doc["query_status"], "OVERFLOW");
}

fn parquet_parts(bytes: Vec<u8>) -> (Vec<RecordBatch>, String, String) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes)).unwrap();
    let kv = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .cloned()
        .unwrap_or_default();
    let get = |k: &str| {
        kv.iter()
            .find(|e| e.key == k)
            .and_then(|e| e.value.clone())
            .unwrap_or_else(|| panic!("no {k}"))
    };
    let version = get("IVOA.VOTable-Parquet.version");
    let content = get("IVOA.VOTable-Parquet.content");
    let batches = builder
        .build()
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    (batches, version, content)
}

#[test]
fn voparquet_carries_rows_and_the_votable_metadata() {
    let batch = sample_batch();
    let fields = sample_fields(&batch);
    let bytes = encode(
        OutputFormat::Parquet,
        fields.clone(),
        &[batch.clone(), batch.clone()],
        EndStatus::Overflow,
    );
    let (batches, version, content) = parquet_parts(bytes);
    assert_eq!(version, "1.0");
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    assert_eq!(rows, 6);
    let first = batches[0].slice(0, 3);
    for (i, column) in batch.columns().iter().enumerate() {
        assert_eq!(first.column(i), column, "column {i}");
    }
    // The embedded document is a DATA-less VOTable whose FIELDs are ours, with the final status.
    assert!(content.contains("<INFO name=\"QUERY_STATUS\" value=\"OVERFLOW\"/>"));
    assert!(!content.contains("<DATA>"));
    let meta = read(content.as_bytes(), &ReadOptions::default(), |_| {
        Err::<(), _>("no rows expected")
    })
    .unwrap();
    assert_eq!(meta.rows, 0);
    assert_eq!(meta.fields, fields_as_read(&fields));
}

/// What the VOTable reader gives back for our FIELDs (nullability is not written).
fn fields_as_read(fields: &[formats::FieldMeta]) -> Vec<formats::FieldMeta> {
    fields
        .iter()
        .cloned()
        .map(|mut f| {
            f.nullable = true;
            f
        })
        .collect()
}

#[test]
fn voparquet_without_rows_still_has_the_schema_and_status() {
    let batch = sample_batch();
    let bytes = encode(
        OutputFormat::Parquet,
        sample_fields(&batch),
        &[],
        EndStatus::Error("late failure".into()),
    );
    let (batches, _, content) = parquet_parts(bytes);
    assert!(batches.iter().all(|b| b.num_rows() == 0));
    assert!(content.contains("<INFO name=\"QUERY_STATUS\" value=\"ERROR\">late failure</INFO>"));
}
