//! `fcas models`, `fcas features --ember-v2` and `fcas scan --no-models`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus_file(relative: &str) -> PathBuf {
    root().join("tests/fixtures/corpus/files").join(relative)
}

/// `fcas` with the repository's models and an empty user models folder (nothing outside the
/// repository is read).
fn fcas(args: &[&str], user_models: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fcas"))
        .args(args)
        .env("FCAS_MODELS_DIR", root().join("models"))
        .env("FCAS_USER_MODELS_DIR", user_models)
        .env_remove("FCAS_ORT_LIB")
        .output()
        .expect("fcas runs")
}

#[test]
fn scan_without_models_has_no_predictions_and_no_verdict() {
    let empty = tempfile::tempdir().expect("temporary folder");
    let pe = corpus_file("pe/pypi-pip-any/w32.exe");
    let out = fcas(&["scan", "--no-models", "--jsonl", pe.to_str().expect("UTF-8 path")], empty.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON report");
    assert_eq!(report["predictions"], serde_json::json!([]));
    assert!(report["verdict"].is_null());
}

#[test]
fn models_lists_the_builtin_models_and_the_runtime_state() {
    let empty = tempfile::tempdir().expect("temporary folder");
    let out = fcas(&["models", "--json", "--ort-lib", "/nonexistent/libonnxruntime.so"], empty.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listing: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(listing["runtime"]["status"], "unavailable");
    assert!(listing["runtime"]["reason"].as_str().is_some_and(|r| r.contains("/nonexistent/")));
    let ids: Vec<&str> = listing["models"].as_array().expect("models").iter().filter_map(|m| m["id"].as_str()).collect();
    assert!(ids.contains(&"malconv-ember") && ids.contains(&"ember2018-lgbm"), "{ids:?}");
    for model in listing["models"].as_array().expect("models") {
        assert_ne!(model["status"], "ready", "nothing is ready without a runtime: {model}");
        assert!(model["reason"].as_str().is_some_and(|r| !r.is_empty()));
    }
}

#[test]
fn features_prints_one_json_line_per_file_with_its_sha256() {
    let empty = tempfile::tempdir().expect("temporary folder");
    let pe = corpus_file("pe/pypi-pip-any/w32.exe");
    let out = fcas(&["features", "--ember-v2", pe.to_str().expect("UTF-8 path")], empty.path());
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    let reference: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join("tests/fixtures/corpus/refs/pe/pypi-pip-any/w32.exe.json")).expect("reference"))
            .expect("JSON");
    assert_eq!(line["sha256"], reference["sha256"]);
    assert_eq!(line["path"].as_str(), pe.to_str());
    match line["vector"].as_array() {
        Some(vector) => {
            assert_eq!(vector.len(), 2381);
            assert!(out.status.success());
        }
        None => {
            assert!(line["error"].as_str().is_some_and(|e| !e.is_empty()), "{line}");
            assert_eq!(out.status.code(), Some(3));
        }
    }
}
