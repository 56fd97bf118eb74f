//! The FCAS report: the one serde type that crosses every boundary (CLI output, the case store,
//! the worker fleet's HTTP API and the desktop app's commands).
//!
//! Paths marked *contract* in `README.md` are public: scripts of users depend on them. Changing
//! one needs a new [`SCHEMA_VERSION`]. Everything else may grow, but only by adding fields with
//! `#[serde(default)]`, so that older stored reports still deserialize.
#![deny(missing_docs)]

mod code;
mod elf;
mod identity;
mod indicator;
mod macho;
mod pe;
mod pe_extra;
mod prediction;
mod strings;

pub use code::*;
pub use elf::*;
pub use identity::*;
pub use indicator::*;
pub use macho::*;
pub use pe::*;
pub use pe_extra::*;
pub use prediction::*;
pub use strings::*;

use serde::{Deserialize, Serialize};

/// Version of the report layout. Bumped when a contract path changes meaning or shape.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything FCAS learned about one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Report {
    /// Layout version, see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Version of the engine that produced the report.
    pub engine_version: String,
    /// Path as the analyst gave it (lossy UTF-8 for non-UTF-8 names).
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Detected format: `pe`, `elf`, `macho` or a non-executable type.
    pub format: Format,
    /// Human description and MIME type of the detected format.
    pub file_type: FileType,
    /// Cryptographic and fuzzy hashes.
    pub hashes: Hashes,
    /// Shannon entropy of the whole file, bits per byte.
    pub entropy: f64,
    /// Entropy over offset, a bounded number of points for charts.
    pub entropy_profile: Vec<EntropyPoint>,
    /// Count of each byte value (256 entries).
    pub byte_histogram: Vec<u64>,
    /// EMBER v2 byte-entropy histogram (256 entries, normalised to sum 1).
    pub byte_entropy_histogram: Vec<f32>,
    /// Printable strings and indicators of compromise found in them.
    pub strings: StringsReport,
    /// PE structure, when the file is a PE.
    pub pe: Option<PeReport>,
    /// ELF structure, when the file is an ELF.
    pub elf: Option<ElfReport>,
    /// Mach-O structure (every slice of a fat file), when the file is a Mach-O.
    pub macho: Option<MachoReport>,
    /// Facts derived from disassembly (x86 and x64 only).
    pub code: Option<CodeReport>,
    /// Findings worth an analyst's attention.
    pub indicators: Vec<Indicator>,
    /// Each model's prediction (filled outside the engine, by the models crate).
    pub predictions: Vec<Prediction>,
    /// The ensemble's consensus; `None` when predictions were not requested.
    pub verdict: Option<Verdict>,
    /// Where and how the report was produced.
    pub provenance: Provenance,
    /// Failures of individual analysis stages; the rest of the report is still valid.
    pub errors: Vec<StageError>,
}

/// One analysis stage that failed or stopped at a limit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageError {
    /// Stage name: `input`, `hashes`, `entropy`, `strings`, `pe`, `elf`, `macho`, `code`, ...
    pub stage: String,
    /// What went wrong, for a person.
    pub message: String,
}

impl StageError {
    /// A new error for `stage`.
    pub fn new(stage: impl Into<String>, message: impl Into<String>) -> Self {
        Self { stage: stage.into(), message: message.into() }
    }
}

/// Where a report was produced and how long it took.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Provenance {
    /// `local`, or the worker's identity when a fleet worker produced it.
    pub worker: Option<String>,
    /// Wall time of the analysis in milliseconds.
    pub analysis_ms: f64,
    /// Per-stage wall time in milliseconds, in the order the stages ran.
    pub stage_ms: Vec<StageTiming>,
}

/// Wall time of one stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageTiming {
    /// Stage name.
    pub stage: String,
    /// Milliseconds.
    pub ms: f64,
}
