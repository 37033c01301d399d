//! The engine: jobs, their phases and their files, independent of HTTP. The HTTP resources in
//! [`crate::http`] call one method of it each.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dali::{ParamValue, Parameters};
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::control::Control;
use crate::error::UwsError;
use crate::filter::JobFilter;
use crate::id;
use crate::jobfs;
use crate::limits::UwsLimits;
use crate::phase::{Actor, Phase};
use crate::recovery::interrupted_change;
use crate::runner::JobRunner;
use crate::store::{ErrorKind, JobError, JobRecord, JobSummary, PhaseChange, Store, StoreError};
use crate::time::{self, Millis, secs_to_ms};

pub struct Engine {
    data_dir: PathBuf,
    jobs_url: String,
    pub(crate) limits: UwsLimits,
    pub(crate) runner: Arc<dyn JobRunner>,
    store: Arc<Store>,
    pub(crate) scheduler: tokio::sync::Mutex<Scheduler>,
    /// One channel per job someone is waiting on; a send wakes the waiters (UWS 1.1 §2.2.1.2).
    watchers: Mutex<HashMap<String, watch::Sender<()>>>,
    pub(crate) stopping: CancellationToken,
    pub(crate) sweeper_wake: Notify,
}

/// The in-memory side of execution: the queue and the jobs running now.
#[derive(Default)]
pub(crate) struct Scheduler {
    pub queue: VecDeque<String>,
    pub running: HashMap<String, Running>,
}

pub(crate) struct Running {
    pub cancel: CancellationToken,
    pub task: Option<JoinHandle<()>>,
}

/// A job being created: its id and directory exist, its record not yet. Dropping a draft that
/// was not created removes its directory (and the uploads in it).
pub struct JobDraft {
    id: String,
    dir: PathBuf,
    created: bool,
}

impl JobDraft {
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn uploads_dir(&self) -> PathBuf {
        self.dir.join(jobfs::UPLOADS)
    }
}

impl Drop for JobDraft {
    fn drop(&mut self) {
        if !self.created {
            let _ = jobfs::remove_dir_if_any(&self.dir);
        }
    }
}

/// A file to send, with its type and length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedFile {
    pub path: PathBuf,
    pub mime_type: String,
}

/// A document to send: a file, or bytes made on the spot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    File(ServedFile),
    Bytes { mime_type: String, bytes: Vec<u8> },
}

impl Engine {
    /// Opens (or creates) the job store under `data_dir`, recovers the jobs of an earlier run
    /// — EXECUTING ones become ERROR with [`crate::INTERRUPTED_MESSAGE`], QUEUED ones are
    /// queued again in their order — and starts the runner pool and the destruction sweeper.
    ///
    /// `jobs_url` is the absolute public URL of the job list, i.e. where [`crate::routes`] is
    /// mounted (e.g. `http://example.org/tap/async`); documents link to it.
    pub async fn open(
        data_dir: &Path,
        limits: UwsLimits,
        runner: Arc<dyn JobRunner>,
        jobs_url: String,
    ) -> Result<Arc<Engine>, UwsError> {
        limits.validate().map_err(UwsError::Config)?;
        let jobs_dir = data_dir.join("jobs");
        tokio::fs::create_dir_all(&jobs_dir).await?;
        let db = data_dir.join("jobs.sqlite");
        let store = Arc::new(
            tokio::task::spawn_blocking(move || Store::open(&db))
                .await
                .map_err(|e| UwsError::Io(std::io::Error::other(e)))??,
        );
        let engine = Arc::new(Engine {
            data_dir: data_dir.to_path_buf(),
            jobs_url: jobs_url.trim_end_matches('/').to_owned(),
            limits,
            runner,
            store,
            scheduler: tokio::sync::Mutex::new(Scheduler::default()),
            watchers: Mutex::new(HashMap::new()),
            stopping: CancellationToken::new(),
            sweeper_wake: Notify::new(),
        });
        engine.recover().await?;
        tokio::spawn(engine.clone().sweep());
        engine.dispatch(&mut *engine.scheduler.lock().await).await;
        Ok(engine)
    }

    pub fn limits(&self) -> &UwsLimits {
        &self.limits
    }

    /// The absolute URL of the job list.
    pub fn jobs_url(&self) -> &str {
        &self.jobs_url
    }

