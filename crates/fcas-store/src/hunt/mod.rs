//! Retro-hunts as the store keeps them: a hunt (its rules, filter, status, checkpoint and
//! counts) and its matches. The runner that reads the vault and calls a matcher lives in
//! `fcas-scan` (`hunt.rs`); this module only records and answers.
mod query;
mod record;

use serde::Serialize;

pub use record::HuntBatch;

/// Where a hunt stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HuntStatus {
    /// Started and not finished (or its process was killed: resume it).
    Running,
    /// Stopped on request; resuming goes on from its checkpoint.
    Cancelled,
    /// Every sample was scanned.
    Done,
    /// Stopped by an error (its message says which).
    Failed,
}

impl HuntStatus {
    /// The name stored and printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Cancelled => "cancelled",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "running" => Self::Running,
            "cancelled" => Self::Cancelled,
            "done" => Self::Done,
            _ => Self::Failed,
        }
    }
}

/// What a new hunt runs and over which samples.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewHunt {
    /// The rule set's hash (names what ran).
    pub rules_hash: String,
    /// The rules' source text, or the paths they were read from.
    pub rules_source: String,
    /// Only samples first seen at or after this time (Unix seconds).
    pub since: Option<i64>,
    /// Only samples carrying this tag.
    pub tag: Option<String>,
}

/// A stored hunt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hunt {
    /// Its id.
    pub id: i64,
    /// When it was created and last updated (Unix seconds).
    pub created_at: i64,
    /// When it last committed a batch or changed status.
    pub updated_at: i64,
    /// The rule set's hash.
    pub rules_hash: String,
    /// The rules' source text or paths.
    pub rules_source: String,
    /// The first-seen filter (Unix seconds).
    pub since: Option<i64>,
    /// The tag filter.
    pub tag: Option<String>,
    /// Where it stands.
    pub status: HuntStatus,
    /// The last sample done, in sha256 order (`None` before the first batch).
    pub checkpoint: Option<String>,
    /// Samples scanned.
    pub scanned: u64,
    /// Samples with at least one match.
    pub matched: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Samples that could not be read or matched.
    pub errors: u64,
    /// The first errors, or why the hunt failed.
    pub message: String,
}

/// A sample a hunt will read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuntSample {
    /// Its SHA-256.
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// One stored match of a hunt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HuntMatch {
    /// The sample.
    pub sha256: String,
    /// What matched, as the matcher gave it.
    #[serde(flatten)]
    pub rule_match: fcas_report::RuleMatch,
}
