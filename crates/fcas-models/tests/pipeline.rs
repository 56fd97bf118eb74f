//! The predictor as an extra stage of the engine, on real corpus files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use fcas_engine::{analyze_path_with, ExtraStage, Options};
use serde_json::Value;

fn reference_malconv(relative: &str) -> f64 {
    let path = common::corpus().join("refs").join(format!("{relative}.json"));
    let value: Value = serde_json::from_slice(&std::fs::read(path).expect("reference")).expect("JSON");
    value["malconv_ember_score"].as_f64().expect("a MalConv reference score")
}

#[test]
fn pe_file_gets_a_malconv_score_with_regions_to_paint() {
    let Some(predictor) = common::predictor(None, &["malconv-ember"]) else { return };
    let relative = "pe/pypi-pip-any/w32.exe";
    let path = common::corpus().join("files").join(relative);
    let size = std::fs::metadata(&path).expect("fixture").len();
    let stages: [&dyn ExtraStage; 1] = [&predictor];
    let report = analyze_path_with(&path, &Options::default(), &stages);

    let malconv = report.predictions.iter().find(|p| p.model == "malconv-ember").expect("MalConv prediction");
    assert!(malconv.applicable);
    let score = malconv.score.expect("a score");
    assert!((score - reference_malconv(relative)).abs() < 1e-4);
    assert_eq!(malconv.label, if score >= 0.5 { "malicious" } else { "benign" });
    assert_eq!(malconv.threshold, Some(0.5));
    let regions = &malconv.explanation.as_ref().expect("an explanation").regions;
    assert!(!regions.is_empty() && regions.len() <= fcas_models::malconv::EXPLAINED_CHANNELS);
    assert_eq!(regions.first().map(|r| r.weight), Some(1.0));
    for region in regions {
        assert!(region.offset % 500 == 0 && region.offset + region.length <= size, "{region:?}");
        assert!(region.weight > 0.0 && region.weight <= 1.0);
    }
    assert!(regions.windows(2).all(|w| w[0].weight >= w[1].weight), "strongest first");

    // EMBER runs when the feature extractor gives a vector, and says why not otherwise.
    let ember = report.predictions.iter().find(|p| p.model == "ember2018-lgbm");
    if let Some(ember) = ember {
        assert!(ember.applicable);
        assert!(ember.score.is_some() || ember.reason.as_deref().is_some_and(|r| !r.is_empty()), "{ember:?}");
    }
    let verdict = report.verdict.expect("a verdict");
    assert!(["benign", "suspicious", "malicious"].contains(&verdict.label.as_str()), "{verdict:?}");
    assert!(verdict.models.contains(&"malconv-ember".to_string()));
    assert!(report.errors.iter().all(|e| e.stage != "models"), "{:?}", report.errors);
}

#[test]
fn elf_file_gets_no_pe_model_and_an_unknown_verdict() {
    let Some(predictor) = common::predictor(None, &["malconv-ember"]) else { return };
    let path = common::corpus().join("files/elf/deb-elf-amd64/ls");
    let stages: [&dyn ExtraStage; 1] = [&predictor];
    let report = analyze_path_with(&path, &Options::default(), &stages);
    assert_eq!(report.format, fcas_engine::report::Format::Elf, "the identity stage detects ELF");
    for prediction in report.predictions.iter().filter(|p| p.model == "malconv-ember" || p.model == "ember2018-lgbm") {
        assert!(!prediction.applicable);
        assert_eq!(prediction.label, "not_applicable");
        assert_eq!(prediction.score, None);
    }
    assert_eq!(report.verdict.map(|v| v.label).as_deref(), Some("unknown"));
}
