//! The RC4 keys of binary Office documents (MS-OFFCRYPTO 2.3.6 and 2.3.5): Office 97 to 2000's
//! RC4, keyed by MD5, and Office 2002 and later's RC4 CryptoAPI, keyed by SHA-1. Both re-key the
//! cipher for every block of the stream, from the password's hash and the block's number.
use md5::Md5;
use rc4::{KeyInit, Rc4, StreamCipher};
use sha1::{Digest, Sha1};

use crate::bytes::{u16_at, u32_at};

/// How a document's password becomes its RC4 keys, with the verifier that checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Scheme {
    /// RC4 with MD5 (encryption version 1.1): 16-byte salt, verifier and MD5 of the verifier.
    Md5 { salt: Vec<u8>, verifier: Vec<u8>, verifier_hash: Vec<u8> },
    /// RC4 CryptoAPI (versions 2.2 to 4.2): a key of `key_bits` (40 to 128), SHA-1 of the verifier.
    CryptoApi { salt: Vec<u8>, key_bits: u32, verifier: Vec<u8>, verifier_hash: Vec<u8> },
}

/// A checked password's key material: each block's key is derived from it.
#[derive(Debug, Clone)]
pub(super) struct Key {
    base: Vec<u8>,
    /// Bytes of each block's key taken from its hash; a 40-bit key is then padded to 128 bits.
    key_bits: Option<u32>,
}

impl Scheme {
    /// The key material when `password` is the document's, checked by the verifier.
    pub(super) fn key(&self, password: &str) -> Option<Key> {
        let utf16: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (key, verifier, verifier_hash) = match self {
            Self::Md5 { salt, verifier, verifier_hash } => {
                let truncated = Md5::digest(&utf16);
                // 2.3.6.2: the password hash's first 5 bytes and the salt, 16 times over.
                let mut buffer = Vec::with_capacity(16 * (5 + salt.len()));
                for _ in 0..16 {
                    buffer.extend_from_slice(&truncated[..5]);
                    buffer.extend_from_slice(salt);
                }
                (Key { base: Md5::digest(&buffer)[..5].to_vec(), key_bits: None }, verifier, verifier_hash)
            }
            Self::CryptoApi { salt, key_bits, verifier, verifier_hash } => {
                let base = Sha1::new().chain_update(salt).chain_update(&utf16).finalize().to_vec();
                (Key { base, key_bits: Some(*key_bits) }, verifier, verifier_hash)
            }
        };
        // The verifier and its hash are encrypted one after the other with block 0's key.
        let mut cipher = key.cipher(0)?;
        let mut plain = verifier.clone();
        cipher.apply_keystream(&mut plain);
        let mut expected = verifier_hash.clone();
        cipher.apply_keystream(&mut expected);
        let computed = match self {
            Self::Md5 { .. } => Md5::digest(&plain).to_vec(),
            Self::CryptoApi { .. } => Sha1::digest(&plain).to_vec(),
        };
        (expected.get(..computed.len()) == Some(&computed[..])).then_some(key)
    }
}

impl Key {
    /// The cipher of block `block` (2.3.6.2 and 2.3.5.2).
    pub(super) fn cipher(&self, block: u32) -> Option<Rc4> {
        let key = match self.key_bits {
            None => Md5::new().chain_update(&self.base).chain_update(block.to_le_bytes()).finalize()[..16].to_vec(),
            Some(bits) => {
                let hash = Sha1::new().chain_update(&self.base).chain_update(block.to_le_bytes()).finalize();
                match bits {
                    // 40-bit keys are used as 128-bit keys ending in zeros.
                    40 => [&hash[..5], &[0u8; 11][..]].concat(),
                    _ => hash.get(..usize::try_from(bits / 8).ok()?)?.to_vec(),
                }
            }
        };
        Rc4::new_from_slice(&key).ok()
    }
}

