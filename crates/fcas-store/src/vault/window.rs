//! A window of a sample read from its vault file without decoding the whole sample. A version 2
//! file has an index of its 1 MiB frames: the window's frame (or two) is found, read and decoded,
//! whatever the offset. A version 1 file is one frame: it is streamed through the key stream and
//! zstd, the bytes before the window decoded and dropped, so time grows with the offset. Memory
//! is bounded by a frame and the window either way.
use std::fs::File;
use std::io::{self, BufReader, ErrorKind, Read, Seek, SeekFrom};
use std::path::Path;

use super::format::{self, key_at, FormatError, FRAME_BYTES, HEADER_LEN, INDEX_FRAME_MAGIC, KEY, VERSION_ONE_FRAME};

/// What reading a window from a vault file gave.
#[derive(Debug, PartialEq, Eq)]
pub enum VaultWindow {
    /// The vault has no file for the sample.
    Missing,
    /// The window's bytes and the sample's size.
    Read {
        /// The bytes from the offset asked, at most the length asked.
        bytes: Vec<u8>,
        /// The sample's size, as its vault file's header says.
        size: u64,
    },
}

/// Reads at most `length` bytes from `offset` of the sample encoded in the vault file `path`.
/// An offset past the sample's end gives no bytes (the caller checks ranges against the size).
pub fn read_window(path: &Path, offset: u64, length: u64) -> Result<VaultWindow, FormatError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == ErrorKind::NotFound => return Ok(VaultWindow::Missing),
        Err(error) => return Err(FormatError::Damaged(error.to_string())),
    };
    let mut reader = BufReader::new(file);
    let mut header = [0u8; HEADER_LEN];
    reader.read_exact(&mut header).map_err(|_| FormatError::Header)?;
    let (version, size) = format::header_of(&header)?;
    let skip = offset.min(size);
    // `wanted` is bounded by the caller's window, so the allocations below are too.
    let wanted = length.min(size - skip);
    let bytes = if version == VERSION_ONE_FRAME {
        read_streamed(reader, size, skip, wanted)?
    } else {
        read_framed(reader.into_inner(), size, skip, wanted)?
    };
    Ok(VaultWindow::Read { bytes, size })
}

/// Whether the vault file at `path` has a frame index (version 2), so a window anywhere in it
/// costs one frame's decoding. A file that cannot be read says no.
pub fn is_framed(path: &Path) -> bool {
    let mut header = [0u8; HEADER_LEN];
    File::open(path).and_then(|mut file| file.read_exact(&mut header)).is_ok()
        && format::header_of(&header).is_ok_and(|(version, _)| version == format::VERSION)
}

/// Version 1: decodes from the start, dropping the bytes before the window.
fn read_streamed(reader: BufReader<File>, size: u64, skip: u64, wanted: u64) -> Result<Vec<u8>, FormatError> {
    let damaged = |error: io::Error| FormatError::Damaged(error.to_string());
    let mut decoder = zstd::stream::read::Decoder::new(Unmasked { inner: reader, position: 0 }).map_err(damaged)?;
    let skipped = io::copy(&mut (&mut decoder).take(skip), &mut io::sink()).map_err(damaged)?;
    if skipped != skip {
        return Err(FormatError::Damaged(format!("{skipped} bytes decoded, the header says {size}")));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(wanted).unwrap_or(0));
    (&mut decoder).take(wanted).read_to_end(&mut bytes).map_err(damaged)?;
    if bytes.len() as u64 != wanted {
        return Err(FormatError::Damaged(format!("the sample ends before the {size} bytes its header says")));
    }
    Ok(bytes)
}

