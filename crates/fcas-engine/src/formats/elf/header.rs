//! The ELF file header.
use fcas_report::ElfHeader;
use goblin::elf::header::{EI_CLASS, EI_DATA, EI_OSABI, ELFCLASS64, ELFDATA2MSB};
use goblin::elf::Elf;

use super::names;

/// The header fields, and notes where the declared tables do not fit the file.
pub(super) fn header(elf: &Elf<'_>, bytes: &[u8], notes: &mut Vec<String>) -> ElfHeader {
    let h = &elf.header;
    let header_size = if h.e_ident[EI_CLASS] == ELFCLASS64 { 64 } else { 52 };
    if bytes.len() < header_size {
        notes.push(format!("the file ({} bytes) ends inside the {header_size}-byte ELF header; missing fields read as 0", bytes.len()));
    }
    if usize::from(h.e_phnum) != elf.program_headers.len() {
        notes.push(format!("the header declares {} program headers but only {} fit in the file", h.e_phnum, elf.program_headers.len()));
    }
    ElfHeader {
        class: if h.e_ident[EI_CLASS] == ELFCLASS64 { "ELF64" } else { "ELF32" }.to_string(),
        endianness: if h.e_ident[EI_DATA] == ELFDATA2MSB { "MSB" } else { "LSB" }.to_string(),
        os_abi: names::os_abi(h.e_ident[EI_OSABI]),
        machine: names::machine(h.e_machine),
        machine_id: h.e_machine,
        file_type: names::file_type(h.e_type),
        entry_point: h.e_entry,
        program_header_offset: h.e_phoff,
        section_header_offset: h.e_shoff,
        processor_flags: h.e_flags,
        header_size: h.e_ehsize,
        declared_segments: h.e_phnum.into(),
        declared_sections: h.e_shnum.into(),
        section_name_table_index: h.e_shstrndx.into(),
    }
}
