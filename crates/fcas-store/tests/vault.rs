//! The sample vault on a real database file: round trip, file modes, encoding at rest, quota
//! eviction, damaged files and concurrent writers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use fcas_store::vault::index::VaultEntry;
use fcas_store::writer::Writer;
use fcas_store::{Store, StoreError, VaultConfig};
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn a_real_pe() -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files/pe/pypi-markupsafe-win32/_speedups.cp312-win32.pyd");
    std::fs::read(path).expect("corpus PE")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_sample_comes_back_equal_private_and_never_plain_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.sqlite");
    let mut store = Store::open(&db).unwrap();
    let vault = store.vault(VaultConfig::default()).unwrap();
    let pe = a_real_pe();
    let marker = b"This program cannot be run";
    assert!(pe.windows(marker.len()).any(|w| w == marker), "the fixture has the DOS stub");

    let put = store.vault_put(&vault, &pe).unwrap();
    assert_eq!(put.entry.sha256, sha256(&pe));
    assert_eq!(put.entry.size, pe.len() as u64);

    let file = vault.path_of(&put.entry.sha256).unwrap();
    assert!(file.starts_with(dir.path().join("cases.sqlite.vault")));
    assert_eq!(mode(&file), 0o600, "owner read/write only, never executable");
    assert_eq!(mode(file.parent().unwrap()), 0o700);
    assert_eq!(mode(vault.dir()), 0o700);
    let on_disk = std::fs::read(&file).unwrap();
    assert_eq!(on_disk.len() as u64, put.entry.stored_size);
    assert!(!on_disk.windows(marker.len()).any(|w| w == marker), "the stored file holds no plain sample bytes");
    assert!(!on_disk.starts_with(b"MZ"));
    // Nothing but the vault's own files in the folder (no temporary file left behind).
    let names: Vec<_> = std::fs::read_dir(file.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "{names:?}");

    assert_eq!(store.vault_read(&put.entry.sha256).unwrap().as_deref(), Some(pe.as_slice()));
    assert_eq!(store.vault_read(&put.entry.sha256.to_uppercase()).unwrap().as_deref(), Some(pe.as_slice()));
    assert_eq!(store.vault_read(&sha256(b"never stored")).unwrap(), None);
    assert!(store.vault_read("../../etc/passwd").is_err(), "only a SHA-256 names a vault file");
    assert!(store.vault_contains(&put.entry.sha256).unwrap());
    let stats = store.stats().unwrap().vault;
    assert_eq!((stats.samples, stats.bytes, stats.stored_bytes, stats.evictions), (1, pe.len() as u64, put.entry.stored_size, 0));

    // A reader with a lower limit refuses before decompressing.
    let small = store.vault(VaultConfig { max_read: 1000, ..VaultConfig::default() }).unwrap();
    assert!(matches!(store.vault_read_with(&small, &put.entry.sha256), Err(StoreError::VaultCorrupt { .. })));
}

#[test]
fn the_quota_evicts_the_least_recently_read_or_added_never_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cases.sqlite")).unwrap();
    // Incompressible samples, so the stored sizes are close to the sizes.
    let samples: Vec<Vec<u8>> = (0..4u64)
        .map(|seed| {
            let mut rng = fastrand::Rng::with_seed(seed);
            (0..10_000).map(|_| rng.u8(..)).collect()
        })
        .collect();
    let one = store.vault_put(&store.vault(VaultConfig::default()).unwrap(), &samples[0]).unwrap().entry.stored_size;
    // Room for three.
    let vault = store.vault(VaultConfig { quota: one * 3 + one / 2, ..VaultConfig::default() }).unwrap();
    let shas: Vec<String> = samples.iter().map(|s| sha256(s)).collect();
    store.vault_put(&vault, &samples[1]).unwrap();
    store.vault_put(&vault, &samples[2]).unwrap();
    // Same second: make the order explicit. Sample 0 was read last, so sample 1 is the oldest.
    store.connection().execute("UPDATE vault SET added_at = 100 WHERE sha256 IN (?1, ?2, ?3)", [&shas[0], &shas[1], &shas[2]]).unwrap();
    store.connection().execute("UPDATE vault SET added_at = 99 WHERE sha256 = ?1", [&shas[2]]).unwrap();
    store.connection().execute("UPDATE vault SET last_read_at = 200 WHERE sha256 = ?1", [&shas[0]]).unwrap();
    let put = store.vault_put(&vault, &samples[3]).unwrap();
    assert_eq!(put.recorded.evicted, vec![shas[2].clone()], "the least recently added (99) goes first");
    assert!(!vault.path_of(&shas[2]).unwrap().exists(), "its file is removed");
    assert_eq!(store.vault_read_with(&vault, &shas[2]).unwrap(), None, "an evicted sample simply has no bytes");
    for kept in [&shas[0], &shas[1], &shas[3]] {
        assert!(store.vault_read_with(&vault, kept).unwrap().is_some());
    }
    assert_eq!(store.vault_stats().unwrap().evictions, 1);

    // A sample alone over the quota is refused, and a quota lowered below what is kept
    // evicts down to it.
    let tiny = store.vault(VaultConfig { quota: 10, ..VaultConfig::default() }).unwrap();
    let big: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
    let put = store.vault_put(&tiny, &big).unwrap();
    assert_eq!(put.recorded.refused, vec![sha256(&big)]);
    assert!(!tiny.path_of(&sha256(&big)).unwrap().exists());
    assert_eq!(put.recorded.evicted.len(), 3);
    let stats = store.vault_stats().unwrap();
    assert_eq!((stats.samples, stats.evictions), (0, 4));
}

