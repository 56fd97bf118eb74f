use serde::{Deserialize, Serialize};

/// Mach-O structure: one entry per slice (a thin file has one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoReport {
    /// Slices in file order.
    pub slices: Vec<MachoSlice>,
}

/// One architecture slice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MachoSlice {
    /// CPU type name (`x86_64`, `arm64`, ...).
    pub cpu: String,
    /// Linked libraries.
    pub libraries: Vec<String>,
}
