//! What a start does to the jobs an earlier run left (and a stop to the running ones): a job
//! caught EXECUTING becomes ERROR, QUEUED jobs are queued again, stray files go.

use std::collections::HashMap;

use crate::engine::Engine;
use crate::error::UwsError;
use crate::jobfs::{self, KeptFiles};
use crate::phase::Phase;
use crate::store::{ErrorKind, JobError, PhaseChange};
use crate::time;

/// The message of a job found EXECUTING when the engine starts: it was running when the
/// server stopped. Such a job is not re-run: its work may be what brought the server down, and
/// a client may not expect a second run; the client can create it again.
pub const INTERRUPTED_MESSAGE: &str =
    "the server stopped while this job was executing; submit it again";

impl Engine {
    /// Brings the store and the files in line after a start: see [`Engine::open`].
    pub(crate) async fn recover(&self) -> Result<(), UwsError> {
        let interrupted = self.db(|s| s.ids_in_phase(Phase::Executing)).await?;
        for id in &interrupted {
            let (key, change) = (id.clone(), interrupted_change());
            self.db(move |s| s.transition(&key, Phase::Executing, Phase::Error, &change))
                .await?;
        }
        if !interrupted.is_empty() {
            tracing::warn!(
                "{} job(s) were executing when the server stopped; they are now ERROR",
                interrupted.len()
            );
        }
        let mut kept = HashMap::new();
        for id in self.db(|s| s.all_ids()).await? {
            let key = id.clone();
            if let Some(job) = self.db(move |s| s.get(&key)).await? {
                let files = KeptFiles {
                    results: job.phase == Phase::Completed,
                    error_document: job.error.and_then(|e| e.document_mime).is_some(),
                };
                kept.insert(id, files);
            }
        }
        let jobs_dir = self.jobs_dir();
        Self::fs(move || jobfs::tidy_job_dirs(&jobs_dir, &kept)).await??;
        let queued = self.db(|s| s.ids_in_phase(Phase::Queued)).await?;
        self.scheduler.lock().await.queue.extend(queued);
        Ok(())
    }
}

pub(crate) fn interrupted_change() -> PhaseChange {
    PhaseChange {
        end_time: Some(time::now()),
        error: Some(JobError {
            message: INTERRUPTED_MESSAGE.into(),
            kind: ErrorKind::Transient,
            document_mime: None,
        }),
        ..PhaseChange::default()
    }
}
