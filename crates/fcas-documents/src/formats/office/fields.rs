//! DDE field codes: which field instructions are DDE, and the fields of Word's binary text.

/// Field characters of Word's binary text (MS-DOC 2.8.25): begin, separator, end.
const FIELD_BEGIN: u8 = 0x13;
const FIELD_SEPARATOR: u8 = 0x14;
const FIELD_END: u8 = 0x15;
/// Characters of one field's instruction kept: longer "fields" are text that happened to hold
/// a 0x13 byte, and a real instruction is short.
const MAX_FIELD: usize = 1000;

/// Whether a field instruction is a DDE or DDEAUTO field (`DDEAUTO cmd "/c calc"`).
pub(super) fn is_dde_instruction(instruction: &str) -> bool {
    let trimmed = instruction.trim_start().to_ascii_lowercase();
    let rest = if let Some(rest) = trimmed.strip_prefix("ddeauto") {
        rest
    } else if let Some(rest) = trimmed.strip_prefix("dde") {
        rest
    } else {
        return false;
    };
    rest.starts_with(char::is_whitespace)
}

/// The DDE field instructions in the bytes of a Word binary stream. The text is scanned byte by
/// byte rather than through the piece table so that fields in any stream (and in text a lying
/// piece table hides) are found, as Word's own field parser would meet them. Characters outside
/// ASCII become `?` and zero bytes (the high halves of UTF-16 text) are dropped.
pub(super) fn word_binary_dde(stream: &[u8], max: usize) -> Vec<String> {
    let mut found = Vec::new();
    // The open field's instruction: from its begin character to its separator (or end).
    let mut start: Option<usize> = None;
    let mut stop: Option<usize> = None;
    // Only the three field characters matter; the bytes between them are read only for a DDE
    // candidate, so the scan runs at memchr's speed over most of a document.
    for at in memchr::memchr3_iter(FIELD_BEGIN, FIELD_SEPARATOR, FIELD_END, stream) {
        match stream.get(at) {
            Some(&FIELD_BEGIN) => (start, stop) = (Some(at + 1), None),
            Some(&FIELD_SEPARATOR) if start.is_some() => stop = stop.or(Some(at)),
            Some(&FIELD_END) => {
                if let Some(from) = start.take() {
                    let instruction = instruction_text(stream.get(from..stop.unwrap_or(at)).unwrap_or_default());
                    if is_dde_instruction(&instruction) && found.len() < max {
                        found.push(instruction);
                    }
                }
                stop = None;
            }
            _ => {}
        }
    }
    found
}

/// An instruction's text: zero bytes (the high halves of UTF-16 text) dropped, line breaks
/// kept, other control and non-ASCII characters as `?`, at most [`MAX_FIELD`] characters.
fn instruction_text(bytes: &[u8]) -> String {
    bytes
        .iter()
        .filter(|&&byte| byte != 0)
        .take(MAX_FIELD + 1)
        .map(|&byte| match byte {
            b'\n' | b'\r' => '\n',
            0x20..=0x7f => char::from(byte),
            _ => '?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dde_instructions() {
        assert!(is_dde_instruction(" DDEAUTO c:\\cmd.exe \"/k calc\""));
        assert!(is_dde_instruction("dde cmd x"));
        assert!(!is_dde_instruction(" HYPERLINK \"http://x\""));
        assert!(!is_dde_instruction("ddefoo"));
    }

    #[test]
    fn binary_fields_between_begin_and_separator() {
        let text = b"ab\x13 DDEAUTO cmd \"/c calc\" \x14result\x15 \x13 PAGE \x15\x13";
        assert_eq!(word_binary_dde(text, 10), vec![" DDEAUTO cmd \"/c calc\" ".to_string()]);
        let utf16: Vec<u8> = "\u{13}DDE x y\u{15}".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(word_binary_dde(&utf16, 10), vec!["DDE x y".to_string()]);
    }
}
