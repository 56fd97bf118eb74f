//! Decrypting encrypted Office documents (MS-OFFCRYPTO) with Office's default password and the
//! user's list. An OOXML package is wrapped in a compound file with an `EncryptionInfo` stream
//! (how) and an `EncryptedPackage` stream (what): Agile encryption (Office 2010 and later) and
//! Standard encryption (Office 2007) are decrypted, Extensible encryption is reported. A binary
//! Excel workbook encrypts its `Workbook` stream in place: RC4 and RC4 CryptoAPI are decrypted
//! (`workbook.rs`), XOR obfuscation is reported. A binary Word document encrypts its
//! `WordDocument`, table and `Data` streams in place: RC4 and RC4 CryptoAPI are decrypted
//! (`word.rs`); so are PowerPoint 97 to 2003 presentations under RC4 CryptoAPI, object by object
//! (`presentation.rs`).
mod aes_modes;
mod agile;
mod in_place;
mod presentation;
mod rc4;
mod standard;
mod word;
mod workbook;

use crate::bytes::u16_at;

pub use presentation::{decrypt_presentation_document, presentation_is_encrypted, CURRENT_USER_STREAM, PRESENTATION_STREAM};
pub use word::{decrypt_word_document, word_is_encrypted, WORD_STREAM};
pub use workbook::{decrypt_workbook, decrypt_workbook_document, workbook_is_encrypted, WORKBOOK_STREAM};

/// The password Office uses when a document is encrypted without one being asked (a workbook
/// protected "read-only"): malware uses it to hide macros from scanners.
pub const OFFICE_DEFAULT_PASSWORD: &str = "VelvetSweatshop";
/// Most hash iterations an Agile descriptor may ask for to derive a password's key. Office
/// writes 100,000; the format allows 10,000,000, which would make each password tried cost
/// seconds, so a file asking for more is reported, not decrypted.
pub const MAX_SPIN_COUNT: u32 = 1_000_000;

/// What decrypting a package gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decryption {
    /// Decrypted with this password.
    Decrypted {
        /// The password that opened it.
        password: String,
        /// The decrypted bytes: an OOXML package (a ZIP when it is whole), or a workbook stream.
        plain: Vec<u8>,
    },
    /// No password tried is the document's.
    NoPassword,
    /// Not decrypted, and why: a scheme FCAS does not decrypt, a damaged descriptor or package,
    /// a limit.
    NotDecrypted(String),
}

/// Decrypts the package of an encrypted Office document from its `EncryptionInfo` (`info`) and
/// `EncryptedPackage` (`package`) streams, trying Office's default password, then
/// `passwords`. A package declaring more than `max_size` bytes is not decrypted.
pub fn decrypt_package<'p>(info: &[u8], package: &[u8], passwords: impl IntoIterator<Item = &'p str>, max_size: u64) -> Decryption {
    enum Scheme {
        Agile(agile::Descriptor),
        Standard(standard::Descriptor),
    }
    let read = match (u16_at(info, 0), u16_at(info, 2)) {
        (Some(4), Some(4)) => agile::Descriptor::read(info, MAX_SPIN_COUNT).map(Scheme::Agile),
        (Some(2..=4), Some(2)) => standard::Descriptor::read(info).map(Scheme::Standard),
        (Some(3 | 4), Some(3)) => Err("Extensible encryption is detected, not decrypted (its key comes from another provider)".to_string()),
        _ => Err("this encryption is detected, not decrypted (its version is unknown)".to_string()),
    };
    let scheme = match read {
        Ok(scheme) => scheme,
        Err(error) => return Decryption::NotDecrypted(error),
    };
    let Some(declared) = package.get(..8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes) else {
        return Decryption::NotDecrypted("the encrypted package is cut short".to_string());
    };
    let encrypted = package.get(8..).unwrap_or_default();
    if declared > max_size {
        return Decryption::NotDecrypted(format!("the package declares {declared} bytes, over the limit of {max_size}"));
    }
    let Some(size) = usize::try_from(declared).ok().filter(|size| *size <= encrypted.len()) else {
        return Decryption::NotDecrypted(format!("the package declares {declared} bytes but holds {}", encrypted.len()));
    };
    let decrypted = match &scheme {
        Scheme::Agile(descriptor) => try_passwords(passwords, |password| descriptor.secret_key(password))
            .map(|(password, secret)| (password, descriptor.decrypt(&secret, encrypted, size))),
        Scheme::Standard(descriptor) => try_passwords(passwords, |password| descriptor.key(password))
            .map(|(password, key)| (password, standard::Descriptor::decrypt(&key, encrypted, size))),
    };
    match decrypted {
        Some((password, Some(plain))) => Decryption::Decrypted { password, plain },
        Some((_, None)) => Decryption::NotDecrypted("the encrypted package is damaged".to_string()),
        None => Decryption::NoPassword,
    }
}

