//! Models that cannot join the ensemble are skipped with a clear message: a corrupt ONNX file
//! (checksum mismatch), an unknown input kind, a manifest whose input shape or kind does not
//! match the graph; and a model that throws at run time gives an `unavailable` prediction while
//! everything else still comes out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::path::Path;

use fcas_engine::{analyze_bytes_with, ExtraStage, Options};
use fcas_models::registry::Registry;
use fcas_models::{Predictor, PredictorConfig};
use serde_json::Value;

/// A user models folder holding the test model and a manifest edited by `edit`.
fn user_folder(edit: impl FnOnce(&mut Value)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::copy(common::fixtures().join("throws.onnx"), dir.path().join("throws.onnx")).expect("copy model");
    let mut manifest: Value =
        serde_json::from_slice(&std::fs::read(common::fixtures().join("throws.json")).expect("manifest")).expect("JSON");
    edit(&mut manifest);
    std::fs::write(dir.path().join("model.json"), serde_json::to_vec_pretty(&manifest).expect("JSON")).expect("write");
    dir
}

fn skipped_reason(registry: &Registry) -> String {
    assert!(registry.models.is_empty(), "the model must not be registered");
    let [skipped] = registry.skipped.as_slice() else { panic!("one skipped model expected: {:?}", registry.skipped) };
    assert_eq!(skipped.id.as_deref(), Some("test-throws"));
    skipped.reason.clone()
}

#[test]
fn committed_test_model_is_registered() {
    let registry = Registry::discover(None, Some(&common::fixtures()));
    assert!(registry.skipped.is_empty(), "{:?}", registry.skipped);
    assert_eq!(registry.models.len(), 1);
}

#[test]
fn wrong_checksum_in_the_manifest_skips_the_model() {
    let dir = user_folder(|m| m["onnx_sha256"] = Value::from("0".repeat(64)));
    let reason = skipped_reason(&Registry::discover(None, Some(dir.path())));
    assert!(reason.contains("checksum mismatch") && reason.contains(&"0".repeat(64)), "{reason}");
}

#[test]
fn corrupt_model_file_skips_the_model() {
    let dir = user_folder(|_| {});
    let onnx = dir.path().join("throws.onnx");
    let mut bytes = std::fs::read(&onnx).expect("model");
    if let Some(b) = bytes.get_mut(10) {
        *b ^= 0xff;
    }
    std::fs::write(&onnx, bytes).expect("write");
    let reason = skipped_reason(&Registry::discover(None, Some(dir.path())));
    assert!(reason.contains("checksum mismatch"), "{reason}");
}

#[test]
fn missing_model_file_skips_the_model() {
    let dir = user_folder(|_| {});
    std::fs::remove_file(dir.path().join("throws.onnx")).expect("remove");
    let reason = skipped_reason(&Registry::discover(None, Some(dir.path())));
    assert!(reason.contains("cannot read the ONNX file"), "{reason}");
}

#[test]
fn unknown_input_kind_skips_the_model() {
    let dir = user_folder(|m| m["input_kind"] = Value::from("images"));
    let reason = skipped_reason(&Registry::discover(None, Some(dir.path())));
    assert!(reason.contains("unknown input kind `images`"), "{reason}");
}

#[test]
fn manifest_without_a_decision_threshold_skips_the_model() {
    let dir = user_folder(|m| m["thresholds"][0]["role"] = Value::from("info"));
    let reason = skipped_reason(&Registry::discover(None, Some(dir.path())));
    assert!(reason.contains("decision"), "{reason}");
}

#[test]
fn invalid_json_manifest_is_skipped_with_its_path() {
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::write(dir.path().join("broken.json"), b"{ not json").expect("write");
    let registry = Registry::discover(None, Some(dir.path()));
    let [skipped] = registry.skipped.as_slice() else { panic!("{:?}", registry.skipped) };
    assert!(skipped.reason.contains("invalid manifest") && skipped.reason.contains("broken.json"), "{}", skipped.reason);
}

fn predictor_with_user_folder(dir: &Path) -> Option<Predictor> {
    let ok = common::prerequisite(common::ort_lib().is_file(), "ONNX Runtime missing");
    ok.then(|| {
        Predictor::new(&PredictorConfig { ort_lib: Some(common::ort_lib()), models_dir: None, user_models_dir: Some(dir.to_path_buf()) })
    })
}

#[test]
fn input_kind_that_does_not_match_the_graph_skips_the_model() {
    // The graph takes int64 [1, T]; an EMBER v2 model must take float32 [N, 2381].
    let dir = user_folder(|m| m["input_kind"] = Value::from("ember_v2"));
    let Some(predictor) = predictor_with_user_folder(dir.path()) else { return };
    let status = predictor.status();
    let [model] = status.as_slice() else { panic!("{status:?}") };
    assert_eq!(model.status, "skipped");
    let reason = model.reason.clone().unwrap_or_default();
    assert!(reason.contains("input kind `ember_v2` needs float32 [N, 2381]"), "{reason}");
    let predictions = predictor.predict(fcas_engine::report::Format::Pe, b"MZ");
    assert_eq!(predictions.first().map(|p| p.label.as_str()), Some("unavailable"));
}

#[test]
fn output_missing_from_the_graph_skips_the_model() {
    let dir = user_folder(|m| m["io"]["score_output"] = Value::from("probabilities"));
    let Some(predictor) = predictor_with_user_folder(dir.path()) else { return };
    let status = predictor.status();
    assert_eq!(status.first().map(|s| s.status), Some("skipped"));
    assert!(status.first().and_then(|s| s.reason.clone()).unwrap_or_default().contains("no output `probabilities`"));
}

#[test]
fn model_that_throws_at_run_time_gives_an_unavailable_prediction() {
    let Some(predictor) = predictor_with_user_folder(&common::fixtures()) else { return };
    let stages: [&dyn ExtraStage; 1] = [&predictor];
    // 600 bytes pad to 1500 values: the graph's Reshape to [-1, 1000] fails.
    let report = analyze_bytes_with("six-hundred", &[0x80; 600], &Options::default(), &stages);
    let prediction = report.predictions.first().expect("one prediction");
    assert_eq!(prediction.label, "unavailable");
    assert!(prediction.reason.as_deref().unwrap_or_default().contains("failed on this input"), "{prediction:?}");
    assert!(report.errors.iter().all(|e| e.stage != "models"), "{:?}", report.errors);
    assert_eq!(report.size, 600, "the rest of the report is there");
    assert_eq!(report.verdict.map(|v| v.label).as_deref(), Some("unknown"));

    // 1 byte pads to 1000 values (one window past the data), which reshapes.
    let report = analyze_bytes_with("one-byte", b"A", &Options::default(), &stages);
    let prediction = report.predictions.first().expect("one prediction");
    assert!(prediction.score.is_some(), "the same model runs on other inputs: {prediction:?}");
}
