//! Checks each row's position and adds the HEALPix NESTED index that the table is sorted by.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Float64Array, Int64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;

use super::IngestError;
use super::source::RowNumbering;

/// The name of the index column that ingest adds; the catalogue hides it from users.
pub const HEALPIX_COLUMN: &str = "_healpix";

pub struct SkyIndexer {
    file: String,
    ra: (usize, String),
    dec: (usize, String),
    layer: &'static cdshealpix::nested::Layer,
    numbering: RowNumbering,
    rows_seen: u64,
    schema: SchemaRef,
}

impl SkyIndexer {
    pub fn new(
        file: &str,
        input: &Schema,
        ra: &str,
        dec: &str,
        order: u8,
        numbering: RowNumbering,
    ) -> Result<Self, IngestError> {
        let find = |name: &str| {
            input
                .index_of(name)
                .map(|index| (index, name.to_owned()))
                .map_err(|_| {
                    let names: Vec<_> = input.fields().iter().map(|f| f.name().as_str()).collect();
                    IngestError::input(
                        file,
                        None,
                        Some(name),
                        format!("no such column (columns: {})", names.join(", ")),
                    )
                })
        };
        if input.index_of(HEALPIX_COLUMN).is_ok() {
            return Err(IngestError::input(
                file,
                None,
                Some(HEALPIX_COLUMN),
                "this column name is reserved for the sky index".to_owned(),
            ));
        }
        let mut fields = input.fields().to_vec();
        fields.push(Arc::new(Field::new(HEALPIX_COLUMN, DataType::Int64, false)));
        Ok(Self {
            file: file.to_owned(),
            ra: find(ra)?,
            dec: find(dec)?,
            layer: cdshealpix::nested::get(order),
            numbering,
            rows_seen: 0,
            schema: Arc::new(Schema::new_with_metadata(fields, input.metadata().clone())),
        })
    }

    /// The input schema with the index column appended.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    pub fn index(&mut self, batch: RecordBatch) -> Result<RecordBatch, IngestError> {
        let ra = self.degrees(&batch, &self.ra, 0.0..=360.0)?;
        let dec = self.degrees(&batch, &self.dec, -90.0..=90.0)?;
        let index: Int64Array = ra
            .values()
            .iter()
            .zip(dec.values())
            .map(|(ra, dec)| {
                // Order ≤ 29 keeps every index below 12·4^29 < 2^63.
                self.layer.hash(ra.to_radians(), dec.to_radians()) as i64
            })
            .collect();
        self.rows_seen += batch.num_rows() as u64;
        let mut columns = batch.columns().to_vec();
        columns.push(Arc::new(index) as ArrayRef);
        RecordBatch::try_new(self.schema.clone(), columns)
            .map_err(|e| IngestError::Engine(e.to_string()))
    }

    /// The column as degrees, or an error naming the first row that is missing, not a number, or
    /// out of `range`.
    fn degrees(
        &self,
        batch: &RecordBatch,
        (index, name): &(usize, String),
        range: std::ops::RangeInclusive<f64>,
    ) -> Result<Float64Array, IngestError> {
        let column = batch.column(*index);
        let row_error = |row: usize, message: String| {
            let at = self.numbering.describe(self.rows_seen + row as u64);
            IngestError::input(&self.file, Some(at), Some(name), message)
        };
        if let Some(strings) = column.as_string_opt::<i32>() {
            for (row, value) in strings.iter().enumerate() {
                if let Some(text) = value
                    && text.trim().parse::<f64>().is_err()
                {
                    return Err(row_error(row, format!("`{text}` is not a number")));
                }
            }
        }
        let values = cast(column, &DataType::Float64)
            .map_err(|e| IngestError::input(&self.file, None, Some(name), e.to_string()))?;
        let values = values.as_primitive::<Float64Type>().clone();
        for (row, value) in values.iter().enumerate() {
            match value {
                None => return Err(row_error(row, "no value".to_owned())),
                Some(v) if !range.contains(&v) => {
                    return Err(row_error(
                        row,
                        format!("{v} is outside {}..{} degrees", range.start(), range.end()),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::StringArray;

    fn indexer(schema: &Schema) -> SkyIndexer {
        SkyIndexer::new(
            "in.csv",
            schema,
            "ra",
            "dec",
            29,
            RowNumbering::Lines { header_lines: 1 },
        )
        .unwrap()
    }

    fn batch(ra: Vec<f64>, dec: Vec<f64>) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![
            Field::new("ra", DataType::Float64, true),
            Field::new("dec", DataType::Float64, true),
        ]));
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Float64Array::from(ra)),
            Arc::new(Float64Array::from(dec)),
        ];
        RecordBatch::try_new(schema, columns).unwrap()
    }

    #[test]
    fn the_index_matches_cdshealpix() {
        let input = batch(vec![10.0, 359.9], vec![-89.0, 45.0]);
        let mut sky = indexer(&input.schema());
        let out = sky.index(input).unwrap();
        let index = out
            .column(2)
            .as_primitive::<datafusion::arrow::datatypes::Int64Type>();
        let expected = cdshealpix::nested::hash(29, 359.9f64.to_radians(), 45f64.to_radians());
        assert_eq!(index.value(1), expected as i64);
        assert_ne!(index.value(0), index.value(1));
    }

    #[test]
    fn an_out_of_range_declination_names_its_line() {
        let mut sky = indexer(&batch(vec![], vec![]).schema());
        sky.index(batch(vec![1.0, 2.0], vec![0.0, 0.0])).unwrap();
        let err = sky
            .index(batch(vec![1.0, 2.0], vec![0.0, 91.0]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "in.csv: line 5, column `dec`: 91 is outside -90..90 degrees"
        );
    }

    #[test]
    fn a_non_numeric_right_ascension_names_its_value() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("ra", DataType::Utf8, true),
            Field::new("dec", DataType::Float64, true),
        ]));
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec!["12.5", "twelve"])),
            Arc::new(Float64Array::from(vec![1.0, 2.0])),
        ];
        let mut sky = indexer(&schema);
        let err = sky
            .index(RecordBatch::try_new(schema, columns).unwrap())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "in.csv: line 3, column `ra`: `twelve` is not a number"
        );
    }
}
