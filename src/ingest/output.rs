//! The Parquet file ingest writes: sorted by the sky index, statistics down to the page, small
//! row groups so that a cone touches few, written beside its destination and renamed into place
//! only when complete.

use std::fs::File;
use std::path::{Path, PathBuf};

use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Encoding;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::file::metadata::{KeyValue, SortingColumn};
use datafusion::parquet::file::properties::{EnabledStatistics, WriterProperties};
use datafusion::parquet::schema::types::ColumnPath;
use std::os::unix::fs::PermissionsExt;
use tempfile::NamedTempFile;

use super::IngestError;
use crate::catalog::{HEALPIX_COLUMN_KEY, HEALPIX_ORDER_KEY};

/// Layout choices for the written file.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub order: u8,
    pub row_group_rows: usize,
}

pub struct ParquetOutput {
    destination: PathBuf,
    writer: ArrowWriter<File>,
    temporary: NamedTempFile,
}

impl ParquetOutput {
    pub fn create(
        destination: &Path,
        schema: SchemaRef,
        index_column: &str,
        layout: Layout,
        extra_metadata: Vec<(String, String)>,
    ) -> Result<Self, IngestError> {
        let folder = destination
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temporary = tempfile::Builder::new()
            .prefix(".vostok-ingest-")
            .permissions(std::fs::Permissions::from_mode(0o644))
            .tempfile_in(folder)
            .map_err(|source| IngestError::io(folder, source))?;
        let index = schema
            .index_of(index_column)
            .map_err(|e| IngestError::Engine(e.to_string()))?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_row_count(Some(layout.row_group_rows))
            // Pages of a few thousand rows let the page index skip inside a row group.
            .set_data_page_row_count_limit(4096)
            .set_statistics_enabled(EnabledStatistics::Page)
            // The sorted index compresses to almost nothing as deltas.
            .set_column_dictionary_enabled(ColumnPath::from(index_column), false)
            .set_column_encoding(
                ColumnPath::from(index_column),
                Encoding::DELTA_BINARY_PACKED,
            )
            .set_sorting_columns(Some(vec![SortingColumn {
                column_idx: index as i32,
                descending: false,
                nulls_first: false,
            }]))
            .set_key_value_metadata(Some(
                [
                    (HEALPIX_COLUMN_KEY.to_owned(), index_column.to_owned()),
                    (HEALPIX_ORDER_KEY.to_owned(), layout.order.to_string()),
                ]
                .into_iter()
                .chain(extra_metadata)
                .map(|(key, value)| KeyValue::new(key, value))
                .collect(),
            ));
        // Measured values (positions, magnitudes) and 64-bit identifiers almost never repeat:
        // trying a dictionary for them costs time on every page before the writer falls back
        // to plain encoding.
        let properties = schema
            .fields()
            .iter()
            .filter(|f| {
                let t = f.data_type();
                t.is_floating() || matches!(t, DataType::Int64 | DataType::UInt64)
            })
            .fold(properties, |p, f| {
                p.set_column_dictionary_enabled(ColumnPath::from(f.name().as_str()), false)
            })
            .build();
        let file = temporary
            .reopen()
            .map_err(|source| IngestError::io(temporary.path(), source))?;
        let writer = ArrowWriter::try_new(file, schema, Some(properties))
            .map_err(|e| IngestError::Engine(e.to_string()))?;
        Ok(Self {
            destination: destination.to_owned(),
            writer,
            temporary,
        })
    }

    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), IngestError> {
        self.writer
            .write(batch)
            .map_err(|e| IngestError::Engine(e.to_string()))
    }

    /// Completes the file and moves it to its destination; until then nothing is there.
    pub fn commit(self) -> Result<(), IngestError> {
        self.writer
            .close()
            .map_err(|e| IngestError::Engine(e.to_string()))?;
        self.temporary
            .persist(&self.destination)
            .map_err(|e| IngestError::io(&self.destination, e.error))?;
        Ok(())
    }
}
