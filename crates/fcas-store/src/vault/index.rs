//! The `vault` table: which samples have bytes, the quota and the eviction order. Rows are
//! written in the caller's transaction (the store's writer, or `Store::vault_put`); the files
//! of evicted samples are removed by the caller once that transaction is committed.
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::{unix_now, Result};

/// A sample whose encoded file was written to the vault folder, to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultEntry {
    /// The sample's SHA-256 (its file name).
    pub sha256: String,
    /// The sample's size in bytes.
    pub size: u64,
    /// Its encoded file's size in bytes (what the quota counts).
    pub stored_size: u64,
}

/// What recording entries did to the vault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    /// Entries recorded (new or already there).
    pub kept: Vec<String>,
    /// Samples evicted to stay within the quota (least recently read or added first).
    pub evicted: Vec<String>,
    /// Entries refused because each alone is larger than the quota.
    pub refused: Vec<String>,
}

/// The vault's figures for `fcas db stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VaultStats {
    /// Samples whose bytes are kept.
    pub samples: u64,
    /// Their total size.
    pub bytes: u64,
    /// The total size of their encoded files (what the quota counts).
    pub stored_bytes: u64,
    /// Samples evicted since the vault began.
    pub evictions: u64,
}

/// Records `entries` and evicts the least recently read or added samples until the stored
/// total is within `quota`. None of `entries` is evicted: they are the samples being added.
pub fn record(conn: &Connection, entries: &[VaultEntry], quota: u64) -> Result<Recorded> {
    let now = unix_now();
    let mut recorded = Recorded::default();
    for entry in entries {
        if entry.stored_size > quota {
            recorded.refused.push(entry.sha256.clone());
            continue;
        }
        conn.prepare_cached(
            "INSERT INTO vault (sha256, size, stored_size, added_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(sha256) DO UPDATE SET stored_size = excluded.stored_size, added_at = excluded.added_at",
        )?
        .execute(params![entry.sha256, entry.size as i64, entry.stored_size as i64, now])?;
        recorded.kept.push(entry.sha256.clone());
    }
    let mut total = stored_total(conn)?;
    if total <= quota {
        return Ok(recorded);
    }
    // Oldest first; the protected ones are skipped in the loop rather than in SQL, so the
    // statement stays the same whatever their number.
    let mut oldest = conn.prepare_cached("SELECT sha256, stored_size FROM vault ORDER BY coalesce(last_read_at, added_at), sha256")?;
    let mut candidates = oldest.query([])?;
    let mut evicted = Vec::new();
    while total > quota {
        let Some(row) = candidates.next()? else { break };
        let sha256: String = row.get(0)?;
        if recorded.kept.contains(&sha256) {
            continue;
        }
        total = total.saturating_sub(row.get::<_, i64>(1)?.max(0) as u64);
        evicted.push(sha256);
    }
    drop(candidates);
    for sha256 in &evicted {
        conn.prepare_cached("DELETE FROM vault WHERE sha256 = ?1")?.execute([sha256])?;
    }
    conn.prepare_cached(
        "INSERT INTO vault_counters (name, value) VALUES ('evictions', ?1) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
    )?
    .execute([evicted.len() as i64])?;
    recorded.evicted = evicted;
    Ok(recorded)
}

/// Marks `sha256` read now (it moves to the back of the eviction order).
pub fn touch(conn: &Connection, sha256: &str) -> Result<()> {
    conn.prepare_cached("UPDATE vault SET last_read_at = ?2 WHERE sha256 = ?1")?.execute(params![sha256, unix_now()])?;
    Ok(())
}

/// Forgets `sha256` (its file turned out missing or damaged).
pub fn forget(conn: &Connection, sha256: &str) -> Result<()> {
    conn.prepare_cached("DELETE FROM vault WHERE sha256 = ?1")?.execute([sha256])?;
    Ok(())
}

/// Whether the vault holds `sha256`.
pub fn contains(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM vault WHERE sha256 = ?1")?.query_row([sha256], |_| Ok(())).optional()?.is_some())
}

/// The vault's figures.
pub fn stats(conn: &Connection) -> Result<VaultStats> {
    let (samples, bytes, stored_bytes) =
        conn.query_row("SELECT count(*), coalesce(sum(size), 0), coalesce(sum(stored_size), 0) FROM vault", [], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, i64>(2)?))
        })?;
    let evictions: Option<i64> =
        conn.query_row("SELECT value FROM vault_counters WHERE name = 'evictions'", [], |row| row.get(0)).optional()?;
    let positive = |n: i64| n.max(0) as u64;
    Ok(VaultStats {
        samples: positive(samples),
        bytes: positive(bytes),
        stored_bytes: positive(stored_bytes),
        evictions: positive(evictions.unwrap_or(0)),
    })
}

fn stored_total(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT coalesce(sum(stored_size), 0) FROM vault", [], |row| row.get::<_, i64>(0))?.max(0) as u64)
}
