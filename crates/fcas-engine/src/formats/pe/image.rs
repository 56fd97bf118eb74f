//! The file seen as a loaded image, mapped the way pefile maps it: section table, RVA to file
//! offset, bounded reads. Every later part reads through this so that all of them agree with
//! pefile on where an RVA lands, even on malformed files.

/// pefile stops reading the section table after this many entries.
const MAX_SECTIONS: usize = 0x800;
/// pefile drops a section once this many of its fields look wrong.
const MAX_SIMULTANEOUS_ERRORS: u32 = 3;
/// Size of one section header.
const SECTION_HEADER_SIZE: usize = 40;

/// Little-endian `u16` at `offset`, `None` past the end.
pub(crate) fn u16_at(bytes: &[u8], offset: usize) -> Option<u16> {
    let b = bytes.get(offset..offset.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

/// Little-endian `u32` at `offset`, `None` past the end.
pub(crate) fn u32_at(bytes: &[u8], offset: usize) -> Option<u32> {
    let b = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Little-endian `u64` at `offset`, `None` past the end.
pub(crate) fn u64_at(bytes: &[u8], offset: usize) -> Option<u64> {
    let b = bytes.get(offset..offset.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Some(u64::from_le_bytes(a))
}

/// Python-style slice `bytes[start:end]`: clamped, empty when reversed.
pub(crate) fn clamped(bytes: &[u8], start: u64, end: u64) -> &[u8] {
    let len = bytes.len() as u64;
    let start = start.min(len);
    let end = end.clamp(start, len);
    bytes.get(start as usize..end as usize).unwrap_or_default()
}

/// The bytes before the first NUL (all of them without one).
pub(crate) fn until_nul(bytes: &[u8]) -> &[u8] {
    match memchr::memchr(0, bytes) {
        Some(end) => bytes.get(..end).unwrap_or_default(),
        None => bytes,
    }
}

/// md5 of `bytes` as lowercase hex.
pub(crate) fn md5_hex(bytes: &[u8]) -> String {
    use md5::{Digest, Md5};
    fcas_report::hex(&Md5::digest(bytes))
}

/// One section header as written, plus pefile's adjusted addresses.
#[derive(Debug, Clone)]
pub(crate) struct RawSection {
    /// The 8 raw name bytes.
    pub name_raw: [u8; 8],
    pub virtual_size: u32,
    pub virtual_address: u32,
    pub raw_size: u32,
    pub raw_pointer: u32,
    pub characteristics: u32,
    /// `PointerToRawData` rounded down as the loader does.
    pointer_adj: u64,
    /// `VirtualAddress` rounded down to the section alignment.
    address_adj: u64,
    /// Virtual address of the next section by address, to cut overlapping sections.
    next_address: Option<u32>,
    /// Size of the file, to judge whether `SizeOfRawData` is realistic.
    file_len: u64,
}

impl RawSection {
    /// Name: the raw bytes without trailing NULs, as lossy UTF-8.
    pub(crate) fn name(&self) -> String {
        let mut end = self.name_raw.len();
        while end > 0 && self.name_raw.get(end - 1) == Some(&0) {
            end -= 1;
        }
        String::from_utf8_lossy(self.name_raw.get(..end).unwrap_or_default()).into_owned()
    }

    /// pefile's `contains_rva`.
    fn contains_rva(&self, rva: u64) -> bool {
        let raw_is_realistic =
            self.file_len.saturating_sub(self.pointer_adj) >= u64::from(self.raw_size) && self.file_len >= self.pointer_adj;
        let mut size = if raw_is_realistic { u64::from(self.raw_size.max(self.virtual_size)) } else { u64::from(self.virtual_size) };
        if let Some(next) = self.next_address {
            let next = u64::from(next);
            if next > u64::from(self.virtual_address) && self.address_adj + size > next {
                size = next.saturating_sub(self.address_adj);
            }
        }
        self.address_adj <= rva && rva < self.address_adj + size
    }

    /// pefile's section `get_data(rva, length)`: file range of `length` bytes at `rva`, cut at
    /// the end of the section's raw data. `None` for the whole raw data.
    fn data<'a>(&self, bytes: &'a [u8], rva: Option<u64>, length: Option<u64>) -> &'a [u8] {
        let offset = match rva {
            Some(rva) => rva.saturating_sub(self.address_adj) + self.pointer_adj,
            None => self.pointer_adj,
        };
        let mut end = offset + length.unwrap_or(u64::from(self.raw_size));
        end = end.min(u64::from(self.raw_pointer) + u64::from(self.raw_size));
        clamped(bytes, offset, end)
    }

    /// The section's raw data as pefile hashes it.
    pub(crate) fn raw_data<'a>(&self, bytes: &'a [u8]) -> &'a [u8] {
        self.data(bytes, None, None)
    }
}

