//! Where the objects are. The file is read front to back for `N G obj` headers instead of
//! following the cross-reference table: a hostile `/Prev` chain cannot loop, a broken table
//! hides nothing, and objects the table forgets (left over by an incremental update) are seen
//! too. Stream data is skipped by `/Length` when it is direct and right, else up to the next
//! `endstream`. Object streams (`/Type /ObjStm`) are decoded and their objects indexed.
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::filters::{self, Budget, Decoded};
use super::lexer::{is_delimiter, is_whitespace, Dictionary, ParseError, Parser, Value};

/// Where one object's value starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// In the file.
    File,
    /// In the decoded object stream with this index in [`Objects::object_streams`].
    ObjectStream(usize),
}

/// One object found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located {
    pub(crate) number: u32,
    pub(crate) source: Source,
    /// Offset of the value in its source.
    pub(crate) offset: usize,
    /// Where its value must end: the next object's start.
    pub(crate) end: usize,
    /// The stream's raw data in the file, for a stream object.
    pub(crate) stream: Option<Range<usize>>,
    /// Where the object sits in the file (for an object in an object stream, that stream's
    /// place): a later definition of a number replaces an earlier one.
    pub(crate) file_position: usize,
}

/// A decoded object stream.
#[derive(Debug, Clone)]
pub(crate) struct ObjectStream {
    pub(crate) bytes: Vec<u8>,
}

/// Every object found, in file order, and the decoded object streams.
#[derive(Debug, Default)]
pub(crate) struct Objects {
    pub(crate) all: Vec<Located>,
    pub(crate) object_streams: Vec<ObjectStream>,
    /// The current definition of each object number: an index into `all`.
    current: HashMap<u32, usize>,
    /// Whether `max_pdf_objects` stopped the search.
    pub(crate) truncated: bool,
    pub(crate) errors: Vec<String>,
}

/// An object's value with its stream data, if it is a stream.
pub(crate) struct Parsed<'a> {
    pub(crate) value: Value<'a>,
    pub(crate) stream: Option<&'a [u8]>,
}

impl Objects {
    /// The bytes `located` is parsed from.
    pub(crate) fn source_bytes<'a>(&'a self, file: &'a [u8], source: Source) -> &'a [u8] {
        match source {
            Source::File => file,
            Source::ObjectStream(index) => self.object_streams.get(index).map_or(&[][..], |stream| &stream.bytes),
        }
    }

    /// The value (and stream data) of `located`.
    pub(crate) fn parse<'a>(&'a self, file: &'a [u8], located: &Located, max_nesting: usize) -> Result<Parsed<'a>, ParseError> {
        let bytes = self.source_bytes(file, located.source);
        let window = bytes.get(..located.end).unwrap_or(bytes);
        let value = Parser::new(window, located.offset, max_nesting).value()?;
        let stream = located.stream.clone().and_then(|range| file.get(range));
        Ok(Parsed { value, stream })
    }

    /// The current definition of object `number`.
    pub(crate) fn get(&self, number: u32) -> Option<&Located> {
        self.current.get(&number).and_then(|&index| self.all.get(index))
    }

    fn push(&mut self, located: Located, max_objects: usize) -> bool {
        if self.all.len() >= max_objects {
            self.truncated = true;
            return false;
        }
        let index = self.all.len();
        let replaces = self.get(located.number).is_none_or(|old| old.file_position <= located.file_position);
        if replaces {
            self.current.insert(located.number, index);
        }
        self.all.push(located);
        true
    }
}

