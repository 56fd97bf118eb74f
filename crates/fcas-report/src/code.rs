use serde::{Deserialize, Serialize};

/// Facts derived from disassembly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodeReport {
    /// `x86` or `x64`.
    pub arch: String,
    /// Number of functions discovered.
    pub function_count: u64,
    /// Number of instructions decoded.
    pub instruction_count: u64,
}
