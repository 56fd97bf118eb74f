//! Similarity of two ssdeep digests, as libfuzzy's `fuzzy_compare` scores it, and the 7-grams
//! a store indexes to find candidates worth comparing.
use super::roll::sum_of_window;
use super::{MIN_BLOCKSIZE, ROLLING_WINDOW, SPAMSUM_LENGTH};

/// A digest split into its block size and two parts, runs of a character longer than three
/// already cut to three (as the comparison sees them).
struct Parsed {
    block_size: u64,
    part1: Vec<u8>,
    part2: Vec<u8>,
}

/// Similarity score 0..=100 of two ssdeep digests, equal to libfuzzy's `fuzzy_compare`.
/// `None` where libfuzzy returns -1 (a malformed digest). Anything after a `,` in the second
/// part (a file name, as `ssdeep` prints it) is ignored. Unlike libfuzzy's `sscanf`, the block
/// size must be plain decimal digits (no leading blanks or sign).
pub fn compare(a: &str, b: &str) -> Option<u32> {
    let a = parse(a)?;
    let b = parse(b)?;
    let (bs1, bs2) = (a.block_size, b.block_size);
    let comparable = bs1 == bs2 || bs1.checked_mul(2) == Some(bs2) || (bs1 % 2 == 0 && bs1 / 2 == bs2);
    if !comparable {
        return Some(0);
    }
    if bs1 == bs2 && a.part1 == b.part1 && a.part2 == b.part2 {
        return Some(100);
    }
    let score = if bs1 == bs2 {
        let first = score_strings(&a.part1, &b.part1, bs1);
        // libfuzzy skips the second part where doubling the block size would overflow.
        match bs1.checked_mul(2) {
            Some(double) if bs1 <= u64::MAX / 2 => first.max(score_strings(&a.part2, &b.part2, double)),
            _ => first,
        }
    } else if bs1.checked_mul(2) == Some(bs2) {
        score_strings(&b.part1, &a.part2, bs2)
    } else {
        score_strings(&a.part1, &b.part2, bs1)
    };
    Some(score)
}

/// Block size and distinct 7-grams of each part of a digest (after the run elimination that
/// [`compare`] applies). Two digests can score above 0 only if they share a 7-gram in parts of
/// the same block size: `part1` is at `block_size`, `part2` at `2 * block_size`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SsdeepGrams {
    /// Block size of the first part.
    pub block_size: u64,
    /// Distinct 7-character substrings of the first part, sorted.
    pub part1: Vec<String>,
    /// Distinct 7-character substrings of the second part (block size doubled), sorted.
    pub part2: Vec<String>,
}

/// The 7-grams a similarity index keys on; `None` for a malformed digest.
pub fn index_grams(digest: &str) -> Option<SsdeepGrams> {
    let parsed = parse(digest)?;
    Some(SsdeepGrams { block_size: parsed.block_size, part1: grams(&parsed.part1), part2: grams(&parsed.part2) })
}

