//! Payloads decoded from a script: `-EncodedCommand` arguments and Base64 runs, and what is
//! encoded again inside those, to a fixed depth. Count, bytes per payload and bytes in all are
//! capped by [`DocLimits`]; a cut is reported.

use super::{base64_text, powershell, text};
use crate::DocLimits;

/// Encodings inside encodings followed this deep (a script, its payload, the payload's).
const MAX_DEPTH: usize = 3;
/// Characters of decoded text kept in the report per payload.
const EXCERPT: usize = 4096;

/// One decoded payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    /// `base64` or `powershell-encodedcommand`, with the outer encodings after `in`.
    pub(crate) encoding: String,
    /// Offset of the encoded text in the script, or in the payload it was found in.
    pub(crate) offset: usize,
    pub(crate) bytes: Vec<u8>,
    pub(crate) text: Option<String>,
    /// What the bytes are when they are a file (`pe`, `zip`, ...).
    pub(crate) file_type: Option<&'static str>,
}

impl Decoded {
    pub(crate) fn sha256(&self) -> String {
        crate::findings::sha256_hex(&self.bytes)
    }

    pub(crate) fn excerpt(&self) -> Option<String> {
        self.text.as_deref().map(|text| text::excerpt(text, EXCERPT))
    }
}

/// The payloads, and whether a limit cut the search.
#[derive(Debug, Default)]
pub(crate) struct Decoding {
    pub(crate) payloads: Vec<Decoded>,
    pub(crate) truncated: bool,
    /// Offsets and lengths of the top-level encoded runs.
    pub(crate) runs: Vec<(usize, usize)>,
    budget: usize,
}

/// Decodes what is encoded in `script` within `limits`.
pub(crate) fn decode_all(script: &[u8], limits: &DocLimits) -> Decoding {
    let mut decoding = Decoding { budget: limits.max_decoded_total, ..Decoding::default() };
    decode_level(script, "", 1, limits, &mut decoding);
    decoding
}

fn decode_level(text: &[u8], outer: &str, depth: usize, limits: &DocLimits, decoding: &mut Decoding) {
    let max_bytes = limits.max_decoded_stream;
    let mut found: Vec<(usize, &'static str, Vec<u8>, usize)> = Vec::new();
    for command in powershell::encoded_commands_in(text, limits.max_decoded_payloads + 1, max_bytes) {
        found.push((command.offset, "powershell-encodedcommand", command.bytes, command.encoded_length));
    }
    for run in base64_text::runs(text) {
        if found.len() > limits.max_decoded_payloads {
            break;
        }
        // An encoded command is a Base64 run too: one payload, named for the command.
        if found.iter().any(|(offset, kind, _, _)| *kind == "powershell-encodedcommand" && *offset == run.offset) {
            continue;
        }
        match base64_text::decode(run.text, max_bytes) {
            Some(bytes) => found.push((run.offset, "base64", bytes, run.text.len())),
            None if run.text.len() / 4 * 3 > max_bytes => decoding.truncated = true,
            None => {}
        }
    }
    found.sort_by_key(|(offset, ..)| *offset);
    if depth == 1 {
        decoding.runs = found.iter().map(|(offset, _, _, length)| (*offset, *length)).collect();
    }
    for (offset, kind, bytes, _) in found {
        if decoding.payloads.len() >= limits.max_decoded_payloads || bytes.len() > decoding.budget {
            decoding.truncated = true;
            return;
        }
        decoding.budget -= bytes.len();
        let encoding = if outer.is_empty() { kind.to_string() } else { format!("{kind} in {outer}") };
        let text = text::as_text(&bytes);
        let file_type = file_type(&bytes, text.as_deref());
        decoding.payloads.push(Decoded { encoding: encoding.clone(), offset, bytes, text, file_type });
        let index = decoding.payloads.len() - 1;
        if depth < MAX_DEPTH {
            if let Some(inner) = decoding.payloads.get(index).and_then(|p| p.text.clone()) {
                decode_level(inner.as_bytes(), &encoding, depth + 1, limits, decoding);
            }
        }
    }
}

/// The kind of file decoded bytes are, by magic or, for text, by script markers.
fn file_type(bytes: &[u8], text: Option<&str>) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 8] = [
        (b"MZ", "pe"),
        (b"PK\x03\x04", "zip"),
        (b"\x1f\x8b", "gzip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
        (b"%PDF", "pdf"),
        (b"\x7fELF", "elf"),
        (b"{\\rt", "rtf"),
        (b"7z\xbc\xaf\x27\x1c", "7z"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(kind);
    }
    let text = text?;
    (super::language::detect(text.as_bytes()) != "unknown").then_some("script")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use base64::Engine;

    fn b64(bytes: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn nested_encodings_are_followed_to_the_depth_limit() {
        let mut text = "Write-Host 'innermost payload that is long enough'".to_string();
        for _ in 0..6 {
            text = format!("$x = '{}'", b64(text.as_bytes()));
        }
        let decoding = decode_all(text.as_bytes(), &DocLimits::default());
        assert_eq!(decoding.payloads.len(), MAX_DEPTH);
        assert_eq!(decoding.payloads[2].encoding, "base64 in base64 in base64");
    }

    #[test]
    fn payload_count_and_size_are_capped() {
        let one = b64(&[0x41; 60]);
        let text = vec![one; 10_000].join(" ");
        let limits = DocLimits { max_decoded_payloads: 8, ..DocLimits::default() };
        let decoding = decode_all(text.as_bytes(), &limits);
        assert_eq!(decoding.payloads.len(), 8);
        assert!(decoding.truncated);
        let big = b64(&vec![7u8; 3 << 20]);
        let small = DocLimits { max_decoded_stream: 1 << 20, ..DocLimits::default() };
        let decoding = decode_all(big.as_bytes(), &small);
        assert!(decoding.payloads.is_empty());
        assert!(decoding.truncated);
    }

    #[test]
    fn files_are_recognised() {
        let text = format!("$b = '{}'", b64(&[b"MZ\x90\0".as_slice(), &[0u8; 60]].concat()));
        let decoding = decode_all(text.as_bytes(), &DocLimits::default());
        assert_eq!(decoding.payloads[0].file_type, Some("pe"));
    }
}
