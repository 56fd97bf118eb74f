//! Windows of stored samples for the hex view, on a real database file with reports of the real
//! engine: from the vault, from the original file, and every reason a window cannot be read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::path::{Path, PathBuf};

use fcas_report::{LineageStep, Report};
use fcas_store::sample_bytes::{ByteSource, BytesUnavailable, Located, Origin, SampleBytes, MAX_WINDOW_BYTES};
use fcas_store::{Store, Vault, VaultConfig};

fn a_real_pe() -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files/pe/pypi-markupsafe-win32/_speedups.cp312-win32.pyd");
    std::fs::read(path).expect("corpus PE")
}

/// A case store with the engine's report of `bytes` written at `dir/name`.
struct Case {
    dir: tempfile::TempDir,
    store: Store,
    file: PathBuf,
    bytes: Vec<u8>,
    report: Report,
}

fn case_with_file() -> Case {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sample.pyd");
    let bytes = a_real_pe();
    std::fs::write(&file, &bytes).unwrap();
    let report = fcas_engine::analyze_path(&file, &fcas_engine::Options::default());
    assert_eq!(report.size, bytes.len() as u64);
    let mut store = Store::open(&dir.path().join("cases.sqlite")).unwrap();
    store.insert_report(&report).unwrap();
    Case { dir, store, file, bytes, report }
}

/// A case whose sample the vault keeps too.
fn case_in_vault() -> (Case, Vault) {
    let mut case = case_with_file();
    let vault = case.store.vault(VaultConfig::default()).unwrap();
    let bytes = case.bytes.clone();
    case.store.vault_put(&vault, &bytes).unwrap();
    (case, vault)
}

fn sha256(case: &Case) -> &str {
    &case.report.hashes.sha256
}

fn locate(reader: &SampleBytes, case: &Case) -> Located {
    reader.locate(&case.store, sha256(case)).unwrap().unwrap()
}

#[test]
fn the_original_file_is_read_while_its_sha256_matches() {
    let case = case_with_file();
    let reader = SampleBytes::new();
    let located = locate(&reader, &case);
    assert_eq!(located.origin, Origin::File(case.file.clone()));
    assert!(!located.in_vault);

    let window = reader.read(&located, None, 0x40, 256).unwrap();
    assert_eq!(window.bytes, case.bytes[0x40..0x140]);
    assert_eq!(window.size, case.bytes.len() as u64);
    assert_eq!(window.source, ByteSource::Original { path: case.file.display().to_string() });

    // A window asked beyond the cap or the end is cut, never read past the file.
    let all = reader.read(&located, None, 0, u64::MAX).unwrap();
    assert_eq!(all.bytes.len() as u64, MAX_WINDOW_BYTES.min(case.bytes.len() as u64));
    let tail = reader.read(&located, None, case.bytes.len() as u64 - 10, 4096).unwrap();
    assert_eq!(tail.bytes, case.bytes[case.bytes.len() - 10..]);
    let end = reader.read(&located, None, case.bytes.len() as u64, 16).unwrap();
    assert!(end.bytes.is_empty());
}

#[test]
fn an_offset_past_the_end_is_refused() {
    let case = case_with_file();
    let reader = SampleBytes::new();
    let located = locate(&reader, &case);
    let size = case.bytes.len() as u64;
    assert_eq!(reader.read(&located, None, size + 1, 16), Err(BytesUnavailable::OutOfRange { offset: size + 1, size }));
    assert_eq!(reader.read(&located, None, u64::MAX, 16), Err(BytesUnavailable::OutOfRange { offset: u64::MAX, size }));
}

#[test]
fn a_changed_file_says_so_and_a_missing_one_too() {
    let case = case_with_file();
    let reader = SampleBytes::new();
    let located = locate(&reader, &case);

    // Same size, one byte different: only the SHA-256 tells.
    let mut changed = case.bytes.clone();
    changed[0x200] ^= 0xff;
    std::fs::write(&case.file, &changed).unwrap();
    let found = fcas_engine::sha256_hex(&changed);
    assert_eq!(
        reader.read(&located, None, 0, 16),
        Err(BytesUnavailable::OriginalChanged { path: case.file.display().to_string(), found: found.clone() })
    );
    // Remembered: asked again, the same answer.
    assert!(matches!(reader.read(&located, None, 0, 16), Err(BytesUnavailable::OriginalChanged { .. })));

    // Another size: changed, said without hashing.
    std::fs::write(&case.file, &case.bytes[..100]).unwrap();
    assert!(
        matches!(reader.read(&located, None, 0, 16), Err(BytesUnavailable::OriginalChanged { found, .. }) if found.contains("100-byte"))
    );

    std::fs::remove_file(&case.file).unwrap();
    let reason = reader.read(&located, None, 0, 16).unwrap_err();
    assert_eq!(reason, BytesUnavailable::OriginalMissing { path: case.file.display().to_string() });
    assert!(reason.to_string().contains("is gone"), "{reason}");
}

