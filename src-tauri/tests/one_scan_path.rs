//! The CLI and the app take the same scan path: the same folder scanned by `fcas scan --db` and
//! dropped on the app gives the same stored rows, and after an engine upgrade (stored reports
//! of an older engine version) both analyse the files again instead of reusing them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::path::Path;
use std::process::Command;

use common::{backend_with_analyser, corpus_file, local_analyzer};
use fcas_app::backend::settings::Settings;
use fcas_scan::ScanStage;

const FILES: [&str; 3] = ["pe/deb-libwine-amd64/hostname.exe", "pe/deb-libwine-amd64/ping.exe", "elf/deb-elf-amd64/crt1.o"];

/// What a store holds, as comparable rows: per sample its hash, format, size, name, and each
/// report's engine and models versions and error count.
fn rows(db: &Path) -> Vec<(String, String, i64, String, String, String, i64)> {
    let store = fcas_store::Store::open_existing(db).unwrap();
    let mut statement = store
        .connection()
        .prepare(
            "SELECT s.sha256, s.format, s.size,
                    (SELECT name FROM sample_names n WHERE n.sample_id = s.id ORDER BY n.last_seen DESC, n.name LIMIT 1),
                    r.engine_version, r.models_version, r.error_count
             FROM reports r JOIN samples s ON s.id = r.sample_id ORDER BY s.sha256, r.id",
        )
        .unwrap();
    let rows = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

/// Pretends every stored report came from an older engine.
fn age_reports(db: &Path) {
    let store = fcas_store::Store::open_existing(db).unwrap();
    store.connection().execute("UPDATE reports SET engine_version = '0.0.0-older'", []).unwrap();
}

fn cli_scan(db: &Path, folder: &Path) -> serde_json::Value {
    let fcas = fcas_scan::find_analysis_program().expect("the `fcas` binary must be built first (cargo build -p fcas-cli)");
    let output = Command::new(fcas).args(["scan", "--json", "--db", db.to_str().unwrap(), folder.to_str().unwrap()]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Drops `folder` on a backend whose case store is `db`; returns how many files reused a
/// stored report.
fn app_scan(data_dir: &Path, folder: &Path) -> usize {
    let (backend, recorder) = backend_with_analyser(Settings::default(), data_dir, local_analyzer());
    backend.grants.grant(folder);
    let queued = backend.analyze_paths(vec![folder.to_path_buf()]).unwrap();
    assert_eq!(queued.scans.len(), FILES.len());
    let mut cached = 0;
    for scan in &queued.scans {
        let done = recorder.finished(scan.scan_id);
        assert_eq!(done.stage, ScanStage::Done, "{:?}", done.message);
        cached += usize::from(done.cached);
    }
    backend.close();
    cached
}

#[test]
fn the_cli_and_the_app_store_the_same_rows_and_both_reanalyse_after_an_engine_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("samples");
    std::fs::create_dir(&folder).unwrap();
    for name in FILES {
        let file = corpus_file(name);
        std::fs::copy(&file, folder.join(file.file_name().unwrap())).unwrap();
    }
    let cli_db = dir.path().join("cli.sqlite");
    let app_dir = dir.path().join("app");
    let app_db = app_dir.join("cases.sqlite");

    let first = cli_scan(&cli_db, &folder);
    assert_eq!(first["stored"].as_u64(), Some(FILES.len() as u64));
    assert_eq!(app_scan(&app_dir, &folder), 0, "a new store reuses nothing");
    let stored = rows(&cli_db);
    assert_eq!(stored.len(), FILES.len());
    assert_eq!(stored, rows(&app_db), "the same folder gives the same stored rows");

    // Same engine and models: both reuse what is stored.
    assert_eq!(cli_scan(&cli_db, &folder)["unchanged"].as_u64(), Some(FILES.len() as u64));
    assert_eq!(app_scan(&app_dir, &folder), FILES.len());

    // An engine upgrade: reports of another engine version are not reused, by either.
    age_reports(&cli_db);
    age_reports(&app_db);
    assert_eq!(cli_scan(&cli_db, &folder)["stored"].as_u64(), Some(FILES.len() as u64));
    assert_eq!(app_scan(&app_dir, &folder), 0, "the app analyses again after an engine upgrade");
    assert_eq!(rows(&cli_db).len(), 2 * FILES.len());
    assert_eq!(rows(&cli_db), rows(&app_db));
}
