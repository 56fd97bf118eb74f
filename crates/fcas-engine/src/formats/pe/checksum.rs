//! The optional header checksum, computed with pefile's `generate_checksum` algorithm.

/// Offset of the checksum field inside the optional header (same in PE32 and PE32+).
const CHECKSUM_FIELD: usize = 0x40;

/// Sum of the file's little-endian dwords (the last one zero-padded) with end-around carry,
/// skipping the checksum field, folded to 16 bits, plus the file size.
///
/// pefile folds the carry after every dword. Folding once at the end gives the same value:
/// both are the total modulo 2^32 - 1, written as 0 only when the total is 0, so the dwords are
/// summed in a 64-bit accumulator (no overflow below 2^32 dwords, a 16 GiB file) in a loop the
/// compiler can vectorise.
pub(crate) fn computed_checksum(bytes: &[u8], optional_header: usize) -> u32 {
    let skipped = optional_header.saturating_add(CHECKSUM_FIELD) / 4;
    let words = bytes.chunks_exact(4);
    let tail = dword(words.remainder());
    let mut total: u64 = words.map(|chunk| u64::from(dword(chunk))).sum::<u64>() + u64::from(tail);
    let skipped_word = skipped.checked_mul(4).and_then(|at| bytes.get(at..)).map_or(0, |rest| dword(rest.get(..4).unwrap_or(rest)));
    total -= u64::from(skipped_word);
    let mut sum = total;
    while sum >> 32 != 0 {
        sum = (sum & 0xffff_ffff) + (sum >> 32);
    }
    sum = (sum & 0xffff) + (sum >> 16);
    sum += sum >> 16;
    sum &= 0xffff;
    (sum as u32).wrapping_add(bytes.len() as u32)
}

/// Little-endian dword of up to four bytes, zero-padded.
fn dword(chunk: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    for (slot, byte) in word.iter_mut().zip(chunk) {
        *slot = *byte;
    }
    u32::from_le_bytes(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// pefile's loop, folding after every dword.
    fn folding_every_dword(bytes: &[u8], optional_header: usize) -> u32 {
        let skipped = optional_header.saturating_add(CHECKSUM_FIELD) / 4;
        let mut sum: u64 = 0;
        for (index, chunk) in bytes.chunks(4).enumerate() {
            if index == skipped {
                continue;
            }
            sum += u64::from(dword(chunk));
            if sum >= 1 << 32 {
                sum = (sum & 0xffff_ffff) + (sum >> 32);
            }
        }
        sum = (sum & 0xffff) + (sum >> 16);
        sum += sum >> 16;
        sum &= 0xffff;
        (sum as u32).wrapping_add(bytes.len() as u32)
    }

    #[test]
    fn folding_once_equals_folding_every_dword() {
        let mut state = 0x1234_5678u32;
        let mut cases: Vec<Vec<u8>> =
            vec![Vec::new(), vec![0; 7], vec![0xff; 4096], vec![0xff; 4099], vec![0x01, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]];
        for len in [1usize, 3, 64, 65, 66, 67, 1000, 70_001] {
            cases.push(
                (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 17;
                        state ^= state << 5;
                        state as u8
                    })
                    .collect(),
            );
        }
        for bytes in &cases {
            for optional_header in [0usize, 0x18, 0x98, bytes.len().saturating_sub(0x41), usize::MAX] {
                assert_eq!(computed_checksum(bytes, optional_header), folding_every_dword(bytes, optional_header), "len {}", bytes.len());
            }
        }
    }
}
