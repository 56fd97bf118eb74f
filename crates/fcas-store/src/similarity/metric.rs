//! The comparisons the similarity search needs, kept behind a trait so that the index can be
//! tested with simple metrics and a caller can supply another implementation.

/// Exact comparison of two fuzzy hashes.
pub trait FuzzyMetric: Sync {
    /// Standard TLSH difference (length included) of two `T1...` hashes; `None` when either
    /// does not parse. 0 means identical; lower is closer.
    fn tlsh_distance(&self, a: &str, b: &str) -> Option<u32>;
    /// ssdeep match score 0..=100 (libfuzzy's `fuzzy_compare`); `None` when either does not
    /// parse. Higher is closer.
    fn ssdeep_score(&self, a: &str, b: &str) -> Option<u32>;
}

/// The engine's own comparisons: `fcas_engine::hashes::tlsh::distance` and
/// `fcas_engine::hashes::ssdeep::compare`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EngineMetric;

impl FuzzyMetric for EngineMetric {
    fn tlsh_distance(&self, a: &str, b: &str) -> Option<u32> {
        fcas_engine::hashes::tlsh::distance(a, b)
    }

    fn ssdeep_score(&self, a: &str, b: &str) -> Option<u32> {
        fcas_engine::hashes::ssdeep::compare(a, b)
    }
}
