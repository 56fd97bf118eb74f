//! `fcas db children` and `fcas db parents` over a store holding a zip, 7z, exe submission.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use fcas_report::{ChildRef, Format, LineageStep, Report, Submission};
use fcas_store::Store;
use serde_json::Value;

fn fcas(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fcas")).arg("db").arg("--db").arg(db).args(args).output().expect("run fcas")
}

fn json_of(output: &Output) -> Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn sha(seed: char) -> String {
    seed.to_string().repeat(64)
}

fn report(seed: char, path: &str, format: Format, lineage: &[(char, &str)]) -> Report {
    let mut report = Report { schema_version: fcas_report::SCHEMA_VERSION, engine_version: "test-engine".into(), ..Report::default() };
    report.path = path.into();
    report.size = path.len() as u64;
    report.format = format;
    report.hashes.sha256 = sha(seed);
    report.lineage = lineage.iter().map(|(s, name)| LineageStep { sha256: sha(*s), name: name.to_string() }).collect();
    report
}

fn child(report: &Report, name: &str) -> ChildRef {
    ChildRef::of(name, report)
}

/// `sample.zip!inner.7z!a.exe`, and `other.zip` holding the same `a.exe`.
fn store_with_containers(db: &Path) {
    let exe = report('a', "sample.zip!inner.7z!a.exe", Format::Pe, &[('d', "sample.zip"), ('b', "inner.7z")]);
    let mut seven = report('b', "sample.zip!inner.7z", Format::SevenZip, &[('d', "sample.zip")]);
    let mut zip = report('d', "sample.zip", Format::Zip, &[]);
    seven.children = vec![child(&exe, "a.exe")];
    zip.children = vec![child(&seven, "inner.7z")];
    let mut other = report('e', "other.zip", Format::Zip, &[]);
    other.children = vec![child(&exe, "copy of a.exe")];
    let mut store = Store::open(db).expect("store");
    store.insert_submission(&Submission::packing(zip, &[seven, exe.clone()]).expect("pack")).expect("insert");
    store.insert_submission(&Submission::packing(other, &[exe]).expect("pack")).expect("insert");
}

fn pairs(edges: &Value) -> BTreeSet<(String, String)> {
    edges
        .as_array()
        .expect("array")
        .iter()
        .map(|e| (e["name"].as_str().expect("name").to_string(), e["sha256"].as_str().expect("sha256").to_string()))
        .collect()
}

#[test]
fn children_and_parents_answer_both_ways() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("cases.sqlite");
    store_with_containers(&db);

    let children = json_of(&fcas(&db, &["children", &sha('d'), "--json"]));
    assert_eq!(pairs(&children), BTreeSet::from([("inner.7z".to_string(), sha('b'))]));
    assert_eq!(children[0]["format"], "sevenzip");
    assert_eq!(children[0]["stored"], true);
    let inner = json_of(&fcas(&db, &["--json", "children", &sha('b')[..10]]));
    assert_eq!(pairs(&inner), BTreeSet::from([("a.exe".to_string(), sha('a'))]));

    let parents = json_of(&fcas(&db, &["--json", "parents", &sha('a')]));
    assert_eq!(pairs(&parents), BTreeSet::from([("a.exe".to_string(), sha('b')), ("copy of a.exe".to_string(), sha('e'))]));
    assert_eq!(pairs(&json_of(&fcas(&db, &["--json", "parents", &sha('b')]))), BTreeSet::from([("inner.7z".to_string(), sha('d'))]));

    // A stored sample with nothing inside (or found nowhere): an empty answer, not "not found".
    assert_eq!(json_of(&fcas(&db, &["--json", "children", &sha('a')])), Value::Array(Vec::new()));
    let root = fcas(&db, &["parents", &sha('d')]);
    assert_eq!(root.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&root.stderr).contains("not found inside any stored container"));

    // Text for a person: one line per child with its name.
    let text = fcas(&db, &["children", &sha('d')]);
    assert_eq!(text.status.code(), Some(0));
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(text.contains(&sha('b')) && text.contains("sevenzip") && text.contains("in inner.7z"), "{text}");

    // An unknown hash: nothing printed, exit code 4 like `fcas db show`.
    for command in ["children", "parents"] {
        let unknown = fcas(&db, &["--json", command, &sha('f')]);
        assert_eq!(unknown.status.code(), Some(4), "{command}");
        assert!(unknown.stdout.is_empty());
        assert!(String::from_utf8_lossy(&unknown.stderr).contains("nothing stored matches"), "{command}");
    }

    // The history shows containers with their counts.
    let history = json_of(&fcas(&db, &["--json", "history", "--latest"]));
    let count = |seed: char| history.as_array().expect("rows").iter().find(|r| r["sha256"] == sha(seed)).map(|r| r["children"].clone());
    assert_eq!((count('d'), count('b'), count('a')), (Some(1.into()), Some(1.into()), Some(0.into())));
}
