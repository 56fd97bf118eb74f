//! A window of a sample read from its vault file without decoding the whole sample: the file is
//! streamed through the key stream and zstd, the bytes before the window are decoded and
//! dropped, the window is kept. Memory is bounded by the window; time grows with its offset (a
//! zstd frame has no index to seek by).
use std::fs::File;
use std::io::{self, BufReader, ErrorKind, Read};
use std::path::Path;

use super::format::{self, FormatError, HEADER_LEN, KEY};

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
    let size = format::declared_size(&header)?;
    let damaged = |error: io::Error| FormatError::Damaged(error.to_string());
    let mut decoder = zstd::stream::read::Decoder::new(Unmasked { inner: reader, position: 0 }).map_err(damaged)?;
    let skip = offset.min(size);
    let skipped = io::copy(&mut (&mut decoder).take(skip), &mut io::sink()).map_err(damaged)?;
    if skipped != skip {
        return Err(FormatError::Damaged(format!("{skipped} bytes decoded, the header says {size}")));
    }
    let wanted = length.min(size - skip);
    // `wanted` is bounded by the caller's window, so this allocation is too.
    let mut bytes = Vec::with_capacity(usize::try_from(wanted).unwrap_or(0));
    (&mut decoder).take(wanted).read_to_end(&mut bytes).map_err(damaged)?;
    if bytes.len() as u64 != wanted {
        return Err(FormatError::Damaged(format!("the sample ends before the {size} bytes its header says")));
    }
    Ok(VaultWindow::Read { bytes, size })
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
        assert_eq!(read_window(&dir.path().join("none"), 0, 1).unwrap(), VaultWindow::Missing);
        std::fs::write(&path, b"not a vault file at all, long enough").unwrap();
        assert_eq!(read_window(&path, 0, 1), Err(FormatError::Header));
    }
}
