//! The scan queue's decisions: analyse, skip what is stored with the same versions, rescan,
//! give up on files that keep killing the process, resume what is pending.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use fcas_store::queue::{self, BatchSpec, Claim};
use fcas_store::writer::Writer;
use fcas_store::Store;

fn spec(rescan: bool) -> BatchSpec {
    BatchSpec { engine_version: "test-engine".into(), models_version: String::new(), rescan }
}

#[test]
fn jobs_are_claimed_completed_skipped_and_resumed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    let files: Vec<_> = (0..4)
        .map(|i| {
            let path = dir.path().join(format!("file{i}.bin"));
            std::fs::write(&path, format!("content {i}")).expect("write");
            path
        })
        .collect();
    let mut store = Store::open(&db).expect("open");
    let batch = queue::enqueue(&mut store, &spec(false), &files, &[(dir.path().join("locked"), "cannot list".into())]).expect("enqueue");
    let jobs = queue::pending_jobs(&store, batch).expect("pending");
    assert_eq!(jobs.len(), 4);
    assert_eq!(queue::last_unfinished_batch(&store).expect("last").map(|b| b.0), Some(batch));

    let (template, _) = common::corpus_reports().into_iter().next().expect("reference");
    let report_for = |path: &std::path::Path| {
        let mut report = template.clone();
        report.path = path.to_string_lossy().into_owned();
        report.hashes.sha256 = fcas_engine::OpenedFile::open(path, 1 << 20).expect("open").sha256().expect("hash");
        report
    };
    let writer = Writer::spawn(&db).expect("writer");
    let handle = writer.handle();
    // Two jobs finish; the third is claimed and then "the process dies" (never completed).
    for job in &jobs[..2] {
        assert_eq!(handle.claim_job(job.id, None).expect("claim"), Claim::Analyse);
        handle.complete_job(job.id, report_for(&job.path)).expect("complete");
    }
    assert_eq!(handle.claim_job(jobs[2].id, None).expect("claim"), Claim::Analyse);
    handle.flush().expect("flush");
    // Completing a finished job again stores nothing.
    handle.complete_job(jobs[0].id, report_for(&jobs[0].path)).expect("complete again");
    drop(handle);
    writer.finish().expect("finish");

    let pending = queue::pending_jobs(&store, batch).expect("pending");
    assert_eq!(pending.iter().map(|j| j.id).collect::<Vec<_>>(), vec![jobs[2].id, jobs[3].id], "running and queued jobs resume");
    let summary = queue::batch_summary(&store, batch).expect("summary");
    assert_eq!((summary.stored, summary.failed, summary.pending, summary.total), (2, 1, 2, 5));
    let reports: i64 = store.connection().query_row("SELECT count(*) FROM reports", [], |row| row.get(0)).expect("count");
    assert_eq!(reports, 2);

    // A new batch over the same files: the stored ones are unchanged, unless rescanning.
    let again = queue::enqueue(&mut store, &spec(false), &files[..1], &[]).expect("enqueue");
    let job = &queue::pending_jobs(&store, again).expect("pending")[0];
    let writer = Writer::spawn(&db).expect("writer");
    let sha = fcas_engine::OpenedFile::open(&job.path, 1 << 20).ok().map(|f| f.sha256().expect("hash"));
    assert!(matches!(writer.handle().claim_job(job.id, sha.clone()).expect("claim"), Claim::Unchanged { .. }));
    let rescan = queue::enqueue(&mut store, &spec(true), &files[..1], &[]).expect("enqueue");
    let job = &queue::pending_jobs(&store, rescan).expect("pending")[0];
    assert_eq!(writer.handle().claim_job(job.id, sha).expect("claim"), Claim::Analyse);
    writer.finish().expect("finish");
}

#[test]
fn a_job_interrupted_too_often_is_failed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    let file = dir.path().join("poison.bin");
    std::fs::write(&file, b"x").expect("write");
    let mut store = Store::open(&db).expect("open");
    let batch = queue::enqueue(&mut store, &spec(false), &[file], &[]).expect("enqueue");
    let job = queue::pending_jobs(&store, batch).expect("pending")[0].clone();
    let writer = Writer::spawn(&db).expect("writer");
    for _ in 0..queue::MAX_ATTEMPTS {
        assert_eq!(writer.handle().claim_job(job.id, None).expect("claim"), Claim::Analyse);
    }
    assert_eq!(writer.handle().claim_job(job.id, None).expect("claim"), Claim::GaveUp);
    writer.finish().expect("finish");
    assert!(queue::pending_jobs(&store, batch).expect("pending").is_empty());
    assert_eq!(queue::finish_batch(&store, batch).expect("finish").failed, 1);
    assert_eq!(queue::last_unfinished_batch(&store).expect("last"), None);
}

#[cfg(unix)]
#[test]
fn a_path_that_is_not_utf8_is_found_again_on_resume() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let name = std::ffi::OsStr::from_bytes(b"invoice-\xff\xfe.exe");
    let file = dir.path().join(name);
    std::fs::write(&file, b"MZ").expect("write");
    let mut store = Store::open(&dir.path().join("cases.sqlite")).expect("open");
    let batch = queue::enqueue(&mut store, &spec(false), std::slice::from_ref(&file), &[]).expect("enqueue");
    let jobs = queue::pending_jobs(&store, batch).expect("pending");
    assert_eq!(jobs[0].path, file);
    assert!(jobs[0].path.exists());
}
