//! The streaming VOTable encoder: TABLEDATA, BINARY and BINARY2 straight from Arrow batches.
//!
//! Our own rather than the `votable` crate's writer: that crate builds a table of one enum
//! per cell in memory before writing, which is neither flat in memory nor fast, and 0.7.0 no
//! longer compiles against current serde. Here each batch is turned into bytes and written
//! out before the next one is asked for.

use std::io::Write;

use arrow_array::RecordBatch;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::cells::{Cell, ColumnCells, batch_cells, push_text};
use crate::document::{DocumentInfo, EndStatus};
use crate::error::FormatError;
use crate::field::{Datatype, FieldMeta};
use crate::votable::binary::{BinaryColumn, binary_null_magic, floor_char_boundary};
use crate::votable::xml::{push_escaped, push_head, push_tail};
use crate::{ResultEncoder, Serialization};

/// Bytes buffered before they are written out.
const FLUSH_AT: usize = 64 * 1024;
/// Raw bytes per base64 line: 57 bytes make a 76-character line (RFC 2045).
const B64_LINE: usize = 57;

pub(crate) struct VotableEncoder {
    out: Box<dyn Write + Send>,
    serialization: Serialization,
    names: Vec<String>,
    /// TABLEDATA: how to cut strings to a bounded arraysize.
    text_bounds: Vec<Option<TextBound>>,
    /// TABLEDATA: what a null cell holds (`NaN …` for fixed-size float arrays, else nothing).
    null_cells: Vec<Vec<u8>>,
    binary: Vec<BinaryColumn>,
    /// XML text waiting to be written.
    text: Vec<u8>,
    /// BINARY/BINARY2 bytes not yet base64-encoded (always less than a line after a flush).
    raw: Vec<u8>,
    rows: u64,
}

#[derive(Clone, Copy)]
struct TextBound {
    max: usize,
    unicode: bool,
}

impl VotableEncoder {
    pub fn new(
        out: Box<dyn Write + Send>,
        serialization: Serialization,
        fields: Vec<FieldMeta>,
        doc: &DocumentInfo,
    ) -> Result<Self, FormatError> {
        let null_values: Vec<Option<i64>> = fields
            .iter()
            .map(|f| match serialization {
                Serialization::Binary => binary_null_magic(f),
                _ => None,
            })
            .collect();
        let binary = fields
            .iter()
            .zip(&null_values)
            .map(|(f, n)| BinaryColumn::new(f, *n, serialization == Serialization::Binary2))
            .collect::<Result<Vec<_>, _>>()?;
        let text_bounds = fields
            .iter()
            .map(|f| {
                let max = f.shape().ok().flatten().and_then(|s| s.max_count());
                match (f.datatype.is_character(), f.arraysize.is_some(), max) {
                    (true, true, Some(max)) => Some(TextBound {
                        max,
                        unicode: f.datatype == Datatype::UnicodeChar,
                    }),
                    _ => None,
                }
            })
            .collect();
        let null_cells = fields.iter().map(null_cell).collect();
        let mut text = Vec::with_capacity(FLUSH_AT + 4096);
        push_head(&mut text, &fields, &null_values, doc, &EndStatus::Ok);
        text.extend_from_slice(match serialization {
            Serialization::Tabledata => b"<DATA><TABLEDATA>\n".as_slice(),
            Serialization::Binary => b"<DATA><BINARY><STREAM encoding=\"base64\">\n",
            Serialization::Binary2 => b"<DATA><BINARY2><STREAM encoding=\"base64\">\n",
        });
        let mut encoder = VotableEncoder {
            out,
            serialization,
            names: fields.iter().map(|f| f.name.clone()).collect(),
            text_bounds,
            null_cells,
            binary,
            text,
            raw: Vec::with_capacity(FLUSH_AT + B64_LINE),
            rows: 0,
        };
        // The metadata goes out at once: a client sees the FIELDs before the first row.
        encoder.flush_text()?;
        Ok(encoder)
    }

    fn flush_text(&mut self) -> Result<(), FormatError> {
        self.out.write_all(&self.text)?;
        self.text.clear();
        Ok(())
    }

