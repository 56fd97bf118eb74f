//! The triage keyword counts of pdfid (Didier Stevens), reproduced rule for rule so that our
//! numbers can be compared with the tool analysts know:
//! - the scan starts after the header line when `%PDF` is in the first 1024 bytes, else at 0;
//! - a word is a run of ASCII letters and digits (and byte 0xDF, which pdfid's Python 3
//!   `upper()` turns into `SS` and so counts as a letter);
//! - inside a name (after `/`), `#xx` with two hex digits adds the decoded byte to the word and
//!   marks it hex-escaped; a `#` not followed by two hex digits ends the word but keeps the
//!   name going;
//! - a word counts when `/`+word (after a slash) or the word alone equals a keyword, case
//!   sensitive, so `/Pages` is not `/Page` and `/obj` is not `obj`;
//! - `/Colors > 2^24`: a number word greater than 2^24 while the last name seen is `/Colors`.
use std::collections::BTreeMap;

/// The keywords, in pdfid's order, plus `/URI` (which pdfid counts when its configuration
/// lists it).
pub(crate) const KEYWORDS: [&str; 21] = [
    "obj",
    "endobj",
    "stream",
    "endstream",
    "xref",
    "trailer",
    "startxref",
    "/Page",
    "/Encrypt",
    "/ObjStm",
    "/JS",
    "/JavaScript",
    "/AA",
    "/OpenAction",
    "/AcroForm",
    "/JBIG2Decode",
    "/RichMedia",
    "/Launch",
    "/EmbeddedFile",
    "/XFA",
    "/URI",
];
/// The name pdfid gives its count of oversized `/Colors` values (CVE-2009-3459).
pub(crate) const COLORS_OVER_2_24: &str = "/Colors > 2^24";
const COLORS_SLOT: usize = KEYWORDS.len();
const SLOTS: usize = KEYWORDS.len() + 1;

/// Longest keyword body; longer words are only kept as far as needed to know they match none.
const WORD_KEEP: usize = 16;

/// Counts of each keyword, and of those written with `#xx` escapes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KeywordCounts {
    counts: [u64; SLOTS],
    hex_escaped: [u64; SLOTS],
}

impl KeywordCounts {
    /// The count of `keyword` (one of [`KEYWORDS`] or [`COLORS_OVER_2_24`]).
    pub(crate) fn get(&self, keyword: &str) -> u64 {
        slot_of_name(keyword).map_or(0, |slot| self.counts[slot])
    }

    /// Every keyword with its count, zeros included (as pdfid lists them).
    pub(crate) fn to_map(&self) -> BTreeMap<String, u64> {
        names().zip(self.counts).map(|(name, count)| (name.to_string(), count)).collect()
    }

    /// The keywords written with `#xx` escapes at least once, with how often.
    pub(crate) fn hex_escaped_map(&self) -> BTreeMap<String, u64> {
        names().zip(self.hex_escaped).filter(|(_, count)| *count > 0).map(|(name, count)| (name.to_string(), count)).collect()
    }

    /// Whether any keyword was written with `#xx` escapes.
    pub(crate) fn any_hex_escaped(&self) -> bool {
        self.hex_escaped.iter().any(|&count| count > 0)
    }

    /// Adds `other`'s counts to these.
    pub(crate) fn add(&mut self, other: &KeywordCounts) {
        for slot in 0..SLOTS {
            self.counts[slot] = self.counts[slot].saturating_add(other.counts[slot]);
            self.hex_escaped[slot] = self.hex_escaped[slot].saturating_add(other.hex_escaped[slot]);
        }
    }
}

fn names() -> impl Iterator<Item = &'static str> {
    KEYWORDS.iter().copied().chain(std::iter::once(COLORS_OVER_2_24))
}

fn slot_of_name(name: &str) -> Option<usize> {
    names().position(|candidate| candidate == name)
}

