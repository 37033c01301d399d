//! What every input format gives the ingest pipeline: a schema known before the first batch,
//! the metadata it could read, and batches pushed one at a time so memory stays flat.

use std::collections::BTreeMap;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;

use super::IngestError;
use crate::config::ColumnConfig;

/// Rows per batch that sources push; large enough to amortise, small enough to stay flat.
pub const BATCH_ROWS: usize = 65_536;

pub type Sink<'a> = dyn FnMut(RecordBatch) -> Result<(), IngestError> + 'a;

pub trait Source: Send {
    /// The schema of every batch `run` pushes.
    fn schema(&self) -> SchemaRef;

    /// Column metadata read from the input (units, UCDs, descriptions), by column name.
    fn metadata(&self) -> BTreeMap<String, ColumnConfig> {
        BTreeMap::new()
    }

    /// How rows are numbered in error messages for this input.
    fn rows(&self) -> RowNumbering;

    /// The number of rows, when the source knows it before reading them.
    fn total_rows(&self) -> Option<u64>;

    /// The columns the sky index is computed from, when the source makes them itself (the
    /// centroids of footprints); otherwise the user's `--ra`/`--dec`.
    fn position(&self) -> Option<(&'static str, &'static str)> {
        None
    }

    /// The data model the table implements (TAP_SCHEMA.tables.utype), when the source knows.
    fn table_utype(&self) -> Option<&'static str> {
        None
    }

    /// Key-value metadata for the Parquet file (GeoParquet's `geo`).
    fn file_metadata(&self) -> Vec<(String, String)> {
        Vec::new()
    }

    /// Reads the whole input, pushing batches to `sink` in input order.
    fn run(&mut self, sink: &mut Sink<'_>) -> Result<(), IngestError>;
}

/// Where a row came from, so that an error can point at it in the user's file.
#[derive(Debug, Clone, Copy)]
pub enum RowNumbering {
    /// Text with one row per line after `header_lines` lines.
    Lines { header_lines: u64 },
    /// GeoJSON features, counted from 1.
    Features,
    /// Table rows, counted from 1.
    Rows,
}

impl RowNumbering {
    /// Describes the row at 0-based `index` of the whole input.
    pub fn describe(self, index: u64) -> String {
        match self {
            Self::Lines { header_lines } => format!("line {}", index + header_lines + 1),
            Self::Features => format!("feature {}", index + 1),
            Self::Rows => format!("row {}", index + 1),
        }
    }
}
