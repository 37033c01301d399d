//! FITS binary tables (FITS Standard 4.0 §7.3) into Arrow batches.
//!
//! A row is NAXIS1 bytes of big-endian fields, the same layout as a VOTable BINARY row of
//! fixed-size cells, so the cells go through the VOTable BINARY column readers: NaN floats,
//! logical 0 bytes and TNULLn values become nulls. The unsigned conventions (TZEROn = 2^15,
//! 2^31 on I, J; −128 on B) become the next wider signed type; other TSCALn/TZEROn give
//! doubles. Supported TFORMn codes: L, B, I, J, K, A, E, D with any repeat count; X, C, M and
//! the variable-length P, Q are refused, naming the column.

use std::io::Read;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::Schema;

use crate::error::{Location, ReadError};
use crate::field::{Datatype, FieldMeta};
use crate::fits::header::{Header, skip};
use crate::votable::builders::ColumnReader;
use crate::votable::{ReadOptions, TableMeta};

/// How a column's stored bytes become the bytes its reader expects.
enum Conversion {
    /// The bytes are read as they are.
    Direct,
    /// Character data: FITS pads with blanks, which are not part of the value (§7.3.3.1).
    TrimBlanks,
    /// An integer with an offset into a wider type (unsigned conventions, signed bytes).
    Offset {
        width: usize,
        zero: i64,
        out: Datatype,
    },
    /// An integer or float scaled to a double: `zero + scale × stored`.
    Scaled {
        stored: Datatype,
        scale: f64,
        zero: f64,
        null: Option<i64>,
    },
}

struct Column {
    /// Byte offset in the row.
    offset: usize,
    /// Bytes stored in the row.
    width: usize,
    conversion: Conversion,
    reader: ColumnReader,
}

/// Reads the first BINTABLE extension of a FITS file, handing its rows to `sink` in batches.
/// The FIELDs carry TTYPEn (name), TUNITn, TUCDn and TCOMMn (description); the table name is
/// EXTNAME.
pub fn read_bintable<R, F, E>(
    mut input: R,
    options: &ReadOptions,
    mut sink: F,
) -> Result<TableMeta, ReadError>
where
    R: Read,
    F: FnMut(RecordBatch) -> Result<(), E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let at = |row: Option<u64>, column: Option<&str>| Location {
        source: options.source.clone(),
        row,
        column: column.map(str::to_string),
        byte: None,
    };
    let invalid = |m: String| ReadError::invalid(at(None, None), m);
    let header = loop {
        let header = Header::read_from(&mut input)
            .map_err(&invalid)?
            .ok_or_else(|| invalid("no BINTABLE extension in the file".into()))?;
        if header.text("XTENSION") == Some("BINTABLE") {
            break header;
        }
        let size = header.data_bytes().map_err(&invalid)?;
        skip(&mut input, size).map_err(|e| invalid(e.to_string()))?;
    };
    let row_bytes = usize::try_from(
        header
            .integer("NAXIS1")
            .ok_or_else(|| invalid("no NAXIS1".into()))?,
    )
    .map_err(|_| invalid("bad NAXIS1".into()))?;
    let rows = u64::try_from(
        header
            .integer("NAXIS2")
            .ok_or_else(|| invalid("no NAXIS2".into()))?,
    )
    .map_err(|_| invalid("bad NAXIS2".into()))?;
    let tfields = header
        .integer("TFIELDS")
        .ok_or_else(|| invalid("no TFIELDS".into()))?;
    if let Some(max) = options.max_rows
        && rows > max
    {
        return Err(ReadError::Limit {
            at: at(None, None),
            message: format!("the table has {rows} rows, more than the limit of {max}"),
        });
    }
    let mut fields = Vec::new();
    let mut columns = Vec::new();
    let mut offset = 0usize;
    for n in 1..=tfields {
        let (field, column) = column(&header, n, offset).map_err(&invalid)?;
        offset += column.width;
        fields.push(field);
        columns.push(column);
    }
    if offset != row_bytes {
        return Err(invalid(format!(
            "the TFORMn widths add up to {offset} bytes, NAXIS1 is {row_bytes}"
        )));
    }
    let schema = Arc::new(Schema::new(
        fields
            .iter()
            .map(FieldMeta::arrow_field)
            .collect::<Vec<_>>(),
    ));
    let batch_rows = options.batch_rows.max(1);
    let mut chunk = vec![0u8; row_bytes * batch_rows];
    let mut scratch = Vec::new();
    let mut done = 0u64;
    while done < rows {
        let n = batch_rows.min((rows - done) as usize);
        let bytes = &mut chunk[..n * row_bytes];
        input.read_exact(bytes).map_err(|e| ReadError::Io {
            at: at(Some(done + 1), None),
            source: e,
        })?;
        for r in 0..n {
            let row = &bytes[r * row_bytes..(r + 1) * row_bytes];
            for (column, field) in columns.iter_mut().zip(&fields) {
                let cell = &row[column.offset..column.offset + column.width];
                push_cell(column, cell, &mut scratch).map_err(|m| {
                    ReadError::invalid(at(Some(done + r as u64 + 1), Some(&field.name)), m)
                })?;
            }
        }
        let arrays = columns.iter_mut().map(|c| c.reader.finish()).collect();
        let batch =
            RecordBatch::try_new(schema.clone(), arrays).map_err(|source| ReadError::Arrow {
                at: at(Some(done + 1), None),
                source,
            })?;
        sink(batch).map_err(|e| ReadError::Sink(e.into()))?;
        done += n as u64;
    }
    // The heap (PCOUNT) and the block padding are not needed: the rest is not read.
    Ok(TableMeta {
        name: header.text("EXTNAME").map(str::to_string),
        description: None,
        fields,
        rows,
    })
}

