//! `vostok ingest`: any supported input → rows checked and given a HEALPix index → sorted by it
//! (DataFusion's sort, spilling to disk beyond its memory budget) → one Parquet file.
//!
//! The input is read on a blocking thread that pushes batches through a small channel into the
//! sort, so memory stays flat in input size; an error anywhere leaves nothing at the destination.

pub mod csv;
pub mod fits_images;
pub mod footprints;
pub mod generated;
pub mod generated_footprints;
pub mod geojson;
pub mod obscore;
mod output;
mod progress;
mod sky;
mod snippet;
pub mod source;
pub mod wcs;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use datafusion::arrow::datatypes::{Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::streaming::StreamingTable;
use datafusion::error::DataFusionError;
use datafusion::execution::TaskContext;
use datafusion::logical_expr::col;
use datafusion::physical_plan::SendableRecordBatchStream;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::PartitionStream;
use futures::StreamExt;
use tokio::sync::mpsc;

pub use output::Layout;
pub use sky::HEALPIX_COLUMN;
use source::Source;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Bad input, located as precisely as the format allows.
    #[error("{file}: {}{message}", location(.at, .column))]
    Input {
        file: String,
        at: Option<String>,
        column: Option<String>,
        message: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Engine(String),
}

impl IngestError {
    pub fn input(file: &str, at: Option<String>, column: Option<&str>, message: String) -> Self {
        Self::Input {
            file: file.to_owned(),
            at,
            column: column.map(str::to_owned),
            message,
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}

impl From<DataFusionError> for IngestError {
    fn from(e: DataFusionError) -> Self {
        Self::Engine(e.to_string())
    }
}

fn location(at: &Option<String>, column: &Option<String>) -> String {
    match (at, column) {
        (Some(at), Some(column)) => format!("{at}, column `{column}`: "),
        (Some(at), None) => format!("{at}: "),
        (None, Some(column)) => format!("column `{column}`: "),
        (None, None) => String::new(),
    }
}

/// What to ingest and how to lay out the result.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Input name used in messages.
    pub input_name: String,
    /// Columns holding the position (after renaming), in degrees.
    pub ra: String,
    pub dec: String,
    /// Renamings `from → to` applied to the input's columns.
    pub renames: Vec<(String, String)>,
    /// Destination Parquet file.
    pub out: PathBuf,
    /// ADQL `schema.table` the configuration snippet declares.
    pub table: (String, String),
    pub layout: Layout,
    /// Memory the sort may use before it spills, in bytes.
    pub memory_bytes: usize,
}

#[derive(Debug)]
pub struct IngestSummary {
    pub rows: u64,
    pub parquet: PathBuf,
    pub snippet: PathBuf,
    pub elapsed: Duration,
}

pub async fn ingest(
    source: Box<dyn Source>,
    options: &IngestOptions,
) -> Result<IngestSummary, IngestError> {
    let started = Instant::now();
    let renamed = rename(&source.schema(), &options.renames, &options.input_name)?;
    let (ra, dec) = source.position().unwrap_or((&options.ra, &options.dec));
    let file_metadata = source.file_metadata();
    let table_utype = source.table_utype();
    let sky = sky::SkyIndexer::new(
        &options.input_name,
        &renamed,
        ra,
        dec,
        options.layout.order,
        source.rows(),
    )?;
    let schema = sky.schema();
    let metadata = renamed_metadata(source.metadata(), &options.renames);

    let spill_dir = tempfile::tempdir().map_err(|e| IngestError::io(Path::new("temp dir"), e))?;
    let ctx = crate::engine::session(options.memory_bytes, spill_dir.path())?;
    let (sender, receiver) = mpsc::channel(2);
    let failure = Arc::new(Mutex::new(None));
    let reader = spawn_reader(source, sky, renamed.into(), sender, failure.clone());
    let table = StreamingTable::try_new(
        schema.clone(),
        vec![Arc::new(ChannelPartition {
            schema: schema.clone(),
            receiver: Mutex::new(Some(receiver)),
        })],
    )?;
    let sorted = ctx
        .read_table(Arc::new(table))?
        .sort(vec![col(HEALPIX_COLUMN).sort(true, false)])?
        .execute_stream()
        .await?;
    let written = write_sorted(sorted, schema, options, file_metadata).await;
    let read = reader
        .await
        .map_err(|e| IngestError::Engine(format!("the input reader stopped: {e}")))?;
    // A reader error explains a failed sort better than the sort's own message.
    if let Some(error) = take(&failure) {
        return Err(error);
    }
    let rows = read?;
    written?;
    let snippet = snippet::write(options, (ra, dec), &metadata, table_utype)?;
    Ok(IngestSummary {
        rows,
        parquet: options.out.clone(),
        snippet,
        elapsed: started.elapsed(),
    })
}

fn take(slot: &Mutex<Option<IngestError>>) -> Option<IngestError> {
    slot.lock().ok().and_then(|mut slot| slot.take())
}

/// Reads the input on a blocking thread, indexing each batch and passing it to the sort.
fn spawn_reader(
    mut source: Box<dyn Source>,
    mut sky: sky::SkyIndexer,
    renamed: SchemaRef,
    sender: mpsc::Sender<Result<RecordBatch, DataFusionError>>,
    failure: Arc<Mutex<Option<IngestError>>>,
) -> tokio::task::JoinHandle<Result<u64, IngestError>> {
    tokio::task::spawn_blocking(move || {
        let mut progress = progress::Progress::new("read", source.total_rows());
        let mut rows = 0;
        let result = source.run(&mut |batch| {
            let batch = RecordBatch::try_new(renamed.clone(), batch.columns().to_vec())
                .map_err(|e| IngestError::Engine(e.to_string()))?;
            let batch = sky.index(batch)?;
            rows += batch.num_rows() as u64;
            progress.add(batch.num_rows() as u64);
            sender
                .blocking_send(Ok(batch))
                .map_err(|_| IngestError::Engine("the sort stopped reading".to_owned()))
        });
        if let Err(error) = result {
            let message = error.to_string();
            if let Ok(mut slot) = failure.lock() {
                *slot = Some(error);
            }
            // Stops the sort at once instead of letting it finish on partial input.
            let _ = sender.blocking_send(Err(DataFusionError::Execution(message.clone())));
            return Err(IngestError::Engine(message));
        }
        progress.finish();
        Ok(rows)
    })
}

async fn write_sorted(
    mut sorted: SendableRecordBatchStream,
    schema: SchemaRef,
    options: &IngestOptions,
    file_metadata: Vec<(String, String)>,
) -> Result<(), IngestError> {
    let mut output = output::ParquetOutput::create(
        &options.out,
        schema,
        HEALPIX_COLUMN,
        options.layout,
        file_metadata,
    )?;
    let mut progress = None;
    while let Some(batch) = sorted.next().await {
        let batch = batch?;
        // The first sorted batch arrives once the whole input has been read.
        progress
            .get_or_insert_with(|| progress::Progress::new("write", None))
            .add(batch.num_rows() as u64);
        output.write(&batch)?;
    }
    if let Some(progress) = progress {
        progress.finish();
    }
    output.commit()
}

/// One partition fed by the reader thread.
#[derive(Debug)]
struct ChannelPartition {
    schema: SchemaRef,
    receiver: Mutex<Option<mpsc::Receiver<Result<RecordBatch, DataFusionError>>>>,
}

impl PartitionStream for ChannelPartition {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let receiver = self.receiver.lock().ok().and_then(|mut r| r.take());
        let batches = futures::stream::unfold(receiver, |receiver| async move {
            let mut receiver = receiver?;
            let next = receiver.recv().await?;
            Some((next, Some(receiver)))
        });
        Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), batches))
    }
}