/// Finds the objects of `file`, then those inside its object streams (decoded within `budget`).
pub(crate) fn find(file: &[u8], max_objects: usize, max_nesting: usize, budget: &mut Budget) -> Objects {
    let mut objects = Objects::default();
    scan_file(file, max_objects, max_nesting, &mut objects);
    let stream_objects: Vec<Located> = objects.all.iter().filter(|located| located.stream.is_some()).cloned().collect();
    for located in stream_objects {
        if objects.truncated {
            break;
        }
        let found = {
            let Ok(parsed) = objects.parse(file, &located, max_nesting) else { continue };
            let Some(dictionary) = parsed.value.as_dictionary() else { continue };
            if !dictionary.name_is(b"Type", b"ObjStm") {
                continue;
            }
            let decoded = decode_stream(&objects, file, dictionary, parsed.stream.unwrap_or_default(), max_nesting, budget);
            let header = object_stream_header(dictionary, &decoded.bytes);
            (decoded, header)
        };
        let (decoded, header) = found;
        if let Some(error) = &decoded.error {
            objects.errors.push(format!("object stream {}: {error}", located.number));
        }
        let ends = window_ends(&header, decoded.bytes.len());
        let index = objects.object_streams.len();
        objects.object_streams.push(ObjectStream { bytes: decoded.bytes });
        let mut offsets_seen = HashSet::new();
        for ((number, offset), end) in header.into_iter().zip(ends) {
            // Each offset is read once: a header naming one huge object a hundred thousand
            // times would otherwise have it parsed as often.
            if !offsets_seen.insert(offset) {
                continue;
            }
            let inner =
                Located { number, source: Source::ObjectStream(index), offset, end, stream: None, file_position: located.file_position };
            if !objects.push(inner, max_objects) {
                break;
            }
        }
    }
    objects
}

/// Where each object of an object stream must end: the next offset above its own.
fn window_ends(header: &[(u32, usize)], len: usize) -> Vec<usize> {
    let mut offsets: Vec<usize> = header.iter().map(|&(_, offset)| offset).collect();
    offsets.sort_unstable();
    header
        .iter()
        .map(|&(_, offset)| {
            let next = offsets.partition_point(|&other| other <= offset);
            offsets.get(next).copied().unwrap_or(len)
        })
        .collect()
}

/// The `(number, offset)` pairs at the start of an object stream, offsets made absolute.
fn object_stream_header(dictionary: &Dictionary<'_>, bytes: &[u8]) -> Vec<(u32, usize)> {
    let count = dictionary.get(b"N").and_then(Value::as_integer).and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
    let first = dictionary.get(b"First").and_then(Value::as_integer).and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
    let header = bytes.get(..first.min(bytes.len())).unwrap_or_default();
    let mut parser = Parser::new(header, 0, 1);
    let mut pairs = Vec::new();
    // Each pair takes at least four bytes of header, so `count` cannot claim more than there is.
    while pairs.len() < count {
        let (Ok(Value::Integer(number)), Ok(Value::Integer(offset))) = (parser.value(), parser.value()) else { break };
        let (Ok(number), Ok(offset)) = (u32::try_from(number), usize::try_from(offset)) else { break };
        let Some(offset) = first.checked_add(offset).filter(|&offset| offset < bytes.len()) else { continue };
        pairs.push((number, offset));
    }
    pairs
}

/// A stream's data through its filters; `/DecodeParms` and `/Filter` given by reference are
/// looked up one level.
pub(crate) fn decode_stream(
    objects: &Objects,
    file: &[u8],
    dictionary: &Dictionary<'_>,
    data: &[u8],
    max_nesting: usize,
    budget: &mut Budget,
) -> Decoded {
    let resolved = resolve_filter_entries(objects, file, dictionary, max_nesting);
    let dictionary = resolved.as_ref().unwrap_or(dictionary);
    filters::decode(data, &filters::filters_of(dictionary), budget)
}

/// Bytes of an object holding `/Filter` or `/DecodeParms` looked up by reference.
const MAX_PARAMETER_OBJECT: usize = 64 << 10;

fn resolve_filter_entries<'a>(
    objects: &'a Objects,
    file: &'a [u8],
    dictionary: &Dictionary<'a>,
    max_nesting: usize,
) -> Option<Dictionary<'a>> {
    let needs = [&b"Filter"[..], b"DecodeParms"].iter().any(|key| matches!(dictionary.get(key), Some(Value::Reference(_))));
    if !needs {
        return None;
    }
    let mut copy = dictionary.clone();
    for (key, value) in copy.entries.iter_mut() {
        if let (b"Filter" | b"DecodeParms", Value::Reference(number)) = (key.as_ref(), &*value) {
            // Parameters are small; a huge target would be parsed again for every stream naming it.
            let small = |located: &&Located| located.end.saturating_sub(located.offset) <= MAX_PARAMETER_OBJECT;
            if let Some(parsed) = objects.get(*number).filter(small).and_then(|located| objects.parse(file, located, max_nesting).ok()) {
                *value = parsed.value;
            }
        }
    }
    Some(copy)
}

