//! Result encoders (VOTable, CSV, TSV, JSON, VOParquet) from Arrow record batches, and readers
//! of VOTable and FITS tables into Arrow.
//!
//! Encoders are push-based and synchronous: the server creates one with [`encoder`], hands it
//! each batch as DataFusion produces it ([`ResultEncoder::write_batch`] writes and flushes the
//! batch's bytes), and ends it with [`ResultEncoder::finish`], telling whether the result was
//! complete, truncated by MAXREC, or cut short by an error. Memory is bounded by one batch plus
//! a few tens of KB (one row group for VOParquet), whatever the result's size.

mod cells;
mod document;
mod error;
mod field;
pub mod fits;
mod json;
mod output_format;
mod text;
mod voparquet;
pub mod votable;

use std::io::Write;

use arrow_array::RecordBatch;

pub use document::{DocumentInfo, EndStatus, Info};
pub use error::{FormatError, Location, ReadError};
pub use field::{ArrayShape, Datatype, FieldMeta, LastDim};
pub use output_format::OutputFormat;
pub use votable::{ErrorStyle, TableMeta, error_document};

/// Receives a result's batches in order and writes them to its output as they come.
pub trait ResultEncoder: Send {
    /// Encodes and writes one batch, then flushes the output. The batch must have the columns
    /// the encoder was created with, in the same order.
    fn write_batch(&mut self, batch: &RecordBatch) -> Result<(), FormatError>;
    /// Ends the document. For VOTable, OVERFLOW and ERROR become a trailing QUERY_STATUS INFO
    /// (DALI 1.1 §4.4.1, §4.4.2); VOParquet puts the final status in its embedded VOTable;
    /// CSV, TSV have no place for either (DALI 1.1 §4.4.1); JSON carries it in its last member.
    fn finish(self: Box<Self>, end: EndStatus) -> Result<(), FormatError>;
}

/// The VOTable data serializations (VOTable 1.4 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serialization {
    Tabledata,
    Binary,
    Binary2,
}

/// Creates the encoder for `format`, writing to `out`, and writes the document's head (the
/// VOTable metadata, the CSV header line, …) at once. `fields` describe the batches' columns
/// in order.
pub fn encoder(
    format: OutputFormat,
    out: Box<dyn Write + Send>,
    fields: Vec<FieldMeta>,
    doc: &DocumentInfo,
) -> Result<Box<dyn ResultEncoder>, FormatError> {
    Ok(match format {
        OutputFormat::VotableTabledata => Box::new(votable::VotableEncoder::new(
            out,
            Serialization::Tabledata,
            fields,
            doc,
        )?),
        OutputFormat::VotableBinary => Box::new(votable::VotableEncoder::new(
            out,
            Serialization::Binary,
            fields,
            doc,
        )?),
        OutputFormat::VotableBinary2 => Box::new(votable::VotableEncoder::new(
            out,
            Serialization::Binary2,
            fields,
            doc,
        )?),
        OutputFormat::Csv => Box::new(text::DelimitedEncoder::csv(out, fields)?),
        OutputFormat::Tsv => Box::new(text::DelimitedEncoder::tsv(out, fields)?),
        OutputFormat::Json => Box::new(json::JsonEncoder::new(out, fields)?),
        OutputFormat::Parquet => Box::new(voparquet::VoParquetEncoder::new(out, fields, doc)?),
    })
}
