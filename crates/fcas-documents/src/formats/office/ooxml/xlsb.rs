//! BIFF12 records of xlsb parts (MS-XLSB 2.1.4): variable-length type and size. Read here: the
//! BrtBeginSupBook of DDE links (an external link part) and the BrtBundleSh sheet list of
//! `xl/workbook.bin`.
use super::excel::WorkbookSheet;

/// BrtBeginSupBook.
const BEGIN_SUP_BOOK: u32 = 360;
/// BrtBundleSh.
const BUNDLE_SHEET: u32 = 156;
/// `sbt` of a DDE link.
const DDE_LINK: u16 = 1;

/// The DDE links (`application topic`) of an xlsb external link part.
pub(super) fn dde_links(part: &[u8], found: &mut Vec<String>, max: usize) {
    for (kind, data) in records(part) {
        if kind != BEGIN_SUP_BOOK || found.len() >= max {
            continue;
        }
        if data.get(..2) != Some(&DDE_LINK.to_le_bytes()[..]) {
            continue;
        }
        let Some((application, used)) = wide_string(data.get(2..).unwrap_or_default()) else { continue };
        let topic = data.get(2 + used..).and_then(wide_string).map(|(topic, _)| topic).unwrap_or_default();
        found.push(format!("{application} {topic}"));
    }
}

/// The sheets `xl/workbook.bin` lists (BrtBundleSh: state, tab id, relationship id, name).
pub(super) fn workbook_sheets(part: &[u8]) -> Vec<WorkbookSheet> {
    records(part)
        .filter(|(kind, _)| *kind == BUNDLE_SHEET)
        .filter_map(|(_, data)| {
            let visibility = match u32::from_le_bytes(data.get(..4)?.try_into().ok()?) {
                0 => "visible",
                1 => "hidden",
                _ => "very_hidden",
            };
            let rest = data.get(8..)?;
            // A null relationship id is a count of 0xFFFFFFFF and no characters.
            let (relationship, used) = if rest.get(..4)? == [0xff; 4] { (String::new(), 4) } else { wide_string(rest)? };
            let (name, _) = wide_string(rest.get(used..)?)?;
            Some(WorkbookSheet { name, visibility: visibility.to_string(), relationship })
        })
        .collect()
}

/// The records of `bytes`: each consumes at least its two header bytes, so the walk ends.
fn records(bytes: &[u8]) -> impl Iterator<Item = (u32, &[u8])> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let (kind, after_kind) = varint(bytes, at, 2)?;
        let (size, after_size) = varint(bytes, after_kind, 4)?;
        let data = bytes.get(after_size..after_size.checked_add(size as usize)?)?;
        at = after_size + size as usize;
        Some((kind, data))
    })
}

/// A little-endian base-128 number of at most `width` bytes, and where it ends.
fn varint(bytes: &[u8], at: usize, width: usize) -> Option<(u32, usize)> {
    let mut value = 0u32;
    for index in 0..width {
        let byte = *bytes.get(at + index)?;
        value |= u32::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Some((value, at + index + 1));
        }
    }
    Some((value, at + width))
}

/// An XLWideString: a 32-bit character count and UTF-16 text; its text and the bytes it took.
fn wide_string(bytes: &[u8]) -> Option<(String, usize)> {
    let count = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let raw = bytes.get(4..4 + count.checked_mul(2)?)?;
    let units: Vec<u16> = raw.chunks_exact(2).map(|pair| u16::from_le_bytes([pair[0], pair[1]])).collect();
    Some((String::from_utf16_lossy(&units), 4 + raw.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide(text: &str) -> Vec<u8> {
        let mut bytes = (text.len() as u32).to_le_bytes().to_vec();
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn dde_sup_book() {
        let mut data = DDE_LINK.to_le_bytes().to_vec();
        data.extend(wide("cmd"));
        data.extend(wide("/c calc.exe"));
        // type 360 = 0xE8 0x02 in two base-128 bytes.
        let mut part = vec![0xE8, 0x02, data.len() as u8];
        part.extend(&data);
        let mut found = Vec::new();
        dde_links(&part, &mut found, 10);
        assert_eq!(found, vec!["cmd /c calc.exe".to_string()]);
        let mut lying = vec![0xE8, 0x02, 0xff, 0xff, 0xff, 0x7f];
        lying.extend(&data);
        dde_links(&lying, &mut found, 10);
        dde_links(&part[..9], &mut found, 10);
        assert_eq!(found.len(), 1);
    }
}
