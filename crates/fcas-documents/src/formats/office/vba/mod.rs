//! VBA projects (MS-OVBA): modules, decompressed source, auto-run triggers, suspicious calls
//! and obfuscation. Projects are found in any storage (`Macros/VBA`, `_VBA_PROJECT_CUR/VBA`,
//! `VBA`); PowerPoint 97-2003 keeps its project in an ExOleObjStg record, which the OLE reader
//! (`office/ole/powerpoint.rs`) decompresses and hands here as an OLE file of its own.
//! Stomping (p-code that disagrees with the source) is checked where the p-code layout is one
//! FCAS reads (`pcode/`); elsewhere `errors` says it was not determined and `stomped` stays false.
mod budget;
mod decompress;
mod dir_stream;
mod indicators;
mod keywords;
mod obfuscation;
mod pcode;
mod project;
mod storage;
#[cfg(test)]
pub(crate) mod tests;
mod text;

use fcas_report::{Indicator, VbaReport};

use crate::DocLimits;
use budget::Budget;

/// The VBA project of an OLE compound file (a doc/xls/ppt, or an OOXML `vbaProject.bin`);
/// `Ok(None)` when it has none. `Err` says why a project that is there could not be read.
pub(crate) fn from_ole(ole: &[u8], limits: &DocLimits) -> Result<Option<VbaReport>, String> {
    from_compound_file(&mut storage::open(ole)?, limits)
}

/// The VBA project of an already opened compound file, as [`from_ole`] gives it.
pub(crate) fn from_compound_file(ole: &mut storage::Ole<'_>, limits: &DocLimits) -> Result<Option<VbaReport>, String> {
    let mut budget = Budget::new(limits.max_decoded_total);
    let mut report = VbaReport::default();
    let found = read_ole(ole, limits, &mut budget, &mut report);
    if !found && report.errors.is_empty() {
        return Ok(None);
    }
    // Nothing read but errors: a project (or a presentation's object that may hold one) was
    // there and could not be read.
    if report.modules.is_empty() && !report.errors.is_empty() {
        return Err(report.errors.join("; "));
    }
    Ok(Some(report))
}

/// The indicators a VBA project raises (auto-run, suspicious calls, stomping).
pub(crate) fn indicators(vba: &VbaReport, found: &mut Vec<Indicator>) {
    indicators::add(vba, found);
}

/// Reads the projects of the OLE file `ole` into `report`; whether there was one.
fn read_ole(ole: &mut storage::Ole<'_>, limits: &DocLimits, budget: &mut Budget, report: &mut VbaReport) -> bool {
    let projects = storage::vba_storages(ole, limits.max_nesting);
    let mut literals = Vec::new();
    let (mut sources_whole, mut pcode_read) = (true, true);
    for vba in &projects {
        let out = project::Read {
            modules: &mut report.modules,
            literals: &mut literals,
            errors: &mut report.errors,
            sources_whole: &mut sources_whole,
            pcode_read: &mut pcode_read,
        };
        project::read(ole, vba, limits, budget, out);
    }
    // A literal missing from a source that was cut or not read proves nothing.
    if sources_whole {
        report.pcode_strings_missing_from_source = pcode::missing_from_source(&literals, &report.modules);
        report.stomped = !report.pcode_strings_missing_from_source.is_empty();
    } else if !literals.is_empty() {
        report.errors.push("VBA source not read whole: stomping not determined".to_string());
    }
    report.stomping_checked = sources_whole && pcode_read && !projects.is_empty();
    !projects.is_empty()
}
