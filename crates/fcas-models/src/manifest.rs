//! A model's manifest: what it is, where it came from, what it takes and how to read its score.
use std::path::Path;

use serde::{Deserialize, Serialize};

/// What a model's input is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// The file's bytes as int64 indices 0..255, padded with a padding symbol (MalConv style).
    RawBytes,
    /// The EMBER feature vector, version 2 (2381 float32 values).
    EmberV2,
}

impl InputKind {
    /// Every known kind, as written in manifests.
    pub const NAMES: &'static [&'static str] = &["raw_bytes", "ember_v2"];

    /// The kind written as `name` in a manifest.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "raw_bytes" => Some(Self::RawBytes),
            "ember_v2" => Some(Self::EmberV2),
            _ => None,
        }
    }

    /// The name used in manifests.
    pub fn name(self) -> &'static str {
        match self {
            Self::RawBytes => "raw_bytes",
            Self::EmberV2 => "ember_v2",
        }
    }
}

/// How a threshold is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdRole {
    /// The label (`malicious` / `benign`) is taken at this threshold.
    Decision,
    /// A stricter point (lower false-positive rate); a lone model must reach it to convict.
    Strict,
    /// Documented only.
    Info,
}

/// One published operating point of a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    /// Short name (`fpr_1pct`).
    pub name: String,
    /// Score at or above which the file counts as malicious.
    pub value: f64,
    /// How the ensemble uses it.
    pub role: ThresholdRole,
    /// Where the value comes from and what it means.
    pub meaning: String,
}

/// Where a model's weights come from, so that `make models` can reproduce it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Source {
    /// Package registry (`pypi`).
    pub registry: String,
    /// Package name.
    pub package: String,
    /// Exact package version.
    pub version: String,
    /// File name of the package (the wheel).
    pub file: String,
    /// sha256 of that file.
    pub file_sha256: String,
    /// Path of the weights inside the package.
    pub path: String,
    /// sha256 of the weights.
    pub path_sha256: String,
    /// Licence of the weights.
    pub licence: String,
    /// Script (relative to the model's folder) that converts the weights to ONNX.
    pub converter: String,
    /// Python version pip must pretend to be to fetch the package (its wheel may require an
    /// older Python than the venv's), when needed.
    pub pip_python_version: Option<String>,
}

/// Input preparation of a raw-bytes model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RawBytesInput {
    /// Bytes the model reads at most (the rest of the file is ignored).
    pub max_len: usize,
    /// Index of the padding symbol.
    pub pad_value: i64,
    /// Window (kernel and stride) of the first convolution. When set, the input is padded only to
    /// one full padding window past the data: a strided convolution followed by a global max-pool
    /// gives the same result as padding to `max_len`, much faster. When absent, the input is
    /// padded to `max_len`.
    pub window: Option<usize>,
}

/// Names of the graph's input and outputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Io {
    /// Input tensor name.
    pub input: String,
    /// Output tensor holding the score.
    pub score_output: String,
    /// Index of P(malicious) in the score output's last axis (1 for `probabilities` [N, 2]).
    #[serde(default)]
    pub score_index: usize,
    /// Output naming, per channel, the window that won the global max-pool (raw-bytes models).
    #[serde(default)]
    pub window_argmax_output: Option<String>,
    /// Output giving each channel's contribution to the score (raw-bytes models).
    #[serde(default)]
    pub channel_contributions_output: Option<String>,
}

/// A score the model must give on a known input, checked by `make models` and the tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceOutput {
    /// File path, relative to the repository root: the input file itself, or a JSON file that
    /// holds the input vector (see `vector_json_pointer`).
    pub file: String,
    /// For vector models: JSON pointer (RFC 6901) of the input vector inside `file`.
    #[serde(default)]
    pub vector_json_pointer: Option<String>,
    /// sha256 of that file.
    pub sha256: String,
    /// The reference implementation's score.
    pub score: f64,
    /// Largest accepted difference.
    pub tolerance: f64,
}

/// A model's manifest (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Stable id (`malconv-ember`), used in `predictions[].model`.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Version written into `predictions[].version`.
    pub version: String,
    /// What the input is made from; see [`InputKind::NAMES`]. Kept as text so that an unknown
    /// kind gives a clear message instead of a parse error.
    pub input_kind: String,
    /// ONNX file name, relative to the models folder.
    pub onnx_file: String,
    /// sha256 of the ONNX file.
    pub onnx_sha256: String,
    /// Licence of the model (weights and conversion).
    pub licence: String,
    /// Formats the model applies to (`pe`, `elf`, `macho`, or `any`).
    pub formats: Vec<String>,
    /// Published operating points; exactly one has the role `decision`.
    pub thresholds: Vec<Threshold>,
    /// Graph input and outputs.
    pub io: Io,
    /// Input preparation, for `raw_bytes` models.
    #[serde(default)]
    pub raw_bytes: Option<RawBytesInput>,
    /// Where the weights come from.
    #[serde(default)]
    pub source: Source,
    /// What is published about the model's quality, for a person.
    #[serde(default)]
    pub published: String,
    /// Scores the model must reproduce.
    #[serde(default)]
    pub reference_outputs: Vec<ReferenceOutput>,
}

