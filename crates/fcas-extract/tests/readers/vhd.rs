//! VHDs built here around FAT volumes and MBR disks (fixed, and dynamic with unallocated
//! blocks), and made by qemu-img when it is installed.
use fatfs::FatType;
use fcas_extract::{ExtractLimits, Settings};
use fcas_report::{ExtractionStatus, Format};

use crate::common::{damage_never_panics, garbage_is_a_value, open, open_with};
use crate::disk::{expected, mbr_disk, sorted, volume};

fn footer(size: u64, kind: u32, header_at: u64) -> Vec<u8> {
    let mut f = vec![0u8; 512];
    f[..8].copy_from_slice(b"conectix");
    f[8..12].copy_from_slice(&2u32.to_be_bytes());
    f[12..16].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    f[16..24].copy_from_slice(&header_at.to_be_bytes());
    f[40..48].copy_from_slice(&size.to_be_bytes());
    f[48..56].copy_from_slice(&size.to_be_bytes());
    f[60..64].copy_from_slice(&kind.to_be_bytes());
    f
}

pub fn fixed(disk: &[u8]) -> Vec<u8> {
    let mut vhd = disk.to_vec();
    vhd.extend(footer(disk.len() as u64, 2, u64::MAX));
    vhd
}

/// A dynamic VHD of `disk` with blocks of `block` bytes; blocks of zeros are left unallocated.
pub fn dynamic(disk: &[u8], block: usize) -> Vec<u8> {
    let blocks = disk.len().div_ceil(block);
    let mut vhd = footer(disk.len() as u64, 3, 512);
    let mut header = vec![0u8; 1024];
    header[..8].copy_from_slice(b"cxsparse");
    header[8..16].copy_from_slice(&u64::MAX.to_be_bytes());
    header[16..24].copy_from_slice(&1536u64.to_be_bytes());
    header[24..28].copy_from_slice(&0x0001_0000u32.to_be_bytes());
    header[28..32].copy_from_slice(&(blocks as u32).to_be_bytes());
    header[32..36].copy_from_slice(&(block as u32).to_be_bytes());
    vhd.extend(header);
    let table_len = (blocks * 4).div_ceil(512) * 512;
    let mut table = vec![0xffu8; table_len];
    let mut body = Vec::new();
    let bitmap = (block / 512).div_ceil(8).div_ceil(512) * 512;
    let mut next = (1536 + table_len) / 512;
    for (index, chunk) in disk.chunks(block).enumerate() {
        if chunk.iter().all(|&b| b == 0) {
            continue;
        }
        table[index * 4..index * 4 + 4].copy_from_slice(&(next as u32).to_be_bytes());
        body.extend(vec![0xffu8; bitmap]);
        body.extend(chunk);
        body.resize(body.len() + (block - chunk.len()), 0);
        next += (bitmap + block) / 512;
    }
    vhd.extend(table);
    vhd.extend(body);
    vhd.extend(footer(disk.len() as u64, 3, 512));
    vhd
}

#[test]
fn vhd_fixed_and_dynamic() {
    let fat = volume(1 << 20, FatType::Fat12);
    let disk = mbr_disk();
    for (what, vhd, prefixes) in [
        ("fixed FAT", fixed(&fat), vec![""]),
        ("dynamic FAT", dynamic(&fat, 64 << 10), vec![""]),
        ("fixed MBR", fixed(&disk), vec!["partition1/", "partition5/"]),
        ("dynamic MBR", dynamic(&disk, 2 << 20), vec!["partition1/", "partition5/"]),
    ] {
        let (extraction, children) = open(Format::Vhd, &vhd);
        assert_eq!((extraction.status, extraction.format.as_str()), (ExtractionStatus::Opened, "vhd"), "{what}: {extraction:?}");
        let mut want: Vec<_> = prefixes.iter().flat_map(|p| expected(p)).collect();
        want.sort();
        assert_eq!(sorted(&children), want, "{what}");
    }
}

#[test]
fn vhd_virtual_size_over_the_limits_is_refused() {
    let vhd = dynamic(&volume(1 << 20, FatType::Fat12), 64 << 10);
    let settings = Settings { limits: ExtractLimits { max_child_size: 512 << 10, ..ExtractLimits::default() }, ..Settings::default() };
    let (extraction, children) = open_with(Format::Vhd, &vhd, &settings);
    assert!(children.is_empty());
    assert_eq!(extraction.limits_hit.len(), 1, "{extraction:?}");
    // A footer claiming an exabyte allocates nothing.
    let mut huge = vhd.clone();
    let at = huge.len() - 512;
    huge[at + 48..at + 56].copy_from_slice(&(1u64 << 60).to_be_bytes());
    let (extraction, children) = open(Format::Vhd, &huge);
    assert!(children.is_empty() && !extraction.limits_hit.is_empty(), "{extraction:?}");
}

