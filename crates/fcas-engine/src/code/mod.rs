//! Disassembly-derived facts for x86 and x64 code (iced-x86): the entry-point listing, functions
//! found by bounded recursive traversal, call sites of imported APIs, a mnemonic histogram and
//! counts of instructions indicators care about.
mod address_set;
mod arguments;
mod elf_image;
mod entry;
mod image;
mod imports;
mod operands;
mod pe_image;
mod stats;
mod traverse;

use fcas_report::CodeReport;
use goblin::elf::Elf;
use goblin::pe::PE;

use crate::{Deadline, Limits};
use image::CodeImage;

/// Disassembles a PE from its entry point, exports and TLS callbacks. `None` when the machine is
/// not x86 or x64.
pub fn analyze_pe(pe: &PE<'_>, bytes: &[u8], limits: &Limits, deadline: Deadline, notes: &mut Vec<String>) -> Option<CodeReport> {
    let image = pe_image::build(pe, bytes, limits, notes)?;
    Some(analyze_image(&image, limits, deadline, notes))
}

/// Disassembles an ELF from its entry point and exported functions. `None` when the machine is
/// not x86 or x64.
pub fn analyze_elf(elf: &Elf<'_>, bytes: &[u8], limits: &Limits, deadline: Deadline, notes: &mut Vec<String>) -> Option<CodeReport> {
    let image = elf_image::build(elf, bytes, limits, notes)?;
    Some(analyze_image(&image, limits, deadline, notes))
}

/// Everything the report says about the code of one image.
fn analyze_image(image: &CodeImage<'_>, limits: &Limits, deadline: Deadline, notes: &mut Vec<String>) -> CodeReport {
    let entry_disassembly = image.entry.map(|entry| entry::listing(image, entry, limits.entry_instructions)).unwrap_or_default();
    let found = traverse::traverse(image, limits, deadline, notes);
    CodeReport {
        arch: image.arch().to_string(),
        function_count: found.functions.len() as u64,
        instruction_count: found.instruction_count,
        entry_point: image.entry,
        entry_disassembly,
        functions: found.functions,
        api_calls: found.api_calls,
        api_call_counts: found.api_call_counts,
        mnemonic_histogram: found.stats.histogram(stats::HISTOGRAM_SIZE),
        invalid_instruction_count: found.stats.invalid,
        indirect_call_count: found.stats.indirect_calls,
        indirect_jump_count: found.stats.indirect_jumps,
        patterns: found.stats.patterns,
        truncated: found.truncated,
    }
}
