//! Counts over the whole store.
use rusqlite::Connection;
use serde::Serialize;

use crate::{Result, Store};

/// A value and how often it occurs.
#[derive(Debug, Clone, Serialize)]
pub struct Count {
    /// The value (`pe`, `malicious`, a tag, ...).
    pub value: String,
    /// Occurrences.
    pub count: u64,
}

/// Figures about the whole store.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Distinct samples.
    pub samples: u64,
    /// Stored reports.
    pub reports: u64,
    /// Samples by format.
    pub formats: Vec<Count>,
    /// Latest reports by verdict (`none` without one).
    pub verdicts: Vec<Count>,
    /// Most used tags.
    pub tags: Vec<Count>,
    /// Most frequent indicators in latest reports.
    pub indicators: Vec<Count>,
    /// Queue jobs by state.
    pub jobs: Vec<Count>,
    /// Oldest and newest analysis, Unix seconds.
    pub analysed_between: Option<(i64, i64)>,
    /// Size of the database file in bytes (pages in use and free).
    pub database_bytes: u64,
    /// Schema version.
    pub schema_version: u32,
    /// The sample vault's count, sizes and evictions.
    pub vault: crate::VaultStats,
}

fn counts(conn: &Connection, sql: &str) -> Result<Vec<Count>> {
    let mut statement = conn.prepare(sql)?;
    let rows = statement.query_map([], |row| Ok(Count { value: row.get(0)?, count: row.get::<_, i64>(1)?.max(0) as u64 }))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn scalar(conn: &Connection, sql: &str) -> Result<u64> {
    Ok(conn.query_row(sql, [], |row| row.get::<_, i64>(0))?.max(0) as u64)
}

impl Store {
    /// Distinct samples stored.
    pub fn sample_count(&self) -> Result<u64> {
        scalar(&self.conn, "SELECT count(*) FROM samples")
    }

    /// Counts over the whole store.
    pub fn stats(&self) -> Result<Stats> {
        let conn = &self.conn;
        let analysed_between = conn.query_row("SELECT min(analysed_at), max(analysed_at) FROM reports", [], |row| {
            Ok(row.get::<_, Option<i64>>(0)?.zip(row.get::<_, Option<i64>>(1)?))
        })?;
        Ok(Stats {
            samples: scalar(conn, "SELECT count(*) FROM samples")?,
            reports: scalar(conn, "SELECT count(*) FROM reports")?,
            formats: counts(conn, "SELECT format, count(*) FROM samples GROUP BY format ORDER BY 2 DESC, 1")?,
            verdicts: counts(
                conn,
                // Reports first (CROSS JOIN keeps that order): their verdict index covers the
                // query, so no report row (which holds the report's body) is read.
                "SELECT coalesce(r.verdict, 'none'), count(*) FROM reports r CROSS JOIN samples s ON s.latest_report_id = r.id
                 GROUP BY 1 ORDER BY 2 DESC, 1",
            )?,
            tags: counts(conn, "SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY 2 DESC, 1 LIMIT 20")?,
            indicators: counts(
                conn,
                "SELECT i.indicator_id, count(*) FROM indicators i JOIN samples s ON s.latest_report_id = i.report_id
                 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20",
            )?,
            jobs: counts(conn, "SELECT state, count(*) FROM jobs GROUP BY state ORDER BY 1")?,
            analysed_between,
            database_bytes: scalar(conn, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")?,
            schema_version: scalar(conn, "PRAGMA user_version")? as u32,
            vault: self.vault_stats()?,
        })
    }
}
