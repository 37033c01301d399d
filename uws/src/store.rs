//! The job store: one SQLite database, `<data_dir>/jobs.sqlite`.
//!
//! Why SQLite (bundled, through `rusqlite`) rather than `redb`: the job list filters of
//! UWS 1.1 §2.2.2.1 (PHASE union, AFTER, LAST by descending creation time) and the sweeper's
//! "everything destroyed before now" are each one indexed SQL query instead of hand-written
//! scans over a key-value store; SQLite's atomic commit is the most tested there is against
//! crashes and power loss; an operator can inspect or repair the file with the `sqlite3`
//! tool. The price is a one-off C build of about a minute, and a blocking API that the engine
//! calls through `spawn_blocking`.
//!
//! Every state change is one transaction (WAL journal, `synchronous=FULL`), and a phase
//! changes only by compare-and-set on the phase it is known to have, so two concurrent actors
//! (an ABORT and the job's own completion) can never both win.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};

use dali::Parameters;

use crate::filter::JobFilter;
use crate::phase::Phase;
use crate::time::Millis;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("job store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("job store holds an unreadable record: {0}")]
    Corrupt(String),
    #[error("job store lock poisoned by a panic")]
    Poisoned,
}

/// A result of a completed job, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredResult {
    pub id: String,
    /// File name relative to the job's results directory.
    pub file: String,
    pub mime_type: String,
    pub size: u64,
}

/// `uws:ErrorType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Transient,
    Fatal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Transient => "transient",
            ErrorKind::Fatal => "fatal",
        }
    }
}

/// The error of a job: the `errorSummary` and, if the work gave one, the MIME type of the
/// detailed document stored as the job's `error` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError {
    pub message: String,
    pub kind: ErrorKind,
    pub document_mime: Option<String>,
}

/// Everything known about one job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord {
    pub id: String,
    pub phase: Phase,
    pub run_id: Option<String>,
    pub owner: Option<String>,
    pub creation_time: Millis,
    pub start_time: Option<Millis>,
    pub end_time: Option<Millis>,
    /// Seconds; 0 is unlimited.
    pub execution_duration: u64,
    pub destruction: Option<Millis>,
    pub parameters: Parameters,
    pub results: Vec<StoredResult>,
    pub error: Option<JobError>,
}

/// The fields of a job in the job list (`uws:ShortJobDescription`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSummary {
    pub id: String,
    pub phase: Phase,
    pub run_id: Option<String>,
    pub owner: Option<String>,
    pub creation_time: Millis,
}

/// What changes together with a phase.
#[derive(Debug, Clone, Default)]
pub struct PhaseChange {
    pub start_time: Option<Millis>,
    pub end_time: Option<Millis>,
    pub error: Option<JobError>,
    pub results: Vec<StoredResult>,
    /// When the job was queued, to run queued jobs in order after a restart.
    pub queued_at: Option<Millis>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS jobs (
    id                 TEXT PRIMARY KEY,
    phase              TEXT NOT NULL,
    run_id             TEXT,
    owner              TEXT,
    creation_time      INTEGER NOT NULL,
    start_time         INTEGER,
    end_time           INTEGER,
    execution_duration INTEGER NOT NULL,
    destruction        INTEGER,
    queued_at          INTEGER,
    parameters         TEXT NOT NULL,
    results            TEXT NOT NULL,
    error_message      TEXT,
    error_kind         TEXT,
    error_mime         TEXT
);
CREATE INDEX IF NOT EXISTS jobs_by_creation ON jobs (creation_time);
CREATE INDEX IF NOT EXISTS jobs_by_destruction ON jobs (destruction);
CREATE INDEX IF NOT EXISTS jobs_by_phase ON jobs (phase);
";

const RECORD_COLUMNS: &str = "id, phase, run_id, owner, creation_time, start_time, end_time, \
     execution_duration, destruction, parameters, results, error_message, error_kind, error_mime";

pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        // WAL keeps readers and the writer apart; FULL makes every commit durable, not only
        // consistent, across a power loss.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }

