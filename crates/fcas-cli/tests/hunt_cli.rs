//! `fcas hunt RULES`: a rule folder run over the vault of a real case store. The rule matches the
//! ELF magic, so of a PE and an ELF kept in the vault exactly the ELF (by its own SHA-256) must
//! match; a broken rule stops the hunt before it starts, with its file and line; a finished hunt
//! is not resumed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use sha2::{Digest, Sha256};

fn fcas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fcas")).args(args).env("XDG_CACHE_HOME", std::env::temp_dir()).output().expect("run fcas")
}

fn corpus(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files").join(path)
}

fn sha256_of(path: &Path) -> String {
    Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_hunt_matches_the_vault_samples_its_rules_describe_and_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.sqlite");
    let db_arg = db.to_str().unwrap();
    let (pe, elf) = (corpus("pe/deb-libwine-amd64/hostname.exe"), corpus("elf/deb-elf-i386/dash"));
    let out = fcas(&["scan", "--no-models", "--vault", "--db", db_arg, pe.to_str().unwrap(), elf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("elf.yar"),
        "rule elf_magic { meta: severity = \"info\" strings: $m = { 7F 45 4C 46 } condition: $m at 0 }\n",
    )
    .unwrap();
    let out = fcas(&["hunt", rules.to_str().unwrap(), "--db", db_arg, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["hunt"]["status"], "done", "{result}");
    assert_eq!(result["hunt"]["scanned"], 2, "{result}");
    assert_eq!(result["hunt"]["matched"], 1, "{result}");
    let matches = result["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 1, "{result}");
    assert_eq!(matches[0]["sha256"], sha256_of(&elf), "{result}");
    let id = result["hunt"]["id"].as_i64().unwrap().to_string();

    // Stored: the same hunt and match through `fcas db hunt ID`.
    let out = fcas(&["db", "--db", db_arg, "hunt", &id, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stored: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stored["matches"][0]["sha256"], sha256_of(&elf));

    // A finished hunt is not run again.
    let out = fcas(&["hunt", "--resume", &id, "--db", db_arg]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("done already"), "{}", stderr(&out));
}

#[test]
fn a_rule_that_does_not_compile_stops_the_hunt_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cases.sqlite");
    let db_arg = db.to_str().unwrap();
    let out = fcas(&["scan", "--no-models", "--vault", "--db", db_arg, corpus("elf/deb-elf-i386/dash").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("broken.yar"), "rule ok { condition: true }\n\nrule broken { condition: $missing }\n").unwrap();
    let out = fcas(&["hunt", rules.to_str().unwrap(), "--db", db_arg]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("broken.yar:3"), "{}", stderr(&out));
    let out = fcas(&["db", "--db", db_arg, "hunts", "--json"]);
    let hunts: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hunts.as_array().unwrap().len(), 0, "no hunt is recorded for rules that do not compile");
}
