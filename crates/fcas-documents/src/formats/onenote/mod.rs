//! Stub: filled in by the onenote analysis.
use crate::{DocLimits, Embedded, Findings};
use fcas_report::DocumentKind;

pub(crate) fn analyze(_bytes: &[u8], _limits: &DocLimits) -> Findings {
    Findings::new(DocumentKind::Onenote)
}

pub(crate) fn embedded<'a>(_bytes: &'a [u8], _limits: &DocLimits) -> Embedded<'a> {
    Embedded::default()
}

/// The GUID a FileDataStoreObject (an attachment's bytes) starts with (MS-ONESTORE 2.6.13), as
/// stored.
pub(crate) const FILE_DATA_GUID: &[u8] = b"\xe7\x16\xe3\xbd\x65\x26\x11\x45\xa4\xc4\x8d\x4d\x0b\x7a\x9e\xac";
