//! The durable scan queue. A batch records every file as a job before any is analysed; a job is
//! claimed (attempt counted, committed) before its analysis starts, and its report is stored in
//! the same transaction that marks it done. So a crash or `kill -9` at any moment leaves each
//! job either done with exactly one report, or pending without one, and `resume` finishes it.
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use crate::keys::PendingKeys;
use crate::submission::{self, PreparedSubmission};
use crate::{unix_now, write, Result, Store};

/// A job whose analysis was interrupted this many times (the process died while analysing it)
/// is marked failed instead of being tried again, so one poisonous file cannot stall a batch.
pub const MAX_ATTEMPTS: u32 = 3;

/// What analysing a batch means: the versions that make a stored report "the same analysis".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchSpec {
    /// Engine version the batch runs.
    pub engine_version: String,
    /// Models version (see [`crate::models_version`]) the batch runs; empty without models.
    pub models_version: String,
    /// Analyse again even when a report of the same versions is stored.
    pub rescan: bool,
}

/// A job to process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Row id.
    pub id: i64,
    /// The file.
    pub path: PathBuf,
}

/// The decision taken when claiming a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Analyse the file, then [`complete`] or [`fail`] the job.
    Analyse,
    /// A report of the same versions is stored already; the job is done.
    Unchanged {
        /// That report.
        report_id: i64,
    },
    /// The job was done or failed already (nothing to do).
    Finished,
    /// The job was interrupted [`MAX_ATTEMPTS`] times and is now failed.
    GaveUp,
}

/// Counts of a batch's jobs.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BatchSummary {
    /// Row id of the batch.
    pub batch_id: i64,
    /// Jobs in the batch.
    pub total: u64,
    /// Jobs whose report was stored by this batch.
    pub stored: u64,
    /// Jobs skipped because a report of the same versions was stored already.
    pub unchanged: u64,
    /// Jobs that failed (unreadable file, interrupted too often, ...).
    pub failed: u64,
    /// Jobs not finished yet.
    pub pending: u64,
}

/// How a path is kept in `jobs.path`: its exact bytes on Unix (a file name that is not UTF-8
/// must still be found again on resume), UTF-8 text elsewhere.
pub(crate) fn path_value(path: &Path) -> rusqlite::types::Value {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        match path.to_str() {
            Some(text) => rusqlite::types::Value::Text(text.to_owned()),
            None => rusqlite::types::Value::Blob(path.as_os_str().as_bytes().to_vec()),
        }
    }
    #[cfg(not(unix))]
    {
        rusqlite::types::Value::Text(path.to_string_lossy().into_owned())
    }
}

/// The inverse of [`path_value`].
fn path_from(value: rusqlite::types::ValueRef<'_>) -> rusqlite::Result<PathBuf> {
    let bytes = value.as_bytes().map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, value.data_type(), Box::new(e)))?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        Ok(PathBuf::from(String::from_utf8_lossy(bytes).into_owned()))
    }
}

/// Records a new batch of `paths` (one job each) in one transaction and returns its id.
/// `unlistable` paths (directories that could not be walked) are recorded as failed jobs.
pub fn enqueue(store: &mut Store, spec: &BatchSpec, paths: &[PathBuf], unlistable: &[(PathBuf, String)]) -> Result<i64> {
    let now = unix_now();
    let tx = store.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO batches (created_at, engine_version, models_version, rescan) VALUES (?1, ?2, ?3, ?4)",
        params![now, spec.engine_version, spec.models_version, spec.rescan],
    )?;
    let batch_id = tx.last_insert_rowid();
    {
        let mut insert = tx.prepare("INSERT INTO jobs (batch_id, path, size, mtime, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for path in paths {
            let metadata = std::fs::metadata(path).ok();
            let size = metadata.as_ref().map(|m| m.len() as i64);
            let mtime =
                metadata.and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs() as i64);
            insert.execute(params![batch_id, path_value(path), size, mtime, now])?;
        }
        let mut failed = tx.prepare("INSERT INTO jobs (batch_id, path, state, outcome, updated_at) VALUES (?1, ?2, 'failed', ?3, ?4)")?;
        for (path, reason) in unlistable {
            failed.execute(params![batch_id, path_value(path), reason, now])?;
        }
    }
    tx.commit()?;
    Ok(batch_id)
}

/// The most recent batch that still has queued or running jobs, with its spec.
pub fn last_unfinished_batch(store: &Store) -> Result<Option<(i64, BatchSpec)>> {
    Ok(store
        .conn
        .query_row(
            "SELECT b.id, b.engine_version, b.models_version, b.rescan FROM batches b
             WHERE b.finished_at IS NULL AND EXISTS (SELECT 1 FROM jobs j WHERE j.batch_id = b.id AND j.state IN ('queued', 'running'))
             ORDER BY b.id DESC LIMIT 1",
            [],
            |row| Ok((row.get(0)?, BatchSpec { engine_version: row.get(1)?, models_version: row.get(2)?, rescan: row.get(3)? })),
        )
        .optional()?)
}

/// The batch's jobs still to process (queued, or running when a previous run died), in order.
pub fn pending_jobs(store: &Store, batch_id: i64) -> Result<Vec<Job>> {
    let mut statement =
        store.conn.prepare("SELECT id, path FROM jobs WHERE batch_id = ?1 AND state IN ('queued', 'running') ORDER BY id")?;
    let jobs = statement.query_map([batch_id], |row| Ok(Job { id: row.get(0)?, path: path_from(row.get_ref(1)?)? }))?;
    Ok(jobs.collect::<rusqlite::Result<_>>()?)
}

