//! AES in CBC mode, decrypting only, over whole blocks (the block cipher is RustCrypto's `aes`;
//! the chaining is a line of XOR, so it lives here rather than in another dependency).
use aes::cipher::{Block, BlockCipherDecrypt, BlockSizeUser, KeyInit};
use aes::{Aes128, Aes192, Aes256};

/// AES's block size in bytes.
pub(super) const BLOCK: usize = 16;

/// Decrypts the whole blocks of `data` with `key` (16, 24 or 32 bytes) and `iv` (16 bytes);
/// `None` for another key or IV length. A trailing part block is left out.
pub(super) fn decrypt(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    match key.len() {
        16 => decrypt_with(&Aes128::new_from_slice(key).ok()?, iv, data),
        24 => decrypt_with(&Aes192::new_from_slice(key).ok()?, iv, data),
        32 => decrypt_with(&Aes256::new_from_slice(key).ok()?, iv, data),
        _ => None,
    }
}

fn decrypt_with<C: BlockCipherDecrypt + BlockSizeUser>(cipher: &C, iv: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let mut previous: [u8; BLOCK] = iv.try_into().ok()?;
    let mut out = Vec::with_capacity(data.len() - data.len() % BLOCK);
    for chunk in data.chunks_exact(BLOCK) {
        let mut block = Block::<C>::try_from(chunk).ok()?;
        cipher.decrypt_block(&mut block);
        out.extend(block.iter().zip(previous).map(|(plain, chained)| plain ^ chained));
        previous.copy_from_slice(chunk);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn nist_sp800_38a_cbc_vectors_decrypt() {
        // NIST SP 800-38A, F.2.2 (CBC-AES128.Decrypt) and F.2.6 (CBC-AES256.Decrypt), first two blocks.
        let iv = hex("000102030405060708090a0b0c0d0e0f");
        let plain = hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        let key128 = hex("2b7e151628aed2a6abf7158809cf4f3c");
        let cipher128 = hex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2");
        assert_eq!(decrypt(&key128, &iv, &cipher128).unwrap(), plain);
        let key256 = hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        let cipher256 = hex("f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d");
        assert_eq!(decrypt(&key256, &iv, &cipher256).unwrap(), plain);
        // A part block is left out; a wrong key or IV length is refused.
        assert_eq!(decrypt(&key128, &iv, &cipher128[..20]).unwrap(), plain[..16]);
        assert!(decrypt(&key128[..15], &iv, &cipher128).is_none());
        assert!(decrypt(&key128, &iv[..8], &cipher128).is_none());
    }
}
