//! UTF-16LE runs of printable ASCII characters (as Windows programs store their text).
use super::scan::{printable_unit_mask16, Unit, BLOCK, PRINTABLE};

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

    #[inline]
    fn block_mask(bytes: &[u8], at: usize) -> Option<u64> {
        let block = bytes.get(at..at.checked_add(2 * BLOCK)?)?;
        Some(block.chunks_exact(32).enumerate().fold(0, |mask, (i, lane)| mask | u64::from(printable_unit_mask16(lane)) << (16 * i)))
    }
}

/// Writes the first `chars` characters of the run at `offset` into `out`.
pub(crate) fn decode(bytes: &[u8], offset: usize, chars: usize, out: &mut String) {
    out.clear();
    let end = chars.saturating_mul(2).saturating_add(offset).min(bytes.len());
    out.extend(bytes.get(offset..end).unwrap_or_default().iter().step_by(2).map(|&b| char::from(b)));
}
