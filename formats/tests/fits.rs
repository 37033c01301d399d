//! FITS headers and binary tables, read from files written by astropy and from archives.

#![allow(clippy::unwrap_used)] // helpers outside #[test] functions, in test code

mod common;

use std::path::PathBuf;

use arrow_array::{
    Array, BooleanArray, Float32Array, Float64Array, Int16Array, Int32Array, Int64Array, ListArray,
    RecordBatch, StringArray, UInt8Array,
};
use formats::fits::{Header, read_bintable, read_headers};
use formats::votable::ReadOptions;
use formats::{Datatype, TableMeta};

use common::shared_data;

fn read_all(
    bytes: &[u8],
    options: &ReadOptions,
) -> Result<(TableMeta, Vec<RecordBatch>), formats::ReadError> {
    let mut batches = Vec::new();
    let meta = read_bintable(bytes, options, |b| {
        batches.push(b);
        Ok::<(), std::convert::Infallible>(())
    })?;
    Ok((meta, batches))
}

fn sample() -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/astropy_bintable.fits"),
    )
    .unwrap()
}

macro_rules! col {
    ($batch:expr, $i:expr, $t:ty) => {
        $batch.column($i).as_any().downcast_ref::<$t>().unwrap()
    };
}

#[test]
fn astropy_bintable_values_types_and_nulls() {
    let (meta, batches) = read_all(&sample(), &ReadOptions::default()).unwrap();
    assert_eq!(meta.rows, 3);
    assert_eq!(meta.name.as_deref(), Some("SAMPLE"));
    let types: Vec<Datatype> = meta.fields.iter().map(|f| f.datatype).collect();
    assert_eq!(
        types,
        [
            Datatype::Boolean,
            Datatype::UnsignedByte,
            Datatype::Short,
            Datatype::Int, // I with TZERO = 32768: unsigned 16-bit
            Datatype::Int,
            Datatype::Long,
            Datatype::Double,
            Datatype::Float,
            Datatype::Char,
            Datatype::Double,
        ]
    );
    let ra = &meta.fields[6];
    assert_eq!(ra.unit.as_deref(), Some("deg"));
    assert_eq!(ra.ucd.as_deref(), Some("pos.eq.ra;meta.main"));
    assert_eq!(ra.description.as_deref(), Some("Right ascension (ICRS)"));
    assert_eq!(meta.fields[9].arraysize.as_deref(), Some("2"));
    let b = &batches[0];
    let flag = col!(b, 0, BooleanArray);
    assert!(flag.value(0) && !flag.value(1));
    assert_eq!(col!(b, 1, UInt8Array).value(1), 200);
    let short = col!(b, 2, Int16Array);
    assert_eq!(short.value(0), -5);
    assert!(short.is_null(2), "TNULL3 = -32768");
    let ushort = col!(b, 3, Int32Array);
    assert_eq!(
        [ushort.value(0), ushort.value(1), ushort.value(2)],
        [0, 40000, 65535]
    );
    let long = col!(b, 5, Int64Array);
    assert_eq!(long.value(0), i64::MAX);
    assert_eq!(long.value(1), -9_007_199_254_740_993);
    let ra = col!(b, 6, Float64Array);
    assert_eq!(ra.value(0), 10.684708);
    assert!(ra.is_null(1), "NaN is null in FITS");
    assert!(col!(b, 7, Float32Array).is_null(2));
    let name = col!(b, 8, StringArray);
    assert_eq!(name.value(1), "NGC 224");
    let pos = col!(b, 9, ListArray);
    let p2 = pos.value(2);
    let p2 = p2.as_any().downcast_ref::<Float64Array>().unwrap();
    assert_eq!(p2.values().as_ref(), [359.9, -89.5]);
}

#[test]
fn small_batches_and_row_limits() {
    let options = ReadOptions {
        batch_rows: 2,
        ..ReadOptions::default()
    };
    let (_, batches) = read_all(&sample(), &options).unwrap();
    assert_eq!(
        batches
            .iter()
            .map(RecordBatch::num_rows)
            .collect::<Vec<_>>(),
        [2, 1]
    );
    let limited = ReadOptions {
        max_rows: Some(2),
        source: Some("t.fits".into()),
        ..ReadOptions::default()
    };
    let err = read_all(&sample(), &limited).unwrap_err().to_string();
    assert!(
        err.contains("t.fits") && err.contains("limit of 2"),
        "{err}"
    );
}

#[test]
fn truncated_tables_are_errors_naming_the_row() {
    let bytes = sample();
    // The 162 bytes of data (3 rows of 54) fill the last block.
    let data_start = bytes.len() - 2880;
    let cut = &bytes[..data_start + 54 + 10];
    let options = ReadOptions {
        batch_rows: 1,
        source: Some("cut.fits".into()),
        ..ReadOptions::default()
    };
    let err = read_all(cut, &options).unwrap_err().to_string();
    assert!(err.contains("cut.fits, row 2"), "{err}");
}

#[test]
fn iue_spectrum_table_from_pyvo_is_read() {
    let bytes = std::fs::read(shared_data(
        "votable-fixtures/pyvo/dal/tests/data/mimetype/test.fits",
    ))
    .unwrap();
    let (meta, batches) = read_all(&bytes, &ReadOptions::default()).unwrap();
    assert_eq!(meta.rows, 1);
    assert_eq!(meta.name.as_deref(), Some("IUE MELO"));
    assert_eq!(meta.fields.len(), 9);
    assert_eq!(meta.fields[2].name, "LAMBDA");
    assert_eq!(meta.fields[2].unit.as_deref(), Some("ANGSTROM"));
    assert_eq!(meta.fields[4].arraysize.as_deref(), Some("376"));
    let b = &batches[0];
    assert_eq!(col!(b, 1, Int16Array).value(0), 376);
    assert_eq!(col!(b, 2, Float32Array).value(0), 1000.8);
    let gross = col!(b, 4, ListArray).value(0);
    let gross = gross.as_any().downcast_ref::<Float32Array>().unwrap();
    assert_eq!(gross.len(), 376);
    assert_eq!(gross.value(0), 19286.426);
}

#[test]
fn image_headers_are_read_without_their_pixels() {
    let bytes = std::fs::read(shared_data("sia/j94f05bgq_flt.fits")).unwrap();
    let headers = read_headers(bytes.as_slice(), Some("j94f05bgq_flt.fits")).unwrap();
    assert_eq!(headers.len(), 7);
    assert_eq!(headers[1].text("EXTNAME"), Some("SCI"));
    assert!(headers[1].real("CRVAL1").is_some());
    let m13 = std::fs::read(shared_data("sia/m13.fits")).unwrap();
    let h = &read_headers(m13.as_slice(), None).unwrap()[0];
    assert_eq!(h.integer("NAXIS1"), Some(300));
    assert_eq!(h.logical("SIMPLE"), Some(true));
    // A table file's primary header has no BINTABLE: the reader says so.
    let err = read_all(&m13, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("no BINTABLE"), "{err}");
}

#[test]
fn header_text_files_parse() {
    let text = std::fs::read(shared_data("sia/2MASS_k_header")).unwrap();
    let h = Header::parse(&text).unwrap();
    assert_eq!(h.integer("WCSAXES"), Some(2));
    assert_eq!(h.real("CRPIX1"), Some(361.0));
    assert_eq!(h.real("CDELT1"), Some(-0.001388889));
}
