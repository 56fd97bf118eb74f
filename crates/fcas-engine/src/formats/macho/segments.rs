//! `LC_SEGMENT(_64)`: the segment and the section headers that follow it.
use fcas_report::{MachoSection, MachoSegment, MachoSlice};

use super::names;
use super::reader::Reader;
use super::slice::RawCommand;
use crate::formats::span::span_entropy;
use crate::Limits;

/// Field offsets of one layout (32- or 64-bit) of the segment command and its sections.
struct Layout {
    /// Size of the segment command before its sections.
    command_size: u64,
    /// Size of one section header.
    section_size: u64,
    /// Width of addresses and sizes.
    is_64: bool,
}

const LAYOUT_32: Layout = Layout { command_size: 56, section_size: 68, is_64: false };
const LAYOUT_64: Layout = Layout { command_size: 72, section_size: 80, is_64: true };

/// Adds the segment in `command` and its sections to `slice`.
pub(super) fn read(reader: Reader<'_>, command: RawCommand, is_64: bool, slice: &mut MachoSlice, limits: &Limits, notes: &mut Vec<String>) {
    let layout = if is_64 { &LAYOUT_64 } else { &LAYOUT_32 };
    if u64::from(command.size) < layout.command_size {
        notes.push(format!("segment command at offset {} is too short ({} bytes)", command.offset, command.size));
        return;
    }
    let at = command.offset;
    let w = if is_64 { 8 } else { 4 };
    let word = |offset: u64| reader.word(at + offset, is_64).unwrap_or_default();
    let int = |offset: u64| reader.u32(at + offset).unwrap_or_default();
    let ints = 24 + 4 * w;
    let file_offset = word(24 + 2 * w);
    let file_size = word(24 + 3 * w);
    let init_protection = int(ints + 4);
    let nsections = int(ints + 8);
    slice.segments.push(MachoSegment {
        name: reader.name16(at + 8),
        virtual_address: word(24),
        virtual_size: word(24 + w),
        file_offset,
        file_size,
        max_protection: int(ints),
        init_protection,
        permissions: names::protection(init_protection),
        nsections,
        flags: int(ints + 12),
        entropy: if file_size == 0 { None } else { span_entropy(reader.bytes, file_offset, file_size) },
    });

    let room = (u64::from(command.size) - layout.command_size) / layout.section_size;
    if u64::from(nsections) > room {
        notes.push(format!("segment at offset {} declares {nsections} sections but its command holds {room}", command.offset));
    }
    for index in 0..u64::from(nsections).min(room) {
        if slice.sections.len() >= limits.max_table_entries {
            notes.push(format!("more than {} sections; the list is cut", limits.max_table_entries));
            return;
        }
        let section_at = at + layout.command_size + index * layout.section_size;
        slice.sections.push(section(reader, section_at, layout));
    }
}

fn section(reader: Reader<'_>, at: u64, layout: &Layout) -> MachoSection {
    let w = if layout.is_64 { 8 } else { 4 };
    let int = |offset: u64| reader.u32(at + offset).unwrap_or_default();
    let ints = 32 + 2 * w;
    let size = reader.word(at + 32 + w, layout.is_64).unwrap_or_default();
    let offset = int(ints);
    let flags = int(ints + 16);
    MachoSection {
        name: reader.name16(at),
        segment: reader.name16(at + 16),
        address: reader.word(at + 32, layout.is_64).unwrap_or_default(),
        size,
        offset,
        alignment: int(ints + 4),
        section_type: names::section_type(flags),
        flags,
        entropy: if names::is_zero_fill(flags) { None } else { span_entropy(reader.bytes, offset.into(), size) },
    }
}
