//! Bounds-checked reads of fixed-width fields and C strings, in the slice's byte order.

/// A view of one slice's bytes in its byte order.
#[derive(Clone, Copy)]
pub(super) struct Reader<'a> {
    /// The slice's bytes.
    pub(super) bytes: &'a [u8],
    /// Little-endian (every Mach-O in practice) or big-endian (PowerPC).
    pub(super) little: bool,
}

impl<'a> Reader<'a> {
    /// The `N` bytes at `offset`.
    fn array<const N: usize>(&self, offset: u64) -> Option<[u8; N]> {
        let span = crate::formats::span::file_span(self.bytes, offset, N as u64)?;
        span.try_into().ok()
    }

    /// The `u32` at `offset`.
    pub(super) fn u32(&self, offset: u64) -> Option<u32> {
        let raw = self.array::<4>(offset)?;
        Some(if self.little { u32::from_le_bytes(raw) } else { u32::from_be_bytes(raw) })
    }

    /// The `u64` at `offset`.
    pub(super) fn u64(&self, offset: u64) -> Option<u64> {
        let raw = self.array::<8>(offset)?;
        Some(if self.little { u64::from_le_bytes(raw) } else { u64::from_be_bytes(raw) })
    }

    /// A pointer-sized field: `u64` in 64-bit images, `u32` otherwise.
    pub(super) fn word(&self, offset: u64, is_64: bool) -> Option<u64> {
        if is_64 {
            self.u64(offset)
        } else {
            self.u32(offset).map(u64::from)
        }
    }

    /// The NUL-terminated string at `offset`, read no further than `end` (lossy UTF-8).
    pub(super) fn c_string(&self, offset: u64, end: u64) -> Option<String> {
        let span = crate::formats::span::file_span(self.bytes, offset, end.checked_sub(offset)?)?;
        let text = span.split(|&b| b == 0).next().unwrap_or_default();
        Some(String::from_utf8_lossy(text).into_owned())
    }

    /// A fixed 16-byte name field (segment or section name).
    pub(super) fn name16(&self, offset: u64) -> String {
        self.c_string(offset, offset.saturating_add(16)).unwrap_or_default()
    }
}

/// A packed `xxxx.yy.zz` version as `[major, minor, patch]`.
pub(super) fn version(packed: u32) -> [u32; 3] {
    [packed >> 16, (packed >> 8) & 0xff, packed & 0xff]
}
