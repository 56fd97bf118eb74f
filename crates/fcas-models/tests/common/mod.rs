//! Helpers shared by the integration tests: repository paths and the runtime/models gate.
#![allow(dead_code)]
use std::path::{Path, PathBuf};

use fcas_models::{Predictor, PredictorConfig};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The fixture corpus.
pub fn corpus() -> PathBuf {
    root().join("tests/fixtures/corpus")
}

/// This crate's test fixtures (the tiny ONNX models and their manifests).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The runtime library `make ort` installs.
pub fn ort_lib() -> PathBuf {
    root().join("vendor/onnxruntime").join(fcas_models::runtime::LIBRARY_FILE)
}

/// True when tests that need the runtime and models must fail instead of skipping.
pub fn models_required() -> bool {
    std::env::var("FCAS_REQUIRE_MODELS").is_ok_and(|v| v == "1")
}

/// Skips (returns false, printing why) or fails, depending on `FCAS_REQUIRE_MODELS`.
pub fn prerequisite(ok: bool, what: &str) -> bool {
    if !ok {
        assert!(!models_required(), "{what} (FCAS_REQUIRE_MODELS=1; run `make ort models`)");
        eprintln!("skipped: {what}; run `make ort models` to run this test");
    }
    ok
}

/// A predictor over the repository's runtime and built-in models (no user models), or `None`
/// when the test must be skipped because the runtime or one of `models` is missing.
pub fn predictor(user_models_dir: Option<PathBuf>, models: &[&str]) -> Option<Predictor> {
    if !prerequisite(ort_lib().is_file(), &format!("ONNX Runtime missing at {}", ort_lib().display())) {
        return None;
    }
    let config = PredictorConfig { ort_lib: Some(ort_lib()), models_dir: Some(root().join("models")), user_models_dir };
    let predictor = Predictor::new(&config);
    if let Err(e) = predictor.runtime() {
        panic!("the ONNX Runtime library exists but cannot be loaded: {e}");
    }
    for id in models {
        let usable = predictor.model(id).is_some();
        let why = predictor.registry().skipped.iter().find(|s| s.id.as_deref() == Some(id)).map(|s| s.reason.clone());
        if !prerequisite(usable, &format!("model `{id}` unusable: {}", why.unwrap_or_else(|| "not built".into()))) {
            return None;
        }
    }
    Some(predictor)
}

/// Every `*.json` under `dir`, recursively, sorted.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("readable fixture folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
