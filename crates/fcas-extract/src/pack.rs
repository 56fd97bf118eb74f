//! Samples leave FCAS only inside a ZIP encrypted with AES-256 (WinZip AE-2), under the password
//! analysts expect (`infected` by default): never plain, so no mail filter, antivirus or double
//! click meets a live sample. Entries are named by their SHA-256 with no extension, never by a
//! name the sample came with.
use std::io::{Seek, Write};

use zip::write::SimpleFileOptions;
use zip::{AesMode, CompressionMethod, ZipWriter};

/// The password of exported samples unless the analyst chooses another.
pub const EXPORT_PASSWORD: &str = "infected";

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// An empty password would leave the samples readable by anything.
    #[error("an empty password would export samples unencrypted; give a password (default: infected)")]
    EmptyPassword,
    /// Writing the archive failed.
    #[error("cannot write the encrypted ZIP: {0}")]
    Write(#[from] zip::result::ZipError),
    /// Writing the archive failed.
    #[error("cannot write the encrypted ZIP: {0}")]
    Io(#[from] std::io::Error),
}

/// An encrypted ZIP being written.
pub struct EncryptedZip<W: Write + Seek> {
    writer: ZipWriter<W>,
    password: String,
    names: std::collections::HashSet<String>,
}

impl<W: Write + Seek> EncryptedZip<W> {
    /// Starts an archive on `out`, every entry encrypted under `password`.
    pub fn new(out: W, password: &str) -> Result<Self, PackError> {
        if password.is_empty() {
            return Err(PackError::EmptyPassword);
        }
        Ok(Self { writer: ZipWriter::new(out), password: password.to_string(), names: Default::default() })
    }

    /// Adds a sample as `<sha256>`; the same content twice is written once. Returns whether it
    /// was added.
    pub fn add(&mut self, sha256: &str, bytes: &[u8]) -> Result<bool, PackError> {
        let name = sha256.to_ascii_lowercase();
        if !self.names.insert(name.clone()) {
            return Ok(false);
        }
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .with_aes_encryption(AesMode::Aes256, &self.password)
            // No execute bits, whatever the archiver that unpacks it honours.
            .unix_permissions(0o600);
        self.writer.start_file(name, options)?;
        self.writer.write_all(bytes)?;
        Ok(true)
    }

    /// Writes the central directory and returns the output.
    pub fn finish(self) -> Result<W, PackError> {
        Ok(self.writer.finish()?)
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use super::*;

    #[test]
    fn entries_are_aes_256_under_the_password_and_unreadable_without_it() {
        let mut zip = EncryptedZip::new(Cursor::new(Vec::new()), EXPORT_PASSWORD).unwrap();
        assert!(zip.add("AB", b"MZ sample").unwrap());
        assert!(!zip.add("ab", b"MZ sample").unwrap(), "the same name is written once");
        let bytes = zip.finish().unwrap().into_inner();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 1);
        assert!(archive.by_index(0).is_err(), "no plain read");
        assert!(archive.by_index_decrypt(0, b"wrong").is_err());
        let mut entry = archive.by_index_decrypt(0, b"infected").unwrap();
        assert_eq!(entry.name().unwrap(), "ab");
        assert!(entry.encrypted());
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        assert_eq!(content, b"MZ sample");
        assert!(matches!(EncryptedZip::new(Cursor::new(Vec::new()), ""), Err(PackError::EmptyPassword)));
    }
}
