//! PDF object syntax (ISO 32000-1 7.2-7.3): numbers, strings, names, arrays, dictionaries and
//! references, parsed from hostile bytes. Nesting is bounded by `max_nesting` and the values of
//! one object by [`MAX_VALUES`]; an unterminated string or container is an error, never a read
//! past the end.
use std::borrow::Cow;

use super::hex::{decode_hex_digits, hex_pair};

/// Values one object may hold (a dictionary entry counts its key and value): keeps memory per
/// parse bounded whatever the object claims.
pub(crate) const MAX_VALUES: usize = 1 << 20;

/// A PDF value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    Integer(i64),
    Real(f64),
    /// A literal or hex string, escapes decoded.
    String(Cow<'a, [u8]>),
    /// A name without its slash, `#xx` escapes decoded.
    Name(Cow<'a, [u8]>),
    Array(Vec<Value<'a>>),
    Dictionary(Dictionary<'a>),
    /// An indirect reference `number generation R`.
    Reference(u32),
    /// A keyword that is none of the above (`stream`, `endobj`, garbage).
    Keyword(&'a [u8]),
}

/// A dictionary: its entries in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Dictionary<'a> {
    pub(crate) entries: Vec<(Cow<'a, [u8]>, Value<'a>)>,
}

impl<'a> Dictionary<'a> {
    /// The value of `key` (the first entry of that name).
    pub(crate) fn get(&self, key: &[u8]) -> Option<&Value<'a>> {
        self.entries.iter().find(|(name, _)| name.as_ref() == key).map(|(_, value)| value)
    }

    /// Whether `key` names `name` (`/Type /ObjStm`).
    pub(crate) fn name_is(&self, key: &[u8], name: &[u8]) -> bool {
        matches!(self.get(key), Some(Value::Name(value)) if value.as_ref() == name)
    }
}

impl<'a> Value<'a> {
    pub(crate) fn as_integer(&self) -> Option<i64> {
        match self {
            Value::Integer(value) => Some(*value),
            _ => None,
        }
    }

    pub(crate) fn as_dictionary(&self) -> Option<&Dictionary<'a>> {
        match self {
            Value::Dictionary(dictionary) => Some(dictionary),
            _ => None,
        }
    }
}

/// Why a value could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseError {
    End,
    TooDeep,
    TooManyValues,
    Unexpected(u8),
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::End => f.write_str("unexpected end of data"),
            ParseError::TooDeep => f.write_str("nesting deeper than the limit"),
            ParseError::TooManyValues => f.write_str("more values than the limit"),
            ParseError::Unexpected(byte) => write!(f, "unexpected byte 0x{byte:02x}"),
        }
    }
}

