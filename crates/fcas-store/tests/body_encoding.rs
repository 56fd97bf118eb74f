//! Report bodies with a dictionary: every corpus report reads back equal through every path that
//! reads a body, and a store written at schema 6 is re-encoded in place, resuming after SIGKILL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use fcas_report::Report;
use fcas_store::query::{HistoryFilter, HITS_WITH_MATCHES};
use fcas_store::schema::upgrade_in_batches;
use fcas_store::writer::Writer;
use fcas_store::Store;
use rusqlite::{Connection, OpenFlags};

const CURRENT_ENCODING: &str = "compact+zstd-dict:1";
const CHILD_DB: &str = "FCAS_TEST_REENCODE_DB";

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// The engine's report of every file of the corpus.
fn corpus_reports() -> Vec<Report> {
    let mut files = Vec::new();
    files_under(&common::corpus().join("files"), &mut files);
    files.sort();
    let options = fcas_engine::Options::default();
    files.iter().map(|file| fcas_engine::analyze_path(file, &options)).collect()
}

/// A long string of the report made of plain words, to search for.
fn searchable_string(report: &Report) -> Option<&str> {
    report
        .strings
        .items
        .iter()
        .map(|s| s.value.as_str())
        .filter(|v| v.len() >= 8 && v.split(' ').all(|w| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphanumeric())))
        .max_by_key(|v| (v.len(), *v))
}

fn encodings(conn: &Connection) -> BTreeMap<String, i64> {
    let mut statement = conn.prepare("SELECT body_encoding, count(*) FROM reports GROUP BY 1").unwrap();
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

#[test]
fn every_corpus_report_reads_back_equal_through_every_path_that_reads_a_body() {
    let reports = corpus_reports();
    assert!(reports.len() >= 100, "the corpus has {} files", reports.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.sqlite");
    // Through the single writer, as `fcas scan --db` stores them.
    let writer = Writer::spawn(&path).unwrap();
    let handle = writer.handle();
    for report in &reports {
        handle.insert_at(report.clone(), 1_760_000_000).unwrap();
    }
    drop(handle);
    let stats = writer.finish().unwrap();
    assert_eq!(stats.failed, 0, "{:?}", stats.failures);

    let store = Store::open_existing(&path).unwrap();
    assert_eq!(encodings(store.connection()), BTreeMap::from([(CURRENT_ENCODING.to_string(), reports.len() as i64)]));
    let exported: usize = reports
        .iter()
        .map(|r| r.pe.iter().flat_map(|pe| pe.exports.iter().filter_map(|e| e.name.as_deref())).collect::<BTreeSet<_>>().len())
        .sum();
    let export_rows: i64 = store.connection().query_row("SELECT count(*) FROM exports", [], |row| row.get(0)).unwrap();
    assert!(exported > 0);
    assert_eq!(export_rows as usize, exported, "one row per report and distinct export name");
    // The last report of each sample is the one `show` gives (a file may appear twice).
    let mut latest: BTreeMap<&str, &Report> = BTreeMap::new();
    for report in &reports {
        latest.insert(&report.hashes.sha256, report);
    }
    let mut searched = 0;
    for (sha256, report) in &latest {
        let detail = store.show(sha256).unwrap();
        assert_eq!(detail.latest.as_ref(), Some(*report), "show {sha256}");
        assert_eq!(&store.stored_sample(sha256).unwrap().unwrap().report, *report, "stored_sample {sha256}");
        for meta in &detail.reports {
            let loaded = store.load_report(meta.report_id).unwrap();
            assert_eq!(loaded.hashes.sha256, **sha256);
        }
        if let Some(text) = searchable_string(report) {
            let hits = store.search_text(text, false, 1000).unwrap();
            let position =
                hits.iter().position(|h| h.sample.sha256 == **sha256).unwrap_or_else(|| panic!("search {text:?} finds {sha256}"));
            // The matching strings shown (for the first hits) are read from the stored body.
            if position < HITS_WITH_MATCHES {
                let values: BTreeSet<&str> = report
                    .strings
                    .items
                    .iter()
                    .map(|s| s.value.as_str())
                    .chain(report.strings.iocs.iter().map(|i| i.value.as_str()))
                    .collect();
                let matches = &hits[position].matches;
                assert!(!matches.is_empty() && matches.iter().all(|(_, value)| values.contains(value.as_str())), "{text:?}: {matches:?}");
            }
            searched += 1;
        }
    }
    assert!(searched >= 20, "only {searched} reports had a string to search for");
    // Every report (not only each sample's latest) through the history's report ids: the single
    // writer gave them ids in the order sent.
    let history = store.history(&HistoryFilter { limit: 1000, ..HistoryFilter::default() }).unwrap();
    assert_eq!(history.len(), reports.len());
    for entry in &history {
        assert_eq!(store.load_report(entry.report_id).unwrap(), reports[entry.report_id as usize - 1], "report {}", entry.report_id);
    }
}

/// Each report of a schema-6 store as its body says, decoded here without the store's code.
fn bodies_as_written(path: &Path) -> BTreeMap<i64, Report> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut statement = conn.prepare("SELECT id, body_encoding, body FROM reports").unwrap();
    let rows = statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, Vec<u8>>(2)?))).unwrap();
    rows.map(|row| {
        let (id, encoding, body) = row.unwrap();
        let json = match encoding.as_str() {
            "json+zstd" => zstd::decode_all(body.as_slice()).unwrap(),
            "json" => body,
            other => panic!("a schema-6 body has encoding {other}"),
        };
        (id, serde_json::from_slice(&json).unwrap())
    })
    .collect()
}

