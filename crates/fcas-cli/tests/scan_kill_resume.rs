//! `kill -9` of a real `fcas scan --db` at a random moment, then `--resume`: every file is stored
//! exactly once and the database is sound. Set FCAS_KILL_SEED to replay a run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fcas_store::Store;
use rusqlite::Connection;

const FILES: usize = 1000;
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files")
}

/// Small corpus files (PE, ELF, other) to vary.
fn base_files() -> Vec<Vec<u8>> {
    let mut bases = Vec::new();
    for kind in ["pe", "elf", "other"] {
        let mut stack = vec![corpus().join(kind)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("corpus folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if entry.metadata().is_ok_and(|m| m.len() > 0 && m.len() <= 64 * 1024) {
                    bases.push(std::fs::read(&path).expect("read corpus file"));
                }
            }
        }
    }
    bases.sort();
    assert!(bases.len() >= 5, "the corpus has small files");
    bases
}

fn start_scan(args: &[&std::ffi::OsStr]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_fcas")).args(args).stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().expect("start fcas")
}

fn wait_bounded(child: &mut Child) -> Option<i32> {
    let deadline = Instant::now() + RUN_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("fcas did not finish within {RUN_TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |row| row.get(0)).expect(sql)
}

#[test]
fn a_killed_scan_resumes_and_stores_every_file_exactly_once() {
    let seed: u64 = std::env::var("FCAS_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1) | 1
    });
    println!("FCAS_KILL_SEED={seed}");
    let mut rng = fastrand::Rng::with_seed(seed);

    let dir = tempfile::tempdir().expect("tempdir");
    let samples = dir.path().join("samples");
    std::fs::create_dir(&samples).expect("mkdir");
    let bases = base_files();
    let mut expected = std::collections::BTreeSet::new();
    for i in 0..FILES {
        let mut bytes = bases[i % bases.len()].clone();
        bytes.extend_from_slice(&(i as u64).to_le_bytes());
        let path = samples.join(format!("sample-{i:04}.bin"));
        // std::fs::write creates the file without execute permission.
        std::fs::write(&path, &bytes).expect("write sample");
        expected.insert(fcas_engine::OpenedFile::open(&path, u64::MAX).expect("open").sha256().expect("hash"));
    }
    assert_eq!(expected.len(), FILES, "the files are distinct");
    let db = dir.path().join("cases.sqlite");

    // First run, killed at a random moment; then a resume, killed too; then a resume to the end.
    let mut scan = start_scan(&["scan".as_ref(), "--db".as_ref(), db.as_os_str(), "-j".as_ref(), "2".as_ref(), samples.as_os_str()]);
    for round in 0..2 {
        let delay = Duration::from_millis(150 + rng.u64(..) % 2500);
        std::thread::sleep(delay);
        let still_running = scan.try_wait().expect("poll").is_none();
        scan.kill().ok(); // SIGKILL on Unix
        scan.wait().expect("reap");
        let stored = Connection::open(&db).map(|c| count(&c, "SELECT count(*) FROM reports")).unwrap_or(0);
        println!("round {round}: killed after {delay:?} (still running: {still_running}), {stored} reports stored");
        scan = start_scan(&["scan".as_ref(), "--db".as_ref(), db.as_os_str(), "--resume".as_ref(), "-j".as_ref(), "2".as_ref()]);
    }
    assert_eq!(wait_bounded(&mut scan), Some(0), "the final resume finishes cleanly");

    let store = Store::open_existing(&db).expect("open");
    let consistency = store.check().expect("check");
    assert!(consistency.is_ok(), "{consistency:?}");
    let conn = store.connection();
    assert_eq!(conn.query_row("PRAGMA integrity_check", [], |row| row.get::<_, String>(0)).expect("integrity"), "ok");
    assert_eq!(count(conn, "PRAGMA foreign_keys"), 1);
    // Files found inside some corpus files (a PE's appended archive) are samples too.
    let submitted = "SELECT count(*) FROM samples WHERE sha256 NOT IN (SELECT child_sha256 FROM sample_edges)";
    assert_eq!(count(conn, submitted) as usize, FILES);
    assert_eq!(count(conn, "SELECT count(*) FROM reports"), count(conn, "SELECT count(*) FROM samples"));
    assert_eq!(count(conn, "SELECT count(*) FROM samples s WHERE (SELECT count(*) FROM reports r WHERE r.sample_id = s.id) != 1"), 0);
    assert_eq!(count(conn, "SELECT count(*) FROM jobs WHERE state != 'done'"), 0);
    assert_eq!(count(conn, "SELECT count(DISTINCT path) FROM jobs") as usize, FILES);
    assert_eq!(count(conn, "SELECT count(*) FROM jobs WHERE outcome = 'stored'") as usize, FILES, "each job stored one report");
    for (table, column, parent) in [
        ("reports", "sample_id", "samples"),
        ("sample_names", "sample_id", "samples"),
        ("sections", "report_id", "reports"),
        ("imports", "report_id", "reports"),
        ("exports", "report_id", "reports"),
        ("indicators", "report_id", "reports"),
        ("predictions", "report_id", "reports"),
        ("text.report_text", "rowid", "reports"),
        ("tlsh_index", "sample_id", "samples"),
        ("ssdeep_grams", "sample_id", "samples"),
        ("jobs", "report_id", "reports"),
    ] {
        let orphans =
            count(conn, &format!("SELECT count(*) FROM {table} WHERE {column} IS NOT NULL AND {column} NOT IN (SELECT id FROM {parent})"));
        assert_eq!(orphans, 0, "orphan rows in {table}");
    }
    let mut statement =
        conn.prepare("SELECT sha256 FROM samples WHERE sha256 NOT IN (SELECT child_sha256 FROM sample_edges)").expect("prepare");
    let stored: std::collections::BTreeSet<String> =
        statement.query_map([], |row| row.get(0)).expect("query").collect::<Result<_, _>>().expect("rows");
    assert_eq!(stored, expected, "exactly the files scanned are stored");
}