/// The scheme of an RC4 encryption header (2.3.6.1 and 2.3.5.1): its version, then the salt
/// and verifier (RC4, version 1.1), or flags, a CryptoAPI header and a verifier (RC4 CryptoAPI,
/// versions 2.2 to 4.2). A workbook's `FilePass` record and a Word document's table stream start
/// with it.
pub(super) fn scheme(info: &[u8]) -> Result<Scheme, String> {
    let cut = || "the encryption header is cut short".to_string();
    let field = |at: usize, len: usize| info.get(at..at + len).map(<[u8]>::to_vec).ok_or_else(cut);
    match (u16_at(info, 0), u16_at(info, 2)) {
        (Some(1), Some(1)) => Ok(Scheme::Md5 { salt: field(4, 16)?, verifier: field(20, 16)?, verifier_hash: field(36, 16)? }),
        (Some(2..=4), Some(2)) => {
            // Version, flags, the header's size and the header; then the verifier.
            let header_size = usize::try_from(u32_at(info, 8).ok_or_else(cut)?).map_err(|_| cut())?;
            let header = info.get(12..12usize.checked_add(header_size).ok_or_else(cut)?).ok_or_else(cut)?;
            let algorithm = u32_at(header, 8).ok_or_else(cut)?;
            if algorithm != 0x6801 && algorithm != 0 {
                return Err(format!("CryptoAPI encryption with algorithm {algorithm:#x} is not decrypted (only RC4 is)"));
            }
            let key_bits = match u32_at(header, 16).ok_or_else(cut)? {
                0 => 40,
                bits @ 40..=128 if bits % 8 == 0 => bits,
                bits => return Err(format!("an RC4 key of {bits} bits is not decrypted")),
            };
            let verifier = 12 + header_size;
            if u32_at(info, verifier) != Some(16) {
                return Err("the verifier's salt is not 16 bytes".to_string());
            }
            Ok(Scheme::CryptoApi {
                salt: field(verifier + 4, 16)?,
                key_bits,
                verifier: field(verifier + 20, 16)?,
                verifier_hash: field(verifier + 40, 20)?,
            })
        }
        (Some(major), Some(minor)) => Err(format!("encryption version {major}.{minor} is not decrypted")),
        _ => Err(cut()),
    }
}

/// Decrypts `data` in place under the key of block `block` alone, from the start of its
/// keystream (a PowerPoint persist object, keyed by its persist identifier).
pub(super) fn decrypt_whole(key: &Key, block: u32, data: &mut [u8]) -> Option<()> {
    key.cipher(block)?.apply_keystream(data);
    Some(())
}

/// Decrypts, in place, the bytes of `data` that `encrypted` marks, where `data` starts at
/// offset 0 of a stream encrypted in blocks of `block_size` bytes, each under its own key.
pub(super) fn decrypt_ranges(key: &Key, block_size: usize, data: &mut [u8], encrypted: &[std::ops::Range<usize>]) -> Option<()> {
    let mut keystream = vec![0u8; block_size];
    let mut loaded = None;
    for range in encrypted {
        for position in range.clone() {
            let block = position / block_size;
            if loaded != Some(block) {
                keystream.fill(0);
                key.cipher(u32::try_from(block).ok()?)?.apply_keystream(&mut keystream);
                loaded = Some(block);
            }
            *data.get_mut(position)? ^= keystream[position % block_size];
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytes::hex;

    #[test]
    fn rc4_with_md5_checks_a_known_verifier() {
        // MS-OFFCRYPTO's RC4 key derivation with the password "password1", as msoffcrypto-tool's
        // own doctests give it (salt, encrypted verifier and hash, and block 0's key).
        let scheme = Scheme::Md5 {
            salt: hex("e8772c1d91c56a37964761b280183217"),
            verifier: hex("c9e997d454973d310bb1ba701426837e"),
            verifier_hash: hex("b1de178f07e989c44dae5e4cf96ac407"),
        };
        let key = scheme.key("password1").expect("the password's verifier holds");
        let block0 = Md5::new().chain_update(&key.base).chain_update(0u32.to_le_bytes()).finalize();
        assert_eq!(block0[..16], hex("20bf32ddf540858c513744af0f24e03c")[..]);
        assert!(scheme.key("password2").is_none());
    }

    #[test]
    fn forty_bit_cryptoapi_keys_are_padded_and_blocks_are_rekeyed() {
        let key = Key { base: vec![1; 20], key_bits: Some(40) };
        let mut first = [0u8; 8];
        key.cipher(0).unwrap().apply_keystream(&mut first);
        let mut again = [0u8; 8];
        key.cipher(0).unwrap().apply_keystream(&mut again);
        let mut second = [0u8; 8];
        key.cipher(1).unwrap().apply_keystream(&mut second);
        assert_eq!(first, again);
        assert_ne!(first, second);
        // Ranges across blocks decrypt as whole blocks would, and decrypting twice restores.
        let plain: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        let mut data = plain.clone();
        let ranges = [3..1500, 2000..2999];
        decrypt_ranges(&key, 1024, &mut data, &ranges).unwrap();
        assert_eq!(data[..3], plain[..3]);
        assert_ne!(data[3..1500], plain[3..1500]);
        assert_eq!(data[1500..2000], plain[1500..2000]);
        decrypt_ranges(&key, 1024, &mut data, &ranges).unwrap();
        assert_eq!(data, plain);
        let past_the_end = std::ops::Range { start: 2990, end: 3001 };
        assert!(decrypt_ranges(&key, 1024, &mut data, &[past_the_end]).is_none());
    }
}
