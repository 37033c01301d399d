//! TAP /async: each job runs one query through the UWS engine and streams its result to a file
//! in the job's results folder (TAP 1.1 §2.2: the result is at `results/result`).

use std::io::BufWriter;
use std::sync::Arc;

use dali::Parameters;
use formats::EndStatus;
use formats::ErrorStyle;
use uws::{JobContext, JobFailure, JobFuture, JobResult, JobRunner};

use super::execute::TapCore;
use super::request::TapRequest;
use super::uploads;
use crate::dal::DalError;

pub struct TapRunner {
    pub core: Arc<TapCore>,
}

impl JobRunner for TapRunner {
    /// Every job is accepted: TAP 1.1 §2.2.2 creates the job and reports a bad query through
    /// its ERROR phase and error document when it runs, which is what clients (and taplint)
    /// expect of a POST to /async.
    fn check_parameters(&self, _params: &Parameters) -> Result<(), String> {
        Ok(())
    }

    fn run(&self, ctx: JobContext) -> JobFuture<'_> {
        Box::pin(async move {
            self.run_query(ctx)
                .await
                .map_err(|e| JobFailure::message(e.to_string()))
        })
    }

    /// Errors of TAP jobs are VOTable error documents, as for /sync (TAP 1.1 §2.9).
    fn message_document(&self, message: &str) -> (String, Vec<u8>) {
        (
            "application/x-votable+xml".to_owned(),
            formats::error_document(message, ErrorStyle::Dali).into_bytes(),
        )
    }
}

impl TapRunner {
    async fn run_query(&self, ctx: JobContext) -> Result<Vec<JobResult>, DalError> {
        let request = TapRequest::from_params(&ctx.parameters)?;
        let uploads = uploads::load(
            &request.uploads,
            |name| ctx.upload_path(name),
            &ctx.uploads_dir,
            &self.core.config,
        )
        .await?;
        let started = self.core.start(&request, &uploads).await?;
        let file_name = format!("result.{}", request.response_format.format.file_extension());
        let path = ctx.results_dir.join(&file_name);
        let file = std::fs::File::create(&path)
            .map_err(|e| DalError::internal(format!("cannot create {}: {e}", path.display())))?;
        let cancel = ctx.cancel.clone();
        let written = started
            .write(Box::new(BufWriter::new(file)), async move {
                cancel.cancelled().await;
                "the job was stopped".to_owned()
            })
            .await?;
        if let EndStatus::Error(message) = written.status {
            return Err(DalError::bad_request(message));
        }
        Ok(vec![JobResult {
            id: "result".to_owned(),
            file: file_name.into(),
            mime_type: request.response_format.content_type(),
        }])
    }
}
