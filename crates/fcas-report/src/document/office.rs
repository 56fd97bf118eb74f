//! Office specifics beside VBA: Excel 4.0 macros and relationships that leave the file.
use serde::{Deserialize, Serialize};

/// Excel 4.0 (XLM) macro sheets and their formulas.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct XlmReport {
    /// The macro sheets.
    pub sheets: Vec<XlmSheet>,
    /// Formulas of the macro sheets, decoded where possible, in sheet and cell order.
    pub formulas: Vec<XlmFormula>,
}

/// One macro sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct XlmSheet {
    /// Sheet name.
    pub name: String,
    /// `visible`, `hidden` or `very_hidden`.
    pub visibility: String,
}

/// One formula of a macro sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct XlmFormula {
    /// Sheet name.
    pub sheet: String,
    /// Cell, A1 style.
    pub cell: String,
    /// The formula text (without a leading `=`); the token list where it could not be decoded.
    pub formula: String,
}

/// A relationship whose target is outside the file (`TargetMode="External"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExternalRelationship {
    /// Relationship type, the last segment of its URI (`attachedTemplate`, `oleObject`, `frame`,
    /// `hyperlink`, ...).
    #[serde(rename = "type")]
    pub kind: String,
    /// The target as written.
    pub target: String,
    /// The relationships part it is in (`word/_rels/settings.xml.rels`).
    pub part: String,
}
