//! Module source and names are stored in the project's code page (PROJECTCODEPAGE). Windows-1252
//! and UTF-8 are decoded exactly; other code pages are read as Latin-1, which keeps every byte
//! (ASCII keywords, URLs and names still match) without a code page table per language.

/// Windows-1252's characters at 0x80..=0x9F (where it differs from Latin-1); unassigned bytes
/// keep their Latin-1 control character.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–',
    '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// The UTF-8 code page id.
const UTF8: u16 = 65001;
/// The Windows-1252 code page id (and the default when a project names none).
pub(crate) const WINDOWS_1252: u16 = 1252;

/// `bytes` in code page `code_page` as text.
pub(crate) fn decode(bytes: &[u8], code_page: u16) -> String {
    match code_page {
        UTF8 => String::from_utf8_lossy(bytes).into_owned(),
        WINDOWS_1252 => bytes.iter().map(|&b| cp1252(b)).collect(),
        _ => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// UTF-16LE (the `...UNICODE` dir records) as text; an odd last byte is dropped.
pub(crate) fn utf16le(bytes: &[u8]) -> String {
    let units = bytes.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]]));
    char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}

fn cp1252(byte: u8) -> char {
    match byte {
        0x80..=0x9f => CP1252_HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_pages() {
        assert_eq!(decode(b"Caf\xe9 \x80 \x93x\x94", WINDOWS_1252), "Café € “x”");
        assert_eq!(decode("Café".as_bytes(), UTF8), "Café");
        assert_eq!(decode(b"\xe0\xff", 1251), "\u{e0}\u{ff}");
        assert_eq!(utf16le(&[0x41, 0, 0xe9, 0, 0x42]), "Aé");
    }
}