#[test]
fn vhd_damaged() {
    let vhd = dynamic(&volume(1 << 20, FatType::Fat12), 64 << 10);
    // The last blocks and the footer cut off: the copy at the start still describes the disk.
    let (extraction, _) = open(Format::Vhd, &vhd[..vhd.len() - 30_000]);
    assert!(matches!(extraction.status, ExtractionStatus::Partial | ExtractionStatus::Failed), "{extraction:?}");
    damage_never_panics(Format::Vhd, &vhd, 50_021);
    damage_never_panics(Format::Vhd, &vhd[..4096], 97);
    garbage_is_a_value(Format::Vhd, b"conectix");
    // A VHDX that is only its signature has no header: damaged, not a crash.
    let (extraction, children) = open(Format::Vhdx, b"vhdxfile\0\0\0\0");
    assert_eq!(extraction.status, ExtractionStatus::Failed, "{extraction:?}");
    assert!(children.is_empty());
}

/// The bytes of `raw` converted by qemu-img into `out`, of `format` with `options`.
fn qemu_img_convert(raw: &std::path::Path, out: &std::path::Path, format: &str, options: &str) -> Vec<u8> {
    let status = std::process::Command::new("qemu-img")
        .args(["convert", "-q", "-f", "raw", "-O", format, "-o", options])
        .arg(raw)
        .arg(out)
        .status()
        .unwrap();
    assert!(status.success(), "qemu-img convert -O {format} -o {options}");
    std::fs::read(out).unwrap()
}

/// qemu-img's fixed and dynamic VHDs of a FAT volume, when it is installed.
#[test]
fn vhd_from_qemu_img() {
    if !crate::tools::installed("qemu-img") {
        return;
    }
    let scratch = crate::tools::Scratch::new("vhd");
    let raw = scratch.0.join("disk.raw");
    std::fs::write(&raw, volume(4 << 20, FatType::Fat16)).unwrap();
    for subformat in ["fixed", "dynamic"] {
        let vhd =
            qemu_img_convert(&raw, &scratch.0.join(format!("{subformat}.vhd")), "vpc", &format!("subformat={subformat},force_size=on"));
        let (extraction, children) = open(Format::Vhd, &vhd);
        assert_eq!(extraction.status, ExtractionStatus::Opened, "{subformat}: {extraction:?}");
        assert_eq!(sorted(&children), expected(""), "{subformat}");
    }
}

/// qemu-img's VHDX (dynamic, with the blocks a FAT volume leaves unwritten absent, and with
/// every block allocated) of a FAT volume and of an MBR disk, when qemu-img is installed; then
/// the same files damaged, cut and over the limits.
#[test]
fn vhdx_from_qemu_img() {
    if !crate::tools::installed("qemu-img") {
        return;
    }
    let scratch = crate::tools::Scratch::new("vhdx");
    let volume_raw = scratch.0.join("volume.raw");
    std::fs::write(&volume_raw, volume(4 << 20, FatType::Fat16)).unwrap();
    let disk_raw = scratch.0.join("disk.raw");
    std::fs::write(&disk_raw, mbr_disk()).unwrap();
    let mut on_disk = expected("partition1/");
    on_disk.extend(expected("partition5/"));
    on_disk.sort();
    let mut images = Vec::new();
    for (raw, prefix, want) in [(&volume_raw, "volume", expected("")), (&disk_raw, "disk", on_disk)] {
        for options in ["subformat=dynamic", "subformat=fixed", "subformat=dynamic,block_size=1M,log_size=1M"] {
            let out = scratch.0.join(format!("{prefix}-{}.vhdx", options.replace([',', '='], "-")));
            let vhdx = qemu_img_convert(raw, &out, "vhdx", options);
            let (extraction, children) = open(Format::Vhdx, &vhdx);
            assert_eq!(extraction.status, ExtractionStatus::Opened, "{options}: {extraction:?}");
            assert_eq!(sorted(&children), want, "{prefix} {options}");
            images.push(vhdx);
        }
    }
    let vhdx = &images[0];
    // The virtual disk is allocated whole: refused over the child limit, nothing allocated.
    let settings = Settings { limits: ExtractLimits { max_child_size: 1 << 20, ..ExtractLimits::default() }, ..Settings::default() };
    let (extraction, children) = open_with(Format::Vhdx, vhdx, &settings);
    assert!(children.is_empty() && extraction.limits_hit.len() == 1, "{extraction:?}");
    // Cut before its blocks: they read as zeros and the reader says so.
    let (extraction, _) = open(Format::Vhdx, &vhdx[..vhdx.len() / 2]);
    assert_ne!(extraction.status, ExtractionStatus::Opened, "{extraction:?}");
    damage_never_panics(Format::Vhdx, vhdx, 50_023);
    damage_never_panics(Format::Vhdx, &vhdx[..(320 << 10).min(vhdx.len())], 4_099);
    garbage_is_a_value(Format::Vhdx, b"vhdxfile");
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16().flat_map(|unit| if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() }).collect()
}

