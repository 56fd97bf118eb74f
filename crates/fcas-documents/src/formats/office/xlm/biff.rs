//! BIFF records (MS-XLS 2.1.4): a bounded walk over the record headers of a `Workbook` stream.

pub(super) const BOF: u16 = 0x0809;
pub(super) const EOF: u16 = 0x000A;
pub(super) const BOUNDSHEET: u16 = 0x0085;
pub(super) const FILEPASS: u16 = 0x002F;
pub(super) const FORMULA: u16 = 0x0006;

/// One record: its type, its data and where it starts.
pub(super) struct Record<'a> {
    pub(super) kind: u16,
    pub(super) data: &'a [u8],
}

/// The records from `start` on, until the bytes end or a record's length runs past them (every
/// record consumes its 4-byte header, so the walk ends).
pub(super) fn records(stream: &[u8], start: usize) -> impl Iterator<Item = Record<'_>> {
    let mut at = start;
    std::iter::from_fn(move || {
        let header = stream.get(at..at.checked_add(4)?)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let length = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = stream.get(at + 4..at + 4 + length)?;
        at += 4 + length;
        Some(Record { kind, data })
    })
}

pub(super) fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

pub(super) fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}
