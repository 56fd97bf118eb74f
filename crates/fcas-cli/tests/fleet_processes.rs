//! The fleet as it runs: real `fcas serve` processes (analyses in isolated children) behind a
//! real nginx, on loopback only, each test bounded in time.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod fleet_support;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use fcas_fleet::client::{ClientConfig, FleetClient, RetryPolicy, Url};
use fleet_support::{corpus, local_report, without_provenance, Nginx, Worker, TOKEN};

fn client(url: &str, concurrency: usize) -> FleetClient {
    let config = ClientConfig {
        endpoints: vec![Url::parse(url).unwrap()],
        token: Some(TOKEN.into()),
        concurrency,
        // Models are the models crate's tests; these compare the engine's output.
        options: fcas_report::AnalysisOptions { no_models: true, ..Default::default() },
        request_timeout: Duration::from_secs(120),
        retry: RetryPolicy {
            max_attempts: 20,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        },
        ..ClientConfig::default()
    };
    FleetClient::new(config).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// Small corpus files of every kind (malformed included), smallest first.
fn small_corpus_files(limit: u64) -> Vec<PathBuf> {
    let mut files: Vec<(u64, PathBuf)> = walk(&corpus())
        .into_iter()
        .filter_map(|p| std::fs::metadata(&p).ok().map(|m| (m.len(), p)))
        .filter(|(size, _)| *size > 0 && *size <= limit)
        .collect();
    files.sort();
    files.into_iter().map(|(_, p)| p).collect()
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// 300 distinct files: corpus files with a varying tail appended.
fn derived_corpus(dir: &std::path::Path, count: usize) -> Vec<PathBuf> {
    let sources = small_corpus_files(64 * 1024);
    assert!(sources.len() >= 10, "too few small corpus files");
    (0..count)
        .map(|i| {
            let source = &sources[i % sources.len()];
            let mut bytes = std::fs::read(source).unwrap();
            bytes.extend_from_slice(&(i as u64).to_le_bytes());
            bytes.extend(std::iter::repeat_n(b'F', i % 7));
            let path = dir.join(format!("{i:03}-{}", source.file_name().unwrap().to_string_lossy()));
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}

/// Jobs of the case store at `db` in state `done` (0 while the scan has not created it yet).
fn done_jobs(db: &std::path::Path) -> i64 {
    let Ok(conn) = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY) else { return 0 };
    conn.query_row("SELECT count(*) FROM jobs WHERE state = 'done'", [], |row| row.get(0)).unwrap_or(0)
}

#[test]
fn three_workers_behind_nginx_survive_a_killed_worker_and_every_report_lands_once() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let mut workers: Vec<Worker> = (1..=3).map(|i| Worker::start(dir.path(), &format!("w{i}"), &["--workers", "1"])).collect();
    let nginx = Nginx::start(&workers.iter().map(|w| w.addr).collect::<Vec<_>>(), "64m");
    let samples = dir.path().join("samples");
    std::fs::create_dir(&samples).unwrap();
    let paths = derived_corpus(&samples, 300);
    let db = dir.path().join("cases.sqlite");

    // The analyst's side: `fcas scan --remote` into a real case store file.
    let mut scan = std::process::Command::new(env!("CARGO_BIN_EXE_fcas"))
        .args(["scan", "--no-models", "--jobs", "6", "--remote", &nginx.url()])
        .arg("--token-file")
        .arg(dir.path().join("tokens"))
        .arg("--db")
        .arg(&db)
        .arg(&samples)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // One worker dies (SIGKILL to its own PID) once 100 reports are stored.
    fleet_support::wait_until(Duration::from_secs(240), || done_jobs(&db) >= 100);
    assert!(scan.try_wait().unwrap().is_none(), "the worker is killed mid-batch");
    let mut victim = workers.remove(1);
    victim.child.kill().unwrap();
    let _ = victim.child.wait();
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = scan.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = scan.kill();
            panic!("the remote scan did not finish within 300 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(0), "the scan succeeds despite the killed worker");

    let store = fcas_store::Store::open_existing(&db).unwrap();
    let conn = store.connection();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
    // Files found inside some corpus files (a PE's appended archive) are samples too.
    let submitted = "SELECT count(*) FROM samples WHERE sha256 NOT IN (SELECT child_sha256 FROM sample_edges)";
    assert_eq!(count(submitted), 300, "300 distinct submitted samples stored");
    let samples = count("SELECT count(*) FROM samples");
    assert_eq!(count("SELECT count(*) FROM reports"), samples, "each sample's report stored exactly once");
    assert_eq!(count("SELECT count(*) FROM jobs WHERE state = 'done' AND outcome = 'stored'"), 300);
    assert_eq!(count("SELECT count(*) FROM reports WHERE worker IN ('w1', 'w2', 'w3')"), samples, "each report names its worker");
    let ids: Vec<(i64, String)> = conn
        .prepare("SELECT r.id, s.sha256 FROM reports r JOIN samples s ON s.id = r.sample_id")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let by_sha256: HashMap<String, i64> = ids.into_iter().map(|(id, sha256)| (sha256, id)).collect();
    let mut workers_used = HashMap::new();
    for path in &paths {
        let sha256 = fcas_engine::OpenedFile::open(path, u64::MAX).unwrap().sha256().unwrap();
        let id = by_sha256.get(&sha256).unwrap_or_else(|| panic!("{} is not in the store", path.display()));
        let stored = store.load_report(*id).unwrap();
        let local = local_report(path);
        assert_eq!(without_provenance(&stored), without_provenance(&local), "{} differs from its local report", path.display());
        *workers_used.entry(stored.provenance.worker.clone().unwrap_or_default()).or_insert(0) += 1;
    }
    for (worker, count) in &workers_used {
        assert!(["w1", "w2", "w3"].contains(&worker.as_str()), "unexpected worker {worker:?} ({count})");
    }
    assert!(workers_used.len() >= 2, "work spread over the fleet: {workers_used:?}");
    eprintln!("300 files through nginx into the case store in {:?}; per worker: {workers_used:?}", started.elapsed());
    drop(nginx);
}

#[test]
fn sigterm_drains_in_flight_requests_before_exiting() {
    let dir = tempfile::tempdir().unwrap();
    let mut worker = Worker::start(dir.path(), "drain", &["--workers", "1", "--queue", "3"]);
    // A file slow enough to still be analysed when the signal arrives.
    let slow = corpus().join("elf/deb-elf-amd64/libc.so.6");
    let client = client(&worker.url(), 3);
    let rt = runtime();
    let in_flight: Vec<_> = (0..3)
        .map(|i| {
            let copy = dir.path().join(format!("slow-{i}"));
            let mut bytes = std::fs::read(&slow).unwrap();
            bytes.push(i as u8);
            std::fs::write(&copy, bytes).unwrap();
            copy
        })
        .collect();
    let batch = {
        let paths = in_flight.clone();
        rt.spawn(async move { client.analyze_batch(&paths, |_, _| {}).await })
    };
    // Wait until the worker has admitted all three, then ask it to stop.
    fleet_support::wait_until(Duration::from_secs(60), || metric(&worker, "fcas_analyses_in_flight") >= 3.0);
    fleet_support::signal(worker.pid(), libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(200));
    let refused = fleet_support::http_status(worker.addr, "POST", "/v1/analyze", Some(TOKEN));
    assert!(matches!(refused, None | Some(503)), "no new work after SIGTERM, got {refused:?}");
    let results = rt.block_on(batch).unwrap();
    for (path, result) in in_flight.iter().zip(&results) {
        let report = result.as_ref().unwrap_or_else(|e| panic!("{} was dropped by the drain: {e}", path.display()));
        assert_eq!(report.provenance.worker.as_deref(), Some("drain"));
        assert!(report.errors.iter().all(|e| e.stage != "isolation"), "{:?}", report.errors);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = worker.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the worker did not exit after draining");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful exit: {status:?}");
}

#[test]
fn malformed_files_get_reports_and_the_worker_survives() {
    let dir = tempfile::tempdir().unwrap();
    let mut worker = Worker::start(dir.path(), "mal", &["--workers", "2"]);
    let malformed: Vec<PathBuf> = walk(&corpus().join("malformed"));
    assert!(malformed.len() >= 10);
    let client = client(&worker.url(), 4);
    let results = runtime().block_on(client.analyze_batch(&malformed, |_, _| {}));
    for (path, result) in malformed.iter().zip(&results) {
        let report = result.as_ref().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(without_provenance(report), without_provenance(&local_report(path)), "{}", path.display());
    }
    assert!(worker.child.try_wait().unwrap().is_none(), "the worker is still running");
    assert_eq!(fleet_support::http_status(worker.addr, "GET", "/v1/health", None), Some(200));
}

#[test]
fn a_failing_analysis_child_gives_a_report_with_an_error_not_a_500() {
    let dir = tempfile::tempdir().unwrap();
    // An address-space limit too small for the analysis child to even start.
    let worker = Worker::start(dir.path(), "tiny", &["--workers", "1", "--child-memory", "8M"]);
    let path = corpus().join("elf/deb-elf-amd64/crt1.o");
    let report = runtime().block_on(client(&worker.url(), 1).analyze(&path)).unwrap();
    let isolation: Vec<_> = report.errors.iter().filter(|e| e.stage == "isolation").collect();
    assert!(!isolation.is_empty(), "{:?}", report.errors);
    assert_eq!(report.provenance.worker.as_deref(), Some("tiny"));
    assert!(metric(&worker, "fcas_errors_total{kind=\"analysis\"}") >= 1.0);
    assert_eq!(fleet_support::http_status(worker.addr, "GET", "/v1/health", None), Some(200));
}

#[test]
fn real_worker_refuses_missing_tokens_and_oversized_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let worker = Worker::start(dir.path(), "limits", &["--workers", "1", "--max-size", "1K"]);
    assert_eq!(fleet_support::http_status(worker.addr, "POST", "/v1/analyze", None), Some(401));
    assert_eq!(fleet_support::http_status(worker.addr, "POST", "/v1/analyze", Some("wrong")), Some(401));
    let big = corpus().join("elf/deb-elf-amd64/cat");
    match runtime().block_on(client(&worker.url(), 1).analyze(&big)) {
        Err(fcas_fleet::client::ClientError::Rejected { status: 413, .. }) => {}
        other => panic!("expected 413, got {other:?}"),
    }
}

/// A sample of a metric from the worker's `/metrics`.
fn metric(worker: &Worker, series: &str) -> f64 {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(worker.addr) else { return -1.0 };
    let _ = write!(stream, "GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    text.lines().find_map(|line| line.strip_prefix(series).and_then(|rest| rest.trim().parse().ok())).unwrap_or(-1.0)
}

#[test]
fn scan_remote_matches_local_scan_and_falls_back_as_configured() {
    let dir = tempfile::tempdir().unwrap();
    let worker = Worker::start(dir.path(), "cli", &["--workers", "1"]);
    let token_file = dir.path().join("tokens");
    let files = [corpus().join("elf/deb-elf-amd64/crt1.o"), corpus().join("pe/pypi-pip-any/t32.exe")];
    let scan = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_fcas"))
            .args(["scan", "--jsonl", "--no-models", "--min-string-len", "8"])
            .args(extra)
            .args(&files)
            .output()
            .unwrap();
        let reports: Vec<fcas_report::Report> =
            String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        (output.status.code(), reports)
    };
    let token = token_file.to_str().unwrap();
    let (local_code, local) = scan(&[]);
    let (remote_code, remote) = scan(&["--remote", &worker.url(), "--token-file", token]);
    assert_eq!((local_code, remote_code), (Some(0), Some(0)));
    assert_eq!(local.len(), 2);
    for (l, r) in local.iter().zip(&remote) {
        assert_eq!(without_provenance(l), without_provenance(r), "{}", l.path);
        assert_eq!(r.provenance.worker.as_deref(), Some("cli"));
    }

    let dead = format!("http://127.0.0.1:{}", fleet_support::free_port());
    let (code, fallback) = scan(&["--remote", &dead, "--token-file", token, "--remote-attempts", "2", "--fallback", "local"]);
    assert_eq!(code, Some(0));
    assert!(fallback.iter().all(|r| r.provenance.worker.as_deref() == Some("local")));
    assert_eq!(without_provenance(&fallback[0]), without_provenance(&local[0]));
    let (code, failed) = scan(&["--remote", &dead, "--token-file", token, "--remote-attempts", "2", "--fallback", "fail"]);
    assert_eq!(code, Some(1), "an unreachable fleet without fallback fails the scan");
    assert!(
        failed.iter().all(|r| r.errors.iter().any(|e| e.stage == fcas_report::stage::FLEET && e.message.contains("unreachable"))),
        "{:?}",
        failed[0].errors
    );
}

#[test]
fn a_worker_opens_containers_and_answers_with_every_descendant_which_the_client_stores_with_edges() {
    let dir = tempfile::tempdir().unwrap();
    let worker = Worker::start(dir.path(), "zipper", &["--workers", "1"]);
    let token_file = dir.path().join("tokens");
    let inner = [corpus().join("elf/deb-elf-amd64/crt1.o"), corpus().join("pe/pypi-pip-any/t32.exe")];
    let archive = fleet_support::encrypted_zip(dir.path(), &inner, "infected");
    let scan = |extra: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_fcas"))
            .args(["scan", "--jsonl", "--no-models"])
            .args(extra)
            .arg(&archive)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect::<Vec<fcas_report::Report>>()
    };
    let local = scan(&[]);
    let remote = scan(&["--remote", &worker.url(), "--token-file", token_file.to_str().unwrap()]);
    assert_eq!(local.len(), 3, "the archive, then its two files");
    assert_eq!(remote.len(), 3);
    let root = &remote[0];
    assert_eq!(root.extraction.as_ref().unwrap().password.as_deref(), Some("infected"));
    for (l, r) in local.iter().zip(&remote) {
        assert_eq!(without_provenance(l), without_provenance(r), "{}", l.path);
        assert_eq!(r.provenance.worker.as_deref(), Some("zipper"), "{}", r.path);
    }
    for (child, file) in remote[1..].iter().zip(&inner) {
        let name = file.file_name().unwrap().to_string_lossy();
        assert_eq!(child.path, format!("{}!{name}", archive.display()));
        assert_eq!(child.lineage[0].sha256, root.hashes.sha256);
    }

    // Stored through the fleet: every descendant is a sample, found in the archive.
    let db = dir.path().join("cases.db");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_fcas"))
        .args([
            "scan",
            "--no-models",
            "--db",
            db.to_str().unwrap(),
            "--remote",
            &worker.url(),
            "--token-file",
            token_file.to_str().unwrap(),
        ])
        .arg(&archive)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let connection = rusqlite::Connection::open(&db).unwrap();
    let samples: i64 = connection.query_row("SELECT count(*) FROM samples", [], |row| row.get(0)).unwrap();
    assert_eq!(samples, 3);
    let edges: i64 = connection
        .query_row("SELECT count(*) FROM sample_edges WHERE parent_sha256 = ?1", [&root.hashes.sha256], |row| row.get(0))
        .unwrap();
    assert_eq!(edges, 2);

    // A password of the analyst's own reaches the worker (in a header, never in the URL).
    let own = fleet_support::encrypted_zip(dir.path(), &inner, "s3cret, with a comma");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_fcas"))
        .args(["scan", "--jsonl", "--no-models", "--remote", &worker.url(), "--token-file", token_file.to_str().unwrap()])
        .args(["--password", "s3cret, with a comma"])
        .arg(&own)
        .output()
        .unwrap();
    let reports: Vec<fcas_report::Report> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0].extraction.as_ref().unwrap().password.as_deref(), Some("s3cret, with a comma"));
}
