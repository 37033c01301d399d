//! The files of a job under `<data_dir>/jobs/<id>/`:
//!
//! - `uploads/`: inline uploads;
//! - `results.partial/`: where a running job writes, invisible to clients;
//! - `results/`: the results of a COMPLETED job — `results.partial/` renamed once the work
//!   succeeded and its files were flushed to disk, before the store says COMPLETED, so a
//!   completed job's results are whole whenever the server stops;
//! - `error`: the detailed error document of a failed job.
//!
//! Everything here blocks: the engine calls it through `spawn_blocking`.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::runner::{ErrorContent, ErrorDocument, JobResult, is_plain_relative};
use crate::store::StoredResult;

pub const UPLOADS: &str = "uploads";
pub const PARTIAL: &str = "results.partial";
pub const RESULTS: &str = "results";
pub const ERROR: &str = "error";

/// Creates an empty `results.partial/`, dropping what an earlier attempt left.
pub fn fresh_partial(job_dir: &Path) -> io::Result<PathBuf> {
    let partial = job_dir.join(PARTIAL);
    remove_dir_if_any(&partial)?;
    fs::create_dir_all(&partial)?;
    Ok(partial)
}

/// Checks the results the work listed, flushes them and publishes `results.partial/` as
/// `results/`. The error message tells the client what the work got wrong.
pub fn publish_results(job_dir: &Path, results: &[JobResult]) -> Result<Vec<StoredResult>, String> {
    let partial = job_dir.join(PARTIAL);
    let mut ids = HashSet::new();
    let mut stored = Vec::with_capacity(results.len());
    for result in results {
        if !is_result_id(&result.id) || !ids.insert(result.id.as_str()) {
            return Err(format!(
                "the result id '{}' is empty, repeated or not URL-safe",
                result.id
            ));
        }
        if !is_plain_relative(&result.file) {
            return Err(format!(
                "the result file {} is outside the results directory",
                result.file.display()
            ));
        }
        let path = partial.join(&result.file);
        let file = File::open(&path).map_err(|e| {
            format!(
                "the result file {} cannot be read: {e}",
                result.file.display()
            )
        })?;
        let meta = file.metadata().map_err(|e| e.to_string())?;
        if !meta.is_file() {
            return Err(format!(
                "the result {} is not a file",
                result.file.display()
            ));
        }
        file.sync_all()
            .map_err(|e| format!("flushing a result: {e}"))?;
        stored.push(StoredResult {
            id: result.id.clone(),
            file: result.file.to_string_lossy().into_owned(),
            mime_type: result.mime_type.clone(),
            size: meta.len(),
        });
    }
    let published = job_dir.join(RESULTS);
    remove_dir_if_any(&published).map_err(|e| e.to_string())?;
    fs::rename(&partial, &published).map_err(|e| format!("publishing the results: {e}"))?;
    sync_dir(job_dir).map_err(|e| format!("flushing the job directory: {e}"))?;
    Ok(stored)
}

/// Stores the detailed error document as `error` (written aside, then renamed).
pub fn store_error_document(job_dir: &Path, document: &ErrorDocument) -> io::Result<()> {
    let target = job_dir.join(ERROR);
    match &document.content {
        ErrorContent::Bytes(bytes) => {
            let aside = job_dir.join("error.partial");
            let mut file = File::create(&aside)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::rename(&aside, &target)?;
        }
        ErrorContent::File(relative) => {
            if !is_plain_relative(relative) {
                return Err(io::Error::other(format!(
                    "the error document {} is outside the results directory",
                    relative.display()
                )));
            }
            let source = job_dir.join(PARTIAL).join(relative);
            File::open(&source)?.sync_all()?;
            fs::rename(&source, &target)?;
        }
    }
    sync_dir(job_dir)
}

/// Result ids become URL path segments.
fn is_result_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && id != "."
        && id != ".."
}

pub fn remove_dir_if_any(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

pub fn remove_file_if_any(file: &Path) -> io::Result<()> {
    match fs::remove_file(file) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Makes a rename inside `dir` durable.
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Which files of a known job are its own.
pub struct KeptFiles {
    pub results: bool,
    pub error_document: bool,
}

/// Removes the directories of jobs the store does not know (destroyed just before a crash),
/// what an interrupted run left half-written, and results of jobs that did not complete.
pub fn tidy_job_dirs(jobs_dir: &Path, kept: &HashMap<String, KeptFiles>) -> io::Result<()> {
    for entry in fs::read_dir(jobs_dir)? {
        let entry = entry?;
        if !entry.file_type()?.is_dir() {
            continue;
        }
        let dir = entry.path();
        match kept.get(entry.file_name().to_string_lossy().as_ref()) {
            None => remove_dir_if_any(&dir)?,
            Some(files) => {
                remove_dir_if_any(&dir.join(PARTIAL))?;
                if !files.results {
                    remove_dir_if_any(&dir.join(RESULTS))?;
                }
                if !files.error_document {
                    remove_file_if_any(&dir.join(ERROR))?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishing_checks_what_the_work_listed() {
        let dir = tempfile::tempdir().unwrap();
        let partial = fresh_partial(dir.path()).unwrap();
        fs::write(partial.join("out.xml"), b"<x/>").unwrap();
        let result = |id: &str, file: &str| JobResult {
            id: id.into(),
            file: file.into(),
            mime_type: "text/xml".into(),
        };
        assert!(
            publish_results(dir.path(), &[result("result", "missing")])
                .unwrap_err()
                .contains("missing")
        );
        assert!(publish_results(dir.path(), &[result("result", "../out.xml")]).is_err());
        assert!(publish_results(dir.path(), &[result("a/b", "out.xml")]).is_err());
        assert!(
            publish_results(
                dir.path(),
                &[result("r", "out.xml"), result("r", "out.xml")]
            )
            .is_err()
        );
        let stored = publish_results(dir.path(), &[result("result", "out.xml")]).unwrap();
        assert_eq!(stored[0].size, 4);
        assert_eq!(
            fs::read(dir.path().join(RESULTS).join("out.xml")).unwrap(),
            b"<x/>"
        );
        assert!(!dir.path().join(PARTIAL).exists());
    }
}
