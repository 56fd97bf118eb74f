//! Bounds-checked little- and big-endian reads: a header field past the end reads as `None`.

/// Byte order of a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endian {
    Little,
    Big,
}

fn array<const N: usize>(bytes: &[u8], offset: usize) -> Option<[u8; N]> {
    let end = offset.checked_add(N)?;
    bytes.get(offset..end)?.try_into().ok()
}

/// Unsigned 16-bit integer at `offset`.
pub(crate) fn u16_at(bytes: &[u8], offset: usize, endian: Endian) -> Option<u16> {
    let raw = array::<2>(bytes, offset)?;
    Some(match endian {
        Endian::Little => u16::from_le_bytes(raw),
        Endian::Big => u16::from_be_bytes(raw),
    })
}

/// Unsigned 32-bit integer at `offset`.
pub(crate) fn u32_at(bytes: &[u8], offset: usize, endian: Endian) -> Option<u32> {
    let raw = array::<4>(bytes, offset)?;
    Some(match endian {
        Endian::Little => u32::from_le_bytes(raw),
        Endian::Big => u32::from_be_bytes(raw),
    })
}

/// Unsigned 64-bit integer at `offset`.
pub(crate) fn u64_at(bytes: &[u8], offset: usize, endian: Endian) -> Option<u64> {
    let raw = array::<8>(bytes, offset)?;
    Some(match endian {
        Endian::Little => u64::from_le_bytes(raw),
        Endian::Big => u64::from_be_bytes(raw),
    })
}

/// Little-endian 16-bit integer at `offset`.
pub(crate) fn le16(bytes: &[u8], offset: usize) -> Option<u16> {
    u16_at(bytes, offset, Endian::Little)
}

/// Little-endian 32-bit integer at `offset`.
pub(crate) fn le32(bytes: &[u8], offset: usize) -> Option<u32> {
    u32_at(bytes, offset, Endian::Little)
}

/// Big-endian 32-bit integer at `offset`.
pub(crate) fn be32(bytes: &[u8], offset: usize) -> Option<u32> {
    u32_at(bytes, offset, Endian::Big)
}

/// True when `bytes` holds `magic` at `offset`.
pub(crate) fn has_at(bytes: &[u8], offset: usize, magic: &[u8]) -> bool {
    offset.checked_add(magic.len()).and_then(|end| bytes.get(offset..end)) == Some(magic)
}
