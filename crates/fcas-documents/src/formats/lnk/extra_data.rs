//! ExtraData (MS-SHLLINK 2.5): the blocks after the strings. Read: environment variables
//! target, icon environment, tracker (machine and droids, whence the MAC address), known folder
//! and special folder; the others are listed by signature.
use crate::bytes::{ansi_z, guid, slice_at, u32_at, utf16_z};

/// Blocks read at most; real shortcuts have a handful.
const MAX_BLOCKS: usize = 64;
const ENVIRONMENT: u32 = 0xa000_0001;
const TRACKER: u32 = 0xa000_0003;
const SPECIAL_FOLDER: u32 = 0xa000_0005;
const ICON_ENVIRONMENT: u32 = 0xa000_0007;
const KNOWN_FOLDER: u32 = 0xa000_000b;

/// What the extra data blocks say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Extra {
    pub(super) environment_target: Option<String>,
    pub(super) icon_environment: Option<String>,
    pub(super) machine_id: Option<String>,
    pub(super) droids: Vec<String>,
    pub(super) mac_address: Option<String>,
    pub(super) known_folder: Option<String>,
    pub(super) special_folder: Option<u32>,
    pub(super) signatures: Vec<String>,
}

/// The blocks from `at` to the terminal block, and what was wrong, if anything.
pub(super) fn parse(bytes: &[u8], mut at: usize) -> (Extra, Option<String>) {
    let mut extra = Extra::default();
    for _ in 0..MAX_BLOCKS {
        let Some(size) = u32_at(bytes, at).map(|size| size as usize) else {
            // Many writers omit the terminal block at the end of the file.
            return (extra, None);
        };
        if size < 4 {
            return (extra, None);
        }
        let Some(block) = slice_at(bytes, at, size) else {
            return (extra, Some(format!("lnk: extra data block at offset {at} claims {size} bytes past the end")));
        };
        let Some(signature) = u32_at(block, 4) else {
            return (extra, Some(format!("lnk: extra data block at offset {at} is too short")));
        };
        extra.signatures.push(format!("{signature:#010x}"));
        read_block(&mut extra, signature, block);
        at += size;
    }
    (extra, Some(format!("lnk: more than {MAX_BLOCKS} extra data blocks")))
}

fn read_block(extra: &mut Extra, signature: u32, block: &[u8]) {
    match signature {
        ENVIRONMENT => extra.environment_target = environment_string(block),
        ICON_ENVIRONMENT => extra.icon_environment = environment_string(block),
        TRACKER => read_tracker(extra, block),
        KNOWN_FOLDER => extra.known_folder = block.get(8..).and_then(guid),
        SPECIAL_FOLDER => extra.special_folder = u32_at(block, 8),
        _ => {}
    }
}

/// The Unicode target (520 bytes at 268), else the ANSI one (260 bytes at 8).
fn environment_string(block: &[u8]) -> Option<String> {
    let wide = slice_at(block, 268, 520).and_then(|raw| utf16_z(raw, 0)).filter(|s| !s.is_empty());
    wide.or_else(|| slice_at(block, 8, 260).and_then(|raw| ansi_z(raw, 0)).filter(|s| !s.is_empty()))
}

fn read_tracker(extra: &mut Extra, block: &[u8]) {
    extra.machine_id = slice_at(block, 16, 16).and_then(|raw| ansi_z(raw, 0)).filter(|s| !s.is_empty());
    extra.droids = (0..4).filter_map(|i| block.get(32 + 16 * i..).and_then(guid)).collect();
    extra.mac_address = block.get(48..64).and_then(mac_of_version1);
}

/// The node field of a version-1 (time-based) UUID is the MAC address of the machine that
/// made it; other versions carry no address.
fn mac_of_version1(raw: &[u8]) -> Option<String> {
    let version = raw.get(7)? >> 4;
    if version != 1 {
        return None;
    }
    let node = raw.get(10..16)?;
    Some(node.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lying_block_sizes_stop_with_an_error() {
        let (extra, error) = parse(&[0xff, 0xff, 0, 0, 3, 0, 0, 0xa0], 0);
        assert!(extra.signatures.is_empty());
        assert!(error.is_some());
        let (_, error) = parse(&[0, 0, 0, 0], 0);
        assert!(error.is_none());
    }

    #[test]
    fn endless_small_blocks_are_capped() {
        let mut bytes = Vec::new();
        for _ in 0..1000 {
            bytes.extend_from_slice(&[8, 0, 0, 0, 9, 0, 0, 0xa0]);
        }
        let (extra, error) = parse(&bytes, 0);
        assert_eq!(extra.signatures.len(), MAX_BLOCKS);
        assert!(error.is_some());
    }

    #[test]
    fn only_version1_droids_give_a_mac() {
        let mut v4 = [0u8; 16];
        v4[7] = 0x40;
        assert_eq!(mac_of_version1(&v4), None);
        let mut v1 = [0u8; 16];
        v1[7] = 0x11;
        v1[10..].copy_from_slice(&[0, 0x0c, 0x29, 1, 2, 3]);
        assert_eq!(mac_of_version1(&v1).as_deref(), Some("00:0c:29:01:02:03"));
    }
}
