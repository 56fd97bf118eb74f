//! Raw disk images: a FAT or NTFS file system from the first sector, or a disk partitioned with
//! an MBR (primary partitions and the logical ones of an extended partition) or a GPT (behind
//! its protective MBR) whose FAT and NTFS partitions are opened, their files named
//! `partitionN/...`. Also the reader of a VHD's and a VHDX's virtual disk.
use crate::{Container, ReadError};

use super::{fat, ntfs};
use fcas_documents::bytes::{u32_at, u64_at};

const SECTOR: u64 = 512;
/// Logical partitions followed along an extended partition's chain.
const MAX_LOGICAL: usize = 64;

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    if ntfs::is_boot_sector(data) {
        return ntfs::read_volume(data, "", cx);
    }
    if fat::is_boot_sector(data) {
        return fat::read_volume(data, "", cx);
    }
    let partitions = partitions(data);
    if partitions.is_empty() {
        return Err(ReadError::Unsupported("no FAT or NTFS file system and no partition table".into()));
    }
    let mut failures = Vec::new();
    for partition in partitions {
        if !cx.wants_more() {
            break;
        }
        let label = format!("partition{}", partition.number);
        let start = partition.start.saturating_mul(SECTOR);
        let end = start.saturating_add(partition.sectors.saturating_mul(SECTOR));
        let bytes = usize::try_from(start).ok().and_then(|start| data.get(start..usize::try_from(end).ok()?.min(data.len())));
        let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
            failures.push(format!("{label}: starts past the end of the image"));
            continue;
        };
        // The boot sector says which file system it is: a GPT's basic-data type and MBR type
        // 0x07 are each used by several.
        let prefix = format!("{label}/");
        let opened = if ntfs::is_boot_sector(bytes) {
            ntfs::read_volume(bytes, &prefix, cx)
        } else if partition.kind.is_fat() || fat::is_boot_sector(bytes) {
            fat::read_volume(bytes, &prefix, cx)
        } else {
            cx.skip(&label, format!("not opened: {} is neither FAT nor NTFS", partition.kind));
            continue;
        };
        if let Err(error) = opened {
            failures.push(format!("{label}: {error}"));
        } else if (bytes.len() as u64) < end - start {
            failures.push(format!("{label}: the image ends {} bytes before the partition does", end - start - bytes.len() as u64));
        }
    }
    if failures.is_empty() {
        return Ok(());
    }
    Err(ReadError::Damaged(failures.join("; ")))
}

/// MBR partition types of FAT file systems (plain, LBA and hidden forms).
const FAT_TYPES: &[u8] = &[0x01, 0x04, 0x06, 0x0b, 0x0c, 0x0e, 0x11, 0x14, 0x16, 0x1b, 0x1c, 0x1e];
/// Extended partitions (CHS and LBA forms), which chain logical partitions.
const EXTENDED_TYPES: &[u8] = &[0x05, 0x0f];

/// The MBR partition type of a GPT disk's protective partition.
const GPT_PROTECTIVE: u8 = 0xee;
/// Partition entries of a GPT read at most (the usual table holds 128).
const MAX_GPT_ENTRIES: u64 = 1024;
/// GPT partition types of FAT file systems, as stored: Microsoft basic data and the EFI system
/// partition.
const GPT_FAT_TYPES: [[u8; 16]; 2] = [
    [0xa2, 0xa0, 0xd0, 0xeb, 0xe5, 0xb9, 0x33, 0x44, 0x87, 0xc0, 0x68, 0xb6, 0xb7, 0x26, 0x99, 0xc7],
    [0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b],
];

/// A partition's type: an MBR type byte or a GPT type GUID.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PartitionKind {
    Mbr(u8),
    Gpt([u8; 16]),
}

impl PartitionKind {
    fn is_fat(self) -> bool {
        match self {
            Self::Mbr(kind) => FAT_TYPES.contains(&kind),
            Self::Gpt(guid) => GPT_FAT_TYPES.contains(&guid),
        }
    }
}

impl std::fmt::Display for PartitionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Mbr(GPT_PROTECTIVE) => write!(f, "partition type 0xee (a GPT whose partition table could not be read)"),
            Self::Mbr(kind) => write!(f, "partition type {kind:#04x}"),
            Self::Gpt(guid) => {
                let field = |range: std::ops::Range<usize>, reversed: bool| {
                    let bytes = guid.get(range).unwrap_or_default();
                    let ordered: Vec<u8> = if reversed { bytes.iter().rev().copied().collect() } else { bytes.to_vec() };
                    ordered.iter().map(|b| format!("{b:02X}")).collect::<String>()
                };
                write!(
                    f,
                    "GPT partition type {}-{}-{}-{}-{}",
                    field(0..4, true),
                    field(4..6, true),
                    field(6..8, true),
                    field(8..10, false),
                    field(10..16, false)
                )
            }
        }
    }
}

