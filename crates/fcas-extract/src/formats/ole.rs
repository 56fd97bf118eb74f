//! OLE compound files (legacy Office documents, MSI installers) through the `cfb` crate, opened
//! as tolerantly as Office opens them (`fcas_documents::open_compound`): every
//! stream is a child, named by its path of storages. An MSI's streams carry the installer's
//! tables and its embedded cabinets; the cabinets are then opened by the recursion. An
//! encrypted OOXML document's `EncryptedPackage` comes out decrypted when Office's default
//! password or one of the list opens it (`fcas_documents::decrypt_package`); so does an
//! encrypted Excel 97 to 2003 workbook: its child `Workbook` is then the whole document with
//! that stream decrypted (`fcas_documents::decrypt_workbook_document`), which the document
//! analysis reads like any workbook; an encrypted Word 97 to 2003 document likewise gives its
//! child `WordDocument` (`fcas_documents::decrypt_word_document`), an encrypted PowerPoint 97
//! to 2003 presentation its child `PowerPoint Document` (`decrypt_presentation_document`).
use std::io::Read;

use fcas_documents::CompoundFile;

use crate::{Container, ReadError};
use fcas_documents::bytes::{slice_at, u16_at, u32_at};

/// The root storage's CLSID of an MSI (and merge module), `{000C1084-0000-0000-C000-000000000046}`,
/// as stored (the GUID's first three fields little-endian).
const MSI_CLSID: [u8; 16] = [0x84, 0x10, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let mut file = fcas_documents::open_compound(data).map_err(super::damaged)?;
    let streams: Vec<(std::path::PathBuf, u64)> =
        file.walk().filter(|entry| entry.is_stream()).map(|entry| (entry.path().to_path_buf(), entry.len())).collect();
    // A presentation keeps its objects compressed inside a stream: the document reader
    // decodes them.
    let presentation = streams.iter().any(|(path, _)| path.file_name().is_some_and(|leaf| leaf == "PowerPoint Document"));
    let encrypted =
        [ENCRYPTION_INFO, ENCRYPTED_PACKAGE].iter().all(|wanted| streams.iter().any(|(path, _)| path == std::path::Path::new(wanted)));
    for (path, size) in streams {
        if !cx.wants_more() {
            break;
        }
        let name = display_name(&path);
        if encrypted && path == std::path::Path::new(ENCRYPTED_PACKAGE) {
            encrypted_package(&mut file, &name, size, cx);
            continue;
        }
        if path == std::path::Path::new(fcas_documents::WORKBOOK_STREAM) && workbook_is_encrypted(&mut file) {
            encrypted_document(data, &name, cx, |data, passwords, max| fcas_documents::decrypt_workbook_document(data, passwords, max));
            continue;
        }
        let current_user = std::path::Path::new(fcas_documents::CURRENT_USER_STREAM);
        if path == std::path::Path::new(fcas_documents::PRESENTATION_STREAM)
            && stream_starts(&mut file, current_user, fcas_documents::presentation_is_encrypted)
        {
            encrypted_document(data, &name, cx, |data, passwords, max| fcas_documents::decrypt_presentation_document(data, passwords, max));
            continue;
        }
        if path == std::path::Path::new(fcas_documents::WORD_STREAM) && stream_starts(&mut file, &path, fcas_documents::word_is_encrypted) {
            encrypted_document(data, &name, cx, |data, passwords, max| fcas_documents::decrypt_word_document(data, passwords, max));
            continue;
        }
        if path.file_name().is_some_and(|leaf| leaf == OLE_NATIVE) {
            if let Some(()) = packaged_file(&mut file, &path, &name, size, cx) {
                continue;
            }
        }
        match file.open_stream(&path) {
            // Streams are stored, not compressed: their length is their bound.
            Ok(mut stream) => {
                cx.take(&name, &mut stream, Some(size), Some(size));
            }
            Err(error) => cx.skip(&name, format!("damaged: {error}")),
        }
    }
    if presentation {
        super::document::read(fcas_report::Format::Ole, data, cx)?;
    }
    Ok(())
}

/// The streams of an encrypted OOXML document: how it is encrypted, and the package.
const ENCRYPTION_INFO: &str = "/EncryptionInfo";
const ENCRYPTED_PACKAGE: &str = "/EncryptedPackage";
/// An `EncryptionInfo` stream is a few kilobytes; a larger one is not read.
const MAX_ENCRYPTION_INFO: u64 = 1 << 20;

