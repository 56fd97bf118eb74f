//! Integers and UTF-16 text read from a container's bytes, `None` past the end (one set of
//! readers for every format here).

pub(crate) fn le16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

pub(crate) fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

pub(crate) fn le64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at.checked_add(8)?)?.try_into().ok()?))
}

pub(crate) fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

pub(crate) fn be64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.get(at..at.checked_add(8)?)?.try_into().ok()?))
}

/// UTF-16 text (big- or little-endian), an odd last byte dropped and unpaired surrogates as
/// U+FFFD.
pub(crate) fn utf16_lossy(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair.first().copied().unwrap_or(0), pair.get(1).copied().unwrap_or(0)];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end_and_never_overflow() {
        assert_eq!(le16(&[1, 2], 0), Some(0x0201));
        assert_eq!(le32(&[1, 2, 3], 0), None);
        assert_eq!(le64(&[0; 8], usize::MAX), None);
        assert_eq!(be32(&[0, 0, 1, 0], 0), Some(256));
        assert_eq!(be64(&[0; 7], 0), None);
        assert_eq!(utf16_lossy(b"\0a\0b\0", true), "ab");
        assert_eq!(utf16_lossy(b"a\0\x00\xd8", false), "a\u{fffd}");
    }
}
