//! CSV (`text/csv;header=present`, RFC 4180) and TSV (`text/tab-separated-values`).
//!
//! CSV: a header line of column names, then one line per row, CRLF-terminated as RFC 4180 §2
//! says; a field is quoted (and its quotes doubled) when it holds a comma, a quote, CR or LF,
//! or leading/trailing spaces that a reader might trim. Nulls are empty fields.
//!
//! TSV: the IANA registration forbids tabs in fields and defines no escape. Replacing them
//! would lose data silently, so TAB, LF, CR and backslash are written as `\t`, `\n`, `\r`,
//! `\\` — the convention of PostgreSQL's and MySQL's text formats, which undoes exactly.
//! Lines end with LF. Nulls are empty fields.
//!
//! Neither format can carry OVERFLOW or a late error (DALI 1.1 §4.4.1): the rows simply stop.

use std::io::Write;

use arrow_array::RecordBatch;

use crate::ResultEncoder;
use crate::cells::{Cell, batch_cells, push_text};
use crate::document::EndStatus;
use crate::error::FormatError;
use crate::field::FieldMeta;

const FLUSH_AT: usize = 64 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Csv,
    Tsv,
}

pub(crate) struct DelimitedEncoder {
    out: Box<dyn Write + Send>,
    dialect: Dialect,
    names: Vec<String>,
    buf: Vec<u8>,
    cell: Vec<u8>,
}

impl DelimitedEncoder {
    pub fn csv(out: Box<dyn Write + Send>, fields: Vec<FieldMeta>) -> Result<Self, FormatError> {
        Self::new(out, fields, Dialect::Csv)
    }

    pub fn tsv(out: Box<dyn Write + Send>, fields: Vec<FieldMeta>) -> Result<Self, FormatError> {
        Self::new(out, fields, Dialect::Tsv)
    }

    fn new(
        out: Box<dyn Write + Send>,
        fields: Vec<FieldMeta>,
        dialect: Dialect,
    ) -> Result<Self, FormatError> {
        let mut encoder = DelimitedEncoder {
            out,
            dialect,
            names: fields.into_iter().map(|f| f.name).collect(),
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            cell: Vec::new(),
        };
        for i in 0..encoder.names.len() {
            if i > 0 {
                encoder.buf.push(encoder.separator());
            }
            let name = std::mem::take(&mut encoder.names[i]);
            encoder.push_field(name.as_bytes());
            encoder.names[i] = name;
        }
        encoder.end_line();
        encoder.out.write_all(&encoder.buf)?;
        encoder.buf.clear();
        Ok(encoder)
    }

    fn separator(&self) -> u8 {
        match self.dialect {
            Dialect::Csv => b',',
            Dialect::Tsv => b'\t',
        }
    }

    fn end_line(&mut self) {
        match self.dialect {
            Dialect::Csv => self.buf.extend_from_slice(b"\r\n"),
            Dialect::Tsv => self.buf.push(b'\n'),
        }
    }

    fn push_field(&mut self, text: &[u8]) {
        match self.dialect {
            Dialect::Csv => push_csv_field(&mut self.buf, text),
            Dialect::Tsv => push_tsv_field(&mut self.buf, text),
        }
    }
}

fn push_csv_field(out: &mut Vec<u8>, text: &[u8]) {
    let quote = text
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
        || text.first() == Some(&b' ')
        || text.last() == Some(&b' ');
    if !quote {
        out.extend_from_slice(text);
        return;
    }
    out.push(b'"');
    for &b in text {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

fn push_tsv_field(out: &mut Vec<u8>, text: &[u8]) {
    for &b in text {
        match b {
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b => out.push(b),
        }
    }
}

impl ResultEncoder for DelimitedEncoder {
    fn write_batch(&mut self, batch: &RecordBatch) -> Result<(), FormatError> {
        let columns = batch_cells(batch, &self.names)?;
        let sep = self.separator();
        for row in 0..batch.num_rows() {
            for (c, column) in columns.iter().enumerate() {
                if c > 0 {
                    self.buf.push(sep);
                }
                match column.cell(row) {
                    Cell::Null => {}
                    // Only strings can need quoting or escaping.
                    Cell::Str(s) => {
                        let text = s.as_bytes();
                        match self.dialect {
                            Dialect::Csv => push_csv_field(&mut self.buf, text),
                            Dialect::Tsv => push_tsv_field(&mut self.buf, text),
                        }
                    }
                    other => {
                        self.cell.clear();
                        push_text(&mut self.cell, other);
                        self.buf.extend_from_slice(&self.cell);
                    }
                }
            }
            self.end_line();
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

    fn finish(mut self: Box<Self>, _end: EndStatus) -> Result<(), FormatError> {
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(s: &str) -> String {
        let mut v = Vec::new();
        push_csv_field(&mut v, s.as_bytes());
        String::from_utf8(v).unwrap()
    }

    fn tsv(s: &str) -> String {
        let mut v = Vec::new();
        push_tsv_field(&mut v, s.as_bytes());
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv("M 31"), "M 31");
        assert_eq!(csv("a,b"), "\"a,b\"");
        assert_eq!(csv("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv(" padded"), "\" padded\"");
    }

    #[test]
    fn tsv_escapes_separators() {
        assert_eq!(tsv("a\tb\nc\\d\re"), "a\\tb\\nc\\\\d\\re");
        assert_eq!(tsv("plain"), "plain");
    }
}
