//! `fcas scan --vault`: the submitted ZIP and everything inside it are kept in the vault,
//! counted by `fcas db stats`, exported by `fcas vault export` after the original is gone; and
//! `fcas db hunts` / `fcas db hunt ID` print stored hunts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use fcas_report::RuleMatch;
use fcas_store::hunt::{HuntBatch, NewHunt};
use fcas_store::Store;
use serde_json::Value;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;

fn fcas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fcas")).args(args).output().expect("run fcas")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn corpus(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files").join(path)).unwrap()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer.start_file(*name, SimpleFileOptions::default()).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// `sample.zip` holding two corpus PEs and `inner.zip` (holding a script), and every file's bytes.
fn sample_zip(dir: &Path) -> (PathBuf, Vec<Vec<u8>>) {
    let pe = corpus("pe/pypi-markupsafe-win32/_speedups.cp312-win32.pyd");
    let dll = corpus("pe/deb-libwine-i386/psapi.dll");
    let script = b"#!/bin/sh\necho vault test script with enough text to be a file of its own\n".to_vec();
    let inner = zip_of(&[("run.sh", &script)]);
    let outer = zip_of(&[("a.pyd", &pe), ("b.dll", &dll), ("inner.zip", &inner)]);
    let path = dir.join("sample.zip");
    std::fs::write(&path, &outer).unwrap();
    (path, vec![outer, pe, dll, inner, script])
}