#[test]
fn the_vault_copy_is_read_when_the_original_is_gone() {
    let (case, vault) = case_in_vault();
    let bytes = case.bytes.clone();
    std::fs::remove_file(&case.file).unwrap();

    let reader = SampleBytes::new();
    let located = locate(&reader, &case);
    assert!(located.in_vault);
    let offset = bytes.len() as u64 / 2;
    let window = reader.read(&located, Some(&vault), offset, 512).unwrap();
    assert_eq!(window.source, ByteSource::Vault);
    assert_eq!(window.bytes, bytes[offset as usize..offset as usize + 512]);

    // The vault file damaged: a reason, not a panic nor wrong bytes.
    let file = vault.path_of(sha256(&case)).unwrap();
    let mut encoded = std::fs::read(&file).unwrap();
    let cut = encoded.len() / 2;
    encoded.truncate(cut);
    std::fs::write(&file, &encoded).unwrap();
    assert!(matches!(reader.read(&located, Some(&vault), offset, 512), Err(BytesUnavailable::VaultDamaged { .. })));
}

#[test]
fn deep_in_a_sample_the_vault_copy_is_read_by_its_frame_index() {
    let (case, vault) = case_in_vault();
    let reader = SampleBytes::new().with_decode_ahead(0x100);
    let located = locate(&reader, &case);
    let deep = reader.read(&located, Some(&vault), 0x200, 4).unwrap();
    assert_eq!((deep.source, deep.bytes), (ByteSource::Vault, case.bytes[0x200..0x204].to_vec()));
}

/// Rewrites the vault file of `case` in the first format: one zstd frame for the whole sample.
fn as_one_frame_file(case: &Case, vault: &Vault) {
    let mut file = b"FCASVLT\0\x01\0\0\0\0\0\0\0".to_vec();
    file.extend_from_slice(&(case.bytes.len() as u64).to_le_bytes());
    let frame = zstd::bulk::compress(&case.bytes, 3).unwrap();
    file.extend(frame.iter().enumerate().map(|(i, b)| b ^ b"fcas-vault-key-1"[i % 16]));
    std::fs::write(vault.path_of(sha256(case)).unwrap(), file).unwrap();
}

#[test]
fn deep_in_a_one_frame_vault_copy_the_original_is_hashed_rather_than_the_copy_decoded() {
    let (case, vault) = case_in_vault();
    as_one_frame_file(&case, &vault);
    let bytes = case.bytes.clone();
    let reader = SampleBytes::new().with_decode_ahead(0x100);
    let located = locate(&reader, &case);
    assert_eq!(reader.read(&located, Some(&vault), 0x80, 4).unwrap().source, ByteSource::Vault);
    let deep = reader.read(&located, Some(&vault), 0x200, 4).unwrap();
    assert_eq!(deep.source, ByteSource::Original { path: case.file.display().to_string() });
    assert_eq!(deep.bytes, bytes[0x200..0x204]);
    // Verified now: even near the start the original is read.
    assert_eq!(
        reader.read(&located, Some(&vault), 0x80, 4).unwrap().source,
        ByteSource::Original { path: case.file.display().to_string() }
    );

    // The original changed: the vault's copy, wherever the offset.
    let mut changed = bytes.clone();
    changed[0] ^= 1;
    std::fs::write(&case.file, &changed).unwrap();
    let reader = SampleBytes::new().with_decode_ahead(0x100);
    let window = reader.read(&located, Some(&vault), 0x200, 4).unwrap();
    assert_eq!((window.source, window.bytes), (ByteSource::Vault, bytes[0x200..0x204].to_vec()));
}

