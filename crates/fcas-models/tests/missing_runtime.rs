//! Without a usable ONNX Runtime, every prediction says `unavailable` with the reason and every
//! other analysis is intact. Its own test binary: a process initialises the runtime only once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use fcas_engine::report as fcas_report;
use fcas_engine::{analyze_path_with, ExtraStage, Options};
use fcas_models::{Predictor, PredictorConfig};

#[test]
fn missing_runtime_makes_predictions_unavailable_and_leaves_the_rest_intact() {
    let bogus = common::root().join("target/no-such-dir/libonnxruntime.so.1.31.1");
    let config = PredictorConfig {
        ort_lib: Some(bogus.clone()),
        models_dir: Some(common::root().join("models")),
        // The committed test model, so that at least one model is registered without `make models`.
        user_models_dir: Some(common::fixtures()),
    };
    let predictor = Predictor::new(&config);
    let error = predictor.runtime().expect_err("a bogus library path cannot load");
    assert!(error.contains("no-such-dir"), "the reason names the path: {error}");

    let path = common::corpus().join("files/pe/pypi-pip-any/t32.exe");
    let stages: [&dyn ExtraStage; 1] = [&predictor];
    let report = analyze_path_with(&path, &Options::default(), &stages);

    // The other analyses are exactly what they are without models.
    assert_eq!(report.format, fcas_report::Format::Pe);
    assert!(report.errors.iter().all(|e| e.stage != "models"), "no stage error: {:?}", report.errors);
    let mut without_models = fcas_engine::analyze_path(&path, &Options::default());
    let mut with_models = report.clone();
    for r in [&mut without_models, &mut with_models] {
        r.provenance = Default::default();
        r.predictions.clear();
        r.verdict = None;
    }
    assert_eq!(with_models, without_models);

    // Every applicable, registered model says unavailable, with the runtime's reason.
    let applicable: Vec<_> = report.predictions.iter().filter(|p| p.applicable).collect();
    assert!(applicable.iter().any(|p| p.model == "test-throws"));
    for prediction in applicable {
        assert_eq!(prediction.label, "unavailable", "{prediction:?}");
        assert_eq!(prediction.score, None);
        let reason = prediction.reason.as_deref().unwrap_or_default();
        assert!(reason.contains("ONNX Runtime") || reason.contains("skipped"), "{reason}");
    }
    let verdict = report.verdict.expect("a verdict is given");
    assert_eq!(verdict.label, "unknown");
    assert!(verdict.reasons.iter().any(|r| r.contains("ONNX Runtime")), "{:?}", verdict.reasons);

    // `fcas models` shows the same reason.
    let status = predictor.status();
    let throws = status.iter().find(|s| s.id == "test-throws").expect("listed");
    assert_eq!(throws.status, "unavailable");
    assert!(throws.reason.as_deref().unwrap_or_default().contains("no-such-dir"));
}
