//! What kind of file this is, from its magic bytes.
use fcas_report::{FileType, Format};

/// Detects the format of `bytes` from magic numbers and headers only.
pub fn detect(bytes: &[u8]) -> (Format, FileType) {
    // Placeholder until the magic table lands: executables by their first bytes.
    let format = match bytes {
        [] => Format::Empty,
        [b'M', b'Z', ..] => Format::Pe,
        [0x7f, b'E', b'L', b'F', ..] => Format::Elf,
        _ => Format::Unknown,
    };
    (format, FileType::default())
}
