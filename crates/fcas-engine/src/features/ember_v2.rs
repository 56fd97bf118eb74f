//! The EMBER feature vector, version 2 (2381 values), as the EMBER-2018 models expect it.

/// Number of values in an EMBER v2 vector.
pub const DIM: usize = 2381;

/// Computes the EMBER v2 vector of `bytes`. `Err` says why no vector could be made.
pub fn vector(bytes: &[u8]) -> Result<Vec<f32>, String> {
    let _ = bytes;
    Err("the EMBER v2 feature extractor is not implemented yet".to_string())
}
