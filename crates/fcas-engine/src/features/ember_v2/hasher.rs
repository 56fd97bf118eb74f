//! scikit-learn's `FeatureHasher` (the hashing trick EMBER uses for names and lists): signed
//! MurmurHash3 x86_32 with seed 0 over the UTF-8 bytes, index `|h| mod n`, sign of `h` applied
//! to the value (`alternate_sign=True`), values of equal indices summed.

/// A dense output of `n` buckets.
pub(super) struct FeatureHasher {
    buckets: Vec<f64>,
}

impl FeatureHasher {
    pub(super) fn new(n: usize) -> Self {
        Self { buckets: vec![0.0; n] }
    }

    /// Adds `value` for the feature `name` (input_type "pair"; "string" is `value = 1`).
    pub(super) fn add(&mut self, name: &str, value: f64) {
        let h = murmur3::murmur3_32(&mut name.as_bytes(), 0).unwrap_or(0) as i32;
        let n = self.buckets.len() as i64;
        // i32::MIN has no absolute value in C; scikit-learn's Cython code ends up with this bucket.
        let index = if h == i32::MIN { (2_147_483_647 - (n - 1)).rem_euclid(n) } else { (h as i64).abs() % n };
        let sign = if h >= 0 { 1.0 } else { -1.0 };
        self.buckets[index as usize] += sign * value;
    }

    /// Adds each string with value 1.
    pub(super) fn add_strings<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            self.add(name, 1.0);
        }
    }

    pub(super) fn into_f32(self) -> impl Iterator<Item = f32> {
        self.buckets.into_iter().map(|v| v as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::FeatureHasher;

    #[test]
    fn murmur_matches_the_published_test_vectors() {
        // MurmurHash3 x86_32 reference values (seed 0).
        assert_eq!(murmur3::murmur3_32(&mut &b""[..], 0).unwrap(), 0);
        assert_eq!(murmur3::murmur3_32(&mut &b"hello"[..], 0).unwrap(), 0x248b_fa47);
        assert_eq!(murmur3::murmur3_32(&mut &b"Hello, world!"[..], 0).unwrap(), 0xc036_3e43);
    }

    #[test]
    fn equal_names_accumulate_and_sum_cancels_nothing_else() {
        let mut h = FeatureHasher::new(16);
        h.add("a", 2.0);
        h.add("a", 3.0);
        let total: f32 = h.into_f32().map(f32::abs).sum();
        assert_eq!(total, 5.0);
    }
}
