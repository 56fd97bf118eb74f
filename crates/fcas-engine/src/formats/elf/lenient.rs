//! A forgiving ELF reader for files goblin refuses as a whole (a truncated header, a program
//! header count larger than the file): it keeps every table that can be read, as LIEF does.
use goblin::container::{Container, Ctx, Endian};
use goblin::elf::dynamic::{Dynamic, DT_RPATH, DT_RUNPATH};
use goblin::elf::header::{Header, EI_CLASS, EI_DATA, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFMAG, SELFMAG};
use goblin::elf::program_header::{ProgramHeader, PT_INTERP};
use goblin::elf::section_header::{SectionHeader, SHT_DYNSYM, SHT_SYMTAB};
use goblin::elf::sym::Symtab;
use goblin::elf::Elf;
use goblin::strtab::Strtab;

/// Largest ELF header (ELF64); shorter files are read as if zero-padded to it.
const MAX_HEADER_SIZE: usize = 64;

/// Reads what can be read of `bytes` as an ELF; `None` when not even the identification is valid.
pub(crate) fn parse(bytes: &[u8]) -> Option<Elf<'_>> {
    let header = padded_header(bytes)?;
    let ctx = context(&header)?;
    let mut elf = Elf::lazy_parse(header).ok()?;

    elf.program_headers = read_table(bytes, header.e_phoff, header.e_phnum.into(), ProgramHeader::size(ctx), |count| {
        ProgramHeader::parse(bytes, usize::try_from(header.e_phoff).ok()?, count, ctx).ok()
    });
    elf.section_headers = read_table(bytes, header.e_shoff, header.e_shnum.into(), SectionHeader::size(ctx), |count| {
        SectionHeader::parse(bytes, usize::try_from(header.e_shoff).ok()?, count, ctx).ok()
    });
    elf.shdr_strtab = section_strtab(bytes, &elf.section_headers, header.e_shstrndx.into());
    elf.interpreter = interpreter(bytes, &elf.program_headers);

    if let Some(section) = elf.section_headers.iter().rfind(|s| s.sh_type == SHT_SYMTAB) {
        elf.syms = symbols(bytes, section, ctx);
        elf.strtab = section_strtab(bytes, &elf.section_headers, section.sh_link as usize);
    }
    if let Some(section) = elf.section_headers.iter().find(|s| s.sh_type == SHT_DYNSYM) {
        elf.dynsyms = symbols(bytes, section, ctx);
    }
    if let Ok(Some(dynamic)) = Dynamic::parse(bytes, &elf.program_headers, ctx) {
        let info = &dynamic.info;
        elf.dynstrtab = Strtab::parse(bytes, info.strtab, info.strsz, 0).unwrap_or_default();
        elf.libraries = dynamic.get_libraries(&elf.dynstrtab);
        elf.soname = if info.soname != 0 { elf.dynstrtab.get_at(info.soname) } else { None };
        for entry in &dynamic.dyns {
            let Ok(offset) = usize::try_from(entry.d_val) else { continue };
            match entry.d_tag {
                DT_RPATH => elf.rpaths.extend(elf.dynstrtab.get_at(offset)),
                DT_RUNPATH => elf.runpaths.extend(elf.dynstrtab.get_at(offset)),
                _ => {}
            }
        }
        elf.dynamic = Some(dynamic);
    }
    Some(elf)
}

/// The file header, with the bytes past the end of a truncated file read as zeros.
fn padded_header(bytes: &[u8]) -> Option<Header> {
    if bytes.get(..SELFMAG)? != ELFMAG {
        return None;
    }
    let mut padded = [0u8; MAX_HEADER_SIZE];
    let available = bytes.len().min(MAX_HEADER_SIZE);
    padded.get_mut(..available)?.copy_from_slice(bytes.get(..available)?);
    Elf::parse_header(&padded).ok()
}

pub(super) fn context(header: &Header) -> Option<Ctx> {
    let container = match header.e_ident[EI_CLASS] {
        ELFCLASS64 => Container::Big,
        ELFCLASS32 => Container::Little,
        _ => return None,
    };
    let endian = if header.e_ident[EI_DATA] == ELFDATA2LSB { Endian::Little } else { Endian::Big };
    Some(Ctx::new(container, endian))
}

/// Reads at most as many `entry_size` entries at `offset` as the file holds.
fn read_table<T>(bytes: &[u8], offset: u64, declared: usize, entry_size: usize, read: impl FnOnce(usize) -> Option<Vec<T>>) -> Vec<T> {
    let Ok(start) = usize::try_from(offset) else { return Vec::new() };
    if start == 0 || entry_size == 0 {
        return Vec::new();
    }
    let fits = bytes.len().saturating_sub(start) / entry_size;
    let count = declared.min(fits);
    if count == 0 {
        return Vec::new();
    }
    read(count).unwrap_or_default()
}

pub(super) fn section_strtab<'a>(bytes: &'a [u8], sections: &[SectionHeader], index: usize) -> Strtab<'a> {
    let Some(section) = sections.get(index) else { return Strtab::default() };
    match (usize::try_from(section.sh_offset), usize::try_from(section.sh_size)) {
        (Ok(offset), Ok(size)) => Strtab::parse(bytes, offset, size, 0).unwrap_or_default(),
        _ => Strtab::default(),
    }
}

pub(super) fn symbols<'a>(bytes: &'a [u8], section: &SectionHeader, ctx: Ctx) -> Symtab<'a> {
    let count = section.sh_size.checked_div(section.sh_entsize).unwrap_or(0);
    match (usize::try_from(section.sh_offset), usize::try_from(count)) {
        (Ok(offset), Ok(count)) => Symtab::parse(bytes, offset, count, ctx).unwrap_or_default(),
        _ => Symtab::default(),
    }
}

fn interpreter<'a>(bytes: &'a [u8], segments: &[ProgramHeader]) -> Option<&'a str> {
    let segment = segments.iter().find(|s| s.p_type == PT_INTERP)?;
    let text = crate::formats::span::file_span(bytes, segment.p_offset, segment.p_filesz)?;
    let text = text.split(|&b| b == 0).next()?;
    std::str::from_utf8(text).ok()
}
