//! A streaming VOTable reader: the first TABLE's FIELDs become [`FieldMeta`], its rows become
//! Arrow batches handed to a sink as they fill. TABLEDATA, BINARY and BINARY2 (inline base64
//! STREAMs) are read; FITS-in-VOTable and remote STREAMs are refused with a clear error.
//!
//! Memory stays flat in the input's size: TABLEDATA is read element by element, and a base64
//! STREAM is decoded straight from the underlying reader in small chunks (quick-xml's binary
//! stream), never held as one text node.
//!
//! Not the `votable` crate: 0.7.0 does not build against current serde, and it deserializes a
//! whole table into one enum per cell, where we want Arrow columns filled as rows arrive.

use std::io::{BufRead, Read};
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use crate::error::{Location, ReadError};
use crate::field::{Datatype, FieldMeta};
use crate::votable::builders::ColumnReader;

/// Limits and naming for [`read`].
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Named in error messages (a file name, or an upload's table name).
    pub source: Option<String>,
    /// Most data rows accepted.
    pub max_rows: Option<u64>,
    /// Most bytes of input read.
    pub max_bytes: Option<u64>,
    /// Rows per Arrow batch handed to the sink.
    pub batch_rows: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            source: None,
            max_rows: None,
            max_bytes: None,
            batch_rows: 8192,
        }
    }
}

/// What was read besides the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct TableMeta {
    pub name: Option<String>,
    pub description: Option<String>,
    pub fields: Vec<FieldMeta>,
    /// The number of rows handed to the sink.
    pub rows: u64,
}

/// Reads the first TABLE of a VOTable document, handing its rows to `sink` in batches whose
/// columns follow [`FieldMeta::arrow_type`].
pub fn read<R, F, E>(input: R, options: &ReadOptions, mut sink: F) -> Result<TableMeta, ReadError>
where
    R: BufRead,
    F: FnMut(RecordBatch) -> Result<(), E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let limited = Limited {
        inner: input,
        read: 0,
        max: options.max_bytes,
    };
    let mut parser = Parser {
        xml: quick_xml::Reader::from_reader(limited),
        options,
        buf: Vec::new(),
        query_error: None,
    };
    parser.run(&mut |batch| sink(batch).map_err(|e| ReadError::Sink(e.into())))
}

/// Counts bytes and stops at the limit.
struct Limited<R> {
    inner: R,
    read: u64,
    max: Option<u64>,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count(n)?;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Limited<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.max.is_some_and(|m| self.read > m) {
            return Err(std::io::Error::other(LIMIT_MESSAGE));
        }
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.read += amt as u64;
        self.inner.consume(amt);
    }
}

impl<R> Limited<R> {
    fn count(&mut self, n: usize) -> std::io::Result<()> {
        self.read += n as u64;
        if self.max.is_some_and(|m| self.read > m) {
            return Err(std::io::Error::other(LIMIT_MESSAGE));
        }
        Ok(())
    }
}

const LIMIT_MESSAGE: &str = "input byte limit";

struct Parser<'o, R> {
    xml: quick_xml::Reader<Limited<R>>,
    options: &'o ReadOptions,
    buf: Vec<u8>,
    /// The message of an `INFO name="QUERY_STATUS" value="ERROR"`, reported if no TABLE follows.
    query_error: Option<String>,
}

type Sink<'s> = dyn FnMut(RecordBatch) -> Result<(), ReadError> + 's;

/// The table being read.
struct Table {
    meta: TableMeta,
    columns: Vec<ColumnReader>,
    schema: Option<Arc<Schema>>,
    /// Rows in the builders, not yet handed over.
    pending: usize,
}

