//! The FCAS report: the one serde type that crosses every boundary (CLI output, the case store,
//! the worker fleet's HTTP API and the desktop app's commands).
//!
//! Paths marked *contract* in `README.md` are public: scripts of users depend on them. Changing
//! one needs a new [`SCHEMA_VERSION`]. Everything else may grow, but only by adding fields with
//! `#[serde(default)]`, so that older stored reports still deserialize.
#![deny(missing_docs)]

mod code;
mod document;
mod elf;
mod extraction;
mod hex;
mod identity;
mod indicator;
mod known;
mod macho;
mod options;
mod packed;
mod pe;
mod pe_extra;
mod prediction;
mod rules;
pub mod stage;
mod strings;
mod submission;

pub use code::*;
pub use document::*;
pub use elf::*;
pub use extraction::*;
pub use hex::hex;
pub use identity::*;
pub use indicator::*;
pub use known::Known;
pub use macho::*;
pub use options::AnalysisOptions;
pub use packed::{PackError, PackedReport};
pub use pe::*;
pub use pe_extra::*;
pub use prediction::*;
pub use rules::*;
pub use strings::*;
pub use submission::{kept_error, Submission};

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
    /// What makes a document, shortcut or script dangerous; `None` for other files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentReport>,
    /// PDF keywords, scripts and links, when the file is a PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf: Option<PdfReport>,
    /// The shortcut's target and origin, when the file is a Windows shortcut.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lnk: Option<LnkReport>,
    /// The script's language and decoded payloads, when the file is a script.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<ScriptReport>,
    /// What the YARA rules said; `None` when no rule set ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<RulesReport>,
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
    /// What opening this file as a container gave; `None` when it is not a container.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extraction: Option<Extraction>,
    /// The children that came out of it, in container order (each has a report of its own).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ChildRef>,
    /// The containers this file was found in, from the submitted file down to its parent; empty
    /// for a submitted file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lineage: Vec<LineageStep>,
    /// Only between an analysis process and its caller (the isolated child's answer, a
    /// worker's `/v1/analyze` answer): the reports of everything found inside, so one answer
    /// carries a whole [`Submission`]. Empty everywhere else: the store and `--jsonl` hold each
    /// descendant as a report of its own. Older callers ignore it and get the root report.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub descendants: Vec<Report>,
    /// The imported lists of known files that name this file by its MD5, SHA-1 or SHA-256.
    /// Filled by the case store when it reads a report (never stored in the report body).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub known: Vec<Known>,
}

impl Report {
    /// Records `origin` on this report and on the descendants it carries (a wire answer, see
    /// [`Report::descendants`]).
    pub fn set_origin_with_descendants(&mut self, origin: &Origin) {
        self.provenance.set_origin(origin.clone());
        for descendant in &mut self.descendants {
            descendant.provenance.set_origin(origin.clone());
        }
    }

    /// The report of a file that got no analysis: only its path and the error of `stage`
    /// (see [`stage::FATAL`]) saying why.
    pub fn failed(path: impl Into<String>, stage: &str, message: impl Into<String>) -> Self {
        Self { schema_version: SCHEMA_VERSION, path: path.into(), errors: vec![StageError::new(stage, message)], ..Self::default() }
    }

    /// The first error that means the file got no analysis at all, if any.
    pub fn fatal_error(&self) -> Option<&StageError> {
        self.errors.iter().find(|e| stage::FATAL.contains(&e.stage.as_str()))
    }

    /// The models its predictions came from, and the rule set that ran (a `rules=<id>` pair),
    /// see [`models_version_of`].
    pub fn models_version(&self) -> String {
        let rules = self.provenance.rules.as_deref().filter(|id| !id.is_empty()).map(|id| (RULES_VERSION_KEY, id));
        models_version_of(self.predictions.iter().map(|p| (p.model.as_str(), p.version.as_str())).chain(rules))
    }

