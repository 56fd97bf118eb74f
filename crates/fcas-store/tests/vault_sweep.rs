//! Sweeping what interrupted writers left in the vault folder of a real database file: temporary
//! files of writers that are gone, and encoded files no row records; recorded samples stay.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::path::Path;
use std::time::Duration;

use fcas_store::vault::DEFAULT_SWEEP_GRACE;
use fcas_store::{Store, VaultConfig};

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_sweep_removes_what_killed_writers_left_and_keeps_every_recorded_sample() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cases.sqlite")).unwrap();
    let vault = store.vault(VaultConfig::default()).unwrap();
    let recorded = store.vault_put(&vault, b"a sample the store recorded").unwrap().entry.sha256;
    // Written, then the scan was killed before its row was committed.
    let unrecorded = vault.write(&"ab".repeat(32), b"bytes whose row never came").unwrap().sha256;
    let incoming = vault.dir().join("incoming");
    // pid_max is at most 2^22 on Linux, so this writer cannot be running.
    let dead_writer = incoming.join("99999999-0");
    let live_writer = incoming.join(format!("{}-77", std::process::id()));
    write(&dead_writer, b"half an encoded file");
    write(&live_writer, b"being written by this process");
    let legacy = vault.path_of(&recorded).unwrap().with_file_name(".tmp-1-2");
    write(&legacy, b"a temporary name of an older version");

    // At start (what a scan with the vault runs): only the dead writer's file goes.
    let swept = vault.sweep_incoming(DEFAULT_SWEEP_GRACE);
    assert_eq!((swept.temporary_files, swept.unrecorded_files, swept.bytes), (1, 0, 20));
    assert!(!dead_writer.exists() && live_writer.exists());

    // Files younger than the grace period are left to the scan that may still record them.
    let young = store.vault_sweep(&vault, DEFAULT_SWEEP_GRACE).unwrap();
    assert_eq!((young.temporary_files, young.unrecorded_files), (0, 0));
    assert!(vault.path_of(&unrecorded).unwrap().exists() && legacy.exists());

    let swept = store.vault_sweep(&vault, Duration::ZERO).unwrap();
    assert_eq!((swept.temporary_files, swept.unrecorded_files), (2, 1), "{swept:?}");
    assert!(swept.problems.is_empty(), "{:?}", swept.problems);
    assert!(!vault.path_of(&unrecorded).unwrap().exists() && !legacy.exists() && !live_writer.exists());
    assert_eq!(store.vault_read(&recorded).unwrap().as_deref(), Some(&b"a sample the store recorded"[..]));
    assert_eq!(store.stats().unwrap().vault.samples, 1);
}

#[test]
fn a_vault_never_written_sweeps_to_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cases.sqlite")).unwrap();
    let vault = store.vault(VaultConfig::default()).unwrap();
    assert_eq!(store.vault_sweep(&vault, Duration::ZERO).unwrap(), Default::default());
    assert!(!vault.dir().exists(), "a sweep creates nothing");
}
