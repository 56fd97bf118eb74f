//! Standard encryption (MS-OFFCRYPTO 2.3.4.5 to 2.3.4.9), what Office 2007 writes: a binary
//! descriptor in `EncryptionInfo`, the key derived by 50,000 SHA-1 iterations, the package
//! in AES-ECB.
use sha1::{Digest, Sha1};

use super::aes_modes;
use crate::bytes::u32_at;

/// Hash iterations of the key derivation (fixed by the format).
const SPIN_COUNT: u32 = 50_000;
/// `EncryptionHeader.Flags`: encrypted with CryptoAPI, by an external (Extensible) provider,
/// with AES.
const F_CRYPTOAPI: u32 = 0x04;
const F_EXTERNAL: u32 = 0x10;
const F_AES: u32 = 0x20;
/// Algorithm ids (`AlgID`): AES with a 128-, 192- or 256-bit key; SHA-1 (`AlgIDHash`).
const CALG_AES: [u32; 3] = [0x660E, 0x660F, 0x6610];
const CALG_SHA1: u32 = 0x8004;
/// The verifier's salt, the verifier itself, and its SHA-1 padded to two AES blocks.
const SALT: usize = 16;
const VERIFIER: usize = 16;
const VERIFIER_HASH: usize = 32;
const SHA1_SIZE: usize = 20;

/// What a Standard `EncryptionInfo` describes.
#[derive(Debug, Clone)]
pub(super) struct Descriptor {
    key_bytes: usize,
    salt: Vec<u8>,
    verifier: Vec<u8>,
    verifier_hash: Vec<u8>,
}

impl Descriptor {
    /// Reads the version, header and verifier; `Err` says what is missing or not supported.
    pub(super) fn read(info: &[u8]) -> Result<Self, String> {
        let cut = || "the encryption descriptor is cut short".to_string();
        let flags = u32_at(info, 4).ok_or_else(cut)?;
        if flags & F_EXTERNAL != 0 {
            return Err("Extensible encryption is detected, not decrypted (its key comes from another provider)".to_string());
        }
        let header_size = usize::try_from(u32_at(info, 8).ok_or_else(cut)?).map_err(|_| cut())?;
        let header = info.get(12..12usize.checked_add(header_size).ok_or_else(cut)?).ok_or_else(cut)?;
        let (algorithm, hash, key_bits) =
            (u32_at(header, 8).ok_or_else(cut)?, u32_at(header, 12).ok_or_else(cut)?, u32_at(header, 16).ok_or_else(cut)?);
        if flags & (F_CRYPTOAPI | F_AES) != F_CRYPTOAPI | F_AES || !CALG_AES.contains(&algorithm) {
            return Err(format!("Standard encryption with algorithm {algorithm:#x} is not decrypted (only AES is)"));
        }
        if hash != CALG_SHA1 && hash != 0 {
            return Err(format!("Standard encryption with hash {hash:#x} is not decrypted (only SHA-1 is)"));
        }
        if !matches!(key_bits, 128 | 192 | 256) {
            return Err(format!("AES with a {key_bits}-bit key is not AES"));
        }
        let verifier = &info[12 + header_size..];
        if u32_at(verifier, 0) != Some(SALT as u32) {
            return Err("the verifier's salt is not 16 bytes".to_string());
        }
        let field = |at: usize, len: usize| verifier.get(at..at + len).map(<[u8]>::to_vec).ok_or_else(cut);
        Ok(Self {
            key_bytes: key_bits as usize / 8,
            salt: field(4, SALT)?,
            verifier: field(4 + SALT, VERIFIER)?,
            // After the verifier, the hash's size (20), then the hash encrypted in two blocks.
            verifier_hash: field(4 + SALT + VERIFIER + 4, VERIFIER_HASH)?,
        })
    }

