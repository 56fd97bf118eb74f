//! A finished report kept small until it is written. A container's descendants wait for their
//! submission to end (the root's report, which lists them, is written first), and a disk image
//! holds about a thousand of them: as their compact JSON compressed with zstd they take a few
//! tens of kilobytes each instead of the hundreds their strings and tables hold in memory.
use std::fmt;

use crate::Report;

/// zstd's fastest standard level: reports compress about sixfold at it, at several hundred MB/s.
const LEVEL: i32 = 1;

/// One report as its compressed JSON, with the two facts callers look up without opening it.
#[derive(Clone, PartialEq, Eq)]
pub struct PackedReport {
    sha256: String,
    size: u64,
    json_len: usize,
    compressed: Box<[u8]>,
}

/// A report that could not be packed or unpacked (not expected: the bytes are our own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError(String);

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a kept report could not be read back: {}", self.0)
    }
}

impl std::error::Error for PackError {}

impl PackError {
    /// A packing that never ran (its task was lost: a bug, reported rather than panicking).
    pub fn not_run() -> Self {
        Self("the report was never packed".into())
    }
}

impl PackedReport {
    /// Packs `report`.
    pub fn pack(report: &Report) -> Result<Self, PackError> {
        let json = serde_json::to_vec(report).map_err(|e| PackError(format!("JSON: {e}")))?;
        let compressed = zstd::bulk::compress(&json, LEVEL).map_err(|e| PackError(format!("zstd: {e}")))?;
        Ok(Self { sha256: report.hashes.sha256.clone(), size: report.size, json_len: json.len(), compressed: compressed.into() })
    }

    /// The report's compact JSON, exactly as `serde_json::to_vec` wrote it.
    pub fn json(&self) -> Result<Vec<u8>, PackError> {
        let json = zstd::bulk::decompress(&self.compressed, self.json_len).map_err(|e| PackError(format!("zstd: {e}")))?;
        if json.len() != self.json_len {
            return Err(PackError(format!("{} bytes of JSON instead of {}", json.len(), self.json_len)));
        }
        Ok(json)
    }

    /// The report again, equal to the one packed.
    pub fn unpack(&self) -> Result<Report, PackError> {
        serde_json::from_slice(&self.json()?).map_err(|e| PackError(format!("JSON: {e}")))
    }

    /// The report's `hashes.sha256`.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The report's `size`: the file's size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Bytes it holds (compressed).
    pub fn packed_len(&self) -> usize {
        self.compressed.len()
    }
}

impl fmt::Debug for PackedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PackedReport")
            .field("sha256", &self.sha256)
            .field("size", &self.size)
            .field("json_len", &self.json_len)
            .field("packed_len", &self.compressed.len())
            .finish()
    }
}
