//! The fuzzy-hash comparisons `fcas db similar` ranks with.
use fcas_store::similarity::FuzzyMetric;

/// TLSH distance from the `tlsh` crate (the standard difference, length included). ssdeep
/// comparison is not available in this build yet, so ssdeep ranking returns nothing.
pub struct CliMetric;

impl FuzzyMetric for CliMetric {
    fn tlsh_distance(&self, a: &str, b: &str) -> Option<u32> {
        tlsh::compare(a, b).ok()
    }

    fn ssdeep_score(&self, _a: &str, _b: &str) -> Option<u32> {
        None
    }
}
