use serde::{Deserialize, Serialize};

/// How much an indicator matters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Context only.
    #[default]
    Info,
    /// Common in benign files too.
    Low,
    /// Worth a look.
    Medium,
    /// Typical of malware.
    High,
}

impl Severity {
    /// The contract name (`info`, `low`, `medium`, `high`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// A finding worth an analyst's attention.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Indicator {
    /// Stable identifier, e.g. `pe.packer.upx`.
    pub id: String,
    /// Severity.
    pub severity: Severity,
    /// One line for a person.
    pub title: String,
    /// Where it was seen.
    pub evidence: Vec<Evidence>,
    /// MITRE ATT&CK technique id where one fits (`T1027.002`).
    pub attack_id: Option<String>,
}

/// Where an indicator was seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Evidence {
    /// File offset.
    pub offset: Option<u64>,
    /// Section name.
    pub section: Option<String>,
    /// API (`kernel32.dll!VirtualAllocEx`).
    pub api: Option<String>,
    /// Free text (a value, a count).
    pub detail: Option<String>,
}