#[test]
fn a_damaged_vault_file_is_caught_by_its_sha256() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cases.sqlite")).unwrap();
    let vault = store.vault(VaultConfig::default()).unwrap();
    let a = b"first sample, MZ".repeat(100);
    let b = b"second sample, ELF".repeat(100);
    let sha_a = store.vault_put(&vault, &a).unwrap().entry.sha256;
    let sha_b = store.vault_put(&vault, &b).unwrap().entry.sha256;
    // A valid vault file of other bytes under a's name: decodes fine, wrong content.
    std::fs::copy(vault.path_of(&sha_b).unwrap(), vault.path_of(&sha_a).unwrap()).unwrap();
    let error = store.vault_read(&sha_a).unwrap_err();
    assert!(matches!(&error, StoreError::VaultCorrupt { reason, .. } if reason.contains(&sha_b)), "{error}");
    // Flipped bytes inside the frame.
    let path = vault.path_of(&sha_b).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(store.vault_read(&sha_b), Err(StoreError::VaultCorrupt { .. })));
    // Not a vault file at all.
    std::fs::write(&path, b"MZ plain").unwrap();
    let error = store.vault_read(&sha_b).unwrap_err();
    assert!(error.to_string().contains("scan the sample again"), "{error}");
}

#[test]
fn concurrent_writers_of_the_same_sample_leave_one_good_file_and_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.sqlite");
    let store = Store::open(&db).unwrap();
    let vault = store.vault(VaultConfig::default()).unwrap();
    let sample = a_real_pe();
    let sha = sha256(&sample);
    let writer = Writer::start(store.reopen().unwrap()).unwrap();
    std::thread::scope(|scope| {
        for _ in 0..8 {
            let (vault, handle, sample, sha) = (vault.clone(), writer.handle(), &sample, &sha);
            scope.spawn(move || {
                // Bypass the "already there" shortcut: every thread writes its own file.
                let _ = std::fs::remove_file(vault.path_of(sha).unwrap());
                let entry = vault.write(sha, sample).unwrap();
                handle.vault_record(vault, vec![entry]).unwrap();
            });
        }
        // And a second store connection putting it directly at the same time.
        let mut other = Store::open(&db).unwrap();
        let vault = vault.clone();
        let sample = &sample;
        scope.spawn(move || other.vault_put(&vault, sample).unwrap());
    });
    let stats = writer.finish().unwrap();
    assert_eq!(stats.failed, 0, "{:?}", stats.failures);
    assert_eq!(store.vault_read(&sha).unwrap().as_deref(), Some(sample.as_slice()));
    assert_eq!(store.vault_stats().unwrap().samples, 1);
    let names: Vec<_> =
        std::fs::read_dir(vault.path_of(&sha).unwrap().parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
}

#[test]
fn the_writer_records_rows_and_evicts_beyond_the_quota() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cases.sqlite")).unwrap();
    let writer = Writer::start(store.reopen().unwrap()).unwrap();
    let probe = store.vault(VaultConfig::default()).unwrap();
    let samples: Vec<Vec<u8>> = (0..6u8).map(|i| vec![i; 50_000]).collect();
    let entries: Vec<VaultEntry> = samples.iter().map(|s| probe.write(&sha256(s), s).unwrap()).collect();
    let quota = entries.iter().take(2).map(|e| e.stored_size).sum::<u64>();
    let vault = store.vault(VaultConfig { quota, ..VaultConfig::default() }).unwrap();
    for entry in &entries {
        writer.handle().vault_record(vault.clone(), vec![entry.clone()]).unwrap();
        writer.handle().flush().unwrap();
    }
    let stats = writer.finish().unwrap();
    assert_eq!((stats.vault_recorded, stats.vault_evicted), (6, 4));
    let vault_stats = store.vault_stats().unwrap();
    assert_eq!(vault_stats.samples, 2);
    assert!(vault_stats.stored_bytes <= quota);
    assert!(store.vault_contains(&entries[5].sha256).unwrap(), "the last one added stays");
    assert!(!vault.path_of(&entries[0].sha256).unwrap().exists());
}

/// The README's by-hand recipe, with the reference zstd command line: the key stream taken off,
/// `zstd -d` gives the sample back (it reads the frames one after another and skips the index).
#[test]
fn the_zstd_command_line_decodes_a_vault_file_by_the_readmes_recipe() {
    let sample: Vec<u8> = a_real_pe().into_iter().cycle().take(2_500_000).collect();
    let encoded = fcas_store::vault::format::encode(&sample).unwrap();
    let stream: Vec<u8> = encoded[24..].iter().enumerate().map(|(i, b)| b ^ b"fcas-vault-key-1"[i % 16]).collect();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.zst");
    std::fs::write(&input, &stream).unwrap();
    let out = std::process::Command::new("zstd").args(["-d", "-q", "-c"]).arg(&input).output().expect("zstd (Debian package zstd) runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout == sample, "zstd -d gave {} bytes, the sample is {}", out.stdout.len(), sample.len());
}
