use serde::{Deserialize, Serialize};

/// One model's judgement of the file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prediction {
    /// Model id (`malconv-ember`, `ember2018-lgbm`, or a user model's id).
    pub model: String,
    /// Model version from its manifest.
    pub version: String,
    /// P(malicious) in 0..1; `None` when the model did not run.
    pub score: Option<f64>,
    /// The threshold the label was taken at (a published false-positive-rate point).
    pub threshold: Option<f64>,
    /// The model's stricter published threshold (e.g. the 0.1% false-positive-rate point), when it
    /// has one; a lone model needs it to call a file `malicious` on its own.
    pub strict_threshold: Option<f64>,
    /// `malicious`, `benign`, `not_applicable` or `unavailable`.
    pub label: String,
    /// Whether the model applies to this kind of file (MalConv and EMBER: PE only).
    pub applicable: bool,
    /// Why the model did not run or its score is unavailable.
    pub reason: Option<String>,
    /// What drove the score, where the model can say.
    pub explanation: Option<Explanation>,
    /// Wall time of this model's inference (input preparation included), in milliseconds.
    pub ms: Option<f64>,
}

/// What drove a model's score.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Explanation {
    /// Byte regions that contributed most, strongest first.
    pub regions: Vec<ExplainedRegion>,
    /// How the regions were chosen, for a person.
    pub method: String,
}

/// A byte region and how much it contributed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExplainedRegion {
    /// File offset.
    pub offset: u64,
    /// Length in bytes.
    pub length: u64,
    /// Relative contribution (0..1, strongest = 1).
    pub weight: f64,
}

/// The ensemble's consensus over every applicable model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Verdict {
    /// `benign`, `suspicious`, `malicious` or `unknown`.
    pub label: String,
    /// Combined score in 0..1; `None` when no model applied.
    pub score: Option<f64>,
    /// Spread between the applicable models' calibrated scores (0 = agree, 1 = opposite).
    pub disagreement: Option<f64>,
    /// True when the models' calibrated scores are far apart (see `docs/MODELS.md`).
    pub strong_disagreement: bool,
    /// Ids of the models whose scores the verdict rests on.
    pub models: Vec<String>,
    /// Why the verdict is what it is, one sentence each.
    pub reasons: Vec<String>,
}
