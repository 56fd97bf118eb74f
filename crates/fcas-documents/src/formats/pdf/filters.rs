//! Stream filters (ISO 32000-1 7.4): FlateDecode, LZWDecode, ASCIIHexDecode, ASCII85Decode and
//! RunLengthDecode, with the PNG and TIFF predictors of `/DecodeParms`. Every output is capped
//! by the [`Budget`]: a filter bomb stops at the cap and says so.
use std::io::Read;

use super::hex::decode_hex_digits;
use super::lexer::{Dictionary, Value};
use super::predictor;

/// Filters applied to one stream at most: a chain of hundreds is an attack, not a document.
const MAX_FILTERS: usize = 8;

/// Bytes left to decode: per stream and for the whole document.
#[derive(Debug, Clone)]
pub(crate) struct Budget {
    per_stream: usize,
    total_left: usize,
    /// Whether an output was cut at a cap.
    pub(crate) cut: bool,
}

impl Budget {
    pub(crate) fn new(per_stream: usize, total: usize) -> Self {
        Self { per_stream, total_left: total, cut: false }
    }

    /// What the next stream may expand to.
    fn cap(&self) -> usize {
        self.per_stream.min(self.total_left)
    }

    fn spend(&mut self, bytes: usize) {
        self.total_left = self.total_left.saturating_sub(bytes);
    }
}

/// A stream's data through its filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub(crate) bytes: Vec<u8>,
    /// Cut at the budget.
    pub(crate) truncated: bool,
    /// A filter that failed part way (its output so far is kept) or is not supported.
    pub(crate) error: Option<String>,
}

/// One filter with its parameters.
pub(crate) struct Filter<'d, 'a> {
    pub(crate) name: &'d [u8],
    pub(crate) params: Option<&'d Dictionary<'a>>,
}

/// `data` decoded through `filters` in order, within `budget`.
pub(crate) fn decode(data: &[u8], filters: &[Filter<'_, '_>], budget: &mut Budget) -> Decoded {
    let mut current = data.to_vec();
    let mut truncated = false;
    let mut error = None;
    if filters.len() > MAX_FILTERS {
        error = Some(format!("{} filters on one stream; the first {MAX_FILTERS} applied", filters.len()));
    }
    for filter in filters.iter().take(MAX_FILTERS) {
        let cap = budget.cap();
        let step = match filter.name {
            b"FlateDecode" | b"Fl" => flate(&current, cap),
            b"LZWDecode" | b"LZW" => lzw(&current, cap, early_change(filter.params)),
            b"ASCIIHexDecode" | b"AHx" => Step::done(decode_hex_digits(until(&current, b'>')), cap),
            b"ASCII85Decode" | b"A85" => ascii85(&current, cap),
            b"RunLengthDecode" | b"RL" => run_length(&current, cap),
            other => {
                error = Some(format!("filter {} not decoded", String::from_utf8_lossy(other)));
                break;
            }
        };
        let mut bytes = step.bytes;
        if let Some(params) = filter.params {
            match predictor::undo(&bytes, params, cap) {
                Ok(Some(unpredicted)) => bytes = unpredicted,
                Ok(None) => {}
                Err(message) => error = Some(message),
            }
        }
        budget.spend(bytes.len());
        truncated |= step.truncated;
        if let Some(message) = step.error {
            error = Some(message);
        }
        current = bytes;
        if error.is_some() {
            break;
        }
    }
    budget.cut |= truncated;
    Decoded { bytes: current, truncated, error }
}

