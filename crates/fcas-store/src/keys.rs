//! Rows of the tables keyed by something other than the report (ssdeep grams, imports and
//! exports by name), gathered while reports are stored and written sorted by key at the end of
//! the unit that stores them (a writer transaction, or one report).
//!
//! Inserted report by report, those rows land on random pages of large indexes: at 100,000
//! reports they were half of the writer's CPU, most of it descending B-trees to pages that had
//! left the cache (docs/BENCHMARKS.md, store). In key order, each insert lands on the page the
//! previous one did or the next.
use rusqlite::{params, Connection, Result};

/// Rows waiting to be written; [`PendingKeys::write`] writes and clears them.
#[derive(Debug, Default)]
pub(crate) struct PendingKeys {
    // (gram, sample id)
    grams: Vec<(i64, i64)>,
    // (name id, report id)
    imports: Vec<(i64, i64)>,
    // (name id, report id)
    exports: Vec<(i64, i64)>,
}

impl PendingKeys {
    pub(crate) fn gram(&mut self, gram: i64, sample_id: i64) {
        self.grams.push((gram, sample_id));
    }

    pub(crate) fn import(&mut self, name_id: i64, report_id: i64) {
        self.imports.push((name_id, report_id));
    }

    pub(crate) fn export(&mut self, name_id: i64, report_id: i64) {
        self.exports.push((name_id, report_id));
    }

    /// Forgets the rows gathered (their unit was rolled back).
    pub(crate) fn clear(&mut self) {
        self.grams.clear();
        self.imports.clear();
        self.exports.clear();
    }

    /// Writes every row gathered, each table in key order, and clears them.
    pub(crate) fn write(&mut self, conn: &Connection) -> Result<()> {
        insert_sorted(conn, "INSERT OR IGNORE INTO ssdeep_grams (gram, sample_id) VALUES (?1, ?2)", &mut self.grams)?;
        insert_sorted(conn, "INSERT OR IGNORE INTO imports (name_id, report_id) VALUES (?1, ?2)", &mut self.imports)?;
        insert_sorted(conn, "INSERT OR IGNORE INTO exports (name_id, report_id) VALUES (?1, ?2)", &mut self.exports)
    }
}

fn insert_sorted(conn: &Connection, sql: &str, rows: &mut Vec<(i64, i64)>) -> Result<()> {
    // Not even prepared when there is nothing to write: migration 3's backfill writes grams
    // into a store whose other tables are still of that version.
    if rows.is_empty() {
        return Ok(());
    }
    rows.sort_unstable();
    rows.dedup();
    let mut insert = conn.prepare_cached(sql)?;
    for (key, id) in rows.drain(..) {
        insert.execute(params![key, id])?;
    }
    Ok(())
}