    pub fn insert(&self, job: &JobRecord, queued_at: Option<Millis>) -> Result<(), StoreError> {
        let parameters = to_json(&job.parameters)?;
        let results = to_json(&job.results)?;
        self.conn()?.execute(
            "INSERT INTO jobs (id, phase, run_id, owner, creation_time, start_time, end_time,
                 execution_duration, destruction, queued_at, parameters, results,
                 error_message, error_kind, error_mime)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                job.id,
                job.phase.as_str(),
                job.run_id,
                job.owner,
                job.creation_time,
                job.start_time,
                job.end_time,
                job.execution_duration as i64,
                job.destruction,
                queued_at,
                parameters,
                results,
                job.error.as_ref().map(|e| e.message.clone()),
                job.error.as_ref().map(|e| e.kind.as_str()),
                job.error.as_ref().and_then(|e| e.document_mime.clone()),
            ],
        )?;
        Ok(())
    }

    pub fn get(&self, id: &str) -> Result<Option<JobRecord>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(&format!("SELECT {RECORD_COLUMNS} FROM jobs WHERE id = ?1"))?;
        let row = stmt.query_row([id], read_record).optional()?;
        row.transpose()
    }

    /// The job list, newest first, filtered as UWS 1.1 §2.2.2.1 says.
    pub fn list(&self, filter: &JobFilter) -> Result<Vec<JobSummary>, StoreError> {
        let mut sql =
            String::from("SELECT id, phase, run_id, owner, creation_time FROM jobs WHERE ");
        let mut args: Vec<Value> = Vec::new();
        if filter.phases.is_empty() {
            sql.push_str("phase <> ?");
            args.push(Value::Text(Phase::Archived.as_str().into()));
        } else {
            let marks = vec!["?"; filter.phases.len()].join(", ");
            sql.push_str(&format!("phase IN ({marks})"));
            args.extend(filter.phases.iter().map(|p| Value::Text(p.as_str().into())));
        }
        if let Some(after) = filter.after {
            sql.push_str(" AND creation_time > ?");
            args.push(Value::Integer(after));
        }
        sql.push_str(" ORDER BY creation_time DESC, rowid DESC");
        if let Some(last) = filter.last {
            sql.push_str(" LIMIT ?");
            args.push(Value::Integer(i64::from(last)));
        }
        let conn = self.conn()?;
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, Option<String>>(3)?,
                row.get::<_, i64>(4)?,
            ))
        })?;
        let mut jobs = Vec::new();
        for row in rows {
            let (id, phase, run_id, owner, creation_time) = row?;
            jobs.push(JobSummary {
                id,
                phase: parse_phase(&phase)?,
                run_id,
                owner,
                creation_time,
            });
        }
        Ok(jobs)
    }

    /// Moves a job from `from` to `to` if it is still in `from`; false if it is not (or no
    /// longer exists). Fields of `change` that are `None` or empty are left as they are.
    pub fn transition(
        &self,
        id: &str,
        from: Phase,
        to: Phase,
        change: &PhaseChange,
    ) -> Result<bool, StoreError> {
        let results = if change.results.is_empty() {
            None
        } else {
            Some(to_json(&change.results)?)
        };
        let error = change.error.as_ref();
        let updated = self.conn()?.execute(
            "UPDATE jobs SET phase = ?3,
                 start_time = COALESCE(?4, start_time),
                 end_time = COALESCE(?5, end_time),
                 queued_at = COALESCE(?6, queued_at),
                 results = COALESCE(?7, results),
                 error_message = COALESCE(?8, error_message),
                 error_kind = COALESCE(?9, error_kind),
                 error_mime = COALESCE(?10, error_mime)
             WHERE id = ?1 AND phase = ?2",
            params![
                id,
                from.as_str(),
                to.as_str(),
                change.start_time,
                change.end_time,
                change.queued_at,
                results,
                error.map(|e| e.message.clone()),
                error.map(|e| e.kind.as_str()),
                error.and_then(|e| e.document_mime.clone()),
            ],
        )?;
        Ok(updated == 1)
    }

    /// Sets the execution duration if the job is in one of `phases`; false otherwise.
    pub fn set_execution_duration(
        &self,
        id: &str,
        phases: &[Phase],
        seconds: u64,
    ) -> Result<bool, StoreError> {
        let conn = self.conn()?;
        let mut updated = 0;
        for phase in phases {
            updated += conn.execute(
                "UPDATE jobs SET execution_duration = ?3 WHERE id = ?1 AND phase = ?2",
                params![id, phase.as_str(), seconds as i64],
            )?;
        }
        Ok(updated == 1)
    }

    pub fn set_destruction(
        &self,
        id: &str,
        destruction: Option<Millis>,
    ) -> Result<bool, StoreError> {
        let updated = self.conn()?.execute(
            "UPDATE jobs SET destruction = ?2 WHERE id = ?1",
            params![id, destruction],
        )?;
        Ok(updated == 1)
    }

    /// Replaces the parameters (and run id) if the job is still PENDING; false otherwise.
    pub fn set_parameters(
        &self,
        id: &str,
        parameters: &Parameters,
        run_id: Option<&str>,
    ) -> Result<bool, StoreError> {
        let updated = self.conn()?.execute(
            "UPDATE jobs SET parameters = ?2, run_id = ?3 WHERE id = ?1 AND phase = ?4",
            params![id, to_json(parameters)?, run_id, Phase::Pending.as_str()],
        )?;
        Ok(updated == 1)
    }

    /// Forgets a job; false if it did not exist.
    pub fn delete(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn()?
            .execute("DELETE FROM jobs WHERE id = ?1", [id])?
            == 1)
    }

    /// Ids of the jobs in `phase`, in the order they were queued.
    pub fn ids_in_phase(&self, phase: Phase) -> Result<Vec<String>, StoreError> {
        self.ids(
            "SELECT id FROM jobs WHERE phase = ?1 ORDER BY queued_at, rowid",
            params![phase.as_str()],
        )
    }

    /// Ids of every job.
    pub fn all_ids(&self) -> Result<Vec<String>, StoreError> {
        self.ids("SELECT id FROM jobs", params![])
    }

    /// Ids of the jobs whose destruction time is at or before `now`.
    pub fn destroyed_by(&self, now: Millis) -> Result<Vec<String>, StoreError> {
        self.ids(
            "SELECT id FROM jobs WHERE destruction IS NOT NULL AND destruction <= ?1",
            params![now],
        )
    }

    /// The earliest destruction time of any job.
    pub fn next_destruction(&self) -> Result<Option<Millis>, StoreError> {
        Ok(self
            .conn()?
            .query_row("SELECT MIN(destruction) FROM jobs", [], |row| row.get(0))?)
    }

    fn ids(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<String>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(sql)?;
        let ids = stmt
            .query_map(args, |row| row.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse_phase(text: &str) -> Result<Phase, StoreError> {
    text.parse().map_err(StoreError::Corrupt)
}

/// Reads a row of [`RECORD_COLUMNS`]; the outer error is SQLite's, the inner one ours.
fn read_record(row: &Row<'_>) -> rusqlite::Result<Result<JobRecord, StoreError>> {
    let phase: String = row.get(1)?;
    let execution_duration: i64 = row.get(7)?;
    let parameters: String = row.get(9)?;
    let results: String = row.get(10)?;
    let error_message: Option<String> = row.get(11)?;
    let error_kind: Option<String> = row.get(12)?;
    let error_mime: Option<String> = row.get(13)?;
    let (id, run_id, owner, creation_time, start_time, end_time, destruction) = (
        row.get(0)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(8)?,
    );
    Ok((|| {
        Ok(JobRecord {
            id,
            phase: parse_phase(&phase)?,
            run_id,
            owner,
            creation_time,
            start_time,
            end_time,
            execution_duration: u64::try_from(execution_duration).unwrap_or(0),
            destruction,
            parameters: from_json(&parameters)?,
            results: from_json(&results)?,
            error: error_message.map(|message| JobError {
                message,
                kind: if error_kind.as_deref() == Some("transient") {
                    ErrorKind::Transient
                } else {
                    ErrorKind::Fatal
                },
                document_mime: error_mime,
            }),
        })
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, phase: Phase, creation_time: Millis) -> JobRecord {
        JobRecord {
            id: id.into(),
            phase,
            run_id: None,
            owner: None,
            creation_time,
            start_time: None,
            end_time: None,
            execution_duration: 60,
            destruction: Some(creation_time + 1_000),
            parameters: Parameters::new(),
            results: Vec::new(),
            error: None,
        }
    }

    fn store_with(jobs: &[(&str, Phase, Millis)]) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("jobs.sqlite")).unwrap();
        for &(id, phase, t) in jobs {
            store.insert(&record(id, phase, t), None).unwrap();
        }
        (dir, store)
    }

    fn listed(store: &Store, query: &[(&str, &str)]) -> Vec<String> {
        let filter = JobFilter::from_query(query.iter().copied()).unwrap();
        store
            .list(&filter)
            .unwrap()
            .into_iter()
            .map(|j| j.id)
            .collect()
    }

    const JOBS: &[(&str, Phase, Millis)] = &[
        ("a", Phase::Pending, 1_000),
        ("b", Phase::Executing, 2_000),
        ("c", Phase::Completed, 3_000),
        ("d", Phase::Archived, 4_000),
        ("e", Phase::Queued, 5_000),
        ("f", Phase::Executing, 6_000),
    ];

    #[test]
    fn list_leaves_archived_out_unless_asked_newest_first() {
        let (_dir, store) = store_with(JOBS);
        assert_eq!(listed(&store, &[]), ["f", "e", "c", "b", "a"]);
        assert_eq!(listed(&store, &[("PHASE", "ARCHIVED")]), ["d"]);
    }

    #[test]
    fn repeated_phase_is_a_union() {
        let (_dir, store) = store_with(JOBS);
        assert_eq!(listed(&store, &[("PHASE", "EXECUTING")]), ["f", "b"]);
        assert_eq!(
            listed(&store, &[("PHASE", "EXECUTING"), ("PHASE", "PENDING")]),
            ["f", "b", "a"]
        );
    }

    #[test]
    fn after_is_strict() {
        let (_dir, store) = store_with(JOBS);
        assert_eq!(
            listed(&store, &[("AFTER", "1970-01-01T00:00:03Z")]),
            ["f", "e"]
        );
    }

    #[test]
    fn last_takes_the_most_recent_after_the_other_filters() {
        let (_dir, store) = store_with(JOBS);
        assert_eq!(listed(&store, &[("LAST", "2")]), ["f", "e"]);
        assert_eq!(
            listed(
                &store,
                &[("LAST", "2"), ("PHASE", "EXECUTING"), ("PHASE", "PENDING")]
            ),
            ["f", "b"]
        );
        assert_eq!(
            listed(
                &store,
                &[
                    ("LAST", "5"),
                    ("AFTER", "1970-01-01T00:00:01.500Z"),
                    ("PHASE", "EXECUTING")
                ]
            ),
            ["f", "b"]
        );
        assert_eq!(
            listed(&store, &[("LAST", "1"), ("PHASE", "ARCHIVED")]),
            ["d"]
        );
    }

    #[test]
    fn transition_is_compare_and_set() {
        let (_dir, store) = store_with(&[("a", Phase::Executing, 1)]);
        let aborted = PhaseChange {
            end_time: Some(9),
            ..PhaseChange::default()
        };
        assert!(
            store
                .transition("a", Phase::Executing, Phase::Aborted, &aborted)
                .unwrap()
        );
        // The job's own completion arrives second and loses.
        let completed = PhaseChange {
            results: vec![StoredResult {
                id: "result".into(),
                file: "r".into(),
                mime_type: "text/plain".into(),
                size: 1,
            }],
            ..PhaseChange::default()
        };
        assert!(
            !store
                .transition("a", Phase::Executing, Phase::Completed, &completed)
                .unwrap()
        );
        let job = store.get("a").unwrap().unwrap();
        assert_eq!(job.phase, Phase::Aborted);
        assert_eq!(job.end_time, Some(9));
        assert!(job.results.is_empty());
        assert!(
            !store
                .transition("gone", Phase::Pending, Phase::Queued, &aborted)
                .unwrap()
        );
    }

    #[test]
    fn records_round_trip() {
        let (_dir, store) = store_with(&[]);
        let mut job = record("x", Phase::Error, 5);
        job.parameters.push_text("QUERY", "SELECT <1>");
        job.run_id = Some("run".into());
        job.error = Some(JobError {
            message: "bad".into(),
            kind: ErrorKind::Transient,
            document_mime: Some("application/x-votable+xml".into()),
        });
        store.insert(&job, None).unwrap();
        assert_eq!(store.get("x").unwrap(), Some(job));
        assert_eq!(store.get("y").unwrap(), None);
    }

    #[test]
    fn parameters_change_only_while_pending() {
        let (_dir, store) = store_with(&[("p", Phase::Pending, 1), ("q", Phase::Queued, 2)]);
        let mut params = Parameters::new();
        params.push_text("a", "1");
        assert!(store.set_parameters("p", &params, Some("r")).unwrap());
        assert!(!store.set_parameters("q", &params, None).unwrap());
        assert_eq!(store.get("p").unwrap().unwrap().parameters, params);
    }

    #[test]
    fn destruction_queries() {
        let (_dir, store) =
            store_with(&[("a", Phase::Pending, 1_000), ("b", Phase::Pending, 5_000)]);
        assert_eq!(store.next_destruction().unwrap(), Some(2_000));
        assert_eq!(store.destroyed_by(2_000).unwrap(), ["a"]);
        assert!(store.delete("a").unwrap());
        assert!(!store.delete("a").unwrap());
        assert_eq!(store.next_destruction().unwrap(), Some(6_000));
    }
}
