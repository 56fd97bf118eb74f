//! VBA projects: modules, their source, and what in it runs on its own or looks malicious.
use serde::{Deserialize, Serialize};

/// A document's VBA project.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VbaReport {
    /// The modules, in project order.
    pub modules: Vec<VbaModule>,
    /// Whether a module's compiled p-code disagrees with its source (VBA stomping).
    pub stomped: bool,
    /// String literals the compiled p-code of a module holds that its source never writes: the
    /// evidence for `stomped` (the source was replaced, the p-code still runs).
    pub pcode_strings_missing_from_source: Vec<VbaPcodeString>,
    /// Whether every module's p-code and whole source were read and compared; false means
    /// stomping was not determined for some module (a p-code layout FCAS does not read, a source
    /// cut at the limit), and `errors` says why.
    pub stomping_checked: bool,
    /// What could not be read in the project (a missing module stream, a malformed compressed
    /// container, modules past the limit); the modules listed are still what was found.
    pub errors: Vec<String>,
}

/// One VBA module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VbaModule {
    /// Module name.
    pub name: String,
    /// The OLE stream holding it.
    pub stream: String,
    /// Decompressed source (MS-OVBA), cut at the source limit (see `truncated`).
    pub source: String,
    /// Whether `source` was cut.
    pub truncated: bool,
    /// Auto-run triggers found (`AutoOpen`, `Document_Open`, `Workbook_Open`, ...).
    pub autoexec: Vec<String>,
    /// Suspicious keywords and obfuscation found (`Shell`, `CreateObject`, `Chr chain`, ...).
    pub suspicious: Vec<String>,
}

/// A string literal found in a module's compiled p-code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VbaPcodeString {
    /// The OLE stream of the module.
    pub stream: String,
    /// The literal as the p-code holds it (decoded in the project's code page).
    pub text: String,
}
