//! ZIP and ZIP-based formats (JAR, Office Open XML, APK): stored, deflate, deflate64, bzip2,
//! LZMA, XZ and zstd entries; ZipCrypto and WinZip AES encryption, tried with each password.
use std::borrow::Cow;
use std::io::Cursor;

use fcas_report::ExtractionStatus;
use zip::result::ZipError;
use zip::ZipArchive;

use crate::{ChildError, Container, ReadError};

type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// What the central directory says of one entry.
struct Entry {
    name: String,
    size: u64,
    compressed: u64,
    encrypted: bool,
}

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let mut archive = ZipArchive::new(Cursor::new(data)).map_err(super::damaged)?;
    // The password that opened an entry is tried first on the next ones.
    let mut opened_with: Option<String> = None;
    let mut locked = 0usize;
    for index in 0..archive.len() {
        if !cx.wants_more() {
            break;
        }
        let Some(entry) = describe(&mut archive, index, cx) else { continue };
        if !entry.encrypted {
            match archive.by_index(index) {
                Ok(mut file) => {
                    cx.take(&entry.name, &mut file, Some(entry.size), Some(entry.compressed));
                }
                Err(error) => cx.skip(&entry.name, unreadable(&error)),
            }
            continue;
        }
        match decrypt(&mut archive, index, &entry, opened_with.as_deref(), cx) {
            Decrypted::Child(password, data) => {
                cx.emit(entry.name.as_str(), Cow::Owned(data));
                cx.opened_with(&password);
                opened_with = Some(password);
            }
            Decrypted::Refused => {}
            Decrypted::NoPassword => {
                locked += 1;
                cx.list(entry.name.as_str(), entry.size, true);
            }
        }
    }
    if locked > 0 {
        cx.set_status(ExtractionStatus::Encrypted);
    }
    Ok(())
}

/// The entry's metadata, without decoding it; `None` for folders and unreadable headers
/// (those are recorded as skipped).
fn describe(archive: &mut Archive<'_>, index: usize, cx: &mut Container<'_>) -> Option<Entry> {
    match archive.by_index_raw(index) {
        Ok(file) if file.is_dir() => None,
        Ok(file) => {
            let name = file.name().map(|n| n.into_owned()).unwrap_or_else(|_| super::name_from_bytes(file.name_raw()));
            Some(Entry { name, size: file.size(), compressed: file.compressed_size(), encrypted: file.encrypted() })
        }
        Err(error) => {
            cx.skip(format!("entry #{index}"), unreadable(&error));
            None
        }
    }
}

enum Decrypted {
    /// Decoded and checked (CRC-32, or AES's HMAC) with this password.
    Child(String, Vec<u8>),
    /// A limit stopped it (recorded).
    Refused,
    /// No password of the list opened it.
    NoPassword,
}

/// Tries `first`, then every password of the list. ZipCrypto's check byte lets one wrong
/// password in 256 through, so only a full decode with a matching CRC counts as opened.
fn decrypt(archive: &mut Archive<'_>, index: usize, entry: &Entry, first: Option<&str>, cx: &mut Container<'_>) -> Decrypted {
    let candidates: Vec<String> =
        first.map(str::to_string).into_iter().chain(cx.passwords().filter(|p| Some(*p) != first).map(str::to_string)).collect();
    for password in candidates {
        let mut file = match archive.by_index_decrypt(index, password.as_bytes()) {
            Ok(file) => file,
            Err(ZipError::InvalidPassword) => continue,
            Err(error) => {
                cx.skip(&entry.name, unreadable(&error));
                return Decrypted::Refused;
            }
        };
        match cx.read_child(&entry.name, &mut file, Some(entry.size), Some(entry.compressed)) {
            Ok(data) => return Decrypted::Child(password, data),
            Err(ChildError::Limit(_)) => return Decrypted::Refused,
            // A wrong password that passed the check byte: garbage, caught by the CRC.
            Err(ChildError::Read(_)) => continue,
        }
    }
    Decrypted::NoPassword
}

fn unreadable(error: &ZipError) -> String {
    match error {
        ZipError::UnsupportedArchive(what) => format!("not decoded: unsupported ({what})"),
        other => format!("damaged: {other}"),
    }
}
