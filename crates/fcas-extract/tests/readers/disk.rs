//! FAT volumes formatted and filled by the `fatfs` crate (and by mkfs.fat when installed), on
//! their own and inside MBR-partitioned disks with primary and logical partitions.
use std::io::{Cursor, Write};

use fatfs::{FatType, FileSystem, FormatVolumeOptions, FsOptions};
use fcas_report::{ExtractionStatus, Format};

use crate::common::{damage_never_panics, garbage_is_a_value, names, open, sha256};

/// Files every test volume holds (`/` separates folders).
pub fn files() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("README.TXT", b"fat volume\n".to_vec()),
        ("Program Files/A Long File Name.exe", (0..70_000u32).map(|i| (i % 249) as u8).collect()),
        ("Program Files/sub/empty", Vec::new()),
    ]
}

/// Writes [`files`] into a formatted volume.
pub fn fill(volume: &mut [u8]) {
    let fs = FileSystem::new(Cursor::new(volume), FsOptions::new()).unwrap();
    for (path, data) in files() {
        let root = fs.root_dir();
        if let Some((folder, _)) = path.rsplit_once('/') {
            let mut at = String::new();
            for part in folder.split('/') {
                at = if at.is_empty() { part.to_string() } else { format!("{at}/{part}") };
                let _ = root.create_dir(&at);
            }
        }
        root.create_file(path).unwrap().write_all(&data).unwrap();
    }
    fs.unmount().unwrap();
}

/// A filled volume of `size` bytes and `kind`.
pub fn volume(size: usize, kind: FatType) -> Vec<u8> {
    let mut bytes = vec![0u8; size];
    fatfs::format_volume(Cursor::new(bytes.as_mut_slice()), FormatVolumeOptions::new().fat_type(kind)).unwrap();
    fill(&mut bytes);
    bytes
}

/// The expected children, each name behind `prefix`, sorted.
pub fn expected(prefix: &str) -> Vec<(String, String)> {
    let mut want: Vec<_> = files().iter().map(|(n, d)| (format!("{prefix}{n}"), sha256(d))).collect();
    want.sort();
    want
}

pub fn sorted(children: &[(String, Vec<u8>)]) -> Vec<(String, String)> {
    let mut got: Vec<_> = children.iter().map(|(n, d)| (n.clone(), sha256(d))).collect();
    got.sort();
    got
}

fn entry(kind: u8, start: u32, sectors: u32) -> [u8; 16] {
    let mut e = [0u8; 16];
    e[4] = kind;
    e[8..12].copy_from_slice(&start.to_le_bytes());
    e[12..16].copy_from_slice(&sectors.to_le_bytes());
    e
}

/// A disk with a FAT16 primary partition (1) and, in an extended partition, a FAT12 logical
/// partition (5).
pub fn mbr_disk() -> Vec<u8> {
    let fat16 = volume(8 << 20, FatType::Fat16);
    let fat12 = volume(1 << 20, FatType::Fat12);
    let first = 2048usize;
    let extended = first + fat16.len() / 512;
    let logical = extended + 63;
    let mut disk = vec![0u8; (logical * 512) + fat12.len()];
    disk[446..462].copy_from_slice(&entry(0x0e, first as u32, (fat16.len() / 512) as u32));
    disk[462..478].copy_from_slice(&entry(0x05, extended as u32, (63 + fat12.len() / 512) as u32));
    disk[510..512].copy_from_slice(&[0x55, 0xaa]);
    let ebr = extended * 512;
    disk[ebr + 446..ebr + 462].copy_from_slice(&entry(0x01, 63, (fat12.len() / 512) as u32));
    disk[ebr + 510..ebr + 512].copy_from_slice(&[0x55, 0xaa]);
    disk[first * 512..first * 512 + fat16.len()].copy_from_slice(&fat16);
    disk[logical * 512..].copy_from_slice(&fat12);
    disk
}

/// A GPT disk (protective MBR, header, table of 128 entries) with a FAT16 basic-data partition
/// (entry 1) and a Linux partition of zeros (entry 3), as `sgdisk` lays one out.
pub fn gpt_disk() -> Vec<u8> {
    const BASIC_DATA: [u8; 16] = [0xa2, 0xa0, 0xd0, 0xeb, 0xe5, 0xb9, 0x33, 0x44, 0x87, 0xc0, 0x68, 0xb6, 0xb7, 0x26, 0x99, 0xc7];
    const LINUX: [u8; 16] = [0xaf, 0x3d, 0xc6, 0x0f, 0x83, 0x84, 0x72, 0x47, 0x8e, 0x79, 0x3d, 0x69, 0xd8, 0x47, 0x7d, 0xe4];
    let fat16 = volume(8 << 20, FatType::Fat16);
    let first = 2048u64;
    let linux = first + fat16.len() as u64 / 512;
    let sectors = linux + 2048 + 34;
    let mut disk = vec![0u8; sectors as usize * 512];
    disk[446..462].copy_from_slice(&entry(0xee, 1, (sectors - 1) as u32));
    disk[510..512].copy_from_slice(&[0x55, 0xaa]);
    let header = &mut disk[512..604];
    header[..8].copy_from_slice(b"EFI PART");
    header[72..80].copy_from_slice(&2u64.to_le_bytes());
    header[80..84].copy_from_slice(&128u32.to_le_bytes());
    header[84..88].copy_from_slice(&128u32.to_le_bytes());
    for (index, kind, start, end) in [(0usize, BASIC_DATA, first, linux - 1), (2, LINUX, linux, linux + 2047)] {
        let at = 1024 + index * 128;
        disk[at..at + 16].copy_from_slice(&kind);
        disk[at + 32..at + 40].copy_from_slice(&start.to_le_bytes());
        disk[at + 40..at + 48].copy_from_slice(&end.to_le_bytes());
    }
    disk[first as usize * 512..][..fat16.len()].copy_from_slice(&fat16);
    disk
}

