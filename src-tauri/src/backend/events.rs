//! Progress of each queued file, sent to the front end as typed events.
use serde::{Deserialize, Serialize};

/// Name of the event carrying [`ScanEvent`]s.
pub const SCAN_EVENT: &str = "fcas://scan";

/// Where a file is in its journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScanStage {
    /// Waiting for a free analysis process.
    Queued,
    /// Computing the SHA-256 to look for a stored report.
    Hashing,
    /// In the analysis process.
    Analyzing,
    /// Writing the report to the case store.
    Storing,
    /// Finished; the report is stored (or was already).
    Done,
    /// The file could not be analysed; `message` says why.
    Failed,
}

/// One step of one scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanEvent {
    /// Identifies the file's scan for its whole life.
    pub scan_id: u64,
    /// The file.
    pub path: String,
    /// The stage reached.
    pub stage: ScanStage,
    /// 0..1 for the progress bar.
    pub progress: f64,
    /// SHA-256, once known.
    pub sha256: Option<String>,
    /// The stored report was reused (the file had been analysed before).
    pub cached: bool,
    /// Why the scan failed, or, for a finished scan, which stages reported errors (malformed input).
    pub message: Option<String>,
    /// Milliseconds since the scan was queued.
    pub elapsed_ms: f64,
}

/// Receives progress events (the Tauri window in the app, a vector in tests).
pub trait ProgressSink: Send + Sync {
    /// Delivers one event.
    fn send(&self, event: &ScanEvent);
}
