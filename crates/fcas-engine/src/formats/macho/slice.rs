//! One Mach-O image: its header, then every load command within `sizeofcmds`.
use fcas_report::{MachoLoadCommand, MachoSlice};

use super::commands::{self, Collected};
use super::reader::Reader;
use super::{exports, names, symbols};
use crate::Limits;

/// A load command's place in the slice.
#[derive(Clone, Copy)]
pub(super) struct RawCommand {
    /// Offset from the start of the slice.
    pub(super) offset: u64,
    /// `cmd`.
    pub(super) cmd: u32,
    /// `cmdsize`.
    pub(super) size: u32,
}

/// Reads the image in `bytes` (one slice; `fat_offset` is where it lies in the file).
pub(super) fn analyze(bytes: &[u8], fat_offset: u64, limits: &Limits, notes: &mut Vec<String>) -> Result<MachoSlice, String> {
    let (reader, is_64, magic) = magic(bytes).ok_or("not a Mach-O image (bad magic)")?;
    let field = |offset: u64| reader.u32(offset).ok_or("the Mach-O header is truncated");
    let cpu_type = field(4)?;
    let flags = field(24)?;
    let mut slice = MachoSlice {
        fat_offset,
        size: bytes.len() as u64,
        cpu: names::cpu_type(cpu_type),
        cpu_subtype: field(8)?,
        magic: magic.to_string(),
        file_type: names::file_type(field(12)?),
        flags,
        flag_names: names::header_flags(flags),
        declared_commands: field(16)?,
        commands_size: field(20)?,
        ..MachoSlice::default()
    };
    let header_size = if is_64 { 32 } else { 28 };
    let raw = walk(reader, header_size, &slice, limits, notes);
    slice.load_commands =
        raw.iter().map(|c| MachoLoadCommand { command: names::load_command(c.cmd), id: c.cmd, offset: c.offset, size: c.size }).collect();

    let mut collected = Collected::default();
    for command in &raw {
        commands::apply(reader, cpu_type, *command, &mut slice, &mut collected, limits, notes);
    }
    slice.entry_point = collected.entry_point(&slice);
    if let Some(symtab) = collected.symtab {
        slice.imported_symbols = symbols::imported(reader, is_64, symtab, limits, notes);
    }
    if let Some(trie) = collected.export_trie {
        slice.exported_symbols = exports::names(reader, trie, limits, notes);
    }
    Ok(slice)
}

/// The reader for the image's byte order, whether it is 64-bit, and LIEF's name of the magic.
fn magic(bytes: &[u8]) -> Option<(Reader<'_>, bool, &'static str)> {
    let raw: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    let (little, is_64, name) = match u32::from_le_bytes(raw) {
        0xfeed_face => (true, false, "MAGIC"),
        0xfeed_facf => (true, true, "MAGIC_64"),
        0xcefa_edfe => (false, false, "CIGAM"),
        0xcffa_edfe => (false, true, "CIGAM_64"),
        _ => return None,
    };
    Some((Reader { bytes, little }, is_64, name))
}

/// The load commands that lie within `sizeofcmds` (and the slice), at most `ncmds` of them and at
/// most the table limit. Stops at the first command whose size is impossible.
fn walk(reader: Reader<'_>, header_size: u64, slice: &MachoSlice, limits: &Limits, notes: &mut Vec<String>) -> Vec<RawCommand> {
    let end = header_size.saturating_add(slice.commands_size.into()).min(reader.bytes.len() as u64);
    let wanted = (slice.declared_commands as usize).min(limits.max_table_entries);
    let mut commands = Vec::new();
    let mut offset = header_size;
    while commands.len() < wanted {
        let (Some(cmd), Some(size)) = (reader.u32(offset), reader.u32(offset.saturating_add(4))) else { break };
        if offset.saturating_add(8) > end {
            break;
        }
        let next = offset.saturating_add(size.into());
        if size < 8 || next > end {
            notes.push(format!(
                "load command {} at offset {offset} has an impossible size {size}; later commands are not read",
                commands.len()
            ));
            break;
        }
        commands.push(RawCommand { offset, cmd, size });
        offset = next;
    }
    if commands.len() < slice.declared_commands as usize {
        notes.push(format!(
            "the header declares {} load commands; {} were read within sizeofcmds ({} bytes) and the table limit",
            slice.declared_commands,
            commands.len(),
            slice.commands_size
        ));
    }
    commands
}