    /// The package's key when `password` is the document's, checked by the verifier.
    pub(super) fn key(&self, password: &str) -> Option<Vec<u8>> {
        let utf16: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut hash = Sha1::new().chain_update(&self.salt).chain_update(&utf16).finalize();
        for iterator in 0..SPIN_COUNT {
            hash = Sha1::new().chain_update(iterator.to_le_bytes()).chain_update(hash).finalize();
        }
        let final_hash = Sha1::new().chain_update(hash).chain_update(0u32.to_le_bytes()).finalize();
        // 2.3.4.7: two SHA-1s of 64-byte buffers of 0x36 and 0x5C XORed with the hash, joined.
        let padded = |fill: u8| {
            let mut buffer = [fill; 64];
            buffer.iter_mut().zip(final_hash.iter()).for_each(|(byte, hashed)| *byte ^= hashed);
            Sha1::digest(buffer)
        };
        let mut key = padded(0x36).to_vec();
        key.extend_from_slice(&padded(0x5c));
        key.truncate(self.key_bytes);
        let verifier = aes_modes::ecb_decrypt(&key, &self.verifier)?;
        let expected = aes_modes::ecb_decrypt(&key, &self.verifier_hash)?;
        (Sha1::digest(&verifier)[..] == expected[..SHA1_SIZE]).then_some(key)
    }

    /// Decrypts `encrypted` (the package after its 8-byte size) and cuts it to `size`; `None`
    /// when it holds fewer bytes.
    pub(super) fn decrypt(key: &[u8], encrypted: &[u8], size: usize) -> Option<Vec<u8>> {
        // Only the blocks that hold the package's bytes are decrypted.
        let blocks = size.div_ceil(aes_modes::BLOCK) * aes_modes::BLOCK;
        let mut plain = aes_modes::ecb_decrypt(key, encrypted.get(..blocks)?)?;
        plain.truncate(size);
        Some(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Standard `EncryptionInfo` with `flags`, `algorithm` and `key_bits`.
    fn info(flags: u32, algorithm: u32, key_bits: u32) -> Vec<u8> {
        let mut bytes = vec![4, 0, 2, 0];
        bytes.extend(flags.to_le_bytes());
        let mut header = Vec::new();
        for field in [flags, 0, algorithm, CALG_SHA1, key_bits, 0x18, 0, 0] {
            header.extend(field.to_le_bytes());
        }
        bytes.extend((header.len() as u32).to_le_bytes());
        bytes.extend(header);
        bytes.extend((SALT as u32).to_le_bytes());
        bytes.extend([7; SALT + VERIFIER]);
        bytes.extend((SHA1_SIZE as u32).to_le_bytes());
        bytes.extend([9; VERIFIER_HASH]);
        bytes
    }

    #[test]
    fn descriptors_other_than_aes_with_sha1_say_why() {
        let aes = Descriptor::read(&info(F_CRYPTOAPI | F_AES, 0x660E, 128)).unwrap();
        assert_eq!((aes.key_bytes, &aes.salt[..], aes.verifier_hash.len()), (16, &[7u8; 16][..], 32));
        // A made-up verifier: no password is the document's.
        assert!(aes.key("infected").is_none());
        let rc4 = Descriptor::read(&info(F_CRYPTOAPI, 0x6801, 128)).unwrap_err();
        assert!(rc4.contains("only AES"), "{rc4}");
        let external = Descriptor::read(&info(F_CRYPTOAPI | F_AES | F_EXTERNAL, 0x660E, 128)).unwrap_err();
        assert!(external.starts_with("Extensible"), "{external}");
        assert!(Descriptor::read(&info(F_CRYPTOAPI | F_AES, 0x660E, 100)).unwrap_err().contains("100-bit"));
        let whole = info(F_CRYPTOAPI | F_AES, 0x660E, 128);
        for cut in [0, 6, 10, 30, whole.len() - 1] {
            assert!(Descriptor::read(&whole[..cut]).is_err(), "cut at {cut}");
        }
        let mut huge_header = whole.clone();
        huge_header[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Descriptor::read(&huge_header).is_err());
    }
}
