//! The full-text index in a file of its own (`<store>-text`), kept by its own thread: search sees
//! what the writer committed once `flush` returns; a lost index file, an interrupted rebuild and
//! a store from before the index had its own file are all indexed again when the store opens,
//! each report once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use fcas_report::{FoundString, Report};
use fcas_store::writer::Writer;
use fcas_store::{text_index_path, Store};
use rusqlite::Connection;

const REPORTS: usize = 1_500;

/// A report whose only strings are a word of its own (`marker-<n>`) and a word all share.
fn report(n: usize) -> Report {
    let mut report = Report { schema_version: fcas_report::SCHEMA_VERSION, engine_version: "test-engine".into(), ..Report::default() };
    report.path = format!("sample-{n}.bin");
    report.hashes.sha256 = format!("{n:064x}");
    for value in [format!("marker{n} loaded"), "sharedword everywhere".to_string()] {
        report.strings.items.push(FoundString { offset: 64, encoding: "ascii".into(), value });
    }
    report
}

fn store_through_the_writer(path: &std::path::Path, reports: impl Iterator<Item = Report>) {
    let writer = Writer::spawn(path).unwrap();
    let handle = writer.handle();
    for report in reports {
        handle.insert_at(report, 1_760_000_000).unwrap();
    }
    handle.flush().unwrap();
    drop(handle);
    let stats = writer.finish().unwrap();
    assert_eq!(stats.failed, 0, "{:?}", stats.failures);
}

/// The samples found for `word` (at most `REPORTS`).
fn found(store: &Store, word: &str) -> Vec<String> {
    store.search_text(word, false, REPORTS as u32).unwrap().into_iter().map(|hit| hit.sample.sha256).collect()
}

fn remove_index(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut file = text_index_path(path).into_os_string();
        file.push(suffix);
        let _ = std::fs::remove_file(file);
    }
}

#[test]
fn search_sees_what_the_writer_committed_and_a_lost_index_file_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.sqlite");
    store_through_the_writer(&path, (0..REPORTS).map(report));
    assert!(text_index_path(&path).is_file(), "the index has its own file beside the store");
    {
        let store = Store::open_existing(&path).unwrap();
        assert_eq!(store.text_index_pending().unwrap(), 0);
        assert_eq!(found(&store, "marker1234"), [format!("{:064x}", 1234)]);
        assert_eq!(found(&store, "sharedword").len(), REPORTS, "every report once");
        let main_has_index: i64 =
            store.connection().query_row("SELECT count(*) FROM main.sqlite_schema WHERE name = 'report_text'", [], |r| r.get(0)).unwrap();
        assert_eq!(main_has_index, 0, "the store's own file holds no index");
        assert!(store.check().unwrap().is_ok());
    }
    // The index is derived from the stored reports: without its file, opening rebuilds it.
    remove_index(&path);
    let store = Store::open_existing(&path).unwrap();
    assert_eq!(store.text_index_pending().unwrap(), 0);
    assert_eq!(found(&store, "marker7"), [format!("{:064x}", 7)]);
    assert_eq!(found(&store, "sharedword").len(), REPORTS);
}

#[test]
fn an_interrupted_rebuild_resumes_at_its_mark_and_indexes_each_report_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.sqlite");
    store_through_the_writer(&path, (0..REPORTS).map(report));
    // As a kill in the middle of a rebuild leaves it: batches committed up to a mark, nothing
    // after it (the mark moves in the same transaction as the documents of its batch).
    {
        let conn = Connection::open(text_index_path(&path)).unwrap();
        let mark: i64 = 600;
        conn.execute("DELETE FROM report_text WHERE rowid > ?1", [mark]).unwrap();
        conn.execute("UPDATE text_progress SET indexed_up_to = ?1", [mark]).unwrap();
    }
    let conn = Connection::open(&path).unwrap();
    let reports: i64 = conn.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).unwrap();
    assert_eq!(reports as usize, REPORTS);
    drop(conn);
    let store = Store::open_existing(&path).unwrap();
    assert_eq!(store.text_index_pending().unwrap(), 0);
    assert_eq!(found(&store, "sharedword").len(), REPORTS, "each report indexed once");
    assert_eq!(found(&store, "marker1499"), [format!("{:064x}", 1499)]);
    assert_eq!(found(&store, "marker3"), [format!("{:064x}", 3)]);
}

#[test]
fn a_schema_6_store_is_indexed_in_the_index_file_when_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::v6_store(dir.path());
    let store = Store::open(&path).unwrap();
    assert_eq!(store.text_index_pending().unwrap(), 0);
    let main_has_index: i64 =
        store.connection().query_row("SELECT count(*) FROM main.sqlite_schema WHERE name = 'report_text'", [], |r| r.get(0)).unwrap();
    assert_eq!(main_has_index, 0, "the old index is dropped from the store's file");
    // Every stored report's longest plain word finds its sample again.
    let ids: Vec<i64> = {
        let mut statement = store.connection().prepare("SELECT latest_report_id FROM samples").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
    };
    assert!(!ids.is_empty());
    let mut searched = 0;
    for id in ids {
        let report = store.load_report(id).unwrap();
        let word = report
            .strings
            .items
            .iter()
            .flat_map(|s| s.value.split(|c: char| !c.is_ascii_alphanumeric()))
            .filter(|w| w.len() >= 12)
            .max_by_key(|w| (w.len(), *w));
        if let Some(word) = word {
            assert!(found(&store, word).contains(&report.hashes.sha256), "{word} finds {}", report.hashes.sha256);
            searched += 1;
        }
    }
    assert!(searched >= 5, "only {searched} reports had a word to search for");
}
