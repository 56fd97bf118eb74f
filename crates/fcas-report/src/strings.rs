use serde::{Deserialize, Serialize};

/// Strings found in the file and the indicators of compromise extracted from them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StringsReport {
    /// Strings in file order, at most the configured cap.
    pub items: Vec<FoundString>,
    /// Number of strings found, including those past the cap.
    pub total: u64,
    /// True when `items` stopped at the cap.
    pub truncated: bool,
    /// Indicators of compromise, with the offset where each was found.
    pub iocs: Vec<Ioc>,
}

/// One printable run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FoundString {
    /// File offset of the first byte.
    pub offset: u64,
    /// `ascii` or `utf16le`.
    pub encoding: String,
    /// The text.
    pub value: String,
}

/// One indicator of compromise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Ioc {
    /// `url`, `domain`, `ipv4`, `ipv6`, `email`, `registry_key`, `windows_path`, `unix_path`,
    /// `btc_address`, `eth_address`, `xmr_address`, `base64`.
    pub kind: String,
    /// The matched text.
    pub value: String,
    /// File offset of the string the match came from plus its position in it.
    pub offset: u64,
}
