//! Shannon entropy, byte counting, the entropy profile and the EMBER v2 byte-entropy histogram.
//!
//! Every computation here has a streaming form (fed chunk by chunk by the one pass over a
//! file in `crate::hashes`) and a slice form for callers that hold the bytes.
use fcas_report::EntropyPoint;

/// Shannon entropy of `bytes` in bits per byte (0 for an empty slice).
pub fn shannon(bytes: &[u8]) -> f64 {
    let mut counts = [0u64; 256];
    count_bytes(&mut counts, bytes);
    shannon_of_counts(&counts, bytes.len() as u64)
}

/// Shannon entropy of a byte histogram whose counts sum to `total`.
pub fn shannon_of_counts(counts: &[u64; 256], total: u64) -> f64 {
    if total == 0 {
        return 0.0;
    }
    let total = total as f64;
    let sum: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / total;
            p * p.log2()
        })
        .sum();
    // `0.0 - sum` rather than `-sum`: a single-valued input gives +0.0, not -0.0.
    0.0 - sum
}

/// Adds the count of each byte value in `bytes` to `counts`.
pub fn count_bytes(counts: &mut [u64; 256], bytes: &[u8]) {
    if bytes.len() < 1024 {
        for &b in bytes {
            counts[usize::from(b)] += 1;
        }
        return;
    }
    // Four tables: runs of one byte value would otherwise serialise on a single counter.
    // u32 counters: pieces stay well under 4 Gi bytes.
    for piece in bytes.chunks(1 << 30) {
        let mut tables = [[0u32; 256]; 4];
        let mut quads = piece.chunks_exact(4);
        for q in &mut quads {
            tables[0][usize::from(q[0])] += 1;
            tables[1][usize::from(q[1])] += 1;
            tables[2][usize::from(q[2])] += 1;
            tables[3][usize::from(q[3])] += 1;
        }
        for &b in quads.remainder() {
            tables[0][usize::from(b)] += 1;
        }
        for (i, count) in counts.iter_mut().enumerate() {
            *count += u64::from(tables[0][i]) + u64::from(tables[1][i]) + u64::from(tables[2][i]) + u64::from(tables[3][i]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Entropy profile

/// Smallest window of the entropy profile.
pub const PROFILE_MIN_WINDOW: u64 = 256;

/// Length of each entropy-profile window for a file of `total_len` bytes and at most
/// `max_points` points: the file split evenly, but never into windows under 256 bytes.
pub fn profile_window_len(total_len: u64, max_points: usize) -> u64 {
    let points = (max_points as u64).max(1);
    total_len.div_ceil(points).max(PROFILE_MIN_WINDOW)
}

/// Windows up to this length get their entropy from a table of `c * log2(c)` (at most 32 KiB):
/// one lookup per byte value instead of one logarithm, for the thousands of short windows of a
/// typical file.
const PLOGP_TABLE_MAX_WINDOW: u64 = 4096;

/// `c * log2(c)` for `c` in `0..=window_len` (empty past [`PLOGP_TABLE_MAX_WINDOW`]).
fn plogp_table(window_len: u64) -> Vec<f64> {
    if window_len > PLOGP_TABLE_MAX_WINDOW {
        return Vec::new();
    }
    (0..=window_len).map(|c| if c == 0 { 0.0 } else { c as f64 * (c as f64).log2() }).collect()
}

/// Shannon entropy of `counts` (summing to `total`) as `log2(n) - sum(c log2 c) / n`, with the
/// `c log2 c` terms from `table`; `None` when a count falls outside it.
fn shannon_from_table(counts: &[u64; 256], total: u64, table: &[f64]) -> Option<f64> {
    if total == 0 {
        return Some(0.0);
    }
    let mut sum = 0.0;
    for &c in counts {
        sum += table.get(usize::try_from(c).ok()?)?;
    }
    let n = total as f64;
    let entropy = n.log2() - sum / n;
    // Rounding may leave a tiny negative for single-valued windows.
    Some(if entropy <= 0.0 { 0.0 } else { entropy })
}

/// Streaming entropy profile that also yields the whole-file byte histogram (the sum of its
/// windows' histograms, so every byte is counted once).
pub struct EntropyProfile {
    window_len: u64,
    plogp: Vec<f64>,
    enabled: bool,
    offset: u64,
    current: [u64; 256],
    current_len: u64,
    whole: [u64; 256],
    points: Vec<EntropyPoint>,
}

impl EntropyProfile {
    /// A profile of a file of `total_len` bytes with at most `max_points` points (0: none, the
    /// histogram is still counted).
    pub fn new(total_len: u64, max_points: usize) -> Self {
        let window_len = profile_window_len(total_len, max_points);
        let expected = total_len.div_ceil(window_len).min(max_points as u64) as usize;
        Self {
            window_len,
            plogp: if max_points > 0 { plogp_table(window_len) } else { Vec::new() },
            enabled: max_points > 0,
            offset: 0,
            current: [0; 256],
            current_len: 0,
            whole: [0; 256],
            points: Vec::with_capacity(expected),
        }
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let room = (self.window_len - self.current_len).min(data.len() as u64) as usize;
            let (now, rest) = data.split_at(room);
            count_bytes(&mut self.current, now);
            self.current_len += room as u64;
            data = rest;
            if self.current_len == self.window_len {
                self.close_window();
            }
        }
    }

    fn close_window(&mut self) {
        if self.current_len == 0 {
            return;
        }
        if self.enabled {
            let entropy = shannon_from_table(&self.current, self.current_len, &self.plogp)
                .unwrap_or_else(|| shannon_of_counts(&self.current, self.current_len));
            self.points.push(EntropyPoint { offset: self.offset, length: self.current_len, entropy });
        }
        for (w, c) in self.whole.iter_mut().zip(self.current.iter_mut()) {
            *w += *c;
            *c = 0;
        }
        self.offset += self.current_len;
        self.current_len = 0;
    }

    /// The profile points and the whole-file byte histogram.
    pub fn finish(mut self) -> (Vec<EntropyPoint>, [u64; 256]) {
        self.close_window();
        (self.points, self.whole)
    }
}

/// Entropy of at most `max_points` evenly sized windows of `bytes` (each at least 256 bytes;
/// the last one may be shorter).
pub fn entropy_profile(bytes: &[u8], max_points: usize) -> Vec<EntropyPoint> {
    let mut profile = EntropyProfile::new(bytes.len() as u64, max_points);
    profile.update(bytes);
    profile.finish().0
}

// ---------------------------------------------------------------------------------------------
// EMBER v2 byte-entropy histogram

/// Window of the EMBER byte-entropy histogram.
const EMBER_WINDOW: usize = 2048;
/// Step between windows (windows overlap by half).
const EMBER_STEP: usize = 1024;

/// Streaming EMBER v2 `ByteEntropyHistogram`: for each window of 2048 bytes at offsets 0,
/// 1024, 2048, ... (a tail shorter than a window is dropped; a file shorter than one window is
/// one window), the 16 counts of `byte >> 4` are added to row `int(2 * H)` of a 16x16 matrix,
/// H being twice the entropy of those counts over 2048, in float32 as EMBER computes it.
#[derive(Default)]
pub struct ByteEntropyHistogram {
    rows: [[u64; 16]; 16],
    previous: [u32; 16],
    current: [u32; 16],
    current_len: usize,
    complete_steps: u64,
}

impl ByteEntropyHistogram {
    /// An empty histogram.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes.
    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let room = (EMBER_STEP - self.current_len).min(data.len());
            let (now, rest) = data.split_at(room);
            count_nibbles(&mut self.current, now);
            self.current_len += room;
            data = rest;
            if self.current_len == EMBER_STEP {
                if self.complete_steps >= 1 {
                    let window = add16(&self.previous, &self.current);
                    add_window(&mut self.rows, &window);
                }
                self.previous = self.current;
                self.current = [0; 16];
                self.current_len = 0;
                self.complete_steps += 1;
            }
        }
    }

    /// The raw 16x16 counts, row-major (EMBER's `raw.byteentropy`).
    pub fn counts(&self) -> Vec<u64> {
        let mut rows = self.rows;
        let total = self.complete_steps.saturating_mul(EMBER_STEP as u64).saturating_add(self.current_len as u64);
        if total < EMBER_WINDOW as u64 {
            // Shorter than one window: the whole file is the only window.
            add_window(&mut rows, &add16(&self.previous, &self.current));
        }
        rows.iter().flatten().copied().collect()
    }

    /// The counts normalised to sum 1, in float32 exactly as EMBER's vector holds them (all
    /// zeros for an empty input, where EMBER would divide by zero).
    pub fn normalized(&self) -> Vec<f32> {
        normalize_byte_entropy(&self.counts())
    }
}

/// EMBER v2 byte-entropy histogram of `bytes`, normalised (256 values summing to 1).
pub fn byte_entropy_histogram(bytes: &[u8]) -> Vec<f32> {
    let mut histogram = ByteEntropyHistogram::new();
    histogram.update(bytes);
    histogram.normalized()
}

/// EMBER v2 byte-entropy histogram of `bytes`, raw counts (256 values, row-major).
pub fn byte_entropy_counts(bytes: &[u8]) -> Vec<u64> {
    let mut histogram = ByteEntropyHistogram::new();
    histogram.update(bytes);
    histogram.counts()
}

/// Normalises raw byte-entropy counts as EMBER does: float32 counts over their numpy sum.
pub fn normalize_byte_entropy(counts: &[u64]) -> Vec<f32> {
    let values: Vec<f32> = counts.iter().map(|&c| c as f32).collect();
    let sum = numpy_sum_f32(&values);
    if sum == 0.0 {
        return vec![0.0; values.len()];
    }
    values.iter().map(|&v| v / sum).collect()
}

fn count_nibbles(counts: &mut [u32; 16], bytes: &[u8]) {
    let mut tables = [[0u32; 16]; 4];
    let mut quads = bytes.chunks_exact(4);
    for q in &mut quads {
        tables[0][usize::from(q[0] >> 4)] += 1;
        tables[1][usize::from(q[1] >> 4)] += 1;
        tables[2][usize::from(q[2] >> 4)] += 1;
        tables[3][usize::from(q[3] >> 4)] += 1;
    }
    for &b in quads.remainder() {
        tables[0][usize::from(b >> 4)] += 1;
    }
    for (i, count) in counts.iter_mut().enumerate() {
        *count += tables[0][i] + tables[1][i] + tables[2][i] + tables[3][i];
    }
}

fn add16(a: &[u32; 16], b: &[u32; 16]) -> [u32; 16] {
    let mut out = [0u32; 16];
    for (o, (x, y)) in out.iter_mut().zip(a.iter().zip(b)) {
        *o = x + y;
    }
    out
}

fn add_window(rows: &mut [[u64; 16]; 16], window: &[u32; 16]) {
    let row = &mut rows[entropy_bin(window)];
    for (r, &c) in row.iter_mut().zip(window) {
        *r += u64::from(c);
    }
}

/// Row of a window: `int(2 * H)` with H = 2 * sum(-p log2 p), p = count / 2048, capped at 15;
/// float32 throughout and summed in numpy's order so that boundary cases fall the same way.
fn entropy_bin(window: &[u32; 16]) -> usize {
    let mut terms = [0f32; 16];
    let mut n = 0;
    for &c in window.iter().filter(|&&c| c > 0) {
        let p = c as f32 / EMBER_WINDOW as f32;
        terms[n] = -p * p.log2();
        n += 1;
    }
    let h = numpy_sum_f32(&terms[..n]) * 2.0;
    // `as` saturates (NaN to 0), the cap handles entropy 8.
    ((h * 2.0) as usize).min(15)
}

/// `np.sum` of a contiguous float32 array: numpy's pairwise summation.
pub(crate) fn numpy_sum_f32(a: &[f32]) -> f32 {
    const BLOCK: usize = 128;
    let n = a.len();
    if n < 8 {
        let mut res = 0f32;
        for &x in a {
            res += x;
        }
        res
    } else if n <= BLOCK {
        let mut r = [0f32; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - n % 8 {
            for (j, acc) in r.iter_mut().enumerate() {
                *acc += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &a[i..] {
            res += x;
        }
        res
    } else {
        let mut half = n / 2;
        half -= half % 8;
        numpy_sum_f32(&a[..half]) + numpy_sum_f32(&a[half..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pseudo_random(len: usize) -> Vec<u8> {
        let mut x = 0x2545_f491u32;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn profile_respects_point_limit_and_covers_file() {
        for len in [0usize, 1, 255, 256, 257, 10_000, 131_072, 1_000_003] {
            let bytes = pseudo_random(len);
            for max_points in [0usize, 1, 7, 512] {
                let profile = entropy_profile(&bytes, max_points);
                assert!(profile.len() <= max_points, "len {len} max {max_points}");
                if max_points == 0 || len == 0 {
                    assert!(profile.is_empty());
                    continue;
                }
                let mut expected_offset = 0;
                for (i, point) in profile.iter().enumerate() {
                    assert_eq!(point.offset, expected_offset);
                    let last = i + 1 == profile.len();
                    if !last {
                        assert!(point.length >= PROFILE_MIN_WINDOW.min(len as u64));
                        assert_eq!(point.length, profile[0].length, "windows are even");
                    }
                    assert!(point.length > 0);
                    assert!((0.0..=8.0).contains(&point.entropy));
                    let start = point.offset as usize;
                    let window = &bytes[start..start + point.length as usize];
                    assert!((point.entropy - shannon(window)).abs() < 1e-12);
                    expected_offset += point.length;
                }
                assert_eq!(expected_offset, len as u64, "windows cover the file");
            }
        }
    }

    #[test]
    fn single_valued_windows_have_zero_entropy() {
        let profile = entropy_profile(&[0x41; 10_000], 64);
        assert!(!profile.is_empty());
        assert!(profile.iter().all(|p| p.entropy == 0.0 && p.entropy.is_sign_positive()), "{profile:?}");
    }

    #[test]
    fn streaming_profile_gives_whole_histogram() {
        let bytes = pseudo_random(70_001);
        let mut profile = EntropyProfile::new(bytes.len() as u64, 16);
        for chunk in bytes.chunks(999) {
            profile.update(chunk);
        }
        let (points, histogram) = profile.finish();
        let mut expected = [0u64; 256];
        for &b in &bytes {
            expected[b as usize] += 1;
        }
        assert_eq!(histogram, expected);
        assert_eq!(points, entropy_profile(&bytes, 16));
    }

    #[test]
    fn byte_entropy_is_chunking_independent() {
        let bytes = pseudo_random(9_000);
        let whole = byte_entropy_counts(&bytes);
        let mut streaming = ByteEntropyHistogram::new();
        for chunk in bytes.chunks(333) {
            streaming.update(chunk);
        }
        assert_eq!(streaming.counts(), whole);
        // 9000 bytes: windows at 0..=6144 step 1024 -> 7 windows of 2048.
        assert_eq!(whole.iter().sum::<u64>(), 7 * 2048);
        // A short file is one window of its own length.
        assert_eq!(byte_entropy_counts(&bytes[..100]).iter().sum::<u64>(), 100);
    }

    #[test]
    fn numpy_sum_order() {
        let a: Vec<f32> = (0..300).map(|i| 1.0 + i as f32 * 1e-3).collect();
        let naive: f32 = a.iter().sum();
        assert!((numpy_sum_f32(&a) - naive).abs() < 1e-2);
        assert_eq!(numpy_sum_f32(&[1.0, 2.0, 3.0]), 6.0);
    }
}
