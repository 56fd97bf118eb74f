//! The full-text index: one document per report (its distinct strings and IOCs), in a database
//! file of its own beside the store (`<store>-text`), attached to every connection as `text`.
//!
//! Why a file of its own: indexing is half of what the single writer did (tokenising and
//! hashing about 2,000 strings per report, docs/BENCHMARKS.md), and SQLite lets one writer at a
//! time into a file. With its own file the index is written by its own thread
//! ([`crate::writer`]'s follower), on another core, while the writer commits the next reports.
//!
//! The index follows the store: it is derived from the stored reports only (their bodies hold
//! every string), and `text_progress.indexed_up_to` says up to which report id it is complete.
//! [`catch_up`] indexes the reports after that mark, in transactions that move the mark with
//! them, so a crash, a kill or a missing or deleted index file only costs re-indexing; a store
//! migrated from an earlier version (whose index lived in the main file) is indexed that way too.
//! Search therefore sees a report once the follower has indexed it, a moment after its commit;
//! [`crate::writer::WriterHandle::flush`] waits for both.
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use fcas_report::StringsReport;
use rusqlite::{params, Connection, TransactionBehavior};

use crate::{codec, Result};

/// At most this many strings of one report go into the full-text index (the report body keeps
/// them all); past it, search only sees the first ones.
pub const MAX_INDEXED_STRINGS: usize = 20_000;
/// At most this many bytes of string text per report go into the full-text index.
pub const MAX_INDEXED_TEXT_BYTES: usize = 2 * 1024 * 1024;
/// Reports indexed per transaction by [`catch_up`]: each transaction leaves one segment to merge,
/// and holds its documents in memory (about 60 kB for a report of 2,000 strings). At 20,000
/// reports, 1,000 took 8% more of the index thread's CPU than 2,000; 4,000 saved 1% more and
/// held 120 MB more (docs/BENCHMARKS.md).
pub(crate) const CATCH_UP_BATCH: usize = 2_000;
/// What is appended to the store's file name to name the index's file.
pub const TEXT_INDEX_SUFFIX: &str = "-text";

/// The full-text index's file of the store at `db`.
pub fn text_index_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(TEXT_INDEX_SUFFIX);
    PathBuf::from(name)
}

/// One report's document: its distinct strings on one column, its distinct IOCs on the other,
/// one value per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TextDocument {
    strings: String,
    iocs: String,
}

impl TextDocument {
    /// The document of a report's strings, within the index's bounds.
    pub(crate) fn of(strings: &StringsReport) -> Self {
        Self {
            strings: bounded_lines(strings.items.iter().map(|s| s.value.as_str())),
            iocs: bounded_lines(strings.iocs.iter().map(|i| i.value.as_str())),
        }
    }

    fn is_empty(&self) -> bool {
        self.strings.is_empty() && self.iocs.is_empty()
    }
}

/// Attaches the index's file `target` (a path, or a `file:` URI on connections opened with
/// URIs) to `conn` as `text`, creating its tables when it is new.
pub(crate) fn attach(conn: &Connection, target: &str) -> Result<()> {
    conn.execute("ATTACH DATABASE ?1 AS text", [target])?;
    let exists: i64 = conn.query_row("SELECT count(*) FROM text.sqlite_schema WHERE name = 'text_progress'", [], |row| row.get(0))?;
    if exists == 0 {
        conn.execute_batch(
            "PRAGMA text.page_size = 16384;
             PRAGMA text.journal_mode = WAL;
             BEGIN IMMEDIATE;
             CREATE TABLE IF NOT EXISTS text.text_progress (
                 id INTEGER PRIMARY KEY CHECK (id = 1),
                 indexed_up_to INTEGER NOT NULL -- every report with an id up to this one is indexed
             );
             INSERT OR IGNORE INTO text.text_progress (id, indexed_up_to) VALUES (1, 0);
             CREATE VIRTUAL TABLE IF NOT EXISTS text.report_text USING fts5(strings, iocs, content='', contentless_delete=1);
             COMMIT;",
        )?;
        // Buffer 32 MB of terms before writing a segment (FTS5's default is 1 MB, about 30
        // large reports): one indexing transaction then makes about one segment, and far fewer
        // segments need merging (1 MB took 24% more CPU at 20,000 reports).
        conn.execute("INSERT INTO text.report_text (report_text, rank) VALUES ('hashsize', 33554432)", [])?;
    }
    conn.execute_batch("PRAGMA text.journal_mode = WAL; PRAGMA text.synchronous = NORMAL;")?;
    Ok(())
}

/// Indexes every stored report the index does not hold yet, `batch` per transaction; returns
/// how many it indexed. Safe to run from several connections at once: each transaction takes
/// the index's write lock before it reads the mark again, and keeps only documents after it.
///
/// A batch's documents are read from the store before that transaction, in statements of their
/// own: the store's file is only read while the bodies are, not while they are indexed, so the
/// writer's checkpoints are not held back by a reader for the whole batch. Each is staged as it
/// is read, so a batch is held in memory once (in the staging table), not also as documents.
pub(crate) fn catch_up(conn: &mut Connection, batch: usize) -> Result<u64> {
    let mut indexed = 0;
    loop {
        let seen = mark(conn)?;
        let ids = stage_after(conn, seen, batch.max(1))?;
        // Up to date (every opening of a store asks): no write transaction, no lock taken.
        let Some(&last) = ids.last() else { return Ok(indexed) };
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        // A write first: the index's lock is held from here, so no one else indexes these.
        tx.execute("UPDATE text.text_progress SET indexed_up_to = indexed_up_to WHERE id = 1", [])?;
        // Another connection indexed some or all of them meanwhile: those after its mark follow
        // it without a gap, as they followed the mark read before.
        let up_to = mark(&tx)?;
        index_staged(&tx, up_to)?;
        tx.execute("UPDATE text.text_progress SET indexed_up_to = max(indexed_up_to, ?1) WHERE id = 1", [last])?;
        tx.commit()?;
        indexed += ids.iter().filter(|id| **id > up_to).count() as u64;
    }
}

