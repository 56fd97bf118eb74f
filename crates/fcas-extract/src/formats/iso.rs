//! ISO 9660 images, a reader of our own: the format is a handful of fixed records, and every
//! file is one contiguous extent of the image (handed on borrowed, never copied), or a few
//! extents in a row (multi-extent files, copied once within the limits).
//!
//! Names come from the Joliet tree (UCS-2 names in a supplementary volume descriptor) when the
//! image has one, else from the primary tree with Rock Ridge `NM` names where present, else
//! the 8.3 names without their `;1` version. Every offset and length is checked against the
//! image; directories are walked to a bounded depth and entry count, each directory extent
//! at most once (an image whose directories point back at a parent terminates).
use std::borrow::Cow;
use std::collections::HashSet;

use crate::{Container, ReadError};

use fcas_documents::bytes::{u16_at, u32_at};

/// Volume descriptors start at sector 16 (32 KiB), one per 2,048-byte sector.
const DESCRIPTORS_AT: usize = 16 * SECTOR;
const SECTOR: usize = 2048;
/// Volume descriptors read before giving up on a terminator.
const MAX_DESCRIPTORS: usize = 64;
/// Directory depth walked (ISO 9660 allows 8, Rock Ridge relocation more).
const MAX_DEPTH: usize = 32;
/// Directory records read in one image, files and folders together.
const MAX_RECORDS: usize = 200_000;
/// A directory's extent larger than this is damaged (real ones hold a few KiB).
const MAX_DIRECTORY_BYTES: u64 = 16 << 20;
/// Rock Ridge continuation areas followed for one record.
const MAX_CONTINUATIONS: usize = 8;

/// Which names a tree carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Names {
    /// UCS-2 big-endian names (Joliet).
    Joliet,
    /// d-characters, with Rock Ridge `NM` entries where present.
    Primary,
}

/// The tree to walk: its root directory record and how to read names.
#[derive(Debug, Clone, Copy)]
struct Volume {
    root: Extent,
    block: u64,
    names: Names,
}

/// Where a directory's or a file's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Extent {
    start: u64,
    length: u64,
}

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let volume = find_volume(data).ok_or_else(|| ReadError::Damaged("no readable ISO 9660 volume descriptor".into()))?;
    let mut walk = Walk { data, volume, rock_ridge_skip: None, records: 0, seen: HashSet::new(), damaged: Vec::new() };
    walk.rock_ridge_skip = (volume.names == Names::Primary).then(|| walk.susp_skip()).flatten();
    walk.directory(volume.root, "", 0, cx);
    walk.finish(cx)
}

/// Whether `data` holds an ISO 9660 volume (a UDF bridge image does).
pub(crate) fn has_volume(data: &[u8]) -> bool {
    find_volume(data).is_some()
}

/// The volume to read: the Joliet supplementary descriptor when present, else the primary.
fn find_volume(data: &[u8]) -> Option<Volume> {
    let mut primary = None;
    for index in 0..MAX_DESCRIPTORS {
        let at = DESCRIPTORS_AT + index * SECTOR;
        let Some(descriptor) = data.get(at..at + SECTOR) else { break };
        if descriptor.get(1..6) != Some(b"CD001".as_slice()) {
            break;
        }
        match descriptor.first().copied().unwrap_or(0) {
            1 if primary.is_none() => primary = volume_of(descriptor, Names::Primary),
            // Joliet's escape sequences name UCS-2 levels 1 to 3.
            2 if [b"%/@", b"%/C", b"%/E"].iter().any(|escape| descriptor.get(88..91) == Some(escape.as_slice())) => {
                if let Some(joliet) = volume_of(descriptor, Names::Joliet) {
                    return Some(joliet);
                }
            }
            255 => break,
            _ => {}
        }
    }
    primary
}

fn volume_of(descriptor: &[u8], names: Names) -> Option<Volume> {
    let block = u64::from(u16_at(descriptor, 128)?);
    if !matches!(block, 512 | 1024 | 2048) {
        return None;
    }
    let root = descriptor.get(156..156 + 34)?;
    Some(Volume { root: Extent { start: u64::from(u32_at(root, 2)?) * block, length: u64::from(u32_at(root, 10)?) }, block, names })
}

/// One directory record, as far as the reader needs it.
struct Record<'a> {
    extent: Extent,
    flags: u8,
    name: &'a [u8],
    system_use: &'a [u8],
}

const FLAG_DIRECTORY: u8 = 0x02;
const FLAG_MULTI_EXTENT: u8 = 0x80;

