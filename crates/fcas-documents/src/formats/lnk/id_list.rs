//! The LinkTargetIDList (MS-SHLLINK 2.2): shell items walked far enough to spell a path for the
//! common kinds (root folder CLSID, volume, file entry with its long name from the 0xBEEF0004
//! extension block). Other kinds are skipped; the path is what the known items spell.
use crate::bytes::{ansi_z, guid, slice_at, u16_at, u32_at, utf16_z};

/// Shell items walked at most; a list of 2-byte items inside a 64 KiB list is below this anyway.
const MAX_ITEMS: usize = 1024;
/// The signature of the extension block that holds a file entry's long name.
const LONG_NAME_SIGNATURE: [u8; 4] = 0xbeef_0004u32.to_le_bytes();
const MY_COMPUTER: &str = "20d04fe0-3aea-1069-a2d8-08002b30309d";

/// The ID list at `at`: its path, when its items spell one, and the offset after it.
pub(super) fn parse(bytes: &[u8], at: usize) -> Option<(Option<String>, usize)> {
    let size = usize::from(u16_at(bytes, at)?);
    let start = at.checked_add(2)?;
    let end = start.checked_add(size)?;
    let list = slice_at(bytes, start, size)?;
    Some((path_of(list), end))
}

fn path_of(list: &[u8]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut at = 0usize;
    for _ in 0..MAX_ITEMS {
        let Some(size) = u16_at(list, at).map(usize::from) else { break };
        // A zero size terminates the list; a size below the field's own would loop.
        if size < 2 {
            break;
        }
        let Some(item) = slice_at(list, at, size) else { break };
        if let Some(part) = item_name(item) {
            parts.push(part);
        }
        at += size;
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("\\"))
}

/// The path component an item stands for; `None` for items that add none (My Computer) or
/// kinds not read.
fn item_name(item: &[u8]) -> Option<String> {
    let class = *item.get(2)?;
    match class {
        0x1f => {
            let clsid = guid(item.get(4..)?)?;
            (clsid != MY_COMPUTER).then(|| format!("::{{{clsid}}}"))
        }
        0x20..=0x2f if class & 0x01 != 0 => {
            let name = ansi_z(slice_at(item, 3, 20.min(item.len().saturating_sub(3)))?, 0)?;
            let name = name.trim_end_matches('\\').to_string();
            (!name.is_empty()).then_some(name)
        }
        0x30..=0x3f => file_entry_name(item, class),
        _ => None,
    }
}

/// A file entry's long name from its 0xBEEF0004 block, else its primary (8.3) name.
fn file_entry_name(item: &[u8], class: u8) -> Option<String> {
    if let Some(long) = long_name(item) {
        return Some(long);
    }
    // Bit 0x04 marks a Unicode primary name (MS-SHLLINK leaves the items to the shell).
    let name = if class & 0x04 != 0 { utf16_z(item, 14)? } else { ansi_z(item, 14)? };
    (!name.is_empty()).then_some(name)
}

fn long_name(item: &[u8]) -> Option<String> {
    let signature_at = memchr::memmem::find(item.get(14..)?, &LONG_NAME_SIGNATURE)? + 14;
    let block_at = signature_at.checked_sub(4)?;
    let block_size = usize::from(u16_at(item, block_at)?);
    let block = slice_at(item, block_at, block_size)?;
    let version = u16_at(block, 2)?;
    if u32_at(block, 4)? != 0xbeef_0004 {
        return None;
    }
    let name_at = match version {
        9.. => 46,
        8 => 42,
        7 => 38,
        3..=6 => 20,
        _ => 18,
    };
    let name = utf16_z(block, name_at)?;
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn item(body: &[u8]) -> Vec<u8> {
        let mut out = ((body.len() + 2) as u16).to_le_bytes().to_vec();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn volume_and_short_names_make_a_path() {
        let mut list = item(&[0x2f, b'C', b':', b'\\', 0, 0, 0]);
        let mut file = vec![0x32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0];
        file.extend_from_slice(b"cmd.exe\0");
        list.extend(item(&file));
        list.extend_from_slice(&[0, 0]);
        assert_eq!(path_of(&list).unwrap(), "C:\\cmd.exe");
    }

    #[test]
    fn zero_and_lying_sizes_stop_the_walk() {
        assert_eq!(path_of(&[1, 0, 1, 0]), None);
        assert_eq!(path_of(&[0xff, 0xff, 0x2f, b'C']), None);
        let mut bytes = vec![0xff, 0xff];
        bytes.extend_from_slice(&[0; 10]);
        assert_eq!(parse(&bytes, 0), None);
    }

    #[test]
    fn truncated_long_name_blocks_fall_back() {
        let mut file = vec![0x32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0];
        file.extend_from_slice(b"A~1\0");
        file.extend_from_slice(&[0x60, 0, 9, 0, 0x04, 0, 0xef, 0xbe]);
        assert_eq!(file_entry_name(&item(&file), 0x32).unwrap(), "A~1");
    }
}
