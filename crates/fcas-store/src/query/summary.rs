//! The one-line view of a sample every listing returns.
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::Result;

/// Names shown per sample in listings (most recently seen first).
const NAMES_SHOWN: usize = 5;

/// What a listing says about one sample.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SampleSummary {
    /// Row id (stable within one store).
    pub id: i64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// SHA-1.
    pub sha1: String,
    /// MD5.
    pub md5: String,
    /// Size in bytes.
    pub size: u64,
    /// Detected format (`pe`, `elf`, ...).
    pub format: String,
    /// Human description of the type.
    pub file_type: String,
    /// File names it was seen under, most recent first (at most 5).
    pub names: Vec<String>,
    /// First time stored, Unix seconds.
    pub first_seen: i64,
    /// Last time stored or seen again, Unix seconds.
    pub last_seen: i64,
    /// Verdict of the latest report, when models ran.
    pub verdict: Option<String>,
    /// Score of that verdict.
    pub score: Option<f64>,
    /// Analyst tags, sorted.
    pub tags: Vec<String>,
    /// Row id of the latest report.
    pub latest_report_id: Option<i64>,
}

/// Summaries of `ids`, in the same order (ids that do not exist are skipped).
pub fn sample_summaries(conn: &Connection, ids: &[i64]) -> Result<Vec<SampleSummary>> {
    let mut sample = conn.prepare_cached(
        "SELECT s.id, s.sha256, s.sha1, s.md5, s.size, s.format, s.file_type, s.first_seen, s.last_seen,
                s.latest_report_id, r.verdict, r.score
         FROM samples s LEFT JOIN reports r ON r.id = s.latest_report_id WHERE s.id = ?1",
    )?;
    let mut names = conn.prepare_cached("SELECT name FROM sample_names WHERE sample_id = ?1 ORDER BY last_seen DESC, name LIMIT ?2")?;
    let mut tags = conn.prepare_cached("SELECT tag FROM tags WHERE sample_id = ?1 ORDER BY tag")?;
    let mut out = Vec::with_capacity(ids.len().min(crate::query::MAX_LIMIT as usize));
    for &id in ids {
        let found = sample
            .query_row([id], |row| {
                Ok(SampleSummary {
                    id: row.get(0)?,
                    sha256: row.get(1)?,
                    sha1: row.get(2)?,
                    md5: row.get(3)?,
                    size: row.get::<_, i64>(4)?.max(0) as u64,
                    format: row.get(5)?,
                    file_type: row.get(6)?,
                    first_seen: row.get(7)?,
                    last_seen: row.get(8)?,
                    latest_report_id: row.get(9)?,
                    verdict: row.get(10)?,
                    score: row.get(11)?,
                    names: Vec::new(),
                    tags: Vec::new(),
                })
            })
            .optional()?;
        let Some(mut summary) = found else { continue };
        summary.names = names.query_map(rusqlite::params![id, NAMES_SHOWN as i64], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        summary.tags = tags.query_map([id], |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        out.push(summary);
    }
    Ok(out)
}
