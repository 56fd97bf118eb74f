//! LinkInfo (MS-SHLLINK 2.3): where the target was when the link was made: a local path on a
//! volume (drive type, serial, label) or a path on a network share. All offsets are relative to
//! the structure and checked against its declared size.
use fcas_report::LnkVolume;

use crate::bytes::{ansi_z, slice_at, u32_at, utf16_z};

const VOLUME_ID_AND_LOCAL_BASE_PATH: u32 = 0x1;
const COMMON_NETWORK_RELATIVE_LINK_AND_PATH_SUFFIX: u32 = 0x2;
/// A header this size or larger carries the Unicode path offsets.
const UNICODE_HEADER_SIZE: u32 = 0x24;

/// What a LinkInfo says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct LinkInfo {
    pub(super) target: Option<String>,
    pub(super) volume: Option<LnkVolume>,
    pub(super) network_share: Option<String>,
    pub(super) network_device: Option<String>,
}

/// The LinkInfo at `at` and the offset after it; `None` when its size does not fit.
pub(super) fn parse(bytes: &[u8], at: usize) -> Option<(LinkInfo, usize)> {
    let size = u32_at(bytes, at)? as usize;
    let info = slice_at(bytes, at, size)?;
    let end = at.checked_add(size)?;
    let header_size = u32_at(info, 4)?;
    let flags = u32_at(info, 8)?;
    let unicode = header_size >= UNICODE_HEADER_SIZE;
    let suffix = path_field(info, 24, unicode.then_some(32)).unwrap_or_default();
    let mut found = LinkInfo::default();
    if flags & VOLUME_ID_AND_LOCAL_BASE_PATH != 0 {
        found.volume = volume_id(info, u32_at(info, 12)? as usize);
        if let Some(base) = path_field(info, 16, unicode.then_some(28)) {
            found.target = Some(joined(&base, &suffix));
        }
    } else if flags & COMMON_NETWORK_RELATIVE_LINK_AND_PATH_SUFFIX != 0 {
        let (share, device) = network_link(info, u32_at(info, 20)? as usize).unwrap_or_default();
        found.target = share.as_ref().map(|share| joined(share, &suffix));
        found.network_share = share;
        found.network_device = device;
    }
    Some((found, end))
}

/// The string whose ANSI offset is at `offset_field` (and Unicode offset at `unicode_field`,
/// preferred when non-zero).
fn path_field(info: &[u8], offset_field: usize, unicode_field: Option<usize>) -> Option<String> {
    if let Some(field) = unicode_field {
        let offset = u32_at(info, field)? as usize;
        if offset != 0 {
            return utf16_z(info, offset);
        }
    }
    let offset = u32_at(info, offset_field)? as usize;
    if offset == 0 {
        return None;
    }
    ansi_z(info, offset)
}

fn joined(base: &str, suffix: &str) -> String {
    if suffix.is_empty() || base.ends_with('\\') {
        format!("{base}{suffix}")
    } else {
        format!("{base}\\{suffix}")
    }
}

fn volume_id(info: &[u8], at: usize) -> Option<LnkVolume> {
    let size = u32_at(info, at)? as usize;
    let volume = slice_at(info, at, size)?;
    let drive_type = match u32_at(volume, 4)? {
        1 => "no_root_dir",
        2 => "removable",
        3 => "fixed",
        4 => "remote",
        5 => "cdrom",
        6 => "ramdisk",
        _ => "unknown",
    };
    let serial = u32_at(volume, 8)?;
    let label_offset = u32_at(volume, 12)? as usize;
    // An offset of 0x14 means the label is Unicode, at the offset stored at 0x10.
    let label =
        if label_offset == 0x14 { utf16_z(volume, u32_at(volume, 16)? as usize) } else { ansi_z(volume, label_offset) }.unwrap_or_default();
    Some(LnkVolume { drive_type: drive_type.to_string(), serial: format!("{:04X}-{:04X}", serial >> 16, serial & 0xffff), label })
}

/// The share name and device of a CommonNetworkRelativeLink.
fn network_link(info: &[u8], at: usize) -> Option<(Option<String>, Option<String>)> {
    const VALID_DEVICE: u32 = 0x1;
    let size = u32_at(info, at)? as usize;
    let link = slice_at(info, at, size)?;
    let flags = u32_at(link, 4)?;
    let net_name_offset = u32_at(link, 8)? as usize;
    let device_offset = u32_at(link, 12)? as usize;
    // Offsets past 0x14 mean the Unicode offsets follow the provider type.
    let unicode = net_name_offset > 0x14;
    let share = if unicode { u32_at(link, 20).and_then(|offset| utf16_z(link, offset as usize)) } else { ansi_z(link, net_name_offset) };
    let device = if flags & VALID_DEVICE == 0 {
        None
    } else if unicode {
        u32_at(link, 24).and_then(|offset| utf16_z(link, offset as usize))
    } else {
        ansi_z(link, device_offset)
    };
    Some((share.filter(|s| !s.is_empty()), device.filter(|d| !d.is_empty())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lying_sizes_and_offsets_are_survived() {
        assert_eq!(parse(&[0xff, 0xff, 0xff, 0xff], 0), None);
        let mut info = vec![0x1c, 0, 0, 0, 0x1c, 0, 0, 0, 1, 0, 0, 0];
        info.extend_from_slice(&[0xf0, 0xff, 0xff, 0xff, 0xf0, 0xff, 0xff, 0x7f, 0, 0, 0, 0, 0xff, 0xff, 0, 0]);
        let (found, end) = parse(&info, 0).unwrap_or_default();
        assert_eq!(end, 0x1c);
        assert_eq!(found.volume, None);
    }
}
