//! The files a OneNote section carries (MS-ONESTORE 2.6.13 FileDataStoreObject): each starts
//! with a header GUID, its length, 12 reserved bytes and the data, padded to 8 bytes and closed
//! by a footer GUID. They are found by the header GUID, as the established extractors do, so a
//! damaged revision store still gives its files up.
use memchr::memmem;

use crate::DocLimits;

/// {BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC} as stored.
const HEADER_GUID: &[u8] = b"\xe7\x16\xe3\xbd\x65\x26\x11\x45\xa4\xc4\x8d\x4d\x0b\x7a\x9e\xac";
/// {71FBA722-0F79-4A0B-BB13-899256426B24} as stored.
const FOOTER_GUID: &[u8] = b"\x22\xa7\xfb\x71\x79\x0f\x0b\x4a\xbb\x13\x89\x92\x56\x42\x6b\x24";
/// Header GUID, u64 cbLength, u32 unused, u64 reserved.
const DATA_OFFSET: usize = 16 + 8 + 4 + 8;

/// One embedded file.
#[derive(Debug)]
pub(super) struct Attachment<'a> {
    /// Offset of its header GUID.
    pub(super) offset: usize,
    /// Its bytes (cut at the end of the section or at the per-stream limit).
    pub(super) data: &'a [u8],
    /// The length the header claims.
    pub(super) claimed: u64,
}

/// What the search found.
#[derive(Debug, Default)]
pub(super) struct Carved<'a> {
    /// The files in section order.
    pub(super) attachments: Vec<Attachment<'a>>,
    /// What did not add up, for a person.
    pub(super) errors: Vec<String>,
    /// Limits hit (`onenote.attachments`, `onenote.attachment`).
    pub(super) truncated: Vec<&'static str>,
}

/// Finds the embedded files of `bytes` within `limits`.
pub(super) fn carve<'a>(bytes: &'a [u8], limits: &DocLimits) -> Carved<'a> {
    let mut carved = Carved::default();
    let mut decoded_total = 0usize;
    let mut from = 0;
    while let Some(found) = bytes.get(from..).and_then(|rest| memmem::find(rest, HEADER_GUID)) {
        let offset = from + found;
        if carved.attachments.len() >= limits.max_items {
            carved.truncated.push("onenote.attachments");
            break;
        }
        let Some(claimed) = read_u64(bytes, offset + 16) else {
            carved.errors.push(format!("file data object at {offset:#x}: header cut short"));
            break;
        };
        let start = offset + DATA_OFFSET;
        let available = bytes.len().saturating_sub(start);
        let wanted = usize::try_from(claimed).unwrap_or(usize::MAX);
        if wanted > available {
            carved.errors.push(format!("file data object at {offset:#x} claims {claimed} bytes, {available} there"));
        }
        let room = limits.max_decoded_stream.min(limits.max_decoded_total.saturating_sub(decoded_total));
        if wanted.min(available) > room {
            push_once(&mut carved.truncated, "onenote.attachment");
        }
        let length = wanted.min(available).min(room);
        let data = bytes.get(start..start + length).unwrap_or_default();
        decoded_total = decoded_total.saturating_add(length);
        if wanted <= available && !has_footer(bytes, offset, wanted) {
            carved.errors.push(format!("file data object at {offset:#x}: no footer after its data"));
        }
        carved.attachments.push(Attachment { offset, data, claimed });
        // Go on after this object's data when it was whole; past its header otherwise, so an
        // object whose length lies does not hide the ones inside its claimed span.
        from = if wanted <= available { start + wanted } else { offset + HEADER_GUID.len() };
    }
    carved
}

/// The footer GUID follows the data, padded so that the object so far is a multiple of 8 bytes.
fn has_footer(bytes: &[u8], offset: usize, length: usize) -> bool {
    let padded = DATA_OFFSET.checked_add(length).and_then(|n| n.checked_add(7)).map(|n| n & !7);
    let footer = padded.and_then(|padded| offset.checked_add(padded));
    footer.and_then(|at| bytes.get(at..at.checked_add(FOOTER_GUID.len())?)).is_some_and(|found| found == FOOTER_GUID)
}

fn read_u64(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at.checked_add(8)?)?.try_into().ok()?))
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

    /// A FileDataStoreObject holding `data`, claiming `claimed` bytes.
    fn object(data: &[u8], claimed: u64) -> Vec<u8> {
        let mut bytes = HEADER_GUID.to_vec();
        bytes.extend_from_slice(&claimed.to_le_bytes());
        bytes.extend_from_slice(&[0; 12]);
        bytes.extend_from_slice(data);
        bytes.resize(bytes.len().div_ceil(8) * 8, 0);
        bytes.extend_from_slice(FOOTER_GUID);
        bytes
    }

    #[test]
    fn objects_are_found_with_their_footers() {
        let mut section = vec![0x55; 100];
        section.extend(object(b"MZ\x90\x00", 4));
        section.extend(object(b"hello world", 11));
        let carved = carve(&section, &DocLimits::default());
        assert_eq!(carved.attachments.iter().map(|a| a.data).collect::<Vec<_>>(), [&b"MZ\x90\x00"[..], b"hello world"]);
        assert!(carved.errors.is_empty(), "{:?}", carved.errors);
        assert_eq!(carved.attachments[0].offset, 100);
    }

    #[test]
    fn huge_claimed_length_takes_what_is_there() {
        let mut section = object(b"abc", u64::MAX);
        section.extend(object(b"inner", 5));
        let carved = carve(&section, &DocLimits::default());
        assert_eq!(carved.attachments.len(), 2);
        assert_eq!(carved.attachments[0].claimed, u64::MAX);
        assert!(carved.errors[0].contains("claims"));
        assert_eq!(carved.attachments[1].data, b"inner");
    }

    #[test]
    fn limits_hold() {
        let section: Vec<u8> = (0..5000).flat_map(|_| object(b"x", 1)).collect();
        let limits = DocLimits { max_items: 10, max_decoded_stream: 3, ..DocLimits::default() };
        let carved = carve(&section, &limits);
        assert_eq!(carved.attachments.len(), 10);
        assert!(carved.truncated.contains(&"onenote.attachments"));
        let big = object(&[7; 100], 100);
        let carved = carve(&big, &limits);
        assert_eq!(carved.attachments[0].data.len(), 3);
        assert!(carved.truncated.contains(&"onenote.attachment"));
    }

    #[test]
    fn cut_headers_never_panic() {
        let section = object(b"payload", 7);
        for cut in 0..=section.len() {
            let _ = carve(&section[..cut], &DocLimits::default());
        }
    }
}
