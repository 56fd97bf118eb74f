//! `fcas db export --format stix|misp` and `fcas db import` over a store filled by `fcas scan
//! --db` from corpus files and a ZIP holding one of them. The exports are checked by the
//! reference validators (scripts/exchange-validate.sh: stix2-validator 3.2.0 strict, pymisp's
//! object templates); without them installed the validation is skipped with a message, unless
//! FCAS_REQUIRE_EXCHANGE is set (`make test` sets it), when their absence fails the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fcas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fcas")).args(args).output().expect("run fcas")
}

fn ok(output: &Output) -> &Output {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

fn json_of(output: &Output) -> Value {
    serde_json::from_slice(&ok(output).stdout).expect("JSON output")
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Two corpus files, and a ZIP holding the first of them under another name.
fn inputs(dir: &Path) -> (Vec<PathBuf>, PathBuf) {
    let files = vec![
        root().join("tests/fixtures/corpus/files/pe/deb-libwine-amd64/hostname.exe"),
        root().join("tests/fixtures/corpus/files/elf/deb-elf-i386/dash"),
    ];
    let zip_path = dir.join("bundle.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    zip.start_file("inner/hostname copy.exe", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(&std::fs::read(&files[0]).unwrap()).unwrap();
    zip.finish().unwrap();
    (files, zip_path)
}

fn scan(db: &str, paths: &[&Path]) {
    let mut args = vec!["scan", "--db", db, "--json"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    ok(&fcas(&args));
}

fn validator() -> Option<PathBuf> {
    let installed = root().join("target/venv-exchange/.fcas-exchange-1").exists();
    if !installed && std::env::var_os("FCAS_REQUIRE_EXCHANGE").is_none() {
        eprintln!("skipped: the exchange validators are not installed (scripts/exchange-validate.sh setup, or make test)");
        return None;
    }
    Some(root().join("scripts/exchange-validate.sh"))
}

fn known_sources(db: &str, sha256: &str) -> Vec<String> {
    let shown = json_of(&fcas(&["db", "--db", db, "--json", "show", sha256]));
    let known = shown["latest"]["known"].as_array().cloned().unwrap_or_default();
    known.iter().map(|k| k["source"].as_str().unwrap().to_string()).collect()
}

#[test]
fn stix_and_misp_exports_validate_and_import_back() {
    let dir = tempfile::tempdir().unwrap();
    let (files, zip) = inputs(dir.path());
    let db = dir.path().join("cases.sqlite");
    let db = db.to_str().unwrap();
    scan(db, &[&files[0], &files[1], &zip]);
    let exe_sha = sha256_hex(&std::fs::read(&files[0]).unwrap());
    let zip_sha = sha256_hex(&std::fs::read(&zip).unwrap());

    let stix_file = dir.path().join("export.stix.json");
    let misp_file = dir.path().join("export.misp.json");
    ok(&fcas(&["db", "--db", db, "export", "--format", "stix", "--out", stix_file.to_str().unwrap()]));
    ok(&fcas(&["db", "--db", db, "export", "--format", "misp", "--out", misp_file.to_str().unwrap()]));

    // Structure: the ZIP's file contains the executable's, its MISP object refers to it.
    let bundle: Value = serde_json::from_slice(&std::fs::read(&stix_file).unwrap()).unwrap();
    let objects = bundle["objects"].as_array().unwrap();
    let file_of = |sha: &str| objects.iter().find(|o| o["type"] == "file" && o["hashes"]["SHA-256"] == sha).unwrap();
    assert_eq!(file_of(&zip_sha)["contains_refs"], Value::from(vec![file_of(&exe_sha)["id"].clone()]));
    assert_eq!(objects.iter().filter(|o| o["type"] == "malware-analysis").count(), 3, "three samples");
    let tlsh = file_of(&exe_sha)["hashes"]["TLSH"].as_str().unwrap();
    assert!(tlsh.len() == 70 && !tlsh.starts_with("T1"), "{tlsh}");
    let event: Value = serde_json::from_slice(&std::fs::read(&misp_file).unwrap()).unwrap();
    let misp_objects = event["Event"]["Object"].as_array().unwrap();
    let object_of = |sha: &str| {
        misp_objects.iter().find(|o| o["Attribute"].as_array().unwrap().iter().any(|a| a["type"] == "sha256" && a["value"] == sha)).unwrap()
    };
    let reference = &object_of(&zip_sha)["ObjectReference"][0];
    assert_eq!((&reference["relationship_type"], &reference["referenced_uuid"]), (&Value::from("contains"), &object_of(&exe_sha)["uuid"]));

    if let Some(script) = validator() {
        for (kind, file) in [("stix", &stix_file), ("misp", &misp_file)] {
            let output = Command::new(&script).arg(kind).arg(file).output().unwrap();
            assert!(
                output.status.success(),
                "{kind} validation failed:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }

    // Round trip: a fresh store imports both, then samples scanned into it are known.
    let fresh = dir.path().join("fresh.sqlite");
    let fresh = fresh.to_str().unwrap();
    let stix_import = json_of(&fcas(&["db", "--db", fresh, "--json", "import", stix_file.to_str().unwrap(), "--source", "partner-stix"]));
    assert_eq!((stix_import["format"].as_str(), stix_import["matched_samples"].as_u64()), (Some("stix"), Some(0)));
    let misp_import = json_of(&fcas(&["db", "--db", fresh, "--json", "import", misp_file.to_str().unwrap()]));
    assert_eq!(misp_import["format"], "misp");
    assert_eq!(misp_import["source"], "export.misp.json", "the file name is the default source");
    scan(fresh, &[&files[1], &zip]);
    assert_eq!(
        known_sources(fresh, &exe_sha),
        ["export.misp.json", "export.misp.json", "export.misp.json", "partner-stix", "partner-stix", "partner-stix"]
    );

    // Into the store the samples are already in: they match at once.
    let again = json_of(&fcas(&["db", "--db", db, "--json", "import", misp_file.to_str().unwrap(), "--source", "mine"]));
    assert_eq!(again["matched_samples"], 3);
    let shown = fcas(&["db", "--db", db, "show", &zip_sha]);
    assert!(String::from_utf8_lossy(&ok(&shown).stdout).contains("known      mine (md5) as bundle.zip"));
}

#[test]
fn hash_lists_and_hostile_imports() {
    let dir = tempfile::tempdir().unwrap();
    let (files, _) = inputs(dir.path());
    let db = dir.path().join("cases.sqlite");
    let db = db.to_str().unwrap();
    scan(db, &[&files[1]]);
    let bytes = std::fs::read(&files[1]).unwrap();
    let sha = sha256_hex(&bytes);
    let list = dir.path().join("list.txt");
    std::fs::write(&list, format!("# from a colleague\n{}  dash-build\nnot a hash\n", sha.to_uppercase())).unwrap();
    let imported = json_of(&fcas(&["db", "--db", db, "--json", "import", list.to_str().unwrap(), "--source", "colleague"]));
    assert_eq!(
        (imported["entries"].as_u64(), imported["skipped"].as_u64(), imported["matched_samples"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(known_sources(db, &sha), ["colleague"]);

    let hostile = [
        ("deep.json", format!("{{\"Event\":{}{}}}", "[".repeat(200_000), "]".repeat(200_000)).into_bytes(), "not valid JSON"),
        ("broken.json", b"{\"type\": \"bundle\", \"objects\": [".to_vec(), "not valid JSON"),
        ("other.json", b"{\"hello\": []}".to_vec(), "neither a MISP event nor a STIX"),
        ("huge.txt", vec![b'0'; 2 * 1024 * 1024], "larger than --max-size"),
    ];
    for (name, content, message) in hostile {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let output = fcas(&["db", "--db", db, "import", path.to_str().unwrap(), "--max-size", "1M"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains(message) && !stderr.contains("panicked"), "{name}: {stderr}");
    }
}