/// PDF whitespace (7.2.2).
pub(crate) fn is_whitespace(byte: u8) -> bool {
    matches!(byte, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// PDF delimiters (7.2.2).
pub(crate) fn is_delimiter(byte: u8) -> bool {
    matches!(byte, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_regular(byte: u8) -> bool {
    !is_whitespace(byte) && !is_delimiter(byte)
}

/// Reads values from `bytes` starting at a position.
pub(crate) struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    max_depth: usize,
    values_left: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(bytes: &'a [u8], pos: usize, max_depth: usize) -> Self {
        Self { bytes, pos, max_depth, values_left: MAX_VALUES }
    }

    /// Where the next byte is read.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace and comments.
    pub(crate) fn skip_space(&mut self) {
        while let Some(byte) = self.peek() {
            if is_whitespace(byte) {
                self.pos += 1;
            } else if byte == b'%' {
                let rest = self.bytes.get(self.pos..).unwrap_or_default();
                self.pos += memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
            } else {
                break;
            }
        }
    }

    /// The next bare keyword (`stream`, `endobj`) without consuming it, if one follows.
    pub(crate) fn peek_keyword(&mut self) -> Option<&'a [u8]> {
        self.skip_space();
        let rest = self.bytes.get(self.pos..)?;
        let len = rest.iter().position(|&b| !is_regular(b)).unwrap_or(rest.len());
        rest.get(..len).filter(|word| !word.is_empty())
    }

    /// Consumes `len` bytes (after [`Self::peek_keyword`]).
    pub(crate) fn advance(&mut self, len: usize) {
        self.pos = self.pos.saturating_add(len).min(self.bytes.len());
    }

    /// The next value.
    pub(crate) fn value(&mut self) -> Result<Value<'a>, ParseError> {
        self.value_at_depth(0)
    }

    fn value_at_depth(&mut self, depth: usize) -> Result<Value<'a>, ParseError> {
        self.values_left = self.values_left.checked_sub(1).ok_or(ParseError::TooManyValues)?;
        self.skip_space();
        let byte = self.peek().ok_or(ParseError::End)?;
        match byte {
            b'/' => {
                self.pos += 1;
                Ok(Value::Name(self.name()))
            }
            b'(' => {
                self.pos += 1;
                self.literal_string().map(Value::String)
            }
            b'<' if self.bytes.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                self.dictionary(depth).map(Value::Dictionary)
            }
            b'<' => {
                self.pos += 1;
                self.hex_string().map(Value::String)
            }
            b'[' => {
                self.pos += 1;
                self.array(depth)
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => Ok(self.number()),
            _ if is_regular(byte) => {
                let word = self.peek_keyword().unwrap_or_default();
                self.advance(word.len());
                Ok(match word {
                    b"true" => Value::Bool(true),
                    b"false" => Value::Bool(false),
                    b"null" => Value::Null,
                    _ => Value::Keyword(word),
                })
            }
            _ => {
                self.pos += 1;
                Err(ParseError::Unexpected(byte))
            }
        }
    }

    fn deeper(&self, depth: usize) -> Result<usize, ParseError> {
        if depth >= self.max_depth {
            Err(ParseError::TooDeep)
        } else {
            Ok(depth + 1)
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, ParseError> {
        let inner = self.deeper(depth)?;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return Err(ParseError::End),
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                Some(_) => items.push(self.value_at_depth(inner)?),
            }
        }
    }

    fn dictionary(&mut self, depth: usize) -> Result<Dictionary<'a>, ParseError> {
        let inner = self.deeper(depth)?;
        let mut entries = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return Err(ParseError::End),
                Some(b'>') => {
                    // `>>`, or a lone `>` that a broken writer left: both end the dictionary.
                    self.pos += if self.bytes.get(self.pos + 1) == Some(&b'>') { 2 } else { 1 };
                    return Ok(Dictionary { entries });
                }
                Some(b'/') => {
                    self.pos += 1;
                    let key = self.name();
                    self.values_left = self.values_left.checked_sub(1).ok_or(ParseError::TooManyValues)?;
                    self.skip_space();
                    let value = if self.peek() == Some(b'>') { Value::Null } else { self.value_at_depth(inner)? };
                    entries.push((key, value));
                }
                // A value where a key belongs: read it and drop it, the dictionary goes on.
                Some(_) => {
                    self.value_at_depth(inner)?;
                }
            }
        }
    }

    fn name(&mut self) -> Cow<'a, [u8]> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let len = rest.iter().position(|&b| !is_regular(b)).unwrap_or(rest.len());
        self.pos += len;
        let raw = rest.get(..len).unwrap_or_default();
        if !raw.contains(&b'#') {
            return Cow::Borrowed(raw);
        }
        let mut decoded = Vec::with_capacity(raw.len());
        let mut i = 0;
        while let Some(&byte) = raw.get(i) {
            match (byte, hex_pair(raw.get(i + 1..i + 3))) {
                (b'#', Some(value)) => {
                    decoded.push(value);
                    i += 3;
                }
                _ => {
                    decoded.push(byte);
                    i += 1;
                }
            }
        }
        Cow::Owned(decoded)
    }

    fn literal_string(&mut self) -> Result<Cow<'a, [u8]>, ParseError> {
        let start = self.pos;
        let rest = self.bytes.get(start..).unwrap_or_default();
        // Plain strings (no escapes, balanced parentheses) are borrowed.
        let mut depth = 0usize;
        for (offset, &byte) in rest.iter().enumerate() {
            match byte {
                b'\\' => break,
                b'(' => depth += 1,
                b')' if depth == 0 => {
                    self.pos = start + offset + 1;
                    return Ok(Cow::Borrowed(&rest[..offset]));
                }
                b')' => depth -= 1,
                _ => {}
            }
        }
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut i = 0;
        while let Some(&byte) = rest.get(i) {
            i += 1;
            match byte {
                b'(' => {
                    depth += 1;
                    out.push(byte);
                }
                b')' if depth == 0 => {
                    self.pos = start + i;
                    return Ok(Cow::Owned(out));
                }
                b')' => {
                    depth -= 1;
                    out.push(byte);
                }
                b'\\' => i += escape(rest.get(i..).unwrap_or_default(), &mut out),
                _ => out.push(byte),
            }
        }
        self.pos = self.bytes.len();
        Err(ParseError::End)
    }

    fn hex_string(&mut self) -> Result<Cow<'a, [u8]>, ParseError> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let end = memchr::memchr(b'>', rest).ok_or(ParseError::End)?;
        self.pos += end + 1;
        Ok(Cow::Owned(decode_hex_digits(rest.get(..end).unwrap_or_default())))
    }

    fn number(&mut self) -> Value<'a> {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let len = rest.iter().position(|&b| !is_regular(b)).unwrap_or(rest.len()).max(1);
        let text = rest.get(..len).unwrap_or_default();
        self.pos += len;
        let Ok(text) = std::str::from_utf8(text) else { return Value::Keyword(text) };
        if let Ok(value) = text.parse::<i64>() {
            if let Some(reference) = self.reference_after(value) {
                return reference;
            }
            return Value::Integer(value);
        }
        match text.parse::<f64>() {
            Ok(value) => Value::Real(value),
            Err(_) => Value::Keyword(text.as_bytes()),
        }
    }

    /// `generation R` after an object number makes a reference; otherwise nothing is consumed.
    fn reference_after(&mut self, number: i64) -> Option<Value<'a>> {
        let number = u32::try_from(number).ok()?;
        let saved = self.pos;
        let found = (|| {
            let rest = self.bytes.get(self.pos..)?;
            let space = rest.iter().take_while(|&&b| is_whitespace(b)).count();
            let rest = rest.get(space..).filter(|_| space > 0)?;
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            let rest = rest.get(digits..).filter(|_| (1..=5).contains(&digits))?;
            let space2 = rest.iter().take_while(|&&b| is_whitespace(b)).count();
            let rest = rest.get(space2..).filter(|_| space2 > 0)?;
            let after_r = rest.get(1).copied();
            (rest.first() == Some(&b'R') && after_r.is_none_or(|b| !is_regular(b))).then_some(space + digits + space2 + 1)
        })();
        match found {
            Some(len) => {
                self.pos = saved + len;
                Some(Value::Reference(number))
            }
            None => None,
        }
    }
}

