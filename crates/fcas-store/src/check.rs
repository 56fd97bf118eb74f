//! Consistency checks of a store: SQLite's own, foreign keys, and rows whose owner is gone
//! (including the tables foreign keys cannot cover: the full-text index).
use serde::Serialize;

use crate::{Result, Store};

/// Rows of each table that point at nothing, by name of the check.
const ORPHAN_QUERIES: &[(&str, &str)] = &[
    ("sample_names", "SELECT count(*) FROM sample_names WHERE sample_id NOT IN (SELECT id FROM samples)"),
    ("reports", "SELECT count(*) FROM reports WHERE sample_id NOT IN (SELECT id FROM samples)"),
    (
        "samples.latest_report_id",
        "SELECT count(*) FROM samples WHERE latest_report_id IS NOT NULL AND latest_report_id NOT IN (SELECT id FROM reports)",
    ),
    ("sections", "SELECT count(*) FROM sections WHERE report_id NOT IN (SELECT id FROM reports)"),
    (
        "imports",
        "SELECT count(*) FROM imports WHERE report_id NOT IN (SELECT id FROM reports) OR name_id NOT IN (SELECT id FROM import_names)",
    ),
    (
        "exports",
        "SELECT count(*) FROM exports WHERE report_id NOT IN (SELECT id FROM reports) OR name_id NOT IN (SELECT id FROM export_names)",
    ),
    ("indicators", "SELECT count(*) FROM indicators WHERE report_id NOT IN (SELECT id FROM reports)"),
    ("predictions", "SELECT count(*) FROM predictions WHERE report_id NOT IN (SELECT id FROM reports)"),
    ("report_text", "SELECT count(*) FROM text.report_text WHERE rowid NOT IN (SELECT id FROM reports)"),
    ("tags", "SELECT count(*) FROM tags WHERE sample_id NOT IN (SELECT id FROM samples)"),
    ("notes", "SELECT count(*) FROM notes WHERE sample_id NOT IN (SELECT id FROM samples)"),
    ("tlsh_index", "SELECT count(*) FROM tlsh_index WHERE sample_id NOT IN (SELECT id FROM samples)"),
    ("ssdeep_grams", "SELECT count(*) FROM ssdeep_grams WHERE sample_id NOT IN (SELECT id FROM samples)"),
    ("jobs.report_id", "SELECT count(*) FROM jobs WHERE report_id IS NOT NULL AND report_id NOT IN (SELECT id FROM reports)"),
    ("jobs.batch_id", "SELECT count(*) FROM jobs WHERE batch_id NOT IN (SELECT id FROM batches)"),
    ("samples without a report", "SELECT count(*) FROM samples WHERE latest_report_id IS NULL"),
];

/// What [`Store::check`] found.
#[derive(Debug, Clone, Serialize)]
pub struct Consistency {
    /// `PRAGMA integrity_check`: `["ok"]` when sound.
    pub integrity: Vec<String>,
    /// Rows `PRAGMA foreign_key_check` reports.
    pub foreign_key_violations: u64,
    /// Orphan rows per check, only checks that found some.
    pub orphans: Vec<(String, u64)>,
}

impl Consistency {
    /// True when nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.integrity == ["ok"] && self.foreign_key_violations == 0 && self.orphans.is_empty()
    }
}

impl Store {
    /// Runs every consistency check (reads the whole file: slow on large stores).
    pub fn check(&self) -> Result<Consistency> {
        let integrity = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let foreign_key_violations = self.conn.prepare("PRAGMA foreign_key_check")?.query_map([], |_| Ok(()))?.count() as u64;
        let mut orphans = Vec::new();
        for (name, sql) in ORPHAN_QUERIES {
            let count: i64 = self.conn.query_row(sql, [], |row| row.get(0))?;
            if count > 0 {
                orphans.push((name.to_string(), count as u64));
            }
        }
        Ok(Consistency { integrity, foreign_key_violations, orphans })
    }
}