/// The file, its section table and its alignment.
pub(crate) struct Image<'a> {
    pub bytes: &'a [u8],
    /// Sections in header order.
    pub sections: Vec<RawSection>,
    /// Indexes into `sections` sorted by virtual address (pefile searches in this order).
    by_address: Vec<usize>,
    /// The headers as pefile bounds them: up to the first section's raw data.
    header_len: u64,
}

impl<'a> Image<'a> {
    /// Reads the section table at `table_offset` with pefile's stopping rules.
    pub(crate) fn new(
        bytes: &'a [u8],
        table_offset: usize,
        declared: u16,
        section_alignment: u32,
        file_alignment: u32,
        notes: &mut Vec<String>,
    ) -> Self {
        let file_len = bytes.len() as u64;
        let mut sections = Vec::new();
        for index in 0..usize::from(declared) {
            if index >= MAX_SECTIONS {
                notes.push(format!("only the first {MAX_SECTIONS} of {declared} sections are read"));
                break;
            }
            let Some(start) = index.checked_mul(SECTION_HEADER_SIZE).and_then(|o| o.checked_add(table_offset)) else { break };
            let Some(header) = bytes.get(start..start.saturating_add(SECTION_HEADER_SIZE)) else {
                notes.push(format!("section table ends at section {index}, past the end of the file"));
                break;
            };
            if header.iter().all(|&b| b == 0) {
                notes.push(format!("section {index} is all zero; the section table stops there"));
                break;
            }
            let mut name_raw = [0u8; 8];
            name_raw.copy_from_slice(header.get(..8).unwrap_or(&[0; 8]));
            let field = |o: usize| u32_at(header, o).unwrap_or(0);
            let mut section = RawSection {
                name_raw,
                virtual_size: field(8),
                virtual_address: field(12),
                raw_size: field(16),
                raw_pointer: field(20),
                characteristics: field(36),
                pointer_adj: 0,
                address_adj: 0,
                next_address: None,
                file_len,
            };
            section.pointer_adj = adjust_pointer(section.raw_pointer, section.virtual_address, section_alignment);
            section.address_adj = adjust_address(section.virtual_address, section_alignment, file_alignment);
            if suspicious_fields(&section, file_len, file_alignment) >= MAX_SIMULTANEOUS_ERRORS {
                notes.push(format!("section {index} has too many invalid fields; the section table stops there"));
                break;
            }
            sections.push(section);
        }
        let mut by_address: Vec<usize> = (0..sections.len()).collect();
        by_address.sort_by_key(|&i| sections.get(i).map_or(0, |s| s.virtual_address));
        for pair in by_address.windows(2) {
            if let [this, next] = *pair {
                let next_address = sections.get(next).map(|s| s.virtual_address);
                if let Some(section) = sections.get_mut(this) {
                    section.next_address = next_address;
                }
            }
        }
        let table_end = (table_offset as u64).saturating_add((SECTION_HEADER_SIZE as u64).saturating_mul(u64::from(declared)));
        let lowest_raw = sections.iter().filter(|s| s.raw_pointer > 0).map(|s| u64::from(s.raw_pointer & !0x1ff)).min();
        let header_len = match lowest_raw {
            Some(lowest) if lowest != 0 && lowest >= table_end => lowest,
            _ if sections.is_empty() => table_offset as u64,
            _ => table_end,
        };
        Self { bytes, sections, by_address, header_len }
    }

