//! Imported and exported symbols, as LIEF defines them.
use goblin::elf::section_header::SHT_DYNSYM;
use goblin::elf::sym::{Sym, Symtab, STB_GLOBAL, STB_WEAK, STT_FUNC, STT_GNU_IFUNC, STT_OBJECT};
use goblin::elf::Elf;
use goblin::strtab::Strtab;

use super::lenient;
use crate::Limits;

/// Imported and exported symbol names.
pub(super) struct Symbols {
    /// Entries of the dynamic symbol table.
    pub(super) dynamic_count: u64,
    pub(super) imported: Vec<String>,
    pub(super) exported: Vec<String>,
}

/// Walks the dynamic then the static symbol table. An import is an undefined, unvalued, named
/// global or weak function or object; an export is a defined global or weak function or object
/// with an address or a size.
pub(super) fn symbols(elf: &Elf<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Symbols {
    let (dynsyms, dynstrtab) = dynamic_table(elf, bytes);
    let dynsyms = dynsyms.as_ref().unwrap_or(&elf.dynsyms);
    let dynstrtab = dynstrtab.as_ref().unwrap_or(&elf.dynstrtab);
    let mut found = Symbols { dynamic_count: dynsyms.len() as u64, imported: Vec::new(), exported: Vec::new() };
    let mut cut = false;
    for (table, strings) in [(dynsyms, dynstrtab), (&elf.syms, &elf.strtab)] {
        cut |= collect(table, strings, limits.max_table_entries, &mut found);
    }
    if cut {
        notes.push(format!("more than {} imported or exported symbols; the lists are cut", limits.max_table_entries));
    }
    found
}

/// Goblin sizes the dynamic symbol table from the hash tables and relocations; when that finds
/// nothing, the `.dynsym` section header (as LIEF reads it) still may.
fn dynamic_table<'a>(elf: &Elf<'a>, bytes: &'a [u8]) -> (Option<Symtab<'a>>, Option<Strtab<'a>>) {
    if !elf.dynsyms.is_empty() {
        return (None, None);
    }
    let Some(section) = elf.section_headers.iter().find(|s| s.sh_type == SHT_DYNSYM) else { return (None, None) };
    let Some(ctx) = lenient::context(&elf.header) else { return (None, None) };
    let strings = lenient::section_strtab(bytes, &elf.section_headers, section.sh_link as usize);
    (Some(lenient::symbols(bytes, section, ctx)), Some(strings))
}

/// Adds the table's imports and exports; true when a list hit `max`.
fn collect(table: &Symtab<'_>, strings: &Strtab<'_>, max: usize, found: &mut Symbols) -> bool {
    let mut cut = false;
    for sym in table.iter() {
        if !is_global_code_or_data(&sym) {
            continue;
        }
        let name = strings.get_at(sym.st_name).unwrap_or_default();
        let list = if sym.st_shndx == 0 {
            if sym.st_value != 0 || name.is_empty() {
                continue;
            }
            &mut found.imported
        } else {
            if sym.st_value == 0 && sym.st_size == 0 {
                continue;
            }
            &mut found.exported
        };
        if list.len() >= max {
            cut = true;
            continue;
        }
        list.push(name.to_string());
    }
    cut
}

fn is_global_code_or_data(sym: &Sym) -> bool {
    matches!(sym.st_bind(), STB_GLOBAL | STB_WEAK) && matches!(sym.st_type(), STT_FUNC | STT_GNU_IFUNC | STT_OBJECT)
}