/// `sample.zip` scanned with `--vault` into a new case store: the folder, the store, the zip, the
/// files it holds (itself first) and the scan's output, checked successful.
fn scanned_into_vault() -> (tempfile::TempDir, PathBuf, PathBuf, Vec<Vec<u8>>, Output) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.sqlite");
    let (zip_path, files) = sample_zip(dir.path());
    let out = fcas(&["scan", "--no-models", "--vault", "--db", db.to_str().unwrap(), zip_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (dir, db, zip_path, files, out)
}

#[test]
fn scan_with_vault_keeps_the_zip_and_its_children_and_exports_them_without_the_original() {
    let (dir, db, zip_path, files, out) = scanned_into_vault();
    let db_arg = db.to_str().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("vault: 5 sample(s) kept, 0 evicted"), "{stdout}");

    let store = Store::open_existing(&db).unwrap();
    for bytes in &files {
        assert_eq!(store.vault_read(&sha256(bytes)).unwrap().as_deref(), Some(bytes.as_slice()), "kept and equal");
    }
    // Each report of the submission is stored too, and no vault error was recorded.
    let root = store.stored_sample(&sha256(&files[0])).unwrap().unwrap();
    assert!(root.report.errors.iter().all(|e| e.stage != "vault"), "{:?}", root.report.errors);

    let stats = fcas(&["db", "--db", db_arg, "stats", "--json"]);
    assert!(stats.status.success());
    let stats: Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["vault"]["samples"], 5);
    assert_eq!(stats["vault"]["bytes"], files.iter().map(|f| f.len() as u64).sum::<u64>());
    let text = String::from_utf8_lossy(&fcas(&["db", "--db", db_arg, "stats"]).stdout).into_owned();
    assert!(text.contains("vault       5 samples"), "{text}");

    // The original is gone: the lineage cannot be followed, the vault still has the bytes.
    std::fs::remove_file(&zip_path).unwrap();
    let export = dir.path().join("out.zip");
    let (pe_sha, script_sha) = (sha256(&files[1]), sha256(&files[4]));
    let out = fcas(&["vault", "--db", db_arg, "export", &pe_sha, &script_sha, "--out", export.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&export).unwrap()).unwrap();
    assert_eq!(archive.len(), 2);
    for (sha, bytes) in [(&pe_sha, &files[1]), (&script_sha, &files[4])] {
        let mut entry = archive.by_name_decrypt(sha, b"infected").unwrap();
        assert!(entry.encrypted());
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        assert_eq!(&content, bytes);
    }

    // A sample the vault does not keep falls back to its original file, which is gone: exit 3.
    let unknown = sha256(b"never scanned");
    let out = fcas(&["vault", "--db", db_arg, "export", &unknown, "--out", dir.path().join("none.zip").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the vault does not keep it"));
}

#[test]
fn without_vault_nothing_is_kept_and_vault_needs_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.sqlite");
    let (zip_path, files) = sample_zip(dir.path());
    let out = fcas(&["scan", "--no-models", "--db", db.to_str().unwrap(), zip_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(Store::open_existing(&db).unwrap().vault_stats().unwrap().samples, 0);
    assert!(!dir.path().join("cases.sqlite.vault").exists());

    let out = fcas(&["scan", "--no-models", "--vault", zip_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --db PATH"));

    // Scanning again with --vault keeps the bytes of a file whose report is reused, and of
    // everything the store says was found inside it, at any depth.
    let out = fcas(&["scan", "--no-models", "--vault", "--vault-quota", "64M", "--db", db.to_str().unwrap(), zip_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 already stored"), "{}", String::from_utf8_lossy(&out.stdout));
    let store = Store::open_existing(&db).unwrap();
    assert_eq!(store.vault_stats().unwrap().samples, 5);
    for bytes in &files {
        assert_eq!(store.vault_read(&sha256(bytes)).unwrap().as_deref(), Some(bytes.as_slice()), "kept and equal");
    }
}

#[test]
fn vault_sweep_removes_what_a_killed_scan_left_and_says_how_much() {
    let (dir, db, _, _, _) = scanned_into_vault();
    let db_arg = db.to_str().unwrap();
    // A writer killed mid-file (its process is gone: pid_max is at most 2^22).
    let incoming = dir.path().join("cases.sqlite.vault/incoming");
    std::fs::write(incoming.join("99999999-3"), b"half a sample").unwrap();

    let out = fcas(&["vault", "--db", db_arg, "sweep", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let swept: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (swept["temporary_files"].as_u64(), swept["unrecorded_files"].as_u64(), swept["bytes"].as_u64()),
        (Some(1), Some(0), Some(13))
    );
    assert!(std::fs::read_dir(&incoming).unwrap().next().is_none());
    assert_eq!(Store::open_existing(&db).unwrap().vault_stats().unwrap().samples, 5, "recorded samples stay");
    let text = String::from_utf8_lossy(&fcas(&["vault", "--db", db_arg, "sweep"]).stdout).into_owned();
    assert!(text.contains("removed 0 half-written and 0 unrecorded file(s)"), "{text}");
}

#[test]
fn db_hunts_and_db_hunt_print_stored_hunts_and_matches() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.sqlite");
    let mut store = Store::open(&db).unwrap();
    let id = store
        .create_hunt(&NewHunt { rules_hash: "0123456789abcdef0123".into(), rules_source: "rule x".into(), ..NewHunt::default() })
        .unwrap();
    let found = RuleMatch { rule: "upx_packed".into(), namespace: "fcas".into(), tags: vec!["packer".into()], ..RuleMatch::default() };
    let sample = "ab".repeat(32);
    let batch = HuntBatch {
        after: None,
        checkpoint: sample.clone(),
        scanned: 1,
        bytes: 10,
        matches: vec![(sample.clone(), vec![found.clone()])],
        errors: vec![],
    };
    store.commit_hunt_batch(id, &batch).unwrap();
    let db_arg = db.to_str().unwrap();

    let out = fcas(&["db", "--db", db_arg, "hunts"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("hunt {id}  running")) && text.contains("1 scanned, 1 matched"), "{text}");

    let out = fcas(&["db", "--db", db_arg, "hunt", &id.to_string(), "--json"]);
    assert!(out.status.success());
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["hunt"]["checkpoint"], sample.as_str());
    assert_eq!(shown["matches"][0]["sha256"], sample.as_str());
    assert_eq!(shown["matches"][0]["rule"], "upx_packed");
    let text = String::from_utf8_lossy(&fcas(&["db", "--db", db_arg, "hunt", &id.to_string()]).stdout).into_owned();
    assert!(text.contains("fcas:upx_packed  [packer]"), "{text}");

    assert_eq!(fcas(&["db", "--db", db_arg, "hunt", "999"]).status.code(), Some(4));
}
