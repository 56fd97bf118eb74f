//! ssdeep, the context-triggered piecewise hash (Kornblum 2006), producing exactly what
//! libfuzzy 2.14.1 prints with its default flags (`blocksize:part1:part2`), and its comparison.
//!
//! Written from the published algorithm; see `generate.rs` for how the multi-blocksize engine is
//! kept fast and `compare.rs` for the similarity score.
mod compare;
mod generate;
mod roll;

pub use compare::{compare, index_grams, SsdeepGrams};
pub use generate::{digest, Generator};

/// Window of the rolling hash that chooses the trigger points.
pub(crate) const ROLLING_WINDOW: usize = 7;
/// Smallest block size; every block size is this times a power of two.
pub(crate) const MIN_BLOCKSIZE: u64 = 3;
/// Length of the first part of a digest.
pub(crate) const SPAMSUM_LENGTH: usize = 64;
/// Number of block sizes (3 << 0 ..= 3 << 30).
pub(crate) const NUM_BLOCKHASHES: usize = 31;

/// Characters of the digest, indexed by the low six bits of the piecewise hash.
pub(crate) const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Block size of index `i` (3 << i).
pub(crate) const fn block_size(i: usize) -> u64 {
    MIN_BLOCKSIZE << i
}