/// Hands out the decrypted package of an encrypted OOXML document as the child `name`, with the
/// password that opened it recorded; lists it as encrypted when none does, and says why when
/// its scheme is not one FCAS decrypts. The ciphertext itself is never a child.
fn encrypted_package(file: &mut CompoundFile<'_>, name: &str, size: u64, cx: &mut Container<'_>) {
    let mut read = |path: &str, cap: u64| {
        let mut data = Vec::new();
        file.open_stream(path).and_then(|stream| stream.take(cap).read_to_end(&mut data)).map(|_| data)
    };
    // The package is its 8-byte size, then as many bytes (rounded up to whole blocks).
    let Some(max_plain) = cx.admit(name, Some(size.saturating_sub(8)), Some(size)) else { return };
    let (info, package) = match (read(ENCRYPTION_INFO, MAX_ENCRYPTION_INFO), read(ENCRYPTED_PACKAGE, size)) {
        (Ok(info), Ok(package)) => (info, package),
        (Err(error), _) | (_, Err(error)) => return cx.skip(name, format!("damaged: {error}")),
    };
    let decrypted = with_passwords(name, cx, |passwords| fcas_documents::decrypt_package(&info, &package, passwords, max_plain));
    settle(decrypted, name, size.saturating_sub(8), cx);
}

/// Bytes of a workbook stream read to tell whether it is encrypted (its `FilePass` record
/// comes among the first few).
const WORKBOOK_PEEK: u64 = 4096;

fn workbook_is_encrypted(file: &mut CompoundFile<'_>) -> bool {
    stream_starts(file, std::path::Path::new(fcas_documents::WORKBOOK_STREAM), fcas_documents::workbook_is_encrypted)
}

/// Whether the first bytes of the stream at `path` pass `test`.
fn stream_starts(file: &mut CompoundFile<'_>, path: &std::path::Path, test: fn(&[u8]) -> bool) -> bool {
    let mut prefix = Vec::new();
    file.open_stream(path).and_then(|stream| stream.take(WORKBOOK_PEEK).read_to_end(&mut prefix)).is_ok() && test(&prefix)
}

/// Hands out an encrypted binary document (a workbook, a Word document), decrypted, as the
/// child `name`; lists the stream as encrypted when no password opens it. The ciphertext itself
/// is never a child.
/// `decrypt` takes the whole compound file and gives the whole file with its encrypted streams
/// decrypted in place.
fn encrypted_document(
    data: &[u8],
    name: &str,
    cx: &mut Container<'_>,
    decrypt: impl FnOnce(&[u8], &mut dyn Iterator<Item = &str>, u64) -> fcas_documents::Decryption,
) {
    let whole = data.len() as u64;
    let Some(max_plain) = cx.admit(name, Some(whole), Some(whole)) else { return };
    let decrypted = with_passwords(name, cx, |passwords| decrypt(data, passwords, max_plain));
    settle(decrypted, name, whole, cx);
}

/// Runs `decrypt` over the container's passwords, as many as its time budget allows: each
/// password costs a key derivation (about 11 ms for an Agile package as Office writes it, up to
/// a hundred times that as a hostile file may ask), so a long list stops at the budget.
fn with_passwords(
    name: &str,
    cx: &mut Container<'_>,
    decrypt: impl FnOnce(&mut dyn Iterator<Item = &str>) -> fcas_documents::Decryption,
) -> fcas_documents::Decryption {
    let passwords: Vec<String> = cx.passwords().map(str::to_string).collect();
    let deadline = std::time::Instant::now() + cx.time_left();
    let mut in_time = passwords.iter().map(String::as_str).take_while(|_| std::time::Instant::now() < deadline);
    let decrypted = decrypt(&mut in_time);
    if std::time::Instant::now() >= deadline && matches!(decrypted, fcas_documents::Decryption::NoPassword) {
        let detail = format!("{name}: stopped trying passwords after {} s", cx.limits().container_time.as_secs());
        cx.hit(crate::limits::names::CONTAINER_TIME, detail);
    }
    decrypted
}

/// Emits what was decrypted with the password that opened it; otherwise lists the entry (of
/// `size` bytes) as encrypted, with why when it was not even tried.
fn settle(decrypted: fcas_documents::Decryption, name: &str, size: u64, cx: &mut Container<'_>) {
    match decrypted {
        fcas_documents::Decryption::Decrypted { password, plain } => {
            cx.opened_with(&password);
            cx.emit(name, std::borrow::Cow::Owned(plain));
        }
        fcas_documents::Decryption::NoPassword => {
            cx.list(name, size, true);
            cx.set_status(fcas_report::ExtractionStatus::Encrypted);
        }
        fcas_documents::Decryption::NotDecrypted(why) => {
            cx.list(name, size, true);
            cx.skip(name, why);
            cx.set_status(fcas_report::ExtractionStatus::Encrypted);
        }
    }
}

