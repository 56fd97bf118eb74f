//! The triage loop's marks: a sample reviewed or not, and one annotation applied to many samples.
use rusqlite::params;
use serde::Serialize;

use super::{resolve_sample, Annotation, MAX_LIMIT};
use crate::{unix_now, Result, Store, StoreError};

/// The outcome of marking a sample.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewChange {
    /// The sample.
    pub sha256: String,
    /// When it is now marked reviewed, Unix seconds (`None`: not reviewed).
    pub reviewed_at: Option<i64>,
}

impl Store {
    /// Marks the sample named by `hash` reviewed (keeping the first time it was marked) or not.
    pub fn set_reviewed(&mut self, hash: &str, reviewed: bool) -> Result<ReviewChange> {
        let sample = resolve_sample(&self.conn, hash)?;
        let reviewed_at = if reviewed {
            self.conn.query_row(
                "UPDATE samples SET reviewed_at = coalesce(reviewed_at, ?2) WHERE id = ?1 RETURNING reviewed_at",
                params![sample.id, unix_now()],
                |row| row.get(0),
            )?
        } else {
            self.conn.execute("UPDATE samples SET reviewed_at = NULL WHERE id = ?1", [sample.id])?;
            None
        };
        Ok(ReviewChange { sha256: sample.sha256, reviewed_at })
    }

    /// Applies `change` to every sample of `hashes` in one transaction: one refused tag or
    /// unknown sample leaves them all as they were. At most [`MAX_LIMIT`] samples at once.
    pub fn annotate_many(&mut self, hashes: &[String], change: &Annotation) -> Result<()> {
        if hashes.len() > MAX_LIMIT as usize {
            return Err(StoreError::InvalidQuery(format!("tag at most {MAX_LIMIT} samples at once ({} were given)", hashes.len())));
        }
        self.conn.execute_batch("SAVEPOINT annotate_many")?;
        let applied = hashes.iter().try_for_each(|hash| self.annotate(hash, change));
        let end = if applied.is_ok() { "RELEASE annotate_many" } else { "ROLLBACK TO annotate_many; RELEASE annotate_many" };
        self.conn.execute_batch(end)?;
        applied
    }
}
