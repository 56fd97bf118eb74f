//! The one scan path of FCAS, shared by `fcas scan`, the desktop app and connected mode.
//!
//! Targets (paths now; children of containers next) go in; each is opened through the engine's
//! safe input, reused when the case store holds a report of the same content from the same
//! engine and models, otherwise analysed by the [`Analyser`] the configuration chose (in
//! process, an isolated child pool, or the worker fleet with its fallback policy), stored
//! through the durable queue, with typed progress events. Front ends keep only their option
//! parsing and presentation.
#![deny(missing_docs)]

mod analyser;
pub mod events;
pub mod hunt;
pub mod hunt_rules;
mod keep;
pub mod parallel;
mod remote;
mod samples;
mod service;
pub mod targets;

pub use analyser::{find_analysis_program, worker_args, Analyser, IsolationLimits, Versions, ANALYSIS_PROGRAM, ANALYSIS_PROGRAM_ENV};
pub use events::{HashedFile, NoProgress, ProgressSink, ScanEvent, ScanStage};
pub use remote::{FleetFallback, Remote, RemoteConfig};
pub use samples::{export_samples, SampleExport};
pub use service::{Batch, Job, Outcome, ScanService};
pub use targets::{expand, Expanded, Target};
