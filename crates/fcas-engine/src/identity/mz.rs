//! `MZ` files: PE images and plain MS-DOS executables.
use fcas_report::Format;

use super::read::{has_at, le16, le32};
use super::Detected;

const PE_MIME: &str = "application/vnd.microsoft.portable-executable";
const DOS_MIME: &str = "application/x-dosexec";

/// `file` calls an `MZ` whose `e_lfanew` points this far out a DOS program (below it, a
/// dangling `e_lfanew` gives the bare "MS-DOS executable" with no MIME type of its own).
const FAR_LFANEW: u32 = 0x2000_0000;

/// PE when a `PE\0\0` signature sits at `e_lfanew` inside the file, MS-DOS otherwise.
pub(crate) fn detect(bytes: &[u8]) -> Option<Detected> {
    if !has_at(bytes, 0, b"MZ") {
        return None;
    }
    // DOS programs keep their relocation table below 0x40; only later formats point past it.
    let relocations = le16(bytes, 0x18).unwrap_or(0);
    if relocations < 0x40 {
        return Some(Detected::new(Format::Msdos, "MS-DOS executable, MZ for MS-DOS", DOS_MIME));
    }
    let lfanew = le32(bytes, 0x3c).unwrap_or(0);
    let signature_at = usize::try_from(lfanew).ok();
    if let Some(at) = signature_at.filter(|&at| has_at(bytes, at, b"PE\0\0")) {
        return Some(Detected::new(Format::Pe, describe_pe(bytes, at), PE_MIME));
    }
    if lfanew > FAR_LFANEW && lfanew < 0x8000_0000 {
        return Some(Detected::new(Format::Msdos, "MS-DOS executable, MZ for MS-DOS", DOS_MIME));
    }
    Some(Detected::new(Format::Msdos, "MS-DOS executable", "application/octet-stream"))
}

/// `PE32+ executable (DLL) (GUI) x86-64, for MS Windows, 6 sections`, from whatever part of
/// the headers is present.
fn describe_pe(bytes: &[u8], pe_at: usize) -> String {
    let coff = pe_at.saturating_add(4);
    let optional = coff.saturating_add(20);
    let machine = le16(bytes, coff);
    let sections = le16(bytes, coff.saturating_add(2));
    let characteristics = le16(bytes, coff.saturating_add(18)).unwrap_or(0);
    let magic = le16(bytes, optional);
    let mut text = String::from(match magic {
        Some(0x20b) => "PE32+ executable",
        _ => "PE32 executable",
    });
    let subsystem = le16(bytes, optional.saturating_add(68));
    let is_efi = matches!(subsystem, Some(10..=13));
    if characteristics & 0x2000 != 0 && !is_efi {
        text.push_str(" (DLL)");
    }
    if let Some(subsystem) = subsystem {
        text.push_str(&format!(" ({})", subsystem_name(subsystem)));
    }
    match machine {
        Some(machine) => text.push_str(&format!(" {}", machine_name(machine))),
        None => text.push_str(" unknown machine"),
    }
    if characteristics & 0x0200 != 0 {
        text.push_str(" (stripped to external PDB)");
    }
    // The CLR runtime header is data directory 14; its offset in the optional header depends
    // on PE32 vs PE32+.
    let clr_dir = if magic == Some(0x20b) { 224 } else { 208 };
    if le32(bytes, optional.saturating_add(clr_dir + 4)).is_some_and(|size| size > 0) {
        text.push_str(" Mono/.Net assembly");
    }
    text.push_str(", for MS Windows");
    // Like `file`, print the count only when it is plausible as a signed 16-bit number above 1.
    if let Some(count) = sections.map(|n| n as i16).filter(|&n| n > 1) {
        text.push_str(&format!(", {count} sections"));
    }
    text
}

fn subsystem_name(subsystem: u16) -> String {
    match subsystem {
        1 => "native".into(),
        2 => "GUI".into(),
        3 => "console".into(),
        5 => "OS/2 console".into(),
        7 => "POSIX CUI".into(),
        9 => "Windows CE GUI".into(),
        10 => "EFI application".into(),
        11 => "EFI boot service driver".into(),
        12 => "EFI runtime driver".into(),
        13 => "EFI ROM".into(),
        14 => "XBOX".into(),
        16 => "boot application".into(),
        other => format!("Unknown subsystem 0x{other:x}"),
    }
}

fn machine_name(machine: u16) -> String {
    match machine {
        0x014c => "Intel 80386".into(),
        0x8664 => "x86-64".into(),
        0xaa64 => "Aarch64".into(),
        0x01c0 => "ARM".into(),
        0x01c2 => "ARM Thumb".into(),
        0x01c4 => "ARMv7 Thumb".into(),
        0xa641 => "ARM64EC".into(),
        0x0200 => "Intel Itanium".into(),
        0x0166 => "MIPS R4000".into(),
        0x01f0 | 0x01f1 => "PowerPC".into(),
        0x5032 => "RISC-V 32-bit".into(),
        0x5064 => "RISC-V 64-bit".into(),
        0x0ebc => "EFI byte code".into(),
        other => format!("Unknown PE machine 0x{other:x}"),
    }
}
