//! Bech32 and bech32m checksums (BIP 173, BIP 350), for `bc1` segwit addresses.

const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32_CONST: u32 = 1;
const BECH32M_CONST: u32 = 0x2bc8_30a3;

fn polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GENERATORS: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];
    let mut checksum: u32 = 1;
    for value in values {
        let top = checksum >> 25;
        checksum = ((checksum & 0x01ff_ffff) << 5) ^ u32::from(value);
        for (bit, generator) in GENERATORS.iter().enumerate() {
            if (top >> bit) & 1 == 1 {
                checksum ^= generator;
            }
        }
    }
    checksum
}

/// A mainnet segwit address (`bc1...`, one case only) whose checksum is bech32 for witness
/// version 0 and bech32m for versions 1 to 16.
pub fn is_segwit_address(text: &str) -> bool {
    if text.len() > 90 || (text.bytes().any(|b| b.is_ascii_lowercase()) && text.bytes().any(|b| b.is_ascii_uppercase())) {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    let Some(data) = lower.strip_prefix("bc1") else { return false };
    let Some(values) = data.bytes().map(|b| CHARSET.iter().position(|&c| c == b).map(|v| v as u8)).collect::<Option<Vec<u8>>>() else {
        return false;
    };
    // Witness version, then at least two 5-bit groups of program, then six of checksum.
    if values.len() < 1 + 2 + 6 {
        return false;
    }
    let hrp = b"bc";
    let expanded = hrp.iter().map(|b| b >> 5).chain([0]).chain(hrp.iter().map(|b| b & 31));
    let residue = polymod(expanded.chain(values.iter().copied()));
    match values.first() {
        Some(0) => residue == BECH32_CONST,
        Some(1..=16) => residue == BECH32M_CONST,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_addresses() {
        // Test vectors of BIP 173 (version 0) and BIP 350 (version 1, taproot).
        assert!(is_segwit_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));
        assert!(is_segwit_address("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"));
        assert!(is_segwit_address("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"));
        // Wrong checksum, mixed case, version 0 with a bech32m checksum.
        assert!(!is_segwit_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"));
        assert!(!is_segwit_address("bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));
        assert!(!is_segwit_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh"));
        assert!(!is_segwit_address("bc1"));
    }
}
