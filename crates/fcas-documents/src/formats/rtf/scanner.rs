//! Walks RTF the way Word tolerates it: groups need not balance, control words may sit
//! anywhere, and the hex of an `\objdata` destination is whatever hex digits its text holds.
//! Only destinations are tracked (a stack of them, each opened at a group level and closed when
//! that group closes), so memory follows the destinations, not the braces.
use super::destinations::is_destination;
use super::hex::HexCollector;
use crate::findings::latin1;
use crate::DocLimits;

/// Letters a control word may have; longer runs are not a control word for Word.
const MAX_WORD_LETTERS: usize = 250;
/// Bytes after the backslash in which a control word and its parameter must fit.
const MAX_WORD_BYTES: usize = 253;
/// Bytes of a `\*\template` or `\fldinst` destination's text kept.
const MAX_TEXT: usize = 4096;

/// What the walk found.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// The `\objdata` destinations in the order they closed.
    pub(super) objects: Vec<ObjData>,
    /// Offset of the first `\objupdate` (update the object when the document opens).
    pub(super) objupdate: Option<usize>,
    /// The targets of `\*\template` destinations (an attached, possibly remote, template).
    pub(super) templates: Vec<String>,
    /// The instructions of fields (`DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc"`).
    pub(super) fields: Vec<String>,
    /// Limits hit (`rtf.nesting`, `rtf.objdata`, `rtf.objects`).
    pub(super) truncated: Vec<&'static str>,
}

/// One `\objdata` destination, decoded from hex.
#[derive(Debug, Default)]
pub(super) struct ObjData {
    /// Offset of its data in the document.
    pub(super) offset: usize,
    /// The decoded bytes.
    pub(super) bytes: Vec<u8>,
    /// Obfuscation seen in its hex (`control word`, `\bin`, ...), each named once.
    pub(super) tricks: Vec<&'static str>,
}

/// What the text of a destination is for.
enum Content {
    ObjData(HexCollector, usize),
    Template(Vec<u8>),
    FieldInstruction(Vec<u8>),
    Other,
}

struct Destination {
    level: i64,
    content: Content,
}

/// Walks `bytes`; never fails: what is malformed is read as Word would or skipped.
pub(super) fn scan(bytes: &[u8], limits: &DocLimits) -> Scan {
    let mut walk = Walk { bytes, limits, scan: Scan::default(), stack: Vec::new(), level: 0, decoded_total: 0 };
    walk.run();
    walk.scan
}

struct Walk<'a> {
    bytes: &'a [u8],
    limits: &'a DocLimits,
    scan: Scan,
    /// Open destinations above the document itself (which collects nothing).
    stack: Vec<Destination>,
    /// Current group level; may go negative on stray closing braces.
    level: i64,
    decoded_total: usize,
}

