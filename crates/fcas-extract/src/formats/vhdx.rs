//! VHDX images (MS-VHDX), Hyper-V's virtual disks: the current header, the region table that
//! locates the block allocation table (BAT) and the metadata, then the virtual disk rebuilt in
//! memory from the blocks the BAT says are present (the others read as zeros) and read as a raw
//! disk (a FAT volume, or MBR partitions holding FAT), as a VHD is. Differencing VHDX files
//! (which need their parent) are identified, with the parent's path from their parent locator,
//! not opened. A log left to replay (a host that
//! stopped mid-write) is not replayed: the blocks are read as the BAT last recorded them.
use crate::{Container, ReadError};

use fcas_documents::bytes::{u16_at, u32_at, u64_at};

const SIGNATURE: &[u8] = b"vhdxfile";
/// The two copies of the header and of the region table (MS-VHDX 2.2).
const HEADERS: [usize; 2] = [64 << 10, 128 << 10];
const REGION_TABLES: [usize; 2] = [192 << 10, 256 << 10];
/// The region and metadata item GUIDs, as stored (their first three fields little-endian).
const BAT_REGION: [u8; 16] = guid(0x2DC2_7766, 0xF623, 0x4200, [0x9D, 0x64, 0x11, 0x5E, 0x9B, 0xFD, 0x4A, 0x08]);
const METADATA_REGION: [u8; 16] = guid(0x8B7C_A206, 0x4790, 0x4B9A, [0xB8, 0xFE, 0x57, 0x5F, 0x05, 0x0F, 0x88, 0x6E]);
const FILE_PARAMETERS: [u8; 16] = guid(0xCAA1_6737, 0xFA36, 0x4D43, [0xB3, 0xB6, 0x33, 0xF0, 0xAA, 0x44, 0xE7, 0x6B]);
const VIRTUAL_DISK_SIZE: [u8; 16] = guid(0x2FA5_4224, 0xCD1B, 0x4876, [0xB2, 0x11, 0x5D, 0xBE, 0xD8, 0x3B, 0xF4, 0xB8]);
const PARENT_LOCATOR: [u8; 16] = guid(0xA8D3_5F2D, 0xB30B, 0x454D, [0xAB, 0xF7, 0xD3, 0xD8, 0x48, 0x34, 0xAB, 0x0C]);
/// Parent locator keys naming the parent, in the order tried (MS-VHDX 2.6.2.6.1).
const PARENT_PATH_KEYS: [&str; 3] = ["relative_path", "absolute_win32_path", "volume_path"];
/// Most key-value entries a parent locator may list.
const MAX_LOCATOR_ENTRIES: usize = 64;
const LOGICAL_SECTOR_SIZE: [u8; 16] = guid(0x8141_BF1D, 0xA96F, 0x4709, [0xBA, 0x47, 0xF2, 0x33, 0xA8, 0xFA, 0xAB, 0x5F]);
/// Most entries a region table or the metadata table may list (the format's own bounds).
const MAX_REGIONS: usize = 2047;
const MAX_METADATA_ITEMS: usize = 2047;
/// The BAT states of a payload block whose data is in the file.
const FULLY_PRESENT: u64 = 6;
const PARTIALLY_PRESENT: u64 = 7;
/// File Parameters' flag of a differencing disk.
const HAS_PARENT: u32 = 2;

