use serde::{Deserialize, Serialize};

use crate::{PeAuthenticode, PeClr, PeResource};
use std::collections::BTreeMap;

/// PE structure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeReport {
    /// pefile's import hash; empty when no import yields a function.
    pub imphash: String,
    /// Sections in header order.
    pub sections: Vec<PeSection>,
    /// Imported DLLs and their functions.
    pub imports: Vec<PeImport>,
    /// Exported symbols.
    pub exports: Vec<PeExport>,
    /// Resources by type and language.
    pub resources: Vec<PeResource>,
    /// Version-info strings (`CompanyName`, `FileVersion`, ...).
    pub version_info: BTreeMap<String, String>,
    /// Authenticode signature, when the security directory is present.
    pub authenticode: Option<PeAuthenticode>,
    /// .NET CLR header, when present.
    pub clr: Option<PeClr>,
}

/// One section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeSection {
    /// Name from the raw 8 header bytes without trailing NULs (as pefile keeps it).
    pub name: String,
    /// Shannon entropy of the raw data.
    pub entropy: f64,
}

/// One imported DLL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeImport {
    /// DLL name as written in the file.
    pub dll: String,
    /// Function names; ordinals as pefile spells them for imphash (`ord123`).
    pub functions: Vec<String>,
}

/// One export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeExport {
    /// Name; `None` for ordinal-only exports.
    pub name: Option<String>,
}
