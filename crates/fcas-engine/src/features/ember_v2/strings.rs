//! EMBER's string statistics: runs of at least five bytes in 0x20..=0x7f (EMBER's regex
//! `[\x20-\x7f]{5,}`, DEL included), their length and character distribution, and counts of a
//! few byte patterns over the whole file.
use memchr::memmem;

use super::raw::StringFeatures;

const MIN_RUN: usize = 5;

pub(super) fn string_features(bytes: &[u8]) -> StringFeatures {
    let mut dist = vec![0u64; 96];
    let (mut numstrings, mut total_len) = (0u64, 0u64);
    let mut run_start = None;
    for (i, &b) in bytes.iter().chain(std::iter::once(&0u8)).enumerate() {
        let printable = (0x20..=0x7f).contains(&b) && i < bytes.len();
        match (printable, run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(start)) => {
                run_start = None;
                let run = &bytes[start..i];
                if run.len() >= MIN_RUN {
                    numstrings += 1;
                    total_len += run.len() as u64;
                    for &c in run {
                        dist[(c - 0x20) as usize] += 1;
                    }
                }
            }
            _ => {}
        }
    }
    let printables: u64 = dist.iter().sum();
    StringFeatures {
        numstrings,
        avlength: if numstrings > 0 { total_len as f64 / numstrings as f64 } else { 0.0 },
        entropy: f32_entropy(&dist, printables),
        printabledist: dist,
        printables,
        paths: count_case_insensitive(bytes, b"c:\\"),
        urls: count_case_insensitive(bytes, b"http://") + count_case_insensitive(bytes, b"https://"),
        registry: memmem::find_iter(bytes, b"HKEY_").count() as u64,
        mz: memmem::find_iter(bytes, b"MZ").count() as u64,
    }
}

/// Shannon entropy computed in float32 like EMBER's numpy code.
fn f32_entropy(counts: &[u64], total: u64) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let terms: Vec<f32> = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / total as f32;
            -p * p.log2()
        })
        .collect();
    crate::entropy::numpy_sum_f32(&terms) as f64
}

/// Non-overlapping ASCII case-insensitive occurrences of `needle` (all patterns here cannot
/// overlap themselves, so counting every match start is the same).
fn count_case_insensitive(bytes: &[u8], needle: &[u8]) -> u64 {
    let Some(&first) = needle.first() else { return 0 };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut count = 0;
    for at in memchr::memchr2_iter(lower, upper, bytes) {
        if bytes.get(at..at + needle.len()).is_some_and(|w| w.eq_ignore_ascii_case(needle)) {
            count += 1;
        }
    }
    count
}
