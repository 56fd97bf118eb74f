//! Containers in the app, on a real SQLite case store and real analysis processes: the extra
//! passwords of Settings reach the scan service, and stored samples (found again inside their
//! containers) leave only inside a ZIP encrypted with AES-256.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use common::{scan, start_backend};
use fcas_app::backend::Backend;
use fcas_scan::ScanStage;
use zip::write::SimpleFileOptions;
use zip::{AesMode, CompressionMethod, ZipArchive, ZipWriter};

/// A password none of the defaults (infected, malware, virus, password) is.
const EXTRA_PASSWORD: &str = "correct horse 42";

/// Two files of different content, by name.
fn entries(tag: &str) -> BTreeMap<&'static str, Vec<u8>> {
    let notes = format!("notes of {tag}: not a program, just text that fills a line or two.\n").repeat(40).into_bytes();
    let data: Vec<u8> = (0..6000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).chain(tag.bytes()).collect();
    BTreeMap::from([("notes.txt", notes), ("data.bin", data)])
}

/// Writes a ZIP of `entries` at `path`, encrypted with AES-256 under `password` when given.
fn write_zip(path: &Path, entries: &BTreeMap<&str, Vec<u8>>, password: Option<&str>) {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let options = match password {
            Some(password) => options.with_aes_encryption(AesMode::Aes256, password),
            None => options,
        };
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    std::fs::write(path, zip.finish().unwrap().into_inner()).unwrap();
}

/// Scans `path` and returns its SHA-256 and its children as `name -> sha256`.
fn scan_container(backend: &Backend, recorder: &common::Recorder, path: &Path) -> (String, BTreeMap<String, String>) {
    let done = scan(backend, recorder, path);
    assert_eq!(done.stage, ScanStage::Done, "{:?}", done.message);
    let sha256 = done.sha256.unwrap();
    let children = backend.with_store(|store| store.children(&sha256)).unwrap();
    (sha256, children.into_iter().map(|edge| (edge.name, edge.sha256)).collect())
}

#[test]
fn a_zip_s_children_are_exported_into_an_aes_256_zip_under_the_default_password() {
    let dir = tempfile::tempdir().unwrap();
    let (backend, recorder) = start_backend(dir.path());
    let files = entries("plain");
    let submitted = dir.path().join("sample.zip");
    write_zip(&submitted, &files, None);
    let (root, children) = scan_container(&backend, &recorder, &submitted);
    assert_eq!(children.keys().map(String::as_str).collect::<Vec<_>>(), ["data.bin", "notes.txt"]);
    let by_sha256: BTreeMap<&str, &Vec<u8>> = children.iter().map(|(name, sha256)| (sha256.as_str(), &files[name.as_str()])).collect();

    let out = dir.path().join("export.zip");
    let wanted: Vec<String> = children.values().cloned().collect();
    let exported = backend.export_samples(&wanted, &out, None).unwrap();
    assert_eq!(exported.path, out.display().to_string());
    assert_eq!(exported.written, wanted);
    assert!(exported.missing.is_empty(), "{:?}", exported.missing);

    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600, "only its owner reads the export");
    let mut archive = ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    assert_eq!(archive.len(), 2);
    for index in 0..archive.len() {
        assert!(archive.by_index(index).is_err(), "entry {index} cannot be read without the password");
        assert!(archive.by_index_decrypt(index, b"malware").is_err(), "nor with another one");
        let aes = archive.get_aes_verification_key_and_salt(index).unwrap().expect("AES, not ZipCrypto");
        assert!(matches!(aes.aes_mode, AesMode::Aes256));
        let mut entry = archive.by_index_decrypt(index, b"infected").unwrap();
        assert!(entry.encrypted());
        assert_eq!(entry.unix_mode().map(|mode| mode & 0o777), Some(0o600));
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        assert_eq!(&bytes, by_sha256[name.as_str()], "entry {name} holds the exact bytes of the child with that SHA-256");
    }

    // The container itself too, and what the store does not hold is listed with its reason.
    let unknown = "0".repeat(64);
    let again = backend.export_samples(&[root.clone(), unknown.clone()], &out, Some("other")).unwrap();
    assert_eq!(again.written, [root]);
    assert_eq!(again.missing.len(), 1);
    assert_eq!(again.missing[0].sha256, unknown);
    assert!(!again.missing[0].reason.is_empty());
    let mut archive = ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut bytes = Vec::new();
    archive.by_index_decrypt(0, b"other").unwrap().read_to_end(&mut bytes).unwrap();
    assert_eq!(bytes, std::fs::read(&submitted).unwrap());

    // Nothing selected, an empty password, or a place that cannot be written: refused with advice.
    assert_eq!(backend.export_samples(&[], &out, None).unwrap_err().code, "invalid");
    assert_eq!(backend.export_samples(&wanted, &out, Some("")).unwrap_err().code, "invalid");
    let refused = backend.export_samples(&wanted, &dir.path().join("no/such/folder/x.zip"), None).unwrap_err();
    assert_eq!(refused.code, "io");
    assert!(refused.message.contains("Choose a folder"), "{}", refused.message);
}

#[test]
fn the_extra_passwords_of_settings_open_encrypted_containers_once_saved_and_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (backend, recorder) = start_backend(dir.path());

    // Without the password: the container is stored, nothing comes out of it.
    let before = dir.path().join("before.zip");
    write_zip(&before, &entries("before"), Some(EXTRA_PASSWORD));
    let (_, children) = scan_container(&backend, &recorder, &before);
    assert!(children.is_empty(), "{children:?}");

    // Saved in Settings: the service is rebuilt with it.
    let mut settings = backend.settings();
    settings.extraction.passwords = vec!["not this one".into(), EXTRA_PASSWORD.into()];
    backend.save_settings(settings).unwrap();
    let files = entries("after");
    let after = dir.path().join("after.zip");
    write_zip(&after, &files, Some(EXTRA_PASSWORD));
    let (root, children) = scan_container(&backend, &recorder, &after);
    assert_eq!(children.len(), 2, "{children:?}");
    let report = backend.report(&root).unwrap().report;
    assert_eq!(report.extraction.and_then(|e| e.password).as_deref(), Some(EXTRA_PASSWORD));

    // A child of an encrypted container is found again for an export (its container's report
    // names the password that opened it).
    let out = dir.path().join("export.zip");
    let exported = backend.export_samples(&[children["notes.txt"].clone()], &out, None).unwrap();
    assert_eq!(exported.written.len(), 1, "{:?}", exported.missing);
    let mut bytes = Vec::new();
    ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap().by_index_decrypt(0, b"infected").unwrap().read_to_end(&mut bytes).unwrap();
    assert_eq!(bytes, files["notes.txt"]);

    // The settings file keeps them: the app opened again still tries them.
    backend.close();
    drop(backend);
    let (backend, recorder) = start_backend(dir.path());
    assert_eq!(backend.settings().extraction.passwords, ["not this one", EXTRA_PASSWORD]);
    let restarted = dir.path().join("restarted.zip");
    write_zip(&restarted, &entries("restarted"), Some(EXTRA_PASSWORD));
    let (_, children) = scan_container(&backend, &recorder, &restarted);
    assert_eq!(children.len(), 2, "{children:?}");
}
