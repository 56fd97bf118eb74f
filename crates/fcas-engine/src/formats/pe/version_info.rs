//! `VS_VERSIONINFO` (RT_VERSION): the fixed file info and every StringFileInfo string table,
//! laid out and aligned the way pefile reads them.
use std::collections::BTreeMap;

use fcas_report::{PeFixedFileInfo, PeVersionInfo};
use goblin::pe::PE;

use super::resource_tree::{EntryKey, RawLeaf};
use super::resources::raw_leaves;
use super::rva::{u16_at, u32_at, utf16_lossy, ImageMap};
use crate::Limits;

const RT_VERSION: u32 = 16;
/// `wLength`, `wValueLength`, `wType`.
const BLOCK_HEADER_SIZE: u64 = 6;
const FIXED_FILE_INFO_SIZE: u64 = 52;
const FIXED_FILE_INFO_SIGNATURE: u32 = 0xFEEF_04BD;
/// Keys are short names (`CompanyName`); longer ones are cut so hostile blocks stay cheap.
const MAX_KEY_UNITS: u64 = 256;
/// Values are cut at this many UTF-16 units.
const MAX_VALUE_UNITS: u64 = 4096;

/// StringFileInfo key/value pairs of every version resource (later ones win on equal keys).
pub(crate) fn version_strings(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> BTreeMap<String, String> {
    version_info(pe, bytes, limits, notes).map(|info| info.strings).unwrap_or_default()
}

/// The whole version info: strings, string table ids and fixed file info. `None` without an
/// RT_VERSION resource carrying a `VS_VERSION_INFO` block.
pub(crate) fn version_info(pe: &PE<'_>, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Option<PeVersionInfo> {
    let map = ImageMap::new(pe, bytes, limits);
    // The tree's own problems are reported by the resources part; not twice.
    let leaves = raw_leaves(pe, &map, limits, &mut Vec::new());
    let mut info: Option<PeVersionInfo> = None;
    for leaf in first_version_resource(&leaves) {
        let mut reader =
            VersionReader { map: &map, bytes, base: leaf.data_rva, entries_left: limits.max_table_entries, notes: &mut *notes };
        if let Some(found) = reader.read(leaf.size) {
            let merged = info.get_or_insert_with(PeVersionInfo::default);
            merged.strings.extend(found.strings);
            merged.string_tables.extend(found.string_tables);
            merged.fixed = merged.fixed.take().or(found.fixed);
        }
    }
    info
}

/// Every language of the first RT_VERSION name, which is what Windows and pefile read.
fn first_version_resource(leaves: &[RawLeaf]) -> impl Iterator<Item = &RawLeaf> {
    let is_version = |leaf: &&RawLeaf| leaf.type_key == EntryKey::Id(RT_VERSION);
    let first_name = leaves.iter().find(is_version).map(|leaf| leaf.name_key.clone());
    leaves.iter().filter(is_version).filter(move |leaf| Some(&leaf.name_key) == first_name.as_ref())
}

/// A `wLength`/`wValueLength`/`wType` block header.
struct BlockHeader {
    length: u64,
    value_length: u64,
    kind: u16,
}

/// Reads one version resource whose data starts at RVA `base`. Offsets are relative to it.
struct VersionReader<'m, 'a, 'n> {
    map: &'m ImageMap<'a>,
    bytes: &'a [u8],
    base: u32,
    entries_left: usize,
    notes: &'n mut Vec<String>,
}

