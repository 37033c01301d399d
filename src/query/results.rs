//! Streams a query's record batches through a result encoder into any writer — an HTTP body or
//! a job's result file — batch by batch, so memory stays flat in result size.
//!
//! The loop runs on a blocking thread (encoders are synchronous writers) and drives the async
//! DataFusion stream from there; dropping the stream when the loop ends stops the query.

use std::future::Future;
use std::io::Write;
use std::pin::pin;
use std::time::Duration;

use datafusion::physical_plan::SendableRecordBatchStream;
use formats::{DocumentInfo, EndStatus, FieldMeta, FormatError, OutputFormat};
use futures::StreamExt;
use tokio::runtime::Handle;

/// How a streamed result ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub rows: u64,
    pub status: EndStatus,
}

/// What to write, and where to stop.
pub struct ResultSpec {
    pub format: OutputFormat,
    pub fields: Vec<FieldMeta>,
    pub document: DocumentInfo,
    /// Rows to write at most; the stream should carry one more row to reveal an overflow.
    pub max_rows: u64,
}

/// Writes `stream` as `spec.format` into `out` until the stream ends, `max_rows` rows are
/// written (OVERFLOW if more were coming), or `stop` completes (ERROR with its message: a
/// timeout or a cancellation). Errors of the query itself end the document with an ERROR INFO;
/// only a failing writer (e.g. a client that went away) is returned as an error.
pub fn write_results(
    handle: &Handle,
    mut stream: SendableRecordBatchStream,
    spec: ResultSpec,
    out: Box<dyn Write + Send>,
    stop: impl Future<Output = String>,
) -> Result<Written, FormatError> {
    let mut encoder = formats::encoder(spec.format, out, spec.fields, &spec.document)?;
    let mut stop = pin!(stop);
    let mut rows = 0;
    let status = loop {
        let next = handle.block_on(async {
            tokio::select! {
                next = stream.next() => Ok(next),
                reason = &mut stop => Err(reason),
            }
        });
        let batch = match next {
            Ok(Some(Ok(batch))) => batch,
            Ok(Some(Err(e))) => break EndStatus::Error(e.to_string()),
            Ok(None) => break EndStatus::Ok,
            Err(reason) => break EndStatus::Error(reason),
        };
        let room = spec.max_rows - rows;
        if batch.num_rows() as u64 > room {
            encoder.write_batch(&batch.slice(0, room as usize))?;
            rows += room;
            break EndStatus::Overflow;
        }
        encoder.write_batch(&batch)?;
        rows += batch.num_rows() as u64;
        if rows == spec.max_rows && spec.max_rows > 0 {
            // Exactly MAXREC rows so far: only one more row would make it an overflow.
            let more = handle.block_on(async {
                tokio::select! {
                    next = next_non_empty(&mut stream) => Ok(next),
                    reason = &mut stop => Err(reason),
                }
            });
            break match more {
                Ok(true) => EndStatus::Overflow,
                Ok(false) => EndStatus::Ok,
                Err(reason) => EndStatus::Error(reason),
            };
        }
    };
    let status = if spec.max_rows == 0 && status == EndStatus::Ok {
        // MAXREC=0 asks for the metadata only; the result is truncated by definition.
        EndStatus::Overflow
    } else {
        status
    };
    drop(stream);
    encoder.finish(status.clone())?;
    Ok(Written { rows, status })
}

/// The reason to stop a result streaming to a client that waits: `limit` has passed (the
/// reason is then `timeout_message`) or the client went away (`client_gone` completed).
pub async fn time_limit_or_hangup(
    limit: Duration,
    timeout_message: String,
    client_gone: impl Future<Output = ()>,
) -> String {
    tokio::select! {
        _ = tokio::time::sleep(limit) => timeout_message,
        _ = client_gone => "the client went away".to_owned(),
    }
}

/// True if the stream yields at least one more row (a query error counts as no more rows).
async fn next_non_empty(stream: &mut SendableRecordBatchStream) -> bool {
    while let Some(next) = stream.next().await {
        match next {
            Ok(batch) if batch.num_rows() > 0 => return true,
            Ok(_) => continue,
            Err(_) => return false,
        }
    }
    false
}
