//! Reading hunts: the list, one hunt, its matches, and the next samples it will scan.
use rusqlite::{params, OptionalExtension, Row};

use super::{Hunt, HuntMatch, HuntSample, HuntStatus};
use crate::{Result, Store, StoreError};

const HUNT_COLUMNS: &str =
    "id, created_at, updated_at, rules_hash, rules_source, since, tag, status, checkpoint, scanned, matched, bytes, errors, message";

fn hunt_of(row: &Row<'_>) -> rusqlite::Result<Hunt> {
    let count = |i: usize| row.get::<_, i64>(i).map(|n| n.max(0) as u64);
    Ok(Hunt {
        id: row.get(0)?,
        created_at: row.get(1)?,
        updated_at: row.get(2)?,
        rules_hash: row.get(3)?,
        rules_source: row.get(4)?,
        since: row.get(5)?,
        tag: row.get(6)?,
        status: HuntStatus::parse(&row.get::<_, String>(7)?),
        checkpoint: row.get(8)?,
        scanned: count(9)?,
        matched: count(10)?,
        bytes: count(11)?,
        errors: count(12)?,
        message: row.get(13)?,
    })
}

impl Store {
    /// Every hunt, newest first.
    pub fn hunts(&self) -> Result<Vec<Hunt>> {
        let mut statement = self.conn.prepare(&format!("SELECT {HUNT_COLUMNS} FROM hunts ORDER BY id DESC"))?;
        let hunts = statement.query_map([], hunt_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(hunts)
    }

    /// Hunt `id`, `None` when there is none.
    pub fn hunt(&self, id: i64) -> Result<Option<Hunt>> {
        Ok(self.conn.query_row(&format!("SELECT {HUNT_COLUMNS} FROM hunts WHERE id = ?1"), [id], hunt_of).optional()?)
    }

    /// The matches of hunt `id`, by sample then in the matcher's order.
    pub fn hunt_matches(&self, id: i64) -> Result<Vec<HuntMatch>> {
        let mut statement =
            self.conn.prepare("SELECT sha256, rule_match FROM hunt_matches WHERE hunt_id = ?1 ORDER BY sha256, position")?;
        let rows = statement.query_map([id], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
        let mut matches = Vec::new();
        for row in rows {
            let (sha256, json) = row?;
            let rule_match = serde_json::from_str(&json)
                .map_err(|e| StoreError::InvalidQuery(format!("a stored match of hunt {id} on {sha256} cannot be read: {e}")))?;
            matches.push(HuntMatch { sha256, rule_match });
        }
        Ok(matches)
    }

    /// Up to `limit` vault samples `hunt` has still to scan, in sha256 order after its
    /// checkpoint, within its filter (first seen since, tag).
    pub fn hunt_next_samples(&self, hunt: &Hunt, limit: usize) -> Result<Vec<HuntSample>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT v.sha256, v.size FROM vault v
             WHERE (?1 IS NULL OR v.sha256 > ?1)
               AND (?2 IS NULL OR EXISTS (SELECT 1 FROM samples s WHERE s.sha256 = v.sha256 AND s.first_seen >= ?2))
               AND (?3 IS NULL OR EXISTS (SELECT 1 FROM samples s JOIN tags t ON t.sample_id = s.id WHERE s.sha256 = v.sha256 AND t.tag = ?3))
             ORDER BY v.sha256 LIMIT ?4",
        )?;
        let rows = statement.query_map(params![hunt.checkpoint, hunt.since, hunt.tag, limit as i64], |row| {
            Ok(HuntSample { sha256: row.get(0)?, size: row.get::<_, i64>(1)?.max(0) as u64 })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many vault samples hunt `hunt`'s filter selects in all (for progress).
    pub fn hunt_sample_count(&self, hunt: &Hunt) -> Result<u64> {
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM vault v
             WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM samples s WHERE s.sha256 = v.sha256 AND s.first_seen >= ?1))
               AND (?2 IS NULL OR EXISTS (SELECT 1 FROM samples s JOIN tags t ON t.sample_id = s.id WHERE s.sha256 = v.sha256 AND t.tag = ?2))",
            params![hunt.since, hunt.tag],
            |row| row.get(0),
        )?;
        Ok(count.max(0) as u64)
    }
}
