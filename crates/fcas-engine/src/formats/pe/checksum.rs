//! The optional header checksum, computed with pefile's `generate_checksum` algorithm.

/// Offset of the checksum field inside the optional header (same in PE32 and PE32+).
const CHECKSUM_FIELD: usize = 0x40;

/// Sum of the file's little-endian dwords (the last one zero-padded) with end-around carry,
/// skipping the checksum field, folded to 16 bits, plus the file size.
pub(crate) fn computed_checksum(bytes: &[u8], optional_header: usize) -> u32 {
    let skipped = optional_header.saturating_add(CHECKSUM_FIELD) / 4;
    let mut sum: u64 = 0;
    for (index, chunk) in bytes.chunks(4).enumerate() {
        if index == skipped {
            continue;
        }
        let mut word = [0u8; 4];
        for (slot, byte) in word.iter_mut().zip(chunk) {
            *slot = *byte;
        }
        sum += u64::from(u32::from_le_bytes(word));
        if sum >= 1 << 32 {
            sum = (sum & 0xffff_ffff) + (sum >> 32);
        }
    }
    sum = (sum & 0xffff) + (sum >> 16);
    sum += sum >> 16;
    sum &= 0xffff;
    (sum as u32).wrapping_add(bytes.len() as u32)
}
