//! Builds a [`CodeImage`] from a parsed ELF: loadable segments (or sections of an object file),
//! entry point, defined function symbols and the GOT slots of imported symbols.
use goblin::elf::dynamic::DT_PLTGOT;
use goblin::elf::header::{EM_386, EM_X86_64};
use goblin::elf::program_header::{PF_X, PT_LOAD};
use goblin::elf::section_header::{SHF_ALLOC, SHF_EXECINSTR, SHT_NOBITS};
use goblin::elf::sym::{STT_FUNC, STT_GNU_IFUNC};
use goblin::elf::{Elf, Symtab};
use goblin::strtab::Strtab;

use super::image::{CodeImage, RootKind};
use crate::Limits;

/// `R_386_GLOB_DAT` and `R_X86_64_GLOB_DAT` share this number.
const R_GLOB_DAT: u32 = 6;
/// `R_386_JMP_SLOT` and `R_X86_64_JUMP_SLOT` share this number.
const R_JUMP_SLOT: u32 = 7;

/// The code image of `elf`, or `None` when its machine is neither x86 nor x64.
pub(crate) fn build<'a>(elf: &Elf<'_>, bytes: &'a [u8], limits: &Limits, notes: &mut Vec<String>) -> Option<CodeImage<'a>> {
    let bitness = match elf.header.e_machine {
        EM_386 => 32,
        EM_X86_64 => 64,
        _ => return None,
    };
    let mut image = CodeImage::new(bytes, bitness);
    map_code(elf, &mut image, notes);

    if elf.entry != 0 {
        image.entry = Some(elf.entry);
        image.roots.push((elf.entry, RootKind::Entry));
    }
    add_function_symbols(&mut image, &elf.syms, &elf.strtab, limits);
    add_function_symbols(&mut image, &elf.dynsyms, &elf.dynstrtab, limits);
    add_import_slots(elf, &mut image, limits);
    image.system_v_abi = true;
    if bitness == 32 {
        // The raw `DT_PLTGOT` value: goblin's `info.pltgot` is translated to a file offset.
        image.got_base = elf
            .dynamic
            .as_ref()
            .and_then(|d| d.dyns.iter().take(limits.max_table_entries).find(|e| e.d_tag == DT_PLTGOT))
            .map(|e| e.d_val)
            .filter(|&got| got != 0);
    }
    Some(image)
}

/// Maps what the loader maps: `PT_LOAD` segments. Object files have none; their allocated
/// sections are mapped instead.
fn map_code(elf: &Elf<'_>, image: &mut CodeImage<'_>, notes: &mut Vec<String>) {
    let mut complete = true;
    let loads: Vec<_> = elf.program_headers.iter().filter(|p| p.p_type == PT_LOAD).collect();
    if loads.is_empty() {
        for section in elf.section_headers.iter().filter(|s| s.sh_flags & u64::from(SHF_ALLOC) != 0 && s.sh_type != SHT_NOBITS) {
            let executable = section.sh_flags & u64::from(SHF_EXECINSTR) != 0;
            complete &= image.map(section.sh_addr, section.sh_offset, section.sh_size, executable);
        }
    } else {
        for segment in loads {
            let len = segment.p_filesz.min(segment.p_memsz);
            complete &= image.map(segment.p_vaddr, segment.p_offset, len, segment.p_flags & PF_X != 0);
        }
    }
    if !complete {
        notes.push(format!("disassembly: only the first {} segments or sections are mapped", super::image::MAX_RANGES));
    }
}

/// Defined functions in executable memory become traversal roots.
fn add_function_symbols(image: &mut CodeImage<'_>, symbols: &Symtab<'_>, names: &Strtab<'_>, limits: &Limits) {
    for symbol in symbols.iter().take(limits.max_table_entries) {
        let kind = symbol.st_type();
        if (kind != STT_FUNC && kind != STT_GNU_IFUNC) || symbol.st_shndx == 0 || symbol.st_value == 0 {
            continue;
        }
        if image.is_executable(symbol.st_value) {
            let name = names.get_at(symbol.st_name).unwrap_or("?").to_string();
            image.roots.push((symbol.st_value, RootKind::Export(name)));
        }
    }
}

/// GOT slots filled by the dynamic linker with imported (undefined) symbols: `JUMP_SLOT`
/// relocations (the PLT's slots) and `GLOB_DAT` relocations (calls compiled with `-fno-plt`).
fn add_import_slots(elf: &Elf<'_>, image: &mut CodeImage<'_>, limits: &Limits) {
    let relocations = elf.pltrelocs.iter().chain(elf.dynrelas.iter()).chain(elf.dynrels.iter());
    for relocation in relocations.take(limits.max_table_entries.saturating_mul(3)) {
        if relocation.r_type != R_JUMP_SLOT && relocation.r_type != R_GLOB_DAT {
            continue;
        }
        let Some(symbol) = elf.dynsyms.get(relocation.r_sym) else { continue };
        // A defined symbol is the file's own code reached through its own PLT, not an import.
        if symbol.st_shndx != 0 {
            continue;
        }
        let Some(name) = elf.dynstrtab.get_at(symbol.st_name).filter(|n| !n.is_empty()) else { continue };
        image.import_slots.insert(relocation.r_offset, name.to_string());
    }
}