impl<'a> Record<'a> {
    /// The record at the start of `bytes` (its length byte first), in blocks of `block`.
    fn parse(bytes: &'a [u8], block: u64) -> Option<Self> {
        let length = usize::from(*bytes.first()?);
        let record = bytes.get(..length)?;
        let name_length = usize::from(*record.get(32)?);
        let name = record.get(33..33 + name_length)?;
        // The name is padded to an even offset; the System Use area fills the rest.
        let system_use = record.get(33 + name_length + (1 - name_length % 2)..).unwrap_or_default();
        Some(Self {
            extent: Extent { start: u64::from(u32_at(record, 2)?) * block, length: u64::from(u32_at(record, 10)?) },
            flags: *record.get(25)?,
            name,
            system_use,
        })
    }

    /// `.` and `..` are single bytes 0 and 1.
    fn is_self_or_parent(&self) -> bool {
        self.name == [0] || self.name == [1]
    }
}

/// A file built of several records in a row (multi-extent), waiting for its last one.
struct Pending {
    name: String,
    extents: Vec<Extent>,
}

struct Walk<'d> {
    data: &'d [u8],
    volume: Volume,
    /// Bytes before the first System Use entry, from the root's `SP` entry (Rock Ridge only).
    rock_ridge_skip: Option<usize>,
    records: usize,
    /// Directory extents walked: each once.
    seen: HashSet<Extent>,
    /// Entries whose bytes lie outside the image.
    damaged: Vec<String>,
}

