//! Random footprints for benchmarks: small circles drawn as polygons (6 to 12 vertices, radius
//! 0.02° to 0.2°), centres uniform on the sphere, through the same path as ingested GeoJSON.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float64Array, Int64Array};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use ogc_features::Crs;
use ogc_features::geometry::Geometry;
use ogc_features::sphere::circle;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::IngestError;
use super::footprints::{self, FootprintColumns};
use super::source::{BATCH_ROWS, RowNumbering, Sink, Source};

pub struct GeneratedFootprints {
    rows: u64,
    rng: SmallRng,
    schema: SchemaRef,
}

impl GeneratedFootprints {
    pub fn new(rows: u64, seed: u64) -> Self {
        let mut fields = vec![
            Field::new("footprint_id", DataType::Int64, false),
            Field::new("radius_deg", DataType::Float64, false),
        ];
        fields.extend(footprints::fields());
        Self {
            rows,
            rng: SmallRng::seed_from_u64(seed),
            schema: Arc::new(Schema::new(fields)),
        }
    }

    fn batch(&mut self, first: u64, len: usize) -> Result<RecordBatch, IngestError> {
        let mut ids = Vec::with_capacity(len);
        let mut radii = Vec::with_capacity(len);
        let mut columns = FootprintColumns::default();
        for i in 0..len as u64 {
            let rng = &mut self.rng;
            let lon = rng.random::<f64>() * 360.0;
            // Uniform on the sphere: sin(lat) is uniform in −1..1.
            let lat = (rng.random::<f64>() * 2.0 - 1.0).asin().to_degrees();
            let radius = 0.02 + rng.random::<f64>() * 0.18;
            let vertices = rng.random_range(6..=12);
            let ring = circle([lon, lat], radius, vertices);
            columns
                .push(&Geometry::Polygon(vec![ring]))
                .ok_or_else(|| IngestError::Engine("a generated footprint has no extent".into()))?;
            ids.push((first + i) as i64);
            radii.push(radius);
        }
        let mut arrays: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(ids)),
            Arc::new(Float64Array::from(radii)),
        ];
        arrays.extend(columns.finish());
        RecordBatch::try_new(self.schema.clone(), arrays)
            .map_err(|e| IngestError::Engine(e.to_string()))
    }
}

impl Source for GeneratedFootprints {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn rows(&self) -> RowNumbering {
        RowNumbering::Rows
    }

    fn total_rows(&self) -> Option<u64> {
        Some(self.rows)
    }

    fn position(&self) -> Option<(&'static str, &'static str)> {
        Some((footprints::CENTROID_LON, footprints::CENTROID_LAT))
    }

    fn file_metadata(&self) -> Vec<(String, String)> {
        vec![(
            "geo".to_owned(),
            footprints::geoparquet_metadata(&["Polygon"], None, Crs::Crs84),
        )]
    }

    fn run(&mut self, sink: &mut Sink<'_>) -> Result<(), IngestError> {
        let mut first = 0;
        while first < self.rows {
            let len = (self.rows - first).min(BATCH_ROWS as u64) as usize;
            let batch = self.batch(first, len)?;
            sink(batch)?;
            first += len as u64;
        }
        Ok(())
    }
}