fn grams(part: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = part.windows(ROLLING_WINDOW).map(|w| String::from_utf8_lossy(w).into_owned()).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// `blocksize:part1:part2[,anything]`, each part at most 64 characters once runs are cut.
fn parse(digest: &str) -> Option<Parsed> {
    let (size, rest) = digest.split_once(':')?;
    if size.is_empty() || !size.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let block_size: u64 = size.parse().ok()?;
    let (part1, rest) = rest.split_once(':')?;
    let part2 = rest.split_once(',').map_or(rest, |(p, _)| p);
    Some(Parsed { block_size, part1: eliminate_sequences(part1.as_bytes())?, part2: eliminate_sequences(part2.as_bytes())? })
}

/// Cuts every run of one character to three; `None` if more than 64 characters remain.
fn eliminate_sequences(part: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(SPAMSUM_LENGTH);
    let mut run = 0usize;
    let mut prev = None;
    for &c in part {
        if Some(c) == prev {
            run += 1;
            if run >= 3 {
                continue;
            }
        } else {
            run = 0;
            prev = Some(c);
        }
        if out.len() == SPAMSUM_LENGTH {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// Score of two parts at `block_size`: 0 without a common 7-gram, else 100 minus the scaled
/// weighted edit distance, capped for small block sizes where short matches mean little.
fn score_strings(s1: &[u8], s2: &[u8], block_size: u64) -> u32 {
    if !has_common_substring(s1, s2) {
        return 0;
    }
    let total = (s1.len() + s2.len()) as u32; // both <= 64
    let distance = edit_distance(s1, s2);
    let scaled = distance * SPAMSUM_LENGTH as u32 / total;
    let score = 100 - (100 * scaled) / SPAMSUM_LENGTH as u32;
    let cap = (block_size / MIN_BLOCKSIZE).saturating_mul(s1.len().min(s2.len()) as u64);
    if cap < u64::from(score) {
        cap as u32
    } else {
        score
    }
}

/// True when the parts share a substring of seven characters. Like libfuzzy, candidates are
/// the positions whose rolling hashes are equal and non-zero, confirmed byte by byte.
fn has_common_substring(s1: &[u8], s2: &[u8]) -> bool {
    if s1.len() < ROLLING_WINDOW || s2.len() < ROLLING_WINDOW {
        return false;
    }
    let hashes1: Vec<u32> = s1.windows(ROLLING_WINDOW).map(window_hash).collect();
    s2.windows(ROLLING_WINDOW).any(|w2| {
        let h2 = window_hash(w2);
        hashes1.iter().zip(s1.windows(ROLLING_WINDOW)).any(|(&h1, w1)| h1 != 0 && h1 == h2 && w1 == w2)
    })
}

fn window_hash(w: &[u8]) -> u32 {
    let mut window = [0u8; ROLLING_WINDOW];
    window.copy_from_slice(w);
    sum_of_window(&window)
}

/// Edit distance with insertion and deletion costing 1 and substitution 2.
fn edit_distance(s1: &[u8], s2: &[u8]) -> u32 {
    let mut prev: Vec<u32> = (0..=s2.len() as u32).collect();
    let mut cur = vec![0u32; s2.len() + 1];
    for (i, &a) in s1.iter().enumerate() {
        cur[0] = i as u32 + 1;
        for (j, &b) in s2.iter().enumerate() {
            let substitute = prev[j] + if a == b { 0 } else { 2 };
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(substitute);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[s2.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_cut_to_three() {
        assert_eq!(eliminate_sequences(b"AAAAABBBC").unwrap(), b"AAABBBC");
        assert!(eliminate_sequences(&[b'x'; 200]).is_some());
        let long: Vec<u8> = (0..65).map(|i| b"ab"[i % 2]).collect();
        assert!(eliminate_sequences(&long).is_none());
    }

    #[test]
    fn malformed_digests_are_refused() {
        assert_eq!(compare("3:abc", "3:abc:def"), None);
        assert_eq!(compare("x:abc:def", "3:abc:def"), None);
        assert_eq!(compare("3:abc:def", "3:abc:def"), Some(100));
    }

    #[test]
    fn edit_distance_weights() {
        assert_eq!(edit_distance(b"abc", b"abc"), 0);
        assert_eq!(edit_distance(b"abc", b"abd"), 2);
        assert_eq!(edit_distance(b"abc", b"ab"), 1);
        assert_eq!(edit_distance(b"", b"abcd"), 4);
    }

    #[test]
    fn grams_are_distinct_and_sorted() {
        let g = index_grams("96:ABCDEFGHABCDEFGH:xyz").unwrap();
        assert_eq!(g.block_size, 96);
        assert_eq!(g.part1.len(), 8);
        assert!(g.part1.windows(2).all(|w| w[0] < w[1]));
        assert!(g.part2.is_empty());
    }
}
