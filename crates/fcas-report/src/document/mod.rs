//! What makes a document, shortcut or script dangerous: macros, DDE, remote templates,
//! embedded objects, PDF actions, shortcut targets, encoded payloads. One part per kind: the
//! common `document` part, and `pdf`, `lnk`, `script` beside it in the report.
use serde::{Deserialize, Serialize};

mod lnk;
mod office;
mod pdf;
mod script;
mod vba;

pub use lnk::*;
pub use office::*;
pub use pdf::*;
pub use script::*;
pub use vba::*;

/// The kind of document, as `document.kind` spells it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    /// Compound File Binary Office document (doc, xls, ppt, and their templates).
    #[default]
    Ole,
    /// Office Open XML (docx/docm, xlsx/xlsm/xlsb, pptx/pptm, templates).
    Ooxml,
    /// Rich Text Format.
    Rtf,
    /// PDF.
    Pdf,
    /// Windows shortcut.
    Lnk,
    /// OneNote section.
    Onenote,
    /// A script (PowerShell, VBScript, JScript, batch, HTA).
    Script,
}

impl DocumentKind {
    /// The contract name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ole => "ole",
            Self::Ooxml => "ooxml",
            Self::Rtf => "rtf",
            Self::Pdf => "pdf",
            Self::Lnk => "lnk",
            Self::Onenote => "onenote",
            Self::Script => "script",
        }
    }
}

/// The part every document analysis fills.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentReport {
    /// What kind of document this is.
    pub kind: DocumentKind,
    /// Whether its content is encrypted.
    pub encrypted: bool,
    /// The encryption scheme (`rc4`, `rc4-cryptoapi`, `standard`, `agile`, `xor`, `pdf-rc4`,
    /// `pdf-aes`, ...), when encrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<String>,
    /// VBA macros, when the document carries a VBA project.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vba: Option<VbaReport>,
    /// Excel 4.0 (XLM) macro sheets, when there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xlm: Option<XlmReport>,
    /// DDE fields and formulas: the field or formula text.
    pub dde: Vec<String>,
    /// Relationships that point outside the file (remote templates, OLE links, frames).
    pub external_relationships: Vec<ExternalRelationship>,
    /// Embedded objects and files (each also a child of the report when extraction is on).
    pub embedded: Vec<EmbeddedObject>,
    /// What was cut at a limit (`vba.source`, `xlm.formulas`, ...), so a reader knows the lists
    /// are not complete.
    pub truncated: Vec<String>,
}

/// An object or file embedded in a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbeddedObject {
    /// Its name (the OLE1 package's file name, the part or stream path, the PDF file spec).
    pub name: String,
    /// Its class (`Package`, `Equation.3`, `Excel.Sheet.12`, `EmbeddedFile`, ...), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// SHA-256 of the payload as extracted (the child's sha256).
    pub sha256: String,
    /// Payload size in bytes.
    pub size: u64,
}
