//! Finding runs of characters of one encoding, in one linear pass.
//!
//! A run of at least `min` characters starting anywhere in `[i, i + (min-1)*step]` must contain
//! the character at `probe = i + (min-1)*step`; when that one is not a character, the whole
//! window is skipped. On binary data most probes fail, so the scan reads roughly one byte in
//! `min` and stays linear (each byte is looked at a bounded number of times).
use crate::Deadline;

/// Bytes scanned between two looks at the deadline.
const DEADLINE_EVERY: usize = 4 << 20;
/// Characters per block of the quick test that skips stretches without strings.
pub(crate) const BLOCK: usize = 64;

/// One character encoding the scanner can look for.
pub(crate) trait Unit {
    /// Bytes per character.
    const STEP: usize;
    /// True when a whole character of this encoding starts at `at`.
    fn is_char(bytes: &[u8], at: usize) -> bool;
    /// Bit `i` set when a character starts at `at + i * STEP`, for [`BLOCK`] characters;
    /// `None` when the bytes end before. Classifies 16 characters at a time (SSE2 on x86-64).
    fn block_mask(bytes: &[u8], at: usize) -> Option<u64>;
}

/// Bit `i` set when `lane[i]` (16 bytes) is printable ASCII or tab.
#[inline]
pub(crate) fn printable_mask16(lane: &[u8]) -> u16 {
    #[cfg(target_arch = "x86_64")]
    if let Ok(lane) = <&[u8; 16]>::try_from(lane) {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of the x86_64 baseline, and the unaligned load reads the 16
        // bytes of `lane`.
        return unsafe {
            let bytes = _mm_loadu_si128(lane.as_ptr().cast());
            let above_space = _mm_sub_epi8(bytes, _mm_set1_epi8(0x20));
            let printable = _mm_cmpeq_epi8(_mm_min_epu8(above_space, _mm_set1_epi8(0x5e)), above_space);
            let tab = _mm_cmpeq_epi8(bytes, _mm_set1_epi8(b'\t' as i8));
            _mm_movemask_epi8(_mm_or_si128(printable, tab)) as u16
        };
    }
    lane.iter().take(16).enumerate().fold(0, |mask, (i, &b)| mask | u16::from(PRINTABLE[usize::from(b)]) << i)
}

/// Bit `i` set when the 16-bit little-endian unit at `lane[2 * i]` (32 bytes) is a printable
/// ASCII character or tab.
#[inline]
pub(crate) fn printable_unit_mask16(lane: &[u8]) -> u16 {
    #[cfg(target_arch = "x86_64")]
    if let Ok(lane) = <&[u8; 32]>::try_from(lane) {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of the x86_64 baseline, and the two unaligned loads read the 32
        // bytes of `lane`.
        return unsafe {
            let classify = |units: __m128i| {
                // Units 0x20..=0x7e: unsigned `unit - 0x20 <= 0x5e`, compared signed after
                // flipping the top bit (SSE2 has no unsigned 16-bit compare).
                let flipped = _mm_xor_si128(_mm_sub_epi16(units, _mm_set1_epi16(0x20)), _mm_set1_epi16(i16::MIN));
                let printable = _mm_cmplt_epi16(flipped, _mm_set1_epi16(i16::MIN + 0x5f));
                _mm_or_si128(printable, _mm_cmpeq_epi16(units, _mm_set1_epi16(b'\t' as i16)))
            };
            let low = classify(_mm_loadu_si128(lane.as_ptr().cast()));
            let high = classify(_mm_loadu_si128(lane.as_ptr().add(16).cast()));
            _mm_movemask_epi8(_mm_packs_epi16(low, high)) as u16
        };
    }
    let is_char = |unit: &[u8]| matches!(unit, &[low, 0] if PRINTABLE[usize::from(low)]);
    lane.chunks_exact(2).take(16).enumerate().fold(0, |mask, (i, unit)| mask | u16::from(is_char(unit)) << i)
}

/// Printable ASCII and tab, as `strings` counts them.
pub(crate) static PRINTABLE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0x20;
    while byte < 0x7f {
        table[byte] = true;
        byte += 1;
    }
    table[b'\t' as usize] = true;
    table
};

/// How a scan ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scan {
    /// Every byte was scanned.
    Complete,
    /// The deadline passed at this offset.
    Expired(usize),
}

/// Calls `on_run(offset, chars)` for every maximal run of at least `min` characters of `U`
/// that starts at an offset congruent to `first` modulo the character size, in file order.
pub(crate) fn runs<U: Unit>(bytes: &[u8], first: usize, min: usize, deadline: &Deadline, mut on_run: impl FnMut(usize, usize)) -> Scan {
    let step = U::STEP;
    let span = step * (min.max(1) - 1);
    let mut at = first;
    let mut next_check = DEADLINE_EVERY;
    // Blocks are only skipped from here on; the block found to hold a run start is scanned
    // one character at a time up to its end.
    let mut skip_from = at;
    let skipping = (2..=BLOCK).contains(&min);
    while let Some(probe) = at.checked_add(span).filter(|&probe| probe < bytes.len()) {
        if at >= next_check {
            if deadline.expired() {
                return Scan::Expired(at);
            }
            next_check = at.saturating_add(DEADLINE_EVERY);
        }
        if skipping && at >= skip_from {
            at = skip_blocks_without_runs::<U>(bytes, at, min, next_check);
            skip_from = at + BLOCK * step;
            continue;
        }
        if !U::is_char(bytes, probe) {
            at = probe + step;
            continue;
        }
        // `at - step` is never a character (it is the start or just after a non-character),
        // so walking back from the probe stops at the true start of the run.
        let mut start = probe;
        while start >= at + step && U::is_char(bytes, start - step) {
            start -= step;
        }
        let mut end = probe + step;
        while U::is_char(bytes, end) {
            end += step;
        }
        let chars = (end - start) / step;
        if chars >= min {
            on_run(start, chars);
        }
        at = end + step;
    }
    Scan::Complete
}

