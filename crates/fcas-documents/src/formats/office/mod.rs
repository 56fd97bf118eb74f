//! Office documents: legacy OLE (doc, xls, ppt), Office Open XML, and the Office 2003 XML and
//! CSV forms that carry DDE.
mod vba;

use crate::{DocLimits, Findings};
use fcas_report::DocumentKind;

/// Whether an OLE compound file is an Office document (not an MSI, a thumbnail cache, ...).
pub(crate) fn is_office_ole(_bytes: &[u8]) -> bool {
    false
}

/// Whether a ZIP is an Office Open XML package.
pub(crate) fn is_ooxml(_bytes: &[u8]) -> bool {
    false
}

/// Whether text is an Office 2003 XML document or a CSV with formulas.
pub(crate) fn is_office_text(_bytes: &[u8]) -> bool {
    false
}

pub(crate) fn analyze_ole(_bytes: &[u8], _limits: &DocLimits) -> Findings {
    Findings::new(DocumentKind::Ole)
}

pub(crate) fn analyze_ooxml(_bytes: &[u8], _limits: &DocLimits) -> Findings {
    Findings::new(DocumentKind::Ooxml)
}