    /// Runs a store operation off the async threads.
    pub(crate) async fn db<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, UwsError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || op(&store))
            .await
            .map_err(|e| UwsError::Io(std::io::Error::other(e)))?
            .map_err(UwsError::from)
    }

    /// Runs a file operation off the async threads.
    pub(crate) async fn fs<T: Send + 'static>(
        op: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, UwsError> {
        tokio::task::spawn_blocking(op)
            .await
            .map_err(|e| UwsError::Io(std::io::Error::other(e)))
    }

    /// The folder holding one folder per job.
    pub(crate) fn jobs_dir(&self) -> PathBuf {
        self.data_dir.join("jobs")
    }

    pub(crate) fn job_dir(&self, id: &str) -> PathBuf {
        self.jobs_dir().join(id)
    }

    /// Reserves a new job id and its directory, for the uploads of a creation request.
    pub async fn draft(&self) -> Result<JobDraft, UwsError> {
        let id = id::new_job_id()?;
        let dir = self.job_dir(&id);
        tokio::fs::create_dir_all(dir.join(jobfs::UPLOADS)).await?;
        Ok(JobDraft {
            id,
            dir,
            created: false,
        })
    }

    /// Creates a job from the parameters of its creation request (UWS 1.1 §2.2.3.1). The job
    /// control parameters PHASE=RUN, EXECUTIONDURATION and DESTRUCTION may come with them
    /// (§2.1.11); they are taken out, the rest is checked by the runner and stored. The DALI
    /// RUNID parameter becomes the job's runId. Returns the new job's id.
    pub async fn create(
        self: &Arc<Self>,
        mut draft: JobDraft,
        mut parameters: Parameters,
        owner: Option<String>,
    ) -> Result<String, UwsError> {
        let now = time::now();
        let control = Control::take(&mut parameters, now)?;
        let execution_duration = match control.execution_duration {
            Some(seconds) => self.limits.grant_execution_duration(seconds),
            None => self.limits.default_execution_duration,
        };
        let destruction = match control.destruction {
            Some(requested) => Some(self.grant_destruction(now, requested)),
            None => (self.limits.default_destruction > 0)
                .then(|| now + secs_to_ms(self.limits.default_destruction)),
        };
        self.runner
            .check_parameters(&parameters)
            .map_err(UwsError::BadRequest)?;
        let mut job = JobRecord {
            id: draft.id.clone(),
            phase: Phase::Pending,
            run_id: parameters.get("RUNID").map(str::to_owned),
            owner,
            creation_time: now,
            start_time: None,
            end_time: None,
            execution_duration,
            destruction,
            parameters,
            results: Vec::new(),
            error: None,
        };
        if control.run {
            let mut scheduler = self.scheduler.lock().await;
            self.check_room(&scheduler)?;
            job.phase = Phase::Queued;
            let record = job.clone();
            self.db(move |s| s.insert(&record, Some(now))).await?;
            draft.created = true;
            scheduler.queue.push_back(job.id.clone());
            self.dispatch(&mut scheduler).await;
        } else {
            let record = job.clone();
            self.db(move |s| s.insert(&record, None)).await?;
            draft.created = true;
        }
        self.sweeper_wake.notify_one();
        Ok(job.id)
    }

    pub async fn job(&self, id: &str) -> Result<JobRecord, UwsError> {
        if !id::is_job_id(id) {
            return Err(UwsError::no_job(id));
        }
        let key = id.to_owned();
        self.db(move |s| s.get(&key))
            .await?
            .ok_or_else(|| UwsError::no_job(id))
    }

    pub async fn list(&self, filter: JobFilter) -> Result<Vec<JobSummary>, UwsError> {
        self.db(move |s| s.list(&filter)).await
    }

    /// The job once its phase has changed, `wait` has passed, or at once if it is not in an
    /// active phase or not in `phase` (UWS 1.1 §2.2.1.2). The wait is capped by
    /// [`UwsLimits::max_wait`]. The waiter sleeps on the job's channel: nothing polls.
    pub async fn wait(
        &self,
        id: &str,
        wait: Duration,
        phase: Option<Phase>,
    ) -> Result<JobRecord, UwsError> {
        let wait = wait.min(Duration::from_secs(self.limits.max_wait));
        // Subscribe before reading, so a change between the two still wakes us.
        let mut changed = self.subscribe(id);
        let job = match self.job(id).await {
            Ok(job) => job,
            Err(e) => {
                drop(changed);
                self.unsubscribe_if_unused(id);
                return Err(e);
            }
        };
        let blocks = job.phase.is_active() && phase.is_none_or(|p| p == job.phase);
        if !blocks || wait.is_zero() {
            return Ok(job);
        }
        let _ = tokio::time::timeout(wait, changed.changed()).await;
        drop(changed);
        self.unsubscribe_if_unused(id);
        self.job(id).await
    }

    /// PHASE=RUN (UWS 1.1 §2.2.3.5): PENDING becomes QUEUED, or 503 if the queue is full.
    pub async fn run(self: &Arc<Self>, id: &str) -> Result<(), UwsError> {
        let mut scheduler = self.scheduler.lock().await;
        let job = self.job(id).await?;
        if !job.phase.can_become(Phase::Queued, Actor::Client) {
            return Err(illegal(&job, "PHASE=RUN"));
        }
        self.check_room(&scheduler)?;
        let change = PhaseChange {
            queued_at: Some(time::now()),
            ..PhaseChange::default()
        };
        self.transition(&job, Phase::Queued, change, "PHASE=RUN")
            .await?;
        scheduler.queue.push_back(job.id);
        self.dispatch(&mut scheduler).await;
        Ok(())
    }

    /// PHASE=ABORT (UWS 1.1 §2.2.3.6): a running job's work is cancelled.
    pub async fn abort(self: &Arc<Self>, id: &str) -> Result<(), UwsError> {
        let mut scheduler = self.scheduler.lock().await;
        let job = self.job(id).await?;
        if !job.phase.can_become(Phase::Aborted, Actor::Client) {
            return Err(illegal(&job, "PHASE=ABORT"));
        }
        let change = PhaseChange {
            end_time: Some(time::now()),
            error: Some(JobError {
                message: "the job was aborted at the request of its client".into(),
                kind: ErrorKind::Transient,
                document_mime: None,
            }),
            ..PhaseChange::default()
        };
        self.transition(&job, Phase::Aborted, change, "PHASE=ABORT")
            .await?;
        scheduler.queue.retain(|q| *q != job.id);
        if let Some(running) = scheduler.running.get(&job.id) {
            running.cancel.cancel();
        }
        Ok(())
    }

    /// Destroys a job (UWS 1.1 §2.1.5): its work is cancelled, its record and files go.
    pub async fn delete(&self, id: &str) -> Result<(), UwsError> {
        if !id::is_job_id(id) {
            return Err(UwsError::no_job(id));
        }
        let mut scheduler = self.scheduler.lock().await;
        let key = id.to_owned();
        if !self.db(move |s| s.delete(&key)).await? {
            return Err(UwsError::no_job(id));
        }
        scheduler.queue.retain(|q| q != id);
        let running = scheduler.running.get(id).map(|r| r.cancel.clone());
        drop(scheduler);
        // Dropping the channel wakes the waiters; they then find no job.
        self.lock_watchers().remove(id);
        match running {
            // The job's task removes the directory once the work has stopped writing in it.
            Some(cancel) => cancel.cancel(),
            None => {
                let dir = self.job_dir(id);
                Self::fs(move || jobfs::remove_dir_if_any(&dir)).await??;
            }
        }
        Ok(())
    }

    /// EXECUTIONDURATION (UWS 1.1 §2.2.3.4), before the job starts; the granted value is
    /// capped by the limits.
    pub async fn set_execution_duration(&self, id: &str, seconds: u64) -> Result<(), UwsError> {
        let job = self.job(id).await?;
        let granted = self.limits.grant_execution_duration(seconds);
        let phases = [Phase::Pending, Phase::Queued];
        let key = job.id.clone();
        if !phases.contains(&job.phase)
            || !self
                .db(move |s| s.set_execution_duration(&key, &phases, granted))
                .await?
        {
            let job = self.job(id).await?;
            return Err(UwsError::IllegalInPhase(format!(
                "the execution duration can only change while the job is PENDING or QUEUED; it is {}",
                job.phase
            )));
        }
        Ok(())
    }

    /// DESTRUCTION (UWS 1.1 §2.2.3.3): any time, capped at creation + the maximum retention.
    pub async fn set_destruction(&self, id: &str, requested: Millis) -> Result<(), UwsError> {
        let job = self.job(id).await?;
        let now = time::now();
        if requested <= now {
            return Err(UwsError::BadRequest(format!(
                "DESTRUCTION={} is in the past; use DELETE to destroy a job now",
                time::format(requested)
            )));
        }
        let granted = self.grant_destruction(job.creation_time, requested);
        let key = job.id.clone();
        if !self
            .db(move |s| s.set_destruction(&key, Some(granted)))
            .await?
        {
            return Err(UwsError::no_job(id));
        }
        self.sweeper_wake.notify_one();
        Ok(())
    }

    /// Replaces the values of the parameters given (UWS 1.1 §2.1.11), while PENDING only.
    /// Uploads in `update` must already be in the job's uploads directory; if the update is
    /// refused they are removed, and if it is accepted the uploads it replaced are.
    pub async fn update_parameters(&self, id: &str, update: Parameters) -> Result<(), UwsError> {
        let new_values: Vec<ParamValue> = update.iter().map(|(_, v)| v.clone()).collect();
        let outcome = match self.job(id).await {
            Ok(job) => self.apply_parameters(job, update).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(replaced) => {
                self.remove_uploads(id, replaced).await;
                Ok(())
            }
            Err(e) => {
                self.remove_uploads(id, new_values).await;
                Err(e)
            }
        }
    }

    async fn apply_parameters(
        &self,
        job: JobRecord,
        update: Parameters,
    ) -> Result<Vec<ParamValue>, UwsError> {
        if job.phase != Phase::Pending {
            return Err(illegal(&job, "changing parameters"));
        }
        let mut parameters = job.parameters.clone();
        let replaced = parameters.update(update);
        self.runner
            .check_parameters(&parameters)
            .map_err(UwsError::BadRequest)?;
        let run_id = parameters.get("RUNID").map(str::to_owned);
        let key = job.id.clone();
        if !self
            .db(move |s| s.set_parameters(&key, &parameters, run_id.as_deref()))
            .await?
        {
            let job = self.job(&job.id).await?;
            return Err(illegal(&job, "changing parameters"));
        }
        Ok(replaced)
    }

    async fn remove_uploads(&self, id: &str, values: Vec<ParamValue>) {
        if !id::is_job_id(id) {
            return;
        }
        let uploads = self.job_dir(id).join(jobfs::UPLOADS);
        let files: Vec<PathBuf> = values
            .into_iter()
            .filter_map(|v| match v {
                ParamValue::Upload(u) => Some(uploads.join(u.stored_as)),
                ParamValue::Text(_) => None,
            })
            .collect();
        let _ = Self::fs(move || {
            for file in files {
                if let Err(e) = jobfs::remove_file_if_any(&file) {
                    tracing::warn!("removing upload {}: {e}", file.display());
                }
            }
        })
        .await;
    }

    /// The file of result `result_id` of a COMPLETED job.
    pub async fn result_file(&self, id: &str, result_id: &str) -> Result<ServedFile, UwsError> {
        let job = self.job(id).await?;
        let result = job
            .results
            .iter()
            .find(|r| r.id == result_id)
            .ok_or_else(|| {
                UwsError::NotFound(format!(
                    "job {id} has no result '{result_id}' (it is {})",
                    job.phase
                ))
            })?;
        Ok(ServedFile {
            path: self.job_dir(id).join(jobfs::RESULTS).join(&result.file),
            mime_type: result.mime_type.clone(),
        })
    }

    /// The `/error` resource: the stored document, or the message in the runner's error
    /// document, or nothing if the job has no error.
    pub async fn error_document(&self, id: &str) -> Result<Option<Served>, UwsError> {
        let job = self.job(id).await?;
        Ok(job.error.map(|error| match error.document_mime {
            Some(mime_type) => Served::File(ServedFile {
                path: self.job_dir(id).join(jobfs::ERROR),
                mime_type,
            }),
            None => {
                let (mime_type, bytes) = self.message_document(&error.message);
                Served::Bytes { mime_type, bytes }
            }
        }))
    }

    /// The runner's document for a message: (MIME type, bytes).
    pub fn message_document(&self, message: &str) -> (String, Vec<u8>) {
        self.runner.message_document(message)
    }

    /// The value of parameter `name` given by reference: an upload, or text that XML
    /// cannot carry.
    pub async fn parameter_value(&self, id: &str, name: &str) -> Result<Served, UwsError> {
        let job = self.job(id).await?;
        let value = job
            .parameters
            .values(name)
            .next()
            .ok_or_else(|| UwsError::NotFound(format!("job {id} has no parameter '{name}'")))?;
        Ok(match value {
            ParamValue::Text(text) => Served::Bytes {
                mime_type: "text/plain; charset=utf-8".into(),
                bytes: text.clone().into_bytes(),
            },
            ParamValue::Upload(upload) => Served::File(ServedFile {
                path: self
                    .job_dir(id)
                    .join(jobfs::UPLOADS)
                    .join(&upload.stored_as),
                mime_type: upload
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".into()),
            }),
        })
    }

    /// Stops cleanly: no more jobs start; running ones are cancelled and become ERROR with
    /// [`crate::INTERRUPTED_MESSAGE`] (as after a crash); QUEUED ones stay queued for the next
    /// start. Returns when their work has stopped (or been dropped).
    pub async fn shutdown(&self) {
        self.stopping.cancel();
        let mut tasks = Vec::new();
        let mut scheduler = self.scheduler.lock().await;
        scheduler.queue.clear();
        let running: Vec<String> = scheduler.running.keys().cloned().collect();
        for id in running {
            let change = interrupted_change();
            let key = id.clone();
            match self
                .db(move |s| s.transition(&key, Phase::Executing, Phase::Error, &change))
                .await
            {
                Ok(true) => self.notify(&id),
                Ok(false) => {}
                Err(e) => tracing::error!("job {id}: recording the shutdown: {e}"),
            }
            if let Some(running) = scheduler.running.get_mut(&id) {
                running.cancel.cancel();
                tasks.extend(running.task.take());
            }
        }
        drop(scheduler);
        for task in tasks {
            let _ = task.await;
        }
    }

    /// Moves `job` out of its phase, or explains why it could not (someone else moved it).
    pub(crate) async fn transition(
        &self,
        job: &JobRecord,
        to: Phase,
        change: PhaseChange,
        action: &str,
    ) -> Result<(), UwsError> {
        let (key, from) = (job.id.clone(), job.phase);
        if self
            .db(move |s| s.transition(&key, from, to, &change))
            .await?
        {
            self.notify(&job.id);
            Ok(())
        } else {
            let now = self.job(&job.id).await?;
            Err(illegal(&now, action))
        }
    }

    fn check_room(&self, scheduler: &Scheduler) -> Result<(), UwsError> {
        if self.stopping.is_cancelled() {
            return Err(UwsError::ShuttingDown);
        }
        let active = scheduler.queue.len() + scheduler.running.len();
        if active >= self.limits.max_queue_length {
            return Err(UwsError::QueueFull(active));
        }
        Ok(())
    }

    fn grant_destruction(&self, creation_time: Millis, requested: Millis) -> Millis {
        match self.limits.max_destruction {
            0 => requested,
            max => requested.min(creation_time + secs_to_ms(max)),
        }
    }

    fn lock_watchers(&self) -> std::sync::MutexGuard<'_, HashMap<String, watch::Sender<()>>> {
        self.watchers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn subscribe(&self, id: &str) -> watch::Receiver<()> {
        self.lock_watchers()
            .entry(id.to_owned())
            .or_insert_with(|| watch::channel(()).0)
            .subscribe()
    }

    fn unsubscribe_if_unused(&self, id: &str) {
        let mut watchers = self.lock_watchers();
        if watchers.get(id).is_some_and(|tx| tx.receiver_count() == 0) {
            watchers.remove(id);
        }
    }

    /// Wakes whoever waits on the job; called after every committed phase change.
    pub(crate) fn notify(&self, id: &str) {
        if let Some(tx) = self.lock_watchers().get(id) {
            tx.send_replace(());
        }
    }
}

/// The 403 of UWS 1.1 §2.2 for an action the job's phase does not allow.
fn illegal(job: &JobRecord, action: &str) -> UwsError {
    UwsError::IllegalInPhase(format!(
        "{action} is not possible: job {} is {}",
        job.id, job.phase
    ))
}