#[test]
fn a_file_found_inside_a_container_needs_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = a_real_pe();
    let mut report = fcas_engine::analyze_bytes("inner.pyd", &bytes, &fcas_engine::Options::default());
    report.lineage = vec![LineageStep { sha256: "a".repeat(64), name: dir.path().join("outer.zip").display().to_string() }];
    let mut store = Store::open(&dir.path().join("cases.sqlite")).unwrap();
    store.insert_report(&report).unwrap();
    let reader = SampleBytes::new();
    let located = reader.locate(&store, &report.hashes.sha256).unwrap().unwrap();
    assert_eq!(located.origin, Origin::InsideContainer);
    assert_eq!(reader.read(&located, None, 0, 16), Err(BytesUnavailable::InsideContainer));

    let vault = store.vault(VaultConfig::default()).unwrap();
    store.vault_put(&vault, &bytes).unwrap();
    let located = reader.locate(&store, &report.hashes.sha256).unwrap().unwrap();
    assert_eq!(reader.read(&located, Some(&vault), 2, 2).unwrap().bytes, bytes[2..4]);
}

#[test]
fn an_unknown_sample_is_not_stored() {
    let case = case_with_file();
    let unknown = "0".repeat(64);
    assert_eq!(SampleBytes::new().locate(&case.store, &unknown).unwrap(), Err(BytesUnavailable::NotStored { sha256: unknown }));
}

#[test]
fn a_file_a_scan_just_hashed_is_trusted_until_it_is_touched() {
    let case = case_with_file();
    let reader = SampleBytes::new();
    let located = locate(&reader, &case);
    let modified = std::fs::metadata(&case.file).unwrap().modified().unwrap();
    // What the scan said it hashed is what a read trusts: told another hash for this very stamp,
    // the read reports the file changed without hashing it.
    let elsewhere = "0".repeat(64);
    reader.remember_verified(&case.file, case.bytes.len() as u64, modified, &elsewhere);
    match reader.read(&located, None, 0, 16) {
        Err(BytesUnavailable::OriginalChanged { found, .. }) => assert_eq!(found, elsewhere),
        other => panic!("the remembered hash was not used: {other:?}"),
    }
    // Told the right hash, the window is read from the original at once.
    reader.remember_verified(&case.file, case.bytes.len() as u64, modified, sha256(&case));
    let window = reader.read(&located, None, 4096, 16).unwrap();
    assert_eq!(window.bytes, case.bytes[4096..4112]);
    // Touched since (same content, another modification time): hashed again, and still matching.
    let later = modified + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(&case.file).unwrap().set_modified(later).unwrap();
    reader.remember_verified(&case.file, case.bytes.len() as u64, modified, &elsewhere);
    assert_eq!(reader.read(&located, None, 0, 16).unwrap().bytes, case.bytes[..16]);
}

#[test]
fn what_a_scan_recorded_when_it_hashed_a_file_is_trusted_by_a_later_session() {
    use fcas_store::file_stamps::HashedFile;
    use fcas_store::queue::{self, BatchSpec};

    let mut case = case_with_file();
    let modified = std::fs::metadata(&case.file).unwrap().modified().unwrap();
    let spec = BatchSpec { engine_version: "test-engine".into(), models_version: String::new(), rescan: false };
    let batch = queue::enqueue(&mut case.store, &spec, std::slice::from_ref(&case.file), &[]).unwrap();
    let job = queue::pending_jobs(&case.store, batch).unwrap().remove(0);
    let writer = fcas_store::writer::Writer::spawn(&case.dir.path().join("cases.sqlite")).unwrap();
    let hashed = HashedFile { path: case.file.clone(), size: case.bytes.len() as u64, modified, sha256: sha256(&case).to_string() };
    writer.handle().claim_hashed_job(job.id, hashed).unwrap();
    writer.finish().unwrap();

    // Other bytes of the same size put back at the same time: a new reader (a later session) reads
    // them without hashing, which is the proof that the recorded stamp, not a hash, was trusted.
    let mut other = case.bytes.clone();
    other[..2].copy_from_slice(b"ZZ");
    std::fs::write(&case.file, &other).unwrap();
    std::fs::File::options().write(true).open(&case.file).unwrap().set_modified(modified).unwrap();
    let reader = SampleBytes::new();
    let located = locate(&reader, &case);
    assert_eq!(reader.read(&located, None, 0, 4).unwrap().bytes, other[..4]);

    // Touched since: the stamp no longer holds, the file is hashed and found changed.
    let later = modified + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(&case.file).unwrap().set_modified(later).unwrap();
    let reader = SampleBytes::new();
    let located = locate(&reader, &case);
    assert!(matches!(reader.read(&located, None, 0, 4), Err(BytesUnavailable::OriginalChanged { .. })));
}
