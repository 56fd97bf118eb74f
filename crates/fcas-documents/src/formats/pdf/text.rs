//! PDF text strings (ISO 32000-1 7.9.2.2) as Rust strings: UTF-16BE (or LE) after a byte order
//! mark, UTF-8 after its mark, else PDFDocEncoding, read as Latin-1 (they differ only in a few
//! typographic characters between 0x18 and 0x9F).
pub(crate) fn text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

/// `text` cut to at most `max` bytes at a character boundary, and whether it was cut.
pub(crate) fn cut(mut text: String, max: usize) -> (String, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while end > 0 && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    (text, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(text(b"\xfe\xff\x00h\x00i"), "hi");
        assert_eq!(text(b"\xff\xfeh\x00i\x00"), "hi");
        assert_eq!(text(b"caf\xe9"), "caf\u{e9}");
        assert_eq!(text(b"\xfe\xff\xd8"), "");
        assert_eq!(cut("h\u{e9}llo".to_string(), 2), ("h".to_string(), true));
    }
}
