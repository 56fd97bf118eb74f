//! What each load command contributes to the slice report.
use fcas_report::{MachoBuildVersion, MachoDataRange, MachoDylib, MachoEncryption, MachoSlice, MachoVersionMin};

use super::reader::{version, Reader};
use super::slice::RawCommand;
use super::{names, segments};
use crate::Limits;

/// `LC_SYMTAB` fields.
#[derive(Clone, Copy)]
pub(super) struct SymtabCommand {
    pub(super) symoff: u32,
    pub(super) nsyms: u32,
    pub(super) stroff: u32,
    pub(super) strsize: u32,
}

/// Facts gathered from the commands that are resolved once all are read.
#[derive(Default)]
pub(super) struct Collected {
    /// The first `LC_SYMTAB`.
    pub(super) symtab: Option<SymtabCommand>,
    /// Export trie (offset, size) from `LC_DYLD_INFO(_ONLY)` or `LC_DYLD_EXPORTS_TRIE`.
    pub(super) export_trie: Option<(u64, u64)>,
    /// `entryoff` of the first `LC_MAIN`.
    main_offset: Option<u64>,
    /// Program counter of the first `LC_UNIXTHREAD`.
    thread_pc: Option<u64>,
}

impl Collected {
    /// LIEF's entry point: `__TEXT`'s address plus `LC_MAIN`'s offset, else the thread's PC.
    pub(super) fn entry_point(&self, slice: &MachoSlice) -> Option<u64> {
        if let Some(offset) = self.main_offset {
            let text = slice.segments.iter().find(|s| s.name == "__TEXT")?;
            return text.virtual_address.checked_add(offset);
        }
        self.thread_pc
    }
}

/// Records what `command` says into `slice` or `collected`.
#[allow(clippy::too_many_arguments)]
pub(super) fn apply(
    reader: Reader<'_>,
    cpu_type: u32,
    command: RawCommand,
    slice: &mut MachoSlice,
    collected: &mut Collected,
    limits: &Limits,
    notes: &mut Vec<String>,
) {
    let at = command.offset;
    let end = at.saturating_add(command.size.into());
    // Reads a u32 field only when it lies inside the command.
    let field = |offset: u64| if offset + 4 <= u64::from(command.size) { reader.u32(at + offset) } else { None };
    let string_at = |offset: u64| field(offset).and_then(|relative| reader.c_string(at.saturating_add(relative.into()), end));
    let name = names::load_command(command.cmd);
    match command.cmd {
        0x1 | 0x19 => segments::read(reader, command, command.cmd == 0x19, slice, limits, notes),
        0x2 if collected.symtab.is_none() => {
            if let (Some(symoff), Some(nsyms), Some(stroff), Some(strsize)) = (field(8), field(12), field(16), field(20)) {
                collected.symtab = Some(SymtabCommand { symoff, nsyms, stroff, strsize });
            }
        }
        0xc | 0x8000_0018 | 0x8000_001f | 0x20 | 0x8000_0023 => {
            if let Some(library) = string_at(8) {
                slice.libraries.push(library.clone());
                slice.dylibs.push(MachoDylib {
                    command: name,
                    name: library,
                    current_version: version(field(16).unwrap_or_default()),
                    compatibility_version: version(field(20).unwrap_or_default()),
                });
            }
        }
        0xd => slice.install_name = string_at(8),
        0xe => slice.dylinker = string_at(8),
        0x8000_001c => slice.rpaths.extend(string_at(8)),
        0x1b => {
            if let Some(uuid) = crate::formats::span::file_span(reader.bytes, at + 8, 16).filter(|_| command.size >= 24) {
                slice.uuid = Some(fcas_report::hex(uuid));
            }
        }
        0x1d => {
            slice.has_code_signature = true;
            if let (Some(offset), Some(size)) = (field(8), field(12)) {
                slice.code_signature = Some(MachoDataRange { offset, size });
            }
        }
        0x21 | 0x2c => {
            if let (Some(offset), Some(size), Some(cryptid)) = (field(8), field(12), field(16)) {
                slice.encryption = Some(MachoEncryption { offset, size, cryptid });
            }
        }
        0x24 | 0x25 | 0x2f | 0x30 => {
            if let (Some(os), Some(sdk)) = (field(8), field(12)) {
                slice.version_min = Some(MachoVersionMin { command: name, version: version(os), sdk: version(sdk) });
            }
        }
        0x32 => {
            if let (Some(platform), Some(minos), Some(sdk)) = (field(8), field(12), field(16)) {
                slice.build_version =
                    Some(MachoBuildVersion { platform: names::platform(platform), minos: version(minos), sdk: version(sdk) });
            }
        }
        0x22 | 0x8000_0022 => {
            if let (Some(offset), Some(size)) = (field(40), field(44)) {
                collected.export_trie.get_or_insert((offset.into(), size.into()));
            }
        }
        0x8000_0033 => {
            if let (Some(offset), Some(size)) = (field(8), field(12)) {
                collected.export_trie = Some((offset.into(), size.into()));
            }
        }
        // dyld uses the first LC_MAIN and the first LC_UNIXTHREAD only.
        0x8000_0028 if collected.main_offset.is_none() && command.size >= 16 => collected.main_offset = reader.u64(at + 8),
        0x5 if collected.thread_pc.is_none() => collected.thread_pc = thread_pc(reader, command, cpu_type),
        _ => {}
    }
}

/// The program counter of an `LC_UNIXTHREAD`'s register state (which follows `cmd`, `cmdsize`,
/// `flavor` and `count`), for the CPUs whose layout is known.
fn thread_pc(reader: Reader<'_>, command: RawCommand, cpu_type: u32) -> Option<u64> {
    // Offset of the PC within the state, and whether it is 64-bit.
    let (pc_offset, wide) = match cpu_type {
        7 => (10 * 4, false),          // i386: eip is the 11th 32-bit register
        0x0100_0007 => (16 * 8, true), // x86_64: rip after 16 general registers
        12 => (15 * 4, false),         // arm: r15
        0x0100_000c => (32 * 8, true), // arm64: x0-x28, fp, lr, sp, then pc
        18 => (0, false),              // powerpc: srr0
        0x0100_0012 => (0, true),      // powerpc64: srr0
        _ => return None,
    };
    let state = 16u64;
    let width = if wide { 8 } else { 4 };
    if state + pc_offset + width > u64::from(command.size) {
        return None;
    }
    reader.word(command.offset + state + pc_offset, wide)
}