fn mark(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT indexed_up_to FROM text.text_progress WHERE id = 1", [], |row| row.get(0))?)
}

/// Stages the documents of the first `batch` reports after `after`, each as it is read; returns
/// their ids in order.
fn stage_after(conn: &Connection, after: i64, batch: usize) -> Result<Vec<i64>> {
    let ids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM reports WHERE id > ?1 ORDER BY id LIMIT ?2")?
        .query_map(params![after, batch as i64], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if ids.is_empty() {
        return Ok(ids);
    }
    // What a failed batch staged is staged again below.
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS staged_text (id INTEGER PRIMARY KEY, strings TEXT, iocs TEXT);
         DELETE FROM temp.staged_text;",
    )?;
    for &id in &ids {
        stage(conn, id, &TextDocument::of(&codec::load_strings(conn, id)?))?;
    }
    Ok(ids)
}

/// Stored reports the index does not hold yet.
pub(crate) fn pending(conn: &Connection) -> Result<u64> {
    let up_to = mark(conn)?;
    Ok(conn.query_row("SELECT count(*) FROM reports WHERE id > ?1", [up_to], |row| row.get::<_, i64>(0))? as u64)
}

/// Stages `document` as report `report_id`'s in the connection's staging table.
fn stage(conn: &Connection, report_id: i64, document: &TextDocument) -> Result<()> {
    if document.is_empty() {
        return Ok(());
    }
    conn.prepare_cached("INSERT INTO temp.staged_text (id, strings, iocs) VALUES (?1, ?2, ?3)")?.execute(params![
        report_id,
        document.strings,
        document.iocs
    ])?;
    Ok(())
}

/// Moves the staged documents after `after` into the index in one statement: FTS5 writes its
/// pending terms out at every statement that inserts into it, so one INSERT per report would
/// leave one segment per report to merge; one INSERT per transaction leaves one.
fn index_staged(conn: &Connection, after: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO text.report_text (rowid, strings, iocs) SELECT id, strings, iocs FROM temp.staged_text WHERE id > ?1 ORDER BY id",
        [after],
    )?;
    conn.execute_batch("DELETE FROM temp.staged_text;")?;
    Ok(())
}

/// The distinct values, one per line, within the index's bounds (a string repeated in a file
/// is indexed once).
fn bounded_lines<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut text = String::new();
    let mut seen = HashSet::new();
    for value in values.filter(|v| seen.insert(*v)).take(MAX_INDEXED_STRINGS) {
        if text.len().saturating_add(value.len()) > MAX_INDEXED_TEXT_BYTES {
            break;
        }
        text.push_str(value);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_values_are_indexed_once_in_first_seen_order() {
        assert_eq!(bounded_lines(["b", "a", "b", "c", "a"].into_iter()), "b\na\nc\n");
    }

    #[test]
    fn text_past_the_byte_bound_is_left_out() {
        let long = "x".repeat(MAX_INDEXED_TEXT_BYTES / 2 + 1);
        let other = "y".repeat(MAX_INDEXED_TEXT_BYTES / 2 + 1);
        let text = bounded_lines([long.as_str(), other.as_str(), "z"].into_iter());
        assert!(text.len() <= MAX_INDEXED_TEXT_BYTES);
        assert!(text.starts_with(&long) && !text.contains('y'));
    }

    fn report(n: usize) -> fcas_report::Report {
        let mut report = fcas_report::Report { schema_version: fcas_report::SCHEMA_VERSION, ..Default::default() };
        report.hashes.sha256 = format!("{n:064x}");
        report.strings.items.push(fcas_report::FoundString { offset: 0, encoding: "ascii".into(), value: format!("body{n}") });
        report
    }

    /// The samples a search for `word` finds, by the number their sha256 encodes.
    fn found(store: &crate::Store, word: &str) -> Vec<usize> {
        let hits = store.search_text(word, false, 100).unwrap();
        hits.iter().map(|hit| usize::from_str_radix(&hit.sample.sha256, 16).unwrap()).collect()
    }

    #[test]
    fn catch_up_indexes_after_the_mark_in_batches_and_each_report_once() {
        let mut store = crate::Store::open_memory().unwrap();
        let tx = store.conn.transaction().unwrap();
        for n in 1..=5 {
            crate::write::insert_report(&tx, &report(n), 0).unwrap();
        }
        tx.commit().unwrap();
        assert_eq!(pending(&store.conn).unwrap(), 5);
        assert_eq!(catch_up(&mut store.conn, 2).unwrap(), 5, "three batches of at most 2");
        assert_eq!((pending(&store.conn).unwrap(), mark(&store.conn).unwrap()), (0, 5));
        assert_eq!((found(&store, "body1"), found(&store, "body5")), (vec![1], vec![5]));
        // Nothing after the mark: nothing more, and nothing twice.
        assert_eq!(catch_up(&mut store.conn, 2).unwrap(), 0);
        let documents: i64 = store.conn.query_row("SELECT count(*) FROM text.report_text", [], |row| row.get(0)).unwrap();
        assert_eq!(documents, 5);
    }

    #[test]
    fn the_index_file_sits_beside_the_store() {
        assert_eq!(text_index_path(Path::new("/cases/fcas.sqlite")), Path::new("/cases/fcas.sqlite-text"));
    }
}
