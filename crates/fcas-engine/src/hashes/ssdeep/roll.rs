//! The ssdeep rolling hash over the last seven bytes.
//!
//! The incremental form (`h2 -= h1; h2 += 7c; h1 += c - out; h3 = h3 << 5 ^ c`) depends only on
//! the last seven bytes (zeros before the start), so it has the closed form used here:
//! `h1 + h2 = sum (8 - k) * x[k]` and `h3 = xor (x[k] << 5k)`, `x[0]` the newest byte. Being a
//! pure function of a window, it can be computed for many positions at once.
use super::ROLLING_WINDOW;

/// Rolling sum of a window of seven bytes, oldest first (`w[6]` is the newest byte).
#[inline(always)]
pub(crate) fn sum_of_window(w: &[u8; ROLLING_WINDOW]) -> u32 {
    let mut additive = 0u32;
    let mut shifted = 0u32;
    for (k, &byte) in w.iter().rev().enumerate() {
        let x = u32::from(byte);
        additive = additive.wrapping_add(x.wrapping_mul(8 - k as u32));
        shifted ^= x.wrapping_shl(5 * k as u32);
    }
    additive.wrapping_add(shifted)
}

/// Positions in `block` (at most 64 bytes) whose rolling sum `s` satisfies the trigger test of
/// the smallest block size still tracked: `s + 1` divisible by `3 << shift`, `s != u32::MAX`.
/// `history` holds the six bytes before `block` (zeros before the start of the stream).
/// Bit `j` of the result is set when position `j` triggers.
pub(crate) fn trigger_mask(history: &[u8; ROLLING_WINDOW - 1], block: &[u8], shift: u32) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2 (checked just above; the check is cached).
        return unsafe { trigger_mask_avx2(history, block, shift) };
    }
    trigger_mask_portable(history, block, shift)
}

/// [`trigger_mask`] compiled for AVX2 (twice the lanes of the baseline's SSE2).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn trigger_mask_avx2(history: &[u8; ROLLING_WINDOW - 1], block: &[u8], shift: u32) -> u64 {
    trigger_mask_portable(history, block, shift)
}

#[inline(always)]
fn trigger_mask_portable(history: &[u8; ROLLING_WINDOW - 1], block: &[u8], shift: u32) -> u64 {
    const LANES: usize = 64;
    let n = block.len().min(LANES);
    let mut ext = [0u8; LANES + ROLLING_WINDOW - 1];
    ext[..ROLLING_WINDOW - 1].copy_from_slice(history);
    if let (Some(dst), Some(src)) = (ext.get_mut(ROLLING_WINDOW - 1..ROLLING_WINDOW - 1 + n), block.get(..n)) {
        dst.copy_from_slice(src);
    }
    // Sums for all 64 lanes (lanes past `n` are masked off below), in loops simple enough to
    // vectorise: the additive part fits 16 bits (at most 255 * 35), the shifted part needs 32.
    let mut additive = [0u16; LANES];
    for (j, out) in additive.iter_mut().enumerate() {
        let mut sum = 0u16;
        for k in 0..ROLLING_WINDOW {
            sum += u16::from(ext[j + ROLLING_WINDOW - 1 - k]) * (8 - k as u16);
        }
        *out = sum;
    }
    let pow2_mask = (1u32 << shift.min(31)) - 1;
    let mut hits = [0u8; LANES];
    for (j, hit) in hits.iter_mut().enumerate() {
        let mut shifted = 0u32;
        for k in 0..ROLLING_WINDOW {
            shifted ^= u32::from(ext[j + ROLLING_WINDOW - 1 - k]) << (5 * k as u32);
        }
        // `s + 1`; `s == u32::MAX` wraps to 0, which would look divisible by everything, but
        // it is not `-1 mod 3`: it never triggers.
        let s1 = u32::from(additive[j]).wrapping_add(shifted).wrapping_add(1);
        // Divisible by 3: s1 * inverse(3) mod 2^32 <= (2^32 - 1) / 3.
        *hit = u8::from((s1 & pow2_mask) == 0 && s1 != 0 && s1.wrapping_mul(0xAAAA_AAAB) <= 0x5555_5555);
    }
    // Hits are rare once block sizes grow: test eight lanes at a time.
    let mut mask = 0u64;
    for (group, lanes) in hits.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(lanes);
        if u64::from_ne_bytes(word) == 0 {
            continue;
        }
        for (i, &hit) in lanes.iter().enumerate() {
            mask |= u64::from(hit) << (group * 8 + i);
        }
    }
    if n < LANES {
        mask &= (1u64 << n) - 1;
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The incremental definition, as the algorithm describes it.
    struct Incremental {
        window: [u8; ROLLING_WINDOW],
        h1: u32,
        h2: u32,
        h3: u32,
        n: usize,
    }

    impl Incremental {
        fn push(&mut self, c: u8) -> u32 {
            let c32 = u32::from(c);
            self.h2 = self.h2.wrapping_sub(self.h1).wrapping_add(7 * c32);
            self.h1 = self.h1.wrapping_add(c32).wrapping_sub(u32::from(self.window[self.n % ROLLING_WINDOW]));
            self.window[self.n % ROLLING_WINDOW] = c;
            self.n += 1;
            self.h3 = (self.h3 << 5) ^ c32;
            self.h1.wrapping_add(self.h2).wrapping_add(self.h3)
        }
    }

    #[test]
    fn closed_form_equals_incremental() {
        let mut inc = Incremental { window: [0; 7], h1: 0, h2: 0, h3: 0, n: 0 };
        let mut last = [0u8; 7];
        let mut x = 0x1234_5678u32;
        for i in 0..5000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let c = if i % 97 < 20 { 0xff } else { x as u8 };
            let expected = inc.push(c);
            last.rotate_left(1);
            last[6] = c;
            assert_eq!(sum_of_window(&last), expected, "at {i}");
        }
    }

    #[test]
    fn mask_matches_scalar_test() {
        let mut x = 0x9e37_79b9u32;
        let data: Vec<u8> = (0..64 * 40)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            })
            .collect();
        for shift in [0u32, 1, 3] {
            let mut history = [0u8; 6];
            for (b, block) in data.chunks(64).enumerate() {
                let mask = trigger_mask(&history, block, shift);
                for j in 0..block.len() {
                    let start = b * 64 + j;
                    let mut w = [0u8; 7];
                    for k in 0..7 {
                        w[k] = if start + k >= 6 { data[start + k - 6] } else { 0 };
                    }
                    let s = sum_of_window(&w);
                    let bs = 3u64 << shift;
                    let expected = u64::from(s) % bs == bs - 1;
                    assert_eq!(mask >> j & 1 == 1, expected, "shift {shift} pos {start}");
                }
                history.copy_from_slice(&block[block.len() - 6..]);
            }
        }
    }
}