impl Walk<'_> {
    fn run(&mut self) {
        let mut at = 0;
        while let Some(&byte) = self.bytes.get(at) {
            at = match byte {
                b'{' => {
                    self.trick("group");
                    self.level += 1;
                    at + 1
                }
                b'}' => {
                    self.close_group();
                    at + 1
                }
                b'\\' => self.control(at),
                _ => self.text(at),
            };
        }
        // An unclosed group closes at the end of the file, and its destination with it.
        while self.stack.last().is_some_and(|top| top.level > 0) {
            self.close_destination();
        }
    }

    fn close_group(&mut self) {
        if self.stack.last().is_some_and(|top| top.level == self.level) {
            self.close_destination();
        }
        self.level -= 1;
    }

    /// A control word or symbol at `at` (a backslash); returns where reading goes on.
    fn control(&mut self, at: usize) -> usize {
        let after = at + 1;
        let window = self.bytes.get(after..self.bytes.len().min(after + MAX_WORD_BYTES)).unwrap_or_default();
        let letters = window.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        if letters == 0 {
            return self.control_symbol(at);
        }
        let name = window.get(..letters).unwrap_or_default();
        if letters > MAX_WORD_LETTERS {
            // Not a control word to Word; skip the letters as noise.
            self.trick("control word");
            return after + letters;
        }
        let (parameter, parameter_length) = parameter(window.get(letters..).unwrap_or_default());
        let end = after + letters + parameter_length;
        self.control_word(at, name, parameter);
        if name == b"bin" {
            return self.binary(end, parameter);
        }
        end
    }

    fn control_word(&mut self, at: usize, name: &[u8], _parameter: Option<i64>) {
        self.trick(if name == b"bin" { "\\bin" } else { "control word" });
        if name == b"objupdate" && self.scan.objupdate.is_none() {
            self.scan.objupdate = Some(at);
        }
        if is_destination(name) {
            self.open_destination(name, at + 1 + name.len());
        }
    }

    /// `\bin N`: N raw bytes follow (after one optional space); in `\objdata` they are data.
    fn binary(&mut self, at: usize, parameter: Option<i64>) -> usize {
        let length = usize::try_from(parameter.unwrap_or(0).max(0)).unwrap_or(usize::MAX);
        let start = if self.bytes.get(at) == Some(&b' ') { at + 1 } else { at };
        let end = start.saturating_add(length).min(self.bytes.len());
        let raw = self.bytes.get(start..end).unwrap_or_default();
        if let Some(Destination { content: Content::ObjData(hex, _), .. }) = self.stack.last_mut() {
            hex.push_bytes(raw);
        }
        end.max(at)
    }

    fn control_symbol(&mut self, at: usize) -> usize {
        let Some(&symbol) = self.bytes.get(at + 1) else { return at + 1 };
        if let Some(Destination { content: Content::FieldInstruction(kept), .. }) = self.stack.last_mut() {
            // In a field instruction a symbol stands for its character (`\\` is a backslash).
            keep_text(kept, &[symbol]);
            return at + 2;
        }
        if symbol == b'\'' {
            // `\'xx` is a character, not data: Word drops it and a pending half byte with it.
            self.trick("\\'xx escape");
            if let Some(Destination { content: Content::ObjData(hex, _), .. }) = self.stack.last_mut() {
                hex.drop_pending();
            }
            return at + 4;
        }
        self.trick("control symbol");
        at + 2
    }

    fn text(&mut self, at: usize) -> usize {
        let rest = self.bytes.get(at..).unwrap_or_default();
        let length = memchr::memchr3(b'{', b'}', b'\\', rest).unwrap_or(rest.len()).max(1);
        let text = rest.get(..length).unwrap_or_default();
        match self.stack.last_mut().map(|top| &mut top.content) {
            Some(Content::ObjData(hex, _)) => hex.push_text(text),
            Some(Content::Template(kept) | Content::FieldInstruction(kept)) => keep_text(kept, text),
            _ => {}
        }
        at + length
    }

    fn open_destination(&mut self, name: &[u8], data_offset: usize) {
        if self.stack.last().is_some_and(|top| top.level == self.level) {
            // A second destination word in the same group replaces the first.
            self.close_destination();
        }
        if self.stack.len() >= self.limits.max_nesting {
            push_once(&mut self.scan.truncated, "rtf.nesting");
            return;
        }
        let content = match name {
            b"objdata" => Content::ObjData(HexCollector::new(self.room_for_object()), data_offset),
            b"template" => Content::Template(Vec::new()),
            b"fldinst" => Content::FieldInstruction(Vec::new()),
            _ => Content::Other,
        };
        self.stack.push(Destination { level: self.level, content });
    }

    /// Bytes the next object may decode to: the per-stream limit within what the document
    /// has left of its total.
    fn room_for_object(&self) -> usize {
        self.limits.max_decoded_stream.min(self.limits.max_decoded_total.saturating_sub(self.decoded_total))
    }

    fn close_destination(&mut self) {
        let Some(destination) = self.stack.pop() else { return };
        match destination.content {
            Content::ObjData(hex, offset) => self.finish_object(hex, offset),
            Content::Template(text) => {
                let target = latin1(&text).trim().to_string();
                if !target.is_empty() && self.scan.templates.len() < self.limits.max_items {
                    self.scan.templates.push(target);
                }
            }
            Content::FieldInstruction(text) => {
                // Word joins an instruction's lines.
                let instruction = latin1(&text).replace(['\r', '\n'], "").trim().to_string();
                if !instruction.is_empty() && self.scan.fields.len() < self.limits.max_items {
                    self.scan.fields.push(instruction);
                }
            }
            Content::Other => {}
        }
    }

    fn finish_object(&mut self, hex: HexCollector, offset: usize) {
        let (bytes, mut tricks, cut) = hex.finish();
        if cut {
            push_once(&mut self.scan.truncated, "rtf.objdata");
        }
        if self.scan.objects.len() >= self.limits.max_items {
            push_once(&mut self.scan.truncated, "rtf.objects");
            return;
        }
        self.decoded_total = self.decoded_total.saturating_add(bytes.len());
        tricks.sort_unstable();
        tricks.dedup();
        self.scan.objects.push(ObjData { offset, bytes, tricks });
    }

    /// Notes an obfuscation trick when it happens inside `\objdata` hex.
    fn trick(&mut self, name: &'static str) {
        if let Some(Destination { content: Content::ObjData(hex, _), .. }) = self.stack.last_mut() {
            hex.trick(name);
        }
    }
}

/// The optional signed decimal parameter at the start of `bytes` (`-?[0-9]+`), and its length.
/// A `-` without digits is no parameter; absurdly long numbers saturate.
fn parameter(bytes: &[u8]) -> (Option<i64>, usize) {
    let negative = bytes.first() == Some(&b'-');
    let sign = usize::from(negative);
    let digits = bytes.get(sign..).unwrap_or_default().iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return (None, 0);
    }
    let value = bytes
        .get(sign..sign + digits)
        .unwrap_or_default()
        .iter()
        .fold(0i64, |value, digit| value.saturating_mul(10).saturating_add(i64::from(digit - b'0')));
    (Some(if negative { -value } else { value }), sign + digits)
}

