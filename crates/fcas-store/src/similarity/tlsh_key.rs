//! The part of a TLSH hash the index buckets on: its length byte (L-value).

/// The L-value of a TLSH hash (`T1` + 70 hex digits, or the 70 digits alone). TLSH writes each
/// header byte with its two hex digits swapped; this undoes that.
pub fn lvalue(tlsh: &str) -> Option<u8> {
    let hex = tlsh.strip_prefix("T1").unwrap_or(tlsh);
    if hex.len() != 70 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    // Checksum byte at digits 0..2, L-value at 2..4.
    let low = char::from(*hex.as_bytes().get(2)?).to_digit(16)?;
    let high = char::from(*hex.as_bytes().get(3)?).to_digit(16)?;
    u8::try_from(high << 4 | low).ok()
}

/// The smallest TLSH distance two hashes with L-values `a` and `b` can have: the length term of
/// the standard distance (0 when equal, 1 when adjacent, 12 per step beyond, on a ring of 256).
pub fn length_lower_bound(a: u8, b: u8) -> u32 {
    let ring_distance = u32::from(a.abs_diff(b)).min(256 - u32::from(a.abs_diff(b)));
    match ring_distance {
        0 => 0,
        1 => 1,
        d => d * 12,
    }
}

/// The L-values at ring distance exactly `distance` from `center` (one or two of them).
pub fn buckets_at(center: u8, distance: u8) -> Vec<u8> {
    let up = center.wrapping_add(distance);
    let down = center.wrapping_sub(distance);
    if up == down {
        vec![up]
    } else {
        vec![up, down]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lvalue_reads_the_swapped_length_byte() {
        // "T1" + checksum "92" + L "A4" (= 0x4A) + ...
        let hash = "T192A4C9656BF88618F2F35F385DBA53612B36FE41AE31D70F5600662D1C72A90DEA0723";
        assert_eq!(lvalue(hash), Some(0x4A));
        assert_eq!(lvalue("TNULL"), None);
        assert_eq!(lvalue(""), None);
    }

    #[test]
    fn length_bound_is_a_ring_distance() {
        assert_eq!(length_lower_bound(10, 10), 0);
        assert_eq!(length_lower_bound(10, 11), 1);
        assert_eq!(length_lower_bound(10, 13), 36);
        assert_eq!(length_lower_bound(255, 1), 24);
        assert_eq!(buckets_at(0, 1), vec![1, 255]);
        assert_eq!(buckets_at(0, 128), vec![128]);
    }
}
