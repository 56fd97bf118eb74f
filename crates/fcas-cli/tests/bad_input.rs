//! Hostile inputs through every front end of `fcas scan`: printed, stored (`--db`) and sent to
//! the fleet (`--remote`). A named pipe, `/dev/zero`, a socket, a dangling link and a file
//! deleted after it was listed each give a clear refusal; the batch completes with exit code 3;
//! nothing hangs (every run is bounded in time).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Longest one scan of the folder may take; a FIFO opened for reading would block for ever.
const BOUND: Duration = Duration::from_secs(60);

fn corpus_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files").join(name)
}

/// Runs `fcas ARGS`, failing the test past [`BOUND`] (the output is read while it runs, so a
/// large report cannot fill the pipe and stall it).
fn fcas_bounded(args: &[&str]) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_fcas"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run fcas");
    let pid = child.id();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    match receiver.recv_timeout(BOUND) {
        Ok(output) => output.expect("output"),
        Err(_) => {
            // SAFETY: signalling the child this test started, by its pid.
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            panic!("fcas {args:?} did not finish within {BOUND:?}");
        }
    }
}

/// A folder holding one good PE and every kind of bad entry.
fn hostile_folder(root: &Path) -> PathBuf {
    let folder = root.join("drop");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(corpus_file("pe/deb-libwine-amd64/hostname.exe"), folder.join("a-good.exe")).unwrap();
    let fifo = std::ffi::CString::new(folder.join("b-pipe").to_str().unwrap()).unwrap();
    // SAFETY: a plain mkfifo on a path we own.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let _socket = std::os::unix::net::UnixListener::bind(folder.join("c-socket")).unwrap();
    std::mem::forget(_socket); // keep the socket file for the whole test
    std::os::unix::fs::symlink(folder.join("nowhere"), folder.join("d-dangling")).unwrap();
    folder
}

