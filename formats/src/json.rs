//! A streamed JSON result:
//!
//! ```json
//! {"columns":[{"name":"id","datatype":"long"},…],
//!  "data":[[1,"M 31",10.68],…],
//!  "query_status":"OK"}
//! ```
//!
//! `columns` carries each FIELD's metadata (absent attributes are left out); `data` holds rows
//! as arrays in column order. 64-bit integers are written as exact JSON integers (a reader
//! that parses numbers as doubles will round values past 2^53 — that is the reader's choice);
//! NaN and infinities, which JSON cannot express, are `null`, like real nulls. The status comes
//! last, since it is known last: `"OK"`, `"OVERFLOW"`, or `"ERROR"` with an `"error"` message.

use std::io::Write;

use arrow_array::RecordBatch;

use crate::ResultEncoder;
use crate::cells::{Cell, Num, batch_cells, push_f32, push_f64, push_i64, push_instant};
use crate::document::EndStatus;
use crate::error::FormatError;
use crate::field::FieldMeta;

const FLUSH_AT: usize = 64 * 1024;

pub(crate) struct JsonEncoder {
    out: Box<dyn Write + Send>,
    names: Vec<String>,
    buf: Vec<u8>,
    rows: u64,
}

impl JsonEncoder {
    pub fn new(out: Box<dyn Write + Send>, fields: Vec<FieldMeta>) -> Result<Self, FormatError> {
        let mut buf = Vec::with_capacity(FLUSH_AT + 4096);
        buf.extend_from_slice(b"{\"columns\":[");
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                buf.push(b',');
            }
            buf.push(b'{');
            push_member(&mut buf, "name", &f.name, true);
            push_member(&mut buf, "datatype", f.datatype.as_str(), false);
            let optional = [
                ("arraysize", &f.arraysize),
                ("xtype", &f.xtype),
                ("unit", &f.unit),
                ("ucd", &f.ucd),
                ("utype", &f.utype),
                ("description", &f.description),
            ];
            for (key, value) in optional {
                if let Some(v) = value {
                    push_member(&mut buf, key, v, false);
                }
            }
            buf.push(b'}');
        }
        buf.extend_from_slice(b"],\n\"data\":[");
        let mut out = out;
        out.write_all(&buf)?;
        buf.clear();
        Ok(JsonEncoder {
            out,
            names: fields.into_iter().map(|f| f.name).collect(),
            buf,
            rows: 0,
        })
    }
}

fn push_member(out: &mut Vec<u8>, key: &str, value: &str, first: bool) {
    if !first {
        out.push(b',');
    }
    push_json_string(out, key);
    out.push(b':');
    push_json_string(out, value);
}

/// Appends a JSON string literal (RFC 8259 §7).
pub(crate) fn push_json_string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    for &b in s.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1F => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xF)]);
            }
            b => out.push(b),
        }
    }
    out.push(b'"');
}

fn push_json_f64(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        push_f64(out, v);
    } else {
        out.extend_from_slice(b"null");
    }
}

fn push_json_cell(out: &mut Vec<u8>, cell: Cell<'_>) {
    match cell {
        Cell::Null => out.extend_from_slice(b"null"),
        Cell::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
        Cell::Int(v) => push_i64(out, v),
        Cell::Float32(v) if v.is_finite() => push_f32(out, v),
        Cell::Float32(_) => out.extend_from_slice(b"null"),
        Cell::Float64(v) => push_json_f64(out, v),
        Cell::Str(s) => push_json_string(out, s),
        Cell::Time(t) => {
            out.push(b'"');
            push_instant(out, t);
            out.push(b'"');
        }
        Cell::Array(a) => {
            out.push(b'[');
            for i in 0..a.len() {
                if i > 0 {
                    out.push(b',');
                }
                match a.get(i) {
                    Num::Int(v) => push_i64(out, v),
                    Num::Float32(v) if v.is_finite() => push_f32(out, v),
                    Num::Float32(_) | Num::Null => out.extend_from_slice(b"null"),
                    Num::Float64(v) => push_json_f64(out, v),
                }
            }
            out.push(b']');
        }
    }
}

impl ResultEncoder for JsonEncoder {
    fn write_batch(&mut self, batch: &RecordBatch) -> Result<(), FormatError> {
        let columns = batch_cells(batch, &self.names)?;
        for row in 0..batch.num_rows() {
            if self.rows > 0 {
                self.buf.push(b',');
            }
            self.buf.extend_from_slice(b"\n[");
            for (c, column) in columns.iter().enumerate() {
                if c > 0 {
                    self.buf.push(b',');
                }
                push_json_cell(&mut self.buf, column.cell(row));
            }
            self.buf.push(b']');
            self.rows += 1;
            if self.buf.len() >= FLUSH_AT {
                self.out.write_all(&self.buf)?;
                self.buf.clear();
            }
        }
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()?;
        Ok(())
    }

    fn finish(mut self: Box<Self>, end: EndStatus) -> Result<(), FormatError> {
        self.buf.extend_from_slice(b"\n],\n");
        push_member(&mut self.buf, "query_status", end.query_status(), true);
        if let EndStatus::Error(message) = &end {
            push_member(&mut self.buf, "error", message, false);
        }
        self.buf.extend_from_slice(b"}\n");
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_for_json() {
        let mut v = Vec::new();
        push_json_string(&mut v, "a\"b\\c\nd\u{1}é");
        assert_eq!(String::from_utf8(v).unwrap(), r#""a\"b\\c\nd\u0001é""#);
    }

    #[test]
    fn non_finite_numbers_are_null() {
        let mut v = Vec::new();
        push_json_cell(&mut v, Cell::Float64(f64::NAN));
        v.push(b' ');
        push_json_cell(&mut v, Cell::Float32(f32::INFINITY));
        v.push(b' ');
        push_json_cell(&mut v, Cell::Int(i64::MAX));
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "null null 9223372036854775807"
        );
    }
}