#[test]
fn gpt_partitions_behind_the_protective_mbr() {
    let (extraction, children) = open(Format::DiskImage, &gpt_disk());
    assert_eq!((extraction.status, extraction.format.as_str()), (ExtractionStatus::Opened, "mbr"), "{extraction:?}");
    assert_eq!(sorted(&children), expected("partition1/"));
    let skipped: Vec<_> = extraction.skipped.iter().map(|s| (s.name.as_str(), s.reason.as_str())).collect();
    assert_eq!(skipped, [("partition3", "not opened: GPT partition type 0FC63DAF-8483-4772-8E79-3D69D8477DE4 is neither FAT nor NTFS")]);
    // The table cut off, or entries that lie: what can be read is, nothing panics.
    let disk = gpt_disk();
    damage_never_panics(Format::DiskImage, &disk[..4096], 97);
    let mut lying = disk.clone();
    lying[512 + 72..512 + 80].copy_from_slice(&u64::MAX.to_le_bytes());
    let (extraction, children) = open(Format::DiskImage, &lying);
    assert!(children.is_empty(), "{extraction:?}");
    assert!(extraction.skipped.iter().any(|s| s.reason.contains("a GPT whose partition table could not be read")), "{extraction:?}");
}

#[test]
fn fat12_fat16_fat32_volumes() {
    for (size, kind) in [(1 << 20, FatType::Fat12), (8 << 20, FatType::Fat16), (40 << 20, FatType::Fat32)] {
        let image = volume(size, kind);
        let (extraction, children) = open(Format::DiskImage, &image);
        assert_eq!((extraction.status, extraction.format.as_str()), (ExtractionStatus::Opened, "fat"), "{kind:?}: {extraction:?}");
        assert_eq!(sorted(&children), expected(""), "{kind:?}");
    }
}

#[test]
fn mbr_primary_and_logical_partitions() {
    let (extraction, children) = open(Format::DiskImage, &mbr_disk());
    assert_eq!((extraction.status, extraction.format.as_str()), (ExtractionStatus::Opened, "mbr"), "{extraction:?}");
    let mut want = expected("partition1/");
    want.extend(expected("partition5/"));
    want.sort();
    assert_eq!(sorted(&children), want);
}

#[test]
fn fat_truncated_is_partial_or_failed() {
    let image = volume(1 << 20, FatType::Fat12);
    // The big file's clusters lie past the cut.
    let (extraction, children) = open(Format::DiskImage, &image[..40_000]);
    assert!(!names(&children).contains(&"Program Files/A Long File Name.exe"), "{extraction:?}");
    assert!(extraction.status != ExtractionStatus::Opened || !extraction.skipped.is_empty(), "{extraction:?}");
    let disk = mbr_disk();
    // Partition 5 keeps its boot sector and loses the rest.
    let (extraction, children) = open(Format::DiskImage, &disk[..disk.len() - (1 << 20) + 600]);
    assert_eq!(extraction.status, ExtractionStatus::Partial, "{extraction:?}");
    assert!(names(&children).iter().all(|n| n.starts_with("partition1/")));
}

#[test]
fn fat_loops_terminate() {
    let mut image = volume(1 << 20, FatType::Fat12);
    // Every FAT12 entry pointing at cluster 2 (the first folder's): chains loop everywhere.
    let fat = 512;
    for at in (fat + 3..fat + 3 * 512).step_by(3) {
        image[at..at + 3].copy_from_slice(&[0x02, 0x20, 0x00]);
    }
    let (extraction, _) = open(Format::DiskImage, &image);
    assert!(!fcas_report::stage::is_panic(extraction.message.as_deref().unwrap_or_default()));
}

#[test]
fn fat_damage_never_panics() {
    let image = volume(1 << 20, FatType::Fat12);
    damage_never_panics(Format::DiskImage, &image[..64 << 10], 4093);
    let disk = mbr_disk();
    damage_never_panics(Format::DiskImage, &disk[..(2048 * 512) + (64 << 10)], 100_003);
    let mut boot = image[..512].to_vec();
    boot.resize(40_000, 0);
    garbage_is_a_value(Format::DiskImage, &boot[..64]);
}

/// A volume formatted by mkfs.fat, filled by `fatfs`, when mkfs.fat is installed.
#[test]
fn fat_from_mkfs_fat() {
    if !crate::tools::installed("mkfs.fat") {
        return;
    }
    let scratch = crate::tools::Scratch::new("fat");
    for bits in ["12", "16", "32"] {
        let path = scratch.0.join(format!("fat{bits}.img"));
        std::fs::write(&path, vec![0u8; [("12", 8 << 20), ("16", 20 << 20), ("32", 40 << 20)].iter().find(|(b, _)| *b == bits).unwrap().1])
            .unwrap();
        let status = std::process::Command::new("mkfs.fat").args(["-F", bits]).arg(&path).output().unwrap().status;
        assert!(status.success());
        let mut image = std::fs::read(&path).unwrap();
        fill(&mut image);
        let (extraction, children) = open(Format::DiskImage, &image);
        assert_eq!(extraction.status, ExtractionStatus::Opened, "FAT{bits}: {extraction:?}");
        assert_eq!(sorted(&children), expected(""), "FAT{bits}");
    }
}