const fn guid(first: u32, second: u16, third: u16, rest: [u8; 8]) -> [u8; 16] {
    let a = first.to_le_bytes();
    let b = second.to_le_bytes();
    let c = third.to_le_bytes();
    [a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], rest[0], rest[1], rest[2], rest[3], rest[4], rest[5], rest[6], rest[7]]
}

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let damaged = |what: String| ReadError::Damaged(format!("VHDX: {what}"));
    if !data.starts_with(SIGNATURE) {
        return Err(damaged("no \"vhdxfile\" signature".into()));
    }
    if !HEADERS.iter().any(|&at| data.get(at..at + 4) == Some(b"head")) {
        return Err(damaged("neither header copy is there".into()));
    }
    let (bat, metadata) = regions(data).ok_or_else(|| damaged("no region table locating the BAT and the metadata".into()))?;
    let parameters = Parameters::read(data, metadata).map_err(damaged)?;
    if parameters.differencing {
        return Err(super::vhd::differencing("VHDX", parameters.parent.as_deref()));
    }
    // The virtual disk is allocated whole: only when the limits allow a child that large.
    if cx.admit("virtual disk", Some(parameters.size), Some(data.len() as u64)).is_none() {
        return Ok(());
    }
    let (disk, missing) = parameters.rebuild(data, bat).map_err(damaged)?;
    super::disk::read(&disk, cx)?;
    match missing {
        0 => Ok(()),
        missing => Err(damaged(format!("{missing} blocks lie outside the file (read as zeros)"))),
    }
}

/// The BAT's and the metadata's (offset, length), from the first region table that has both.
fn regions(data: &[u8]) -> Option<((usize, usize), (usize, usize))> {
    REGION_TABLES.iter().find_map(|&at| {
        let table = data.get(at..at.checked_add(64 << 10)?)?;
        if !table.starts_with(b"regi") {
            return None;
        }
        let count = usize::try_from(u32_at(table, 8)?).ok()?.min(MAX_REGIONS);
        let entry = |id: &[u8; 16]| {
            (0..count).find_map(|index| {
                let entry = table.get(16 + index * 32..16 + index * 32 + 32)?;
                (entry.get(..16)? == id)
                    .then(|| Some((usize::try_from(u64_at(entry, 16)?).ok()?, usize::try_from(u32_at(entry, 24)?).ok()?)))?
            })
        };
        Some((entry(&BAT_REGION)?, entry(&METADATA_REGION)?))
    })
}

/// What the metadata says about the disk.
struct Parameters {
    block: u64,
    size: u64,
    sector: u64,
    differencing: bool,
    /// The parent's path, from the parent locator of a differencing disk.
    parent: Option<String>,
}

impl Parameters {
    fn read(data: &[u8], (at, length): (usize, usize)) -> Result<Self, String> {
        let region = data.get(at..at.saturating_add(length)).filter(|r| r.starts_with(b"metadata")).ok_or("no metadata region")?;
        let count = usize::from(u16_at(region, 10).unwrap_or(0));
        let item = |id: &[u8; 16]| -> Option<&[u8]> {
            (0..count.min(MAX_METADATA_ITEMS)).find_map(|index| {
                let entry = region.get(32 + index * 32..32 + index * 32 + 32)?;
                if entry.get(..16)? != id {
                    return None;
                }
                let offset = usize::try_from(u32_at(entry, 16)?).ok()?;
                let length = usize::try_from(u32_at(entry, 20)?).ok()?;
                region.get(offset..offset.checked_add(length)?)
            })
        };
        let parameters = item(&FILE_PARAMETERS).ok_or("no file parameters")?;
        let block = u64::from(u32_at(parameters, 0).ok_or("file parameters cut short")?);
        let flags = u32_at(parameters, 4).unwrap_or(0);
        let size = item(&VIRTUAL_DISK_SIZE).and_then(|item| u64_at(item, 0)).ok_or("no virtual disk size")?;
        let sector = u64::from(item(&LOGICAL_SECTOR_SIZE).and_then(|item| u32_at(item, 0)).ok_or("no logical sector size")?);
        // The format's own bounds: blocks of 1 to 256 MiB, a power of two; sectors of 512 or 4,096 bytes.
        if !(1 << 20..=256 << 20).contains(&block) || !block.is_power_of_two() || !matches!(sector, 512 | 4096) {
            return Err(format!("block size {block} or sector size {sector} out of the format's range"));
        }
        let parent = item(&PARENT_LOCATOR).and_then(parent_path);
        Ok(Self { block, size, sector, differencing: flags & HAS_PARENT != 0, parent })
    }

