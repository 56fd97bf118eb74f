//! Microsoft cabinets (stored, MSZIP and LZX folders) through the `cab` crate. Quantum folders
//! are not read, nor the files a cabinet of a set shares with the previous or the next one
//! (their other part is in a file the submission does not hold): they are listed in `skipped`
//! with the cabinet that holds the rest, and the cabinet's own files come out.
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Cursor;

use cab::Cabinet;

use crate::{ChildError, Container, ReadError};

use fcas_documents::bytes::{u16_at, u32_at};

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let layout = Layout::parse(data).ok_or_else(|| ReadError::Damaged("the cabinet's header is cut short".into()))?;
    let readable = layout.without_continued_files(data);
    let mut cabinet = Cabinet::new(Cursor::new(&*readable)).map_err(super::damaged)?;
    let mut seen = HashSet::new();
    for File { name, size, offset, folder, .. } in layout.files {
        if !cx.wants_more() {
            break;
        }
        if let Some(continued) = layout.set.continued(folder) {
            cx.skip(&name, format!("not decoded: {continued}, which this submission does not hold"));
            continue;
        }
        let folder = usize::from(folder);
        // The crate opens files by name: a second file of the same name would read the first.
        if !seen.insert(name.clone()) {
            cx.skip(&name, "not decoded: a second file of the same name in the cabinet");
            continue;
        }
        let Some(folder) = layout.folders.get(folder).copied().flatten() else {
            cx.skip(&name, "damaged: its folder's data blocks are unreadable");
            continue;
        };
        // A file past its folder's end would make the crate index out of bounds.
        if offset.saturating_add(size) > folder.uncompressed {
            cx.skip(&name, "damaged: the file ends past its folder's data");
            continue;
        }
        let mut reader = match cabinet.read_file(&name) {
            Ok(reader) => reader,
            Err(error) => {
                cx.skip(&name, format!("not decoded: {error}"));
                continue;
            }
        };
        match cx.read_child(&name, &mut reader, Some(size), Some(folder.compressed.max(1))) {
            Ok(child) if child.len() as u64 == size => cx.emit(name, child.into()),
            Ok(_) => cx.skip(&name, "damaged: shorter than its header says"),
            Err(ChildError::Limit(_)) => {}
            Err(ChildError::Read(error)) => cx.skip(&name, format!("damaged: {error}")),
        }
    }
    Ok(())
}

/// The cabinet's layout read from its header again: the `cab` crate keeps each file's place in
/// its folder private, and a file placed past its folder's end makes its seek index out of
/// bounds, so every file is checked against its folder first.
struct Layout {
    folders: Vec<Option<Folder>>,
    files: Vec<File>,
    set: Set,
}

/// The cabinets before and after this one in its set, as its header names them.
#[derive(Debug, Default)]
struct Set {
    previous: Option<String>,
    next: Option<String>,
}

/// Folder indexes of files shared with the neighbouring cabinets of a set.
const CONTINUED_FROM_PREVIOUS: u16 = 0xfffd;
const CONTINUED_TO_NEXT: u16 = 0xfffe;
const CONTINUED_BOTH: u16 = 0xffff;

impl Set {
    /// Where the rest of a file in `folder` is, when it is shared with another cabinet.
    fn continued(&self, folder: u16) -> Option<String> {
        let name = |cabinet: &Option<String>| cabinet.as_deref().map(|n| format!(" (\"{n}\")")).unwrap_or_default();
        let (previous, next) = (name(&self.previous), name(&self.next));
        match folder {
            CONTINUED_FROM_PREVIOUS => Some(format!("begun in the previous cabinet of its set{previous}")),
            CONTINUED_TO_NEXT => Some(format!("ends in the next cabinet of its set{next}")),
            CONTINUED_BOTH => Some(format!("begun in the previous cabinet of its set{previous} and ends in the next{next}")),
            _ => None,
        }
    }
}

/// What the header says of one folder's data blocks.
#[derive(Debug, Clone, Copy)]
struct Folder {
    /// Bytes the folder decodes to (the sum of its blocks' `cbUncomp`).
    uncompressed: u64,
    /// Bytes its blocks take in the cabinet.
    compressed: u64,
}

/// One CFFILE record.
struct File {
    /// As the `cab` crate decodes it (lossy UTF-8), the key it opens the file by.
    name: String,
    size: u64,
    offset: u64,
    folder: u16,
    /// Where the record is in the cabinet.
    record: usize,
}

