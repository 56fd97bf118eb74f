use serde::{Deserialize, Serialize};

/// ELF structure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ElfReport {
    /// Needed libraries (`DT_NEEDED`), in file order.
    pub libraries: Vec<String>,
}