    /// The virtual disk from its present blocks, and how many of them the file could not supply.
    fn rebuild(&self, data: &[u8], (bat_at, bat_length): (usize, usize)) -> Result<(Vec<u8>, usize), String> {
        let bat = data.get(bat_at..bat_at.saturating_add(bat_length)).ok_or("the BAT lies outside the file")?;
        let size = usize::try_from(self.size).map_err(|_| "virtual size too large")?;
        // One sector bitmap entry follows every `chunk` payload entries of the BAT.
        let chunk = ((1u64 << 23) * self.sector) / self.block;
        let mut disk = vec![0u8; size];
        let mut missing = 0usize;
        for index in 0..self.size.div_ceil(self.block) {
            let slot = index + index / chunk;
            let Some(entry) = usize::try_from(slot).ok().and_then(|slot| u64_at(bat, slot.checked_mul(8)?)) else {
                missing += 1;
                continue;
            };
            if !matches!(entry & 7, FULLY_PRESENT | PARTIALLY_PRESENT) {
                continue; // not present, zero, unmapped or undefined: zeros
            }
            let from = (entry >> 20).checked_mul(1 << 20);
            let to = index * self.block;
            let length = self.block.min(self.size - to);
            let source = from.and_then(|from| data.get(usize::try_from(from).ok()?..usize::try_from(from.checked_add(length)?).ok()?));
            let target = disk
                .get_mut(usize::try_from(to).map_err(|_| "offset too large")?..)
                .and_then(|t| t.get_mut(..usize::try_from(length).ok()?));
            match (source, target) {
                (Some(source), Some(target)) => target.copy_from_slice(source),
                _ => missing += 1,
            }
        }
        Ok((disk, missing))
    }
}

/// The parent's path in a parent locator: a header (type GUID, reserved, entry count) and
/// entries of key and value offsets (from the locator's start) and lengths, UTF-16LE.
fn parent_path(locator: &[u8]) -> Option<String> {
    let count = usize::from(u16_at(locator, 18)?).min(MAX_LOCATOR_ENTRIES);
    let text = |at: u32, length: u16| -> Option<String> {
        let at = usize::try_from(at).ok()?;
        let bytes = locator.get(at..at.checked_add(usize::from(length))?)?;
        Some(fcas_documents::bytes::utf16_lossy(bytes, false))
    };
    let entries: Vec<(String, String)> = (0..count)
        .filter_map(|index| {
            let entry = locator.get(20 + index * 12..32 + index * 12)?;
            let key = text(u32_at(entry, 0)?, u16_at(entry, 8)?)?;
            let value = text(u32_at(entry, 4)?, u16_at(entry, 10)?)?;
            Some((key, value))
        })
        .collect();
    PARENT_PATH_KEYS.iter().find_map(|wanted| entries.iter().find(|(key, _)| key == wanted).map(|(_, value)| value.clone()))
}

#[cfg(test)]
mod tests {
    use super::parent_path;

    #[test]
    fn a_parent_locator_cut_anywhere_gives_no_path_never_a_panic() {
        let mut locator = vec![0u8; 32];
        locator[18] = 1;
        let key: Vec<u8> = "relative_path".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let value: Vec<u8> = "p.vhdx".encode_utf16().flat_map(u16::to_le_bytes).collect();
        locator[20..24].copy_from_slice(&32u32.to_le_bytes());
        locator[24..28].copy_from_slice(&(32 + key.len() as u32).to_le_bytes());
        locator[28..30].copy_from_slice(&(key.len() as u16).to_le_bytes());
        locator[30..32].copy_from_slice(&(value.len() as u16).to_le_bytes());
        locator.extend(&key);
        locator.extend(&value);
        assert_eq!(parent_path(&locator).as_deref(), Some("p.vhdx"));
        for length in 0..locator.len() {
            assert_eq!(parent_path(&locator[..length]), None);
        }
        // Offsets and a count that point nowhere.
        locator[18..20].copy_from_slice(&u16::MAX.to_le_bytes());
        locator[20..24].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(parent_path(&locator), None);
    }
}