fn scan_file(file: &[u8], max_objects: usize, max_nesting: usize, objects: &mut Objects) {
    // All headers first: each object is parsed only up to the next header, so garbage such as
    // an unterminated string in every object costs one pass over the file, not one per object.
    let mut headers = Vec::new();
    for at in memchr::memmem::find_iter(file, b"obj") {
        if file.get(at + 3).is_some_and(|&b| !is_whitespace(b) && !is_delimiter(b)) {
            continue;
        }
        if let Some((number, start)) = object_header_before(file, at) {
            // Headers inside stream data are dropped later; room for some of those, but a
            // file of nothing but headers does not get a list the size of the file.
            if headers.len() >= max_objects.saturating_mul(4) {
                objects.truncated = true;
                break;
            }
            headers.push((number, start, at + 3));
        }
    }
    let mut endstream = EndstreamSearch::default();
    let mut skip_until = 0;
    for (index, &(number, header_start, offset)) in headers.iter().enumerate() {
        if header_start < skip_until {
            continue;
        }
        let end = headers.get(index + 1).map_or(file.len(), |next| next.1);
        let window = file.get(..end).unwrap_or(file);
        let mut parser = Parser::new(window, offset, max_nesting);
        let stream = match parser.value() {
            Ok(Value::Dictionary(dictionary)) => stream_after(file, &mut parser, &dictionary, &mut endstream),
            _ => None,
        };
        if let Some(range) = &stream {
            // Objects inside stream data (an embedded PDF, say) are not this file's.
            skip_until = range.end;
        }
        let located = Located { number, source: Source::File, offset, end, stream, file_position: header_start };
        if !objects.push(located, max_objects) {
            break;
        }
    }
}

/// The next `endstream` at or after a position, remembering the last answer: streams come in
/// file order, so the whole file is searched about once whatever the streams claim.
#[derive(Default)]
struct EndstreamSearch {
    searched_from: usize,
    found: Option<usize>,
    searched: bool,
}

impl EndstreamSearch {
    fn next(&mut self, file: &[u8], from: usize) -> Option<usize> {
        let reusable = self.searched && from >= self.searched_from && self.found.is_none_or(|found| from <= found);
        if !reusable {
            self.searched_from = from;
            self.searched = true;
            self.found = file.get(from..).and_then(|rest| memchr::memmem::find(rest, b"endstream")).map(|offset| from + offset);
        }
        self.found
    }
}

/// The object number of an `N G obj` header whose `obj` starts at `at`, and where it starts.
fn object_header_before(file: &[u8], at: usize) -> Option<(u32, usize)> {
    let before = file.get(..at)?;
    let (generation_end, _) = skip_back(before, before.len(), is_whitespace, 1, 64)?;
    let (generation_start, _) = skip_back(before, generation_end, |b| b.is_ascii_digit(), 1, 5)?;
    let (number_end, _) = skip_back(before, generation_start, is_whitespace, 1, 64)?;
    let (number_start, digits) = skip_back(before, number_end, |b| b.is_ascii_digit(), 1, 10)?;
    if number_start > 0 && before.get(number_start - 1).is_some_and(|&b| !is_whitespace(b) && !is_delimiter(b)) {
        return None;
    }
    let number = std::str::from_utf8(digits).ok()?.parse::<u32>().ok()?;
    Some((number, number_start))
}

/// Steps back from `end` over `min..=max` bytes matching `class`.
fn skip_back(bytes: &[u8], end: usize, class: impl Fn(u8) -> bool, min: usize, max: usize) -> Option<(usize, &[u8])> {
    let mut start = end;
    while start > 0 && end - start < max && bytes.get(start - 1).is_some_and(|&b| class(b)) {
        start -= 1;
    }
    if end - start < min || (end - start == max && start > 0 && bytes.get(start - 1).is_some_and(|&b| class(b))) {
        return None;
    }
    Some((start, bytes.get(start..end)?))
}

