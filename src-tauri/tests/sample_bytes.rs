//! `read_sample_bytes` through the backend on a real case store file: bytes of a stored sample
//! read back from its original file, and each refusal with the code the page branches on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use common::{corpus_file, start_backend};

#[test]
fn the_page_reads_a_window_and_is_told_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("ping.exe");
    let bytes = std::fs::read(corpus_file("pe/deb-libwine-amd64/ping.exe")).unwrap();
    std::fs::write(&sample, &bytes).unwrap();
    let report = fcas_engine::analyze_path(&sample, &fcas_engine::Options::default());
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let (backend, _recorder) = start_backend(&data);
    assert!(backend.store_location().1.is_none(), "a real case store file");
    backend.with_store(|store| store.insert_report(&report)).unwrap();
    let sha256 = report.hashes.sha256.clone();

    let window = backend.sample_bytes(&sha256, 0x3c, 4).unwrap();
    assert_eq!(window.bytes, bytes[0x3c..0x40]);
    assert_eq!(serde_json::to_value(&window.source).unwrap()["kind"], "original");
    let capped = backend.sample_bytes(&sha256, 0, 1 << 30).unwrap();
    assert_eq!(capped.bytes.len(), (64 << 10).min(bytes.len()));

    assert_eq!(backend.sample_bytes(&sha256, bytes.len() as u64 + 1, 4).unwrap_err().code, "invalid");
    assert_eq!(backend.sample_bytes(&"e".repeat(64), 0, 4).unwrap_err().code, "not_found");
    std::fs::remove_file(&sample).unwrap();
    let gone = backend.sample_bytes(&sha256, 0, 4).unwrap_err();
    // Whether the vault kept it depends on the scan path; this report was stored directly.
    assert_eq!(gone.code, "unavailable");
    assert!(gone.message.contains("is gone"), "{}", gone.message);
    backend.close();
}
