//! The compact form of a report body, before compression: the report's JSON without its strings
//! and entropy profile, then those two as columns of binary values.
//!
//! Strings are over half of a compressed body, and much of that was their offsets and encodings
//! written as JSON numbers and keys; the entropy profile's floats cost 17 decimal digits each
//! (docs/BENCHMARKS.md, store). Here offsets are varint differences from the previous one,
//! encodings one byte, floats their 8 bytes, and each column is contiguous, which zstd compresses
//! far better. Every value is kept exactly (floats by their bits), so the report read back is
//! equal to the one stored.
//!
//! Layout (varint = unsigned LEB128, at most 10 bytes; delta = zigzag varint of the wrapping
//! difference from the previous value, starting at 0):
//! `varint json_len, json` ·
//! `varint strings, strings × encoding byte (0 ascii, 1 utf16le, 2 other), for each 2: varint len +
//! name, strings × delta offset, strings × varint len, the values' bytes` ·
//! `varint points, points × delta offset, points × varint length, points × f64 little-endian`.
use fcas_report::{EntropyPoint, FoundString, Report};

const ASCII: u8 = 0;
const UTF16LE: u8 = 1;
const OTHER: u8 = 2;

/// The parts kept in columns, taken out of the report's JSON.
#[derive(Debug, Default)]
pub(crate) struct Columns {
    pub(crate) strings: Vec<FoundString>,
    pub(crate) entropy_profile: Vec<EntropyPoint>,
}

impl Columns {
    /// Puts the columns back into a report parsed from the JSON part.
    pub(crate) fn restore(self, report: &mut Report) {
        report.strings.items = self.strings;
        report.entropy_profile = self.entropy_profile;
    }
}

/// The compact form of `report` (whose `known` the caller has emptied).
pub(crate) fn encode(report: &Report) -> Result<Vec<u8>, String> {
    let rest = Report {
        strings: fcas_report::StringsReport { items: Vec::new(), ..report.strings.clone() },
        entropy_profile: Vec::new(),
        ..report.clone()
    };
    let json = serde_json::to_vec(&rest).map_err(|e| e.to_string())?;
    let items = &report.strings.items;
    let mut out = Vec::with_capacity(json.len() + items.iter().map(|s| s.value.len() + 4).sum::<usize>() + 64);
    put_varint(&mut out, json.len() as u64);
    out.extend_from_slice(&json);

    put_varint(&mut out, items.len() as u64);
    out.extend(items.iter().map(|s| match s.encoding.as_str() {
        "ascii" => ASCII,
        "utf16le" => UTF16LE,
        _ => OTHER,
    }));
    for other in items.iter().filter(|s| s.encoding != "ascii" && s.encoding != "utf16le") {
        put_bytes(&mut out, other.encoding.as_bytes());
    }
    put_deltas(&mut out, items.iter().map(|s| s.offset));
    items.iter().for_each(|s| put_varint(&mut out, s.value.len() as u64));
    items.iter().for_each(|s| out.extend_from_slice(s.value.as_bytes()));

    let points = &report.entropy_profile;
    put_varint(&mut out, points.len() as u64);
    put_deltas(&mut out, points.iter().map(|p| p.offset));
    points.iter().for_each(|p| put_varint(&mut out, p.length));
    points.iter().for_each(|p| out.extend_from_slice(&p.entropy.to_le_bytes()));
    Ok(out)
}

/// Splits a compact body into its JSON part and its columns. Every length and count is checked
/// against the bytes there are before anything is allocated for it.
pub(crate) fn decode(bytes: &[u8]) -> Result<(&[u8], Columns), String> {
    let mut input = Reader { bytes, at: 0 };
    let json_len = input.length()?;
    let json = input.take(json_len)?;

    let count = input.count(1)?;
    let tags = input.take(count)?;
    let mut encodings = Vec::with_capacity(count);
    for &tag in tags {
        encodings.push(match tag {
            ASCII => "ascii".to_string(),
            UTF16LE => "utf16le".to_string(),
            OTHER => String::new(),
            other => return Err(format!("unknown string encoding tag {other}")),
        });
    }
    for (encoding, _) in encodings.iter_mut().zip(tags).filter(|(_, &tag)| tag == OTHER) {
        let len = input.length()?;
        *encoding = utf8(input.take(len)?)?;
    }
    let offsets = input.deltas(count)?;
    let mut lengths = Vec::with_capacity(count);
    for _ in 0..count {
        lengths.push(input.length()?);
    }
    let mut strings = Vec::with_capacity(count);
    for ((encoding, offset), len) in encodings.into_iter().zip(offsets).zip(lengths) {
        strings.push(FoundString { offset, encoding, value: utf8(input.take(len)?)? });
    }

    let points = input.count(10)?;
    let offsets = input.deltas(points)?;
    let mut lengths = Vec::with_capacity(points);
    for _ in 0..points {
        lengths.push(input.varint()?);
    }
    let mut entropy_profile = Vec::with_capacity(points);
    for (offset, length) in offsets.into_iter().zip(lengths) {
        let bits: [u8; 8] = input.take(8)?.try_into().map_err(|_| "a truncated entropy value".to_string())?;
        entropy_profile.push(EntropyPoint { offset, length, entropy: f64::from_le_bytes(bits) });
    }
    if input.at != bytes.len() {
        return Err(format!("{} bytes after the end of the body", bytes.len() - input.at));
    }
    Ok((json, Columns { strings, entropy_profile }))
}

