//! Mapping relative virtual addresses to file offsets the way pefile does, so that the parts read
//! through data directories (resources, version info, .NET) agree with the reference tool on
//! files whose section table lies.
use std::cell::Cell;

use goblin::pe::PE;

use crate::Limits;

/// pefile rounds raw pointers down to this sector size when `FileAlignment` is at least as large.
const SECTOR: u32 = 0x200;
/// Below this section alignment the loader maps sections at their file alignment.
const PAGE: u32 = 0x1000;

/// One section as the loader would map it: `[start, end)` in RVA space, backed by the file from
/// `raw_start` up to `raw_end` (exclusive).
#[derive(Debug, Clone, Copy)]
struct MappedSection {
    start: u64,
    end: u64,
    raw_start: u64,
    raw_end: u64,
}

/// The RVA -> file offset map of one image.
#[derive(Debug, Clone)]
pub(super) struct ImageMap<'a> {
    bytes: &'a [u8],
    sections: Vec<MappedSection>,
    /// The section of the last lookup: reads cluster, and hostile tables may be long.
    last_hit: Cell<usize>,
}

impl<'a> ImageMap<'a> {
    /// Builds the map from the section table (at most `limits.max_table_entries` sections).
    pub(super) fn new(pe: &PE<'_>, bytes: &'a [u8], limits: &Limits) -> Self {
        let (section_alignment, file_alignment) = pe
            .header
            .optional_header
            .map(|h| (h.windows_fields.section_alignment, h.windows_fields.file_alignment))
            .unwrap_or((PAGE, SECTOR));
        let file_len = bytes.len() as u64;
        let mut table: Vec<_> = pe.sections.iter().take(limits.max_table_entries).collect();
        // pefile sorts by virtual address and clips each section at the start of the next one.
        table.sort_by_key(|s| s.virtual_address);
        let mut sections = Vec::with_capacity(table.len());
        for (i, s) in table.iter().enumerate() {
            let start = adjust_virtual_address(s.virtual_address, section_alignment, file_alignment);
            let raw_start = adjust_raw_pointer(s.pointer_to_raw_data, s.virtual_address, section_alignment, file_alignment);
            let raw_size = u64::from(s.size_of_raw_data);
            let virtual_size = u64::from(s.virtual_size);
            // A raw size running past the end of the file is not trusted: use the virtual size.
            let mut size = if file_len.saturating_sub(raw_start) < raw_size { virtual_size } else { raw_size.max(virtual_size) };
            if let Some(next) = table.get(i + 1).map(|n| u64::from(n.virtual_address)) {
                if next > u64::from(s.virtual_address) && start + size > next {
                    size = next.saturating_sub(start);
                }
            }
            let raw_end = u64::from(s.pointer_to_raw_data) + raw_size;
            sections.push(MappedSection { start, end: start + size, raw_start, raw_end });
        }
        Self { bytes, sections, last_hit: Cell::new(0) }
    }

    /// The file offset of `rva`, or `None` when it is neither in a section nor inside the file.
    pub(super) fn offset(&self, rva: u32) -> Option<usize> {
        let rva = u64::from(rva);
        match self.section_of(rva) {
            Some(s) => usize::try_from(rva - s.start + s.raw_start).ok(),
            // Outside every section pefile reads the file as if it were mapped flat.
            None if rva < self.bytes.len() as u64 => usize::try_from(rva).ok(),
            None => None,
        }
    }

    /// Up to `len` bytes at `rva`: fewer when the section's raw data or the file ends first,
    /// empty when `rva` maps nowhere.
    pub(super) fn read(&self, rva: u32, len: usize) -> &'a [u8] {
        let wide_rva = u64::from(rva);
        let Some(start) = self.offset(rva) else { return &[] };
        let mut end = start.saturating_add(len);
        if let Some(s) = self.section_of(wide_rva) {
            end = end.min(usize::try_from(s.raw_end).unwrap_or(usize::MAX));
        }
        let end = end.min(self.bytes.len());
        self.bytes.get(start..end).unwrap_or(&[])
    }

    fn section_of(&self, rva: u64) -> Option<&MappedSection> {
        let contains = |s: &&MappedSection| s.start <= rva && rva < s.end;
        if let Some(hit) = self.sections.get(self.last_hit.get()).filter(contains) {
            return Some(hit);
        }
        let index = self.sections.iter().position(|s| contains(&s))?;
        self.last_hit.set(index);
        self.sections.get(index)
    }
}

/// Section start as pefile computes it: rounded down to the section alignment (the file
/// alignment when the section alignment is below a page).
fn adjust_virtual_address(va: u32, section_alignment: u32, file_alignment: u32) -> u64 {
    let alignment = if section_alignment < PAGE { file_alignment } else { section_alignment };
    let va = u64::from(va);
    match u64::from(alignment) {
        0 => va,
        a => va - va % a,
    }
}

/// Raw data start as pefile computes it: rounded down to a sector, except for small-alignment
/// images whose sections sit at the same offset as their address.
fn adjust_raw_pointer(pointer: u32, va: u32, section_alignment: u32, file_alignment: u32) -> u64 {
    if section_alignment < PAGE && pointer == va {
        return u64::from(va);
    }
    let pointer = u64::from(pointer);
    if file_alignment >= SECTOR {
        pointer & !u64::from(SECTOR - 1)
    } else {
        pointer
    }
}

/// The `(rva, size)` of data directory `index`, when present.
pub(super) fn data_directory(pe: &PE<'_>, index: usize) -> Option<(u32, u32)> {
    let directories = &pe.header.optional_header.as_ref()?.data_directories.data_directories;
    directories.get(index)?.as_ref().map(|(_, d)| (d.virtual_address, d.size))
}

/// Little-endian `u16` at `at`, if the bytes are there.
pub(super) fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    let b: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_le_bytes(b))
}

/// Little-endian `u32` at `at`, if the bytes are there.
pub(super) fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// Decodes UTF-16LE `units` (lossy: unpaired surrogates become U+FFFD).
pub(super) fn utf16_lossy(units: &[u8]) -> String {
    let words = units.chunks_exact(2).map(|c| u16::from_le_bytes([c.first().copied().unwrap_or(0), c.get(1).copied().unwrap_or(0)]));
    char::decode_utf16(words).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}
