//! Sky coverage of the catalogues as MOCs (MOC 2.0), computed at start-up by streaming the
//! HEALPix index column that ingest wrote: one column of one row group at a time, so memory
//! stays bounded by the MOC, not the table; kept under the data directory for the next start
//! ([`cache`]). Served at `/moc/{schema}.{table}` (FITS, JSON or ASCII) and written, coarser,
//! into the registry records.

pub mod cache;

use std::collections::BTreeMap;
use std::fs::File;
use std::time::Instant;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{Int64Type, UInt64Type};
use datafusion::parquet::arrow::ProjectionMask;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use moc::moc::builder::fixed_depth::FixedDepthMocBuilder;
use moc::moc::range::RangeMOC;
use moc::moc::{CellMOCIterator, RangeMOCIntoIterator, RangeMOCIterator};
use moc::qty::Hpx;

use crate::catalog::{Catalog, TableInfo};
pub use cache::MocCache;

/// The depth of the served MOCs: cells of about 6.9′.
pub const MOC_DEPTH: u8 = 9;
/// The depth of the MOCs inside registry records: cells of about 55′, a few kB at most
/// (VODataService 1.2 §3.1.1 asks for a coverage that is useful for discovery, not exact).
pub const RECORD_MOC_DEPTH: u8 = 6;

pub type SkyMoc = RangeMOC<u64, Hpx<u64>>;

/// The MOC of every catalogue with an equatorial sky position, by qualified table name.
#[derive(Default)]
pub struct Coverages {
    by_table: BTreeMap<String, SkyMoc>,
}

#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    #[error("{table}: {message}")]
    Read { table: String, message: String },
}

impl Coverages {
    /// Computes the MOCs, or reads them from the cache when their tables have not changed,
    /// logging each table's time and sky fraction.
    pub fn compute(catalog: &Catalog, cache: &MocCache) -> Result<Self, CoverageError> {
        let mut by_table = BTreeMap::new();
        for table in catalog.tables().filter(|t| is_on_the_sky(t)) {
            let Some(healpix) = &table.healpix else {
                continue;
            };
            let name = table.qualified_name();
            let key = MocCache::key(table);
            if let Some(moc) = key.as_deref().and_then(|key| cache.get(&name, key)) {
                tracing::info!("coverage of {name}: read from the cache");
                by_table.insert(name, moc);
                continue;
            }
            let started = Instant::now();
            let moc = table_moc(table, &healpix.column, healpix.order)?;
            tracing::info!(
                "coverage of {name}: {} rows, {:.2}% of the sky at MOC order {MOC_DEPTH}, {} ms",
                table.row_count,
                moc.coverage_percentage() * 100.0,
                started.elapsed().as_millis()
            );
            if let Some(key) = key
                && let Err(e) = cache.put(&name, &key, &moc)
            {
                tracing::warn!("cannot cache the coverage of {name}: {e}");
            }
            by_table.insert(name, moc);
        }
        Ok(Self { by_table })
    }

    /// The qualified names of the tables with a MOC.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_table.keys().map(String::as_str)
    }

    pub fn table(&self, qualified_name: &str) -> Option<&SkyMoc> {
        self.by_table.get(qualified_name)
    }

    /// The union of the MOCs of some tables, `None` when none of them has one.
    pub fn union<'a>(&self, tables: impl IntoIterator<Item = &'a str>) -> Option<SkyMoc> {
        tables
            .into_iter()
            .filter_map(|t| self.table(t))
            .fold(None, |acc: Option<SkyMoc>, moc| {
                Some(acc.map_or_else(|| moc.clone(), |acc| acc.or(moc)))
            })
    }
}

/// Only positions that the configuration marks as equatorial (UCD `pos.eq.ra`) are sky
/// positions: the Mars tables index body-fixed longitudes and latitudes the same way.
fn is_on_the_sky(table: &TableInfo) -> bool {
    let Some(position) = &table.position else {
        return false;
    };
    table
        .column(&position.ra)
        .and_then(|c| c.meta.ucd.as_deref())
        .is_some_and(|ucd| ucd.starts_with("pos.eq.ra"))
}

