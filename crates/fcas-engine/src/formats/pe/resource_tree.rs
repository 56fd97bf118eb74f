//! Walking the resource directory tree (type -> name -> language) without trusting it: three
//! levels at most, no directory revisited on a path, entry counts capped as pefile caps them.
use super::rva::{u16_at, u32_at, utf16_lossy, ImageMap};
use crate::Limits;

/// pefile refuses a directory announcing more entries than this.
const MAX_ENTRIES_PER_DIRECTORY: usize = 4096;
/// pefile stops reading resources once the directories read so far announce more entries.
const MAX_ENTRIES_TOTAL: usize = 0x8000;
const DIRECTORY_HEADER_SIZE: u32 = 16;
const ENTRY_SIZE: u32 = 8;
const DATA_ENTRY_SIZE: usize = 16;
const HIGH_BIT: u32 = 0x8000_0000;
/// Longer resource names are cut: real ones are short, hostile ones would cost memory.
const MAX_NAME_UNITS: usize = 512;

/// How a directory entry is named: a number or a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum EntryKey {
    /// Numeric id.
    Id(u32),
    /// UTF-16 name, decoded.
    Name(String),
}

/// One leaf of the tree, with the keys of the three levels above its data.
#[derive(Debug, Clone)]
pub(super) struct RawLeaf {
    /// Resource type (level 1).
    pub type_key: EntryKey,
    /// Resource name or id (level 2).
    pub name_key: EntryKey,
    /// Language entry (level 3): primary language in the low 10 bits.
    pub language: u32,
    /// `OffsetToData`: an RVA.
    pub data_rva: u32,
    /// `Size`.
    pub size: u32,
    /// `CodePage`.
    pub code_page: u32,
}

/// Where a directory entry leads.
enum Target {
    Directory(u32),
    Data { rva: u32, size: u32, code_page: u32 },
}

struct Entry {
    key: EntryKey,
    target: Target,
}

/// The walk's state: the image, the root RVA names are relative to, and the budgets.
struct Walker<'m, 'a> {
    map: &'m ImageMap<'a>,
    base: u32,
    entries_read: usize,
    max_leaves: usize,
    leaves: Vec<RawLeaf>,
    notes: Vec<String>,
}

/// Every leaf under the resource directory at `root_rva`, in directory order. Problems met
/// (a loop, a bad entry, a limit) are pushed to `notes`; the leaves read before them are kept.
pub(super) fn walk(map: &ImageMap<'_>, root_rva: u32, limits: &Limits, notes: &mut Vec<String>) -> Vec<RawLeaf> {
    let mut walker =
        Walker { map, base: root_rva, entries_read: 0, max_leaves: limits.max_table_entries, leaves: Vec::new(), notes: Vec::new() };
    walker.walk_types(root_rva);
    notes.append(&mut walker.notes);
    walker.leaves
}

impl Walker<'_, '_> {
    fn walk_types(&mut self, root: u32) {
        let Some(types) = self.read_directory(root) else { return };
        for type_entry in types {
            let Target::Directory(names_rva) = type_entry.target else {
                self.notes.push("resource type entry points to data instead of a directory; skipped".into());
                continue;
            };
            if names_rva == root {
                self.notes.push(format!("resource directory loop at RVA {names_rva:#x}; stopped there"));
                break;
            }
            let Some(names) = self.read_directory(names_rva) else { break };
            for name_entry in names {
                let Target::Directory(languages_rva) = name_entry.target else {
                    self.notes.push("resource name entry points to data instead of a directory; skipped".into());
                    continue;
                };
                if [root, names_rva].contains(&languages_rva) {
                    self.notes.push(format!("resource directory loop at RVA {languages_rva:#x}; stopped there"));
                    break;
                }
                let Some(languages) = self.read_directory(languages_rva) else { break };
                for language_entry in languages {
                    let Target::Data { rva, size, code_page } = language_entry.target else {
                        self.notes.push("resource tree deeper than 3 levels; the deeper part is skipped".into());
                        continue;
                    };
                    if self.leaves.len() >= self.max_leaves {
                        self.notes.push(format!("more than {} resources; the rest are not listed", self.max_leaves));
                        return;
                    }
                    let language = match language_entry.key {
                        EntryKey::Id(id) => id,
                        EntryKey::Name(_) => 0,
                    };
                    self.leaves.push(RawLeaf {
                        type_key: type_entry.key.clone(),
                        name_key: name_entry.key.clone(),
                        language,
                        data_rva: rva,
                        size,
                        code_page,
                    });
                }
            }
        }
    }

    /// Reads one directory table. `None` when its header is unreadable or its counts absurd (the
    /// caller then stops, as pefile does); entries stop at the first unreadable one.
    fn read_directory(&mut self, rva: u32) -> Option<Vec<Entry>> {
        let header = self.map.read(rva, DIRECTORY_HEADER_SIZE as usize);
        let (Some(named), Some(ids)) = (u16_at(header, 12), u16_at(header, 14)) else {
            self.notes.push(format!("resource directory at RVA {rva:#x} cannot be read"));
            return None;
        };
        let count = usize::from(named) + usize::from(ids);
        if count > MAX_ENTRIES_PER_DIRECTORY {
            self.notes.push(format!(
                "resource directory at RVA {rva:#x} announces {count} entries (more than {MAX_ENTRIES_PER_DIRECTORY}); skipped"
            ));
            return None;
        }
        self.entries_read += count;
        if self.entries_read > MAX_ENTRIES_TOTAL {
            self.notes.push(format!("resource directories announce more than {MAX_ENTRIES_TOTAL} entries in total; the rest is skipped"));
            return None;
        }
        let mut entries = Vec::new();
        for index in 0..count as u32 {
            let Some(entry_rva) = rva.checked_add(DIRECTORY_HEADER_SIZE + index * ENTRY_SIZE) else { break };
            let Some(entry) = self.read_entry(entry_rva) else {
                self.notes.push(format!(
                    "resource directory entry {index} at RVA {entry_rva:#x} is invalid; the directory's later entries are skipped"
                ));
                break;
            };
            entries.push(entry);
        }
        Some(entries)
    }

    fn read_entry(&mut self, rva: u32) -> Option<Entry> {
        let raw = self.map.read(rva, ENTRY_SIZE as usize);
        let name = u32_at(raw, 0)?;
        let offset = u32_at(raw, 4)?;
        let key = if name & HIGH_BIT != 0 { EntryKey::Name(self.read_name(name & !HIGH_BIT)) } else { EntryKey::Id(name) };
        let target_rva = self.base.checked_add(offset & !HIGH_BIT)?;
        let target = if offset & HIGH_BIT != 0 {
            Target::Directory(target_rva)
        } else {
            let data = self.map.read(target_rva, DATA_ENTRY_SIZE);
            Target::Data { rva: u32_at(data, 0)?, size: u32_at(data, 4)?, code_page: u32_at(data, 8)? }
        };
        Some(Entry { key, target })
    }

    /// A length-prefixed UTF-16 name at `offset` from the root, cut at [`MAX_NAME_UNITS`].
    fn read_name(&mut self, offset: u32) -> String {
        let Some(rva) = self.base.checked_add(offset) else { return String::new() };
        let Some(units) = u16_at(self.map.read(rva, 2), 0) else {
            self.notes.push(format!("resource name at RVA {rva:#x} cannot be read"));
            return String::new();
        };
        utf16_lossy(self.map.read(rva.saturating_add(2), usize::from(units).min(MAX_NAME_UNITS) * 2))
    }
}