/// Makes report `id`'s body plain JSON, the other encoding earlier versions accept.
fn make_body_plain_json(path: &Path, id: i64) {
    let conn = Connection::open(path).unwrap();
    let body: Vec<u8> = conn.query_row("SELECT body FROM reports WHERE id = ?1", [id], |row| row.get(0)).unwrap();
    let json = zstd::decode_all(body.as_slice()).unwrap();
    conn.execute("UPDATE reports SET body_encoding = 'json', body = ?2 WHERE id = ?1", rusqlite::params![id, json]).unwrap();
}

fn exports(path: &Path, sql: &str) -> Vec<(String, i64)> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut statement = conn.prepare(sql).unwrap();
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

fn body_bytes(conn: &Connection) -> i64 {
    conn.query_row("SELECT sum(length(body)) FROM reports", [], |row| row.get(0)).unwrap()
}

fn assert_reencoded_and_equal(path: &Path, expected: &BTreeMap<i64, Report>) {
    let store = Store::open_existing(path).unwrap();
    let conn = store.connection();
    assert_eq!(
        conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0)).unwrap(),
        i64::from(fcas_store::schema::LATEST_VERSION)
    );
    assert_eq!(encodings(conn), BTreeMap::from([(CURRENT_ENCODING.to_string(), expected.len() as i64)]));
    let pending: i64 = conn.query_row("SELECT count(*) FROM body_reencoding", [], |row| row.get(0)).unwrap();
    assert_eq!(pending, 0, "nothing left to re-encode");
    for (id, report) in expected {
        assert_eq!(&store.load_report(*id).unwrap(), report, "report {id}");
    }
    // Migration 10 copied each sample's latest verdict onto its row.
    let (samples, same): (i64, i64) = conn
        .query_row(
            "SELECT count(*), sum(s.latest_verdict IS r.verdict) FROM samples s JOIN reports r ON r.id = s.latest_report_id",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert!(samples > 0 && same == samples, "{same} of {samples} samples carry their latest verdict");
    assert!(store.check().unwrap().integrity == ["ok"]);
}