fn utf8(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string())
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Each value as the zigzag-encoded wrapping difference from the one before (exact for any u64).
fn put_deltas(out: &mut Vec<u8>, values: impl Iterator<Item = u64>) {
    let mut previous = 0u64;
    for value in values {
        let delta = value.wrapping_sub(previous) as i64;
        put_varint(out, ((delta << 1) ^ (delta >> 63)) as u64);
        previous = value;
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(len).filter(|&end| end <= self.bytes.len()).ok_or("the body ends early")?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number longer than 10 bytes".into())
    }

    /// A byte length, which cannot exceed the bytes left.
    fn length(&mut self) -> Result<usize, String> {
        let len = self.varint()?;
        usize::try_from(len).ok().filter(|&len| len <= self.bytes.len() - self.at).ok_or_else(|| "a length past the end of the body".into())
    }

    /// A count of items taking at least `min_bytes` each, which cannot exceed what the bytes left hold.
    fn count(&mut self, min_bytes: usize) -> Result<usize, String> {
        let count = self.varint()?;
        usize::try_from(count)
            .ok()
            .filter(|&count| count.saturating_mul(min_bytes) <= self.bytes.len() - self.at)
            .ok_or_else(|| "a count past the end of the body".into())
    }

    fn deltas(&mut self, count: usize) -> Result<Vec<u64>, String> {
        let mut values = Vec::with_capacity(count);
        let mut previous = 0u64;
        for _ in 0..count {
            let zigzag = self.varint()?;
            let delta = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
            previous = previous.wrapping_add(delta as u64);
            values.push(previous);
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn report() -> Report {
        let mut report = Report { path: "/x".into(), ..Report::default() };
        report.strings.items = vec![
            FoundString { offset: 900, encoding: "ascii".into(), value: "kernel32.dll".into() },
            FoundString { offset: 12, encoding: "utf16le".into(), value: "Ωmega".into() },
            FoundString { offset: u64::MAX, encoding: "ebcdic".into(), value: String::new() },
            FoundString { offset: 0, encoding: String::new(), value: "x".into() },
        ];
        report.entropy_profile = vec![
            EntropyPoint { offset: 0, length: 256, entropy: 4.7148771187184675 },
            EntropyPoint { offset: 256, length: u64::MAX, entropy: f64::MIN_POSITIVE },
            EntropyPoint { offset: 7, length: 0, entropy: -0.0 },
        ];
        report
    }

    #[test]
    fn every_value_comes_back_exactly() {
        let original = report();
        let encoded = encode(&original).unwrap();
        let (json, columns) = decode(&encoded).unwrap();
        let mut back: Report = serde_json::from_slice(json).unwrap();
        columns.restore(&mut back);
        assert_eq!(back, original);
        assert_eq!(back.entropy_profile[2].entropy.to_bits(), (-0.0f64).to_bits());
    }

    #[test]
    fn every_truncation_and_garbage_is_an_error_not_a_panic() {
        let encoded = encode(&report()).unwrap();
        for end in 0..encoded.len() {
            assert!(decode(&encoded[..end]).is_err(), "cut at {end}");
        }
        let mut longer = encoded.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..2000 {
            let mut damaged = encoded.clone();
            for _ in 0..4 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let at = (rng % damaged.len() as u64) as usize;
                damaged[at] = (rng >> 32) as u8;
            }
            let _ = decode(&damaged);
        }
        // A huge count is refused before anything is allocated for it.
        let mut huge = Vec::new();
        put_varint(&mut huge, 2);
        huge.extend_from_slice(b"{}");
        put_varint(&mut huge, u64::MAX);
        assert!(decode(&huge).is_err());
    }
}
