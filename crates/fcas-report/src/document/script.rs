//! Scripts: the language, payloads decoded from them, and signs of obfuscation.
use serde::{Deserialize, Serialize};

/// A script's analysis.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScriptReport {
    /// `powershell`, `vbscript`, `jscript`, `batch` or `hta`.
    pub language: String,
    /// Payloads decoded from it (Base64 blobs, `-EncodedCommand`).
    pub decoded: Vec<DecodedPayload>,
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
}
