//! What the catalogue learns from Parquet footers without reading any data: the files of a table,
//! its Arrow schema, its row count, and the sky index that `vostok ingest` recorded.

use std::fs::File;
use std::path::{Path, PathBuf};

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::parquet::arrow::parquet_to_arrow_schema;
use datafusion::parquet::file::metadata::ParquetMetaDataReader;

use super::{CatalogError, HealpixIndex};

/// Key-value metadata written by `vostok ingest`: the name of the HEALPix index column.
pub const HEALPIX_COLUMN_KEY: &str = "vostok.healpix.column";
/// Key-value metadata written by `vostok ingest`: the HEALPix order of that column.
pub const HEALPIX_ORDER_KEY: &str = "vostok.healpix.order";

/// The footer facts of one table (a Parquet file, or a directory of them).
#[derive(Debug)]
pub struct ParquetFacts {
    pub files: Vec<PathBuf>,
    pub schema: SchemaRef,
    pub row_count: u64,
    pub healpix: Option<HealpixIndex>,
}

pub fn read_facts(location: &Path) -> Result<ParquetFacts, CatalogError> {
    let files = list_files(location)?;
    let mut row_count = 0;
    let mut first: Option<(SchemaRef, Option<HealpixIndex>)> = None;
    for file in &files {
        let (schema, rows, healpix) = read_footer(file)?;
        row_count += rows;
        match &first {
            None => first = Some((schema, healpix)),
            Some((first_schema, _)) if first_schema.fields() != schema.fields() => {
                return Err(CatalogError::Parquet {
                    path: file.clone(),
                    message: format!("its columns differ from those of {}", files[0].display()),
                });
            }
            Some(_) => {}
        }
    }
    let (schema, healpix) = first.ok_or_else(|| CatalogError::Parquet {
        path: location.to_owned(),
        message: "no .parquet file found".to_owned(),
    })?;
    Ok(ParquetFacts {
        files,
        schema,
        row_count,
        healpix,
    })
}

fn list_files(location: &Path) -> Result<Vec<PathBuf>, CatalogError> {
    let io_error = |source| CatalogError::Io {
        path: location.to_owned(),
        source,
    };
    if !location.is_dir() {
        File::open(location).map_err(io_error)?;
        return Ok(vec![location.to_owned()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(location).map_err(io_error)? {
        let path = entry.map_err(io_error)?.path();
        if path.extension().is_some_and(|ext| ext == "parquet") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn read_footer(path: &Path) -> Result<(SchemaRef, u64, Option<HealpixIndex>), CatalogError> {
    let parquet_error = |message: String| CatalogError::Parquet {
        path: path.to_owned(),
        message,
    };
    let file = File::open(path).map_err(|source| CatalogError::Io {
        path: path.to_owned(),
        source,
    })?;
    let metadata = ParquetMetaDataReader::new()
        .parse_and_finish(&file)
        .map_err(|e| parquet_error(e.to_string()))?;
    let file_metadata = metadata.file_metadata();
    let key_values = file_metadata.key_value_metadata();
    let schema = parquet_to_arrow_schema(file_metadata.schema_descr(), key_values)
        .map_err(|e| parquet_error(e.to_string()))?;
    let lookup = |key: &str| {
        key_values?
            .iter()
            .find(|kv| kv.key == key)
            .and_then(|kv| kv.value.clone())
    };
    let healpix = match (lookup(HEALPIX_COLUMN_KEY), lookup(HEALPIX_ORDER_KEY)) {
        (Some(column), Some(order)) => {
            let order = order
                .parse()
                .ok()
                .filter(|order| *order <= cdshealpix::DEPTH_MAX)
                .ok_or_else(|| parquet_error(format!("invalid {HEALPIX_ORDER_KEY} `{order}`")))?;
            Some(HealpixIndex { column, order })
        }
        _ => None,
    };
    let rows = u64::try_from(file_metadata.num_rows())
        .map_err(|_| parquet_error("negative row count".to_owned()))?;
    Ok((std::sync::Arc::new(schema), rows, healpix))
}
