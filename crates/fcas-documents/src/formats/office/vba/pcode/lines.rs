//! The p-code line table of a module (VBA7 layout, learnt from Office files): the marker
//! 0xCAFE, a word, the line count, one 12-byte record per source line (its p-code length at +4,
//! its offset at +8), 0xFFFFFFFF, two bytes, the p-code size, then the p-code. Lines may be
//! stored out of order; each record says where its line is.
use memchr::memmem;

use super::Layout;

const MARKER: [u8; 2] = [0xfe, 0xca];
const RECORD: usize = 12;
/// Bytes between the records and the p-code: 0xFFFFFFFF, two bytes, the p-code size.
const TRAILER: usize = 10;
/// Markers tried: the table comes early in the cache, and each try is bounded by the area, so
/// an area full of markers costs at most this many passes.
const MAX_TRIES: usize = 64;

/// Each non-empty line's p-code, in line order; `None` when no consistent table is in `area`.
pub(crate) fn find(area: &[u8], layout: Layout) -> Option<Vec<&[u8]>> {
    let Layout::Vba7 = layout;
    memmem::find_iter(area, &MARKER).take(MAX_TRIES).find_map(|at| table_at(area, at))
}

/// The lines of a table whose marker is at `at`, if every field is consistent.
fn table_at(area: &[u8], at: usize) -> Option<Vec<&[u8]>> {
    let count = usize::from(word(area, at.checked_add(4)?)?);
    let records = at.checked_add(6)?;
    let records_end = records.checked_add(count.checked_mul(RECORD)?)?;
    if area.get(records_end..records_end.checked_add(4)?)? != [0xff; 4] {
        return None;
    }
    let size = dword(area, records_end.checked_add(6)?)?;
    let code_start = records_end.checked_add(TRAILER)?;
    let code = area.get(code_start..code_start.checked_add(size)?)?;
    let mut lines = Vec::new();
    for index in 0..count {
        let record = records.checked_add(index.checked_mul(RECORD)?)?;
        let length = usize::from(word(area, record.checked_add(4)?)?);
        if length == 0 {
            continue;
        }
        let offset = dword(area, record.checked_add(8)?)?;
        lines.push(code.get(offset..offset.checked_add(length)?)?);
    }
    Some(lines)
}

fn word(bytes: &[u8], at: usize) -> Option<u16> {
    let pair = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([pair[0], pair[1]]))
}

fn dword(bytes: &[u8], at: usize) -> Option<usize> {
    let four = bytes.get(at..at.checked_add(4)?)?;
    usize::try_from(u32::from_le_bytes([four[0], four[1], four[2], four[3]])).ok()
}
