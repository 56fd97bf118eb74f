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

use super::hex::hex_pair;

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
///
/// Only the words around an anchor can change a count: a `/` (every name, escape and `/Colors`
/// starts with one) or `obj`, `stream`, `xref`, `trailer` (inside every other keyword). The
/// bytes between are skipped with vectorised searches, and pdfid's rules run from the plain
/// delimiter before each anchor (where its state is known: no slash, no word) to the first
/// plain delimiter after it.
pub(crate) fn count(bytes: &[u8]) -> KeywordCounts {
    let mut scan = Scan::default();
    let mut anchors = Anchors::default();
    let mut pos = 0;
    while let Some(anchor) = anchors.next(bytes, pos) {
        let mut start = anchor;
        while start > pos && bytes.get(start - 1).is_some_and(|&b| WORD_BYTE[usize::from(b)] || b == b'/' || b == b'#') {
            start -= 1;
        }
        pos = scan.run(bytes, start, anchor + 1);
    }
    scan.counts
}

/// The next occurrence of each anchor, searched again only once passed.
#[derive(Default)]
struct Anchors {
    next: [Option<Option<usize>>; 5],
}

impl Anchors {
    const WORDS: [&'static [u8]; 4] = [b"obj", b"stream", b"xref", b"trailer"];

    fn next(&mut self, bytes: &[u8], pos: usize) -> Option<usize> {
        let mut first: Option<usize> = None;
        for (slot, cached) in self.next.iter_mut().enumerate() {
            let stale = match cached {
                None => true,
                Some(Some(at)) => *at < pos,
                Some(None) => false,
            };
            if stale {
                let rest = bytes.get(pos..).unwrap_or_default();
                let found = match slot {
                    0 => memchr::memchr(b'/', rest),
                    _ => memchr::memmem::find(rest, Self::WORDS[slot - 1]),
                };
                *cached = Some(found.map(|offset| pos + offset));
            }
            if let Some(Some(at)) = cached {
                first = Some(first.map_or(*at, |first| first.min(*at)));
            }
        }
        first
    }
}

impl Scan {
    /// pdfid's rules from `start` (a point where no word is open and no slash is pending) up
    /// to the first plain delimiter at or after `min_end`, or further while a `/Colors` value
    /// may follow; returns where it stopped, again a point of that kind.
    fn run(&mut self, bytes: &[u8], start: usize, min_end: usize) -> usize {
        self.slash = false;
        let mut i = start;
        while let Some(&byte) = bytes.get(i) {
            if !WORD_BYTE[usize::from(byte)] {
                if byte == b'#' && self.slash {
                    if hex_pair(bytes.get(i + 1..i + 3)).is_some() {
                        i = self.escaped_word(bytes, i, Word::default());
                    } else {
                        // Not an escape: pdfid ends the (empty) word and keeps its slash.
                        i += 1;
                    }
                    continue;
                }
                self.slash = byte == b'/';
                i += 1;
                if !self.slash && i >= min_end && !self.last_name_is_colors {
                    return i;
                }
                continue;
            }
            let word_start = i;
            while bytes.get(i).is_some_and(|&b| WORD_BYTE[usize::from(b)]) {
                i += 1;
            }
            let word = &bytes[word_start..i];
            let next = bytes.get(i).copied();
            if self.slash && next == Some(b'#') && hex_pair(bytes.get(i + 1..i + 3)).is_some() {
                let mut escaped = Word::default();
                escaped.extend(word, self.last_name_is_colors);
                i = self.escaped_word(bytes, i, escaped);
                continue;
            }
            // pdfid checks `/Colors` values only at an ordinary end of word, not at a `#` that
            // is no escape nor at the end of the file.
            let colors_checked = next.is_some() && !(self.slash && next == Some(b'#'));
            if colors_checked && self.last_name_is_colors && number_over_2_24(word) {
                self.counts.counts[COLORS_SLOT] += 1;
            }
            self.end_word(Some(word), false);
        }
        i
    }
}

/// Whether `word` is all digits and its value is over 2^24.
fn number_over_2_24(word: &[u8]) -> bool {
    if word.is_empty() || !word.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let value = word.iter().fold(0u64, |value, &digit| value.saturating_mul(10).saturating_add(u64::from(digit - b'0')));
    value > 1 << 24
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
    slash: bool,
    last_name_is_colors: bool,
}

impl Scan {
    /// A name with `#xx` escapes, from `i` (at a `#` or a word byte) on, added to `word`:
    /// counted, and where the scan goes on.
    fn escaped_word(&mut self, bytes: &[u8], mut i: usize, mut word: Word) -> usize {
        let as_number = self.last_name_is_colors;
        loop {
            match bytes.get(i) {
                Some(b'#') => match hex_pair(bytes.get(i + 1..i + 3)) {
                    Some(value) => {
                        word.extend(&[value], as_number);
                        i += 3;
                    }
                    None => {
                        // The word ends, the slash stays, no `/Colors` check (as pdfid).
                        self.end_word(word.bytes(), true);
                        return i + 1;
                    }
                },
                Some(&byte) if WORD_BYTE[usize::from(byte)] => {
                    let start = i;
                    while bytes.get(i).is_some_and(|&b| WORD_BYTE[usize::from(b)]) {
                        i += 1;
                    }
                    word.extend(&bytes[start..i], as_number);
                }
                Some(_) => {
                    if self.last_name_is_colors && !word.not_a_number && word.value > 1 << 24 {
                        self.counts.counts[COLORS_SLOT] += 1;
                    }
                    self.end_word(word.bytes(), true);
                    return i;
                }
                None => {
                    self.end_word(word.bytes(), true);
                    return i;
                }
            }
        }
    }

    /// A word ended (`None`: longer than any keyword).
    fn end_word(&mut self, word: Option<&[u8]>, hex_escaped: bool) {
        if let Some(slot) = word.and_then(|word| slot_of_word(self.slash, word)) {
            self.counts.counts[slot] += 1;
            if hex_escaped {
                self.counts.hex_escaped[slot] += 1;
            }
        }
        if self.slash {
            self.last_name_is_colors = word == Some(b"Colors");
        }
    }
}

fn slot_of_word(slash: bool, word: &[u8]) -> Option<usize> {
    // Most words are no keyword: their length already says so.
    if !(2..=12).contains(&word.len()) {
        return None;
    }
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
