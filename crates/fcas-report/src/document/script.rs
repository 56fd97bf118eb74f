//! Scripts: the language, payloads decoded from them, and signs of obfuscation.
use serde::{Deserialize, Serialize};

/// A script's analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScriptReport {
    /// `powershell`, `vbscript`, `jscript`, `batch` or `hta` (from the words it uses), or
    /// `unknown` when none of their markers is found.
    pub language: String,
    /// Payloads decoded from it (Base64 blobs, `-EncodedCommand`).
    pub decoded: Vec<DecodedPayload>,
    /// Signs of obfuscation found, each once (`chr-chain`, `string-concatenation`,
    /// `char-cast-join`, `backtick-escape`, `caret-escape`, `substring-variable`,
    /// `dynamic-evaluation`, `long-encoded-run`).
    pub obfuscation: Vec<ObfuscationSign>,
    /// URLs found in the script and its decoded payloads.
    pub urls: Vec<String>,
}

/// One sign of obfuscation and how often it was seen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObfuscationSign {
    /// Which sign (see [`ScriptReport::obfuscation`]).
    pub sign: String,
    /// How many times it was seen.
    pub count: u64,
    /// Offset of the first occurrence.
    pub offset: u64,
}

/// One payload decoded from a script.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecodedPayload {
    /// How it was encoded (`base64`, `powershell-encodedcommand`, ...).
    pub encoding: String,
    /// Offset of the encoded text in the script.
    pub offset: u64,
    /// SHA-256 of the decoded bytes.
    pub sha256: String,
    /// Size of the decoded bytes.
    pub size: u64,
    /// A readable excerpt of the decoded text, when it is text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// What the decoded bytes are, when they are a file (`pe`, `zip`, `script`, `gzip`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_type: Option<String>,
}