const FLAG_PREV_CABINET: u16 = 0x1;
const FLAG_NEXT_CABINET: u16 = 0x2;
const FLAG_RESERVE_PRESENT: u16 = 0x4;

impl Layout {
    fn parse(data: &[u8]) -> Option<Self> {
        let folder_count = usize::from(u16_at(data, 0x1a)?);
        let file_count = usize::from(u16_at(data, 0x1c)?);
        let files_at = u32_at(data, 0x10)? as usize;
        let flags = u16_at(data, 0x1e)?;
        let mut at = 0x24;
        let (mut folder_reserve, mut data_reserve) = (0, 0);
        if flags & FLAG_RESERVE_PRESENT != 0 {
            let header_reserve = usize::from(u16_at(data, at)?);
            folder_reserve = usize::from(*data.get(at + 2)?);
            data_reserve = usize::from(*data.get(at + 3)?);
            at += 4 + header_reserve;
        }
        // Each neighbour is named by its cabinet's file name, then its disk's label.
        let mut set = Set::default();
        for (flag, slot) in [(FLAG_PREV_CABINET, &mut set.previous), (FLAG_NEXT_CABINET, &mut set.next)] {
            if flags & flag != 0 {
                let cabinet = c_string(data, at)?;
                *slot = Some(String::from_utf8_lossy(cabinet).into_owned());
                at += cabinet.len() + 1;
                at += c_string(data, at)?.len() + 1;
            }
        }
        // Both counts are 16-bit: the vectors are bounded.
        let folders = (0..folder_count)
            .map(|index| {
                let record = at.checked_add(index.checked_mul(8 + folder_reserve)?)?;
                let first_block = u32_at(data, record)? as usize;
                let blocks = u16_at(data, record + 4)?;
                let stored = u16_at(data, record + 6)? & 0x000f == 0;
                walk_blocks(data, first_block, blocks, data_reserve, stored)
            })
            .collect();
        let mut files = Vec::with_capacity(file_count);
        let mut at = files_at;
        for _ in 0..file_count {
            let name = c_string(data, at.checked_add(16)?)?;
            files.push(File {
                name: String::from_utf8_lossy(name).into_owned(),
                size: u64::from(u32_at(data, at)?),
                offset: u64::from(u32_at(data, at + 4)?),
                folder: u16_at(data, at + 8)?,
                record: at,
            });
            at += 16 + name.len() + 1;
        }
        Some(Self { folders, files, set })
    }

    /// The cabinet as the `cab` crate accepts it: it refuses a cabinet whose files continue
    /// into another, so a copy gives those (never read) its first folder.
    fn without_continued_files<'d>(&self, data: &'d [u8]) -> Cow<'d, [u8]> {
        let continued: Vec<usize> = self.files.iter().filter(|f| f.folder >= CONTINUED_FROM_PREVIOUS).map(|f| f.record + 8).collect();
        if continued.is_empty() {
            return Cow::Borrowed(data);
        }
        let mut copy = data.to_vec();
        for at in continued {
            if let Some(index) = copy.get_mut(at..at + 2) {
                index.copy_from_slice(&0u16.to_le_bytes());
            }
        }
        Cow::Owned(copy)
    }
}

fn walk_blocks(data: &[u8], mut at: usize, blocks: u16, reserve: usize, stored: bool) -> Option<Folder> {
    let mut folder = Folder { uncompressed: 0, compressed: 0 };
    for _ in 0..blocks {
        let packed = u16_at(data, at.checked_add(4)?)?;
        let unpacked = u16_at(data, at.checked_add(6)?)?;
        // A stored block whose two sizes differ desynchronises the crate's offsets.
        if stored && packed != unpacked {
            return None;
        }
        at = at.checked_add(8 + reserve)?.checked_add(usize::from(packed))?;
        if at > data.len() {
            return None;
        }
        folder.uncompressed += u64::from(unpacked);
        folder.compressed += u64::from(packed);
    }
    Some(folder)
}

/// The NUL-terminated string at `at` (at most 255 bytes, the format's limit), without its NUL.
fn c_string(data: &[u8], at: usize) -> Option<&[u8]> {
    let rest = data.get(at..)?;
    let length = rest.iter().take(256).position(|&b| b == 0)?;
    rest.get(..length)
}