/// The first offset from `at` (in whole blocks, stopping at `limit`) whose block may hold the
/// start of a run of `min` characters. A skipped block holds no such start: a run that starts
/// in it is shorter than `min`, so the scan, resuming after it, may at most see that run's
/// tail, shorter still, and drop it. Needs `min <= BLOCK`, so that the first `min`
/// characters of a run starting in the block lie in it and the next one.
fn skip_blocks_without_runs<U: Unit>(bytes: &[u8], mut at: usize, min: usize, limit: usize) -> usize {
    let Some(mut this) = U::block_mask(bytes, at) else { return at };
    while at < limit {
        let Some(next_at) = at.checked_add(BLOCK * U::STEP) else { break };
        let Some(next) = U::block_mask(bytes, next_at) else { break };
        if may_start_run(this, next, min) {
            break;
        }
        (at, this) = (next_at, next);
    }
    at
}

/// True when some character of the block `this` starts `min` characters in a row, `next`
/// being the following block.
fn may_start_run(this: u64, next: u64, min: usize) -> bool {
    let window = u128::from(this) | (u128::from(next) << BLOCK);
    let mut starts = window;
    for shift in 1..min {
        starts &= window >> shift;
    }
    starts as u64 != 0
}

#[cfg(test)]
mod tests {
    use super::super::{ascii::Ascii, utf16::Utf16Le};
    use super::*;

    /// Every maximal run, found the obvious way: one character at a time.
    fn naive<U: Unit>(bytes: &[u8], first: usize, min: usize) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let mut at = first;
        while at < bytes.len() {
            let start = at;
            while U::is_char(bytes, at) {
                at += U::STEP;
            }
            let chars = (at - start) / U::STEP;
            if chars >= min.max(1) {
                found.push((start, chars));
            }
            at += U::STEP;
        }
        found
    }

    fn scanned<U: Unit>(bytes: &[u8], first: usize, min: usize) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let deadline = Deadline::after(std::time::Duration::from_secs(600));
        assert_eq!(runs::<U>(bytes, first, min, &deadline, |offset, chars| found.push((offset, chars))), Scan::Complete);
        found
    }

    /// Bytes with runs of every length up to 150 in both encodings, between binary stretches
    /// of varied lengths (so that runs straddle block boundaries at every phase).
    fn mixed(seed: u64, len: usize) -> Vec<u8> {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let mut below = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut bytes = Vec::with_capacity(len + 400);
        while bytes.len() < len {
            let kind = below(4);
            let count = below(150);
            for _ in 0..count {
                let printable = 0x20 + below(0x5f) as u8;
                match kind {
                    0 => bytes.push(printable),
                    1 => bytes.extend([printable, 0]),
                    2 => bytes.extend([below(256) as u8, below(256) as u8]),
                    _ => bytes.push([0, 0xff, b'\t', b'A'][below(4)]),
                }
            }
        }
        bytes
    }

    #[test]
    fn the_block_skipping_scan_finds_exactly_the_runs_a_naive_scan_finds() {
        for seed in 0..40 {
            let bytes = mixed(seed, 20_000);
            for min in [1, 2, 3, 4, 5, 6, 8, 17, 63, 64, 65, 100] {
                assert_eq!(scanned::<Ascii>(&bytes, 0, min), naive::<Ascii>(&bytes, 0, min), "ascii seed {seed} min {min}");
                for parity in [0, 1] {
                    assert_eq!(
                        scanned::<Utf16Le>(&bytes, parity, min),
                        naive::<Utf16Le>(&bytes, parity, min),
                        "utf16 seed {seed} min {min} parity {parity}"
                    );
                }
            }
        }
    }

    #[test]
    fn block_masks_agree_with_is_char() {
        let bytes = mixed(7, 4096);
        for at in 0..bytes.len() {
            if let Some(mask) = Ascii::block_mask(&bytes, at) {
                assert!((0..BLOCK).all(|i| (mask >> i & 1 == 1) == Ascii::is_char(&bytes, at + i)));
            }
            if let Some(mask) = Utf16Le::block_mask(&bytes, at) {
                assert!((0..BLOCK).all(|i| (mask >> i & 1 == 1) == Utf16Le::is_char(&bytes, at + 2 * i)));
            }
        }
        let every_byte: Vec<u8> = (0..=255u8).collect();
        for lane in every_byte.chunks_exact(16) {
            let mask = printable_mask16(lane);
            assert!(lane.iter().enumerate().all(|(i, &b)| (mask >> i & 1 == 1) == PRINTABLE[usize::from(b)]));
        }
        let every_unit: Vec<u8> = (0..=u16::MAX).flat_map(u16::to_le_bytes).collect();
        for lane in every_unit.chunks_exact(32) {
            let mask = printable_unit_mask16(lane);
            assert!(lane.chunks_exact(2).enumerate().all(|(i, u)| (mask >> i & 1 == 1) == (PRINTABLE[usize::from(u[0])] && u[1] == 0)));
        }
    }
}