/// The filters of a stream dictionary (`/Filter` name or array, `/DecodeParms` alongside).
pub(crate) fn filters_of<'d, 'a>(dictionary: &'d Dictionary<'a>) -> Vec<Filter<'d, 'a>> {
    let params = dictionary.get(b"DecodeParms").or_else(|| dictionary.get(b"DP"));
    let param_at = |index: usize| match params {
        Some(Value::Dictionary(params)) if index == 0 => Some(params),
        Some(Value::Array(items)) => items.get(index).and_then(Value::as_dictionary),
        _ => None,
    };
    match dictionary.get(b"Filter").or_else(|| dictionary.get(b"F")) {
        Some(Value::Name(name)) => vec![Filter { name, params: param_at(0) }],
        Some(Value::Array(names)) => names
            .iter()
            .enumerate()
            .filter_map(|(index, value)| match value {
                Value::Name(name) => Some(Filter { name, params: param_at(index) }),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

struct Step {
    bytes: Vec<u8>,
    truncated: bool,
    error: Option<String>,
}

impl Step {
    fn done(mut bytes: Vec<u8>, cap: usize) -> Self {
        let truncated = bytes.len() > cap;
        bytes.truncate(cap);
        Self { bytes, truncated, error: None }
    }
}

fn until(data: &[u8], end: u8) -> &[u8] {
    data.get(..memchr::memchr(end, data).unwrap_or(data.len())).unwrap_or_default()
}

fn early_change(params: Option<&Dictionary<'_>>) -> bool {
    params.and_then(|params| params.get(b"EarlyChange")).and_then(Value::as_integer) != Some(0)
}

/// zlib data, else raw deflate (some writers omit the header). A stream cut short or
/// corrupted keeps what came out before the damage, as readers do.
fn flate(data: &[u8], cap: usize) -> Step {
    let zlib_header = data.len() >= 2 && data[0] & 0x0f == 8 && (u16::from(data[0]) << 8 | u16::from(data[1])) % 31 == 0;
    if zlib_header {
        read_capped(flate2::read::ZlibDecoder::new(data), cap)
    } else {
        read_capped(flate2::read::DeflateDecoder::new(data), cap)
    }
}

fn read_capped(reader: impl Read, cap: usize) -> Step {
    let mut bytes = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let error = reader.take(limit).read_to_end(&mut bytes).err().map(|e| format!("FlateDecode: {e}"));
    let truncated = bytes.len() > cap;
    bytes.truncate(cap);
    Step { bytes, truncated, error }
}

fn lzw(data: &[u8], cap: usize, early_change: bool) -> Step {
    let mut decoder = if early_change {
        weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8)
    } else {
        weezl::decode::Decoder::new(weezl::BitOrder::Msb, 8)
    };
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 << 10];
    let mut input = data;
    let mut error = None;
    let mut truncated = false;
    // Each round either consumes input or produces output, else it stops.
    loop {
        let result = decoder.decode_bytes(input, &mut chunk);
        let produced = chunk.get(..result.consumed_out).unwrap_or_default();
        let room = cap.saturating_sub(bytes.len());
        bytes.extend_from_slice(produced.get(..produced.len().min(room)).unwrap_or_default());
        if produced.len() > room {
            truncated = true;
            break;
        }
        input = input.get(result.consumed_in..).unwrap_or_default();
        match result.status {
            Ok(weezl::LzwStatus::Ok) if result.consumed_in > 0 || result.consumed_out > 0 => {}
            Ok(_) => break,
            Err(e) => {
                error = Some(format!("LZWDecode: {e}"));
                break;
            }
        }
    }
    Step { bytes, truncated, error }
}

/// ASCII85 (7.4.3): groups of five digits base 85, `z` for four zeros, `~>` ends.
fn ascii85(data: &[u8], cap: usize) -> Step {
    let mut bytes = Vec::new();
    let mut group = [0u8; 5];
    let mut filled = 0;
    let mut error = None;
    let text = data.strip_prefix(b"<~").unwrap_or(data);
    for &byte in text {
        if bytes.len() > cap {
            break;
        }
        match byte {
            b'~' => break,
            b'z' if filled == 0 => bytes.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group[filled] = byte - b'!';
                filled += 1;
                if filled == 5 {
                    push_group(&group, 4, &mut bytes);
                    filled = 0;
                }
            }
            _ if super::lexer::is_whitespace(byte) => {}
            other => {
                error = Some(format!("ASCII85Decode: byte 0x{other:02x}"));
                break;
            }
        }
    }
    // A last partial group of n digits gives n-1 bytes, padded with `u`.
    if filled > 1 && error.is_none() {
        for slot in group.iter_mut().skip(filled) {
            *slot = 84;
        }
        push_group(&group, filled - 1, &mut bytes);
    }
    let mut step = Step::done(bytes, cap);
    step.error = error;
    step
}

fn push_group(group: &[u8; 5], keep: usize, out: &mut Vec<u8>) {
    let value = group.iter().fold(0u64, |value, &digit| value * 85 + u64::from(digit));
    let word = u32::try_from(value.min(u64::from(u32::MAX))).unwrap_or(u32::MAX).to_be_bytes();
    out.extend_from_slice(word.get(..keep).unwrap_or_default());
}

/// RunLengthDecode (7.4.5): a length byte, then that many literal bytes or one repeated byte.
fn run_length(data: &[u8], cap: usize) -> Step {
    let mut bytes = Vec::new();
    let mut i = 0;
    let mut truncated = false;
    while let Some(&length) = data.get(i) {
        if bytes.len() >= cap {
            truncated = i < data.len();
            break;
        }
        match length {
            128 => break,
            0..=127 => {
                let count = usize::from(length) + 1;
                let run = data.get(i + 1..i + 1 + count).unwrap_or_else(|| data.get(i + 1..).unwrap_or_default());
                bytes.extend_from_slice(run);
                i += 1 + count;
            }
            _ => {
                let count = 257 - usize::from(length);
                if let Some(&byte) = data.get(i + 1) {
                    bytes.resize(bytes.len() + count, byte);
                }
                i += 2;
            }
        }
    }
    let mut step = Step::done(bytes, cap);
    step.truncated |= truncated;
    step
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use std::borrow::Cow;
    use std::io::Write;

    use super::*;

    fn one(name: &'static [u8], data: &[u8], cap: usize) -> Decoded {
        decode(data, &[Filter { name, params: None }], &mut Budget::new(cap, cap))
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn each_filter_decodes() {
        assert_eq!(one(b"FlateDecode", &zlib(b"hello"), 100).bytes, b"hello");
        assert_eq!(one(b"ASCIIHexDecode", b"68 65 6c6C 6>", 100).bytes, b"hel\x6c\x60");
        assert_eq!(one(b"ASCII85Decode", b"<~87cURDZ~>", 100).bytes, b"Hello");
        assert_eq!(one(b"ASCII85Decode", b"z~>", 100).bytes, b"\0\0\0\0");
        assert_eq!(one(b"RunLengthDecode", b"\x02abc\xfdx\x80", 100).bytes, b"abcxxxx");
        let lzw = weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(b"abababababab").unwrap();
        assert_eq!(one(b"LZWDecode", &lzw, 100).bytes, b"abababababab");
    }

    #[test]
    fn bombs_stop_at_the_cap() {
        let bomb = zlib(&vec![0u8; 50 << 20]);
        let decoded = one(b"FlateDecode", &bomb, 1 << 20);
        assert_eq!(decoded.bytes.len(), 1 << 20);
        assert!(decoded.truncated);
        let runs = [0x81u8, b'x'].repeat(100_000);
        let decoded = one(b"RunLengthDecode", &runs, 1000);
        assert_eq!(decoded.bytes.len(), 1000);
        assert!(decoded.truncated);
        let zeros = b"z".repeat(1_000_000);
        assert_eq!(one(b"ASCII85Decode", &zeros, 1000).bytes.len(), 1000);
    }

    #[test]
    fn damage_keeps_what_came_before_and_says_so() {
        let mut data = zlib(&b"some text ".repeat(1000));
        data.truncate(data.len() / 2);
        let decoded = one(b"FlateDecode", &data, 1 << 20);
        assert!(decoded.error.is_some());
        assert_eq!(one(b"DCTDecode", b"xx", 10).error.as_deref(), Some("filter DCTDecode not decoded"));
        assert!(one(b"LZWDecode", b"\xff\xff\xff\xff", 100).bytes.len() <= 100);
        let params = Dictionary { entries: vec![(Cow::Borrowed(&b"Predictor"[..]), Value::Integer(12))] };
        let filters = [Filter { name: b"FlateDecode", params: Some(&params) }];
        assert!(decode(&zlib(b"\x05\x01"), &filters, &mut Budget::new(10, 10)).bytes.len() <= 10);
    }
}
