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
    /// Indicators of compromise, one per distinct (kind, value), in order of first offset.
    pub iocs: Vec<Ioc>,
    /// True when distinct IOCs past the cap were left out.
    pub iocs_truncated: bool,
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
    /// File offset of the first occurrence: the offset of the string it came from plus its
    /// position in that string, in bytes of the file.
    pub offset: u64,
    /// Number of occurrences in the file.
    pub count: u64,
    /// Where it was found when not in the file's own strings: `document` for text the document
    /// analysis decoded (macro source, a PDF script, shortcut arguments, a decoded payload).
    /// `offset` is then 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}
