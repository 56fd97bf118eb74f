//! VBA projects (MS-OVBA): modules, decompressed source, auto-run triggers, suspicious calls
//! and obfuscation. Projects are found in any storage (`Macros/VBA`, `_VBA_PROJECT_CUR/VBA`,
//! `VBA`) and, for PowerPoint 97-2003, inside the presentation's ExOleObjStg records.
//! Stomping (p-code that disagrees with the source) is not checked: `stomped` stays false.
mod budget;
mod decompress;
mod dir_stream;
mod indicators;
mod keywords;
mod obfuscation;
mod ppt;
mod project;
mod storage;
#[cfg(test)]
mod tests;
mod text;

use fcas_report::{Indicator, VbaReport};

use crate::DocLimits;
use budget::Budget;

/// The VBA project of an OLE compound file (a doc/xls/ppt, or an OOXML `vbaProject.bin`);
/// `Ok(None)` when it has none. `Err` says why a project that is there could not be read.
pub(crate) fn from_ole(ole: &[u8], limits: &DocLimits) -> Result<Option<VbaReport>, String> {
    let mut budget = Budget::new(limits.max_decoded_total);
    let mut report = VbaReport::default();
    let found = read_ole(ole, limits, true, &mut budget, &mut report)?;
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

/// Reads the projects of the OLE file `bytes` into `report`; whether there was one. A
/// presentation's embedded OLE files are read too (one level: they hold the project, not
/// further presentations).
fn read_ole(bytes: &[u8], limits: &DocLimits, top: bool, budget: &mut Budget, report: &mut VbaReport) -> Result<bool, String> {
    let mut ole = storage::open(bytes)?;
    let projects = storage::vba_storages(&ole, limits.max_nesting);
    let mut found = !projects.is_empty();
    for vba in &projects {
        project::read(&mut ole, vba, limits, budget, &mut report.modules, &mut report.errors);
    }
    if top {
        for inner in ppt::embedded_ole_files(&mut ole, limits, budget, &mut report.errors) {
            match read_ole(&inner, limits, false, budget, report) {
                Ok(has) => found |= has,
                Err(error) => report.errors.push(format!("PowerPoint embedded OLE file: {error}")),
            }
        }
    }
    Ok(found)
}
