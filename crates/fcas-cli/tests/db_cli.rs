//! `fcas db ...` against a store filled by `fcas scan --db` from corpus files; expected answers
//! come from the corpus reference JSONs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus")
}

fn fcas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fcas")).args(args).output().expect("run fcas")
}

fn json_of(output: &Output) -> Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn sha256s(samples: &Value) -> BTreeSet<String> {
    samples.as_array().expect("array").iter().map(|s| s["sha256"].as_str().expect("sha256").to_string()).collect()
}

/// The references of the files under `files/pe/<group>`.
fn references(group: &str) -> Vec<Value> {
    let dir = corpus().join("refs/pe").join(group);
    let mut refs: Vec<Value> = std::fs::read_dir(dir)
        .expect("refs")
        .flatten()
        .map(|e| serde_json::from_slice(&std::fs::read(e.path()).expect("read")).expect("parse"))
        .collect();
    refs.sort_by_key(|r| r["sha256"].as_str().unwrap_or_default().to_string());
    refs
}

#[test]
fn db_subcommands_answer_from_a_scanned_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    let db = db.to_str().expect("utf-8 path");
    let group = "deb-libwine-amd64";
    let files = corpus().join("files/pe").join(group);
    let refs = references(group);

    let scan = fcas(&["scan", "--db", db, "--json", files.to_str().expect("path")]);
    let summary = json_of(&scan);
    assert_eq!(summary["stored"].as_u64(), Some(refs.len() as u64));

    // Lookup by full hash and by prefix.
    let sha = refs[0]["sha256"].as_str().expect("sha");
    assert_eq!(sha256s(&json_of(&fcas(&["db", "--db", db, "lookup", sha, "--json"]))), BTreeSet::from([sha.to_string()]));
    assert!(sha256s(&json_of(&fcas(&["db", "lookup", &sha[..10], "--db", db, "--json"]))).contains(sha));

    // imphash and imports, as pefile sees them.
    let imphash = refs.iter().filter_map(|r| r["pefile"]["imphash"].as_str()).find(|h| !h.is_empty()).expect("imphash");
    let expected: BTreeSet<String> =
        refs.iter().filter(|r| r["pefile"]["imphash"] == imphash).map(|r| r["sha256"].as_str().expect("sha").to_string()).collect();
    assert_eq!(sha256s(&json_of(&fcas(&["db", "--db", db, "--json", "imphash", imphash]))), expected);
    let imports = |r: &Value, dll: &str, function: &str| {
        ["imports", "delay_imports"].iter().flat_map(|key| r["pefile"][key].as_array().into_iter().flatten()).any(|i| {
            i["dll"].as_str().is_some_and(|d| d.eq_ignore_ascii_case(dll))
                && i["functions"].as_array().into_iter().flatten().any(|f| f["name"].as_str() == Some(function))
        })
    };
    let expected: BTreeSet<String> = refs
        .iter()
        .filter(|r| imports(r, "kernel32.dll", "GetProcAddress"))
        .map(|r| r["sha256"].as_str().expect("sha").to_string())
        .collect();
    assert!(!expected.is_empty());
    let found = json_of(&fcas(&["db", "--db", db, "--json", "imports", "KERNEL32.dll!GetProcAddress", "--limit", "1000"]));
    assert_eq!(sha256s(&found), expected);

    // History, paging and format filter.
    let history = json_of(&fcas(&["db", "--db", db, "--json", "history", "--format", "pe", "--limit", "1000"]));
    assert_eq!(history.as_array().map(Vec::len), Some(refs.len()));
    let page2 = json_of(&fcas(&["db", "--db", db, "--json", "history", "--limit", "5", "--page", "2"]));
    assert_eq!(page2[0]["report_id"], history[5]["report_id"]);
    assert_eq!(json_of(&fcas(&["db", "--db", db, "--json", "history", "--format", "elf"])).as_array().map(Vec::len), Some(0));

    // Tags, notes, show.
    json_of(&fcas(&["db", "--db", db, "--json", "tag", &sha[..12], "triage"]));
    json_of(&fcas(&["db", "--db", db, "--json", "note", sha, "looks", "benign"]));
    let tagged = json_of(&fcas(&["db", "--db", db, "--json", "history", "--tag", "triage"]));
    assert_eq!(tagged.as_array().map(Vec::len), Some(1));
    let shown = json_of(&fcas(&["db", "--db", db, "--json", "show", sha]));
    assert_eq!(shown["notes"][0]["text"], "looks benign");
    assert_eq!(shown["latest"]["pe"]["imphash"], refs[0]["pefile"]["imphash"]);
    assert_eq!(shown["sample"]["size"], refs[0]["size"]);

    // Indicators: every sample listed raised it in its latest report.
    let stats = json_of(&fcas(&["db", "--db", db, "--json", "stats"]));
    assert_eq!(stats["samples"].as_u64(), Some(refs.len() as u64));
    if let Some(indicator) = stats["indicators"][0]["value"].as_str() {
        let listed = json_of(&fcas(&["db", "--db", db, "--json", "indicator", indicator, "--limit", "1000"]));
        assert_eq!(listed.as_array().map(Vec::len) as Option<usize>, stats["indicators"][0]["count"].as_u64().map(|c| c as usize));
        for sample in listed.as_array().into_iter().flatten() {
            let shown = json_of(&fcas(&["db", "--db", db, "--json", "show", sample["sha256"].as_str().expect("sha")]));
            assert!(shown["latest"]["indicators"].as_array().into_iter().flatten().any(|i| i["id"] == indicator));
        }
    }

    // Export.
    let csv = fcas(&["db", "--db", db, "export", "--format", "csv"]);
    assert!(csv.status.success());
    assert_eq!(String::from_utf8_lossy(&csv.stdout).lines().count(), refs.len() + 1);
    let exported = json_of(&fcas(&["db", "--db", db, "export", "--format", "json", "--tag", "triage"]));
    assert_eq!(exported.as_array().map(Vec::len), Some(1));
    assert_eq!(exported[0]["report"]["size"], refs[0]["size"]);

    // Similar answers (TLSH ranking needs the engine's hashes; the shape is there either way).
    let similar = json_of(&fcas(&["db", "--db", db, "--json", "similar", sha, "--top", "3"]));
    assert_eq!(similar["query"]["sha256"], sha);
    assert!(similar["by_tlsh"].as_array().is_some_and(|a| a.len() <= 3));

    // Not found: exit code 4; a scan of the same files again stores nothing new.
    assert_eq!(fcas(&["db", "--db", db, "lookup", &"0".repeat(64)]).status.code(), Some(4));
    assert_eq!(fcas(&["db", "--db", db, "show", "abcdef12"]).status.code(), Some(4));
    let again = json_of(&fcas(&["scan", "--db", db, "--json", files.to_str().expect("path")]));
    assert_eq!((again["stored"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(refs.len() as u64)));
    let rescan = json_of(&fcas(&["scan", "--db", db, "--json", "--rescan", files.to_str().expect("path")]));
    assert_eq!(rescan["stored"].as_u64(), Some(refs.len() as u64));
}

