//! Writing a hunt: its creation, each batch (matches, counts and checkpoint in one
//! transaction, so a killed hunt resumes without losing or repeating a match) and its status.
use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::{HuntStatus, NewHunt};
use crate::{unix_now, Result, Store, StoreError};

/// Longest error text kept on a hunt.
const MAX_MESSAGE_LEN: usize = 4096;

/// What one batch of a hunt did, committed together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HuntBatch {
    /// The checkpoint the batch started after (`None`: from the first sample); the commit is
    /// refused when the stored one differs (another process ran the same batch).
    pub after: Option<String>,
    /// The last sample of the batch: the new checkpoint.
    pub checkpoint: String,
    /// Samples scanned.
    pub scanned: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Each sample that matched, with its matches in the matcher's order.
    pub matches: Vec<(String, Vec<fcas_report::RuleMatch>)>,
    /// Samples that could not be read or matched, each with why.
    pub errors: Vec<(String, String)>,
}

impl Store {
    /// Records a new hunt, `running`; returns its id.
    pub fn create_hunt(&mut self, hunt: &NewHunt) -> Result<i64> {
        let now = unix_now();
        self.conn.execute(
            "INSERT INTO hunts (created_at, updated_at, rules_hash, rules_source, since, tag, status) VALUES (?1, ?1, ?2, ?3, ?4, ?5, 'running')",
            params![now, hunt.rules_hash, hunt.rules_source, hunt.since, hunt.tag],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Commits one batch of hunt `id`: its matches, counts and new checkpoint together.
    pub fn commit_hunt_batch(&mut self, id: i64, batch: &HuntBatch) -> Result<()> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stored: Option<Option<String>> =
            tx.query_row("SELECT checkpoint FROM hunts WHERE id = ?1", [id], |row| row.get(0)).optional()?;
        let Some(stored) = stored else { return Err(unknown(id)) };
        if stored != batch.after {
            return Err(StoreError::Hunt(format!(
                "hunt {id} moved on while this batch ran (another process is running it); stop one of them and resume the hunt"
            )));
        }
        {
            let mut insert =
                tx.prepare_cached("INSERT INTO hunt_matches (hunt_id, sha256, position, rule_match) VALUES (?1, ?2, ?3, ?4)")?;
            for (sha256, matches) in &batch.matches {
                for (position, rule_match) in matches.iter().enumerate() {
                    let json = serde_json::to_string(rule_match)
                        .map_err(|e| StoreError::Encode { path: sha256.clone(), reason: e.to_string() })?;
                    insert.execute(params![id, sha256, position as i64, json])?;
                }
            }
        }
        let matched = batch.matches.iter().filter(|(_, m)| !m.is_empty()).count() as i64;
        let errors: String = batch.errors.iter().map(|(sha256, why)| format!("{sha256}: {why}\n")).collect();
        tx.execute(
            "UPDATE hunts SET checkpoint = ?2, scanned = scanned + ?3, matched = matched + ?4, bytes = bytes + ?5,
                 errors = errors + ?6, updated_at = ?7,
                 message = substr(message || ?8, 1, ?9)
             WHERE id = ?1",
            params![
                id,
                batch.checkpoint,
                batch.scanned as i64,
                matched,
                batch.bytes as i64,
                batch.errors.len() as i64,
                unix_now(),
                errors,
                MAX_MESSAGE_LEN as i64
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets hunt `id`'s status; a non-empty `message` is added to its text.
    pub fn set_hunt_status(&mut self, id: i64, status: HuntStatus, message: &str) -> Result<()> {
        let line = if message.is_empty() { String::new() } else { format!("{message}\n") };
        let changed = self.conn.execute(
            "UPDATE hunts SET status = ?2, updated_at = ?3, message = substr(message || ?4, 1, ?5) WHERE id = ?1",
            params![id, status.as_str(), unix_now(), line, MAX_MESSAGE_LEN as i64],
        )?;
        if changed == 0 {
            return Err(unknown(id));
        }
        Ok(())
    }
}

pub(super) fn unknown(id: i64) -> StoreError {
    StoreError::Hunt(format!("there is no hunt {id} in this case store; `fcas db hunts` lists them"))
}
