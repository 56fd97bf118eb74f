//! Encrypted PowerPoint 97 to 2003 presentations (MS-PPT 2.3.7, MS-OFFCRYPTO 2.3.5): the
//! current user edit's `UserEditAtom` names, by its persist identifier, a
//! `CryptSession10Container` holding the RC4 CryptoAPI encryption header; every other persist
//! object of the edit's persist directory is encrypted whole under the key of its persist
//! identifier.
//!
//! The decrypted presentation is the whole compound file as msoffcrypto-tool 6.1.0 writes it:
//! `Current User` says the file is not encrypted, the `UserEditAtom` no longer points at an
//! encryption session, the persist directory's first entry counts one object less, the
//! `CryptSession10Container` is zeroed, and each persist object is decrypted in place (an
//! object runs to the next one in the directory). Like it, the `Pictures` stream and the
//! encrypted summary information are left as they are.
use super::in_place::InPlace;
use super::rc4::{self, Scheme};
use super::{try_passwords, Decryption};
use crate::bytes::{u16_at, u32_at};

/// The stream whose header token says whether a presentation is encrypted.
pub const CURRENT_USER_STREAM: &str = "/Current User";
const CURRENT_USER: &str = CURRENT_USER_STREAM;
const DOCUMENT: &str = "/PowerPoint Document";
/// Record types (MS-PPT 2.13.24).
const USER_EDIT_ATOM: u16 = 0x0FF5;
const PERSIST_DIRECTORY_ATOM: u16 = 0x1772;
const CRYPT_SESSION: u16 = 0x2F14;
/// A `UserEditAtom`'s length with the optional `encryptSessionPersistIdRef`.
const ENCRYPTED_EDIT_LENGTH: u32 = 0x20;
/// `Current User`'s header token of a file that is not encrypted.
const NOT_ENCRYPTED_TOKEN: u32 = 0xE391_C05F;
/// Persist objects read from one directory at most.
const MAX_PERSIST_OBJECTS: usize = 1 << 16;

/// `Current User`'s header token of an encrypted file (MS-PPT 2.3.2).
const ENCRYPTED_TOKEN: u32 = 0xF3D1_C4DF;

/// The stream holding a presentation's records.
pub const PRESENTATION_STREAM: &str = DOCUMENT;

/// Whether a presentation whose `Current User` stream is `current_user` says it is encrypted.
pub fn presentation_is_encrypted(current_user: &[u8]) -> bool {
    u32_at(current_user, 12) == Some(ENCRYPTED_TOKEN)
}

/// Decrypts an encrypted PowerPoint 97 to 2003 presentation, trying Office's default password,
/// then `passwords`. Streams larger than `max_size` together are not decrypted.
pub fn decrypt_presentation_document<'p>(document: &[u8], passwords: impl IntoIterator<Item = &'p str>, max_size: u64) -> Decryption {
    decrypt(document, passwords, max_size).unwrap_or_else(|why| why)
}

fn decrypt<'p>(document: &[u8], passwords: impl IntoIterator<Item = &'p str>, max_size: u64) -> Result<Decryption, Decryption> {
    let mut file = InPlace::open(document)?;
    let mut user = file.read(CURRENT_USER, max_size)?;
    let stream = file.read(DOCUMENT, max_size)?;
    if (user.len() + stream.len()) as u64 > max_size {
        return Err(Decryption::NotDecrypted(format!("the presentation's streams are over the limit of {max_size} bytes")));
    }
    let layout = Layout::read(&user, &stream).map_err(Decryption::NotDecrypted)?;
    let Some((password, key)) = try_passwords(passwords, |password| layout.scheme.key(password)) else {
        return Ok(Decryption::NoPassword);
    };
    let plain = layout
        .decrypt(&stream, &key)
        .ok_or_else(|| Decryption::NotDecrypted("a persist object runs past the stream or before the next".to_string()))?;
    let token = user.get_mut(12..16).ok_or_else(|| Decryption::NotDecrypted("the Current User stream is cut short".to_string()))?;
    token.copy_from_slice(&NOT_ENCRYPTED_TOKEN.to_le_bytes());
    file.write(CURRENT_USER, &user)?;
    file.write(DOCUMENT, &plain)?;
    Ok(file.finish(password))
}

/// Where the current edit's records and persist objects are.
struct Layout {
    edit: usize,
    directory: usize,
    /// Persist identifiers and offsets, in the directory's order (a later entry for the same
    /// identifier moves its offset, not its place).
    objects: Vec<(u32, usize)>,
    scheme: Scheme,
}

fn record_type(stream: &[u8], at: usize) -> Option<u16> {
    u16_at(stream, at.checked_add(2)?)
}

fn record_length(stream: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u32_at(stream, at.checked_add(4)?)?).ok()
}

