//! DOS, COFF and optional headers and the data directory table, read as pefile reads them.
use fcas_report::{PeDataDirectory, PeHeaders};

use super::image::{u16_at, u32_at, u64_at};
use super::names::{flags_of, name_of, DIRECTORIES, DLL_FLAGS, FILE_FLAGS, MACHINES, SUBSYSTEMS};

/// pefile reads at most this many data directories.
const MAX_DIRECTORIES: u32 = 16;
/// Optional header magic of PE32+.
const MAGIC_PE32_PLUS: u16 = 0x20b;

/// The headers, plus where the section table starts.
pub(crate) struct Headers {
    /// Header fields for the report.
    pub fields: PeHeaders,
    /// Data directories as listed.
    pub directories: Vec<PeDataDirectory>,
    /// File offset of the section table.
    pub section_table: usize,
    /// File offset of the optional header.
    pub optional_header: usize,
}

impl Headers {
    /// RVA and size of data directory `index`, when listed and non-zero.
    pub(crate) fn directory(&self, index: u32) -> Option<(u32, u32)> {
        self.directories.iter().find(|d| d.index == index && d.virtual_address != 0).map(|d| (d.virtual_address, d.size))
    }
}

/// Reads the headers. Fields past the end of the file read as zero (pefile pads the optional
/// header the same way).
pub(crate) fn read(bytes: &[u8], notes: &mut Vec<String>) -> Headers {
    let e_lfanew = u32_at(bytes, 0x3c).unwrap_or(0);
    let nt = e_lfanew as usize;
    let coff = nt.saturating_add(4);
    let w16 = |o: usize| u16_at(bytes, o).unwrap_or(0);
    let w32 = |o: usize| u32_at(bytes, o).unwrap_or(0);
    let optional = coff.saturating_add(20);
    let opt = |o: usize| optional.saturating_add(o);

    let machine = w16(coff);
    let characteristics = w16(coff + 18);
    let size_of_optional_header = w16(coff + 16);
    let optional_magic = w16(optional);
    let is_pe32_plus = optional_magic == MAGIC_PE32_PLUS;
    // PE32+ drops BaseOfData and widens ImageBase and the four stack/heap sizes.
    let (image_base, wide) = if is_pe32_plus { (u64_at(bytes, opt(24)).unwrap_or(0), 16) } else { (u64::from(w32(opt(28))), 0) };
    let subsystem = w16(opt(68));
    let dll_characteristics = w16(opt(70));
    let number_of_rva_and_sizes = w32(opt(92 + wide));

    let fields = PeHeaders {
        dos_e_lfanew: e_lfanew,
        machine,
        machine_name: name_of(MACHINES, machine).unwrap_or_default().to_string(),
        number_of_sections: w16(coff + 2),
        timestamp: w32(coff + 4),
        pointer_to_symbol_table: w32(coff + 8),
        number_of_symbols: w32(coff + 12),
        size_of_optional_header,
        characteristics,
        characteristics_flags: flags_of(FILE_FLAGS, characteristics),
        optional_magic,
        is_pe32_plus,
        major_linker_version: bytes.get(opt(2)).copied().unwrap_or(0),
        minor_linker_version: bytes.get(opt(3)).copied().unwrap_or(0),
        size_of_code: w32(opt(4)),
        entry_point: w32(opt(16)),
        image_base,
        section_alignment: w32(opt(32)),
        file_alignment: w32(opt(36)),
        major_os_version: w16(opt(40)),
        minor_os_version: w16(opt(42)),
        major_image_version: w16(opt(44)),
        minor_image_version: w16(opt(46)),
        major_subsystem_version: w16(opt(48)),
        minor_subsystem_version: w16(opt(50)),
        size_of_image: w32(opt(56)),
        size_of_headers: w32(opt(60)),
        checksum: w32(opt(64)),
        subsystem,
        subsystem_name: name_of(SUBSYSTEMS, subsystem).unwrap_or_default().to_string(),
        dll_characteristics,
        dll_characteristics_flags: flags_of(DLL_FLAGS, dll_characteristics),
        number_of_rva_and_sizes,
    };
    if number_of_rva_and_sizes > MAX_DIRECTORIES {
        notes.push(format!("NumberOfRvaAndSizes is {number_of_rva_and_sizes:#x}; only {MAX_DIRECTORIES} data directories exist"));
    }
    let directories = read_directories(bytes, opt(96 + wide), number_of_rva_and_sizes);
    Headers { fields, directories, section_table: optional.saturating_add(usize::from(size_of_optional_header)), optional_header: optional }
}

/// The data directory table at `offset`: at most 16 entries, stopping at the end of the file
/// (a last entry cut by the end of the file is padded with zeros, as pefile does).
fn read_directories(bytes: &[u8], offset: usize, declared: u32) -> Vec<PeDataDirectory> {
    let mut directories = Vec::new();
    for index in 0..declared.min(MAX_DIRECTORIES) {
        let at = offset.saturating_add(index as usize * 8);
        if at >= bytes.len() {
            break;
        }
        let mut entry = [0u8; 8];
        for (slot, byte) in entry.iter_mut().zip(bytes.get(at..).unwrap_or_default()) {
            *slot = *byte;
        }
        directories.push(PeDataDirectory {
            index,
            name: name_of(DIRECTORIES, index).unwrap_or_default().to_string(),
            virtual_address: u32_at(&entry, 0).unwrap_or(0),
            size: u32_at(&entry, 4).unwrap_or(0),
        });
    }
    directories
}