/// Each bad entry's message, by the file it names.
fn messages(reports: &[serde_json::Value]) -> Vec<(String, String)> {
    reports
        .iter()
        .map(|r| {
            let name = Path::new(r["path"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned();
            let error = r["errors"].as_array().and_then(|e| e.first()).map(|e| e["message"].as_str().unwrap().to_string());
            (name, error.unwrap_or_default())
        })
        .collect()
}

#[test]
fn printed_scans_refuse_special_files_and_finish() {
    let dir = tempfile::tempdir().unwrap();
    let folder = hostile_folder(dir.path());
    let folder_arg = folder.to_str().unwrap();
    // Named directly, a link to nothing and a device are refused too.
    let output = fcas_bounded(&["scan", "--no-models", "--jsonl", folder_arg, "/dev/zero", folder.join("d-dangling").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3), "{}", String::from_utf8_lossy(&output.stderr));
    let reports: Vec<serde_json::Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let found = messages(&reports);
    assert_eq!(found.len(), 5, "the good file, the pipe, the socket and the two named files: {found:?}");
    assert_eq!(found[0].0, "a-good.exe");
    assert!(reports[0]["errors"].as_array().unwrap().iter().all(|e| e["stage"] != "input"));
    assert!(found[1].1.contains("not a regular file (a FIFO)"), "{found:?}");
    assert!(found[2].1.contains("not a regular file (a socket)"), "{found:?}");
    assert!(found[3].1.contains("not a regular file (a device)"), "/dev/zero: {found:?}");
    assert!(found[4].1.contains("no such file"), "the dangling link: {found:?}");
}

#[test]
fn stored_scans_fail_the_bad_jobs_and_store_the_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let folder = hostile_folder(dir.path());
    let db = dir.path().join("cases.sqlite");
    let output = fcas_bounded(&["scan", "--no-models", "--json", "--db", db.to_str().unwrap(), folder.to_str().unwrap(), "/dev/zero"]);
    assert_eq!(output.status.code(), Some(3), "{}", String::from_utf8_lossy(&output.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((summary["total"].as_u64(), summary["stored"].as_u64(), summary["failed"].as_u64()), (Some(4), Some(1), Some(3)));
    assert_eq!(summary["pending"].as_u64(), Some(0));
    let store = fcas_store::Store::open_existing(&db).unwrap();
    let reasons: Vec<String> = store
        .connection()
        .prepare("SELECT outcome FROM jobs WHERE state = 'failed' ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(reasons.iter().all(|r| r.contains("not a regular file")), "{reasons:?}");
}

#[test]
fn remote_scans_refuse_special_files_before_sending_anything() {
    let dir = tempfile::tempdir().unwrap();
    let folder = hostile_folder(dir.path());
    // Nothing listens there: only the good file would need the fleet.
    let dead = format!("http://127.0.0.1:{}", free_port());
    let output = fcas_bounded(&["scan", "--no-models", "--jsonl", "--remote", &dead, "--remote-attempts", "1", folder.to_str().unwrap()]);
    let reports: Vec<serde_json::Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let found = messages(&reports);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(reports[0]["errors"][0]["stage"], "fleet", "the good file needed the (dead) fleet");
    assert!(found[1].1.contains("a FIFO") && found[2].1.contains("a socket"), "{found:?}");
    assert_eq!(output.status.code(), Some(1), "a file the fleet could not analyse fails the scan");
    // With --db as well: the bad files are failed jobs, never uploaded.
    let db = dir.path().join("remote.sqlite");
    let stored = fcas_bounded(&[
        "scan",
        "--no-models",
        "--json",
        "--remote",
        &dead,
        "--remote-attempts",
        "1",
        "--fallback",
        "local",
        "--db",
        db.to_str().unwrap(),
        folder.to_str().unwrap(),
    ]);
    assert_eq!(stored.status.code(), Some(3), "{}", String::from_utf8_lossy(&stored.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&stored.stdout).unwrap();
    assert_eq!((summary["stored"].as_u64(), summary["failed"].as_u64()), (Some(1), Some(2)));
}

#[test]
fn a_file_deleted_after_listing_is_refused_and_the_batch_completes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.sqlite");
    let file = dir.path().join("gone.exe");
    std::fs::copy(corpus_file("pe/deb-libwine-amd64/hostname.exe"), &file).unwrap();
    // Record the job, then delete the file before the scan resumes it.
    let mut store = fcas_store::Store::open(&db).unwrap();
    let spec = fcas_store::queue::BatchSpec { engine_version: "x".into(), models_version: String::new(), rescan: false };
    fcas_store::queue::enqueue(&mut store, &spec, std::slice::from_ref(&file), &[]).unwrap();
    drop(store);
    std::fs::remove_file(&file).unwrap();
    let output = fcas_bounded(&["scan", "--no-models", "--resume", "--json", "--db", db.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3), "{}", String::from_utf8_lossy(&output.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!((summary["failed"].as_u64(), summary["pending"].as_u64()), (Some(1), Some(0)));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Appends to `path` until the returned flag is set, as another process writing a download.
fn keep_appending(path: &Path) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
    use std::io::Write;
    let stop = Arc::new(AtomicBool::new(false));
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    let flag = Arc::clone(&stop);
    let writer = std::thread::spawn(move || {
        while !flag.load(Ordering::Relaxed) {
            file.write_all(&[0x5a; 4096]).unwrap();
            std::thread::sleep(Duration::from_millis(1));
        }
    });
    (stop, writer)
}

/// SHA-256 of the first `size` bytes of `path`.
fn sha256_of_prefix(path: &Path, size: usize, scratch: &Path) -> String {
    std::fs::write(scratch, &std::fs::read(path).unwrap()[..size]).unwrap();
    fcas_engine::OpenedFile::open(scratch, u64::MAX).unwrap().sha256().unwrap()
}

#[test]
fn a_file_growing_during_the_scan_is_analysed_as_one_consistent_prefix_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("growing.exe");
    std::fs::copy(corpus_file("pe/deb-libwine-amd64/hostname.exe"), &file).unwrap();
    let (stop, writer) = keep_appending(&file);
    let printed = fcas_bounded(&["scan", "--no-models", "--jsonl", file.to_str().unwrap()]);
    let db = dir.path().join("cases.sqlite");
    let stored = fcas_bounded(&["scan", "--no-models", "--json", "--db", db.to_str().unwrap(), file.to_str().unwrap()]);
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();

    // Printed: the report is of the bytes there were when the file was opened, hash and size alike.
    assert_eq!(printed.status.code(), Some(0), "{}", String::from_utf8_lossy(&printed.stderr));
    let report: serde_json::Value = serde_json::from_slice(&printed.stdout).unwrap();
    let size = report["size"].as_u64().unwrap() as usize;
    assert_eq!(report["hashes"]["sha256"].as_str().unwrap(), sha256_of_prefix(&file, size, &dir.path().join("prefix")));

    // Stored: one consistent report, or a failed job saying the file changed; never a hang.
    let summary: serde_json::Value = serde_json::from_slice(&stored.stdout).unwrap();
    assert_eq!(summary["pending"].as_u64(), Some(0));
    assert_eq!(summary["stored"].as_u64().unwrap() + summary["failed"].as_u64().unwrap(), 1);
    let store = fcas_store::Store::open_existing(&db).unwrap();
    let rows: Vec<(String, i64)> = store
        .connection()
        .prepare("SELECT sha256, size FROM samples")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (sha256, size) in rows {
        assert_eq!(sha256, sha256_of_prefix(&file, size as usize, &dir.path().join("prefix")));
    }
}

/// Runs `fcas ARGS` as a user the file permissions apply to: as root (CI), as `nobody`.
fn fcas_as_unprivileged(args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_fcas"));
    command.args(args).stdin(Stdio::null());
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        command.uid(65534).gid(65534);
    }
    command.output().expect("run fcas")
}

#[test]
fn an_unreadable_file_is_refused_and_the_batch_completes() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let locked = dir.path().join("locked.exe");
    let open = dir.path().join("open.exe");
    std::fs::copy(corpus_file("pe/deb-libwine-amd64/hostname.exe"), &locked).unwrap();
    std::fs::copy(corpus_file("pe/deb-libwine-amd64/hostname.exe"), &open).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();

    let printed = fcas_as_unprivileged(&["scan", "--no-models", "--jsonl", locked.to_str().unwrap(), open.to_str().unwrap()]);
    assert_eq!(printed.status.code(), Some(3), "{}", String::from_utf8_lossy(&printed.stderr));
    let reports: Vec<serde_json::Value> =
        String::from_utf8(printed.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["errors"][0]["stage"], "input");
    assert!(reports[0]["errors"][0]["message"].as_str().unwrap().contains("permission denied"), "{:?}", reports[0]["errors"]);
    assert!(reports[1]["errors"].as_array().unwrap().iter().all(|e| e["stage"] != "input"));

    let db = dir.path().join("cases.sqlite");
    let stored = fcas_as_unprivileged(&[
        "scan",
        "--no-models",
        "--json",
        "--db",
        db.to_str().unwrap(),
        locked.to_str().unwrap(),
        open.to_str().unwrap(),
    ]);
    assert_eq!(stored.status.code(), Some(3), "{}", String::from_utf8_lossy(&stored.stderr));
    let summary: serde_json::Value = serde_json::from_slice(&stored.stdout).unwrap();
    assert_eq!((summary["stored"].as_u64(), summary["failed"].as_u64(), summary["pending"].as_u64()), (Some(1), Some(1), Some(0)));
}
