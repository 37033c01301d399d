//! CSV (or any single-character-delimited text with a header line) read with arrow-csv.
//!
//! Column types are inferred from the whole file in a first streaming pass, so that a value far
//! down the file cannot contradict a type guessed from its first lines.

use std::fs::File;
use std::io::{BufReader, Seek};
use std::path::{Path, PathBuf};

use datafusion::arrow::csv::ReaderBuilder;
use datafusion::arrow::csv::reader::Format;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

use super::IngestError;
use super::source::{BATCH_ROWS, RowNumbering, Sink, Source};

pub struct CsvSource {
    path: PathBuf,
    name: String,
    format: Format,
    schema: SchemaRef,
    rows: u64,
}

impl CsvSource {
    /// Opens `path`; `types` fixes the type of named columns instead of inferring it — needed
    /// for a column whose values are all empty, whose type inference cannot tell.
    pub fn open(
        path: &Path,
        delimiter: u8,
        types: &[(String, DataType)],
    ) -> Result<Self, IngestError> {
        let name = path.display().to_string();
        let format = Format::default()
            .with_header(true)
            .with_delimiter(delimiter);
        let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
        let (schema, rows) = format
            .infer_schema(BufReader::new(file), None)
            .map_err(|e| IngestError::input(&name, None, None, e.to_string()))?;
        let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
        for (column, data_type) in types {
            let field = fields
                .iter_mut()
                .find(|f| f.name() == column)
                .ok_or_else(|| {
                    IngestError::input(
                        &name,
                        None,
                        Some(column),
                        "no such column to type".to_owned(),
                    )
                })?;
            *field = field.clone().with_data_type(data_type.clone());
        }
        let schema = Schema::new(fields);
        if schema.fields().is_empty() {
            return Err(IngestError::input(
                &name,
                None,
                None,
                "no header line".to_owned(),
            ));
        }
        Ok(Self {
            path: path.to_owned(),
            name,
            format,
            schema: schema.into(),
            rows: rows as u64,
        })
    }
}

impl Source for CsvSource {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn rows(&self) -> RowNumbering {
        RowNumbering::Lines { header_lines: 1 }
    }

    fn total_rows(&self) -> Option<u64> {
        Some(self.rows)
    }

    fn run(&mut self, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let mut file = File::open(&self.path).map_err(|e| IngestError::io(&self.path, e))?;
        file.rewind().map_err(|e| IngestError::io(&self.path, e))?;
        let reader = ReaderBuilder::new(self.schema.clone())
            .with_format(self.format.clone())
            .with_batch_size(BATCH_ROWS)
            .build(BufReader::new(file))
            .map_err(|e| IngestError::input(&self.name, None, None, e.to_string()))?;
        for batch in reader {
            let batch =
                batch.map_err(|e| IngestError::input(&self.name, None, None, e.to_string()))?;
            sink(batch)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_of_empty_values_takes_the_type_it_is_given() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "id,time_min\n1,\n2,\n").unwrap();
        let inferred = CsvSource::open(&path, b',', &[]).unwrap();
        // Inference cannot tell a type from no values (arrow-csv calls it Null).
        assert_eq!(inferred.schema().field(1).data_type(), &DataType::Null);
        let typed =
            CsvSource::open(&path, b',', &[("time_min".to_owned(), DataType::Float64)]).unwrap();
        assert_eq!(typed.schema().field(1).data_type(), &DataType::Float64);
        let mut rows = 0;
        let mut source = typed;
        source
            .run(&mut |batch| {
                assert_eq!(batch.column(1).null_count(), batch.num_rows());
                rows += batch.num_rows();
                Ok(())
            })
            .unwrap();
        assert_eq!(rows, 2);
        let err = CsvSource::open(&path, b',', &[("nope".to_owned(), DataType::Float64)])
            .err()
            .unwrap();
        assert!(err.to_string().contains("nope"), "{err}");
    }
}
