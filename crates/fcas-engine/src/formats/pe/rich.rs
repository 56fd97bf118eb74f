//! The Rich header (the Microsoft linker's record of the tools that built the file), parsed as
//! pefile parses it, plus a check of its checksum.
use fcas_report::{PeRichEntry, PeRichHeader};

use fcas_report::hex;

use super::image::{md5_hex, u32_at};

const DANS: u32 = 0x536e_6144;
const RICH: u32 = 0x6863_6952;
/// The Rich header starts right after the DOS header and stub, at this offset.
const START: usize = 0x80;

/// The Rich header between the DOS stub and the optional header at `optional_header`.
pub(crate) fn rich_header(bytes: &[u8], optional_header: usize, notes: &mut Vec<String>) -> Option<PeRichHeader> {
    let window = bytes.get(START..optional_header.min(bytes.len()))?;
    let rich_at = memchr::memmem::find(window, b"Rich")? + START;
    let block = bytes.get(START..rich_at.saturating_add(8).min(bytes.len()))?;
    let block = block.get(..block.len() / 4 * 4)?;
    let words: Vec<u32> = block.chunks_exact(4).filter_map(|c| u32_at(c, 0)).collect();
    let rich_index = words.iter().position(|&w| w == RICH)?;
    let key = *words.get(rich_index + 1)?;
    let key_bytes = key.to_le_bytes();
    let raw = block.get(..memchr::memmem::find(block, b"Rich").unwrap_or(block.len()))?;
    let clear: Vec<u8> = raw.iter().zip(key_bytes.iter().cycle()).map(|(b, k)| b ^ k).collect();

    let well_formed = words.get(..4).is_some_and(|w| w[0] ^ key == DANS && w[1] == key && w[2] == key && w[3] == key);
    if !well_formed {
        notes.push("the Rich header is not in Microsoft's format".to_string());
    }
    let mut entries = Vec::new();
    for pair in words.get(4..).unwrap_or_default().chunks_exact(2) {
        let (id, count) = (pair[0], pair[1]);
        if id == RICH {
            if count != key {
                notes.push("the Rich header's footer does not repeat its key".to_string());
            }
            break;
        }
        let comp_id = id ^ key;
        entries.push(PeRichEntry { prod_id: (comp_id >> 16) as u16, build: comp_id as u16, count: count ^ key });
    }
    let checksum_computed = checksum(bytes, &entries);
    Some(PeRichHeader {
        key: hex(&key_bytes),
        checksum: key,
        checksum_computed,
        checksum_valid: checksum_computed == key,
        raw_data_hex: hex(raw),
        clear_data_hex: hex(&clear),
        clear_data_md5: md5_hex(&clear),
        entries,
    })
}

/// The linker's checksum: the header offset, plus every DOS header and stub byte rotated by its
/// offset (skipping `e_lfanew`), plus every comp id rotated by its count.
fn checksum(bytes: &[u8], entries: &[PeRichEntry]) -> u32 {
    let mut sum = START as u32;
    for (offset, &byte) in bytes.iter().take(START).enumerate() {
        if (0x3c..0x40).contains(&offset) {
            continue;
        }
        sum = sum.wrapping_add(u32::from(byte).rotate_left(offset as u32));
    }
    for entry in entries {
        let comp_id = (u32::from(entry.prod_id) << 16) | u32::from(entry.build);
        sum = sum.wrapping_add(comp_id.rotate_left(entry.count % 32));
    }
    sum
}
