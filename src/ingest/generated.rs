//! `vostok gen-catalog`: uniform random stars on the sphere, deterministic for a seed, for
//! benchmarks at sizes no real catalogue at hand reaches.
//!
//! `source_id` follows Gaia's layout (HEALPix order-12 index × 2^35 + a running number) shifted
//! up by 2^53, so that every value lies where a double would corrupt it.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float32Array, Float64Array, Int64Array};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::IngestError;
use super::source::{BATCH_ROWS, RowNumbering, Sink, Source};
use crate::config::ColumnConfig;

pub struct GeneratedStars {
    rows: u64,
    rng: SmallRng,
    schema: SchemaRef,
}

impl GeneratedStars {
    pub fn new(rows: u64, seed: u64) -> Self {
        let schema = Schema::new(vec![
            Field::new("source_id", DataType::Int64, false),
            Field::new("ra", DataType::Float64, false),
            Field::new("dec", DataType::Float64, false),
            Field::new("pmra", DataType::Float64, false),
            Field::new("pmdec", DataType::Float64, false),
            Field::new("mag_g", DataType::Float32, false),
            Field::new("parallax", DataType::Float64, false),
        ]);
        Self {
            rows,
            rng: SmallRng::seed_from_u64(seed),
            schema: Arc::new(schema),
        }
    }

    fn batch(&mut self, first: u64, len: usize) -> Result<RecordBatch, IngestError> {
        let mut source_id = Vec::with_capacity(len);
        let mut ra = Vec::with_capacity(len);
        let mut dec = Vec::with_capacity(len);
        let mut pmra = Vec::with_capacity(len);
        let mut pmdec = Vec::with_capacity(len);
        let mut mag_g = Vec::with_capacity(len);
        let mut parallax = Vec::with_capacity(len);
        let order12 = cdshealpix::nested::get(12);
        for i in 0..len as u64 {
            let rng = &mut self.rng;
            let alpha = rng.random::<f64>() * 360.0;
            // Uniform on the sphere: sin(dec) is uniform in −1..1.
            let delta = (rng.random::<f64>() * 2.0 - 1.0).asin().to_degrees();
            let cell = order12.hash(alpha.to_radians(), delta.to_radians());
            let running = (first + i) & ((1 << 35) - 1);
            source_id.push(((1 << 53) + ((cell << 35) | running)) as i64);
            ra.push(alpha);
            dec.push(delta);
            pmra.push(gaussian(rng) * 5.0);
            pmdec.push(gaussian(rng) * 5.0);
            // Faint stars outnumber bright ones about tenfold per 2.5 magnitudes.
            let u: f64 = rng.random::<f64>().max(1e-12);
            mag_g.push((21.0 + 2.5 * u.log10()).max(3.0) as f32);
            parallax.push(-rng.random::<f64>().max(1e-12).ln() * 0.5);
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from(source_id)),
            Arc::new(Float64Array::from(ra)),
            Arc::new(Float64Array::from(dec)),
            Arc::new(Float64Array::from(pmra)),
            Arc::new(Float64Array::from(pmdec)),
            Arc::new(Float32Array::from(mag_g)),
            Arc::new(Float64Array::from(parallax)),
        ];
        RecordBatch::try_new(self.schema.clone(), columns)
            .map_err(|e| IngestError::Engine(e.to_string()))
    }
}

/// A standard normal deviate (Box–Muller).
fn gaussian(rng: &mut SmallRng) -> f64 {
    let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

impl Source for GeneratedStars {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn metadata(&self) -> std::collections::BTreeMap<String, ColumnConfig> {
        let column = |description: &str, unit: Option<&str>, ucd: &str| ColumnConfig {
            description: Some(description.to_owned()),
            unit: unit.map(str::to_owned),
            ucd: Some(ucd.to_owned()),
            principal: true,
            ..ColumnConfig::default()
        };
        [
            (
                "source_id",
                column(
                    "Source identifier (Gaia convention)",
                    None,
                    "meta.id;meta.main",
                ),
            ),
            (
                "ra",
                column("Right ascension (ICRS)", Some("deg"), "pos.eq.ra;meta.main"),
            ),
            (
                "dec",
                column("Declination (ICRS)", Some("deg"), "pos.eq.dec;meta.main"),
            ),
            (
                "pmra",
                column(
                    "Proper motion in RA × cos(dec)",
                    Some("mas/yr"),
                    "pos.pm;pos.eq.ra",
                ),
            ),
            (
                "pmdec",
                column("Proper motion in Dec", Some("mas/yr"), "pos.pm;pos.eq.dec"),
            ),
            (
                "mag_g",
                column("G magnitude", Some("mag"), "phot.mag;em.opt"),
            ),
            ("parallax", column("Parallax", Some("mas"), "pos.parallax")),
        ]
        .into_iter()
        .map(|(name, meta)| (name.to_owned(), meta))
        .collect()
    }

    fn rows(&self) -> RowNumbering {
        RowNumbering::Rows
    }

    fn total_rows(&self) -> Option<u64> {
        Some(self.rows)
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

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::Int64Type;

    fn generate(rows: u64, seed: u64) -> Vec<RecordBatch> {
        let mut stars = GeneratedStars::new(rows, seed);
        let mut out = Vec::new();
        stars
            .run(&mut |b| {
                out.push(b);
                Ok(())
            })
            .unwrap();
        out
    }

    #[test]
    fn the_same_seed_gives_the_same_stars() {
        assert_eq!(generate(1000, 7), generate(1000, 7));
        assert_ne!(generate(1000, 7), generate(1000, 8));
    }

    #[test]
    fn source_ids_exceed_what_a_double_holds_exactly() {
        let batches = generate(100_000, 1);
        let ids = batches[0].column(0).as_primitive::<Int64Type>();
        assert!(ids.iter().flatten().all(|id| id > 1 << 53));
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        assert_eq!(rows, 100_000);
    }

    #[test]
    fn positions_cover_the_sphere_uniformly() {
        let batches = generate(200_000, 3);
        let dec = batches.iter().flat_map(|b| {
            b.column(2)
                .as_primitive::<datafusion::arrow::datatypes::Float64Type>()
                .values()
                .to_vec()
        });
        // A uniform sphere has half its area within 30° of the equator.
        let (near, total) = dec.fold((0, 0), |(n, t), d| (n + usize::from(d.abs() < 30.0), t + 1));
        let fraction = near as f64 / total as f64;
        assert!((fraction - 0.5).abs() < 0.01, "{fraction}");
    }
}
