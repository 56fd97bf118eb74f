//! ELF: class, byte order, object type and machine.
use fcas_report::Format;

use super::read::{has_at, u16_at, u32_at, u64_at, Endian};
use super::Detected;

/// `file` gives up on program headers past this count; so do we.
const MAX_PROGRAM_HEADERS: u16 = 2048;
/// Dynamic entries read while looking for `DT_FLAGS_1`.
const MAX_DYNAMIC_ENTRIES: usize = 4096;
const PT_DYNAMIC: u32 = 2;
const DT_NULL: u64 = 0;
const DT_FLAGS_1: u64 = 0x6fff_fffb;
const DF_1_PIE: u64 = 0x0800_0000;

/// Layout of one ELF class.
struct Layout {
    wide: bool,
    endian: Endian,
}

impl Layout {
    fn word(&self, bytes: &[u8], offset: usize) -> Option<u64> {
        if self.wide {
            u64_at(bytes, offset, self.endian)
        } else {
            u32_at(bytes, offset, self.endian).map(u64::from)
        }
    }
    fn word_size(&self) -> usize {
        if self.wide {
            8
        } else {
            4
        }
    }
}

/// `ELF 64-bit LSB pie executable, x86-64, version 1 (SYSV)`.
pub(crate) fn detect(bytes: &[u8]) -> Option<Detected> {
    if !has_at(bytes, 0, b"\x7fELF") {
        return None;
    }
    let class = bytes.get(4).copied().unwrap_or(0);
    let data = bytes.get(5).copied().unwrap_or(0);
    let layout = Layout { wide: class == 2, endian: if data == 2 { Endian::Big } else { Endian::Little } };
    let mut text = format!(
        "ELF {} {}",
        match class {
            1 => "32-bit",
            2 => "64-bit",
            _ => "invalid class",
        },
        match data {
            1 => "LSB",
            2 => "MSB",
            _ => "invalid byte order",
        }
    );
    let kind = u16_at(bytes, 16, layout.endian);
    let (words, mime) = match kind {
        Some(1) => ("relocatable", "application/x-object"),
        Some(2) => ("executable", "application/x-executable"),
        Some(3) if is_pie(bytes, &layout) => ("pie executable", "application/x-pie-executable"),
        Some(3) => ("shared object", "application/x-sharedlib"),
        Some(4) => ("core file", "application/x-coredump"),
        _ => ("", "application/octet-stream"),
    };
    if !words.is_empty() {
        text.push(' ');
        text.push_str(words);
    }
    if let Some(machine) = u16_at(bytes, 18, layout.endian) {
        text.push_str(", ");
        text.push_str(&machine_name(machine));
    }
    if let Some(&version) = bytes.get(6) {
        text.push_str(&format!(", version {version}"));
        if let Some(&abi) = bytes.get(7) {
            text.push_str(&format!(" ({})", abi_name(abi)));
        }
    }
    Some(Detected::new(Format::Elf, text, mime))
}

/// A shared object is a position-independent executable when its dynamic section carries
/// `DF_1_PIE`, which is how `file` tells `ls` from `libc.so.6` without the file mode.
fn is_pie(bytes: &[u8], layout: &Layout) -> bool {
    let w = layout.word_size();
    let (phoff_at, phentsize_at, phnum_at) = if layout.wide { (32, 54, 56) } else { (28, 42, 44) };
    let Some(phoff) = layout.word(bytes, phoff_at).and_then(|v| usize::try_from(v).ok()) else { return false };
    let entry_size = u16_at(bytes, phentsize_at, layout.endian).map(usize::from).unwrap_or(0);
    let count = u16_at(bytes, phnum_at, layout.endian).unwrap_or(0);
    if count > MAX_PROGRAM_HEADERS || entry_size < 8 + 4 * w {
        return false;
    }
    // p_offset and p_filesz sit at different places in the two classes.
    let (offset_at, size_at) = if layout.wide { (8, 32) } else { (4, 16) };
    (0..usize::from(count)).any(|index| {
        let Some(header) = index.checked_mul(entry_size).and_then(|o| o.checked_add(phoff)) else { return false };
        if u32_at(bytes, header, layout.endian) != Some(PT_DYNAMIC) {
            return false;
        }
        let start = layout.word(bytes, header.saturating_add(offset_at));
        let size = layout.word(bytes, header.saturating_add(size_at));
        match (start.and_then(|v| usize::try_from(v).ok()), size.and_then(|v| usize::try_from(v).ok())) {
            (Some(start), Some(size)) => dynamic_has_pie(bytes, layout, start, size),
            _ => false,
        }
    })
}

fn dynamic_has_pie(bytes: &[u8], layout: &Layout, start: usize, size: usize) -> bool {
    let entry = 2 * layout.word_size();
    let entries = (size / entry).min(MAX_DYNAMIC_ENTRIES);
    for index in 0..entries {
        let Some(at) = index.checked_mul(entry).and_then(|o| o.checked_add(start)) else { return false };
        let (Some(tag), Some(value)) = (layout.word(bytes, at), layout.word(bytes, at.saturating_add(layout.word_size()))) else {
            return false;
        };
        match tag {
            DT_NULL => return false,
            DT_FLAGS_1 => return value & DF_1_PIE != 0,
            _ => {}
        }
    }
    false
}

fn machine_name(machine: u16) -> String {
    match machine {
        2 => "SPARC".into(),
        3 => "Intel 80386".into(),
        4 => "Motorola m68k".into(),
        8 => "MIPS".into(),
        20 => "PowerPC".into(),
        21 => "64-bit PowerPC or cisco 7500".into(),
        22 => "IBM S/390".into(),
        40 => "ARM".into(),
        42 => "Renesas SH".into(),
        43 => "SPARC V9".into(),
        50 => "IA-64".into(),
        62 => "x86-64".into(),
        183 => "ARM aarch64".into(),
        243 => "UCB RISC-V".into(),
        247 => "eBPF".into(),
        258 => "LoongArch".into(),
        other => format!("*unknown arch 0x{other:x}*"),
    }
}

fn abi_name(abi: u8) -> String {
    match abi {
        0 => "SYSV".into(),
        1 => "HP-UX".into(),
        2 => "NetBSD".into(),
        3 => "GNU/Linux".into(),
        6 => "Solaris".into(),
        9 => "FreeBSD".into(),
        12 => "OpenBSD".into(),
        97 => "ARM".into(),
        255 => "embedded".into(),
        other => format!("unknown ABI {other}"),
    }
}
