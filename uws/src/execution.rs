//! Running jobs: the queue feeds at most [`crate::UwsLimits::concurrent_jobs`] workers; each
//! job's work runs in its own task, under its execution duration and its cancellation token;
//! its outcome becomes the job's final phase.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::engine::{Engine, Running, Scheduler};
use crate::error::UwsError;
use crate::jobfs;
use crate::phase::Phase;
use crate::recovery::interrupted_change;
use crate::runner::{JobContext, JobFailure, JobResult};
use crate::store::{ErrorKind, JobError, PhaseChange};
use crate::time;
use crate::time::secs_to_ms;

/// How a job's work ended.
enum Outcome {
    Finished(Result<Vec<JobResult>, JobFailure>),
    /// The work panicked or was otherwise lost.
    Crashed(String),
    /// Cancelled; whoever cancelled it has already recorded the final phase.
    Stopped,
}

impl Engine {
    /// Starts queued jobs while workers are free. The caller holds the scheduler lock.
    ///
    /// The future is boxed and declared `Send`: dispatching spawns jobs whose end dispatches
    /// again, a cycle the compiler cannot see through on its own.
    pub(crate) fn dispatch<'a>(
        self: &'a Arc<Self>,
        scheduler: &'a mut Scheduler,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>> {
        Box::pin(self.dispatch_now(scheduler))
    }

    async fn dispatch_now(self: &Arc<Self>, scheduler: &mut Scheduler) {
        while !self.stopping.is_cancelled() && scheduler.running.len() < self.limits.concurrent_jobs
        {
            let Some(id) = scheduler.queue.pop_front() else {
                break;
            };
            match self.start(&id).await {
                Ok(Some(running)) => {
                    scheduler.running.insert(id, running);
                }
                Ok(None) => {}
                Err(e) => tracing::error!("job {id}: could not start: {e}"),
            }
        }
    }

    /// QUEUED → EXECUTING, and the job's task is spawned. `None` if the job left the queue
    /// meanwhile.
    async fn start(self: &Arc<Self>, id: &str) -> Result<Option<Running>, UwsError> {
        let job = match self.job(id).await {
            Ok(job) if job.phase == Phase::Queued => job,
            Ok(_) | Err(UwsError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let job_dir = self.job_dir(id);
        let partial = {
            let dir = job_dir.clone();
            Self::fs(move || jobfs::fresh_partial(&dir)).await?
        };
        let now = time::now();
        let (to, change) = match partial {
            Ok(_) => (
                Phase::Executing,
                PhaseChange {
                    start_time: Some(now),
                    ..PhaseChange::default()
                },
            ),
            Err(e) => (
                Phase::Error,
                PhaseChange {
                    end_time: Some(now),
                    error: Some(JobError {
                        message: format!("the job's directory could not be prepared: {e}"),
                        kind: ErrorKind::Transient,
                        document_mime: None,
                    }),
                    ..PhaseChange::default()
                },
            ),
        };
        let key = job.id.clone();
        if !self
            .db(move |s| s.transition(&key, Phase::Queued, to, &change))
            .await?
        {
            return Ok(None);
        }
        self.notify(id);
        if to != Phase::Executing {
            return Ok(None);
        }
        let cancel = CancellationToken::new();
        let ctx = JobContext {
            job_id: job.id.clone(),
            parameters: job.parameters,
            results_dir: job_dir.join(jobfs::PARTIAL),
            uploads_dir: job_dir.join(jobfs::UPLOADS),
            cancel: cancel.clone(),
        };
        let task = tokio::spawn(self.clone().execute(ctx, job.execution_duration));
        Ok(Some(Running {
            cancel,
            task: Some(task),
        }))
    }

    /// The life of one job's work, from EXECUTING to its final phase.
    async fn execute(self: Arc<Self>, ctx: JobContext, execution_duration: u64) {
        let id = ctx.job_id.clone();
        let cancel = ctx.cancel.clone();
        let runner = self.runner.clone();
        let mut work = tokio::spawn(async move { runner.run(ctx).await });
        let deadline = async {
            match execution_duration {
                0 => std::future::pending().await,
                secs => tokio::time::sleep(Duration::from_secs(secs)).await,
            }
        };
        let outcome = tokio::select! {
            joined = &mut work => match joined {
                Ok(result) => Outcome::Finished(result),
                Err(e) => Outcome::Crashed(e.to_string()),
            },
            () = cancel.cancelled() => Outcome::Stopped,
            () = deadline => {
                self.exceeded(&id, execution_duration).await;
                Outcome::Stopped
            }
        };
        if matches!(outcome, Outcome::Stopped) {
            // The work gets a grace period to stop by itself, then is dropped: dropping a
            // DataFusion stream stops it and frees its memory.
            cancel.cancel();
            let grace = Duration::from_millis(self.limits.cancel_grace_ms);
            if tokio::time::timeout(grace, &mut work).await.is_err() {
                tracing::warn!("job {id}: work ignored cancellation for {grace:?}; dropping it");
                work.abort();
            }
        }
        let recorded = match outcome {
            Outcome::Finished(Ok(results)) => self.complete(&id, results).await,
            Outcome::Finished(Err(failure)) => self.fail(&id, failure).await,
            Outcome::Crashed(why) => {
                self.fail(
                    &id,
                    JobFailure::message(format!("the job's work failed: {why}")),
                )
                .await
            }
            Outcome::Stopped => Ok(()),
        };
        if let Err(e) = recorded {
            tracing::error!("job {id}: recording its end: {e}");
            let change = interrupted_change();
            let key = id.clone();
            if let Ok(true) = self
                .db(move |s| s.transition(&key, Phase::Executing, Phase::Error, &change))
                .await
            {
                self.notify(&id);
            }
        }
        self.finish(&id).await;
    }

    /// The execution duration is exceeded: the job is aborted (UWS 1.1 §2.1.4: "the same
    /// effect as when a manual Abort is requested").
    async fn exceeded(&self, id: &str, seconds: u64) {
        let change = PhaseChange {
            end_time: Some(time::now()),
            error: Some(JobError {
                message: format!(
                    "the job exceeded its execution duration of {seconds} s and was aborted"
                ),
                kind: ErrorKind::Transient,
                document_mime: None,
            }),
            ..PhaseChange::default()
        };
        let key = id.to_owned();
        match self
            .db(move |s| s.transition(&key, Phase::Executing, Phase::Aborted, &change))
            .await
        {
            Ok(true) => self.notify(id),
            Ok(false) => {}
            Err(e) => tracing::error!("job {id}: recording the timeout: {e}"),
        }
    }

    async fn complete(&self, id: &str, results: Vec<JobResult>) -> Result<(), UwsError> {
        let dir = self.job_dir(id);
        let published = Self::fs(move || jobfs::publish_results(&dir, &results)).await?;
        let stored = match published {
            Ok(stored) => stored,
            Err(why) => {
                let message = format!("the job's work gave an unusable result: {why}");
                return self.fail(id, JobFailure::message(message)).await;
            }
        };
        let change = PhaseChange {
            end_time: Some(time::now()),
            results: stored,
            ..PhaseChange::default()
        };
        let key = id.to_owned();
        if self
            .db(move |s| s.transition(&key, Phase::Executing, Phase::Completed, &change))
            .await?
        {
            self.notify(id);
        } else {
            // Aborted or destroyed while finishing: the results are not the job's.
            let results = self.job_dir(id).join(jobfs::RESULTS);
            Self::fs(move || jobfs::remove_dir_if_any(&results)).await??;
        }
        Ok(())
    }

    async fn fail(&self, id: &str, failure: JobFailure) -> Result<(), UwsError> {
        let document_mime = match failure.document {
            None => None,
            Some(document) => {
                let dir = self.job_dir(id);
                let mime = document.mime_type.clone();
                match Self::fs(move || jobfs::store_error_document(&dir, &document)).await? {
                    Ok(()) => Some(mime),
                    Err(e) => {
                        tracing::warn!("job {id}: storing its error document: {e}");
                        None
                    }
                }
            }
        };
        let stored_document = document_mime.is_some();
        let change = PhaseChange {
            end_time: Some(time::now()),
            error: Some(JobError {
                message: failure.message,
                kind: ErrorKind::Fatal,
                document_mime,
            }),
            ..PhaseChange::default()
        };
        let key = id.to_owned();
        if self
            .db(move |s| s.transition(&key, Phase::Executing, Phase::Error, &change))
            .await?
        {
            self.notify(id);
        } else if stored_document {
            let file = self.job_dir(id).join(jobfs::ERROR);
            Self::fs(move || jobfs::remove_file_if_any(&file)).await??;
        }
        Ok(())
    }

    /// The work has stopped: drop what it left half-written, free its worker, and start the
    /// next job. A job destroyed while running has its directory removed now.
    async fn finish(self: &Arc<Self>, id: &str) {
        let mut scheduler = self.scheduler.lock().await;
        scheduler.running.remove(id);
        let key = id.to_owned();
        let exists = !matches!(self.db(move |s| s.get(&key)).await, Ok(None));
        let dir = self.job_dir(id);
        let tidied = Self::fs(move || {
            if exists {
                jobfs::remove_dir_if_any(&dir.join(jobfs::PARTIAL))
            } else {
                jobfs::remove_dir_if_any(&dir)
            }
        })
        .await;
        if let Ok(Err(e)) | Err(UwsError::Io(e)) = tidied {
            tracing::warn!("job {id}: tidying its files: {e}");
        }
        self.dispatch(&mut scheduler).await;
    }

    /// Destroys jobs at their destruction time (UWS 1.1 §2.1.5), sleeping until the next one
    /// is due or a destruction time changes.
    pub(crate) async fn sweep(self: Arc<Self>) {
        loop {
            let now = time::now();
            match self.db(move |s| s.destroyed_by(now)).await {
                Ok(ids) => {
                    for id in ids {
                        match self.delete(&id).await {
                            Ok(()) | Err(UwsError::NotFound(_)) => {}
                            Err(e) => tracing::error!("job {id}: destroying it: {e}"),
                        }
                    }
                }
                Err(e) => tracing::error!("finding jobs to destroy: {e}"),
            }
            // At most a minute, so a change of the wall clock is noticed.
            let next = self.db(|s| s.next_destruction()).await.ok().flatten();
            let now = time::now();
            let delay = match next {
                Some(t) if t > now => (t - now).min(secs_to_ms(60)),
                Some(_) => 1_000,
                None => secs_to_ms(60),
            };
            tokio::select! {
                () = self.stopping.cancelled() => return,
                () = self.sweeper_wake.notified() => {}
                () = tokio::time::sleep(Duration::from_millis(u64::try_from(delay).unwrap_or(1_000))) => {}
            }
        }
    }
}