/// Version 2: decodes only the frames the window falls in.
fn read_framed(mut file: File, size: u64, skip: u64, wanted: u64) -> Result<Vec<u8>, FormatError> {
    let frames = FrameIndex::read(&mut file, size)?;
    let mut bytes = Vec::with_capacity(usize::try_from(wanted).unwrap_or(0));
    let mut at = skip;
    while (bytes.len() as u64) < wanted {
        let index = at / FRAME_BYTES as u64;
        let plain = frames.decode(&mut file, index)?;
        let start = usize::try_from(at - index * FRAME_BYTES as u64).unwrap_or(usize::MAX);
        let rest = usize::try_from(wanted - bytes.len() as u64).unwrap_or(usize::MAX);
        let part = plain.get(start..).map(|tail| &tail[..tail.len().min(rest)]).unwrap_or_default();
        if part.is_empty() {
            return Err(FormatError::Damaged(format!("frame {index} ends before the {size} bytes the header says")));
        }
        bytes.extend_from_slice(part);
        at += part.len() as u64;
    }
    Ok(bytes)
}

/// Where each frame of a version 2 file starts (counted from [`HEADER_LEN`]) and how long it is.
struct FrameIndex {
    frames: Vec<(u64, u64)>,
    size: u64,
}

impl FrameIndex {
    /// Reads and checks the index at the end of `file`: its count must be the header size's,
    /// and the frames must fill the file up to it exactly.
    fn read(file: &mut File, size: u64) -> Result<Self, FormatError> {
        let damaged = |reason: String| FormatError::Damaged(reason);
        let file_len = file.metadata().map_err(|e| damaged(e.to_string()))?.len();
        let count = size.div_ceil(FRAME_BYTES as u64);
        let index_len =
            count.checked_add(1).and_then(|n| n.checked_mul(8)).ok_or_else(|| damaged("the frame index is too large".into()))?;
        let index_start = file_len
            .checked_sub(index_len + 8)
            .filter(|start| *start >= HEADER_LEN as u64)
            .ok_or_else(|| damaged(format!("the file is too short for the {count} frames its header implies")))?;
        let mut raw = vec![0u8; usize::try_from(index_len + 8).map_err(|e| damaged(e.to_string()))?];
        file.seek(SeekFrom::Start(index_start)).and_then(|_| file.read_exact(&mut raw)).map_err(|e| damaged(e.to_string()))?;
        unmask(&mut raw, index_start - HEADER_LEN as u64);
        let word = |i: usize| raw.get(i * 8..i * 8 + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes).unwrap_or(u64::MAX);
        let magic = raw.get(..4).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes);
        let content_len = raw.get(4..8).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes);
        if magic != Some(INDEX_FRAME_MAGIC) || content_len.map(u64::from) != Some(index_len) || word(count as usize + 1) != count {
            return Err(damaged("its frame index is damaged".into()));
        }
        let mut frames = Vec::with_capacity(count as usize);
        let mut start = 0u64;
        for i in 0..count as usize {
            let length = word(i + 1);
            // No frame of 1 MiB compresses to more than zstd's bound for it.
            if length > (FRAME_BYTES + FRAME_BYTES / 128 + 1024) as u64 {
                return Err(damaged(format!("frame {i} is {length} bytes long")));
            }
            frames.push((start, length));
            start += length;
        }
        if HEADER_LEN as u64 + start != index_start {
            return Err(damaged("its frames do not fill the file up to the index".into()));
        }
        Ok(Self { frames, size })
    }

    /// The sample bytes of frame `index`.
    fn decode(&self, file: &mut File, index: u64) -> Result<Vec<u8>, FormatError> {
        let damaged = |reason: String| FormatError::Damaged(reason);
        let &(start, length) =
            usize::try_from(index).ok().and_then(|i| self.frames.get(i)).ok_or_else(|| damaged(format!("no frame {index}")))?;
        let mut frame = vec![0u8; usize::try_from(length).map_err(|e| damaged(e.to_string()))?];
        file.seek(SeekFrom::Start(HEADER_LEN as u64 + start))
            .and_then(|_| file.read_exact(&mut frame))
            .map_err(|e| damaged(e.to_string()))?;
        unmask(&mut frame, start);
        let plain = zstd::bulk::decompress(&frame, FRAME_BYTES).map_err(|e| damaged(format!("frame {index}: {e}")))?;
        let expected = (self.size - index * FRAME_BYTES as u64).min(FRAME_BYTES as u64);
        if plain.len() as u64 != expected {
            return Err(damaged(format!("frame {index} decodes to {} bytes, not {expected}", plain.len())));
        }
        Ok(plain)
    }
}

