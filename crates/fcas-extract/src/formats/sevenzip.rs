//! 7z: every coder of `sevenz-rust2` (LZMA, LZMA2, PPMd, BZip2, Deflate, zstd, BCJ filters) and
//! AES-256 on content and on headers, tried with each password.
use std::borrow::Cow;
use std::io::Cursor;

use fcas_report::ExtractionStatus;
use sevenz_rust2::{Archive, ArchiveReader, Error, Password};

use crate::{ChildError, Container, ReadError};

/// Memory a coder's dictionary or a header may take, KiB (the largest `7z -mx9` uses is 64 MiB).
const MEMORY_LIMIT_KB: usize = 256 << 10;

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    // Headers first: readable as they are, or under one of the passwords.
    let mut attempts: Vec<Option<String>> = vec![None];
    attempts.extend(cx.passwords().map(|p| Some(p.to_string())));
    let mut header_error = None;
    let mut header_password = None;
    let mut archive = None;
    for candidate in &attempts {
        match Archive::read_with_memory_limit(&mut Cursor::new(data), &password(candidate.as_deref()), MEMORY_LIMIT_KB) {
            Ok(read) => {
                archive = Some(read);
                header_password = candidate.clone();
                break;
            }
            Err(error) if is_password_error(&error) => header_error = Some(error),
            Err(error) => return Err(super::damaged(error)),
        }
    }
    let Some(archive) = archive else {
        cx.set_status(ExtractionStatus::Encrypted);
        let why = header_error.map(|e| e.to_string()).unwrap_or_default();
        return Err(ReadError::Damaged(format!("the headers are encrypted and no password of the list opened them ({why})")));
    };
    let encrypted = archive_is_encrypted(&archive);
    // Content: with the header's password, then the others while nothing came out.
    let content_attempts: Vec<Option<String>> = match (&header_password, encrypted) {
        (Some(p), _) => vec![Some(p.clone())],
        (None, false) => vec![None],
        (None, true) => cx.passwords().map(|p| Some(p.to_string())).collect(),
    };
    let mut last_error = None;
    for candidate in content_attempts {
        match decode_all(data, &archive, candidate.as_deref(), cx) {
            Ok(()) => {
                if let Some(p) = &candidate {
                    cx.opened_with(p);
                }
                return Ok(());
            }
            Err(error) if cx.emitted() == 0 && is_password_error(&error) => last_error = Some(error),
            Err(error) => {
                if let Some(p) = &candidate {
                    cx.opened_with(p);
                }
                return Err(super::damaged(error));
            }
        }
    }
    for entry in archive.files.iter().filter(|e| e.has_stream && !e.is_directory) {
        cx.list(entry.name.as_str(), entry.size, true);
    }
    cx.set_status(ExtractionStatus::Encrypted);
    let why = last_error.map(|e| e.to_string()).unwrap_or_default();
    Err(ReadError::Damaged(format!("no password of the list opened the content ({why})")))
}

/// Decodes every entry with `candidate`; a child is handed on only once the reader has checked
/// its CRC (that is, when the next entry starts, or at the end).
fn decode_all(data: &[u8], archive: &Archive, candidate: Option<&str>, cx: &mut Container<'_>) -> Result<(), Error> {
    let mut reader = ArchiveReader::from_archive(archive.clone(), Cursor::new(data), password(candidate));
    reader.set_thread_count(1);
    let mut pending: Option<(String, Vec<u8>)> = None;
    let mut reached = 0usize;
    let outcome = reader.for_each_entries(|entry, stream| {
        if let Some((name, data)) = pending.take() {
            cx.emit(name, Cow::Owned(data));
        }
        reached += 1;
        if entry.is_directory || !entry.has_stream {
            return Ok(true);
        }
        if !cx.wants_more() {
            return Ok(false);
        }
        // A solid block's entries share one compressed stream: its size is the bound.
        let compressed = (entry.compressed_size > 0).then_some(entry.compressed_size);
        match cx.read_child(&entry.name, stream, Some(entry.size), compressed) {
            Ok(data) => pending = Some((entry.name.clone(), data)),
            // Going on would decode the refused entry to its end (the reader drains what a
            // callback leaves): a bomb would take time in proportion to its size. The rest of
            // this block is given up instead, and listed below.
            Err(ChildError::Limit(_)) => return Ok(false),
            Err(ChildError::Read(error)) => return Err(Error::from(error)),
        }
        Ok(true)
    });
    outcome?;
    if let Some((name, data)) = pending.take() {
        cx.emit(name, Cow::Owned(data));
    }
    skip_unreached(archive, reached, cx);
    Ok(())
}

/// Entries a given-up block left undecoded: not every entry was handed to the callback.
fn skip_unreached(archive: &Archive, reached: usize, cx: &mut Container<'_>) {
    if reached >= archive.files.len() {
        return;
    }
    // Which ones were reached is not known entry by entry; those not emitted nor already
    // skipped are the ones left.
    for entry in archive.files.iter().filter(|e| e.has_stream && !e.is_directory) {
        if !cx.has_recorded(&entry.name) {
            cx.skip(entry.name.as_str(), "not decoded: in the same solid block as an entry over a limit, or after a limit");
        }
    }
}

fn password(candidate: Option<&str>) -> Password {
    candidate.map(Password::from).unwrap_or_else(Password::empty)
}

fn is_password_error(error: &Error) -> bool {
    matches!(error, Error::PasswordRequired | Error::MaybeBadPassword(_) | Error::ChecksumVerificationFailed)
}

fn archive_is_encrypted(archive: &Archive) -> bool {
    archive
        .blocks
        .iter()
        .any(|block| block.coders.iter().any(|coder| coder.encoder_method_id() == sevenz_rust2::EncoderMethod::ID_AES256_SHA256))
}
