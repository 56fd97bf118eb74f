//! What kind of file this is, from its magic numbers and headers.
//!
//! The descriptions and MIME types follow what `file` 5.44 prints for the same input, so that
//! analysts see familiar words; every header read is bounds-checked and no step loops without a
//! bound, so any byte string gets an answer.
use fcas_report::{FileType, Format};

mod archive;
mod disk;
mod elf;
mod macho;
mod media;
mod mz;
mod read;
mod text;
mod zip;

/// The answer of one detector.
pub(crate) struct Detected {
    format: Format,
    description: String,
    mime: &'static str,
}

impl Detected {
    /// A detection with its `file`-like description and MIME type.
    pub(crate) fn new(format: Format, description: impl Into<String>, mime: &'static str) -> Self {
        Self { format, description: description.into(), mime }
    }
}

/// Detects the format of `bytes` from magic numbers and headers only.
pub fn detect(bytes: &[u8]) -> (Format, FileType) {
    let detected = if bytes.is_empty() {
        Detected::new(Format::Empty, "empty", "inode/x-empty")
    } else {
        mz::detect(bytes)
            .or_else(|| elf::detect(bytes))
            .or_else(|| macho::detect(bytes))
            .or_else(|| archive::detect(bytes))
            .or_else(|| disk::detect(bytes))
            .or_else(|| media::detect(bytes))
            .or_else(|| text::detect(bytes))
            .unwrap_or_else(|| Detected::new(Format::Unknown, "data", "application/octet-stream"))
    };
    (detected.format, FileType { description: detected.description, mime: detected.mime.to_string() })
}
