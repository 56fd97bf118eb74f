//! Disc and disk images: ISO 9660 and UDF volume descriptors at 32 KiB, VHD footers, VHDX
//! headers, FAT and NTFS boot sectors and MBR partition tables. Descriptions and MIME types are those
//! of `file` 5.44 (which names FAT volumes, MBR disks, fixed VHDs and VHDX
//! `application/octet-stream`).
use fcas_report::Format;

use super::read::{has_at, le16, le32};
use super::Detected;

/// Where ISO 9660 and UDF put their volume descriptors: sector 16 of 2,048 bytes, and the
/// next ones.
const DESCRIPTORS: [usize; 3] = [0x8000, 0x8800, 0x9000];

pub(crate) fn detect(bytes: &[u8]) -> Option<Detected> {
    if bytes.starts_with(b"vhdxfile") {
        return Some(Detected::new(Format::Vhdx, "Microsoft Disk Image eXtended", "application/octet-stream"));
    }
    if let Some(detected) = vhd(bytes) {
        return Some(detected);
    }
    if let Some(detected) = optical(bytes) {
        return Some(detected);
    }
    ntfs(bytes).or_else(|| fat(bytes)).or_else(|| mbr(bytes))
}

/// An NTFS boot sector: its OEM name and the 0x55AA signature.
fn ntfs(bytes: &[u8]) -> Option<Detected> {
    if !has_at(bytes, 3, b"NTFS    ") || !has_at(bytes, 510, &[0x55, 0xaa]) {
        return None;
    }
    let sectors = bytes.get(40..48).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes)?;
    let description = format!("DOS/MBR boot sector, OEM-ID \"NTFS    \"; NTFS, sectors {sectors}");
    Some(Detected::new(Format::DiskImage, description, "application/octet-stream"))
}

/// A VHD: its footer at the end of the file (every VHD), or its copy at the start (dynamic
/// and differencing VHDs).
fn vhd(bytes: &[u8]) -> Option<Detected> {
    let at_end = bytes.len().checked_sub(512).is_some_and(|at| has_at(bytes, at, b"conectix"));
    if bytes.starts_with(b"conectix") {
        return Some(Detected::new(Format::Vhd, "Microsoft Disk Image, Virtual Server or Virtual PC", "application/x-virtualbox-vhd"));
    }
    at_end.then(|| Detected::new(Format::Vhd, "Microsoft Disk Image, Virtual Server or Virtual PC (fixed)", "application/octet-stream"))
}

/// ISO 9660 (`CD001`) and UDF (`BEA01` then `NSR02`/`NSR03`) volume recognition.
fn optical(bytes: &[u8]) -> Option<Detected> {
    let ident = |at: usize, id: &[u8]| has_at(bytes, at + 1, id);
    // A UDF bridge image puts the ISO 9660 descriptors first, the UDF ones after: look a few
    // sectors further for the NSR descriptor.
    let udf = (0..8).map(|i| 0x8000 + i * 0x800).any(|at| ident(at, b"NSR02") || ident(at, b"NSR03"));
    if udf {
        return Some(Detected::new(Format::Udf, "UDF filesystem data", "application/x-iso9660-image"));
    }
    DESCRIPTORS
        .iter()
        .any(|&at| ident(at, b"CD001"))
        .then(|| Detected::new(Format::Iso, "ISO 9660 CD-ROM filesystem data", "application/x-iso9660-image"))
}

/// A FAT boot sector: a jump, a sane BIOS parameter block and the 0x55AA signature.
fn fat(bytes: &[u8]) -> Option<Detected> {
    let jump = *bytes.first()?;
    let bytes_per_sector = le16(bytes, 11)?;
    let per_cluster = *bytes.get(13)?;
    let reserved = le16(bytes, 14)?;
    let fats = *bytes.get(16)?;
    let sane = matches!(jump, 0xeb | 0xe9)
        && has_at(bytes, 510, &[0x55, 0xaa])
        && matches!(bytes_per_sector, 512 | 1024 | 2048 | 4096)
        && per_cluster.is_power_of_two()
        && reserved >= 1
        && (1..=2).contains(&fats);
    if !sane {
        return None;
    }
    // FAT32's BPB has no root entries and a 32-bit FAT size; the type label says the rest.
    let bits = if le16(bytes, 17)? == 0 && le16(bytes, 22)? == 0 {
        "32"
    } else if has_at(bytes, 54, b"FAT16") {
        "16"
    } else {
        "12"
    };
    let oem: String = bytes.get(3..11)?.iter().map(|&b| if b.is_ascii_graphic() || b == b' ' { char::from(b) } else { '.' }).collect();
    let mut description = format!("DOS/MBR boot sector, OEM-ID \"{}\", FAT ({bits} bit)", oem.trim_end());
    // `file` calls a floppy whose FAT follows the boot sector (media byte 0xF0) an IMA image.
    let floppy = bytes.get(21) == Some(&0xf0) && reserved == 1 && has_at(bytes, usize::from(bytes_per_sector), &[0xf0, 0xff, 0xff]);
    if floppy {
        description.push_str(", followed by FAT");
    }
    Some(Detected::new(Format::DiskImage, description, if floppy { "application/x-ima" } else { "application/octet-stream" }))
}

