//! Bounds on opening containers. Each is documented in README.md ("Limits"); every limit met is
//! reported in `extraction.limits_hit[]` with what it left out.
use std::time::Duration;

/// How deep, how many, how large and how long extraction may go for one submitted file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractLimits {
    /// Deepest nesting: the submitted file is at depth 0, its children at 1, and a container at
    /// this depth is reported but not opened. Default 8.
    pub max_depth: u32,
    /// Children taken out of one container. Default 1,000.
    pub max_children_per_container: usize,
    /// Children taken out of one submission, at every depth. Default 10,000.
    pub max_children_per_submission: usize,
    /// Largest child, decoded. Default 256 MiB.
    pub max_child_size: u64,
    /// Bytes decoded for one submission, at every depth. Default 2 GiB.
    pub max_submission_bytes: u64,
    /// Largest expansion: a child may decode to at most this many times the bytes it was
    /// compressed into (or its container's size when the format does not say) ... Default 200.
    pub max_ratio: u64,
    /// ... but any child up to this size may, whatever its ratio (zero-filled images and text
    /// compress far beyond 200:1). Default 32 MiB.
    pub ratio_floor: u64,
    /// Wall time spent opening one container (its children's analyses not counted). Default 30 s.
    pub container_time: Duration,
}

impl Default for ExtractLimits {
    fn default() -> Self {
        Self {
            max_depth: 8,
            max_children_per_container: 1_000,
            max_children_per_submission: 10_000,
            max_child_size: 256 << 20,
            max_submission_bytes: 2 << 30,
            max_ratio: 200,
            ratio_floor: 32 << 20,
            container_time: Duration::from_secs(30),
        }
    }
}

impl ExtractLimits {
    /// The most a child compressed into `compressed` bytes may decode to.
    pub fn max_decoded(&self, compressed: u64) -> u64 {
        compressed.saturating_mul(self.max_ratio).max(self.ratio_floor).min(self.max_child_size)
    }
}

/// Names of the limits, as `limits_hit[].limit` spells them.
pub mod names {
    /// [`super::ExtractLimits::max_depth`].
    pub const MAX_DEPTH: &str = "max_depth";
    /// [`super::ExtractLimits::max_children_per_container`].
    pub const MAX_CHILDREN_PER_CONTAINER: &str = "max_children_per_container";
    /// [`super::ExtractLimits::max_children_per_submission`].
    pub const MAX_CHILDREN_PER_SUBMISSION: &str = "max_children_per_submission";
    /// [`super::ExtractLimits::max_child_size`].
    pub const MAX_CHILD_SIZE: &str = "max_child_size";
    /// [`super::ExtractLimits::max_submission_bytes`].
    pub const MAX_SUBMISSION_BYTES: &str = "max_submission_bytes";
    /// [`super::ExtractLimits::max_ratio`].
    pub const MAX_RATIO: &str = "max_ratio";
    /// [`super::ExtractLimits::container_time`].
    pub const CONTAINER_TIME: &str = "container_time";
}
