//! Mapping relative virtual addresses to file offsets the way pefile does, so that the parts read
//! through data directories (resources, version info, .NET) agree with the reference tool on
//! files whose section table lies.
use goblin::pe::PE;

use super::image::Image;
pub(super) use super::image::{u16_at, u32_at};
use crate::Limits;

/// The RVA -> file offset map of one image, as pefile maps it (the same [`Image`] the PE
/// structure is read through), for the parts read through data directories.
pub(super) struct ImageMap<'a> {
    image: Image<'a>,
}

impl<'a> ImageMap<'a> {
    /// Builds the map from the section table goblin located.
    pub(super) fn new(pe: &PE<'_>, bytes: &'a [u8], limits: &Limits) -> Self {
        let _ = limits; // the section table reader has its own pefile-compatible cap
        let coff = &pe.header.coff_header;
        let table = (pe.header.dos_header.pe_pointer as usize).saturating_add(24).saturating_add(usize::from(coff.size_of_optional_header));
        let (section_alignment, file_alignment) = pe
            .header
            .optional_header
            .map(|h| (h.windows_fields.section_alignment, h.windows_fields.file_alignment))
            .unwrap_or((0x1000, 0x200));
        // Section-table problems are already reported by the PE structure stage.
        let image = Image::new(bytes, table, coff.number_of_sections, section_alignment, file_alignment, &mut Vec::new());
        Self { image }
    }

    /// The file offset of `rva`, or `None` when it is neither in a section nor inside the file.
    pub(super) fn offset(&self, rva: u32) -> Option<usize> {
        self.image.offset_of(u64::from(rva)).and_then(|o| usize::try_from(o).ok())
    }

    /// Up to `len` bytes at `rva`: fewer when the section's raw data or the file ends first,
    /// empty when `rva` maps nowhere.
    pub(super) fn read(&self, rva: u32, len: usize) -> &'a [u8] {
        self.image.data(u64::from(rva), len as u64).unwrap_or(&[])
    }
}

/// The `(rva, size)` of data directory `index`, when present.
pub(super) fn data_directory(pe: &PE<'_>, index: usize) -> Option<(u32, u32)> {
    let directories = &pe.header.optional_header.as_ref()?.data_directories.data_directories;
    directories.get(index)?.as_ref().map(|(_, d)| (d.virtual_address, d.size))
}

/// Decodes UTF-16LE `units` (lossy: unpaired surrogates become U+FFFD).
pub(super) fn utf16_lossy(units: &[u8]) -> String {
    let words = units.chunks_exact(2).map(|c| u16::from_le_bytes([c.first().copied().unwrap_or(0), c.get(1).copied().unwrap_or(0)]));
    char::decode_utf16(words).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
}
