//! How the writer groups messages into transactions: a stream of reports shares one
//! transaction (up to a count), a lone report is committed without being asked, and a claim is
//! committed alone and answered at once however long the writer would otherwise wait for more.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::time::{Duration, Instant};

use fcas_store::queue::{self, BatchSpec};
use fcas_store::writer::{Writer, WriterConfig};
use fcas_store::Store;

/// A writer that would wait ten seconds for more messages before committing.
fn patient() -> WriterConfig {
    WriterConfig { idle_commit: Duration::from_secs(10), max_transaction_time: Duration::from_secs(60), ..WriterConfig::default() }
}

fn start(db: &std::path::Path, config: WriterConfig) -> Writer {
    Writer::start_with(Store::open(db).expect("open"), config).expect("writer")
}

#[test]
fn reports_that_keep_coming_share_a_transaction_up_to_the_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let reports: Vec<_> = common::corpus_reports().into_iter().map(|(report, _)| report).take(30).collect();
    assert_eq!(reports.len(), 30, "the corpus has 30 reports to send");

    let db = dir.path().join("one.sqlite");
    let writer = start(&db, patient());
    let handle = writer.handle();
    reports.iter().for_each(|report| handle.insert(report.clone()).expect("send"));
    drop(handle);
    let started = Instant::now();
    let stats = writer.finish().expect("finish");
    assert!(started.elapsed() < Duration::from_secs(8), "the last sender leaving commits at once");
    assert_eq!((stats.reports_stored, stats.transactions, stats.failed), (30, 1, 0), "{:?}", stats.failures);

    let db = dir.path().join("tens.sqlite");
    let writer = start(&db, WriterConfig { max_messages_per_transaction: 10, ..patient() });
    let handle = writer.handle();
    reports.iter().for_each(|report| handle.insert(report.clone()).expect("send"));
    drop(handle);
    let stats = writer.finish().expect("finish");
    assert_eq!((stats.reports_stored, stats.transactions), (30, 3));
    assert_eq!(Store::open_existing(&db).expect("open").stats().expect("stats").reports, 30);
}

#[test]
fn a_lone_report_is_committed_once_no_other_comes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    let (report, _) = common::corpus_reports().into_iter().next().expect("a corpus report");
    let writer = start(&db, WriterConfig { idle_commit: Duration::from_millis(50), ..WriterConfig::default() });
    let handle = writer.handle();
    handle.insert(report).expect("send");
    let reader = Store::open_existing(&db).expect("open");
    let deadline = Instant::now() + Duration::from_secs(20);
    while reader.stats().expect("stats").reports == 0 {
        assert!(Instant::now() < deadline, "the report was not committed while the sender stayed");
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(handle);
    assert_eq!(writer.finish().expect("finish").transactions, 1);
}

#[test]
fn a_claim_is_committed_alone_without_waiting_for_more_messages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    let file = dir.path().join("sample.bin");
    std::fs::write(&file, b"sample").expect("write");
    let mut store = Store::open(&db).expect("open");
    let spec = BatchSpec { engine_version: "test-engine".into(), models_version: String::new(), rescan: false };
    let batch = queue::enqueue(&mut store, &spec, &[file], &[]).expect("enqueue");
    let job = queue::pending_jobs(&store, batch).expect("pending").remove(0);

    let writer = start(&db, patient());
    let handle = writer.handle();
    let (report, _) = common::corpus_reports().into_iter().next().expect("a corpus report");
    handle.insert(report).expect("send");
    let started = Instant::now();
    handle.claim_job(job.id, None).expect("claim");
    assert!(started.elapsed() < Duration::from_secs(5), "the claim waited for the idle time");
    assert_eq!(store.stats().expect("stats").reports, 0, "the report sent before the claim still waits for more");
    let state: (String, i64) = store
        .connection()
        .query_row("SELECT state, attempts FROM jobs WHERE id = ?1", [job.id], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("job");
    assert_eq!(state, ("running".to_string(), 1), "the claim is committed");
    drop(handle);
    assert_eq!(writer.finish().expect("finish").transactions, 2, "the claim, then the report");
    assert_eq!(store.stats().expect("stats").reports, 1);
}

#[test]
fn a_bad_report_does_not_undo_the_others_in_its_transaction() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    let reports: Vec<_> = common::corpus_reports().into_iter().map(|(report, _)| report).take(20).collect();
    let writer = start(&db, patient());
    let handle = writer.handle();
    for (i, report) in reports.iter().enumerate() {
        let mut report = report.clone();
        if i == 7 {
            report.hashes.sha256 = "not a hash".into();
        }
        handle.insert(report).expect("send");
    }
    drop(handle);
    let stats = writer.finish().expect("finish");
    assert_eq!((stats.reports_stored, stats.failed, stats.transactions), (19, 1, 1), "{:?}", stats.failures);
    assert!(stats.failures[0].contains("no valid sha256"), "{:?}", stats.failures);

    // All in one transaction: rolled back with the bad one, and stored again one by one.
    let store = Store::open_existing(&db).expect("open");
    assert_eq!(store.stats().expect("stats").reports, 19);
    for report in reports.iter().enumerate().filter(|(i, _)| *i != 7).map(|(_, report)| report) {
        let stored = store.stored_sample(&report.hashes.sha256).expect("query").expect("stored");
        assert_eq!(&stored.report, report, "{} comes back as it was sent", report.path);
    }
    assert!(store.check().expect("check").is_ok());
}
