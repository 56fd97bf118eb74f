//! PE parts read from the data directories: resources, signature, .NET.
use serde::{Deserialize, Serialize};

/// One resource leaf.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeResource {
    /// Type name (`RT_ICON`, `RT_VERSION`, ...) or the custom name/id.
    pub kind: String,
}

/// Authenticode signature facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeAuthenticode {
    /// The security directory is present and non-empty.
    pub present: bool,
}

/// .NET CLR header facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeClr {
    /// Runtime version string from the metadata root (e.g. `v4.0.30319`).
    pub runtime_version: Option<String>,
}