impl Layout {
    fn read(user: &[u8], stream: &[u8]) -> Result<Self, String> {
        let cut = |what: &str| format!("the presentation's {what} is cut short or damaged");
        let edit = u32_at(user, 16).and_then(|at| usize::try_from(at).ok()).ok_or_else(|| cut("Current User stream"))?;
        if record_type(stream, edit) != Some(USER_EDIT_ATOM) {
            return Err(cut("UserEditAtom"));
        }
        if u32_at(stream, edit + 4) != Some(ENCRYPTED_EDIT_LENGTH) {
            return Err("the presentation is not encrypted (its UserEditAtom names no encryption session)".to_string());
        }
        let field = |at: usize| u32_at(stream, edit + at).and_then(|v| usize::try_from(v).ok()).ok_or_else(|| cut("UserEditAtom"));
        let directory = field(20)?;
        let session = u32::try_from(field(36)?).map_err(|_| cut("UserEditAtom"))?;
        if record_type(stream, directory) != Some(PERSIST_DIRECTORY_ATOM) {
            return Err(cut("persist directory"));
        }
        let length = record_length(stream, directory).ok_or_else(|| cut("persist directory"))?;
        let entries = stream.get(directory + 8..(directory + 8).saturating_add(length)).ok_or_else(|| cut("persist directory"))?;
        let mut objects: Vec<(u32, usize)> = Vec::new();
        let mut at = 0;
        while at < entries.len() {
            let head = u32_at(entries, at).ok_or_else(|| cut("persist directory"))?;
            let (first, count) = (head & 0x000F_FFFF, (head >> 20) as usize);
            for index in 0..count {
                let offset = u32_at(entries, at + 4 + index * 4).ok_or_else(|| cut("persist directory"))? as usize;
                let id = first + index as u32;
                if let Some(known) = objects.iter_mut().find(|(known, _)| *known == id) {
                    known.1 = offset;
                } else if objects.len() < MAX_PERSIST_OBJECTS {
                    objects.push((id, offset));
                } else {
                    return Err(cut("persist directory"));
                }
            }
            at += 4 + 4 * count;
        }
        let session_at = objects.iter().find(|(id, _)| *id == session).map(|&(_, at)| at).ok_or_else(|| cut("encryption session"))?;
        if record_type(stream, session_at) != Some(CRYPT_SESSION) {
            return Err(cut("encryption session"));
        }
        let session_length = record_length(stream, session_at).ok_or_else(|| cut("encryption session"))?;
        let header =
            stream.get(session_at + 8..(session_at + 8).saturating_add(session_length)).ok_or_else(|| cut("encryption session"))?;
        let scheme = rc4::scheme(header)?;
        if !matches!(scheme, Scheme::CryptoApi { .. }) {
            return Err("a presentation under RC4 without CryptoAPI is not decrypted".to_string());
        }
        Ok(Self { edit, directory, objects, scheme })
    }

    /// The `PowerPoint Document` stream decrypted; `None` when an object's extent is wrong.
    fn decrypt(&self, stream: &[u8], key: &rc4::Key) -> Option<Vec<u8>> {
        let mut plain = stream.to_vec();
        let edit_length = u32_at(stream, self.edit + 4)?.checked_sub(4)?;
        plain.get_mut(self.edit + 4..self.edit + 8)?.copy_from_slice(&edit_length.to_le_bytes());
        plain.get_mut(self.edit + 36..self.edit + 40)?.fill(0);
        let head = u32_at(stream, self.directory + 8)?;
        let count = (head >> 20).checked_sub(1)?;
        plain.get_mut(self.directory + 8..self.directory + 12)?.copy_from_slice(&((head & 0x000F_FFFF) | (count << 20)).to_le_bytes());
        for (index, &(id, offset)) in self.objects.iter().enumerate() {
            match record_type(stream, offset)? {
                CRYPT_SESSION => {
                    let end = offset.checked_add(8)?.checked_add(record_length(stream, offset)?)?;
                    plain.get_mut(offset..end)?.fill(0);
                }
                USER_EDIT_ATOM | PERSIST_DIRECTORY_ATOM => {}
                _ => {
                    // An object runs to the next one listed (its own length is encrypted).
                    let &(_, end) = self.objects.get(index + 1)?;
                    let object = plain.get_mut(offset..end)?;
                    object.copy_from_slice(stream.get(offset..end)?);
                    rc4::decrypt_whole(key, id, object)?;
                }
            }
        }
        Some(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, length: u32) -> Vec<u8> {
        let mut header = vec![0u8; 8];
        header[2..4].copy_from_slice(&kind.to_le_bytes());
        header[4..8].copy_from_slice(&length.to_le_bytes());
        header
    }

    #[test]
    fn a_presentation_that_is_not_encrypted_or_not_whole_says_why() {
        let mut user = vec![0u8; 40];
        user[12..16].copy_from_slice(&ENCRYPTED_TOKEN.to_le_bytes());
        assert!(presentation_is_encrypted(&user));
        assert!(!presentation_is_encrypted(&user[..14]));
        // The edit at 0 without the encryption session reference: not encrypted.
        let mut stream = record(USER_EDIT_ATOM, 0x1C);
        stream.resize(8 + 0x1C, 0);
        assert!(Layout::read(&user, &stream).err().unwrap().contains("not encrypted"));
        // An encrypted edit whose directory is not there.
        let mut stream = record(USER_EDIT_ATOM, ENCRYPTED_EDIT_LENGTH);
        stream.resize(8 + 0x20, 0);
        stream[20..24].copy_from_slice(&4096u32.to_le_bytes());
        assert!(Layout::read(&user, &stream).err().unwrap().contains("persist directory"));
        // A directory naming a session that is not a CryptSession10Container.
        stream[20..24].copy_from_slice(&40u32.to_le_bytes());
        stream.extend(record(PERSIST_DIRECTORY_ATOM, 8));
        stream.extend((1u32 | (1 << 20)).to_le_bytes());
        stream.extend(0u32.to_le_bytes());
        stream[36..40].copy_from_slice(&1u32.to_le_bytes());
        assert!(Layout::read(&user, &stream).err().unwrap().contains("encryption session"));
        // Nothing at all, and a Current User cut short.
        assert!(Layout::read(&[], &[]).is_err());
        assert!(Layout::read(&user[..10], &stream).is_err());
    }
}