impl VersionReader<'_, '_, '_> {
    fn read(&mut self, size: u32) -> Option<PeVersionInfo> {
        let Some(start) = self.map.offset(self.base) else {
            self.notes.push(format!("version info at RVA {:#x} is outside the file", self.base));
            return None;
        };
        let end = start.saturating_add(size as usize).min(self.bytes.len());
        let raw = self.bytes.get(start..end).unwrap_or(&[]);
        let root = block_header(raw, 0)?;
        let key = self.string_at(BLOCK_HEADER_SIZE, MAX_KEY_UNITS)?;
        if key != "VS_VERSION_INFO" {
            self.notes.push(format!("version resource at RVA {:#x} is not a VS_VERSION_INFO block", self.base));
            return None;
        }
        let fixed_offset = self.align(BLOCK_HEADER_SIZE + 2 * (key.encode_utf16().count() as u64 + 1));
        let fixed = fixed_file_info(raw, fixed_offset)?;
        let mut info = PeVersionInfo { fixed, ..PeVersionInfo::default() };

        let mut offset = self.align(fixed_offset + FIXED_FILE_INFO_SIZE);
        loop {
            let Some(child) = block_header(raw, offset) else {
                // pefile drops the whole block when a child header is cut off.
                self.notes.push(format!("version info at RVA {:#x} is truncated", self.base));
                return None;
            };
            let Some(child_key) = self.string_at(offset + BLOCK_HEADER_SIZE, MAX_KEY_UNITS) else { break };
            if child_key.starts_with("StringFileInfo") && child.kind <= 1 && child.value_length == 0 {
                let tables_start = self.align(offset + BLOCK_HEADER_SIZE + 2 * (child_key.encode_utf16().count() as u64 + 1));
                self.read_string_tables(raw, tables_start, offset + child.length, &mut info);
            }
            offset = self.align(offset + child.length);
            if child.length == 0 || offset >= root.length {
                break;
            }
        }
        Some(info)
    }

    /// Reads the string tables from `offset` up to `end` (the StringFileInfo's end).
    fn read_string_tables(&mut self, raw: &[u8], mut offset: u64, end: u64, info: &mut PeVersionInfo) {
        while offset < end {
            let Some(table) = block_header(raw, offset) else { break };
            let Some(language) = self.string_at(offset + BLOCK_HEADER_SIZE, MAX_KEY_UNITS) else { break };
            let table_end = offset + table.length;
            let mut entry = self.align(offset + BLOCK_HEADER_SIZE + 2 * (language.encode_utf16().count() as u64 + 1));
            info.string_tables.push(language);
            while entry < table_end {
                let Some(string) = block_header(raw, entry) else { break };
                let Some(key) = self.string_at(entry + BLOCK_HEADER_SIZE, MAX_KEY_UNITS) else { break };
                let value_offset = self.align(entry + BLOCK_HEADER_SIZE + 2 * (key.encode_utf16().count() as u64 + 1));
                let Some(value) = self.string_at(value_offset, string.value_length.min(MAX_VALUE_UNITS)) else { break };
                entry = if string.length == 0 { table_end } else { self.align(entry + string.length) };
                if self.entries_left == 0 {
                    self.notes.push("version info has too many strings; the rest are not read".into());
                    return;
                }
                self.entries_left -= 1;
                info.strings.insert(key, value);
            }
            let next = self.align(offset + table.length);
            if next == offset {
                break;
            }
            offset = next;
        }
    }

    /// Rounds `offset` up so that `base + offset` is a multiple of 4 (pefile's `dword_align`).
    fn align(&self, offset: u64) -> u64 {
        let base = u64::from(self.base);
        ((offset + base + 3) & !3) - (base & !3)
    }

    /// A NUL-terminated UTF-16 string at `offset` from the base RVA, at most `max_units` long.
    /// `None` when the address maps outside the file.
    fn string_at(&self, offset: u64, max_units: u64) -> Option<String> {
        let rva = u32::try_from(u64::from(self.base).checked_add(offset)?).ok()?;
        self.map.offset(rva)?;
        let data = self.map.read(rva, (max_units * 2) as usize);
        let units = data.chunks_exact(2).position(|c| c == [0, 0]).unwrap_or(data.len() / 2);
        Some(utf16_lossy(data.get(..units * 2).unwrap_or(&[])))
    }
}

fn block_header(raw: &[u8], offset: u64) -> Option<BlockHeader> {
    let at = usize::try_from(offset).ok()?;
    Some(BlockHeader {
        length: u64::from(u16_at(raw, at)?),
        value_length: u64::from(u16_at(raw, at.checked_add(2)?)?),
        kind: u16_at(raw, at.checked_add(4)?)?,
    })
}

/// `VS_FIXEDFILEINFO` at `offset`: `Some(None)` when present but unsigned, `None` when cut off.
fn fixed_file_info(raw: &[u8], offset: u64) -> Option<Option<PeFixedFileInfo>> {
    let at = usize::try_from(offset).ok()?;
    let field = |index: usize| u32_at(raw, at.checked_add(index * 4)?);
    // pefile needs all 52 bytes to go on.
    field(12)?;
    if field(0)? != FIXED_FILE_INFO_SIGNATURE {
        return Some(None);
    }
    let version = |ms: u32, ls: u32| format!("{}.{}.{}.{}", ms >> 16, ms & 0xffff, ls >> 16, ls & 0xffff);
    Some(Some(PeFixedFileInfo {
        file_version: version(field(2)?, field(3)?),
        product_version: version(field(4)?, field(5)?),
        file_flags: field(7)? & field(6)?,
        file_os: field(8)?,
        file_type: field(9)?,
        file_subtype: field(10)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_fixture(relative: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files").join(relative);
        std::fs::read(path).expect("fixture")
    }

    #[test]
    fn fixed_file_version_agrees_with_the_version_string() {
        // Wine writes the same dotted version in both places; the string comes from a
        // different block than the binary fields, so agreement checks the fixed-info layout.
        for relative in ["pe/deb-libwine-amd64/bcrypt.dll", "pe/deb-libwine-i386/kernel32.dll", "pe/deb-libwine-amd64/version.dll"] {
            let bytes = read_fixture(relative);
            let pe = PE::parse(&bytes).expect("parses");
            let mut notes = Vec::new();
            let info = version_info(&pe, &bytes, &Limits::default(), &mut notes).expect("version info");
            let fixed = info.fixed.expect("fixed file info");
            assert_eq!(Some(&fixed.file_version), info.strings.get("FileVersion"), "{relative}");
            assert_eq!(Some(&fixed.product_version), info.strings.get("ProductVersion"), "{relative}");
            assert!(!info.string_tables.is_empty());
            assert!(notes.is_empty(), "{notes:?}");
        }
    }

    #[test]
    fn no_version_resource_gives_none() {
        let bytes = read_fixture("pe/deb-libwine-amd64/chcp.com");
        let pe = PE::parse(&bytes).expect("parses");
        assert_eq!(version_info(&pe, &bytes, &Limits::default(), &mut Vec::new()), None);
    }
}
