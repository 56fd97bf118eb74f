//! Stub: filled in by the script analysis.
use crate::{DocLimits, Embedded, Findings};
use fcas_report::DocumentKind;

pub(crate) fn analyze(_bytes: &[u8], _limits: &DocLimits) -> Findings {
    Findings::new(DocumentKind::Script)
}

pub(crate) fn embedded<'a>(_bytes: &'a [u8], _limits: &DocLimits) -> Embedded<'a> {
    Embedded::default()
}

/// Characters of a Base64 run worth decoding (shorter runs are identifiers and words).
pub(crate) const MIN_ENCODED_RUN: usize = 40;

/// Whether the script holds a run of Base64 characters long enough to be an encoded payload.
pub(crate) fn has_encoded_run(bytes: &[u8]) -> bool {
    let mut run = 0usize;
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' {
            run += 1;
            if run >= MIN_ENCODED_RUN {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}
