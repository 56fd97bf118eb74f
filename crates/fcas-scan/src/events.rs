//! Progress of each file of a scan, as typed events: the app turns them into `fcas://scan`
//! messages, the CLI into its progress bar.
use serde::{Deserialize, Serialize};

/// Where a file is in its journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScanStage {
    /// Waiting for a free analyser.
    Queued,
    /// Computing the SHA-256 to look for a stored report.
    Hashing,
    /// Being analysed.
    Analyzing,
    /// Being written to the case store.
    Storing,
    /// Finished: the report is stored (or was already), or ready to print.
    Done,
    /// The file could not be analysed; `message` says why.
    Failed,
}

/// One step of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanEvent {
    /// Identifies the file's scan for its whole life.
    pub scan_id: u64,
    /// The file.
    pub path: String,
    /// The stage reached.
    pub stage: ScanStage,
    /// 0..1 for a progress bar.
    pub progress: f64,
    /// SHA-256, once known.
    pub sha256: Option<String>,
    /// A stored report was reused (same file, same engine and models).
    pub cached: bool,
    /// Why the scan failed, or, for a finished scan, which stages reported errors.
    pub message: Option<String>,
    /// Milliseconds since the file was queued.
    pub elapsed_ms: f64,
}

/// A file the scan hashed (kept in the case store too, see [`fcas_store::file_stamps`]).
pub use fcas_store::file_stamps::HashedFile;

/// Receives progress events (a window, a progress bar, a vector in tests).
pub trait ProgressSink: Send + Sync {
    /// Delivers one event.
    fn send(&self, event: &ScanEvent);

    /// A file was hashed (the app's hex view then reads it without hashing it again). Ignored
    /// by default.
    fn hashed(&self, _file: &HashedFile) {}
}

/// A sink that drops every event.
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn send(&self, _event: &ScanEvent) {}
}
