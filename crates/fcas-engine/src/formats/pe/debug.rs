//! Debug directory entries and the CodeView record that names the PDB.
use fcas_report::PeDebugEntry;

use fcas_report::hex;

use super::image::{clamped, u16_at, u32_at, until_nul, Image};
use super::names::{name_of, DEBUG_TYPES};

/// Size of one debug directory entry.
const ENTRY_SIZE: u64 = 28;
const TYPE_CODEVIEW: u32 = 2;

/// The debug directory at `rva`, `size` bytes long. Like pefile, an unreadable entry drops the
/// whole directory.
pub(crate) fn debug_entries(image: &Image<'_>, rva: u32, size: u32, max: usize, notes: &mut Vec<String>) -> Vec<PeDebugEntry> {
    let declared = u64::from(size) / ENTRY_SIZE;
    if declared > max as u64 {
        notes.push(format!("only the first {max} of {declared} debug entries are read"));
    }
    let mut entries = Vec::new();
    for index in 0..declared.min(max as u64) {
        let at = u64::from(rva) + index * ENTRY_SIZE;
        let Some(data) = image.data(at, ENTRY_SIZE).filter(|d| d.len() as u64 == ENTRY_SIZE) else {
            notes.push(format!("debug directory unreadable at RVA {at:#x}"));
            return Vec::new();
        };
        let field = |o: usize| u32_at(data, o).unwrap_or(0);
        let kind = field(12);
        let mut entry = PeDebugEntry {
            kind,
            type_name: name_of(DEBUG_TYPES, kind).map(str::to_string),
            timestamp: field(4),
            size: field(16),
            address_of_raw_data: field(20),
            pointer_to_raw_data: field(24),
            ..PeDebugEntry::default()
        };
        if kind == TYPE_CODEVIEW {
            let start = u64::from(entry.pointer_to_raw_data);
            codeview(clamped(image.bytes, start, start + u64::from(entry.size)), &mut entry);
        }
        entries.push(entry);
    }
    entries
}

/// Fills the PDB facts of an RSDS (PDB 7.0) or NB10 (PDB 2.0) record.
fn codeview(record: &[u8], entry: &mut PeDebugEntry) {
    let (header, guid, age) = match record.get(..4) {
        Some(b"RSDS") if record.len() >= 24 => (24, rsds_guid(record), u32_at(record, 20)),
        Some(b"NB10") if record.len() >= 16 => (16, u32_at(record, 8).map(|s| format!("{s:08X}")), u32_at(record, 12)),
        _ => return,
    };
    entry.codeview_signature = record.get(..4).map(|s| String::from_utf8_lossy(s).into_owned());
    entry.pdb = Some(String::from_utf8_lossy(until_nul(record.get(header..).unwrap_or_default())).into_owned());
    entry.pdb_guid = guid;
    entry.pdb_age = age;
}

/// The GUID of an RSDS record, upper-case without dashes (pefile's `Signature_String` without
/// the age).
fn rsds_guid(record: &[u8]) -> Option<String> {
    let data1 = u32_at(record, 4)?;
    let data2 = u16_at(record, 8)?;
    let data3 = u16_at(record, 10)?;
    let data4 = record.get(12..20)?;
    Some(format!("{data1:08X}{data2:04X}{data3:04X}{}", hex(data4).to_uppercase()))
}
