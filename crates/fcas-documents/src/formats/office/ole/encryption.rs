//! Encryption of OLE Office documents (MS-OFFCRYPTO): the `EncryptionInfo` stream of an
//! encrypted OOXML package, Word's FIB flags and PowerPoint's CryptSession10Container. Excel's
//! FILEPASS record is read with the rest of the workbook (`xlm`).
use super::storage::Streams;
use crate::bytes::u16_at;

/// FIB `fEncrypted` and `fObfuscated` bits of the flags word at offset 0x0A (MS-DOC 2.5.2).
const FIB_ENCRYPTED: u16 = 0x0100;
const FIB_OBFUSCATED: u16 = 0x8000;
const FIB_TABLE_ONE: u16 = 0x0200;
/// Record header of a CryptSession10Container (MS-PPT 2.3.7): version 0xF, type 0x2F14.
const CRYPT_SESSION: [u8; 4] = [0x0F, 0x00, 0x14, 0x2F];

/// The encryption scheme of an OLE Office document, when it is encrypted.
pub(super) fn scheme(streams: &Streams) -> Option<String> {
    if let Some(info) = streams.get("EncryptionInfo") {
        return Some(encryption_info(info).to_string());
    }
    if let Some(word) = streams.get("WordDocument") {
        return word_scheme(word, streams).map(str::to_string);
    }
    let powerpoint = streams.get("PowerPoint Document")?;
    // The Current User stream's header token says it (a decrypted copy keeps its
    // EncryptedSummary stream); without that stream, the encryption session's record does.
    let encrypted = match streams.get("Current User") {
        Some(user) => crate::formats::office::decrypt::presentation_is_encrypted(user),
        None => streams.get("EncryptedSummary").is_some() || memchr::memmem::find(powerpoint, &CRYPT_SESSION).is_some(),
    };
    encrypted.then(|| "rc4-cryptoapi".to_string())
}

/// The scheme an `EncryptionInfo` stream's version names (MS-OFFCRYPTO 2.3.4.5, 2.3.4.10).
fn encryption_info(info: &[u8]) -> &'static str {
    match (u16_at(info, 0), u16_at(info, 2)) {
        (Some(4), Some(4)) => "agile",
        (Some(2..=4), Some(2)) => "standard",
        (Some(3 | 4), Some(3)) => "extensible",
        _ => "unknown",
    }
}

fn word_scheme(word: &[u8], streams: &Streams) -> Option<&'static str> {
    let flags = u16_at(word, 0x0A)?;
    if flags & FIB_ENCRYPTED == 0 {
        return None;
    }
    if flags & FIB_OBFUSCATED != 0 {
        return Some("xor");
    }
    let table = streams.get(if flags & FIB_TABLE_ONE != 0 { "1Table" } else { "0Table" });
    Some(match table.and_then(|table| u16_at(table, 0).zip(u16_at(table, 2))) {
        Some((1, 1)) => "rc4",
        Some((2..=4, 2)) => "rc4-cryptoapi",
        _ => "unknown",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::office::ole::storage::Stream;

    fn streams(list: &[(&str, &[u8])]) -> Streams {
        Streams {
            streams: list.iter().map(|(path, bytes)| Stream { path: (*path).to_string(), bytes: bytes.to_vec() }).collect(),
            truncated: false,
            errors: Vec::new(),
        }
    }

    #[test]
    fn schemes_by_version_and_flags() {
        assert_eq!(scheme(&streams(&[("EncryptionInfo", &[4, 0, 4, 0, 0x40, 0])])).as_deref(), Some("agile"));
        assert_eq!(scheme(&streams(&[("EncryptionInfo", &[3, 0, 2, 0])])).as_deref(), Some("standard"));
        let mut fib = vec![0u8; 12];
        fib[0x0B] = 0x03;
        assert_eq!(scheme(&streams(&[("WordDocument", &fib), ("1Table", &[4, 0, 2, 0])])).as_deref(), Some("rc4-cryptoapi"));
        assert_eq!(scheme(&streams(&[("WordDocument", &[0u8; 12])])), None);
        assert_eq!(scheme(&streams(&[("WordDocument", &[1])])), None);
    }
}