/// Takes the key stream off `bytes`, which start at `position` (counted from [`HEADER_LEN`]).
fn unmask(bytes: &mut [u8], position: u64) {
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte ^= key_at(position + i as u64);
    }
}

/// The frame's bytes with the key stream taken off (see [`format`]).
struct Unmasked<R> {
    inner: R,
    position: usize,
}

impl<R: Read> Read for Unmasked<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        for byte in buffer.iter_mut().take(read) {
            *byte ^= KEY[self.position % KEY.len()];
            self.position = self.position.wrapping_add(1);
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn windows_match_the_sample_and_stop_at_its_end() {
        let sample: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sample");
        std::fs::write(&path, format::encode(&sample).unwrap()).unwrap();
        let read = |offset, length| match read_window(&path, offset, length).unwrap() {
            VaultWindow::Read { bytes, size } => (bytes, size),
            VaultWindow::Missing => panic!("the file is there"),
        };
        assert_eq!(read(0, 16), (sample[..16].to_vec(), 200_000));
        assert_eq!(read(150_000, 4096).0, sample[150_000..154_096].to_vec());
        assert_eq!(read(199_990, 4096).0, sample[199_990..].to_vec());
        assert!(read(300_000, 10).0.is_empty());
        // A window across two frames of a larger sample, and deep in it.
        let large: Vec<u8> = (0..(3 * FRAME_BYTES as u32 + 12_345)).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        std::fs::write(&path, format::encode(&large).unwrap()).unwrap();
        let across = FRAME_BYTES - 100;
        assert_eq!(read(across as u64, 4096).0, large[across..across + 4096].to_vec());
        let deep = 3 * FRAME_BYTES + 12_000;
        assert_eq!(read(deep as u64, 4096).0, large[deep..].to_vec());
        // A version 1 file (one frame for the whole sample) is still read.
        let mut one_frame = format::encode(&[]).unwrap()[..HEADER_LEN].to_vec();
        one_frame[8] = VERSION_ONE_FRAME;
        one_frame[16..24].copy_from_slice(&(sample.len() as u64).to_le_bytes());
        let frame = zstd::bulk::compress(&sample, 3).unwrap();
        one_frame.extend(frame.iter().enumerate().map(|(i, b)| b ^ key_at(i as u64)));
        std::fs::write(&path, &one_frame).unwrap();
        assert_eq!(read(150_000, 4096).0, sample[150_000..154_096].to_vec());
        assert_eq!(format::decode(&one_frame, 1 << 20).unwrap(), sample);
    }

    #[test]
    fn a_damaged_frame_index_is_an_error_never_a_panic() {
        let sample: Vec<u8> = (0..(2 * FRAME_BYTES as u32 + 7)).map(|i| (i % 253) as u8).collect();
        let encoded = format::encode(&sample).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sample");
        // Every byte of the index and of the last frame's end changed in turn, and cuts of the
        // file: each read is a typed error or the right bytes, never a panic or wrong bytes.
        let tail = encoded.len() - 48..encoded.len();
        for at in tail.clone() {
            let mut damaged = encoded.clone();
            damaged[at] ^= 0x5a;
            std::fs::write(&path, &damaged).unwrap();
            if let Ok(VaultWindow::Read { bytes, .. }) = read_window(&path, FRAME_BYTES as u64 + 5, 64) {
                assert_eq!(bytes, sample[FRAME_BYTES + 5..FRAME_BYTES + 69].to_vec(), "byte {at} changed");
            }
        }
        for cut in [HEADER_LEN, HEADER_LEN + 10, encoded.len() - 9, encoded.len() - 1] {
            std::fs::write(&path, &encoded[..cut]).unwrap();
            assert!(matches!(read_window(&path, 0, 64), Err(FormatError::Damaged(_)) | Err(FormatError::Header)), "cut at {cut}");
        }
        assert_eq!(read_window(&dir.path().join("none"), 0, 1).unwrap(), VaultWindow::Missing);
        std::fs::write(&path, b"not a vault file at all, long enough").unwrap();
        assert_eq!(read_window(&path, 0, 1), Err(FormatError::Header));
    }
}
