//! One test per consensus rule of `docs/MODELS.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use fcas_models::ensemble::{calibrate, consensus, STRONG_DISAGREEMENT};
use fcas_report::{Indicator, Prediction, Severity};

fn scored(model: &str, score: f64, threshold: f64, strict: Option<f64>) -> Prediction {
    Prediction {
        model: model.into(),
        score: Some(score),
        threshold: Some(threshold),
        strict_threshold: strict,
        applicable: true,
        label: if score >= threshold { "malicious" } else { "benign" }.into(),
        ..Prediction::default()
    }
}

fn not_applicable(model: &str) -> Prediction {
    Prediction { model: model.into(), label: "not_applicable".into(), applicable: false, ..Prediction::default() }
}

fn unavailable(model: &str, reason: &str) -> Prediction {
    Prediction { model: model.into(), label: "unavailable".into(), applicable: true, reason: Some(reason.into()), ..Prediction::default() }
}

fn indicator(id: &str, severity: Severity) -> Indicator {
    Indicator { id: id.into(), severity, ..Indicator::default() }
}

#[test]
fn calibration_puts_each_threshold_at_one_half() {
    assert_eq!(calibrate(0.8336, 0.8336), 0.5);
    assert_eq!(calibrate(0.0, 0.8336), 0.0);
    assert_eq!(calibrate(1.0, 0.8336), 1.0);
    assert!((calibrate(0.25, 0.5) - 0.25).abs() < 1e-12);
    assert!(calibrate(0.9, 0.8336) > 0.5 && calibrate(0.8, 0.8336) < 0.5);
}

#[test]
fn models_that_agree_benign_give_benign() {
    let verdict = consensus(&[scored("a", 0.01, 0.5, None), scored("b", 0.2, 0.8336, Some(0.9996))], &[]);
    assert_eq!(verdict.label, "benign");
    assert!(!verdict.strong_disagreement);
    assert_eq!(verdict.models, vec!["a", "b"]);
    assert!(verdict.score.is_some_and(|s| s < 0.5));
    assert!(verdict.reasons.first().is_some_and(|r| r.contains("agree the file is benign")));
}

#[test]
fn models_that_agree_malicious_give_malicious() {
    let verdict = consensus(&[scored("a", 0.99, 0.5, None), scored("b", 0.95, 0.8336, Some(0.9996))], &[]);
    assert_eq!(verdict.label, "malicious");
    assert!(verdict.score.is_some_and(|s| s > 0.5));
    assert!(verdict.disagreement.is_some_and(|d| d < STRONG_DISAGREEMENT));
}

#[test]
fn strong_disagreement_gives_suspicious_with_a_reason() {
    let verdict = consensus(&[scored("malconv", 0.999, 0.5, None), scored("ember", 0.001, 0.8336, Some(0.9996))], &[]);
    assert_eq!(verdict.label, "suspicious");
    assert!(verdict.strong_disagreement);
    assert!(verdict.disagreement.is_some_and(|d| d >= STRONG_DISAGREEMENT));
    assert!(verdict.reasons.iter().any(|r| r.contains("malconv says malicious") && r.contains("ember says benign")));
    assert!(verdict.reasons.iter().any(|r| r.starts_with("strong disagreement")));
}

#[test]
fn mild_disagreement_is_suspicious_but_not_strong() {
    let verdict = consensus(&[scored("a", 0.55, 0.5, None), scored("b", 0.80, 0.8336, None)], &[]);
    assert_eq!(verdict.label, "suspicious");
    assert!(!verdict.strong_disagreement);
    assert!(!verdict.reasons.iter().any(|r| r.starts_with("strong disagreement")));
}

#[test]
fn a_lone_model_convicts_only_above_its_strict_threshold() {
    let lone = consensus(&[scored("ember", 0.9, 0.8336, Some(0.9996))], &[]);
    assert_eq!(lone.label, "suspicious");
    assert!(lone.reasons.iter().any(|r| r.contains("only one model")));
    let sure = consensus(&[scored("ember", 0.9999, 0.8336, Some(0.9996))], &[]);
    assert_eq!(sure.label, "malicious");
    // MalConv publishes no strict threshold: alone it never convicts.
    let malconv = consensus(&[scored("malconv", 0.9999, 0.5, None), unavailable("ember", "no vector")], &[]);
    assert_eq!(malconv.label, "suspicious");
    assert!(malconv.reasons.iter().any(|r| r.contains("ember did not run: no vector")));
}

#[test]
fn high_severity_indicators_make_a_benign_consensus_suspicious() {
    let predictions = [scored("a", 0.01, 0.5, None), scored("b", 0.2, 0.8336, None)];
    let indicators = [indicator("pe.injection.remote_thread", Severity::High), indicator("pe.tls", Severity::Medium)];
    let verdict = consensus(&predictions, &indicators);
    assert_eq!(verdict.label, "suspicious");
    assert!(verdict.reasons.iter().any(|r| r.contains("pe.injection.remote_thread") && !r.contains("pe.tls")));
    // Medium indicators alone do not change a benign consensus.
    assert_eq!(consensus(&predictions, &indicators[1..]).label, "benign");
}

#[test]
fn high_severity_indicators_are_cited_for_a_malicious_consensus() {
    let predictions = [scored("a", 0.99, 0.5, None), scored("b", 0.95, 0.8336, None)];
    let verdict = consensus(&predictions, &[indicator("pe.packer.unknown", Severity::High)]);
    assert_eq!(verdict.label, "malicious");
    assert!(verdict.reasons.iter().any(|r| r.contains("pe.packer.unknown")));
}

#[test]
fn non_pe_file_without_an_applicable_model_is_unknown_not_benign() {
    let verdict = consensus(&[not_applicable("malconv-ember"), not_applicable("ember2018-lgbm")], &[]);
    assert_eq!(verdict.label, "unknown");
    assert_eq!(verdict.score, None);
    assert_eq!(verdict.disagreement, None);
    assert!(verdict.models.is_empty());
    assert!(verdict.reasons.first().is_some_and(|r| r.contains("no model applies")));
}

#[test]
fn file_no_model_applies_to_with_high_severity_indicators_is_suspicious() {
    let predictions = [not_applicable("malconv-ember"), not_applicable("ember2018-lgbm")];
    let verdict = consensus(&predictions, &[indicator("document.vba.autoexec", Severity::Medium)]);
    assert_eq!(verdict.label, "unknown", "medium indicators alone do not decide");
    let verdict = consensus(&predictions, &[indicator("document.dde", Severity::High)]);
    assert_eq!(verdict.label, "suspicious");
    assert_eq!(verdict.score, None);
    assert!(verdict.reasons.iter().any(|r| r.contains("document.dde")));
    assert!(!verdict.reasons.iter().any(|r| r.contains("no verdict")), "{:?}", verdict.reasons);
}

#[test]
fn applicable_models_that_could_not_run_give_unknown() {
    let verdict = consensus(&[unavailable("malconv-ember", "ONNX Runtime unavailable: not found")], &[]);
    assert_eq!(verdict.label, "unknown");
    assert!(verdict.reasons.iter().any(|r| r.contains("ONNX Runtime unavailable")));
}

#[test]
fn no_predictions_at_all_is_unknown() {
    assert_eq!(consensus(&[], &[indicator("x", Severity::High)]).label, "unknown");
}
