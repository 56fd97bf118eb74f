//! Everything computed from the whole byte stream in one pass: digests, fuzzy hashes,
//! histograms and entropy.
//!
//! The hashers form four groups of about equal cost, each a task that walks the bytes in chunks
//! small enough to stay in cache ([`Digester`]); the pipeline runs them beside its other stages.
//! Large inputs form two lanes of two groups instead, on two threads kept within a couple of
//! chunks of each other, so each chunk is read from memory once (see `lanes.rs`).
use fcas_report::{EntropyPoint, Hashes};

use crate::Limits;

mod lanes;
pub use lanes::Digester;
pub mod ssdeep;
pub mod tlsh;

/// The results of the one pass over the file's bytes.
#[derive(Debug, Clone, Default)]
pub struct ContentDigest {
    /// Cryptographic and fuzzy hashes.
    pub hashes: Hashes,
    /// Count of each byte value (256 entries).
    pub byte_histogram: Vec<u64>,
    /// Shannon entropy of the whole file.
    pub entropy: f64,
    /// EMBER v2 byte-entropy histogram (256 entries, normalised).
    pub byte_entropy_histogram: Vec<f32>,
    /// EMBER v2 byte-entropy histogram, raw counts (256 entries, row-major).
    pub byte_entropy_counts: Vec<u64>,
    /// Entropy over offset, at most `limits.entropy_profile_points` points.
    pub entropy_profile: Vec<EntropyPoint>,
}

/// Computes every whole-file digest of `bytes` in one pass.
pub fn content_digest(bytes: &[u8], limits: &Limits) -> ContentDigest {
    lanes::digest_all(bytes, limits.entropy_profile_points)
}
