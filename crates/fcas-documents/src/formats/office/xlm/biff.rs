//! BIFF records (MS-XLS 2.1.4): a bounded walk over the record headers of a `Workbook` stream.

pub(in crate::formats::office) const BOF: u16 = 0x0809;
pub(super) const EOF: u16 = 0x000A;
pub(in crate::formats::office) const BOUNDSHEET: u16 = 0x0085;
pub(in crate::formats::office) const FILEPASS: u16 = 0x002F;
/// A `FilePass` record counts only among a workbook's first records (BOF, perhaps WriteProtect,
/// then it), where Excel reads it: one further on is not encryption, and the records around it
/// are read as they are.
pub(in crate::formats::office) const FILEPASS_WITHIN: usize = 4;
pub(super) const FORMULA: u16 = 0x0006;

/// One record: its type, its data and where it starts.
pub(in crate::formats::office) struct Record<'a> {
    pub(in crate::formats::office) kind: u16,
    pub(in crate::formats::office) data: &'a [u8],
    /// The offset of its header in the stream.
    pub(in crate::formats::office) start: usize,
}

impl Record<'_> {
    /// Where its data lies in the stream.
    pub(in crate::formats::office) fn body(&self) -> std::ops::Range<usize> {
        self.start + 4..self.start + 4 + self.data.len()
    }
}

/// The records from `start` on, until the bytes end or a record's length runs past them (every
/// record consumes its 4-byte header, so the walk ends).
pub(in crate::formats::office) fn records(stream: &[u8], start: usize) -> impl Iterator<Item = Record<'_>> {
    let mut at = start;
    std::iter::from_fn(move || {
        let header = stream.get(at..at.checked_add(4)?)?;
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let length = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let data = stream.get(at + 4..at + 4 + length)?;
        let start = at;
        at += 4 + length;
        Some(Record { kind, data, start })
    })
}
