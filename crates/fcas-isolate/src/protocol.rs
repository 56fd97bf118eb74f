//! One JSON object per line in each direction.
use fcas_report::Report;
use serde::{Deserialize, Serialize};

/// Analyse one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    /// Correlates the answer with the question (answers of a killed child are never reused).
    pub id: u64,
    /// The file to analyse.
    pub path: String,
    /// Refuse files larger than this many bytes (0: the engine's default).
    pub max_size: u64,
    /// Skip disassembly.
    pub no_disasm: bool,
    /// Skip model predictions.
    pub no_models: bool,
}

/// The report for one request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Response {
    /// The request's id.
    pub id: u64,
    /// The report.
    pub report: Report,
}
