//! Children that crash, hang, exceed memory or talk nonsense: each becomes an `isolation` error in
//! that file's report, and the next request gets a fresh child.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::PathBuf;
use std::time::{Duration, Instant};

use fcas_isolate::{ChildLimits, IsolatedWorker, Request, WorkerPool};

/// Writes a small bash child: it answers requests for paths containing "ok", and misbehaves as
/// told for paths containing "crash", "hang", "garbage" or "memory".
fn fake_child(dir: &tempfile::TempDir) -> PathBuf {
    let script = dir.path().join("child.sh");
    std::fs::write(
        &script,
        r#"#!/usr/bin/env bash
while IFS= read -r line; do
  id=$(printf '%s' "$line" | sed -E 's/.*"id":([0-9]+).*/\1/')
  case "$line" in
    *crash*) kill -SEGV $$ ;;
    *hang*) sleep 30 ;;
    *beating*) for i in 1 2 3 4; do sleep 0.3; printf '{"id":%s,"heartbeat":%s}\n' "$id" "$i"; done
               printf '{"id":%s,"report":{"path":"answered","size":8}}\n' "$id" ;;
    *garbage*) echo 'this is not json' ;;
    *memory*) exec python3 -c 'bytearray(1 << 30)' ;;
    *) printf '{"id":%s,"report":{"path":"answered","size":7}}\n' "$id" ;;
  esac
done
"#,
    )
    .unwrap();
    script
}

/// A worker running the fake child through bash. Not the script itself: executing a file this
/// process has just written races with other test threads' forks, which may still hold the
/// written file open (the exec then fails with "text file busy").
fn fake_worker(dir: &tempfile::TempDir, limits: ChildLimits) -> IsolatedWorker {
    IsolatedWorker::new("bash", vec![fake_child(dir).to_string_lossy().into_owned()], limits)
}

fn request(path: &str) -> Request {
    Request { path: path.to_string(), ..Request::default() }
}

fn isolation_error(report: &fcas_report::Report) -> String {
    report.errors.iter().find(|e| e.stage == "isolation").map(|e| e.message.clone()).unwrap_or_default()
}

#[test]
fn crash_is_reported_and_the_child_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut worker = fake_worker(&dir, ChildLimits::default());
    assert_eq!(worker.analyze(request("ok-1")).size, 7);
    let crashed = worker.analyze(request("crash"));
    assert!(isolation_error(&crashed).contains("crashed (signal 11)"), "{:?}", crashed.errors);
    assert_eq!(crashed.path, "crash");
    assert_eq!(worker.analyze(request("ok-2")).size, 7, "a new child serves the next file");
}

#[test]
fn hang_is_stopped_at_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let limits = ChildLimits { timeout: Duration::from_millis(500), ..ChildLimits::default() };
    let mut worker = fake_worker(&dir, limits);
    let started = Instant::now();
    let hung = worker.analyze(request("hang"));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(isolation_error(&hung).contains("longer than"), "{:?}", hung.errors);
    assert_eq!(worker.analyze(request("ok")).size, 7);
}

#[test]
fn heartbeats_restart_the_time_limit_so_a_long_archive_is_not_killed_but_silence_still_is() {
    let dir = tempfile::tempdir().unwrap();
    // 1.2 s in all, but never more than 0.3 s without a line.
    let limits = ChildLimits { timeout: Duration::from_millis(700), ..ChildLimits::default() };
    let mut worker = fake_worker(&dir, limits);
    let started = Instant::now();
    let report = worker.analyze(request("beating"));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.size, 8);
    assert!(started.elapsed() > Duration::from_millis(1000), "the answer came after the limit, through heartbeats");
    assert!(isolation_error(&worker.analyze(request("hang"))).contains("longer than"));
}

#[test]
fn garbage_answer_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut worker = fake_worker(&dir, ChildLimits::default());
    let garbage = worker.analyze(request("garbage"));
    assert!(isolation_error(&garbage).contains("unreadable answer"), "{:?}", garbage.errors);
    assert_eq!(worker.analyze(request("ok")).size, 7);
}

#[test]
fn memory_limit_stops_a_greedy_child() {
    let dir = tempfile::tempdir().unwrap();
    let limits = ChildLimits { memory_bytes: 256 << 20, timeout: Duration::from_secs(20) };
    let mut worker = fake_worker(&dir, limits);
    let greedy = worker.analyze(request("memory"));
    let message = isolation_error(&greedy);
    assert!(message.contains("exited unexpectedly") || message.contains("killed"), "the greedy child must fail: {:?}", greedy.errors);
    assert_eq!(worker.analyze(request("ok")).size, 7);
}

#[test]
fn missing_program_is_a_clear_error() {
    let mut worker = IsolatedWorker::new("/nonexistent/fcas", vec![], ChildLimits::default());
    assert!(isolation_error(&worker.analyze(request("ok"))).contains("cannot start the analysis process"));
}

#[test]
fn pool_serves_many_threads() {
    let dir = tempfile::tempdir().unwrap();
    let pool = WorkerPool::new((0..2).map(|_| fake_worker(&dir, ChildLimits::default())).collect());
    std::thread::scope(|scope| {
        for t in 0..4 {
            let pool = &pool;
            scope.spawn(move || {
                for i in 0..10 {
                    let path = if i == 5 { format!("crash-{t}") } else { format!("ok-{t}-{i}") };
                    let report = pool.analyze(request(&path));
                    assert_eq!(report.size == 7, i != 5, "{path}: {:?}", report.errors);
                }
            });
        }
    });
}

#[test]
fn json_answers_are_forwarded_as_written_and_failures_are_named_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut worker = fake_worker(&dir, ChildLimits::default());
    let json = worker.analyze_json(request("ok-json")).unwrap();
    assert_eq!(json, r#"{"path":"answered","size":7}"#, "the child's report text, untouched");
    let presented = Request { report_path: Some("sample.exe".into()), worker: Some("w7".into()), ..request("crash") };
    let failed = worker.analyze_json(presented).unwrap_err();
    assert!(isolation_error(&failed).contains("crashed"), "{:?}", failed.errors);
    assert_eq!((failed.path.as_str(), failed.provenance.worker.as_deref()), ("sample.exe", Some("w7")));
    assert!(worker.analyze_json(request("garbage")).is_err(), "text that is not JSON is never forwarded");
}