/// The first password that gives a key, Office's default password first, each tried once.
fn try_passwords<'p, K>(passwords: impl IntoIterator<Item = &'p str>, mut key: impl FnMut(&str) -> Option<K>) -> Option<(String, K)> {
    let mut tried = Vec::new();
    for password in std::iter::once(OFFICE_DEFAULT_PASSWORD).chain(passwords) {
        if tried.contains(&password) {
            continue;
        }
        tried.push(password);
        if let Some(found) = key(password) {
            return Some((password.to_string(), found));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_DATA: &str = r#"<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAECAwQFBgcICQoLDA0ODw=="/>"#;

    /// An Agile `EncryptionInfo` whose password key encryptor has `spins` and `cipher`.
    fn info(spins: &str, cipher: &str) -> Vec<u8> {
        let key = format!(
            r#"<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><p:encryptedKey spinCount="{spins}" saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="{cipher}" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAECAwQFBgcICQoLDA0ODw==" encryptedVerifierHashInput="AAECAwQFBgcICQoLDA0ODw==" encryptedVerifierHashValue="AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8=" encryptedKeyValue="AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8="/></keyEncryptor></keyEncryptors>"#
        );
        let mut bytes = vec![4, 0, 4, 0, 0x40, 0, 0, 0];
        bytes.extend(format!(r#"<?xml version="1.0"?><encryption>{KEY_DATA}{key}</encryption>"#).into_bytes());
        bytes
    }

    fn package(size: u64, blocks: usize) -> Vec<u8> {
        let mut bytes = size.to_le_bytes().to_vec();
        bytes.resize(8 + blocks * 16, 0x5a);
        bytes
    }

    fn not_decrypted(decryption: Decryption) -> String {
        match decryption {
            Decryption::NotDecrypted(why) => why,
            other => panic!("decrypted or refused: {other:?}"),
        }
    }

    #[test]
    fn other_schemes_and_damaged_descriptors_say_why_they_are_not_decrypted() {
        let standard = not_decrypted(decrypt_package(&[3, 0, 2, 0, 0, 0, 0, 0], &package(16, 1), [], 1 << 20));
        assert!(standard.contains("cut short"), "{standard}");
        let extensible = not_decrypted(decrypt_package(&[4, 0, 3, 0, 0, 0, 0, 0], &package(16, 1), [], 1 << 20));
        assert!(extensible.starts_with("Extensible encryption"), "{extensible}");
        assert!(not_decrypted(decrypt_package(&[], &package(16, 1), [], 1 << 20)).contains("not decrypted"));
        let costly = not_decrypted(decrypt_package(&info("10000000", "AES"), &package(16, 1), [], 1 << 20));
        assert!(costly.contains("over the limit of 1000000"), "{costly}");
        let des = not_decrypted(decrypt_package(&info("100000", "DES"), &package(16, 1), [], 1 << 20));
        assert!(des.contains("only AES"), "{des}");
        let garbage = not_decrypted(decrypt_package(&info("many", "AES"), &package(16, 1), [], 1 << 20));
        assert!(garbage.contains("spinCount"), "{garbage}");
        let mut certificate_only = vec![4, 0, 4, 0, 0x40, 0, 0, 0];
        certificate_only.extend(format!("<encryption>{KEY_DATA}</encryption>").into_bytes());
        assert!(not_decrypted(decrypt_package(&certificate_only, &package(16, 1), [], 1 << 20)).contains("not encrypted with a password"));
    }

    #[test]
    fn a_package_that_lies_about_its_size_is_refused_before_any_key_is_derived() {
        let descriptor = info("1", "AES");
        assert!(not_decrypted(decrypt_package(&descriptor, &[1, 2, 3], [], 1 << 20)).contains("cut short"));
        assert!(not_decrypted(decrypt_package(&descriptor, &package(u64::MAX, 1), [], u64::MAX)).contains("holds 16"));
        assert!(not_decrypted(decrypt_package(&descriptor, &package(1 << 30, 1), [], 1 << 20)).contains("over the limit"));
        // Well formed, but no password is this made-up document's: refused, nothing decrypted.
        assert_eq!(decrypt_package(&descriptor, &package(16, 1), ["infected", "malware"], 1 << 20), Decryption::NoPassword);
    }
}