impl<'d> Walk<'d> {
    /// The bytes of `extent`, when the image holds them whole.
    fn bytes(&self, extent: Extent) -> Option<&'d [u8]> {
        let start = usize::try_from(extent.start).ok()?;
        let end = start.checked_add(usize::try_from(extent.length).ok()?)?;
        self.data.get(start..end)
    }

    /// Rock Ridge's `SP` entry in the root's `.` record: present means the primary tree has
    /// System Use entries, and says how many bytes of each area to skip.
    fn susp_skip(&self) -> Option<usize> {
        let root = self.bytes(Extent { start: self.volume.root.start, length: self.volume.root.length.min(SECTOR as u64) })?;
        let dot = Record::parse(root, self.volume.block)?;
        let entry = dot.system_use;
        (entry.get(..2) == Some(b"SP".as_slice()) && entry.get(4..6) == Some([0xbe, 0xef].as_slice()))
            .then(|| entry.get(6).map(|&skip| usize::from(skip)))
            .flatten()
    }

    fn directory(&mut self, extent: Extent, path: &str, depth: usize, cx: &mut Container<'_>) {
        if depth > MAX_DEPTH {
            cx.skip(path, format!("not opened: folders nested deeper than {MAX_DEPTH}"));
            return;
        }
        if extent.length > MAX_DIRECTORY_BYTES || !self.seen.insert(extent) {
            return;
        }
        let Some(bytes) = self.bytes(extent) else {
            self.damaged.push(format!("{path}/"));
            return;
        };
        let mut pending: Option<Pending> = None;
        let mut at = 0usize;
        while at < bytes.len() {
            if !cx.wants_more() {
                return;
            }
            if self.records >= MAX_RECORDS {
                cx.skip(path, format!("not opened: the image has more than {MAX_RECORDS} directory records"));
                return;
            }
            // A zero length pads to the next block: records never cross one.
            let block = self.volume.block as usize;
            if bytes[at] == 0 {
                at = (at / block + 1) * block;
                continue;
            }
            self.records += 1;
            let Some(record) = bytes.get(at..).and_then(|rest| Record::parse(rest, self.volume.block)) else {
                self.damaged.push(format!("{path}/ (record at byte {at})"));
                return;
            };
            at += usize::from(bytes[at]);
            if record.is_self_or_parent() || self.relocated(&record) {
                continue;
            }
            let name = self.name_of(&record);
            let full = if path.is_empty() { name } else { format!("{path}/{name}") };
            if let Some(target) = self.child_link(&record) {
                self.directory(target, &full, depth + 1, cx);
            } else if record.flags & FLAG_DIRECTORY != 0 {
                self.directory(record.extent, &full, depth + 1, cx);
            } else {
                let file = pending.get_or_insert_with(|| Pending { name: full, extents: Vec::new() });
                file.extents.push(record.extent);
                if record.flags & FLAG_MULTI_EXTENT == 0 {
                    if let Some(file) = pending.take() {
                        self.file(file, cx);
                    }
                }
            }
        }
        // A multi-extent file whose last record is missing: what it has.
        if let Some(file) = pending.take() {
            self.file(file, cx);
        }
    }

    fn file(&mut self, file: Pending, cx: &mut Container<'_>) {
        if !cx.wants_more() {
            return;
        }
        let size = file.extents.iter().fold(0u64, |sum, extent| sum.saturating_add(extent.length));
        let parts: Option<Vec<&'d [u8]>> = file.extents.iter().map(|extent| self.bytes(*extent)).collect();
        let Some(parts) = parts else {
            self.damaged.push(file.name);
            return;
        };
        // Stored: the file is as large as its extents, never more.
        if cx.admit(&file.name, Some(size), Some(size)).is_none() {
            return;
        }
        let content = match parts.as_slice() {
            [one] => Cow::Borrowed(*one),
            many => Cow::Owned(many.concat()),
        };
        cx.emit(file.name, content);
    }

    fn finish(self, cx: &mut Container<'_>) -> Result<(), ReadError> {
        if self.damaged.is_empty() {
            return Ok(());
        }
        for name in &self.damaged {
            cx.skip(name.as_str(), "damaged: its extent lies outside the image");
        }
        Err(ReadError::Damaged(format!("{} entries lie outside the image (truncated?)", self.damaged.len())))
    }

    fn name_of(&self, record: &Record<'_>) -> String {
        match self.volume.names {
            Names::Joliet => strip_version(&fcas_documents::bytes::utf16_lossy(record.name, true)),
            Names::Primary => self
                .rock_ridge_name(record)
                .unwrap_or_else(|| strip_version(&super::name_from_bytes(record.name)).trim_end_matches('.').to_string()),
        }
    }

    /// The System Use entries of `record`, continuation areas (`CE`) followed, as (signature,
    /// entry) pairs; empty without Rock Ridge.
    fn system_use(&self, record: &Record<'d>) -> Vec<([u8; 2], &'d [u8])> {
        let Some(skip) = self.rock_ridge_skip else { return Vec::new() };
        let mut entries = Vec::new();
        let mut area: &'d [u8] = record.system_use.get(skip..).unwrap_or_default();
        let mut continuations = 0;
        loop {
            let mut next = None;
            let mut rest = area;
            while rest.len() >= 4 {
                let length = usize::from(rest[2]);
                if length < 4 || length > rest.len() {
                    break;
                }
                let (entry, tail) = rest.split_at(length);
                let signature = [entry[0], entry[1]];
                if &signature == b"ST" {
                    break;
                }
                if &signature == b"CE" && entry.len() >= 28 {
                    next = match (u32_at(entry, 4), u32_at(entry, 12), u32_at(entry, 20)) {
                        (Some(block), Some(offset), Some(length)) => {
                            Some(Extent { start: u64::from(block) * self.volume.block + u64::from(offset), length: u64::from(length) })
                        }
                        _ => None,
                    };
                }
                entries.push((signature, entry));
                rest = tail;
            }
            continuations += 1;
            match next.and_then(|extent| self.bytes(extent)) {
                Some(bytes) if continuations <= MAX_CONTINUATIONS => area = bytes,
                _ => break,
            }
        }
        entries
    }

    /// The Rock Ridge name (`NM` entries, concatenated while they say it continues).
    fn rock_ridge_name(&self, record: &Record<'d>) -> Option<String> {
        let mut name = Vec::new();
        let mut found = false;
        for (signature, entry) in self.system_use(record) {
            // Flags: 1 continues in the next NM, 2 and 4 mean `.` and `..`.
            if &signature != b"NM" || entry.len() < 5 || entry[4] & 0x06 != 0 {
                continue;
            }
            found = true;
            name.extend_from_slice(entry.get(5..).unwrap_or_default());
            if entry[4] & 0x01 == 0 {
                break;
            }
        }
        found.then(|| super::name_from_bytes(&name))
    }

    /// A Rock Ridge relocated directory (`RE`): reached through its `CL` placeholder instead.
    fn relocated(&self, record: &Record<'d>) -> bool {
        record.flags & FLAG_DIRECTORY != 0 && self.system_use(record).iter().any(|(signature, _)| signature == b"RE")
    }

    /// A Rock Ridge child link (`CL`): a placeholder file standing for a directory moved
    /// elsewhere; the directory's extent is that of its own `.` record.
    fn child_link(&self, record: &Record<'d>) -> Option<Extent> {
        let (_, entry) = self.system_use(record).into_iter().find(|(signature, _)| signature == b"CL")?;
        let start = u64::from(u32_at(entry, 4)?) * self.volume.block;
        let first = self.bytes(Extent { start, length: self.volume.block })?;
        let dot = Record::parse(first, self.volume.block)?;
        Some(Extent { start, length: dot.extent.length })
    }
}

/// A name without its `;1` version.
fn strip_version(name: &str) -> String {
    match name.rsplit_once(';') {
        Some((base, version)) if !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) => base.to_string(),
        _ => name.to_string(),
    }
}