fn rename(
    schema: &Schema,
    renames: &[(String, String)],
    file: &str,
) -> Result<Schema, IngestError> {
    let mut fields: Vec<_> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    for (from, to) in renames {
        let field = fields
            .iter_mut()
            .find(|f| f.name() == from)
            .ok_or_else(|| {
                IngestError::input(
                    file,
                    None,
                    Some(from),
                    "no such column to rename".to_owned(),
                )
            })?;
        *field = field.clone().with_name(to);
    }
    let renamed = Schema::new_with_metadata(fields, schema.metadata().clone());
    for (i, field) in renamed.fields().iter().enumerate() {
        if renamed.fields()[..i]
            .iter()
            .any(|f| f.name() == field.name())
        {
            return Err(IngestError::input(
                file,
                None,
                Some(field.name()),
                "two columns have this name".to_owned(),
            ));
        }
    }
    Ok(renamed)
}

fn renamed_metadata(
    mut metadata: std::collections::BTreeMap<String, crate::config::ColumnConfig>,
    renames: &[(String, String)],
) -> std::collections::BTreeMap<String, crate::config::ColumnConfig> {
    for (from, to) in renames {
        if let Some(meta) = metadata.remove(from) {
            metadata.insert(to.clone(), meta);
        }
    }
    metadata
}
