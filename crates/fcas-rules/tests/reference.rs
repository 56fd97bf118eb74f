#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The built-in rules, run by the rules stage, match exactly what the yara-x Python package
//! (the reference, `scripts/rules-reference.py`) found on the same files.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fcas_engine::ExtraStage;
use fcas_report::Report;
use fcas_rules::{RuleSet, RuleSources, RulesStage};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        walkdir::WalkDir::new(folder).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()).map(|e| e.into_path()).collect();
    files.sort();
    files
}

/// The stage's matches in the reference's shape.
fn matches_of(report: &Report) -> Value {
    let mut found: Vec<Value> = report
        .rules
        .as_ref()
        .unwrap()
        .matches
        .iter()
        .map(|m| json!([m.namespace, m.rule, m.strings.iter().map(|s| json!([s.identifier, s.offset, s.length])).collect::<Vec<_>>()]))
        .collect();
    found.sort_by_key(|v| v.to_string());
    Value::Array(found)
}

#[test]
fn the_built_in_rules_match_what_the_reference_finds() {
    let reference: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/fixtures/rules/reference.json")).unwrap()).unwrap();
    let expected: BTreeMap<String, Value> = serde_json::from_value(reference["files"].clone()).unwrap();
    let (set, errors) = RuleSet::load(&RuleSources::default());
    assert!(errors.is_empty(), "{errors:?}");
    let stage = RulesStage::new(&set);
    let corpus = files(&root().join("tests/fixtures/corpus/files"));
    assert!(corpus.len() >= 100, "the corpus is there");
    let mut matched = 0;
    for path in corpus {
        let bytes = std::fs::read(&path).unwrap();
        let sha256 = fcas_report::hex(&Sha256::digest(&bytes));
        let want =
            expected.get(&sha256).unwrap_or_else(|| panic!("{} is not in the reference: run scripts/rules-reference.py", path.display()));
        let mut report = Report::default();
        stage.run(&mut report, &bytes).unwrap();
        // yara-x and the reference sort the same way only once both are sorted as text.
        let mut want_sorted = want.as_array().unwrap().clone();
        want_sorted.sort_by_key(|v| v.to_string());
        assert_eq!(matches_of(&report), Value::Array(want_sorted), "{}", path.display());
        matched += usize::from(!want.as_array().unwrap().is_empty());
    }
    assert!(matched >= 10, "the reference holds matches to compare ({matched} files)");
}
