//! TAP uploads (TAP 1.1 §2.5.3): VOTables sent with the request (or fetched from an allowed
//! host) read into memory as `TAP_UPLOAD.<name>` for one query, with a HEALPix index on their
//! positions so that a crossmatch against a catalogue takes the sky-index path.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Schema};
use formats::FieldMeta;
use formats::votable::ReadOptions;

use super::request::{UploadSource, UploadSpec};
use crate::catalog::{ColumnInfo, HealpixIndex, TableInfo};
use crate::config::{ColumnConfig, PositionColumns, TapConfig};
use crate::dal::DalError;
use crate::ingest::HEALPIX_COLUMN;
use crate::query::adql::Upload;
use crate::query::lookup::UPLOAD_SCHEMA;

/// The HEALPix order of the index given to uploaded positions, as ingest gives catalogues.
const UPLOAD_ORDER: u8 = 29;

/// Reads every upload of a request; `part` finds the file of a multipart part by name, and
/// fetched URLs are stored in `dir`.
pub async fn load(
    specs: &[UploadSpec],
    part: impl Fn(&str) -> Option<PathBuf>,
    dir: &std::path::Path,
    config: &TapConfig,
) -> Result<Vec<Upload>, DalError> {
    let mut uploads = Vec::new();
    for spec in specs {
        if uploads
            .iter()
            .any(|u: &Upload| u.table.name.eq_ignore_ascii_case(&spec.table))
        {
            return Err(DalError::bad_request(format!(
                "UPLOAD names the table `{}` twice",
                spec.table
            )));
        }
        let path = match &spec.source {
            UploadSource::Part(name) => part(name).ok_or_else(|| {
                DalError::bad_request(format!(
                    "UPLOAD {}: the request has no file part named `{name}`",
                    spec.table
                ))
            })?,
            UploadSource::Url(url) => fetch(url, dir, config).await?,
        };
        let table = spec.table.clone();
        let limits = config.clone();
        let upload = tokio::task::spawn_blocking(move || read(&table, &path, &limits))
            .await
            .map_err(|e| DalError::internal(format!("reading the upload stopped: {e}")))??;
        uploads.push(upload);
    }
    Ok(uploads)
}

/// Fetches an upload URL into `dir`. Fetching what a client names lets it reach the server's
/// network (request forgery), so only hosts the operator listed are fetched; redirects are not
/// followed, and the body is cut at the upload size limit.
async fn fetch(url: &str, dir: &std::path::Path, config: &TapConfig) -> Result<PathBuf, DalError> {
    let refused = |why: &str| {
        DalError::bad_request(format!(
            "UPLOAD URL {url} refused: {why}; send the table inline as UPLOAD=name,param:part \
             in a multipart request"
        ))
    };
    let uri: hyper::Uri = url.parse().map_err(|_| refused("it is not a valid URL"))?;
    let host = uri.host().unwrap_or("");
    if !config
        .upload_url_hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(host))
    {
        return Err(refused(
            "its host is not among those this server may fetch from (tap.upload_url_hosts)",
        ));
    }
    if uri.scheme_str() != Some("http") {
        return Err(refused("this server fetches http URLs only"));
    }
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Empty<bytes::Bytes>>();
    let response = client
        .get(uri)
        .await
        .map_err(|e| DalError::bad_request(format!("UPLOAD URL {url}: {e}")))?;
    if !response.status().is_success() {
        return Err(DalError::bad_request(format!(
            "UPLOAD URL {url} answered {}",
            response.status()
        )));
    }
    let path = dir.join(format!("fetched-{}", uuid_like()));
    let mut file = tokio::fs::File::create(&path)
        .await
        .map_err(|e| DalError::internal(format!("cannot store the upload: {e}")))?;
    let mut body = response.into_body();
    let mut size = 0u64;
    while let Some(frame) = http_body_util::BodyExt::frame(&mut body).await {
        let frame = frame.map_err(|e| DalError::bad_request(format!("UPLOAD URL {url}: {e}")))?;
        if let Ok(chunk) = frame.into_data() {
            size += chunk.len() as u64;
            if size > config.upload_max_bytes {
                return Err(DalError::bad_request(format!(
                    "UPLOAD URL {url} is larger than the upload limit of {} bytes",
                    config.upload_max_bytes
                )));
            }
            tokio::io::AsyncWriteExt::write_all(&mut file, &chunk)
                .await
                .map_err(|e| DalError::internal(format!("cannot store the upload: {e}")))?;
        }
    }
    Ok(path)
}

/// A name unique enough for a file in a request's own folder.
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