fn push_cell(column: &mut Column, cell: &[u8], scratch: &mut Vec<u8>) -> Result<(), String> {
    match &column.conversion {
        Conversion::Direct => column.reader.push_binary(cell, false, false),
        Conversion::TrimBlanks => {
            let end = cell
                .iter()
                .rposition(|&b| b != b' ' && b != 0)
                .map_or(0, |i| i + 1);
            scratch.clear();
            scratch.extend_from_slice(&cell[..end]);
            scratch.resize(cell.len(), 0);
            column.reader.push_binary(scratch, false, false)
        }
        Conversion::Offset { width, zero, out } => {
            scratch.clear();
            for raw in cell.chunks_exact(*width) {
                let v = read_int(raw) + zero;
                match out {
                    Datatype::Short => scratch.extend_from_slice(&(v as i16).to_be_bytes()),
                    Datatype::Int => scratch.extend_from_slice(&(v as i32).to_be_bytes()),
                    _ => scratch.extend_from_slice(&v.to_be_bytes()),
                }
            }
            column.reader.push_binary(scratch, false, false)
        }
        Conversion::Scaled {
            stored,
            scale,
            zero,
            null,
        } => {
            scratch.clear();
            let width = stored.byte_width();
            for raw in cell.chunks_exact(width) {
                let physical = match stored {
                    Datatype::Float => {
                        f64::from(f32::from_be_bytes(raw.try_into().map_err(|_| "bad width")?))
                    }
                    Datatype::Double => {
                        f64::from_be_bytes(raw.try_into().map_err(|_| "bad width")?)
                    }
                    _ => {
                        let v = read_int(raw);
                        if *null == Some(v) { f64::NAN } else { v as f64 }
                    }
                };
                scratch.extend_from_slice(&(zero + scale * physical).to_be_bytes());
            }
            column.reader.push_binary(scratch, false, false)
        }
    }
}