fn keep_text(kept: &mut Vec<u8>, text: &[u8]) {
    let room = MAX_TEXT.saturating_sub(kept.len());
    kept.extend_from_slice(text.get(..room.min(text.len())).unwrap_or_default());
}

fn push_once(list: &mut Vec<&'static str>, item: &'static str) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn objects(rtf: &[u8]) -> Vec<ObjData> {
        scan(rtf, &DocLimits::default()).objects
    }

    #[test]
    fn plain_objdata_is_decoded() {
        let found = objects(b"{\\rtf1{\\object{\\*\\objdata 0102\r\n0a0B}}}");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].bytes, [1, 2, 10, 11]);
        assert!(found[0].tricks.is_empty(), "{:?}", found[0].tricks);
    }

    #[test]
    fn control_words_and_groups_inside_hex_are_skipped_but_their_text_counts() {
        let found = objects(b"{\\rtf1{\\*\\objdata 01\\par 02{\\*\\xyz 03}04\\-05}}");
        assert_eq!(found[0].bytes, [1, 2, 3, 4, 5]);
        assert!(found[0].tricks.contains(&"control word"));
        assert!(found[0].tricks.contains(&"group"));
    }

    #[test]
    fn inner_destination_text_is_not_object_data() {
        let found = objects(b"{\\*\\objdata 0102{\\*\\datastore 0304}0506}");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].bytes, [1, 2, 5, 6]);
    }

    #[test]
    fn escaped_byte_drops_a_pending_half_byte() {
        // `1` is pending when `\'41` comes: it goes, then 2 and 3 pair up.
        let found = objects(b"{\\*\\objdata 001\\'4123}");
        assert_eq!(found[0].bytes, [0x00, 0x23]);
    }

    #[test]
    fn bin_carries_raw_bytes_and_odd_digits_are_dropped() {
        let found = objects(b"{\\*\\objdata 01\\bin3 \xff\x00\x7b0}");
        assert_eq!(found[0].bytes, [1, 0xff, 0, 0x7b]);
        assert!(found[0].tricks.contains(&"\\bin"));
        assert!(found[0].tricks.contains(&"odd number of hex digits"));
        // A length past the end takes what there is; a negative one takes nothing.
        assert_eq!(objects(b"{\\*\\objdata 01\\bin999999999999999999999 ab")[0].bytes, [1, b'a', b'b']);
        assert_eq!(objects(b"{\\*\\objdata 01\\bin-5 ab}")[0].bytes, [1, 0xab]);
    }

    #[test]
    fn unbalanced_and_unclosed_groups() {
        let found = objects(b"}}{\\rtf1{\\object{\\*\\objdata 0102");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].bytes, [1, 2]);
    }

    #[test]
    fn objupdate_and_template_are_seen() {
        let found = scan(b"{\\rtf1{\\*\\template http://x.test/t.dot}{\\object\\objupdate}}", &DocLimits::default());
        assert_eq!(found.templates, ["http://x.test/t.dot"]);
        assert!(found.objupdate.is_some());
    }

    #[test]
    fn field_instructions_keep_escaped_characters() {
        let found = scan(b"{\\field{\\*\\fldinst {\\rtlch DDEAUTO} c:\\\\windows\\\\cmd.exe\r\n \"/k calc\"}}", &DocLimits::default());
        assert_eq!(found.fields, ["DDEAUTO c:\\windows\\cmd.exe \"/k calc\""]);
    }

    #[test]
    fn absurd_nesting_is_bounded() {
        let mut rtf = b"{\\rtf1".to_vec();
        rtf.extend(std::iter::repeat_n(b'{', 1_000_000));
        for _ in 0..10_000 {
            rtf.extend_from_slice(b"{\\*\\objdata 01");
        }
        let started = std::time::Instant::now();
        let found = scan(&rtf, &DocLimits::default());
        assert!(started.elapsed().as_secs() < 10);
        assert!(found.truncated.contains(&"rtf.nesting"));
        assert!(found.objects.len() <= DocLimits::default().max_nesting);
    }

    #[test]
    fn endless_hex_is_capped() {
        let mut rtf = b"{\\*\\objdata ".to_vec();
        rtf.extend(std::iter::repeat_n(b'a', 4_000_000));
        let limits = DocLimits { max_decoded_stream: 1000, ..DocLimits::default() };
        let found = scan(&rtf, &limits);
        assert_eq!(found.objects[0].bytes.len(), 1000);
        assert!(found.truncated.contains(&"rtf.objdata"));
    }

    #[test]
    fn truncated_input_never_panics() {
        let rtf = b"{\\rtf1{\\object\\objupdate{\\*\\objdata 01\\bin2 \\'4\\-{\\*\\template a}}}\\";
        for cut in 0..=rtf.len() {
            let _ = scan(&rtf[..cut], &DocLimits::default());
        }
    }
}
