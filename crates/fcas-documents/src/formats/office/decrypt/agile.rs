//! Agile encryption (MS-OFFCRYPTO 2.3.4.10 to 2.3.4.15), what Office 2010 and later write: the
//! XML descriptor of `EncryptionInfo`, the password's key derived by iterated hashing, checked
//! by the verifier, then the package decrypted in 4,096-byte segments.
use base64::Engine;
use sha1::Sha1;
use sha2::digest::Digest;
use sha2::{Sha256, Sha384, Sha512};

use super::aes_modes;
use crate::formats::office::xml::{self, Node};

/// The block keys of the password key encryptor (2.3.4.13).
const VERIFIER_INPUT_BLOCK: [u8; 8] = [0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79];
const VERIFIER_HASH_BLOCK: [u8; 8] = [0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e];
const KEY_VALUE_BLOCK: [u8; 8] = [0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6];
/// Bytes of the package decrypted with one IV (2.3.4.15).
const SEGMENT: usize = 4096;

/// The hash algorithms a descriptor may name that FCAS computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn named(name: &str) -> Option<Self> {
        match name {
            "SHA1" | "SHA-1" => Some(Self::Sha1),
            "SHA256" | "SHA-256" => Some(Self::Sha256),
            "SHA384" | "SHA-384" => Some(Self::Sha384),
            "SHA512" | "SHA-512" => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The hash of `parts` joined.
    fn of(self, parts: &[&[u8]]) -> Vec<u8> {
        fn with<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut digest = D::new();
            parts.iter().for_each(|part| digest.update(part));
            digest.finalize().to_vec()
        }
        match self {
            Self::Sha1 => with::<Sha1>(parts),
            Self::Sha256 => with::<Sha256>(parts),
            Self::Sha384 => with::<Sha384>(parts),
            Self::Sha512 => with::<Sha512>(parts),
        }
    }

    /// H(salt + password), then `spins` times H(iterator + previous) (2.3.4.11).
    fn spun(self, salt: &[u8], password: &[u8], spins: u32) -> Vec<u8> {
        fn with<D: Digest>(salt: &[u8], password: &[u8], spins: u32) -> Vec<u8> {
            let mut hash = D::new().chain_update(salt).chain_update(password).finalize();
            for iterator in 0..spins {
                hash = D::new().chain_update(iterator.to_le_bytes()).chain_update(&hash).finalize();
            }
            hash.to_vec()
        }
        match self {
            Self::Sha1 => with::<Sha1>(salt, password, spins),
            Self::Sha256 => with::<Sha256>(salt, password, spins),
            Self::Sha384 => with::<Sha384>(salt, password, spins),
            Self::Sha512 => with::<Sha512>(salt, password, spins),
        }
    }
}

/// One `keyData` or password `encryptedKey` element's cipher parameters.
#[derive(Debug, Clone)]
struct Params {
    salt: Vec<u8>,
    block_size: usize,
    key_bytes: usize,
    hash_size: usize,
    hash: Hash,
}

/// The password key encryptor: its parameters and the values it encrypts.
#[derive(Debug, Clone)]
struct PasswordKey {
    params: Params,
    spin_count: u32,
    verifier_input: Vec<u8>,
    verifier_hash: Vec<u8>,
    key_value: Vec<u8>,
}

/// What an Agile `EncryptionInfo` describes.
#[derive(Debug, Clone)]
pub(super) struct Descriptor {
    key_data: Params,
    password: PasswordKey,
}

impl Descriptor {
    /// Reads the XML descriptor after the 8-byte version and reserved fields; `Err` says what
    /// is missing or not supported. Spin counts above `max_spin_count` are refused.
    pub(super) fn read(info: &[u8], max_spin_count: u32) -> Result<Self, String> {
        let xml_text = info.get(8..).ok_or("the encryption descriptor is cut short")?;
        let (mut key_data, mut password) = (None, None);
        let mut problem = None;
        xml::walk(xml_text, |node| {
            let Node::Open { name, attributes, .. } = node else { return };
            let read = |name: &str| xml::attribute(&attributes, name).map(str::to_string);
            let found = match name.as_str() {
                "keyData" if key_data.is_none() => params(&read).map(|p| key_data = Some(p)),
                // The certificate key encryptor has the same element name and no spin count.
                "encryptedKey" if password.is_none() && read("spinCount").is_some() => {
                    password_key(&read, max_spin_count).map(|p| password = Some(p))
                }
                _ => Ok(()),
            };
            if let Err(error) = found {
                problem.get_or_insert(error);
            }
        })?;
        if let Some(problem) = problem {
            return Err(problem);
        }
        let key_data = key_data.ok_or("the encryption descriptor has no keyData")?;
        let password = password.ok_or("the document is not encrypted with a password (no password key encryptor)")?;
        Ok(Self { key_data, password })
    }

