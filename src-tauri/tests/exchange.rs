//! The app's STIX and MISP exports, on a real SQLite case store filled by real analysis
//! processes: the document holds the chosen samples, and the reference validators
//! (scripts/exchange-validate.sh: stix2-validator 3.2.0 strict, pymisp's object templates) accept
//! it. Without the validators installed that check is skipped with a message, unless
//! FCAS_REQUIRE_EXCHANGE is set (`make test` sets it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::path::{Path, PathBuf};

use common::{corpus_file, scan, start_backend};
use fcas_scan::ScanStage;
use serde_json::Value;

fn validator() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let installed = root.join("target/venv-exchange/.fcas-exchange-1").exists();
    if !installed && std::env::var_os("FCAS_REQUIRE_EXCHANGE").is_none() {
        eprintln!("skipped: the exchange validators are not installed (scripts/exchange-validate.sh setup, or make test)");
        return None;
    }
    Some(root.join("scripts/exchange-validate.sh"))
}

fn validate(kind: &str, document: &[u8], dir: &Path) {
    let Some(script) = validator() else { return };
    let file = dir.join(format!("app.{kind}.json"));
    std::fs::write(&file, document).unwrap();
    let output = std::process::Command::new(script).arg(kind).arg(&file).output().unwrap();
    assert!(
        output.status.success(),
        "{kind} export refused:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_chosen_samples_are_exported_as_a_valid_stix_bundle_and_misp_event() {
    let dir = tempfile::tempdir().unwrap();
    let (backend, recorder) = start_backend(dir.path());
    let mut chosen = Vec::new();
    for name in ["pe/deb-libwine-amd64/hostname.exe", "elf/deb-elf-i386/dash"] {
        let done = scan(&backend, &recorder, &corpus_file(name));
        assert_eq!(done.stage, ScanStage::Done, "{:?}", done.message);
        chosen.push(done.sha256.unwrap());
    }

    let stix: Value = serde_json::from_slice(&backend.exchange_document(&chosen, "stix").unwrap()).unwrap();
    assert_eq!(stix["type"], "bundle");
    let objects = stix["objects"].as_array().unwrap();
    let files: Vec<&str> = objects.iter().filter(|o| o["type"] == "file").filter_map(|o| o["hashes"]["SHA-256"].as_str()).collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(chosen.iter().all(|sha256| files.contains(&sha256.as_str())));
    assert_eq!(objects.iter().filter(|o| o["type"] == "malware-analysis").count(), 2);
    validate("stix", &serde_json::to_vec(&stix).unwrap(), dir.path());

    let misp = backend.exchange_document(&chosen[..1], "misp").unwrap();
    let event: Value = serde_json::from_slice(&misp).unwrap();
    let attributes = event["Event"]["Object"][0]["Attribute"].as_array().unwrap();
    assert!(attributes.iter().any(|a| a["object_relation"] == "sha256" && a["value"] == chosen[0].as_str()), "{attributes:?}");
    assert!(attributes.iter().any(|a| a["object_relation"] == "filename" && a["value"] == "hostname.exe"));
    validate("misp", &misp, dir.path());

    // Refusals say what to do; a sample the store does not hold is never silently left out.
    assert_eq!(backend.exchange_document(&chosen, "pdf").unwrap_err().code, "invalid");
    assert_eq!(backend.exchange_document(&[], "stix").unwrap_err().code, "invalid");
    let missing = backend.exchange_document(&["0".repeat(64)], "stix").unwrap_err();
    assert_eq!(missing.code, "not_found", "{missing:?}");
}
