//! Candidate keys of an ssdeep hash: every 7-character window of each chunk, tagged with the
//! block size the chunk was computed at.
//!
//! libfuzzy scores two chunks 0 unless they share a 7-character substring (after runs of more
//! than three identical characters are cut to three), and it only compares chunks of the same
//! block size. So two hashes can score above 0 only if they share one of these keys.

/// ssdeep's rolling window: the common substring two chunks need to be compared at all.
const WINDOW: usize = 7;
/// libfuzzy's longest chunk; longer input is not an ssdeep hash, and is cut to bound the work.
const MAX_CHUNK: usize = 64;

/// A parsed `blocksize:chunk:double_chunk` hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsdeepParts {
    /// Block size of the first chunk; the second is at twice it.
    pub block_size: u64,
    /// Chunk at `block_size`, runs of more than three identical characters cut to three.
    pub chunk: Vec<u8>,
    /// Chunk at `2 * block_size`, runs cut the same way.
    pub double_chunk: Vec<u8>,
}

/// Parses an ssdeep hash (a trailing `,"file name"` is ignored).
pub fn parse(hash: &str) -> Option<SsdeepParts> {
    let hash = hash.split(',').next().unwrap_or(hash);
    let mut parts = hash.splitn(3, ':');
    let block_size: u64 = parts.next()?.trim().parse().ok()?;
    let chunk = eliminate_runs(parts.next()?.as_bytes());
    let double_chunk = eliminate_runs(parts.next()?.as_bytes());
    Some(SsdeepParts { block_size, chunk, double_chunk })
}

/// The deduplicated candidate keys of `hash` (empty when it does not parse).
pub fn gram_keys(hash: &str) -> Vec<i64> {
    let Some(parts) = parse(hash) else { return Vec::new() };
    let mut keys = Vec::new();
    keys.extend(windows(parts.block_size, &parts.chunk));
    keys.extend(windows(parts.block_size.saturating_mul(2), &parts.double_chunk));
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn windows(block_size: u64, chunk: &[u8]) -> impl Iterator<Item = i64> + '_ {
    chunk.windows(WINDOW).map(move |gram| key(block_size, gram))
}

/// FNV-1a over the block size and the gram. Stored in the database, so it must never change.
fn key(block_size: u64, gram: &[u8]) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in block_size.to_le_bytes().iter().chain(gram) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash as i64
}

fn eliminate_runs(chunk: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::new();
    for &byte in chunk.iter().take(MAX_CHUNK) {
        let run = out.iter().rev().take_while(|&&b| b == byte).count();
        if run < 3 {
            out.push(byte);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_sharing_a_window_at_the_same_block_size_share_a_key() {
        let a = gram_keys("3:abcdefghij:xyz");
        let b = gram_keys("3:zzabcdefgzz:qq");
        let c = gram_keys("6:abcdefghij:xyz");
        assert!(a.iter().any(|k| b.contains(k)));
        // Same text at another block size is a different key: libfuzzy would not compare them.
        assert!(!a.iter().any(|k| c.contains(k)));
        assert!(gram_keys("garbage").is_empty());
    }

    #[test]
    fn runs_are_cut_to_three_like_libfuzzy() {
        let parts = parse("3:aaaaaab:cc").unwrap_or_else(|| panic!("valid hash"));
        assert_eq!(parts.chunk, b"aaab");
        assert_eq!(parts.block_size, 3);
    }
}
