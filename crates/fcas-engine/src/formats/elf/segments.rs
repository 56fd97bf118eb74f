//! Program headers and the facts indicator rules draw from them.
use fcas_report::ElfSegment;
use goblin::elf::program_header::{PF_R, PF_W, PF_X, PT_LOAD};
use goblin::elf::Elf;

use super::names;
use crate::Limits;

/// Every program header (cut at the table limit).
pub(super) fn segments(elf: &Elf<'_>, limits: &Limits, notes: &mut Vec<String>) -> Vec<ElfSegment> {
    let all = &elf.program_headers;
    if all.len() > limits.max_table_entries {
        notes.push(format!("{} program headers; only the first {} are listed", all.len(), limits.max_table_entries));
    }
    all.iter()
        .take(limits.max_table_entries)
        .map(|p| ElfSegment {
            segment_type: names::segment_type(p.p_type, elf.header.e_machine),
            flags: p.p_flags & (PF_R | PF_W | PF_X),
            raw_flags: p.p_flags,
            permissions: names::segment_permissions(p.p_flags),
            offset: p.p_offset,
            virtual_address: p.p_vaddr,
            physical_address: p.p_paddr,
            file_size: p.p_filesz,
            memory_size: p.p_memsz,
            alignment: p.p_align,
        })
        .collect()
}

fn is_load(segment: &ElfSegment) -> bool {
    segment.segment_type == names::segment_type(PT_LOAD, 0)
}

/// Indexes of loadable segments mapped both writable and executable.
pub(super) fn writable_executable(segments: &[ElfSegment]) -> Vec<usize> {
    segments.iter().enumerate().filter(|(_, s)| is_load(s) && s.flags & PF_W != 0 && s.flags & PF_X != 0).map(|(index, _)| index).collect()
}

/// Whether `entry` falls in an executable loadable segment; `None` without an entry point or
/// without loadable segments (relocatable objects).
pub(super) fn entry_in_executable(segments: &[ElfSegment], entry: u64) -> Option<bool> {
    if entry == 0 || !segments.iter().any(is_load) {
        return None;
    }
    Some(
        segments
            .iter()
            .any(|s| is_load(s) && s.flags & PF_X != 0 && entry >= s.virtual_address && entry - s.virtual_address < s.memory_size),
    )
}
