//! numpy's float32 summation order (pairwise with an 8-way unrolled base case), so sums of
//! float32 terms round as EMBER's did.

/// `np.sum` of a contiguous float32 array.
pub(super) fn sum_f32(terms: &[f32]) -> f32 {
    0.0 + pairwise(terms)
}

fn pairwise(a: &[f32]) -> f32 {
    let n = a.len();
    if n < 8 {
        let mut res = -0.0f32;
        for &x in a {
            res += x;
        }
        res
    } else if n <= 128 {
        let mut r = [0f32; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - (n % 8) {
            for j in 0..8 {
                r[j] += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += a[i];
            i += 1;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise(&a[..n2]) + pairwise(&a[n2..])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sums_small_and_large_arrays() {
        assert_eq!(super::sum_f32(&[]), 0.0);
        assert_eq!(super::sum_f32(&[1.0, 2.0, 3.0]), 6.0);
        let many = vec![0.5f32; 1000];
        assert_eq!(super::sum_f32(&many), 500.0);
    }
}