#[test]
fn a_differencing_vhd_is_reported_with_its_parent() {
    let mut vhd = dynamic(&volume(1 << 20, FatType::Fat12), 64 << 10);
    let end = vhd.len() - 512;
    for footer in [0, end] {
        vhd[footer + 60..footer + 64].copy_from_slice(&4u32.to_be_bytes());
    }
    let name = utf16("base-disk.vhd", true);
    vhd[512 + 64..512 + 64 + name.len()].copy_from_slice(&name);
    let (extraction, children) = open(Format::Vhd, &vhd);
    assert!(children.is_empty());
    assert_eq!(extraction.status, ExtractionStatus::Unsupported, "{extraction:?}");
    let message = extraction.message.unwrap_or_default();
    assert!(message.contains("differencing VHD") && message.contains("(\"base-disk.vhd\")"), "{message}");
    damage_never_panics(Format::Vhd, &vhd[..4096], 89);
}

/// A metadata item's GUID as stored (first three fields little-endian).
fn guid(first: u32, second: u16, third: u16, rest: [u8; 8]) -> Vec<u8> {
    let mut bytes = first.to_le_bytes().to_vec();
    bytes.extend(second.to_le_bytes());
    bytes.extend(third.to_le_bytes());
    bytes.extend(rest);
    bytes
}

/// Turns qemu-img's VHDX into a differencing disk: the file parameters' has-parent flag, and
/// a parent locator item naming `parent` by its relative path.
fn make_differencing(vhdx: &mut [u8], parent: &str) {
    let region = (0..vhdx.len()).step_by(64 << 10).find(|&at| vhdx[at..].starts_with(b"metadata")).expect("a metadata region");
    let count = usize::from(u16::from_le_bytes([vhdx[region + 10], vhdx[region + 11]]));
    let parameters = guid(0xCAA1_6737, 0xFA36, 0x4D43, [0xB3, 0xB6, 0x33, 0xF0, 0xAA, 0x44, 0xE7, 0x6B]);
    let entry = (0..count).map(|i| region + 32 + i * 32).find(|&at| vhdx[at..at + 16] == parameters[..]).expect("file parameters");
    let offset = u32::from_le_bytes(vhdx[entry + 16..entry + 20].try_into().unwrap()) as usize;
    vhdx[region + offset + 4] |= 2;
    // The locator: type GUID, reserved, count, then two entries and their UTF-16LE strings.
    let mut locator = vec![0u8; 20 + 2 * 12];
    locator[18] = 2;
    let mut strings = Vec::new();
    for (index, (key, value)) in
        [("parent_linkage", "{00000000-0000-0000-0000-000000000000}"), ("relative_path", parent)].iter().enumerate()
    {
        let (key, value) = (utf16(key, false), utf16(value, false));
        let base = locator.len() + strings.len();
        let at = 20 + index * 12;
        locator[at..at + 4].copy_from_slice(&(base as u32).to_le_bytes());
        locator[at + 4..at + 8].copy_from_slice(&((base + key.len()) as u32).to_le_bytes());
        locator[at + 8..at + 10].copy_from_slice(&(key.len() as u16).to_le_bytes());
        locator[at + 10..at + 12].copy_from_slice(&(value.len() as u16).to_le_bytes());
        strings.extend(key);
        strings.extend(value);
    }
    locator.extend(strings);
    let item_at = 0x30000;
    vhdx[region + item_at..region + item_at + locator.len()].copy_from_slice(&locator);
    let new = region + 32 + count * 32;
    vhdx[new..new + 16].copy_from_slice(&guid(0xA8D3_5F2D, 0xB30B, 0x454D, [0xAB, 0xF7, 0xD3, 0xD8, 0x48, 0x34, 0xAB, 0x0C]));
    vhdx[new + 16..new + 20].copy_from_slice(&(item_at as u32).to_le_bytes());
    vhdx[new + 20..new + 24].copy_from_slice(&(locator.len() as u32).to_le_bytes());
    vhdx[region + 10..region + 12].copy_from_slice(&((count + 1) as u16).to_le_bytes());
}

#[test]
fn a_differencing_vhdx_is_reported_with_its_parent() {
    if !crate::tools::installed("qemu-img") {
        return;
    }
    let scratch = crate::tools::Scratch::new("vhdx-diff");
    let raw = scratch.0.join("volume.raw");
    std::fs::write(&raw, volume(4 << 20, FatType::Fat16)).unwrap();
    let mut vhdx = qemu_img_convert(&raw, &scratch.0.join("child.vhdx"), "vhdx", "subformat=dynamic");
    make_differencing(&mut vhdx, r"..\base\golden.vhdx");
    let (extraction, children) = open(Format::Vhdx, &vhdx);
    assert!(children.is_empty());
    assert_eq!(extraction.status, ExtractionStatus::Unsupported, "{extraction:?}");
    let message = extraction.message.unwrap_or_default();
    assert!(
        message.contains(r#"differencing VHDX holds only the sectors changed since its parent disk ("..\base\golden.vhdx")"#),
        "{message}"
    );
    damage_never_panics(Format::Vhdx, &vhdx[..(320 << 10).min(vhdx.len())], 4_099);
}
