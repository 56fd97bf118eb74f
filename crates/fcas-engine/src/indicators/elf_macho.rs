//! ELF and Mach-O anomalies: writable code, an entry point outside code, missing hardening,
//! encrypted Mach-O slices.
use fcas_report::{ElfReport, Evidence, MachoReport, Severity};

use super::{indicator, Indicator};

pub(super) fn elf(elf: &ElfReport, found: &mut Vec<Indicator>) {
    if !elf.writable_executable_segments.is_empty() {
        let mut ind = indicator(
            "elf.segment.writable_executable",
            Severity::Medium,
            "Segments both writable and executable (self-modifying or unpacking code)",
            Some("T1027.002"),
        );
        ind.evidence = elf
            .writable_executable_segments
            .iter()
            .map(|i| Evidence { detail: Some(format!("program header {i}")), ..Evidence::default() })
            .collect();
        found.push(ind);
    }
    if elf.entry_in_executable_segment == Some(false) && elf.header.entry_point != 0 {
        let mut ind =
            indicator("elf.entry.outside_code", Severity::High, "Entry point lies outside every executable segment", Some("T1027"));
        ind.evidence.push(Evidence { detail: Some(format!("entry {:#x}", elf.header.entry_point)), ..Evidence::default() });
        found.push(ind);
    }
    let executable = matches!(elf.header.file_type.as_str(), "EXEC" | "DYN") && !elf.segments.is_empty();
    if executable && !elf.hardening.nx {
        found.push(indicator("elf.hardening.executable_stack", Severity::Low, "Executable stack (no NX)", None));
    }
}

pub(super) fn macho(macho: &MachoReport, found: &mut Vec<Indicator>) {
    for slice in &macho.slices {
        if let Some(encryption) = slice.encryption.as_ref().filter(|e| e.cryptid != 0) {
            let mut ind = indicator(
                "macho.encrypted",
                Severity::Medium,
                format!("{} slice is encrypted (LC_ENCRYPTION_INFO)", slice.cpu),
                Some("T1027"),
            );
            ind.evidence.push(Evidence { detail: Some(format!("cryptid {}", encryption.cryptid)), ..Evidence::default() });
            found.push(ind);
        }
        if slice.cpu == "ARM64" && !slice.has_code_signature && slice.file_type == "EXECUTE" {
            found.push(indicator(
                "macho.unsigned_arm64_executable",
                Severity::Medium,
                "arm64 executable without a code signature (macOS refuses to run it unmodified)",
                Some("T1553"),
            ));
        }
    }
}
