//! The mapped code of an executable, independent of its format: which virtual addresses have
//! bytes in the file, where to start disassembling, and which memory slots hold imported APIs.
use std::cell::Cell;
use std::collections::HashMap;

/// Most address ranges kept; real files have a handful, hostile ones may claim thousands.
pub(crate) const MAX_RANGES: usize = 1024;

/// A run of virtual addresses backed by file bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MappedRange {
    /// First virtual address.
    pub va: u64,
    /// Offset of the first byte in the file.
    pub offset: usize,
    /// Number of bytes backed by the file (already bounded by the file size).
    pub len: usize,
    /// True when the loader maps it executable.
    pub executable: bool,
}

/// Why a function start is a traversal root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RootKind {
    /// The entry point.
    Entry,
    /// An exported (PE) or defined function symbol (ELF).
    Export(String),
    /// A PE TLS callback.
    Tls,
}

impl RootKind {
    /// The `found_by` text of the report.
    pub(crate) fn label(&self) -> String {
        match self {
            RootKind::Entry => "entry".to_string(),
            RootKind::Export(name) => format!("export:{name}"),
            RootKind::Tls => "tls".to_string(),
        }
    }
}

/// What the disassembler needs to know about one executable.
#[derive(Debug, Default)]
pub(crate) struct CodeImage<'a> {
    /// The whole file.
    pub bytes: &'a [u8],
    /// 32 or 64.
    pub bitness: u32,
    /// Address ranges backed by file bytes.
    pub ranges: Vec<MappedRange>,
    /// Entry point virtual address.
    pub entry: Option<u64>,
    /// Where traversal starts, entry first.
    pub roots: Vec<(u64, RootKind)>,
    /// Virtual address of an import slot (PE IAT entry, ELF GOT entry) -> API name.
    pub import_slots: HashMap<u64, String>,
    /// x86 ELF only: the GOT address that PIC code keeps in `ebx`.
    pub got_base: Option<u64>,
    /// True for ELF: x64 arguments travel in `rdi`, `rsi`, `rdx`, `rcx` (System V), not in
    /// `rcx`, `rdx`, `r8`, `r9` (Microsoft x64).
    pub system_v_abi: bool,
    /// Index of the range that answered the last lookup: code is looked up close to where the
    /// previous lookup landed.
    last_hit: Cell<usize>,
    /// Lowest mapped address and the end of the highest range.
    span: Cell<(u64, u64)>,
}

/// Where a mapped virtual address lies: its range and its distance from the range start.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Location {
    /// Index into [`CodeImage::ranges`].
    pub range: usize,
    /// Bytes from the start of that range.
    pub offset: usize,
}

impl<'a> CodeImage<'a> {
    /// An image of `bitness` over `bytes`, with nothing mapped yet.
    pub(crate) fn new(bytes: &'a [u8], bitness: u32) -> Self {
        Self { bytes, bitness, ..Self::default() }
    }

    /// `x86` or `x64`.
    pub(crate) fn arch(&self) -> &'static str {
        if self.bitness == 64 {
            "x64"
        } else {
            "x86"
        }
    }

    /// Adds a range of `len` file bytes at `offset`, mapped at `va`, after bounding it by the
    /// file. Returns false when the range limit is reached.
    pub(crate) fn map(&mut self, va: u64, offset: u64, len: u64, executable: bool) -> bool {
        if self.ranges.len() >= MAX_RANGES {
            return false;
        }
        let file_len = self.bytes.len() as u64;
        if offset >= file_len || len == 0 {
            return true;
        }
        let len = len.min(file_len - offset);
        // A range that would wrap the address space is cut at its end.
        let len = len.min(u64::MAX - va);
        let (Ok(offset), Ok(len)) = (usize::try_from(offset), usize::try_from(len)) else { return true };
        if len > 0 {
            self.ranges.push(MappedRange { va, offset, len, executable });
            let end = va.saturating_add(len as u64);
            let (low, high) = self.span.get();
            self.span.set(if self.ranges.len() == 1 { (va, end) } else { (low.min(va), high.max(end)) });
        }
        true
    }

    fn range_of(&self, va: u64) -> Option<&MappedRange> {
        self.locate(va).and_then(|at| self.ranges.get(at.range))
    }

    /// The range holding `va` and the distance into it.
    pub(crate) fn locate(&self, va: u64) -> Option<Location> {
        // Most constants that are not addresses fall outside the image: answer those at once.
        let (low, high) = self.span.get();
        if va < low || va >= high {
            return None;
        }
        let contains = |r: &MappedRange| va >= r.va && va - r.va < r.len as u64;
        let last = self.last_hit.get();
        let index = match self.ranges.get(last) {
            Some(range) if contains(range) => last,
            // Executable ranges win over data when hostile headers make them overlap.
            _ => self.ranges.iter().position(|r| r.executable && contains(r)).or_else(|| self.ranges.iter().position(contains))?,
        };
        self.last_hit.set(index);
        let range = self.ranges.get(index)?;
        Some(Location { range: index, offset: usize::try_from(va - range.va).ok()? })
    }

    /// True when no two ranges share a virtual address, so that every mapped address has exactly
    /// one [`Location`] whatever the lookup order.
    pub(crate) fn ranges_are_disjoint(&self) -> bool {
        let mut spans: Vec<(u64, u64)> = self.ranges.iter().map(|r| (r.va, r.va.saturating_add(r.len as u64))).collect();
        spans.sort_unstable();
        spans.windows(2).all(|pair| pair.first().zip(pair.get(1)).is_some_and(|(a, b)| a.1 <= b.0))
    }

    /// The file bytes from `va` to the end of its range.
    pub(crate) fn bytes_at(&self, va: u64) -> Option<&'a [u8]> {
        let at = self.locate(va)?;
        let range = self.ranges.get(at.range)?;
        let start = range.offset.checked_add(at.offset)?;
        let end = range.offset.checked_add(range.len)?;
        self.bytes.get(start..end)
    }

    /// True when `va` has file bytes in an executable range.
    pub(crate) fn is_executable(&self, va: u64) -> bool {
        self.range_of(va).is_some_and(|r| r.executable)
    }

    /// Reads a little-endian pointer (4 or 8 bytes, by bitness) at `va`.
    pub(crate) fn read_pointer(&self, va: u64) -> Option<u64> {
        let bytes = self.bytes_at(va)?;
        if self.bitness == 64 {
            bytes.get(..8)?.try_into().ok().map(u64::from_le_bytes)
        } else {
            bytes.get(..4)?.try_into().ok().map(u32::from_le_bytes).map(u64::from)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_only_file_bytes() {
        let bytes = [0x90u8; 16];
        let mut image = CodeImage::new(&bytes, 64);
        assert!(image.map(0x1000, 8, 100, true));
        assert_eq!(image.bytes_at(0x1000).map(<[u8]>::len), Some(8));
        assert_eq!(image.bytes_at(0x1007).map(<[u8]>::len), Some(1));
        assert!(image.bytes_at(0x1008).is_none());
        assert!(image.bytes_at(0xfff).is_none());
        assert!(image.map(u64::MAX - 2, 0, 16, false));
        assert_eq!(image.bytes_at(u64::MAX - 1).map(<[u8]>::len), Some(1));
        assert!(image.map(0, 16, 4, false));
        assert_eq!(image.ranges.len(), 2);
    }
}