    /// The section holding `rva`, searched in address order as pefile does.
    pub(crate) fn section_of(&self, rva: u64) -> Option<&RawSection> {
        self.by_address.iter().filter_map(|&i| self.sections.get(i)).find(|s| s.contains_rva(rva))
    }

    /// pefile's `get_offset_from_rva`: `None` where pefile raises.
    pub(crate) fn offset_of(&self, rva: u64) -> Option<u64> {
        match self.section_of(rva) {
            Some(s) => Some(rva.saturating_sub(s.address_adj) + s.pointer_adj),
            None if rva < self.bytes.len() as u64 => Some(rva),
            None => None,
        }
    }

    /// pefile's `get_data(rva, length)`: up to `length` bytes at `rva` (fewer at the end of a
    /// section or of the file); `None` where pefile raises.
    pub(crate) fn data(&self, rva: u64, length: u64) -> Option<&'a [u8]> {
        match self.section_of(rva) {
            Some(s) => Some(s.data(self.bytes, Some(rva), Some(length))),
            None if rva < self.header_len => {
                let header = clamped(self.bytes, 0, self.header_len);
                Some(clamped(header, rva, rva.saturating_add(length)))
            }
            None if rva < self.bytes.len() as u64 => Some(clamped(self.bytes, rva, rva.saturating_add(length))),
            None => None,
        }
    }

    /// Exactly `N` bytes at `rva`, or `None`.
    fn exact<const N: usize>(&self, rva: u64) -> Option<[u8; N]> {
        let data = self.data(rva, N as u64)?;
        data.try_into().ok()
    }

    /// `u32` at `rva`.
    pub(crate) fn u32_rva(&self, rva: u64) -> Option<u32> {
        self.exact::<4>(rva).map(u32::from_le_bytes)
    }

    /// `u64` at `rva`.
    pub(crate) fn u64_rva(&self, rva: u64) -> Option<u64> {
        self.exact::<8>(rva).map(u64::from_le_bytes)
    }

    /// pefile's `get_string_at_rva`: bytes up to a NUL, at most `max_len`. Where no section
    /// holds `rva` pefile reads the file at that offset.
    pub(crate) fn string_at(&self, rva: u64, max_len: u64) -> &'a [u8] {
        let data = match self.section_of(rva) {
            Some(s) => s.data(self.bytes, Some(rva), Some(max_len)),
            None => clamped(self.bytes, rva, rva.saturating_add(max_len)),
        };
        until_nul(data)
    }
}

/// pefile's `adjust_PointerToRawData`, with its small-alignment special case.
fn adjust_pointer(raw_pointer: u32, virtual_address: u32, section_alignment: u32) -> u64 {
    if section_alignment < 0x1000 && raw_pointer == virtual_address {
        return u64::from(virtual_address);
    }
    u64::from(raw_pointer & !0x1ff)
}

/// pefile's `adjust_SectionAlignment`.
fn adjust_address(virtual_address: u32, section_alignment: u32, file_alignment: u32) -> u64 {
    let alignment = if section_alignment < 0x1000 { file_alignment } else { section_alignment };
    let va = u64::from(virtual_address);
    match u64::from(alignment) {
        0 => va,
        a => va - va % a,
    }
}

/// How many of the fields pefile checks look wrong.
fn suspicious_fields(section: &RawSection, file_len: u64, file_alignment: u32) -> u32 {
    let checks = [
        u64::from(section.raw_size) + u64::from(section.raw_pointer) > file_len,
        u64::from(section.raw_pointer & !0x1ff) > file_len,
        section.virtual_size > 0x1000_0000,
        section.address_adj > 0x1000_0000,
        section.raw_pointer.checked_rem(file_alignment).is_some_and(|r| r != 0),
    ];
    checks.iter().filter(|&&c| c).count() as u32
}