#[test]
fn text_search_finds_strings_and_iocs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    let mut store = fcas_store::Store::open(&db).expect("open");
    let mut report = fcas_report::Report::default();
    report.hashes.sha256 = "ab".repeat(32);
    report.path = "dropper.exe".into();
    report.strings.items.push(fcas_report::FoundString {
        offset: 1,
        encoding: "ascii".into(),
        value: "beacon to c2.badhost.example".into(),
    });
    report.strings.iocs.push(fcas_report::Ioc {
        kind: "domain".into(),
        value: "c2.badhost.example".into(),
        offset: 11,
        ..Default::default()
    });
    store.insert_report(&report).expect("insert");
    drop(store);
    let db = db.to_str().expect("utf-8");
    let hits = json_of(&fcas(&["db", "--db", db, "--json", "search", "badhost.example"]));
    assert_eq!(hits[0]["sample"]["sha256"], "ab".repeat(32));
    assert!(hits[0]["matches"].as_array().is_some_and(|m| m.iter().any(|x| x[0] == "domain")));
    let none = fcas(&["db", "--db", db, "--json", "search", "--iocs", "beacon"]);
    assert_eq!(none.status.code(), Some(4), "nothing found");
    assert_eq!(serde_json::from_slice::<Value>(&none.stdout).expect("JSON"), serde_json::json!([]));
    assert_eq!(fcas(&["db", "--db", db, "search", "nothing-like-this"]).status.code(), Some(4));
}

#[test]
fn missing_foreign_and_non_sqlite_stores_are_refused_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.sqlite");
    let out = fcas(&["db", "--db", missing.to_str().expect("utf-8"), "stats"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no case store"));
    assert!(!missing.exists(), "a read command does not create a store");

    let text = dir.path().join("text.txt");
    std::fs::write(&text, "plain text, not a database at all").expect("write");
    let out = fcas(&["scan", "--db", text.to_str().expect("utf-8"), text.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an SQLite database"));

    let foreign = dir.path().join("foreign.sqlite");
    rusqlite::Connection::open(&foreign).expect("open").execute_batch("CREATE TABLE t (x);").expect("create");
    let out = fcas(&["db", "--db", foreign.to_str().expect("utf-8"), "history"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an FCAS case store"));

    let out = fcas(&["scan", "--db", dir.path().join("new.sqlite").to_str().expect("utf-8"), "--resume"]);
    assert_eq!(out.status.code(), Some(0), "nothing to resume is not an error");
}
