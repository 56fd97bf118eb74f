//! Decrypting an encrypted OOXML package (MS-OFFCRYPTO): Office wraps it in a compound file
//! with an `EncryptionInfo` stream (how) and an `EncryptedPackage` stream (what). Agile
//! encryption, what Office 2010 and later write, is decrypted with Office's default password
//! and the user's list; Standard and Extensible encryption and the RC4 schemes of binary
//! documents are detected (`ole/encryption.rs`) and reported, not decrypted.
mod agile;
mod cbc;

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
    /// The package, decrypted with this password.
    Decrypted {
        /// The password that opened it.
        password: String,
        /// The decrypted package (an OOXML ZIP when it is whole).
        package: Vec<u8>,
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
    let version = (u16_at(info, 0), u16_at(info, 2));
    if version != (Some(4), Some(4)) {
        let scheme = match version {
            (Some(2..=4), Some(2)) => "Standard",
            (Some(3 | 4), Some(3)) => "Extensible",
            _ => "this",
        };
        return Decryption::NotDecrypted(format!("{scheme} encryption is detected, not decrypted (FCAS decrypts Agile encryption)"));
    }
    let descriptor = match agile::Descriptor::read(info, MAX_SPIN_COUNT) {
        Ok(descriptor) => descriptor,
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
    let mut tried = Vec::new();
    for password in std::iter::once(OFFICE_DEFAULT_PASSWORD).chain(passwords) {
        if tried.contains(&password) {
            continue;
        }
        tried.push(password);
        if let Some(secret) = descriptor.secret_key(password) {
            return match descriptor.decrypt(&secret, encrypted, size) {
                Some(package) => Decryption::Decrypted { password: password.to_string(), package },
                None => Decryption::NotDecrypted("the encrypted package is damaged".to_string()),
            };
        }
    }
    Decryption::NoPassword
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at.checked_add(2)?)?.try_into().ok()?))
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
        assert!(standard.starts_with("Standard encryption"), "{standard}");
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