    /// Whether some stage panicked (a bug; see [`stage::PANIC_MARKER`]).
    pub fn has_panic(&self) -> bool {
        self.errors.iter().any(|e| stage::is_panic(&e.message))
    }
}

/// The models version of a set of `(model, version)` pairs: `model=version` pairs sorted and
/// joined by commas (empty without models). Two reports with the same engine version and the
/// same models version are the same analysis, so a stored one may be reused.
pub fn models_version_of<'a>(models: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut models: Vec<String> = models.map(|(model, version)| format!("{model}={version}")).collect();
    models.sort();
    models.dedup();
    models.join(",")
}

/// The name under which the YARA rule set takes part in a models version (`rules=<id>`): a
/// changed rule set is a different analysis, as a changed model is.
pub const RULES_VERSION_KEY: &str = "rules";

/// `version` (a models version) keeping what an analysis with these options runs: without the
/// models' pairs when `no_models`, without the rule set's when `no_rules`.
pub fn models_version_for(version: &str, no_models: bool, no_rules: bool) -> String {
    let rules_prefix = format!("{RULES_VERSION_KEY}=");
    let kept: Vec<&str> = version
        .split(',')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| if pair.starts_with(&rules_prefix) { !no_rules } else { !no_models })
        .collect();
    kept.join(",")
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
    /// Which kind of analyser produced the report; `None` in reports older than this field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Wall time of the analysis in milliseconds.
    pub analysis_ms: f64,
    /// Per-stage wall time in milliseconds, in the order the stages ran.
    pub stage_ms: Vec<StageTiming>,
    /// The rule set the rules stage ran (the SHA-256 of its sources, see `fcas rules list`);
    /// `None` when no rules ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
}

/// The kind of analyser that produced a report. Serialised as `{"kind": "...", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// In the process that asked for it (`fcas scan`).
    InProcess,
    /// In an isolated analysis process on the same machine (the desktop app).
    IsolatedChild,
    /// On a fleet worker.
    Worker {
        /// The worker's identity (also in `provenance.worker`).
        id: String,
    },
    /// On this machine because the fleet could not analyse it.
    LocalFallback {
        /// Why the fleet was not used.
        reason: String,
    },
}

impl Provenance {
    /// Records where the report came from: `origin`, and `worker` as the contract spells it
    /// (the worker's id, or `local` for a fleet fallback).
    pub fn set_origin(&mut self, origin: Origin) {
        match &origin {
            Origin::Worker { id } => self.worker = Some(id.clone()),
            Origin::LocalFallback { .. } => self.worker = Some(LOCAL_FALLBACK_WORKER.to_string()),
            Origin::InProcess | Origin::IsolatedChild => {}
        }
        self.origin = Some(origin);
    }
}

/// `provenance.worker` of a report made on the analyst's machine because the fleet could not
/// analyse it.
pub const LOCAL_FALLBACK_WORKER: &str = "local";

/// Wall time of one stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageTiming {
    /// Stage name.
    pub stage: String,
    /// Milliseconds.
    pub ms: f64,
}

#[cfg(test)]
mod rules_version_tests {
    use super::*;

    #[test]
    fn the_rule_set_takes_part_in_the_models_version() {
        let mut report = Report {
            predictions: vec![Prediction { model: "malconv".into(), version: "2".into(), ..Prediction::default() }],
            ..Report::default()
        };
        assert_eq!(report.models_version(), "malconv=2");
        report.provenance.rules = Some("abc".into());
        assert_eq!(report.models_version(), "malconv=2,rules=abc");
        assert_eq!(models_version_for("malconv=2,rules=abc", false, false), "malconv=2,rules=abc");
        assert_eq!(models_version_for("malconv=2,rules=abc", true, false), "rules=abc");
        assert_eq!(models_version_for("malconv=2,rules=abc", false, true), "malconv=2");
        assert_eq!(models_version_for("malconv=2,rules=abc", true, true), "");
    }
}
