//! UTF-16LE runs of printable ASCII characters (as Windows programs store their text).
use super::scan::{Unit, PRINTABLE};

/// Two bytes per character: a printable ASCII byte or tab, then a zero byte.
pub(crate) struct Utf16Le;

impl Unit for Utf16Le {
    const STEP: usize = 2;
    #[inline]
    fn is_char(bytes: &[u8], at: usize) -> bool {
        match (bytes.get(at), at.checked_add(1).and_then(|high| bytes.get(high))) {
            (Some(&low), Some(&0)) => PRINTABLE[usize::from(low)],
            _ => false,
        }
    }
}

/// Writes the first `chars` characters of the run at `offset` into `out`.
pub(crate) fn decode(bytes: &[u8], offset: usize, chars: usize, out: &mut String) {
    out.clear();
    let end = chars.saturating_mul(2).saturating_add(offset).min(bytes.len());
    out.extend(bytes.get(offset..end).unwrap_or_default().iter().step_by(2).map(|&b| char::from(b)));
}
