//! Stub: filled in by the pdf analysis.
use crate::{DocLimits, Embedded, Findings};
use fcas_report::DocumentKind;

pub(crate) fn analyze(_bytes: &[u8], _limits: &DocLimits) -> Findings {
    Findings::new(DocumentKind::Pdf)
}

pub(crate) fn embedded<'a>(_bytes: &'a [u8], _limits: &DocLimits) -> Embedded<'a> {
    Embedded::default()
}