impl<R: BufRead> Parser<'_, R> {
    fn at(&self) -> Location {
        Location {
            source: self.options.source.clone(),
            byte: Some(self.xml.buffer_position()),
            ..Location::default()
        }
    }

    fn at_row(&self, row: u64, column: Option<&str>) -> Location {
        Location {
            source: self.options.source.clone(),
            row: Some(row),
            column: column.map(str::to_string),
            byte: None,
        }
    }

    fn xml_error(&self, e: quick_xml::Error) -> ReadError {
        if let quick_xml::Error::Io(io) = &e
            && io.to_string() == LIMIT_MESSAGE
        {
            return self.limit_bytes();
        }
        ReadError::invalid(self.at(), format!("malformed XML: {e}"))
    }

    fn limit_bytes(&self) -> ReadError {
        ReadError::Limit {
            at: Location {
                source: self.options.source.clone(),
                ..Location::default()
            },
            message: format!(
                "the input is larger than the limit of {} bytes",
                self.options.max_bytes.unwrap_or(0)
            ),
        }
    }

    fn next(&mut self) -> Result<Event<'static>, ReadError> {
        self.buf.clear();
        match self.xml.read_event_into(&mut self.buf) {
            Ok(e) => Ok(e.into_owned()),
            Err(e) => Err(self.xml_error(e)),
        }
    }

    fn run(&mut self, sink: &mut Sink<'_>) -> Result<TableMeta, ReadError> {
        loop {
            match self.next()? {
                Event::Start(e) if e.local_name().as_ref() == "TABLE" => {
                    return self.table(&e, sink);
                }
                Event::Empty(e) if e.local_name().as_ref() == "TABLE" => {
                    return Err(ReadError::invalid(self.at(), "TABLE without FIELDs"));
                }
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "INFO" => {
                    self.note_status(&e)?;
                }
                Event::Eof => {
                    let message = match &self.query_error {
                        Some(m) => format!("no TABLE in the document; QUERY_STATUS=ERROR: {m}"),
                        None => "no TABLE in the document".to_string(),
                    };
                    return Err(ReadError::invalid(self.at(), message));
                }
                _ => {}
            }
        }
    }

    fn note_status(&mut self, e: &BytesStart<'_>) -> Result<(), ReadError> {
        let attrs = self.attributes(e)?;
        let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        if get("name") == Some("QUERY_STATUS") && get("value") == Some("ERROR") {
            self.query_error = Some(String::new());
            if let Event::Text(t) = self.next()? {
                self.query_error = Some(t.xml10_content().trim().to_string());
            }
        }
        Ok(())
    }

    fn attributes(&self, e: &BytesStart<'_>) -> Result<Vec<(String, String)>, ReadError> {
        let mut out = Vec::new();
        for a in e.attributes() {
            let a =
                a.map_err(|err| ReadError::invalid(self.at(), format!("bad attribute: {err}")))?;
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| ReadError::invalid(self.at(), format!("bad attribute: {err}")))?;
            out.push((a.key.local_name().as_ref().to_string(), value.into_owned()));
        }
        Ok(out)
    }

    /// Collects an element's text up to its end tag, resolving entity references.
    fn text_until_end(&mut self) -> Result<String, ReadError> {
        let mut text = String::new();
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::CData(c) => text.push_str(&c.into_inner()),
                Event::GeneralRef(r) => {
                    let resolved = r.resolve_char_ref().map_err(|e| {
                        ReadError::invalid(self.at(), format!("bad reference: {e}"))
                    })?;
                    match resolved {
                        Some(c) => text.push(c),
                        None => {
                            let name = r.xml10_content();
                            let entity = quick_xml::escape::resolve_predefined_entity(&name)
                                .ok_or_else(|| {
                                    ReadError::invalid(
                                        self.at(),
                                        format!("unknown entity &{name};"),
                                    )
                                })?;
                            text.push_str(entity);
                        }
                    }
                }
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return Ok(text),
                Event::End(_) => depth -= 1,
                Event::Eof => {
                    return Err(ReadError::invalid(
                        self.at(),
                        "document ends inside an element",
                    ));
                }
                _ => {}
            }
        }
    }

    fn table(
        &mut self,
        start: &BytesStart<'_>,
        sink: &mut Sink<'_>,
    ) -> Result<TableMeta, ReadError> {
        let attrs = self.attributes(start)?;
        let mut table = Table {
            meta: TableMeta {
                name: attrs
                    .iter()
                    .find(|(k, _)| k == "name")
                    .map(|(_, v)| v.clone()),
                description: None,
                fields: Vec::new(),
                rows: 0,
            },
            columns: Vec::new(),
            schema: None,
            pending: 0,
        };
        loop {
            match self.next()? {
                Event::Start(e) if e.local_name().as_ref() == "FIELD" => {
                    let field = self.field(&e, false, &mut table)?;
                    table.meta.fields.push(field);
                }
                Event::Empty(e) if e.local_name().as_ref() == "FIELD" => {
                    let field = self.field(&e, true, &mut table)?;
                    table.meta.fields.push(field);
                }
                Event::Start(e) if e.local_name().as_ref() == "DESCRIPTION" => {
                    table.meta.description = Some(self.text_until_end()?.trim().to_string());
                }
                Event::Start(e) if e.local_name().as_ref() == "TABLEDATA" => {
                    self.tabledata(&mut table, sink)?;
                }
                Event::Start(e) if e.local_name().as_ref() == "BINARY" => {
                    self.binary(&mut table, false, sink)?;
                }
                Event::Start(e) if e.local_name().as_ref() == "BINARY2" => {
                    self.binary(&mut table, true, sink)?;
                }
                Event::Start(e) | Event::Empty(e)
                    if matches!(e.local_name().as_ref(), "FITS" | "PARQUET") =>
                {
                    return Err(ReadError::invalid(
                        self.at(),
                        "FITS or PARQUET data inside a VOTable is not supported; send TABLEDATA, BINARY or BINARY2",
                    ));
                }
                Event::End(e) if e.local_name().as_ref() == "TABLE" => {
                    self.flush(&mut table, sink)?;
                    if table.meta.fields.is_empty() {
                        return Err(ReadError::invalid(self.at(), "TABLE without FIELDs"));
                    }
                    return Ok(table.meta);
                }
                Event::Eof => {
                    return Err(ReadError::invalid(self.at(), "document ends inside TABLE"));
                }
                _ => {}
            }
        }
    }

    fn field(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
        table: &mut Table,
    ) -> Result<FieldMeta, ReadError> {
        let attrs = self.attributes(e)?;
        let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let name = get("name").ok_or_else(|| {
            ReadError::invalid(
                self.at(),
                format!("FIELD {} has no name", table.meta.fields.len() + 1),
            )
        })?;
        let datatype: Datatype = get("datatype")
            .ok_or_else(|| {
                ReadError::invalid(self.at(), format!("FIELD {name:?} has no datatype"))
            })?
            .parse()
            .map_err(|m| ReadError::invalid(self.at(), format!("FIELD {name:?}: {m}")))?;
        let mut field = FieldMeta::new(name, datatype);
        field.id = get("ID");
        field.arraysize = get("arraysize");
        field.xtype = get("xtype");
        field.unit = get("unit");
        field.ucd = get("ucd");
        field.utype = get("utype");
        let mut null = None;
        if !empty {
            loop {
                match self.next()? {
                    Event::Start(c) if c.local_name().as_ref() == "DESCRIPTION" => {
                        field.description = Some(self.text_until_end()?.trim().to_string());
                    }
                    Event::Start(c) | Event::Empty(c) if c.local_name().as_ref() == "VALUES" => {
                        let values = self.attributes(&c)?;
                        // VALUES null is a magic value for integers (§4.8); on floats it is
                        // usually "NaN", which is null anyway.
                        if let Some((_, v)) = values.iter().find(|(k, _)| k == "null")
                            && datatype.is_integer()
                        {
                            null = Some(parse_null(v, datatype).ok_or_else(|| {
                                ReadError::invalid(
                                    self.at(),
                                    format!("FIELD {:?}: bad VALUES null {v:?}", field.name),
                                )
                            })?);
                        }
                    }
                    Event::End(c) if c.local_name().as_ref() == "FIELD" => break,
                    Event::Eof => {
                        return Err(ReadError::invalid(self.at(), "document ends inside FIELD"));
                    }
                    _ => {}
                }
            }
        }
        let column = ColumnReader::new(&field, null)
            .map_err(|m| ReadError::invalid(self.at(), format!("FIELD {:?}: {m}", field.name)))?;
        table.columns.push(column);
        Ok(field)
    }

    /// Hands the pending rows to the sink as one batch.
    fn flush(&mut self, table: &mut Table, sink: &mut Sink<'_>) -> Result<(), ReadError> {
        if table.pending == 0 {
            return Ok(());
        }
        let schema = table
            .schema
            .get_or_insert_with(|| {
                Arc::new(Schema::new(
                    table
                        .meta
                        .fields
                        .iter()
                        .map(FieldMeta::arrow_field)
                        .collect::<Vec<_>>(),
                ))
            })
            .clone();
        let arrays = table.columns.iter_mut().map(ColumnReader::finish).collect();
        let batch = RecordBatch::try_new(schema, arrays).map_err(|source| ReadError::Arrow {
            at: self.at_row(table.meta.rows, None),
            source,
        })?;
        table.pending = 0;
        sink(batch)
    }

    /// Counts a finished row; checks the row limit and hands over a full batch.
    fn row_done(&mut self, table: &mut Table, sink: &mut Sink<'_>) -> Result<(), ReadError> {
        table.meta.rows += 1;
        table.pending += 1;
        if let Some(max) = self.options.max_rows
            && table.meta.rows > max
        {
            return Err(ReadError::Limit {
                at: self.at_row(table.meta.rows, None),
                message: format!("the table has more than the limit of {max} rows"),
            });
        }
        if table.pending >= self.options.batch_rows.max(1) {
            self.flush(table, sink)?;
        }
        Ok(())
    }

    fn tabledata(&mut self, table: &mut Table, sink: &mut Sink<'_>) -> Result<(), ReadError> {
        let n = table.columns.len();
        loop {
            match self.next()? {
                Event::Start(e) if e.local_name().as_ref() == "TR" => {
                    let row = table.meta.rows + 1;
                    let mut cells = 0usize;
                    loop {
                        match self.next()? {
                            Event::Start(td) if td.local_name().as_ref() == "TD" => {
                                let text = self.text_until_end()?;
                                self.cell(table, cells, row, |c| c.push_text(&text))?;
                                cells += 1;
                            }
                            Event::Empty(td) if td.local_name().as_ref() == "TD" => {
                                self.cell(table, cells, row, |c| {
                                    c.push_null();
                                    Ok(())
                                })?;
                                cells += 1;
                            }
                            Event::End(tr) if tr.local_name().as_ref() == "TR" => break,
                            Event::Eof => {
                                return Err(ReadError::invalid(
                                    self.at(),
                                    "document ends inside TR",
                                ));
                            }
                            _ => {}
                        }
                    }
                    if cells != n {
                        return Err(ReadError::invalid(
                            self.at_row(row, None),
                            format!("{cells} TD elements, the table has {n} FIELDs"),
                        ));
                    }
                    self.row_done(table, sink)?;
                }
                Event::Empty(e) if e.local_name().as_ref() == "TR" => {
                    return Err(ReadError::invalid(
                        self.at_row(table.meta.rows + 1, None),
                        format!("empty TR, the table has {n} FIELDs"),
                    ));
                }
                Event::End(e) if e.local_name().as_ref() == "TABLEDATA" => return Ok(()),
                Event::Eof => {
                    return Err(ReadError::invalid(
                        self.at(),
                        "document ends inside TABLEDATA",
                    ));
                }
                _ => {}
            }
        }
    }

    fn cell(
        &self,
        table: &mut Table,
        index: usize,
        row: u64,
        push: impl FnOnce(&mut ColumnReader) -> Result<(), String>,
    ) -> Result<(), ReadError> {
        let Some(column) = table.columns.get_mut(index) else {
            return Err(ReadError::invalid(
                self.at_row(row, None),
                format!(
                    "more TD elements than the {} FIELDs",
                    table.meta.fields.len()
                ),
            ));
        };
        push(column).map_err(|m| {
            ReadError::invalid(self.at_row(row, Some(&table.meta.fields[index].name)), m)
        })
    }

    /// Reads `<STREAM encoding="base64">…</STREAM>` inside BINARY/BINARY2.
    fn binary(
        &mut self,
        table: &mut Table,
        binary2: bool,
        sink: &mut Sink<'_>,
    ) -> Result<(), ReadError> {
        let stream = loop {
            match self.next()? {
                Event::Start(e) if e.local_name().as_ref() == "STREAM" => break e,
                Event::Empty(e) if e.local_name().as_ref() == "STREAM" => {
                    let attrs = self.attributes(&e)?;
                    let message = if attrs.iter().any(|(k, _)| k == "href") {
                        "remote STREAM (href) is not supported; send the data inline"
                    } else {
                        "empty STREAM"
                    };
                    return Err(ReadError::invalid(self.at(), message));
                }
                Event::Eof => {
                    return Err(ReadError::invalid(self.at(), "document ends inside BINARY"));
                }
                _ => {}
            }
        };
        let attrs = self.attributes(&stream)?;
        let encoding = attrs
            .iter()
            .find(|(k, _)| k == "encoding")
            .map(|(_, v)| v.as_str());
        if encoding != Some("base64") {
            return Err(ReadError::invalid(
                self.at(),
                format!("STREAM encoding {encoding:?} is not supported; only inline base64 is"),
            ));
        }
        let mut decoder = RowDecoder {
            quartet: Vec::with_capacity(4096),
            bytes: Vec::with_capacity(64 * 1024),
            flag_bytes: if binary2 {
                table.columns.len().div_ceil(8)
            } else {
                0
            },
            binary2,
        };
        loop {
            // The base64 text runs up to the `<` of `</STREAM>`; it is decoded straight from
            // the reader's buffer.
            let (decoded, at_end) = {
                let mut stream = self.xml.stream();
                match stream.fill_buf() {
                    Ok([]) => (Err("document ends inside STREAM".to_string()), true),
                    Ok(available) => {
                        let end = memchr::memchr(b'<', available);
                        let take = end.unwrap_or(available.len());
                        let decoded = decoder.push_base64(&available[..take]);
                        stream.consume(take);
                        (decoded, end.is_some())
                    }
                    Err(e) if e.to_string() == LIMIT_MESSAGE => return Err(self.limit_bytes()),
                    Err(e) => {
                        return Err(ReadError::Io {
                            at: self.at(),
                            source: e,
                        });
                    }
                }
            };
            decoded.map_err(|m| ReadError::invalid(self.at(), m))?;
            self.decode_rows(table, &mut decoder, sink)?;
            if at_end {
                break;
            }
        }
        if !decoder.quartet.is_empty() || !decoder.bytes.is_empty() {
            return Err(ReadError::invalid(
                self.at_row(table.meta.rows + 1, None),
                "the STREAM ends inside a row",
            ));
        }
        Ok(())
    }

    fn decode_rows(
        &mut self,
        table: &mut Table,
        decoder: &mut RowDecoder,
        sink: &mut Sink<'_>,
    ) -> Result<(), ReadError> {
        let mut pos = 0usize;
        let mut offsets = Vec::with_capacity(table.columns.len() + 1);
        'rows: loop {
            let bytes = &decoder.bytes[pos..];
            // First find the row's extent, so that a row is only decoded once complete.
            offsets.clear();
            let mut cursor = decoder.flag_bytes;
            if bytes.len() < cursor {
                break;
            }
            for column in &table.columns {
                offsets.push(cursor);
                match column.binary_len(&bytes[cursor..]) {
                    Some(n) if cursor + n <= bytes.len() => cursor += n,
                    _ => break 'rows,
                }
            }
            offsets.push(cursor);
            let row = table.meta.rows + 1;
            for (i, column) in table.columns.iter_mut().enumerate() {
                let null = decoder.binary2 && bytes[i / 8] & (0x80 >> (i % 8)) != 0;
                column
                    .push_binary(&bytes[offsets[i]..offsets[i + 1]], null, decoder.binary2)
                    .map_err(|m| {
                        ReadError::invalid(
                            Location {
                                source: self.options.source.clone(),
                                row: Some(row),
                                column: Some(table.meta.fields[i].name.clone()),
                                byte: None,
                            },
                            m,
                        )
                    })?;
            }
            pos += cursor;
            self.row_done(table, sink)?;
        }
        decoder.bytes.drain(..pos);
        Ok(())
    }
}