fn table_moc(table: &TableInfo, column: &str, order: u8) -> Result<SkyMoc, CoverageError> {
    let error = |message: String| CoverageError::Read {
        table: table.qualified_name(),
        message,
    };
    if order < MOC_DEPTH {
        return Err(error(format!(
            "its HEALPix index has order {order}, coarser than the MOC order {MOC_DEPTH}"
        )));
    }
    let shift = 2 * u32::from(order - MOC_DEPTH);
    let mut builder = FixedDepthMocBuilder::<u64, Hpx<u64>>::new(MOC_DEPTH, Some(65_536));
    let mut progress = Progress::new(table);
    for path in &table.files {
        let file = File::open(path).map_err(|e| error(format!("{}: {e}", path.display())))?;
        let builder_in = ParquetRecordBatchReaderBuilder::try_new(file)
            .map_err(|e| error(format!("{}: {e}", path.display())))?;
        let index = builder_in
            .parquet_schema()
            .columns()
            .iter()
            .position(|c| c.name() == column)
            .ok_or_else(|| error(format!("{} has no column {column}", path.display())))?;
        let mask = ProjectionMask::leaves(builder_in.parquet_schema(), [index]);
        let reader = builder_in
            .with_projection(mask)
            .build()
            .map_err(|e| error(e.to_string()))?;
        for batch in reader {
            let batch = batch.map_err(|e| error(e.to_string()))?;
            progress.advance(batch.num_rows());
            let values = batch.column(0);
            // Ingest writes Int64 (Parquet has no unsigned 64-bit logical type by default).
            if let Some(cells) = values.as_primitive_opt::<Int64Type>() {
                for cell in cells.iter().flatten() {
                    builder.push((cell as u64) >> shift);
                }
            } else if let Some(cells) = values.as_primitive_opt::<UInt64Type>() {
                for cell in cells.iter().flatten() {
                    builder.push(cell >> shift);
                }
            } else {
                return Err(error(format!(
                    "{column} is {}, not an integer HEALPix index",
                    values.data_type()
                )));
            }
        }
    }
    Ok(builder.into_moc())
}

/// A log line every 5 s while a large table is read.
struct Progress<'a> {
    table: &'a TableInfo,
    rows: u64,
    last: Instant,
}

impl<'a> Progress<'a> {
    fn new(table: &'a TableInfo) -> Self {
        Self {
            table,
            rows: 0,
            last: Instant::now(),
        }
    }

    fn advance(&mut self, rows: usize) {
        self.rows += rows as u64;
        if self.last.elapsed().as_secs() >= 5 {
            self.last = Instant::now();
            tracing::info!(
                "coverage of {}: {} of {} rows read",
                self.table.qualified_name(),
                self.rows,
                self.table.row_count
            );
        }
    }
}

/// The serialisations of MOC 2.0 §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MocFormat {
    Fits,
    Json,
    Ascii,
}

impl MocFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Fits => "application/fits",
            Self::Json => "application/json",
            Self::Ascii => "text/plain; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Fits => "fits",
            Self::Json => "json",
            Self::Ascii => "txt",
        }
    }
}

/// Writes a MOC in one of its serialisations.
pub fn serialize(moc: &SkyMoc, format: MocFormat, id: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        MocFormat::Fits => moc
            .into_range_moc_iter()
            .to_fits_ivoa(Some(id.to_owned()), None, &mut out)
            .map_err(|e| e.to_string())?,
        MocFormat::Json => moc
            .into_range_moc_iter()
            .cells()
            .to_json_aladin(Some(80), &mut out)
            .map_err(|e| e.to_string())?,
        MocFormat::Ascii => out = ascii(moc)?.into_bytes(),
    }
    Ok(out)
}

/// The ASCII serialisation (MOC 2.0 §4.3.2), as VODataService 1.2 `spatial` holds it.
pub fn ascii(moc: &SkyMoc) -> Result<String, String> {
    moc.to_ascii().map_err(|e| e.to_string())
}
