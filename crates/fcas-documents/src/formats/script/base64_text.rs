//! Base64 in script text: runs long enough to be a payload, decoded leniently about padding the
//! way PowerShell's and Python's decoders accept them.
use std::sync::LazyLock;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use regex::bytes::Regex;

/// Characters a run needs to be taken for a payload rather than a word or an identifier.
pub(crate) const MIN_RUN: usize = 40;

static LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent).with_decode_allow_trailing_bits(true),
);

static RUN: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(&format!("[A-Za-z0-9+/]{{{MIN_RUN},}}={{0,2}}")).ok());

/// A run of Base64 characters in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run<'a> {
    pub(crate) offset: usize,
    pub(crate) text: &'a [u8],
}

/// The runs of at least [`MIN_RUN`] Base64 characters in `text`, in order. Runs of hexadecimal
/// digits only are hashes or hex blobs, not Base64, and are left out.
pub(crate) fn runs(text: &[u8]) -> impl Iterator<Item = Run<'_>> {
    RUN.as_ref()
        .into_iter()
        .flat_map(move |regex| regex.find_iter(text))
        .filter(|found| !found.as_bytes().iter().all(u8::is_ascii_hexdigit))
        .map(|found| Run { offset: found.start(), text: found.as_bytes() })
}

/// The bytes `encoded` stands for, when it is valid Base64 and decodes to at most `max_bytes`.
pub(crate) fn decode(encoded: &[u8], max_bytes: usize) -> Option<Vec<u8>> {
    let digits = encoded.iter().take_while(|&&b| b != b'=').count();
    if digits % 4 == 1 || digits / 4 * 3 > max_bytes {
        return None;
    }
    LENIENT.decode(encoded).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn padding_is_optional_and_hex_is_not_base64() {
        assert_eq!(decode(b"aGVsbG8", 100).unwrap(), b"hello");
        assert_eq!(decode(b"aGVsbG8=", 100).unwrap(), b"hello");
        assert_eq!(decode(b"aGVsb", 100), None);
        assert_eq!(decode(b"aGVsbG8=", 2), None);
        let hex = "0123456789abcdef".repeat(4);
        assert_eq!(runs(hex.as_bytes()).count(), 0);
        let text = format!("x = \"{}\"", "QUJD".repeat(12));
        let found: Vec<_> = runs(text.as_bytes()).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].offset, 5);
    }
}
