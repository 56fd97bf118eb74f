//! ELF: header, sections, segments, dynamic libraries, symbols and hardening flags.
mod hardening;
mod header;
mod lenient;
mod names;
mod sections;
mod segments;
mod symbols;

use fcas_report::ElfReport;
use goblin::elf::Elf;
use goblin::options::ParseOptions;

use crate::Limits;

/// Parses `bytes` as an ELF. Goblin reads it first, forgiving broken optional tables; when it
/// refuses the file as a whole (a truncated header, a program header table larger than the file),
/// every table that can still be read is kept.
pub fn parse(bytes: &[u8]) -> Result<Elf<'_>, String> {
    match Elf::parse_with_opts(bytes, &ParseOptions::permissive()) {
        Ok(elf) => Ok(elf),
        Err(error) => lenient::parse(bytes).ok_or_else(|| format!("not a valid ELF: {error}")),
    }
}

/// Builds the ELF part of the report.
pub fn analyze(elf: &Elf<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> ElfReport {
    let header = header::header(elf, bytes, notes);
    let sections = sections::sections(elf, bytes, limits, notes);
    let segments = segments::segments(elf, limits, notes);
    let symbols = symbols::symbols(elf, bytes, limits, notes);
    let hardening = hardening::hardening(elf, &symbols.imported);
    let writable_executable_segments = segments::writable_executable(&segments);
    let entry_in_executable_segment = segments::entry_in_executable(&segments, elf.header.e_entry);
    ElfReport {
        header,
        interpreter: elf.interpreter.map(str::to_string),
        sections,
        segments,
        libraries: capped(&elf.libraries, limits, "needed libraries", notes),
        soname: elf.soname.map(str::to_string),
        rpaths: capped(&elf.rpaths, limits, "DT_RPATH entries", notes),
        runpaths: capped(&elf.runpaths, limits, "DT_RUNPATH entries", notes),
        dynamic_symbol_count: symbols.dynamic_count,
        symtab_symbol_count: elf.syms.len() as u64,
        imported_symbols: symbols.imported,
        exported_symbols: symbols.exported,
        hardening,
        writable_executable_segments,
        entry_in_executable_segment,
    }
}

/// Copies `items`, cut at the table limit (with a note).
fn capped(items: &[&str], limits: &Limits, what: &str, notes: &mut Vec<String>) -> Vec<String> {
    if items.len() > limits.max_table_entries {
        notes.push(format!("{} {what}; only the first {} are listed", items.len(), limits.max_table_entries));
    }
    items.iter().take(limits.max_table_entries).map(|s| s.to_string()).collect()
}
