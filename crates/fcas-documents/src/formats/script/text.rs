//! Telling text from binary in decoded bytes, and the script's own text.

/// Bytes as UTF-16LE text, when they are: even length, no unpaired surrogate, and printable.
pub(crate) fn utf16le(bytes: &[u8]) -> Option<String> {
    if bytes.len() < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
    let units = units.strip_prefix(&[0xfeff]).unwrap_or(&units);
    let text = String::from_utf16(units).ok()?;
    is_printable(&text).then_some(text)
}

/// Bytes as UTF-8 text, when they are valid and printable.
pub(crate) fn utf8(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    is_printable(text).then(|| text.to_string())
}

/// The decoded bytes as text: UTF-16LE first (what PowerShell encodes), then UTF-8.
pub(crate) fn as_text(bytes: &[u8]) -> Option<String> {
    // Zero bytes in odd positions are the UTF-16LE of ASCII; UTF-8 text has none.
    let looks_wide = bytes.iter().skip(1).step_by(2).take(64).filter(|&&b| b == 0).count() * 2 > bytes.len().min(128) / 2;
    if looks_wide {
        utf16le(bytes).or_else(|| utf8(bytes))
    } else {
        utf8(bytes).or_else(|| utf16le(bytes))
    }
}

/// No control characters but whitespace (one in a hundred forgiven).
fn is_printable(text: &str) -> bool {
    let total = text.chars().count();
    let control = text.chars().filter(|c| c.is_control() && !c.is_whitespace()).count();
    total > 0 && control * 100 <= total
}

/// The script as bytes to search: UTF-16 scripts (with a byte order mark) converted to UTF-8,
/// others as they are, so offsets are file offsets for ASCII and UTF-8 scripts.
pub(crate) fn searchable(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if let Some(wide) = bytes.strip_prefix(&[0xff, 0xfe]) {
        let units: Vec<u16> = wide.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
        return std::borrow::Cow::Owned(String::from_utf16_lossy(&units).into_bytes());
    }
    std::borrow::Cow::Borrowed(bytes)
}

/// At most `max_chars` characters of `text`, with `...` when cut.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn text_is_told_from_binary() {
        assert_eq!(as_text(b"h\0i\0").unwrap(), "hi");
        assert_eq!(as_text(b"hello").unwrap(), "hello");
        assert_eq!(as_text(b"MZ\x90\0\x03\0\0\0\x04\0"), None);
        assert_eq!(excerpt("abcdef", 3), "abc...");
        assert_eq!(searchable(b"\xff\xfea\0b\0").as_ref(), b"ab");
    }
}
