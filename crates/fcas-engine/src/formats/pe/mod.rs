//! PE: headers, sections, imports, exports, resources, signature and the rest pefile reports.
mod authenticode;
mod dotnet;
mod pkcs7;
mod resource_tree;
mod resources;
mod rva;
mod version_info;

use fcas_report::PeReport;
use goblin::pe::PE;

use crate::Limits;

/// Parses `bytes` as a PE, tolerating the malformations packers leave behind.
pub fn parse(bytes: &[u8]) -> Result<PE<'_>, String> {
    PE::parse(bytes).map_err(|e| format!("not a valid PE: {e}"))
}

/// Builds the PE part of the report.
pub fn analyze(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> PeReport {
    let mut report = PeReport::default();
    // Parts read from data directories, each with its own module.
    report.resources = resources::resources(pe, bytes, limits, notes);
    report.version_info = version_info::version_strings(pe, bytes, limits, notes);
    report.authenticode = authenticode::authenticode(pe, bytes, limits, notes);
    report.clr = dotnet::clr(pe, bytes, limits, notes);
    report
}
