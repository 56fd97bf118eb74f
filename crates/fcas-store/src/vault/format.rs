//! The vault's file format. A desktop antivirus scanning the data folder must not meet a live
//! sample (it would quarantine the vault, or the whole case store), so bytes are never kept plain:
//!
//! ```text
//! offset  size  field
//! 0       8     magic  "FCASVLT\0"
//! 8       1     format version (2; files of version 1 are still read)
//! 9       7     zero
//! 16      8     the sample's size, u64 little-endian
//! 24      ...   version 2: one zstd frame per 1 MiB of the sample (FRAME_BYTES), then a zstd
//!               skippable frame (magic 0x184D2A50) whose content is each frame's compressed
//!               length (u64 LE) and then their count (u64 LE), so a window is read by seeking
//!               to its frame; version 1: one zstd frame of the whole sample.
//!               Every byte from offset 24 on is XORed with KEY[i % 16] (i counted from 24).
//! ```
//!
//! By hand (zstd decodes concatenated frames and skips the skippable one):
//! `tail -c +25 FILE | python3 -c 'import sys; k=b"fcas-vault-key-1"; d=sys.stdin.buffer.read();
//! sys.stdout.buffer.write(bytes(b ^ k[i % 16] for i, b in enumerate(d)))' | zstd -d`.
use std::io::Read;

/// The first bytes of every vault file.
pub const MAGIC: &[u8; 8] = b"FCASVLT\0";
/// The format version this build writes.
pub const VERSION: u8 = 2;
/// The first version, one zstd frame for the whole sample: still read.
pub const VERSION_ONE_FRAME: u8 = 1;
/// Bytes of the sample in each zstd frame of a version 2 file: a window deep in a large sample
/// decodes one frame (two at a frame's end), not everything before it.
pub const FRAME_BYTES: usize = 1 << 20;
/// The magic of the skippable frame holding the frame index (any of 0x184D2A50..5F is skipped).
pub const INDEX_FRAME_MAGIC: u32 = 0x184D_2A50;
/// The fixed key stream; it hides, it does not protect (the key is public).
pub const KEY: &[u8; 16] = b"fcas-vault-key-1";
/// Bytes before the encoded frame.
pub const HEADER_LEN: usize = 24;
/// zstd's default level: about as fast as the disk on one core, a third of a PE's size.
const LEVEL: i32 = 3;

/// Why a vault file does not decode.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    /// Not a vault file, or of a newer format.
    #[error("not a vault file of format {VERSION_ONE_FRAME} or {VERSION} (bad header)")]
    Header,
    /// The header says the sample is larger than the caller accepts.
    #[error("the sample is {size} bytes, over the {max}-byte read limit")]
    TooLarge {
        /// The size in the header.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The frame does not decompress to the size in the header.
    #[error("the compressed bytes are damaged: {0}")]
    Damaged(String),
}

/// Encodes `bytes` into a vault file's content (version 2).
pub fn encode(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut stream = Vec::with_capacity(bytes.len() / 2 + 64);
    let mut lengths = Vec::with_capacity(bytes.len().div_ceil(FRAME_BYTES));
    for chunk in bytes.chunks(FRAME_BYTES) {
        let frame = zstd::bulk::compress(chunk, LEVEL)?;
        lengths.push(frame.len() as u64);
        stream.extend_from_slice(&frame);
    }
    let content_len = (lengths.len() + 1) * 8;
    stream.extend_from_slice(&INDEX_FRAME_MAGIC.to_le_bytes());
    stream.extend_from_slice(&u32::try_from(content_len).map_err(std::io::Error::other)?.to_le_bytes());
    lengths.iter().chain(std::iter::once(&(lengths.len() as u64))).for_each(|n| stream.extend_from_slice(&n.to_le_bytes()));
    let mut out = Vec::with_capacity(HEADER_LEN + stream.len());
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.extend_from_slice(&[0; 7]);
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend(stream.iter().enumerate().map(|(i, b)| b ^ key_at(i as u64)));
    Ok(out)
}

/// The key stream's byte at `position` (counted from [`HEADER_LEN`]).
pub fn key_at(position: u64) -> u8 {
    KEY[(position % KEY.len() as u64) as usize]
}

/// A vault file's header: its format version and the sample's size.
pub fn header_of(encoded: &[u8]) -> Result<(u8, u64), FormatError> {
    let header = encoded.get(..HEADER_LEN).ok_or(FormatError::Header)?;
    if &header[..8] != MAGIC || !matches!(header[8], VERSION_ONE_FRAME | VERSION) {
        return Err(FormatError::Header);
    }
    let mut size = [0u8; 8];
    size.copy_from_slice(&header[16..24]);
    Ok((header[8], u64::from_le_bytes(size)))
}

/// The sample's size as the header of `encoded` says, when it is a vault file.
pub fn declared_size(encoded: &[u8]) -> Result<u64, FormatError> {
    header_of(encoded).map(|(_, size)| size)
}

/// Decodes a vault file's content, refusing a sample over `max` bytes before decompressing.
pub fn decode(encoded: &[u8], max: u64) -> Result<Vec<u8>, FormatError> {
    let size = declared_size(encoded)?;
    if size > max {
        return Err(FormatError::TooLarge { size, max });
    }
    // Both versions decode as one stream: zstd reads concatenated frames and skips the index.
    let frame: Vec<u8> = encoded[HEADER_LEN..].iter().enumerate().map(|(i, b)| b ^ key_at(i as u64)).collect();
    let decoder = zstd::stream::read::Decoder::new(frame.as_slice()).map_err(|e| FormatError::Damaged(e.to_string()))?;
    // One byte more than declared tells a frame that decodes to more than the header says.
    // The header is not trusted for the allocation: at most 16 MiB up front, the rest as it decodes.
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(16 << 20)).unwrap_or(0));
    decoder.take(size.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| FormatError::Damaged(e.to_string()))?;
    if bytes.len() as u64 != size {
        return Err(FormatError::Damaged(format!("{} bytes decoded, the header says {size}", bytes.len())));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn round_trip_hides_the_bytes_and_checks_the_size() {
        let sample = b"MZ\x90\x00This program cannot be run in DOS mode.".repeat(40);
        let encoded = encode(&sample).unwrap();
        assert_eq!(&encoded[..8], MAGIC);
        assert!(!encoded.windows(20).any(|w| w == b"This program cannot"));
        assert_eq!(decode(&encoded, 1 << 20).unwrap(), sample);
        assert_eq!(decode(&encoded, 10), Err(FormatError::TooLarge { size: sample.len() as u64, max: 10 }));
        assert_eq!(decode(&encoded[..10], 1 << 20), Err(FormatError::Header));
        let mut lying = encoded.clone();
        lying[16] ^= 1;
        assert!(matches!(decode(&lying, 1 << 20), Err(FormatError::Damaged(_))));
        let mut cut = encoded.clone();
        cut.truncate(encoded.len() - 4);
        assert!(matches!(decode(&cut, 1 << 20), Err(FormatError::Damaged(_))));
    }
}