/// A big-endian signed integer of 1 (unsigned byte), 2, 4 or 8 bytes.
fn read_int(raw: &[u8]) -> i64 {
    match raw.len() {
        1 => i64::from(raw[0]),
        2 => i64::from(i16::from_be_bytes([raw[0], raw[1]])),
        4 => i64::from(i32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]])),
        _ => {
            let mut b = [0u8; 8];
            b.copy_from_slice(&raw[..8]);
            i64::from_be_bytes(b)
        }
    }
}

/// The FIELD and reader of column `n`.
fn column(header: &Header, n: i64, offset: usize) -> Result<(FieldMeta, Column), String> {
    let key = |k: &str| format!("{k}{n}");
    let name = header
        .text(&key("TTYPE"))
        .filter(|s| !s.is_empty())
        .map_or_else(|| format!("col{n}"), str::to_string);
    let tform = header
        .text(&key("TFORM"))
        .ok_or_else(|| format!("column {n} ({name:?}) has no TFORM{n}"))?;
    let digits = tform.chars().take_while(char::is_ascii_digit).count();
    let repeat: usize = if digits == 0 {
        1
    } else {
        tform[..digits]
            .parse()
            .map_err(|_| format!("column {name:?}: bad TFORM{n} {tform:?}"))?
    };
    let code = tform[digits..].chars().next().unwrap_or(' ');
    let stored = match code {
        'L' => Datatype::Boolean,
        'B' => Datatype::UnsignedByte,
        'I' => Datatype::Short,
        'J' => Datatype::Int,
        'K' => Datatype::Long,
        'A' => Datatype::Char,
        'E' => Datatype::Float,
        'D' => Datatype::Double,
        other => {
            return Err(format!(
                "column {name:?}: TFORM{n} {tform:?} ({other}) is not supported"
            ));
        }
    };
    let width = stored.byte_width() * repeat;
    let scale = header.real(&key("TSCAL")).unwrap_or(1.0);
    let zero = header.real(&key("TZERO")).unwrap_or(0.0);
    let tnull = header.integer(&key("TNULL"));
    let (datatype, conversion, null) = match (stored, scale, zero) {
        (Datatype::Char, _, _) => (Datatype::Char, Conversion::TrimBlanks, None),
        (_, s, z) if s == 1.0 && z == 0.0 => (stored, Conversion::Direct, tnull),
        (Datatype::UnsignedByte, 1.0, -128.0) => offset_to(1, -128, Datatype::Short, tnull),
        (Datatype::Short, 1.0, 32768.0) => offset_to(2, 32768, Datatype::Int, tnull),
        (Datatype::Int, 1.0, 2_147_483_648.0) => offset_to(4, 2_147_483_648, Datatype::Long, tnull),
        (Datatype::Long, 1.0, _) if zero == 9_223_372_036_854_775_808.0 => {
            return Err(format!(
                "column {name:?}: unsigned 64-bit integers (TZERO{n} = 2^63) are not supported"
            ));
        }
        (Datatype::Boolean, _, _) => (Datatype::Boolean, Conversion::Direct, None),
        _ => (
            Datatype::Double,
            Conversion::Scaled {
                stored,
                scale,
                zero,
                null: tnull,
            },
            None,
        ),
    };
    let mut field = FieldMeta::new(name, datatype);
    if repeat != 1 || datatype == Datatype::Char {
        field.arraysize = Some(repeat.to_string());
    }
    let nonempty = |k: String| {
        header
            .text(&k)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    field.unit = nonempty(key("TUNIT"));
    field.ucd = nonempty(key("TUCD"));
    field.description = nonempty(key("TCOMM"));
    let reader =
        ColumnReader::new(&field, null).map_err(|m| format!("column {:?}: {m}", field.name))?;
    let column = Column {
        offset,
        width,
        conversion,
        reader,
    };
    Ok((field, column))
}

fn offset_to(
    width: usize,
    zero: i64,
    out: Datatype,
    tnull: Option<i64>,
) -> (Datatype, Conversion, Option<i64>) {
    (
        out,
        Conversion::Offset { width, zero, out },
        tnull.map(|t| t + zero),
    )
}
