//! What opening a container gave: its status, the limits it met, and its children.
//!
//! A container's report holds [`Extraction`] and one [`ChildRef`] per child; every child is a
//! full report of its own whose [`LineageStep`]s name the containers it was found in, from the
//! submitted file down (`sample.zip!inner.7z!a.exe`).
use serde::{Deserialize, Serialize};

/// The separator of a descendant's display path: `sample.zip!inner.7z!a.exe`.
pub const PATH_SEPARATOR: char = '!';

/// How far a container was opened.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtractionStatus {
    /// Every entry came out (some may be listed in `skipped` or `limits_hit`).
    #[default]
    Opened,
    /// No password of the list opened it; the entries are listed where the headers are readable.
    Encrypted,
    /// Some entries came out, then the container turned out to be damaged.
    Partial,
    /// Nothing came out: the container is damaged or uses a feature FCAS does not read.
    Failed,
    /// A container format FCAS identifies but does not open (the message says why).
    Unsupported,
    /// Not opened because of a limit (depth, the submission's budget) or because extraction was
    /// turned off.
    NotOpened,
}

impl ExtractionStatus {
    /// The contract name, as the report's JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Opened => "opened",
            Self::Encrypted => "encrypted",
            Self::Partial => "partial",
            Self::Failed => "failed",
            Self::Unsupported => "unsupported",
            Self::NotOpened => "not_opened",
        }
    }
}

/// The result of opening one container.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Extraction {
    /// How far it was opened.
    pub status: ExtractionStatus,
    /// The container format that was read (`zip`, `sevenzip`, `iso9660`, `pe-overlay`, ...).
    pub format: String,
    /// The password of the list that opened it; `None` when none was needed.
    pub password: Option<String>,
    /// Every limit met, with what it left out.
    pub limits_hit: Vec<LimitHit>,
    /// Entries that did not come out, each with the reason.
    pub skipped: Vec<SkippedEntry>,
    /// Entries listed from readable headers when the content could not be decrypted.
    pub entries: Vec<ListedEntry>,
    /// Why the container is damaged, unsupported or not opened.
    pub message: Option<String>,
    /// Wall time of the extraction, milliseconds (children's analyses not included).
    pub ms: f64,
}

/// One limit met while opening a container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LimitHit {
    /// The limit's name, as in `limits.rs` and the README (`max_depth`, `max_children`, ...).
    pub limit: String,
    /// What it left out, for a person.
    pub detail: String,
}

/// An entry that did not come out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SkippedEntry {
    /// Its name inside the container.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// An entry listed without its content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListedEntry {
    /// Its name inside the container.
    pub name: String,
    /// Its size once decoded, as the headers say.
    pub size: u64,
    /// Whether it is encrypted.
    pub encrypted: bool,
}

/// One child of a container, as its parent's report lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChildRef {
    /// Its name inside the container.
    pub name: String,
    /// SHA-256 of its content.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its detected format (`pe`, `zip`, ...).
    pub format: String,
    /// The ensemble's label for it (`malicious`, `suspicious`, `benign`, `unknown`), when models ran.
    pub verdict: Option<String>,
    /// Its content already came out earlier in the same submission, so it was not analysed again.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub duplicate: bool,
}

impl ChildRef {
    /// What a container lists of its child `name`, whose own report is `report`.
    pub fn of(name: &str, report: &crate::Report) -> Self {
        Self {
            name: name.to_string(),
            sha256: report.hashes.sha256.clone(),
            size: report.size,
            format: report.format.as_str().to_string(),
            verdict: report.verdict.as_ref().map(|v| v.label.clone()),
            duplicate: false,
        }
    }
}

/// One container on the way from the submitted file down to a descendant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineageStep {
    /// The container's SHA-256.
    pub sha256: String,
    /// Its name: the submitted file's path for the first step, the name inside its parent after.
    pub name: String,
}

/// The display path of a descendant: its ancestors' names and its own, joined by `!`.
pub fn lineage_path(lineage: &[LineageStep], name: &str) -> String {
    let mut path = String::new();
    for step in lineage {
        path.push_str(&step.name);
        path.push(PATH_SEPARATOR);
    }
    path.push_str(name);
    path
}
