//! Printable ASCII runs.
use super::scan::{Unit, PRINTABLE};

/// One byte per character: printable ASCII (0x20-0x7e) or tab.
pub(crate) struct Ascii;

impl Unit for Ascii {
    const STEP: usize = 1;
    #[inline]
    fn is_char(bytes: &[u8], at: usize) -> bool {
        bytes.get(at).is_some_and(|&b| PRINTABLE[usize::from(b)])
    }
}

/// Writes the first `chars` characters of the run at `offset` into `out`.
pub(crate) fn decode(bytes: &[u8], offset: usize, chars: usize, out: &mut String) {
    out.clear();
    let end = offset.saturating_add(chars).min(bytes.len());
    out.extend(bytes.get(offset..end).unwrap_or_default().iter().map(|&b| char::from(b)));
}
