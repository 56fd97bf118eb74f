//! Bounds-checked views of the file bytes that a header field points at.

/// The `size` bytes at `offset`, or `None` when the range overflows or leaves `bytes`.
pub(crate) fn file_span(bytes: &[u8], offset: u64, size: u64) -> Option<&[u8]> {
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(usize::try_from(size).ok()?)?;
    bytes.get(start..end)
}

/// Shannon entropy of the `size` bytes at `offset`; `None` when the range leaves `bytes`.
pub(crate) fn span_entropy(bytes: &[u8], offset: u64, size: u64) -> Option<f64> {
    // `+ 0.0` turns the -0.0 of a single-valued range into 0.0.
    file_span(bytes, offset, size).map(|span| crate::entropy::shannon(span) + 0.0)
}