/// The stream an embedded OLE1 object (an Office `Package`) keeps its native data in.
const OLE_NATIVE: &str = "\u{1}Ole10Native";

/// Hands out the file an `\x01Ole10Native` stream packages, named `<storage>/<its label>`;
/// `None` (the stream is then a child as it is) when it does not hold a readable package.
fn packaged_file(file: &mut CompoundFile<'_>, path: &std::path::Path, name: &str, size: u64, cx: &mut Container<'_>) -> Option<()> {
    // Packages are small; a stream larger than a child may be is handed on as it is.
    if size > cx.limits().max_child_size {
        return None;
    }
    let mut stream = Vec::with_capacity(usize::try_from(size).ok()?);
    file.open_stream(path).ok()?.take(size).read_to_end(&mut stream).ok()?;
    let payload = fcas_documents::ole_native_payload(&stream)?;
    let storage = name.rsplit_once('/').map(|(storage, _)| storage).unwrap_or("");
    let label = if payload.name.is_empty() { "package" } else { payload.name.as_str() };
    let child = if storage.is_empty() { label.to_string() } else { format!("{storage}/{label}") };
    let bytes = payload.bytes.into_owned();
    if cx.admit(&child, Some(bytes.len() as u64), Some(size)).is_some() {
        cx.emit(child, std::borrow::Cow::Owned(bytes));
    }
    Some(())
}

/// Whether `data` is an MSI: its root entry's CLSID, read from the header's first directory
/// sector without parsing the rest.
pub(crate) fn is_msi(data: &[u8]) -> bool {
    let (Some(shift), Some(first)) = (u16_at(data, 0x1e), u32_at(data, 0x30)) else { return false };
    // Version 3 files use 512-byte sectors, version 4 files 4,096.
    if shift != 9 && shift != 12 {
        return false;
    }
    let root = (u64::from(first) + 1) << shift;
    usize::try_from(root + 0x50).ok().and_then(|at| slice_at(data, at, 16)) == Some(&MSI_CLSID[..])
}

/// The stream's path inside the file, storages joined with `/`, MSI-encoded names decoded.
fn display_name(path: &std::path::Path) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|part| match part {
            std::path::Component::Normal(name) => Some(decode_msi_name(&name.to_string_lossy())),
            _ => None,
        })
        .collect();
    parts.join("/")
}

/// MSI stores its stream names compressed, to fit the compound file's 31-character limit: each
/// character from U+3800 to U+47FF packs two characters of the alphabet `0-9A-Za-z._` (the
/// first in its low 6 bits, the second in the next 6), each from U+4800 to U+483F one of them,
/// and U+4840 marks the installer's own tables (shown as `!`, as msitools does). Any other
/// character is kept as it is.
pub(crate) fn decode_msi_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let code = u32::from(c);
        match code {
            0x3800..=0x47ff => {
                let packed = code - 0x3800;
                out.push(msi_char(packed & 0x3f));
                out.push(msi_char((packed >> 6) & 0x3f));
            }
            0x4800..=0x483f => out.push(msi_char(code - 0x4800)),
            0x4840 => out.push('!'),
            _ => out.push(c),
        }
    }
    out
}

fn msi_char(index: u32) -> char {
    const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";
    ALPHABET.get(index as usize).map(|&b| char::from(b)).unwrap_or('?')
}

#[cfg(test)]
mod tests {
    use super::decode_msi_name;

    /// Encodes as MSI does, to check the decoder against names known in their plain form.
    fn encode(name: &str) -> String {
        let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._";
        let index = |c: char| alphabet.find(c).unwrap() as u32;
        let chars: Vec<char> = name.chars().collect();
        let mut out = String::new();
        for pair in chars.chunks(2) {
            let code = match pair {
                [a, b] => 0x3800 + index(*a) + (index(*b) << 6),
                [a] => 0x4800 + index(*a),
                _ => unreachable!(),
            };
            out.push(char::from_u32(code).unwrap());
        }
        out
    }

    #[test]
    fn msi_names_decode() {
        assert_eq!(decode_msi_name(&encode("Binary.CustomAction1")), "Binary.CustomAction1");
        assert_eq!(decode_msi_name(&encode("cab1.cab")), "cab1.cab");
        assert_eq!(decode_msi_name(&format!("\u{4840}{}", encode("_Tables"))), "!_Tables");
        assert_eq!(decode_msi_name("\u{5}SummaryInformation"), "\u{5}SummaryInformation");
        // Well-known encoded names as they appear in real installers.
        assert_eq!(decode_msi_name("\u{4840}\u{3f3f}\u{4577}\u{446c}\u{3e6a}\u{44b2}\u{482f}"), "!_StringPool");
    }
}
