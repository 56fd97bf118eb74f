//! Every bound of the rules stage in one place (README "Limits").
use std::time::Duration;

/// Bounds on reading rule folders and on scanning one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RulesLimits {
    /// Rule files read from all folders together; further files are skipped with an error.
    pub max_files: usize,
    /// Largest rule file read, bytes.
    pub max_file_bytes: u64,
    /// Rule source read from all folders together, bytes.
    pub max_total_bytes: u64,
    /// Deepest sub-folder of a rule folder that is walked.
    pub max_depth: usize,
    /// Largest compiled-rules cache file that is read back, bytes.
    pub max_cache_bytes: u64,
    /// Longest the rules may scan one file before the scan stops (`timed_out`).
    pub scan_timeout: Duration,
    /// String matches kept per matching rule (the first ones, by pattern then offset).
    pub max_strings_per_rule: usize,
    /// Bytes of the file shown in a string match's excerpt.
    pub excerpt_bytes: usize,
}

impl Default for RulesLimits {
    fn default() -> Self {
        Self {
            max_files: 1_000,
            max_file_bytes: 1 << 20,
            max_total_bytes: 32 << 20,
            max_depth: 8,
            max_cache_bytes: 256 << 20,
            scan_timeout: Duration::from_secs(10),
            max_strings_per_rule: 16,
            excerpt_bytes: 64,
        }
    }
}