/// One escape after a backslash in a literal string (7.3.4.2): how many bytes it took.
fn escape(rest: &[u8], out: &mut Vec<u8>) -> usize {
    let Some(&byte) = rest.first() else { return 0 };
    match byte {
        b'n' => out.push(b'\n'),
        b'r' => out.push(b'\r'),
        b't' => out.push(b'\t'),
        b'b' => out.push(0x08),
        b'f' => out.push(0x0c),
        b'0'..=b'7' => {
            let digits = rest.iter().take(3).take_while(|b| (b'0'..=b'7').contains(b)).count();
            let value = rest.iter().take(digits).fold(0u32, |value, &d| value * 8 + u32::from(d - b'0'));
            out.push((value & 0xff) as u8);
            return digits;
        }
        // A backslash before an end of line continues the string on the next line.
        b'\r' => return if rest.get(1) == Some(&b'\n') { 2 } else { 1 },
        b'\n' => {}
        other => out.push(other),
    }
    1
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn parse(text: &[u8]) -> Result<Value<'_>, ParseError> {
        Parser::new(text, 0, 64).value()
    }

    #[test]
    fn dictionaries_references_and_strings() {
        let value = parse(b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)\\101\\\n) /Next 12 0 R /N [1 2.5 <41 4>] >>").unwrap();
        let dictionary = value.as_dictionary().unwrap();
        assert!(dictionary.name_is(b"S", b"JavaScript"));
        assert_eq!(dictionary.get(b"JS"), Some(&Value::String(Cow::Borrowed(&b"app.alert(1)A"[..]))));
        assert_eq!(dictionary.get(b"Next"), Some(&Value::Reference(12)));
        let Some(Value::Array(items)) = dictionary.get(b"N") else { panic!("array") };
        assert_eq!(items[0], Value::Integer(1));
        assert_eq!(items[2], Value::String(Cow::Borrowed(&b"A@"[..])));
    }

    #[test]
    fn names_are_unescaped() {
        assert_eq!(parse(b"/J#61vaScript").unwrap(), Value::Name(Cow::Borrowed(&b"JavaScript"[..])));
        assert_eq!(parse(b"/A#zz").unwrap(), Value::Name(Cow::Borrowed(&b"A#zz"[..])));
    }

    #[test]
    fn hostile_nesting_and_truncation_are_errors() {
        let deep = [b'['; 100_000];
        assert_eq!(parse(&deep), Err(ParseError::TooDeep));
        assert_eq!(parse(b"<< /A (unterminated"), Err(ParseError::End));
        assert_eq!(parse(b"<< /A [1 2"), Err(ParseError::End));
        assert_eq!(parse(b"<AB"), Err(ParseError::End));
        assert_eq!(parse(b""), Err(ParseError::End));
        let many = b"[".iter().chain(b"1 ".repeat(MAX_VALUES + 10).iter()).copied().collect::<Vec<u8>>();
        assert_eq!(parse(&many), Err(ParseError::TooManyValues));
    }
}
