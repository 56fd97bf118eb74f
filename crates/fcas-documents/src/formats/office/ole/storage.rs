//! The streams of a compound file, read within the document's byte budget.
use std::io::Read;

use crate::DocLimits;

/// One stream: its path (`ObjectPool/_1234/\x01Ole10Native`) and bytes (cut at the limit).
pub(crate) struct Stream {
    pub(crate) path: String,
    pub(crate) bytes: Vec<u8>,
}

/// The streams of an OLE file, in directory order.
pub(crate) struct Streams {
    pub(crate) streams: Vec<Stream>,
    /// Streams cut, or left out, at the limits.
    pub(crate) truncated: bool,
    /// Streams that could not be read.
    pub(crate) errors: Vec<String>,
}

impl Streams {
    /// The stream at `path`, if there is one.
    pub(crate) fn get(&self, path: &str) -> Option<&[u8]> {
        self.streams.iter().find(|stream| stream.path == path).map(|stream| stream.bytes.as_slice())
    }
}

pub(crate) use crate::compound::CompoundFile;

/// Opens `bytes` as a compound file; `Err` says why it is not a readable one.
pub(crate) fn open(bytes: &[u8]) -> Result<CompoundFile<'_>, String> {
    crate::open_compound(bytes).map_err(|error| format!("ole: {error}"))
}

/// Reads every stream of `bytes`; `Err` when it is not a readable compound file. `budget` is
/// what the caller may still decode (several OLE files share one document's total).
pub(crate) fn read(bytes: &[u8], limits: &DocLimits, budget: &mut usize) -> Result<Streams, String> {
    Ok(read_open(&mut open(bytes)?, limits, budget))
}

/// Reads every stream of the opened compound file `file`, as [`read`] does.
pub(crate) fn read_open(file: &mut CompoundFile<'_>, limits: &DocLimits, budget: &mut usize) -> Streams {
    // The walk itself is bounded by the directory, which cfb has checked on open.
    let max_streams = limits.max_items.saturating_mul(16);
    let mut entries: Vec<(String, u64)> = file
        .walk()
        .filter(|entry| entry.is_stream())
        .take(max_streams.saturating_add(1))
        .map(|entry| (entry.path().to_string_lossy().trim_start_matches('/').to_string(), entry.len()))
        .collect();
    let mut found = Streams { streams: Vec::new(), truncated: entries.len() > max_streams, errors: Vec::new() };
    entries.truncate(max_streams);
    for (path, length) in entries {
        let cap = limits.max_decoded_stream.min(*budget);
        if length > cap as u64 {
            found.truncated = true;
        }
        let mut data = Vec::new();
        let read = file.open_stream(format!("/{path}")).and_then(|stream| stream.take(cap as u64).read_to_end(&mut data));
        if let Err(error) = read {
            found.errors.push(format!("ole stream {path:?}: {error}"));
        }
        *budget = budget.saturating_sub(data.len());
        found.streams.push(Stream { path, bytes: data });
    }
    found
}

/// The last component of a stream path.
pub(crate) fn leaf(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}
