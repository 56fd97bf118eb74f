//! The consensus of the models' predictions. The rule is documented in `docs/MODELS.md`; keep the
//! two in step.
use fcas_report::{Indicator, Prediction, Severity, Verdict};

/// Disagreement (spread of calibrated scores) at or above which models are said to disagree
/// strongly: one model confidently on each side of its threshold.
pub const STRONG_DISAGREEMENT: f64 = 0.5;

/// Verdict labels.
pub mod label {
    /// Every model that ran agrees the file is benign, and no high-severity indicator says otherwise.
    pub const BENIGN: &str = "benign";
    /// Models disagree, a lone model is not sure enough, benign models meet high-severity
    /// indicators, or no model applies and high-severity indicators are present.
    pub const SUSPICIOUS: &str = "suspicious";
    /// The models agree the file is malicious.
    pub const MALICIOUS: &str = "malicious";
    /// No applicable model gave a score.
    pub const UNKNOWN: &str = "unknown";
}

/// Prediction labels.
pub mod prediction_label {
    /// Score at or above the decision threshold.
    pub const MALICIOUS: &str = "malicious";
    /// Score below the decision threshold.
    pub const BENIGN: &str = "benign";
    /// The model does not apply to this kind of file.
    pub const NOT_APPLICABLE: &str = "not_applicable";
    /// The model could not run; `reason` says why.
    pub const UNAVAILABLE: &str = "unavailable";
}

/// Maps a score onto 0..1 so that the model's decision threshold lands on 0.5 (piecewise
/// linear), which makes scores of models with different thresholds comparable.
pub fn calibrate(score: f64, threshold: f64) -> f64 {
    let score = score.clamp(0.0, 1.0);
    if score < threshold {
        0.5 * score / threshold
    } else if threshold < 1.0 {
        0.5 + 0.5 * (score - threshold) / (1.0 - threshold)
    } else {
        1.0
    }
}

struct Vote<'a> {
    prediction: &'a Prediction,
    score: f64,
    threshold: f64,
    calibrated: f64,
}

impl Vote<'_> {
    fn malicious(&self) -> bool {
        self.score >= self.threshold
    }

    fn describe(&self) -> String {
        let (word, op) = if self.malicious() { ("malicious", ">=") } else { ("benign", "<") };
        format!("{} says {word} ({:.4} {op} threshold {})", self.prediction.model, self.score, self.threshold)
    }
}

/// The consensus over `predictions`, weighing `indicators` of high severity.
pub fn consensus(predictions: &[Prediction], indicators: &[Indicator]) -> Verdict {
    let votes: Vec<Vote> = predictions
        .iter()
        .filter(|p| p.applicable)
        .filter_map(|p| {
            let (score, threshold) = (p.score?, p.threshold?);
            Some(Vote { prediction: p, score, threshold, calibrated: calibrate(score, threshold) })
        })
        .collect();
    let high: Vec<&str> = indicators.iter().filter(|i| i.severity == Severity::High).map(|i| i.id.as_str()).collect();
    let mut reasons = Vec::new();
    for p in predictions.iter().filter(|p| p.label == prediction_label::UNAVAILABLE) {
        reasons.push(format!("{} did not run: {}", p.model, p.reason.as_deref().unwrap_or("no reason given")));
    }

    if votes.is_empty() {
        let applicable = predictions.iter().any(|p| p.applicable);
        reasons.insert(
            0,
            if applicable {
                "no applicable model gave a score, so no verdict can be given".to_string()
            } else {
                "no model applies to this kind of file, so no verdict can be given".to_string()
            },
        );
        // Nothing scores a document, a shortcut or a script; what makes one dangerous (a macro
        // that runs on open, a DDE field, JavaScript run on open) is what its indicators say.
        let no_model_applies = !predictions.is_empty() && !applicable;
        if no_model_applies && !high.is_empty() {
            reasons[0] = "no model applies to this kind of file, so its indicators decide".to_string();
            reasons.push(format!("{} high-severity indicator(s) make it suspicious: {}", high.len(), high.join(", ")));
            return Verdict { label: label::SUSPICIOUS.into(), reasons, ..Verdict::default() };
        }
        if !high.is_empty() {
            reasons.push(format!("{} high-severity indicator(s) deserve a look: {}", high.len(), high.join(", ")));
        }
        return Verdict { label: label::UNKNOWN.into(), reasons, ..Verdict::default() };
    }

    let score = votes.iter().map(|v| v.calibrated).sum::<f64>() / votes.len() as f64;
    let highest = votes.iter().map(|v| v.calibrated).fold(f64::MIN, f64::max);
    let lowest = votes.iter().map(|v| v.calibrated).fold(f64::MAX, f64::min);
    let disagreement = highest - lowest;
    let strong_disagreement = disagreement >= STRONG_DISAGREEMENT;
    let malicious = votes.iter().filter(|v| v.malicious()).count();
    let benign = votes.len() - malicious;
    let described = votes.iter().map(Vote::describe).collect::<Vec<_>>().join("; ");

    let label = if malicious > 0 && benign > 0 {
        reasons.insert(0, format!("the models disagree: {described}"));
        if strong_disagreement {
            reasons.insert(1, format!("strong disagreement: calibrated scores {lowest:.2} to {highest:.2}"));
        }
        label::SUSPICIOUS
    } else if benign == 0 {
        let convicting = votes.len() >= 2 || votes.iter().any(|v| v.prediction.strict_threshold.is_some_and(|strict| v.score >= strict));
        if convicting {
            reasons.insert(0, format!("the models agree the file is malicious: {described}"));
            label::MALICIOUS
        } else {
            reasons.insert(
                0,
                format!(
                    "only one model scored the file and it is above its decision threshold but not above a stricter \
                     published threshold: {described}"
                ),
            );
            label::SUSPICIOUS
        }
    } else if !high.is_empty() {
        reasons.insert(0, format!("the models say benign: {described}"));
        reasons.insert(1, format!("but {} high-severity indicator(s) contradict them: {}", high.len(), high.join(", ")));
        label::SUSPICIOUS
    } else {
        reasons.insert(0, format!("the models agree the file is benign: {described}"));
        label::BENIGN
    };
    if label != label::BENIGN && !high.is_empty() && !reasons.iter().any(|r| r.contains("high-severity")) {
        reasons.push(format!("{} high-severity indicator(s) agree: {}", high.len(), high.join(", ")));
    }
    Verdict {
        label: label.into(),
        score: Some(score),
        disagreement: Some(disagreement),
        strong_disagreement,
        models: votes.iter().map(|v| v.prediction.model.clone()).collect(),
        reasons,
    }
}
