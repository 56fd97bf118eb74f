//! Stub: filled in by the shortcut analysis.
use crate::{DocLimits, Findings};
use fcas_report::DocumentKind;

pub(crate) fn analyze(_bytes: &[u8], _limits: &DocLimits) -> Findings {
    Findings::new(DocumentKind::Lnk)
}
