//! Signs that source hides its strings: long chains of `Chr(..)` calls, reversed strings,
//! strings made of hex digits or Base64 (olevba's "Hex String" and "Base64 String").
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

/// The names of the signs [`signs`] gives.
pub(crate) const SIGNS: &[&str] = &["Chr chain", "StrReverse", "Hex String", "Base64 String"];

/// `Chr(...)` calls in one concatenation that make it a hidden string rather than one character.
const MIN_CHR_CHAIN: usize = 5;
/// Characters of a string literal of hex digits or Base64 worth a look (olevba: hex 8, Base64 24
/// and more; longer here, so an identifier-like constant does not count).
const MIN_ENCODED_STRING: usize = 24;

/// What hides strings in `source`: `Chr chain`, `StrReverse`, `Hex String`, `Base64 String`.
pub(crate) fn signs(source: &str) -> Vec<String> {
    let mut signs = Vec::new();
    if longest_chr_chain(source) >= MIN_CHR_CHAIN {
        signs.push("Chr chain".to_string());
    }
    // Compiled once: compiling it for every module was a fifth of the whole document analysis.
    static STR_REVERSE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?i)\bStrReverse\b").ok());
    if STR_REVERSE.as_ref().is_some_and(|re| re.is_match(source)) {
        signs.push("StrReverse".to_string());
    }
    let literals = string_literals(source);
    if literals.iter().any(|text| is_hex(text)) {
        signs.push("Hex String".to_string());
    }
    if literals.iter().any(|text| is_base64(text)) {
        signs.push("Base64 String".to_string());
    }
    signs
}

/// The most `Chr`, `ChrW`, `ChrB` (and `$` forms) calls joined by `&` or `+` in a row.
fn longest_chr_chain(source: &str) -> usize {
    static CHAIN: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(chain) = CHAIN
        .get_or_init(|| {
            Regex::new(r"(?i)\bChr[BW]?\$?\s*\([^()&+]{1,40}\)(?:\s*[&+]\s*(?:_\s*\r?\n\s*)?\bChr[BW]?\$?\s*\([^()&+]{1,40}\))*").ok()
        })
        .as_ref()
    else {
        return 0;
    };
    chain.find_iter(source).map(|found| found.as_str().to_ascii_lowercase().matches("chr").count()).max().unwrap_or(0)
}

/// The contents of `"..."` literals (`""` is an escaped quote) on each line.
fn string_literals(source: &str) -> Vec<&str> {
    static LITERAL: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(literal) = LITERAL.get_or_init(|| Regex::new(r#""((?:[^"\r\n]|"")*)""#).ok()).as_ref() else {
        return Vec::new();
    };
    literal.captures_iter(source).filter_map(|c| c.get(1)).map(|m| m.as_str()).collect()
}

fn is_hex(text: &str) -> bool {
    text.len() >= MIN_ENCODED_STRING && text.len().is_multiple_of(2) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len() >= MIN_ENCODED_STRING
        && text.len().is_multiple_of(4)
        && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        // Both cases and a digit: plain words and numbers are not Base64.
        && body.bytes().any(|b| b.is_ascii_uppercase())
        && body.bytes().any(|b| b.is_ascii_lowercase())
        && body.bytes().any(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chr_chains_reversed_and_encoded_strings_are_seen() {
        let source = "s = Chr(99) & Chr(109) & ChrW(100) & Chr$(46) & chrb(101)\n\
                      t = StrReverse(\"exe.clac\")\n\
                      u = \"68747470733A2F2F6578616D706C652E636F6D2F\"\n\
                      v = \"aHR0cHM6Ly9leGFtcGxlLmNvbS9wYXlsb2Fk\"";
        assert_eq!(signs(source), vec!["Chr chain", "StrReverse", "Hex String", "Base64 String"]);
    }

    #[test]
    fn plain_code_has_no_signs() {
        let source = "c = Chr(13)\nMsgBox \"Hello, this is a normal message\"\nx = \"ABCDEFGHIJKLMNOPQRSTUVWX\"";
        assert!(signs(source).is_empty());
    }
}