/// Why a manifest cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file cannot be read.
    #[error("cannot read the manifest {path}: {source}")]
    Read {
        /// Manifest path.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The file is not a valid manifest.
    #[error("invalid manifest {path}: {source}")]
    Parse {
        /// Manifest path.
        path: String,
        /// Cause.
        source: serde_json::Error,
    },
    /// A field has a value the registry cannot use.
    #[error("manifest of model `{id}` is not usable: {reason}")]
    Invalid {
        /// Model id.
        id: String,
        /// What is wrong.
        reason: String,
    },
}

/// Largest manifest read; a real one is a few kilobytes.
const MAX_MANIFEST_BYTES: u64 = 1 << 20;
/// Largest raw-bytes input a manifest may ask for (8 MiB: a 64 MiB int64 tensor).
const MAX_RAW_LEN: usize = 8 << 20;
/// Formats a manifest may name.
const FORMATS: &[&str] = &["pe", "elf", "macho", "any"];

impl Manifest {
    /// Reads and validates the manifest at `path`.
    pub fn read(path: &Path) -> Result<Self, ManifestError> {
        let shown = path.display().to_string();
        let size = std::fs::metadata(path).map_err(|source| ManifestError::Read { path: shown.clone(), source })?.len();
        if size > MAX_MANIFEST_BYTES {
            let source = std::io::Error::other(format!("{size} bytes is larger than the {MAX_MANIFEST_BYTES}-byte limit"));
            return Err(ManifestError::Read { path: shown, source });
        }
        let text = std::fs::read(path).map_err(|source| ManifestError::Read { path: shown.clone(), source })?;
        let manifest: Manifest = serde_json::from_slice(&text).map_err(|source| ManifestError::Parse { path: shown, source })?;
        manifest.validate()?;
        Ok(manifest)
    }

    /// Checks every field the registry relies on.
    pub fn validate(&self) -> Result<(), ManifestError> {
        let invalid = |reason: String| Err(ManifestError::Invalid { id: self.id.clone(), reason });
        if self.id.is_empty() || !self.id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            return invalid("the id must be non-empty ASCII letters, digits, `-`, `_` or `.`".into());
        }
        let Some(kind) = InputKind::parse(&self.input_kind) else {
            return invalid(format!("unknown input kind `{}` (known: {})", self.input_kind, InputKind::NAMES.join(", ")));
        };
        if self.onnx_file.is_empty() || Path::new(&self.onnx_file).components().count() != 1 {
            return invalid(format!("onnx_file `{}` must be a plain file name", self.onnx_file));
        }
        if self.onnx_sha256.len() != 64 || !self.onnx_sha256.chars().all(|c| c.is_ascii_hexdigit()) {
            return invalid("onnx_sha256 must be 64 hexadecimal digits".into());
        }
        if let Some(format) = self.formats.iter().find(|f| !FORMATS.contains(&f.as_str())) {
            return invalid(format!("unknown format `{format}` (known: {})", FORMATS.join(", ")));
        }
        if let Some(t) = self.thresholds.iter().find(|t| !(t.value > 0.0 && t.value < 1.0)) {
            return invalid(format!("threshold `{}` = {} is not inside (0, 1)", t.name, t.value));
        }
        if self.thresholds.iter().filter(|t| t.role == ThresholdRole::Decision).count() != 1 {
            return invalid("exactly one threshold must have the role `decision`".into());
        }
        match (kind, &self.raw_bytes) {
            (InputKind::RawBytes, None) => invalid("a raw_bytes model needs a `raw_bytes` section".into()),
            (InputKind::RawBytes, Some(raw)) if raw.max_len == 0 || raw.max_len > MAX_RAW_LEN || raw.window == Some(0) => {
                invalid(format!("raw_bytes.max_len must be 1..={MAX_RAW_LEN} and raw_bytes.window positive"))
            }
            _ => Ok(()),
        }
    }

    /// The input kind (valid once [`Manifest::validate`] passed).
    pub fn kind(&self) -> Option<InputKind> {
        InputKind::parse(&self.input_kind)
    }

    /// The threshold the label is taken at.
    pub fn decision_threshold(&self) -> Option<f64> {
        self.threshold(ThresholdRole::Decision)
    }

    /// The stricter threshold, if published.
    pub fn strict_threshold(&self) -> Option<f64> {
        self.threshold(ThresholdRole::Strict)
    }

    fn threshold(&self, role: ThresholdRole) -> Option<f64> {
        self.thresholds.iter().find(|t| t.role == role).map(|t| t.value)
    }

    /// Whether the model applies to files of `format` (`pe`, `elf`, ...).
    pub fn applies_to(&self, format: &str) -> bool {
        self.formats.iter().any(|f| f == "any" || f == format)
    }
}