/// Marks the batch finished when no job is pending; returns its summary.
pub fn finish_batch(store: &Store, batch_id: i64) -> Result<BatchSummary> {
    let summary = batch_summary(store, batch_id)?;
    if summary.pending == 0 {
        store.conn.execute("UPDATE batches SET finished_at = ?2 WHERE id = ?1 AND finished_at IS NULL", params![batch_id, unix_now()])?;
    }
    Ok(summary)
}

/// Counts of the batch's jobs.
pub fn batch_summary(store: &Store, batch_id: i64) -> Result<BatchSummary> {
    let mut summary = BatchSummary { batch_id, ..BatchSummary::default() };
    let mut statement = store.conn.prepare("SELECT state, outcome, count(*) FROM jobs WHERE batch_id = ?1 GROUP BY 1, 2")?;
    let rows =
        statement.query_map([batch_id], |row| Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?, row.get::<_, i64>(2)?)))?;
    for row in rows {
        let (state, outcome, count) = row?;
        let count = count.max(0) as u64;
        summary.total += count;
        match (state.as_str(), outcome.as_deref()) {
            ("done", Some("unchanged")) => summary.unchanged += count,
            ("done", _) => summary.stored += count,
            ("failed", _) => summary.failed += count,
            _ => summary.pending += count,
        }
    }
    Ok(summary)
}

/// Claims job `job_id` inside the caller's transaction. `sha256` is the file's content hash
/// when it could be read: with it, a file whose same-version report is stored is not analysed.
pub(crate) fn claim(conn: &Connection, job_id: i64, sha256: Option<&str>) -> Result<Claim> {
    let row: Option<(String, u32, String, String, bool, PathBuf)> = conn
        .prepare_cached(
            "SELECT j.state, j.attempts, b.engine_version, b.models_version, b.rescan, j.path
             FROM jobs j JOIN batches b ON b.id = j.batch_id WHERE j.id = ?1",
        )?
        .query_row([job_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, path_from(row.get_ref(5)?)?)))
        .optional()?;
    let Some((state, attempts, engine_version, models_version, rescan, path)) = row else { return Ok(Claim::Finished) };
    if state == "done" || state == "failed" {
        return Ok(Claim::Finished);
    }
    let now = unix_now();
    if attempts >= MAX_ATTEMPTS {
        let reason = format!("analysis was interrupted {attempts} times on this file (the process died); not tried again");
        conn.prepare_cached("UPDATE jobs SET state = 'failed', outcome = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(params![job_id, reason, now])?;
        return Ok(Claim::GaveUp);
    }
    if let (Some(sha256), false) = (sha256, rescan) {
        let existing: Option<(i64, i64)> = conn
            .prepare_cached(
                "SELECT r.id, s.id FROM samples s JOIN reports r ON r.sample_id = s.id
                 WHERE s.sha256 = ?1 AND r.engine_version = ?2 AND r.models_version = ?3 ORDER BY r.id DESC LIMIT 1",
            )?
            .query_row(params![sha256, engine_version, models_version], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        if let Some((report_id, sample_id)) = existing {
            write::record_sighting(conn, sample_id, &path.to_string_lossy(), now)?;
            conn.prepare_cached("UPDATE jobs SET state = 'done', outcome = 'unchanged', report_id = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![job_id, report_id, now])?;
            return Ok(Claim::Unchanged { report_id });
        }
    }
    conn.prepare_cached("UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = ?2 WHERE id = ?1")?
        .execute(params![job_id, now])?;
    Ok(Claim::Analyse)
}

/// Stores a prepared submission (bodies encoded, documents built) and marks job `job_id` done
/// with its root's report, inside the caller's transaction (the rows keyed by name or gram go to
/// `keys`, which the caller writes before its commit).
/// Does nothing when the job is finished already, so a report (and what was found inside its
/// file) is never stored twice for a job.
pub(crate) fn complete(conn: &Connection, keys: &mut PendingKeys, job_id: i64, submission: &PreparedSubmission) -> Result<Option<i64>> {
    let state: Option<String> =
        conn.prepare_cached("SELECT state FROM jobs WHERE id = ?1")?.query_row([job_id], |row| row.get(0)).optional()?;
    if matches!(state.as_deref(), None | Some("done") | Some("failed")) {
        return Ok(None);
    }
    let now = unix_now();
    let inserted = submission::insert_prepared(conn, keys, submission, now)?;
    conn.prepare_cached("UPDATE jobs SET state = 'done', outcome = 'stored', report_id = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![job_id, inserted.report_id, now])?;
    Ok(Some(inserted.report_id))
}

/// Marks job `job_id` failed with `reason`, inside the caller's transaction.
pub(crate) fn fail(conn: &Connection, job_id: i64, reason: &str) -> Result<()> {
    conn.prepare_cached(
        "UPDATE jobs SET state = 'failed', outcome = ?2, updated_at = ?3 WHERE id = ?1 AND state IN ('queued', 'running')",
    )?
    .execute(params![job_id, reason, unix_now()])?;
    Ok(())
}