/// The MBR partition type that covers a GPT disk.
const GPT_PROTECTIVE: u8 = 0xee;
/// MBR partition types of FAT file systems (plain, LBA and hidden forms), of NTFS (0x07, also
/// exFAT's; hidden 0x17; Windows recovery 0x27) and extended partitions, which may hold more.
const OPENED_OR_EXTENDED: &[u8] = &[0x01, 0x04, 0x05, 0x06, 0x07, 0x0b, 0x0c, 0x0e, 0x0f, 0x11, 0x14, 0x16, 0x17, 0x1b, 0x1c, 0x1e, 0x27];

/// An MBR whose table is well formed (each entry's status 0x00 or 0x80) and has a FAT, NTFS
/// or extended partition, or the protective partition of a GPT disk (its header at sector 1).
fn mbr(bytes: &[u8]) -> Option<Detected> {
    if !has_at(bytes, 510, &[0x55, 0xaa]) {
        return None;
    }
    let mut first = None;
    for index in 0..4 {
        let entry = 446 + index * 16;
        let status = *bytes.get(entry)?;
        if status != 0 && status != 0x80 {
            return None;
        }
        let kind = *bytes.get(entry + 4)?;
        let (start, sectors) = (le32(bytes, entry + 8)?, le32(bytes, entry + 12)?);
        let gpt = kind == GPT_PROTECTIVE && has_at(bytes, 512, b"EFI PART");
        if first.is_none() && (OPENED_OR_EXTENDED.contains(&kind) || gpt) && sectors > 0 {
            first = Some((index + 1, kind, start, sectors));
        }
    }
    let (number, kind, start, sectors) = first?;
    let description = format!("DOS/MBR boot sector; partition {number} : ID={kind:#x}, startsector {start}, {sectors} sectors");
    Some(Detected::new(Format::DiskImage, description, "application/octet-stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A disk whose MBR has one partition of type `kind` from sector 1, and `header` at sector 1.
    fn disk(kind: u8, header: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0u8; 4096];
        bytes[446 + 4] = kind;
        bytes[446 + 8] = 1;
        bytes[446 + 12..446 + 16].copy_from_slice(&7u32.to_le_bytes());
        bytes[510..512].copy_from_slice(&[0x55, 0xaa]);
        bytes[512..512 + header.len()].copy_from_slice(header);
        bytes
    }

    #[test]
    fn a_gpt_disk_is_a_disk_image_by_its_protective_partition_and_header() {
        let gpt = detect(&disk(GPT_PROTECTIVE, b"EFI PART")).map(|d| d.format);
        assert_eq!(gpt, Some(Format::DiskImage));
        // The protective type without a GPT header, or another unknown type: not a disk image.
        assert_eq!(detect(&disk(GPT_PROTECTIVE, b"NOT PART")).map(|d| d.format), None);
        assert_eq!(detect(&disk(0x83, b"EFI PART")).map(|d| d.format), None);
        assert_eq!(detect(&disk(0x0c, b"")).map(|d| d.format), Some(Format::DiskImage));
        assert_eq!(detect(&disk(0x07, b"")).map(|d| d.format), Some(Format::DiskImage));
    }

    #[test]
    fn an_ntfs_volume_is_a_disk_image_by_its_boot_sector() {
        let mut volume = vec![0u8; 4096];
        volume[..11].copy_from_slice(b"\xeb\x52\x90NTFS    ");
        volume[40..48].copy_from_slice(&8191u64.to_le_bytes());
        volume[510..512].copy_from_slice(&[0x55, 0xaa]);
        let detected = detect(&volume).expect("detected");
        assert_eq!(detected.format, Format::DiskImage);
        assert!(detected.description.ends_with("NTFS, sectors 8191"), "{}", detected.description);
        volume[510] = 0;
        assert!(detect(&volume).is_none(), "no signature, no volume");
    }
}
