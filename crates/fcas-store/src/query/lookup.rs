//! Finding samples by any hash or a prefix of one.
use rusqlite::Connection;

use crate::{Result, StoreError};

/// Shortest prefix accepted, so that a typo does not list the whole store.
const MIN_PREFIX: usize = 4;

/// A sample found by hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleRef {
    /// Row id.
    pub id: i64,
    /// SHA-256.
    pub sha256: String,
}

/// Ids of the samples whose MD5, SHA-1, SHA-256 or SHA-512 equals `hash`, or starts with it when
/// it is shorter than a full hash. At most `limit` ids, by first_seen.
pub fn lookup_ids(conn: &Connection, hash: &str, limit: u32) -> Result<Vec<i64>> {
    let hash = hash.trim().to_ascii_lowercase();
    if !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(StoreError::InvalidQuery(format!("{hash:?} is not a hexadecimal hash or hash prefix")));
    }
    if hash.len() < MIN_PREFIX {
        return Err(StoreError::InvalidQuery(format!("give at least {MIN_PREFIX} hexadecimal characters of the hash")));
    }
    let columns: &[&str] = match hash.len() {
        32 => &["md5"],
        40 => &["sha1"],
        64 => &["sha256"],
        128 => &["sha512"],
        _ => &["sha256", "sha1", "md5", "sha512"],
    };
    // A range on the indexed column finds prefixes without scanning ('g' sorts after every hex digit).
    let upper = format!("{hash}g");
    let mut ids = Vec::new();
    for column in columns {
        let sql = format!("SELECT id FROM samples WHERE {column} >= ?1 AND {column} < ?2 ORDER BY first_seen, id LIMIT ?3");
        let mut statement = conn.prepare_cached(&sql)?;
        for id in statement.query_map(rusqlite::params![hash, upper, i64::from(limit)], |row| row.get::<_, i64>(0))? {
            let id = id?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids.truncate(limit as usize);
    Ok(ids)
}

/// Ids of the samples [`lookup_ids`] finds, then those whose PE import hash equals `hash` (or
/// starts with it): History's lookup, where an imphash names a family of samples. At most `limit`.
pub fn lookup_ids_or_imphash(conn: &Connection, hash: &str, limit: u32) -> Result<Vec<i64>> {
    let mut ids = lookup_ids(conn, hash, limit)?;
    let mut seen: std::collections::HashSet<i64> = ids.iter().copied().collect();
    let hash = hash.trim().to_ascii_lowercase();
    if hash.len() <= 32 {
        let upper = format!("{hash}g");
        let mut statement =
            conn.prepare_cached("SELECT id FROM samples WHERE imphash >= ?1 AND imphash < ?2 ORDER BY first_seen, id LIMIT ?3")?;
        for id in statement.query_map(rusqlite::params![hash, upper, i64::from(limit)], |row| row.get::<_, i64>(0))? {
            let id = id?;
            if seen.insert(id) {
                ids.push(id);
            }
        }
    }
    ids.truncate(limit as usize);
    Ok(ids)
}

/// The one sample named by `hash` (full or prefix); an error when none or several match.
pub fn resolve_sample(conn: &Connection, hash: &str) -> Result<SampleRef> {
    let ids = lookup_ids(conn, hash, 2)?;
    match ids.as_slice() {
        [] => Err(StoreError::NotFound { query: hash.to_string() }),
        [id] => {
            let sha256 = conn.query_row("SELECT sha256 FROM samples WHERE id = ?1", [id], |row| row.get(0))?;
            Ok(SampleRef { id: *id, sha256 })
        }
        _ => {
            let count = lookup_ids(conn, hash, crate::query::MAX_LIMIT)?.len();
            Err(StoreError::Ambiguous { query: hash.to_string(), count })
        }
    }
}