    /// The package's secret key when `password` is the document's, checked by the verifier.
    pub(super) fn secret_key(&self, password: &str) -> Option<Vec<u8>> {
        let key = &self.password;
        let utf16: Vec<u8> = password.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let spun = key.params.hash.spun(&key.params.salt, &utf16, key.spin_count);
        let derive = |block: &[u8]| fitted(key.params.hash.of(&[&spun, block]), key.params.key_bytes, 0x36);
        let iv = fitted(key.params.salt.clone(), key.params.block_size, 0x36);
        let input = aes_modes::cbc_decrypt(&derive(&VERIFIER_INPUT_BLOCK), &iv, &key.verifier_input)?;
        let expected = aes_modes::cbc_decrypt(&derive(&VERIFIER_HASH_BLOCK), &iv, &key.verifier_hash)?;
        let input = input.get(..key.params.salt.len())?;
        let computed = key.params.hash.of(&[input]);
        if expected.get(..key.params.hash_size)? != computed.get(..key.params.hash_size)? {
            return None;
        }
        let secret = aes_modes::cbc_decrypt(&derive(&KEY_VALUE_BLOCK), &iv, &key.key_value)?;
        secret.get(..self.key_data.key_bytes).map(<[u8]>::to_vec)
    }

    /// Decrypts `encrypted` (the package after its 8-byte size) with the secret key, segment
    /// by segment, and cuts it to `size`; `None` when it holds fewer bytes.
    pub(super) fn decrypt(&self, secret: &[u8], encrypted: &[u8], size: usize) -> Option<Vec<u8>> {
        let data = &self.key_data;
        let mut plain = Vec::with_capacity(size.min(encrypted.len()));
        for (index, segment) in encrypted.chunks(SEGMENT).enumerate() {
            if plain.len() >= size {
                break;
            }
            let index = u32::try_from(index).ok()?;
            let iv = fitted(data.hash.of(&[&data.salt, &index.to_le_bytes()]), data.block_size, 0x36);
            plain.extend(aes_modes::cbc_decrypt(secret, &iv, segment)?);
        }
        (plain.len() >= size).then(|| {
            plain.truncate(size);
            plain
        })
    }
}

/// `bytes` cut or padded with `pad` to `length` (2.3.4.11's key and IV fitting).
fn fitted(mut bytes: Vec<u8>, length: usize, pad: u8) -> Vec<u8> {
    bytes.resize(length, pad);
    bytes
}

fn params(read: &dyn Fn(&str) -> Option<String>) -> Result<Params, String> {
    let number = |name: &str| read(name).and_then(|value| value.trim().parse::<usize>().ok()).ok_or(format!("no valid {name}"));
    let cipher = read("cipherAlgorithm").unwrap_or_default();
    let chaining = read("cipherChaining").unwrap_or_default();
    if cipher != "AES" || chaining != "ChainingModeCBC" {
        return Err(format!("{cipher} in {chaining} is not decrypted (only AES in CBC mode is)"));
    }
    let hash_name = read("hashAlgorithm").unwrap_or_default();
    let hash = Hash::named(&hash_name).ok_or(format!("hash algorithm {hash_name:?} is not supported"))?;
    let key_bits = number("keyBits")?;
    let block_size = number("blockSize")?;
    if !matches!(key_bits, 128 | 192 | 256) || block_size != aes_modes::BLOCK {
        return Err(format!("AES with a {key_bits}-bit key and {block_size}-byte blocks is not AES"));
    }
    let salt = bytes(read, "saltValue")?;
    let hash_size = number("hashSize")?;
    if salt.is_empty() || salt.len() > 64 || hash_size == 0 || hash_size > 64 {
        return Err("a salt or hash size out of range".to_string());
    }
    Ok(Params { salt, block_size, key_bytes: key_bits / 8, hash_size, hash })
}

fn password_key(read: &dyn Fn(&str) -> Option<String>, max_spin_count: u32) -> Result<PasswordKey, String> {
    let params = params(read)?;
    let spin_count = read("spinCount").and_then(|value| value.trim().parse::<u32>().ok()).ok_or("no valid spinCount")?;
    if spin_count > max_spin_count {
        return Err(format!(
            "the password's key takes {spin_count} hash iterations, over the limit of {max_spin_count} (Office writes 100,000)"
        ));
    }
    Ok(PasswordKey {
        params,
        spin_count,
        verifier_input: bytes(read, "encryptedVerifierHashInput")?,
        verifier_hash: bytes(read, "encryptedVerifierHashValue")?,
        key_value: bytes(read, "encryptedKeyValue")?,
    })
}

fn bytes(read: &dyn Fn(&str) -> Option<String>, name: &str) -> Result<Vec<u8>, String> {
    let text = read(name).ok_or(format!("no {name}"))?;
    base64::engine::general_purpose::STANDARD.decode(text.trim()).map_err(|_| format!("{name} is not Base64"))
}
