//! Hex digits, as names (`#xx`), hex strings and ASCIIHexDecode write them.

/// The value of one hex digit.
pub(crate) fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// The byte two hex digits make, when `pair` is two hex digits.
pub(crate) fn hex_pair(pair: Option<&[u8]>) -> Option<u8> {
    let [high, low] = pair? else { return None };
    Some(hex_digit(*high)? << 4 | hex_digit(*low)?)
}

/// The bytes of hex digits, whitespace and other garbage skipped, a lone last digit padded
/// with 0 (hex strings, 7.3.4.3, and ASCIIHexDecode, 7.4.2).
pub(crate) fn decode_hex_digits(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut high: Option<u8> = None;
    for digit in text.iter().filter_map(|&b| hex_digit(b)) {
        match high.take() {
            Some(h) => out.push(h << 4 | digit),
            None => high = Some(digit),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
    out
}
