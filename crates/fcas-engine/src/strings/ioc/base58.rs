//! Base58 (Bitcoin alphabet) decoding and the base58check checksum.
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/// Longest input decoded; wallet addresses are far shorter.
const MAX_INPUT: usize = 128;

/// True when every character of `text` is in the base58 alphabet.
pub fn is_alphabet(text: &str) -> bool {
    text.bytes().all(|b| ALPHABET.contains(&b))
}

/// Decodes base58 text to bytes (leading `1`s are leading zero bytes). `None` on a character
/// outside the alphabet or an input longer than 128 characters.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    if text.len() > MAX_INPUT {
        return None;
    }
    let zeros = text.bytes().take_while(|&b| b == b'1').count();
    // Big-endian base-256 digits of the number, built by multiply-and-add per character.
    let mut number: Vec<u8> = Vec::with_capacity(text.len());
    for b in text.bytes() {
        let mut carry = ALPHABET.iter().position(|&a| a == b)? as u32;
        for digit in number.iter_mut().rev() {
            carry += u32::from(*digit) * 58;
            *digit = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            number.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut bytes = vec![0u8; zeros];
    bytes.extend(number.into_iter().skip_while(|&d| d == 0));
    Some(bytes)
}

/// Decodes base58check text: the payload (version byte first) when the last four bytes are
/// the first four of SHA-256(SHA-256(payload)).
pub fn decode_check(text: &str) -> Option<Vec<u8>> {
    let mut bytes = decode(text)?;
    let split = bytes.len().checked_sub(4)?;
    let checksum = bytes.split_off(split);
    let digest = Sha256::digest(Sha256::digest(&bytes));
    (digest.get(..4)? == checksum.as_slice()).then_some(bytes)
}

/// A Bitcoin P2PKH (`1...`, version 0) or P2SH (`3...`, version 5) address with a valid
/// checksum and a 20-byte hash.
pub fn is_bitcoin_address(text: &str) -> bool {
    decode_check(text).is_some_and(|payload| payload.len() == 21 && matches!(payload.first(), Some(0x00 | 0x05)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_addresses() {
        // The genesis block's coinbase address and a widely published P2SH example.
        assert!(is_bitcoin_address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
        assert!(is_bitcoin_address("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
        // One character changed: the checksum no longer matches.
        assert!(!is_bitcoin_address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
        assert!(!is_bitcoin_address("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz"));
        assert!(!is_bitcoin_address("1111111111111111111111111111111111"));
        assert!(!is_bitcoin_address("0OIl"));
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("1"), Some(vec![0]));
        assert_eq!(decode("2"), Some(vec![1]));
        assert_eq!(decode("21"), Some(vec![58]));
        assert_eq!(decode("5R"), Some(vec![1, 0]));
        assert_eq!(decode("5S"), Some(vec![1, 1]));
        assert_eq!(decode("0"), None);
        assert_eq!(decode(""), Some(vec![]));
    }
}
