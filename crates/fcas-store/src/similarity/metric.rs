//! The comparisons the similarity search needs, kept behind a trait so the store does not
//! depend on how they are computed.

/// Exact comparison of two fuzzy hashes.
pub trait FuzzyMetric: Sync {
    /// Standard TLSH difference (length included) of two `T1...` hashes; `None` when either
    /// does not parse. 0 means identical; lower is closer.
    fn tlsh_distance(&self, a: &str, b: &str) -> Option<u32>;
    /// ssdeep match score 0..=100 (libfuzzy's `fuzzy_compare`); `None` when either does not
    /// parse. Higher is closer.
    fn ssdeep_score(&self, a: &str, b: &str) -> Option<u32>;
}
