//! Candidate keys of an ssdeep hash: every 7-character window of each part, tagged with the
//! block size the part was computed at.
//!
//! libfuzzy scores two parts 0 unless they share a 7-character substring (after runs of more
//! than three identical characters are cut to three), and it only compares parts of the same
//! block size. So two hashes can score above 0 only if they share one of these keys. The grams
//! themselves come from the engine's ssdeep module, the same code that scores them.
use fcas_engine::hashes::ssdeep::index_grams;

/// The deduplicated candidate keys of `hash` (empty when it does not parse).
pub fn gram_keys(hash: &str) -> Vec<i64> {
    let Some(grams) = index_grams(hash) else { return Vec::new() };
    let double = grams.block_size.saturating_mul(2);
    let mut keys: Vec<i64> = grams
        .part1
        .iter()
        .map(|gram| key(grams.block_size, gram.as_bytes()))
        .chain(grams.part2.iter().map(|gram| key(double, gram.as_bytes())))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_sharing_a_window_at_the_same_block_size_share_a_key() {
        let a = gram_keys("3:abcdefghij:xyz");
        let b = gram_keys("3:zzabcdefgzz:qq");
        let c = gram_keys("6:abcdefghij:xyz");
        let d = gram_keys("6:xyzxyzq:abcdefghij");
        assert!(a.iter().any(|k| b.contains(k)));
        // Same text at another block size is a different key: libfuzzy would not compare them.
        assert!(!a.iter().any(|k| c.contains(k)));
        // Part 2 of a block-size-3 hash meets part 1 of a block-size-6 one, as in libfuzzy.
        assert!(gram_keys("3:qqqqrrrrsss:abcdefghij").iter().any(|k| c.contains(k)));
        assert!(!d.is_empty());
        assert!(gram_keys("garbage").is_empty());
    }
}
