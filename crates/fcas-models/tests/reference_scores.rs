//! Scores equal to the reference implementation on the corpus: MalConv on every file that has a
//! `malconv_ember_score`, EMBER-2018 on every reference EMBER v2 vector.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use serde_json::Value;

const TOLERANCE: f64 = 1e-4;

fn reference(path: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("readable reference")).expect("valid reference JSON")
}

/// The float vector at JSON `pointer` of `document`.
fn vector_at(document: &Value, pointer: &str) -> Vec<f32> {
    let values = document.pointer(pointer).and_then(Value::as_array).expect("a vector at the pointer");
    values.iter().map(|v| v.as_f64().unwrap_or(f64::NAN) as f32).collect()
}

/// The corpus file a reference describes: `refs/<kind>/.../<name>.json` -> `files/<kind>/.../<name>`.
fn file_of(reference_path: &std::path::Path) -> std::path::PathBuf {
    let refs = common::corpus().join("refs");
    let relative = reference_path.strip_prefix(&refs).expect("under refs/");
    let name = relative.to_string_lossy();
    common::corpus().join("files").join(name.strip_suffix(".json").expect(".json"))
}

#[test]
fn malconv_matches_the_reference_on_every_corpus_file() {
    let Some(predictor) = common::predictor(None, &["malconv-ember"]) else { return };
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in common::json_files(&common::corpus().join("refs")) {
        let Some(expected) = reference(&path).get("malconv_ember_score").and_then(Value::as_f64) else { continue };
        let bytes = std::fs::read(file_of(&path)).expect("corpus file");
        let output = predictor.score_bytes("malconv-ember", &bytes).expect("MalConv runs");
        if (output.score - expected).abs() > TOLERANCE {
            failures.push(format!("{}: {} vs reference {expected}", path.display(), output.score));
        }
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} references carry a MalConv score");
    assert!(failures.is_empty(), "MalConv differs from the reference:\n{}", failures.join("\n"));
}

#[test]
fn ember_matches_the_reference_on_every_reference_vector() {
    let Some(predictor) = common::predictor(None, &["ember2018-lgbm"]) else { return };
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in common::json_files(&common::corpus().join("refs")) {
        let reference = reference(&path);
        let Some(expected) = reference.get("ember2018_lgbm_score_from_ref_vector").and_then(Value::as_f64) else { continue };
        let vector = vector_at(&reference, "/ember_v2/vector");
        let score = predictor.score_vector("ember2018-lgbm", &vector).expect("EMBER runs");
        // Beside it, the score from our own extractor's vector, for the record.
        let bytes = std::fs::read(file_of(&path)).expect("corpus file");
        let own = match fcas_engine::features::ember_v2::vector(&bytes) {
            Ok(own) => predictor.score_vector("ember2018-lgbm", &own).map(|s| format!("{s:.6}")).unwrap_or_else(|e| e),
            Err(e) => format!("no vector ({e})"),
        };
        println!("{}: reference vector {score:.6} (expected {expected:.6}); own vector {own}", path.display());
        if (score - expected).abs() > TOLERANCE {
            failures.push(format!("{}: {score} vs reference {expected}", path.display()));
        }
        checked += 1;
    }
    assert!(checked >= 70, "only {checked} references carry an EMBER score");
    assert!(failures.is_empty(), "EMBER differs from the reference:\n{}", failures.join("\n"));
}

#[test]
fn manifest_reference_outputs_are_reproduced() {
    let Some(predictor) = common::predictor(None, &["malconv-ember", "ember2018-lgbm"]) else { return };
    for model in &predictor.registry().models {
        assert!(!model.manifest.reference_outputs.is_empty(), "{} lists no reference output", model.manifest.id);
        for reference in &model.manifest.reference_outputs {
            let path = common::root().join(&reference.file);
            let score = match &reference.vector_json_pointer {
                Some(pointer) => {
                    let document: Value = serde_json::from_slice(&std::fs::read(&path).expect("reference file")).expect("JSON");
                    let vector = vector_at(&document, pointer);
                    predictor.score_vector(&model.manifest.id, &vector).expect("model runs")
                }
                None => {
                    predictor.score_bytes(&model.manifest.id, &std::fs::read(&path).expect("reference file")).expect("model runs").score
                }
            };
            assert!(
                (score - reference.score).abs() <= reference.tolerance,
                "{} on {}: {score} vs {}",
                model.manifest.id,
                reference.file,
                reference.score
            );
        }
    }
}
