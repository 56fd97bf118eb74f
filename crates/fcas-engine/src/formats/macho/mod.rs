//! Mach-O: every slice of a fat file, its load commands, segments, libraries and symbols.
mod commands;
mod exports;
mod fat;
mod names;
mod reader;
mod segments;
mod slice;
mod symbols;

use fcas_report::MachoReport;

use crate::Limits;

/// Builds the Mach-O part of the report. A fat file lists every slice that can be read; a slice
/// that cannot is explained in `notes` and the others are kept. Fails only when no slice at all
/// can be read.
pub fn analyze(bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Result<MachoReport, String> {
    let Some(arches) = fat::arches(bytes, limits, notes) else {
        let slice = slice::analyze(bytes, 0, limits, notes)?;
        return Ok(MachoReport { fat: false, declared_slices: 1, slices: vec![slice] });
    };
    let mut report = MachoReport { fat: true, declared_slices: arches.declared, slices: Vec::new() };
    for (index, arch) in arches.entries.iter().enumerate() {
        let cpu = names::cpu_type(arch.cpu_type);
        let Some(slice_bytes) = crate::formats::span::file_span(bytes, arch.offset, arch.size) else {
            notes.push(format!(
                "fat slice {index} ({cpu}) at offset {} with size {} lies outside the file; skipped",
                arch.offset, arch.size
            ));
            continue;
        };
        match slice::analyze(slice_bytes, arch.offset, limits, notes) {
            Ok(slice) => report.slices.push(slice),
            Err(error) => notes.push(format!("fat slice {index} ({cpu}) at offset {}: {error}; skipped", arch.offset)),
        }
    }
    if report.slices.is_empty() {
        return Err(format!("none of the {} fat slices could be read", arches.declared));
    }
    Ok(report)
}