fn read(table: &str, path: &std::path::Path, config: &TapConfig) -> Result<Upload, DalError> {
    let file = File::open(path)
        .map_err(|e| DalError::internal(format!("cannot open the upload {table}: {e}")))?;
    let options = ReadOptions {
        source: Some(format!("UPLOAD {table}")),
        max_rows: Some(config.upload_max_rows),
        max_bytes: Some(config.upload_max_bytes),
        ..ReadOptions::default()
    };
    let mut batches = Vec::new();
    let meta = formats::votable::read(BufReader::new(file), &options, |batch| {
        batches.push(batch);
        Ok::<_, DalError>(())
    })
    .map_err(|e| DalError::bad_request(e.to_string()))?;
    let mut columns: Vec<ColumnInfo> = meta.fields.iter().map(column).collect();
    let position = position_columns(&meta.fields);
    let healpix = position.as_ref().map(|_| HealpixIndex {
        column: HEALPIX_COLUMN.to_owned(),
        order: UPLOAD_ORDER,
    });
    if let Some(position) = &position {
        batches = batches
            .iter()
            .map(|b| with_index(b, position))
            .collect::<Result<_, _>>()?;
    }
    if columns.is_empty() {
        return Err(DalError::bad_request(format!(
            "UPLOAD {table} has no columns"
        )));
    }
    columns.retain(|c| c.name != HEALPIX_COLUMN);
    Ok(Upload {
        table: TableInfo {
            schema: UPLOAD_SCHEMA.to_owned(),
            name: table.to_owned(),
            description: meta.description.clone(),
            utype: None,
            files: Vec::new(),
            columns,
            row_count: meta.rows,
            position,
            healpix,
            foreign_keys: Vec::new(),
        },
        batches,
    })
}

fn column(field: &FieldMeta) -> ColumnInfo {
    ColumnInfo {
        name: field.name.clone(),
        data_type: field.arrow_type(),
        nullable: true,
        meta: ColumnConfig {
            description: field.description.clone(),
            unit: field.unit.clone(),
            ucd: field.ucd.clone(),
            utype: field.utype.clone(),
            xtype: field.xtype.clone(),
            datatype: field
                .datatype
                .is_character()
                .then(|| field.datatype.as_str().to_owned()),
            ..ColumnConfig::default()
        },
    }
}

/// The uploaded table's position columns: by UCD (main position first), else named ra/dec.
fn position_columns(fields: &[FieldMeta]) -> Option<PositionColumns> {
    let numeric = |f: &&FieldMeta| f.arraysize.is_none() && !f.datatype.is_character();
    let find = |ucds: [&str; 2], name: &str| {
        ucds.iter()
            .find_map(|ucd| {
                fields.iter().filter(numeric).find(|f| {
                    f.ucd
                        .as_deref()
                        .is_some_and(|u| u.eq_ignore_ascii_case(ucd))
                })
            })
            .or_else(|| {
                fields
                    .iter()
                    .filter(numeric)
                    .find(|f| f.name.eq_ignore_ascii_case(name))
            })
            .map(|f| f.name.clone())
    };
    Some(PositionColumns {
        ra: find(["pos.eq.ra;meta.main", "pos.eq.ra"], "ra")?,
        dec: find(["pos.eq.dec;meta.main", "pos.eq.dec"], "dec")?,
    })
}

/// The batch with a NESTED index of its position appended (NULL where there is no valid one).
fn with_index(batch: &RecordBatch, position: &PositionColumns) -> Result<RecordBatch, DalError> {
    let degrees = |name: &str| -> Result<ArrayRef, DalError> {
        let column = batch
            .column_by_name(name)
            .ok_or_else(|| DalError::internal(format!("upload column {name} vanished")))?;
        cast(column, &DataType::Float64).map_err(|e| DalError::bad_request(e.to_string()))
    };
    let (ra, dec) = (degrees(&position.ra)?, degrees(&position.dec)?);
    let (ra, dec) = (
        ra.as_primitive::<Float64Type>(),
        dec.as_primitive::<Float64Type>(),
    );
    let layer = cdshealpix::nested::get(UPLOAD_ORDER);
    let index: Int64Array = (0..batch.num_rows())
        .map(|i| {
            let valid = !ra.is_null(i) && !dec.is_null(i) && (-90.0..=90.0).contains(&dec.value(i));
            valid.then(|| {
                let lon = adql::geometry::normalize_lon(ra.value(i));
                layer.hash(lon.to_radians(), dec.value(i).to_radians()) as i64
            })
        })
        .collect();
    let mut fields = batch.schema().fields().to_vec();
    fields.push(Arc::new(Field::new(HEALPIX_COLUMN, DataType::Int64, true)));
    let mut columns = batch.columns().to_vec();
    columns.push(Arc::new(index));
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| DalError::internal(e.to_string()))
}
