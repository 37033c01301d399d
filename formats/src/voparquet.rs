//! VOParquet: Parquet whose file metadata carries a DATA-less VOTable describing the columns
//! (IVOA Note "Parquet in the VO" 1.0, §2.2: key `IVOA.VOTable-Parquet.version` = `1.0` and
//! key `IVOA.VOTable-Parquet.content` = the VOTable document, its first TABLE's FIELDs matching
//! the Parquet columns in order).
//!
//! Written row group by row group through parquet's `ArrowWriter`, which only needs `Write`:
//! a row group is closed (and its bytes leave) every `ROW_GROUP_ROWS` rows or
//! `ROW_GROUP_BYTES` of buffered data, so memory stays bounded by one row group. The footer,
//! and so the VOTable, is written last — which lets its QUERY_STATUS INFO tell the final
//! status (OK, OVERFLOW, or ERROR with the message) up front, as DALI allows.

use std::io::Write;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

use crate::ResultEncoder;
use crate::document::{DocumentInfo, EndStatus};
use crate::error::FormatError;
use crate::field::FieldMeta;
use crate::votable::xml::{push_head, push_tail};

/// Metadata key of the VOParquet version.
pub const VERSION_KEY: &str = "IVOA.VOTable-Parquet.version";
/// Metadata key of the embedded VOTable.
pub const CONTENT_KEY: &str = "IVOA.VOTable-Parquet.content";

const ROW_GROUP_ROWS: usize = 128 * 1024;
const ROW_GROUP_BYTES: usize = 32 * 1024 * 1024;

pub(crate) struct VoParquetEncoder {
    /// The output until the first batch shows the Arrow schema.
    out: Option<Box<dyn Write + Send>>,
    writer: Option<ArrowWriter<Box<dyn Write + Send>>>,
    fields: Vec<FieldMeta>,
    doc: DocumentInfo,
}

impl VoParquetEncoder {
    pub fn new(
        out: Box<dyn Write + Send>,
        fields: Vec<FieldMeta>,
        doc: &DocumentInfo,
    ) -> Result<Self, FormatError> {
        Ok(VoParquetEncoder {
            out: Some(out),
            writer: None,
            fields,
            doc: doc.clone(),
        })
    }

    fn writer_for(
        &mut self,
        schema: Arc<Schema>,
    ) -> Result<&mut ArrowWriter<Box<dyn Write + Send>>, FormatError> {
        if self.writer.is_none() {
            let out = self.out.take().ok_or_else(|| {
                FormatError::Io(std::io::Error::other("VOParquet output already closed"))
            })?;
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
                .set_max_row_group_bytes(Some(ROW_GROUP_BYTES))
                .build();
            self.writer = Some(ArrowWriter::try_new(out, schema, Some(props))?);
        }
        self.writer
            .as_mut()
            .ok_or_else(|| FormatError::Io(std::io::Error::other("VOParquet writer missing")))
    }

    /// The DATA-less VOTable stored in the footer.
    fn votable(&self, end: &EndStatus) -> String {
        let mut xml = Vec::new();
        let no_nulls = vec![None; self.fields.len()];
        push_head(&mut xml, &self.fields, &no_nulls, &self.doc, end);
        push_tail(&mut xml, None);
        String::from_utf8_lossy(&xml).into_owned()
    }
}

impl ResultEncoder for VoParquetEncoder {
    fn write_batch(&mut self, batch: &RecordBatch) -> Result<(), FormatError> {
        if batch.num_columns() != self.fields.len() {
            return Err(FormatError::ColumnCount {
                expected: self.fields.len(),
                got: batch.num_columns(),
            });
        }
        // The query's input tables may hang their own metadata on the schema; the file carries
        // only the VOTable metadata.
        let batch = if batch.schema().metadata().is_empty() {
            batch.clone()
        } else {
            let schema = Schema::new(batch.schema().fields().clone());
            RecordBatch::try_new(Arc::new(schema), batch.columns().to_vec())?
        };
        let writer = self.writer_for(batch.schema())?;
        writer.write(&batch)?;
        writer.sync()?;
        Ok(())
    }

    fn finish(mut self: Box<Self>, end: EndStatus) -> Result<(), FormatError> {
        let xml = self.votable(&end);
        let schema = Arc::new(Schema::new(
            self.fields
                .iter()
                .map(FieldMeta::arrow_field)
                .collect::<Vec<_>>(),
        ));
        let writer = self.writer_for(schema)?;
        writer.append_key_value_metadata(KeyValue::new(VERSION_KEY.to_string(), "1.0".to_string()));
        writer.append_key_value_metadata(KeyValue::new(CONTENT_KEY.to_string(), xml));
        writer.finish()?;
        writer.sync()?;
        Ok(())
    }
}