/// One partition, in sectors from the start of the disk.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Partition {
    pub(crate) number: usize,
    pub(crate) kind: PartitionKind,
    pub(crate) start: u64,
    pub(crate) sectors: u64,
}

/// The four entries of the table in `sector` that are in use (type and size non-zero, status
/// 0x00 or 0x80), with the table's signature checked; `None` when it is no partition table.
pub(crate) fn table(sector: &[u8]) -> Option<Vec<(u8, u64, u64)>> {
    if sector.get(510..512)? != [0x55, 0xaa] {
        return None;
    }
    let mut entries = Vec::new();
    for index in 0..4 {
        let entry = sector.get(446 + index * 16..446 + (index + 1) * 16)?;
        if entry[0] != 0 && entry[0] != 0x80 {
            return None;
        }
        let start = u64::from(u32_at(entry, 8)?);
        let sectors = u64::from(u32_at(entry, 12)?);
        if entry[4] != 0 && sectors != 0 {
            entries.push((entry[4], start, sectors));
        }
    }
    Some(entries)
}

/// The disk's partitions: the primary ones, then the logical ones (numbered from 5, as Linux
/// does) found by following the extended partition's chain, each table read once.
pub(crate) fn partitions(data: &[u8]) -> Vec<Partition> {
    let Some(primary) = table(data) else { return Vec::new() };
    if primary.iter().any(|&(kind, _, _)| kind == GPT_PROTECTIVE) {
        if let Some(found) = gpt_partitions(data) {
            return found;
        }
    }
    let mut found = Vec::new();
    let mut extended = None;
    for (index, &(kind, start, sectors)) in primary.iter().enumerate() {
        if EXTENDED_TYPES.contains(&kind) {
            extended = extended.or(Some(start));
        } else {
            found.push(Partition { number: index + 1, kind: PartitionKind::Mbr(kind), start, sectors });
        }
    }
    let Some(base) = extended else { return found };
    let mut next = Some(base);
    let mut seen = std::collections::HashSet::new();
    while let Some(at) = next.take() {
        if found.len() >= 4 + MAX_LOGICAL || !seen.insert(at) {
            break;
        }
        let Some(ebr) = usize::try_from(at.saturating_mul(SECTOR)).ok().and_then(|offset| data.get(offset..offset.checked_add(512)?))
        else {
            break;
        };
        let Some(entries) = table(ebr) else { break };
        for (kind, start, sectors) in entries {
            if EXTENDED_TYPES.contains(&kind) {
                // The next link is relative to the extended partition's start.
                next = Some(base.saturating_add(start));
            } else {
                let number = 5 + found.iter().filter(|p| p.number >= 5).count();
                found.push(Partition { number, kind: PartitionKind::Mbr(kind), start: at.saturating_add(start), sectors });
            }
        }
    }
    found
}

/// The partitions of a GPT disk (512-byte sectors: its header at the second sector), numbered
/// by their entry, in use when their type is not zero; `None` when there is no GPT header.
fn gpt_partitions(data: &[u8]) -> Option<Vec<Partition>> {
    let header = data.get(512..604).filter(|header| header.starts_with(b"EFI PART"))?;
    let table = u64_at(header, 72)?;
    let count = u64::from(u32_at(header, 80)?).min(MAX_GPT_ENTRIES);
    let size = u64::from(u32_at(header, 84)?);
    if !(128..=4096).contains(&size) || size % 8 != 0 {
        return None;
    }
    let mut found = Vec::new();
    for index in 0..count {
        let at = table.checked_mul(SECTOR)?.checked_add(index * size)?;
        let Some(entry) = usize::try_from(at).ok().and_then(|at| data.get(at..at.checked_add(128)?)) else { break };
        let kind: [u8; 16] = entry.get(..16)?.try_into().ok()?;
        let (first, last) = (u64_at(entry, 32)?, u64_at(entry, 40)?);
        if kind == [0; 16] || last < first {
            continue;
        }
        let number = usize::try_from(index).ok()? + 1;
        found.push(Partition { number, kind: PartitionKind::Gpt(kind), start: first, sectors: last - first + 1 });
    }
    Some(found)
}