#[test]
fn a_schema_6_store_is_reencoded_in_place_and_reads_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::v6_store(dir.path());
    make_body_plain_json(&path, 2);
    let expected = bodies_as_written(&path);
    assert!(expected.len() >= 8, "the fixture has {} reports", expected.len());
    let before = {
        let conn = Connection::open(&path).unwrap();
        assert_eq!(conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0)).unwrap(), 6);
        body_bytes(&conn)
    };
    let exports_before = exports(&path, "SELECT name, report_id FROM exports ORDER BY 1, 2");
    assert!(!exports_before.is_empty(), "the fixture has exports");
    let history_before: Vec<(String, i64)> = {
        // What the queries answered is in the facts tables, which the migration leaves alone.
        let conn = Connection::open(&path).unwrap();
        let mut statement = conn.prepare("SELECT sha256, latest_report_id FROM samples ORDER BY id").unwrap();
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    };
    assert_reencoded_and_equal(&path, &expected);
    let store = Store::open_existing(&path).unwrap();
    let after = body_bytes(store.connection());
    assert!(after < before, "re-encoded bodies take {after} bytes, {before} before");
    drop(store);
    let exports_after = exports(&path, "SELECT n.name, e.report_id FROM exports e JOIN export_names n ON n.id = e.name_id ORDER BY 1, 2");
    assert_eq!(exports_after, exports_before, "every export kept, each name once");
    let store = Store::open_existing(&path).unwrap();
    let history = store.history(&HistoryFilter { latest_only: true, ..HistoryFilter::default() }).unwrap();
    assert_eq!(history.len(), history_before.len());
    for (sha256, report_id) in history_before {
        assert!(history.iter().any(|h| h.sha256 == sha256 && h.report_id == report_id), "{sha256} still listed with its report");
    }
}

/// Run by [`a_reencoding_killed_with_sigkill_resumes_without_loss`] in a child process:
/// re-encodes one report per transaction, slowly, until killed.
#[test]
#[ignore = "run as a child process by the kill test"]
fn slow_reencoding_child() {
    let Ok(db) = std::env::var(CHILD_DB) else { return };
    upgrade_in_batches(Path::new(&db), 1, &mut |_| std::thread::sleep(Duration::from_millis(150))).unwrap();
}

#[test]
fn a_reencoding_killed_with_sigkill_resumes_without_loss() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::v6_store(dir.path());
    let expected = bodies_as_written(&path);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "slow_reencoding_child", "--ignored", "--nocapture"])
        .env(CHILD_DB, &path)
        .spawn()
        .unwrap();
    // Kill it once a few batches are committed, well before the end.
    let deadline = Instant::now() + Duration::from_secs(120);
    let progress = || -> Option<(i64, i64)> {
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
        conn.busy_timeout(Duration::from_secs(5)).ok()?;
        conn.query_row("SELECT last_id, up_to FROM body_reencoding", [], |row| Ok((row.get(0)?, row.get(1)?))).ok()
    };
    loop {
        if progress().is_some_and(|(last_id, _)| last_id >= 3) {
            break;
        }
        assert!(Instant::now() < deadline, "the child made no progress");
        assert!(child.try_wait().unwrap().is_none(), "the child ended before it was killed");
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = Command::new("kill").args(["-9", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    assert!(!child.wait().unwrap().success());
    let (last_id, up_to) = progress().expect("killed while re-encoding");
    assert!(last_id < up_to, "killed before the end ({last_id} of {up_to})");
    {
        let conn = Connection::open(&path).unwrap();
        let counts = encodings(&conn);
        assert!(counts.get("json+zstd").is_some_and(|&n| n > 0), "some bodies still old: {counts:?}");
        assert!(counts.get(CURRENT_ENCODING).is_some_and(|&n| n >= 3), "some bodies re-encoded: {counts:?}");
    }
    // Opening resumes and finishes; every report is still the one stored.
    assert_reencoded_and_equal(&path, &expected);
}

#[test]
fn opening_an_up_to_date_store_does_not_wait_for_the_write_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.sqlite");
    drop(Store::open(&path).unwrap());
    let writer = Connection::open(&path).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let store = Store::open_existing(&path).unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "opening waited {:?}", started.elapsed());
    assert_eq!(store.sample_count().unwrap(), 0);
    writer.execute_batch("ROLLBACK").unwrap();
}
