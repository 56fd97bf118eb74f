//! FCAS analysis engine: bytes in, [`Report`] out.
//!
//! The engine does no network, database or model work, and it never fails as a whole: a stage
//! that cannot do its job records a [`fcas_report::StageError`] and the other stages still run.
//! Every stage is bounded by [`Limits`]; none may panic, hang or allocate without bound on any
//! input (a panic that slips through is caught and reported as that stage's error).
#![deny(missing_docs)]

pub mod code;
mod documents;
pub mod entropy;
pub mod features;
pub mod formats;
pub mod hashes;
pub mod identity;
pub mod indicators;
mod input;
mod limits;
mod locate;
mod parallel;
mod pipeline;
mod stage;
pub mod strings;
mod submission;

pub use fcas_extract as extract;
pub use fcas_report::{self as report, Report};
pub use input::{InputError, MappedInput, OpenedFile};
pub use limits::{Deadline, Limits};
pub use locate::{for_each_descendant, locate, LocateError};
pub use pipeline::{
    analyze_bytes, analyze_bytes_with, analyze_opened, analyze_path, analyze_path_with, input_failure, ExtraStage, Options,
};
pub use submission::{analyze_submission, analyze_submission_with, sha256_hex, submission_of_bytes};

/// Version of the engine, written into every report.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
