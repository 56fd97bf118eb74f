//! Explicit limits on every stage. Each is documented in README.md ("Limits").
use std::time::{Duration, Instant};

/// Bounds that keep analysis of a hostile file finite in time and memory.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Files larger than this are not analysed (the report says so). Default 2 GiB.
    pub max_file_size: u64,
    /// Minimum length of a reported string, in characters. Default 5.
    pub min_string_len: usize,
    /// Strings kept in the report. Default 20,000 (the total is still counted).
    pub max_strings: usize,
    /// IOCs kept in the report. Default 5,000.
    pub max_iocs: usize,
    /// Longest string kept whole, in characters; longer runs are cut. Default 4,096.
    pub max_string_chars: usize,
    /// Points in the entropy profile. Default 512.
    pub entropy_profile_points: usize,
    /// Sections, imports, exports, resources, symbols: each list is cut at this count. Default 10,000.
    pub max_table_entries: usize,
    /// Functions discovered by disassembly. Default 20,000.
    pub max_functions: usize,
    /// Instructions decoded by disassembly in total. Default 2,000,000.
    pub max_instructions: usize,
    /// Instructions listed from the entry point. Default 64.
    pub entry_instructions: usize,
    /// Wall-time budget of one stage; a stage past it stops and says so. Default 10 s.
    pub stage_time: Duration,
    /// Bounds of the document analyses (macros, PDF, RTF, shortcuts, scripts).
    pub documents: fcas_documents::DocLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_size: 2 << 30,
            min_string_len: 5,
            max_strings: 20_000,
            max_iocs: 5_000,
            max_string_chars: 4_096,
            entropy_profile_points: 512,
            max_table_entries: 10_000,
            max_functions: 20_000,
            max_instructions: 2_000_000,
            entry_instructions: 64,
            stage_time: Duration::from_secs(10),
            documents: fcas_documents::DocLimits::default(),
        }
    }
}

/// A point in time after which a long-running stage stops early.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Instant);

impl Deadline {
    /// A deadline `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Self(Instant::now() + budget)
    }

    /// True once the deadline has passed. Cheap enough to call every few thousand iterations.
    pub fn expired(&self) -> bool {
        Instant::now() >= self.0
    }
}
