//! Bounds-checked reads at absolute offsets, shared by the formats here and by the container
//! readers of `fcas-extract`: a lying length or offset is `None`, never a panic.

/// The `u16` at `at`.
pub fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

/// The `u32` at `at`.
pub fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// The `u64` at `at`.
pub fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at.checked_add(8)?)?.try_into().ok()?))
}

/// The big-endian `u32` at `at`.
pub fn u32_be_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// The big-endian `u64` at `at`.
pub fn u64_be_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.get(at..at.checked_add(8)?)?.try_into().ok()?))
}

/// `length` bytes at `at`.
pub fn slice_at(bytes: &[u8], at: usize, length: usize) -> Option<&[u8]> {
    bytes.get(at..at.checked_add(length)?)
}

/// The zero-terminated ANSI string at `at` (Latin-1 decoded; code page 1252 differs only in
/// 0x80..0x9f), ending at the end of `bytes` when unterminated.
pub(crate) fn ansi_z(bytes: &[u8], at: usize) -> Option<String> {
    let rest = bytes.get(at..)?;
    let end = memchr::memchr(0, rest).unwrap_or(rest.len());
    Some(latin1(rest.get(..end)?))
}

/// The zero-terminated UTF-16LE string at `at`, ending at the end of `bytes` when unterminated.
pub(crate) fn utf16_z(bytes: &[u8], at: usize) -> Option<String> {
    let rest = bytes.get(at..)?;
    let units: Vec<u16> = rest.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).take_while(|&unit| unit != 0).collect();
    Some(String::from_utf16_lossy(&units))
}

/// UTF-16LE bytes as text (an odd last byte is dropped).
pub(crate) fn utf16(bytes: &[u8]) -> String {
    utf16_lossy(bytes, false)
}

/// UTF-16 text (big- or little-endian), an odd last byte dropped and unpaired surrogates as
/// U+FFFD.
pub fn utf16_lossy(bytes: &[u8], big_endian: bool) -> String {
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

/// Bytes as Latin-1 text.
pub(super) use crate::findings::latin1;

/// A GUID stored in its mixed-endian form, in lowercase canonical text.
pub(crate) fn guid(bytes: &[u8]) -> Option<String> {
    let raw: &[u8; 16] = bytes.get(..16)?.try_into().ok()?;
    let data1 = u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]);
    let data2 = u16::from_le_bytes([raw[4], raw[5]]);
    let data3 = u16::from_le_bytes([raw[6], raw[7]]);
    let tail: String = raw[8..].iter().map(|b| format!("{b:02x}")).collect();
    Some(format!("{data1:08x}-{data2:04x}-{data3:04x}-{}-{}", &tail[..4], &tail[4..]))
}

/// The bytes a hexadecimal string spells (test vectors are written so).
#[cfg(test)]
pub(crate) fn hex(text: &str) -> Vec<u8> {
    #[allow(clippy::unwrap_used)] // test vectors are well formed
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_past_the_end_are_none() {
        assert_eq!(u32_at(&[1, 2, 3], 0), None);
        assert_eq!(u16_at(&[1, 2], usize::MAX), None);
        assert_eq!(slice_at(&[1, 2], 1, usize::MAX), None);
        assert_eq!(ansi_z(b"abc", 1).unwrap(), "bc");
        assert_eq!(utf16_z(&[b'a', 0, b'b'], 0).unwrap(), "a");
        assert_eq!(u64_at(&[0; 8], usize::MAX), None);
        assert_eq!(u32_be_at(&[0, 0, 1, 0], 0), Some(256));
        assert_eq!(u64_be_at(&[0; 7], 0), None);
        assert_eq!(u16_at(&[1, 2], 0), Some(0x0201));
    }

    #[test]
    fn utf16_of_either_order_drops_an_odd_byte_and_replaces_lone_surrogates() {
        assert_eq!(utf16_lossy(b"\0a\0b\0", true), "ab");
        assert_eq!(utf16_lossy(b"a\0\x00\xd8", false), "a\u{fffd}");
        assert_eq!(utf16(b"a\0b\0c"), "ab");
    }

    #[test]
    fn guid_is_mixed_endian() {
        let bytes = [0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46];
        assert_eq!(guid(&bytes).unwrap(), "00021401-0000-0000-c000-000000000046");
    }
}
