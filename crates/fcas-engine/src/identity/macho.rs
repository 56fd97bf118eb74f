//! Mach-O (thin and universal) and Java class files, which share the `0xcafebabe` magic.
use fcas_report::Format;

use super::read::{be32, u32_at, Endian};
use super::Detected;

const MACHO_MIME: &str = "application/x-mach-binary";
/// Architectures listed in a universal binary's description.
const MAX_LISTED_ARCHS: u32 = 16;

/// Thin Mach-O by its four magics; `0xcafebabe` is universal when the architecture count is
/// small (as in `file`: below 20) and a Java class when it reads as a class version (45+).
pub(crate) fn detect(bytes: &[u8]) -> Option<Detected> {
    let magic = be32(bytes, 0)?;
    match magic {
        0xfeed_face | 0xfeed_facf => Some(thin(bytes, Endian::Big)),
        0xcefa_edfe | 0xcffa_edfe => Some(thin(bytes, Endian::Little)),
        0xcafe_babe => universal_or_class(bytes),
        _ => None,
    }
}

/// `Mach-O 64-bit arm64 bundle`.
fn thin(bytes: &[u8], endian: Endian) -> Detected {
    let magic = u32_at(bytes, 0, endian).unwrap_or(0);
    let cpu = u32_at(bytes, 4, endian);
    let file_type = u32_at(bytes, 12, endian);
    let mut text = String::from("Mach-O");
    if magic == 0xfeed_facf {
        text.push_str(" 64-bit");
    }
    if let Some(cpu) = cpu {
        text.push(' ');
        text.push_str(&cpu_name(cpu));
    }
    if let Some(file_type) = file_type {
        text.push(' ');
        text.push_str(&file_type_name(file_type));
    }
    Detected::new(Format::Macho, text, MACHO_MIME)
}

fn universal_or_class(bytes: &[u8]) -> Option<Detected> {
    let count = be32(bytes, 4)?;
    if (1..20).contains(&count) {
        let mut text = format!("Mach-O universal binary with {count} architecture{}:", if count == 1 { "" } else { "s" });
        for index in 0..count.min(MAX_LISTED_ARCHS) {
            // Each fat_arch entry is 20 bytes after the 8-byte header.
            let Some(cpu) = be32(bytes, 8 + 20 * index as usize) else { break };
            text.push_str(&format!(" [{}]", cpu_name(cpu)));
        }
        return Some(Detected::new(Format::Macho, text, MACHO_MIME));
    }
    if count >= 45 {
        let minor = count >> 16;
        let major = count & 0xffff;
        return Some(Detected::new(
            Format::Class,
            format!("compiled Java class data, version {major}.{minor}"),
            "application/x-java-applet",
        ));
    }
    None
}

fn cpu_name(cpu: u32) -> String {
    match cpu {
        7 => "i386".into(),
        0x0100_0007 => "x86_64".into(),
        12 => "arm".into(),
        0x0100_000c => "arm64".into(),
        0x0200_000c => "arm64_32".into(),
        18 => "ppc".into(),
        0x0100_0012 => "ppc64".into(),
        other => format!("architecture=0x{other:x}"),
    }
}

fn file_type_name(file_type: u32) -> String {
    match file_type {
        1 => "object".into(),
        2 => "executable".into(),
        3 => "fixed virtual memory shared library".into(),
        4 => "core".into(),
        5 => "preload executable".into(),
        6 => "dynamically linked shared library".into(),
        7 => "dynamic linker".into(),
        8 => "bundle".into(),
        9 => "dynamically linked shared library stub".into(),
        10 => "dSYM companion file".into(),
        11 => "kext bundle".into(),
        other => format!("filetype={other}"),
    }
}
