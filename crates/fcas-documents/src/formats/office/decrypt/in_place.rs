//! A binary Office document decrypted in place: a writable copy of the compound file whose
//! encrypted streams are read, then written back decrypted at the same size, so every other
//! byte of the file stays as it was (what msoffcrypto-tool writes too).
use std::io::{Cursor, Read, Write};

use super::Decryption;

pub(super) struct InPlace(cfb::CompoundFile<Cursor<Vec<u8>>>);

impl InPlace {
    pub(super) fn open(document: &[u8]) -> Result<Self, Decryption> {
        cfb::CompoundFile::open(Cursor::new(crate::compound::writable_copy(document))).map(Self).map_err(damaged)
    }

    /// Whether the file has a stream at `name`.
    pub(super) fn has(&self, name: &str) -> bool {
        self.0.is_stream(name)
    }

    /// The stream at `name`, at most `max` bytes and one more (so that a caller sees it is over).
    pub(super) fn read(&mut self, name: &str, max: u64) -> Result<Vec<u8>, Decryption> {
        let mut bytes = Vec::new();
        self.0.open_stream(name).and_then(|stream| stream.take(max.saturating_add(1)).read_to_end(&mut bytes)).map_err(damaged)?;
        Ok(bytes)
    }

    /// Writes `bytes` over the stream at `name` (of the same size).
    pub(super) fn write(&mut self, name: &str, bytes: &[u8]) -> Result<(), Decryption> {
        self.0.open_stream(name).and_then(|mut stream| stream.write_all(bytes).and_then(|()| stream.flush())).map_err(damaged)
    }

    /// The whole file, as decrypted by `password`.
    pub(super) fn finish(mut self, password: String) -> Decryption {
        match self.0.flush() {
            Ok(()) => Decryption::Decrypted { password, plain: self.0.into_inner().into_inner() },
            Err(error) => damaged(error),
        }
    }
}

fn damaged(error: std::io::Error) -> Decryption {
    Decryption::NotDecrypted(format!("the document is damaged: {error}"))
}