/// Base64 text in, whole bytes out; keeps an incomplete quartet for the next chunk.
struct RowDecoder {
    quartet: Vec<u8>,
    bytes: Vec<u8>,
    flag_bytes: usize,
    binary2: bool,
}

impl RowDecoder {
    fn push_base64(&mut self, text: &[u8]) -> Result<(), String> {
        // Line breaks come every 76 characters or so: copy the runs between them.
        for run in text.split(|b| b.is_ascii_whitespace()) {
            self.quartet.extend_from_slice(run);
        }
        let whole = self.quartet.len() / 4 * 4;
        if whole == 0 {
            return Ok(());
        }
        let start = self.bytes.len();
        self.bytes.resize(start + whole / 4 * 3, 0);
        let n = STANDARD
            .decode_slice(&self.quartet[..whole], &mut self.bytes[start..])
            .map_err(|e| format!("bad base64 in STREAM: {e}"))?;
        self.bytes.truncate(start + n);
        self.quartet.drain(..whole);
        Ok(())
    }
}

/// A `VALUES null` of an integer column. Hexadecimal is the bit pattern of the column's type
/// (VOTable 1.4 §6), so `0xFFFF` on a short is -1.
fn parse_null(v: &str, datatype: Datatype) -> Option<i64> {
    let v = v.trim();
    let Some(hex) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) else {
        return v.parse().ok();
    };
    let raw = u64::from_str_radix(hex, 16).ok()?;
    Some(match datatype {
        Datatype::Short => i64::from(u16::try_from(raw).ok()? as i16),
        Datatype::Int => i64::from(u32::try_from(raw).ok()? as i32),
        _ => raw as i64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hexadecimal_null_values_follow_the_column_width() {
        assert_eq!(parse_null("0xFFFF", Datatype::Short), Some(-1));
        assert_eq!(
            parse_null("0x80000000", Datatype::Int),
            Some(i64::from(i32::MIN))
        );
        assert_eq!(parse_null("0xFF", Datatype::UnsignedByte), Some(255));
        assert_eq!(parse_null("-99", Datatype::Long), Some(-99));
        assert_eq!(parse_null("0x1FFFF", Datatype::Short), None);
        assert_eq!(parse_null("x", Datatype::Int), None);
    }
}