/// The header line pdfid reads (`%PDF-1.7`), and where its keyword scan starts.
pub(crate) fn header(bytes: &[u8]) -> (Option<&[u8]>, usize) {
    let first = bytes.get(..bytes.len().min(1024)).unwrap_or_default();
    let Some(index) = memchr::memmem::find(first, b"%PDF") else { return (None, 0) };
    // pdfid stops at the first CR or LF within 10 bytes after `%PDF`, else after 9 of them.
    let mut end = index + 4;
    while end < index + 13 && first.get(end).is_some_and(|&b| b != b'\n' && b != b'\r') {
        end += 1;
    }
    let end = end.min(first.len());
    (first.get(index..end), end)
}

/// The PDF version in a header line (`1.7` from `%PDF-1.7`).
pub(crate) fn version(header: &[u8]) -> String {
    let rest = header.strip_prefix(b"%PDF-").unwrap_or_default();
    rest.iter().take_while(|b| b.is_ascii_digit() || **b == b'.').map(|&b| char::from(b)).collect()
}

/// Counts the keywords in the whole file, from where pdfid starts.
pub(crate) fn count_file(bytes: &[u8]) -> KeywordCounts {
    let (_, start) = header(bytes);
    count(bytes.get(start..).unwrap_or_default())
}

/// Counts the keywords in `bytes` (decoded object stream content is scanned with this too).
pub(crate) fn count(bytes: &[u8]) -> KeywordCounts {
    let mut scan = Scan::default();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if WORD_BYTE[usize::from(byte)] {
            // Most bytes are here: take the whole run at once.
            let start = i;
            while i < bytes.len() && WORD_BYTE[usize::from(bytes[i])] {
                i += 1;
            }
            scan.word.extend(&bytes[start..i], scan.last_name_is_colors);
            continue;
        }
        if byte == b'#' && scan.slash {
            if let Some(value) = hex_pair(bytes.get(i + 1..i + 3)) {
                scan.word.extend(&[value], scan.last_name_is_colors);
                scan.hex_escaped = true;
                i += 3;
                continue;
            }
            // Not an escape: the word ends, the name goes on (pdfid keeps its slash).
            scan.end_word();
            i += 1;
            continue;
        }
        scan.check_colors();
        scan.end_word();
        scan.slash = byte == b'/';
        i += 1;
    }
    scan.end_word();
    scan.counts
}

fn hex_pair(pair: Option<&[u8]>) -> Option<u8> {
    let [high, low] = pair? else { return None };
    Some(hex_digit(*high)? << 4 | hex_digit(*low)?)
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte).to_digit(16).and_then(|digit| u8::try_from(digit).ok())
}

/// The bytes pdfid takes as part of a word.
static WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == 0xDF;
        b += 1;
    }
    table
};

/// The word being read, kept only as far as keyword matching needs, and its value as a
/// number while a `/Colors` value is awaited.
#[derive(Default)]
struct Word {
    kept: [u8; WORD_KEEP],
    len: usize,
    not_a_number: bool,
    value: u64,
}

impl Word {
    fn extend(&mut self, part: &[u8], as_number: bool) {
        let room = WORD_KEEP.saturating_sub(self.len);
        for &byte in part.iter().take(room) {
            self.kept[self.len] = byte;
            self.len += 1;
        }
        if part.len() > room {
            // Longer than any keyword: remember that without keeping it.
            self.len = WORD_KEEP + 1;
        }
        if as_number {
            for &byte in part {
                if byte.is_ascii_digit() {
                    self.value = self.value.saturating_mul(10).saturating_add(u64::from(byte - b'0'));
                } else {
                    self.not_a_number = true;
                }
            }
        }
    }

    /// The word, or `None` when it is longer than kept.
    fn bytes(&self) -> Option<&[u8]> {
        self.kept.get(..self.len)
    }
}

#[derive(Default)]
struct Scan {
    counts: KeywordCounts,
    word: Word,
    slash: bool,
    hex_escaped: bool,
    last_name_is_colors: bool,
}

