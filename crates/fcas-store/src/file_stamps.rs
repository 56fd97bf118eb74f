//! What a scan learnt about the original files it hashed: path, size and modification time taken
//! before the hash, and the SHA-256 (schema version 11). The hex view trusts a file whose size and
//! time are still those, across sessions, instead of hashing it again (a 1 GiB file: 0.7 s).
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension};

use crate::queue::path_value;
use crate::Result;

/// A file a scan hashed: its path, and its size and modification time taken before the hash, so
/// whoever reads it again can trust the hash while both are unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashedFile {
    /// The file opened.
    pub path: PathBuf,
    /// Its size when opened.
    pub size: u64,
    /// Its modification time before the hash.
    pub modified: SystemTime,
    /// SHA-256 of its content, lowercase hex.
    pub sha256: String,
}

/// Records `file`, replacing what an earlier scan of the same path recorded. A time before 1970 or
/// past 2262 is not recorded (it does not fit the column; the file is then hashed when read).
pub(crate) fn record(conn: &Connection, file: &HashedFile) -> Result<()> {
    let (Some(mtime_ns), Ok(size)) = (nanos_since_epoch(file.modified), i64::try_from(file.size)) else { return Ok(()) };
    conn.prepare_cached("INSERT OR REPLACE INTO file_stamps (path, size, mtime_ns, sha256) VALUES (?1, ?2, ?3, ?4)")?.execute(params![
        path_value(&file.path),
        size,
        mtime_ns,
        file.sha256
    ])?;
    Ok(())
}

/// The size and modification time `path` had when a scan found it to hold `sha256`, if one did.
pub fn lookup(conn: &Connection, path: &Path, sha256: &str) -> Result<Option<(u64, SystemTime)>> {
    let row: Option<(i64, i64)> = conn
        .prepare_cached("SELECT size, mtime_ns FROM file_stamps WHERE path = ?1 AND sha256 = ?2")?
        .query_row(params![path_value(path), sha256], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(size, mtime_ns)| {
        let modified = UNIX_EPOCH.checked_add(Duration::from_nanos(u64::try_from(mtime_ns).ok()?))?;
        Some((u64::try_from(size).ok()?, modified))
    }))
}

fn nanos_since_epoch(time: SystemTime) -> Option<i64> {
    i64::try_from(time.duration_since(UNIX_EPOCH).ok()?.as_nanos()).ok()
}
