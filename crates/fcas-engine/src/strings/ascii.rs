//! Printable ASCII runs.
use super::scan::{printable_mask16, Unit, BLOCK, PRINTABLE};

/// One byte per character: printable ASCII (0x20-0x7e) or tab.
pub(crate) struct Ascii;

impl Unit for Ascii {
    const STEP: usize = 1;
    #[inline]
    fn is_char(bytes: &[u8], at: usize) -> bool {
        bytes.get(at).is_some_and(|&b| PRINTABLE[usize::from(b)])
    }

    #[inline]
    fn block_mask(bytes: &[u8], at: usize) -> Option<u64> {
        let block = bytes.get(at..at.checked_add(BLOCK)?)?;
        Some(block.chunks_exact(16).enumerate().fold(0, |mask, (i, lane)| mask | u64::from(printable_mask16(lane)) << (16 * i)))
    }
}

/// Writes the first `chars` characters of the run at `offset` into `out`.
pub(crate) fn decode(bytes: &[u8], offset: usize, chars: usize, out: &mut String) {
    out.clear();
    let end = offset.saturating_add(chars).min(bytes.len());
    out.extend(bytes.get(offset..end).unwrap_or_default().iter().map(|&b| char::from(b)));
}