/// The data range of the stream following a dictionary, if `stream` follows.
fn stream_after(
    file: &[u8],
    parser: &mut Parser<'_>,
    dictionary: &Dictionary<'_>,
    endstream: &mut EndstreamSearch,
) -> Option<Range<usize>> {
    if parser.peek_keyword() != Some(b"stream") {
        return None;
    }
    let mut start = parser.position() + b"stream".len();
    // The keyword is followed by CRLF or LF (a lone CR is tolerated).
    if file.get(start) == Some(&b'\r') {
        start += 1;
    }
    if file.get(start) == Some(&b'\n') {
        start += 1;
    }
    let start = start.min(file.len());
    let by_length = dictionary
        .get(b"Length")
        .and_then(Value::as_integer)
        .and_then(|length| usize::try_from(length).ok())
        .and_then(|length| start.checked_add(length))
        .filter(|&end| ends_with_endstream(file, end));
    let end = by_length.unwrap_or_else(|| match endstream.next(file, start) {
        Some(found) => trim_end_of_line(file, start, found),
        None => file.len(),
    });
    Some(start..end)
}

fn ends_with_endstream(file: &[u8], end: usize) -> bool {
    let rest = file.get(end..).unwrap_or_default();
    let space = rest.iter().take(4).take_while(|&&b| is_whitespace(b)).count();
    rest.get(space..).is_some_and(|rest| rest.starts_with(b"endstream"))
}

/// The end of line before `endstream` belongs to the keyword, not the data.
fn trim_end_of_line(file: &[u8], start: usize, mut end: usize) -> usize {
    if end > start && file.get(end - 1) == Some(&b'\n') {
        end -= 1;
    }
    if end > start && file.get(end - 1) == Some(&b'\r') {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn find_all(file: &[u8]) -> Objects {
        find(file, 1000, 64, &mut Budget::new(1 << 20, 1 << 20))
    }

    #[test]
    fn objects_and_streams_are_found() {
        let file = b"%PDF-1.4\n1 0 obj\n<< /Length 5 >>\nstream\nhello\nendstream\nendobj\n2 0 obj (x) endobj\n10 0 obj<</Length 99>>stream\r\n1 0 obj\nendstream endobj";
        let objects = find_all(file);
        let numbers: Vec<u32> = objects.all.iter().map(|o| o.number).collect();
        assert_eq!(numbers, vec![1, 2, 10]);
        assert_eq!(&file[objects.all[0].stream.clone().unwrap()], b"hello");
        // A wrong /Length falls back on the next `endstream`, and what is inside is data.
        assert_eq!(&file[objects.get(10).unwrap().stream.clone().unwrap()], b"1 0 obj");
    }

    #[test]
    fn later_definitions_replace_earlier_ones() {
        let objects = find_all(b"1 0 obj (old) endobj 1 0 obj (new) endobj");
        let located = objects.get(1).unwrap();
        let parsed = objects.parse(b"1 0 obj (old) endobj 1 0 obj (new) endobj", located, 64).unwrap();
        assert_eq!(parsed.value, Value::String(std::borrow::Cow::Borrowed(b"new")));
    }

    #[test]
    fn endless_stream_and_object_count_are_bounded() {
        let objects = find_all(b"1 0 obj << >> stream\nno end");
        assert_eq!(objects.all[0].stream, Some(21..27));
        let many = b"1 0 obj null endobj ".repeat(5000);
        let objects = find_all(&many);
        assert_eq!(objects.all.len(), 1000);
        assert!(objects.truncated);
    }

    #[test]
    fn object_stream_header_is_checked() {
        let dictionary = Parser::new(b"<< /N 1000000 /First 8 >>", 0, 4).value().unwrap();
        let pairs = object_stream_header(dictionary.as_dictionary().unwrap(), b"5 0 6 2 (a) (b)");
        assert_eq!(pairs, vec![(5, 8), (6, 10)]);
    }
}
