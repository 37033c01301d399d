//! What a job does, supplied by the server: the engine knows nothing of it beyond this trait.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use dali::Parameters;
use tokio_util::sync::CancellationToken;

/// The work of one job, as returned by [`JobRunner::run`].
pub type JobFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Vec<JobResult>, JobFailure>> + Send + 'a>>;

/// Runs jobs of one kind (e.g. TAP queries). Object-safe, shared by every job of an engine.
pub trait JobRunner: Send + Sync + 'static {
    /// Checks parameters when a job is created and when they are updated. An error refuses the
    /// request with HTTP 400 and the message, in the document [`JobRunner::message_document`]
    /// makes.
    fn check_parameters(&self, params: &Parameters) -> Result<(), String>;

    /// Runs one job. The work writes its results as files into `ctx.results_dir` and lists
    /// them in the answer. It should stop soon after `ctx.cancel` is cancelled (ABORT, the
    /// execution duration exceeded, destruction or shutdown); if it has not stopped
    /// [`crate::UwsLimits::cancel_grace_ms`] later, the future is dropped.
    fn run(&self, ctx: JobContext) -> JobFuture<'_>;

    /// The document that carries a message for the client, as (MIME type, bytes): the HTTP
    /// error bodies of the job resources and the `/error` resource of jobs that failed
    /// without a document of their own. The default is the message as text/plain; TAP gives
    /// a VOTable (DALI 1.1 §4.4).
    fn message_document(&self, message: &str) -> (String, Vec<u8>) {
        (
            "text/plain; charset=utf-8".into(),
            message.as_bytes().to_vec(),
        )
    }
}

/// Everything a job's work gets.
#[derive(Debug, Clone)]
pub struct JobContext {
    pub job_id: String,
    pub parameters: Parameters,
    /// An empty directory for the result files. It becomes visible to clients only when the
    /// job completes (it is renamed then), so a crash never exposes half a result.
    pub results_dir: PathBuf,
    /// Where inline uploads live; see [`JobContext::upload_path`].
    pub uploads_dir: PathBuf,
    pub cancel: CancellationToken,
}

impl JobContext {
    /// The file holding the upload sent as multipart part `name` (any case).
    pub fn upload_path(&self, name: &str) -> Option<PathBuf> {
        self.parameters
            .upload(name)
            .map(|u| self.uploads_dir.join(&u.stored_as))
    }
}

/// One result of a completed job, served at `/{job-id}/results/{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobResult {
    /// The result's identifier; TAP requires `result` (TAP 1.1 §2.2).
    pub id: String,
    /// File name relative to [`JobContext::results_dir`].
    pub file: PathBuf,
    pub mime_type: String,
}

/// Why a job failed: its phase becomes ERROR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFailure {
    /// The short message of the job's `errorSummary`.
    pub message: String,
    /// The detailed error document served at `/{job-id}/error` (e.g. a VOTable error for
    /// TAP); without one, [`JobRunner::message_document`] of the message is served.
    pub document: Option<ErrorDocument>,
}

impl JobFailure {
    pub fn message(message: impl Into<String>) -> Self {
        JobFailure {
            message: message.into(),
            document: None,
        }
    }
}

/// A document with its MIME type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorDocument {
    pub mime_type: String,
    pub content: ErrorContent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorContent {
    Bytes(Vec<u8>),
    /// A file the work wrote, relative to [`JobContext::results_dir`].
    File(PathBuf),
}

/// Whether `relative` stays inside the directory it is relative to.
pub(crate) fn is_plain_relative(relative: &Path) -> bool {
    !relative.as_os_str().is_empty()
        && relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}
