//! AES in the two modes Office uses, decrypting only, over whole blocks: CBC (Agile encryption)
//! and ECB (Standard encryption). The block cipher is RustCrypto's `aes`; a mode is a line of
//! XOR or none, so it lives here rather than in another dependency.
use aes::cipher::{Block, BlockCipherDecrypt, BlockSizeUser, KeyInit};
use aes::{Aes128, Aes192, Aes256};

/// AES's block size in bytes.
pub(super) const BLOCK: usize = 16;

/// Decrypts the whole blocks of `data` in CBC mode with `key` (16, 24 or 32 bytes) and `iv`
/// (16 bytes); `None` for another key or IV length. A trailing part block is left out.
pub(super) fn cbc_decrypt(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let iv: [u8; BLOCK] = iv.try_into().ok()?;
    chained(cipher(key)?.as_ref(), Some(iv), data)
}

/// Decrypts the whole blocks of `data` in ECB mode (each block alone) with `key`; `None` for a
/// key that is not 16, 24 or 32 bytes. A trailing part block is left out.
pub(super) fn ecb_decrypt(key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    chained(cipher(key)?.as_ref(), None, data)
}

/// The AES cipher of `key`'s length (16, 24 or 32 bytes).
fn cipher(key: &[u8]) -> Option<Box<dyn DecryptBlock>> {
    Some(match key.len() {
        16 => Box::new(Aes128::new_from_slice(key).ok()?),
        24 => Box::new(Aes192::new_from_slice(key).ok()?),
        32 => Box::new(Aes256::new_from_slice(key).ok()?),
        _ => return None,
    })
}

/// One AES block decrypted in place, whatever the key size.
trait DecryptBlock {
    fn decrypt(&self, block: &mut [u8; BLOCK]);
}

impl<C: BlockCipherDecrypt + BlockSizeUser> DecryptBlock for C {
    fn decrypt(&self, block: &mut [u8; BLOCK]) {
        if let Ok(mut typed) = Block::<C>::try_from(&block[..]) {
            self.decrypt_block(&mut typed);
            block.copy_from_slice(&typed);
        }
    }
}

/// Each whole block decrypted, then XORed with the previous ciphertext block (the IV first)
/// when `iv` is given (CBC), not when it is not (ECB).
fn chained(cipher: &dyn DecryptBlock, iv: Option<[u8; BLOCK]>, data: &[u8]) -> Option<Vec<u8>> {
    let mut previous = iv;
    let mut out = Vec::with_capacity(data.len() - data.len() % BLOCK);
    for chunk in data.chunks_exact(BLOCK) {
        let mut block: [u8; BLOCK] = chunk.try_into().ok()?;
        cipher.decrypt(&mut block);
        if let Some(previous) = previous.as_mut() {
            block.iter_mut().zip(previous.iter()).for_each(|(plain, chained)| *plain ^= chained);
            previous.copy_from_slice(chunk);
        }
        out.extend_from_slice(&block);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytes::hex;

    #[test]
    fn nist_sp800_38a_cbc_vectors_decrypt() {
        // NIST SP 800-38A, F.2.2 (CBC-AES128.Decrypt) and F.2.6 (CBC-AES256.Decrypt), first two blocks.
        let iv = hex("000102030405060708090a0b0c0d0e0f");
        let plain = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        let key128 = hex("2b7e151628aed2a6abf7158809cf4f3c");
        let cipher128 = hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2");
        assert_eq!(cbc_decrypt(&key128, &iv, &cipher128).unwrap(), plain);
        let key256 = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        let cipher256 = hex("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d");
        assert_eq!(cbc_decrypt(&key256, &iv, &cipher256).unwrap(), plain);
        // A part block is left out; a wrong key or IV length is refused.
        assert_eq!(cbc_decrypt(&key128, &iv, &cipher128[..20]).unwrap(), plain[..16]);
        assert!(cbc_decrypt(&key128[..15], &iv, &cipher128).is_none());
        assert!(cbc_decrypt(&key128, &iv[..8], &cipher128).is_none());
    }

    #[test]
    fn nist_sp800_38a_ecb_vectors_decrypt() {
        // NIST SP 800-38A, F.1.2 (ECB-AES128.Decrypt) and F.1.4 (ECB-AES192.Decrypt), first two blocks.
        let plain = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        let key128 = hex("2b7e151628aed2a6abf7158809cf4f3c");
        let cipher128 = hex("3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf");
        assert_eq!(ecb_decrypt(&key128, &cipher128).unwrap(), plain);
        let key192 = hex("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b");
        let cipher192 = hex("bd334f1d6e45f25ff712a214571fa5cc974104846d0ad3ad7734ecb3ecee4eef");
        assert_eq!(ecb_decrypt(&key192, &cipher192).unwrap(), plain);
        assert!(ecb_decrypt(&key128[..8], &cipher128).is_none());
    }
}