impl Scan {
    fn check_colors(&mut self) {
        if self.last_name_is_colors && self.word.len > 0 && !self.word.not_a_number && self.word.value > 1 << 24 {
            self.counts.counts[COLORS_SLOT] += 1;
        }
    }

    fn end_word(&mut self) {
        if self.word.len > 0 {
            let word = self.word.bytes();
            if let Some(slot) = word.and_then(|word| slot_of_word(self.slash, word)) {
                self.counts.counts[slot] += 1;
                if self.hex_escaped {
                    self.counts.hex_escaped[slot] += 1;
                }
            }
            if self.slash {
                self.last_name_is_colors = word == Some(b"Colors");
            }
        }
        self.word = Word::default();
        self.hex_escaped = false;
    }
}

fn slot_of_word(slash: bool, word: &[u8]) -> Option<usize> {
    let slot = if slash {
        match word {
            b"Page" => 7,
            b"Encrypt" => 8,
            b"ObjStm" => 9,
            b"JS" => 10,
            b"JavaScript" => 11,
            b"AA" => 12,
            b"OpenAction" => 13,
            b"AcroForm" => 14,
            b"JBIG2Decode" => 15,
            b"RichMedia" => 16,
            b"Launch" => 17,
            b"EmbeddedFile" => 18,
            b"XFA" => 19,
            b"URI" => 20,
            _ => return None,
        }
    } else {
        match word {
            b"obj" => 0,
            b"endobj" => 1,
            b"stream" => 2,
            b"endstream" => 3,
            b"xref" => 4,
            b"trailer" => 5,
            b"startxref" => 6,
            _ => return None,
        }
    };
    Some(slot)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn counted(text: &[u8], keyword: &str) -> u64 {
        count(text).get(keyword)
    }

    #[test]
    fn words_are_exact_and_case_sensitive() {
        assert_eq!(counted(b"1 0 obj << /Type /Page >> endobj", "obj"), 1);
        assert_eq!(counted(b"/Pages /Page /page /Page", "/Page"), 2);
        assert_eq!(counted(b"/obj obj 0obj", "obj"), 1);
        assert_eq!(counted(b"/JS/JS/JavaScript", "/JS"), 2);
    }

    #[test]
    fn hex_escapes_count_under_the_normalised_name() {
        let counts = count(b"/J#61vaScript /#4AS /J#53 /JS");
        assert_eq!(counts.get("/JavaScript"), 1);
        assert_eq!(counts.get("/JS"), 3);
        assert_eq!(counts.hex_escaped_map().get("/JS"), Some(&2));
        // Not an escape: `#` ends the word, the name goes on (`/A` then `/zzJS`).
        assert_eq!(counted(b"/A#zzJS", "/AA"), 0);
        assert_eq!(counted(b"/JS#zz", "/JS"), 1);
        assert_eq!(counted(b"/A#1", "/A"), 0);
    }

    #[test]
    fn colors_over_2_24() {
        assert_eq!(counted(b"/Colors 16777217 ", COLORS_OVER_2_24), 1);
        assert_eq!(counted(b"/Colors 16777216 ", COLORS_OVER_2_24), 0);
        assert_eq!(counted(b"/Colors 3 /BitsPerComponent 99999999 ", COLORS_OVER_2_24), 0);
        assert_eq!(counted(b"/Colors 99999999999999999999999 ", COLORS_OVER_2_24), 1);
    }

    #[test]
    fn header_and_version() {
        let (line, start) = header(b"junk%PDF-1.7\n1 0 obj");
        assert_eq!(line, Some(&b"%PDF-1.7"[..]));
        assert_eq!(start, 12);
        assert_eq!(version(line.unwrap()), "1.7");
        assert_eq!(header(b"%PDF"), (Some(&b"%PDF"[..]), 4));
        assert_eq!(header(b"no header").0, None);
    }
}