    fn write_tabledata_rows(
        &mut self,
        columns: &[ColumnCells<'_>],
        rows: usize,
    ) -> Result<(), FormatError> {
        for row in 0..rows {
            let row_start = self.text.len();
            self.text.extend_from_slice(b"<TR>");
            for (c, column) in columns.iter().enumerate() {
                let cell = column.cell(row);
                if matches!(cell, Cell::Null) {
                    if self.null_cells[c].is_empty() {
                        self.text.extend_from_slice(b"<TD/>");
                    } else {
                        self.text.extend_from_slice(b"<TD>");
                        self.text.extend_from_slice(&self.null_cells[c]);
                        self.text.extend_from_slice(b"</TD>");
                    }
                    continue;
                }
                self.text.extend_from_slice(b"<TD>");
                match (cell, self.text_bounds[c]) {
                    (Cell::Str(s), bound) => push_escaped(&mut self.text, bounded(s, bound)),
                    (Cell::Array(_), Some(_)) => {
                        self.text.truncate(row_start);
                        return Err(FormatError::Value {
                            column: self.names[c].clone(),
                            row: self.rows + row as u64 + 1,
                            message: "array value in a string column".into(),
                        });
                    }
                    // Numbers, booleans, timestamps: nothing to escape.
                    (other, _) => push_text(&mut self.text, other),
                }
                self.text.extend_from_slice(b"</TD>");
            }
            self.text.extend_from_slice(b"</TR>\n");
            if self.text.len() >= FLUSH_AT {
                self.flush_text()?;
            }
        }
        Ok(())
    }

    fn write_binary_rows(
        &mut self,
        columns: &[ColumnCells<'_>],
        rows: usize,
    ) -> Result<(), FormatError> {
        let flag_bytes = columns.len().div_ceil(8);
        let with_flags = self.serialization == Serialization::Binary2;
        for row in 0..rows {
            let row_start = self.raw.len();
            if with_flags {
                self.raw.resize(row_start + flag_bytes, 0);
            }
            for (c, column) in columns.iter().enumerate() {
                let cell = column.cell(row);
                if with_flags && matches!(cell, Cell::Null) {
                    // §5.4: most significant bit of the first byte is the first column.
                    self.raw[row_start + c / 8] |= 0x80 >> (c % 8);
                }
                let row_number = self.rows + row as u64 + 1;
                if let Err(e) = self.binary[c].write(&mut self.raw, cell, row_number) {
                    self.raw.truncate(row_start);
                    return Err(e);
                }
            }
            if self.raw.len() >= FLUSH_AT {
                self.encode_base64(false);
                self.flush_text()?;
            }
        }
        Ok(())
    }

    /// Moves whole base64 lines from `raw` to `text`; with `last`, the padded remainder too.
    fn encode_base64(&mut self, last: bool) {
        let whole = self.raw.len() / B64_LINE * B64_LINE;
        let take = if last { self.raw.len() } else { whole };
        let mut line = [0u8; 80];
        for chunk in self.raw[..take].chunks(B64_LINE) {
            // A 57-byte chunk encodes to 76 characters, which always fit.
            let n = STANDARD.encode_slice(chunk, &mut line).unwrap_or(0);
            self.text.extend_from_slice(&line[..n]);
            self.text.push(b'\n');
        }
        self.raw.drain(..take);
    }
}

/// The TABLEDATA text of a null cell. An empty TD is null (VOTable 1.4 §5.1), but for
/// fixed-size float arrays (DALI points, circles) we write one NaN per element: §5.5 makes
/// NaN and null equivalent for floats, and validators (STIL votlint 3.4) reject a fixed-size
/// array cell with no elements, or an xtype'd one with no value. Readers see an all-NaN
/// fixed-size array as null.
fn null_cell(field: &FieldMeta) -> Vec<u8> {
    let fixed = field.shape().ok().flatten().and_then(|s| s.fixed_count());
    match (field.datatype, fixed) {
        (Datatype::Float | Datatype::Double, Some(n)) if n > 0 => {
            vec!["NaN"; n].join(" ").into_bytes()
        }
        _ => Vec::new(),
    }
}

/// Cuts a string to a bounded char/unicodeChar arraysize, at a character boundary, so that
/// TABLEDATA holds the same value as BINARY.
fn bounded(s: &str, bound: Option<TextBound>) -> &str {
    match bound {
        Some(TextBound {
            max,
            unicode: false,
        }) if s.len() > max => &s[..floor_char_boundary(s, max)],
        Some(TextBound { max, unicode: true }) => match s.char_indices().nth(max) {
            Some((i, _)) => &s[..i],
            None => s,
        },
        _ => s,
    }
}

impl ResultEncoder for VotableEncoder {
    fn write_batch(&mut self, batch: &RecordBatch) -> Result<(), FormatError> {
        let columns = batch_cells(batch, &self.names)?;
        let rows = batch.num_rows();
        let result = match self.serialization {
            Serialization::Tabledata => self.write_tabledata_rows(&columns, rows),
            Serialization::Binary | Serialization::Binary2 => {
                let r = self.write_binary_rows(&columns, rows);
                self.encode_base64(false);
                r
            }
        };
        result?;
        self.rows += rows as u64;
        self.flush_text()?;
        self.out.flush()?;
        Ok(())
    }

    fn finish(mut self: Box<Self>, end: EndStatus) -> Result<(), FormatError> {
        match self.serialization {
            Serialization::Tabledata => self.text.extend_from_slice(b"</TABLEDATA></DATA>\n"),
            Serialization::Binary => {
                self.encode_base64(true);
                self.text.extend_from_slice(b"</STREAM></BINARY></DATA>\n");
            }
            Serialization::Binary2 => {
                self.encode_base64(true);
                self.text.extend_from_slice(b"</STREAM></BINARY2></DATA>\n");
            }
        }
        push_tail(&mut self.text, Some(&end));
        self.flush_text()?;
        self.out.flush()?;
        Ok(())
    }
}
