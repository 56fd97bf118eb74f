//! UDF images (ECMA-167 with the OSTA UDF profile, revisions 1.02 to 2.60) by a bounded reader
//! of our own; an ISO/UDF bridge image is read through its ISO 9660 tree instead (`iso.rs`).
//!
//! The walk: the anchor volume descriptor pointer (sector 256, else the last sector or 256
//! before it, for blocks of 512 to 4,096 bytes), the main volume descriptor sequence (partition
//! and logical volume descriptors), the file set descriptor, then the tree of file entries and
//! extended file entries, their data in short, long or embedded allocation descriptors with
//! their continuation extents. UDF 2.50's metadata partition is read through its metadata file.
//! Virtual (VAT) and sparable partitions, which write-once and rewritable discs use, are
//! reported as not supported.
//!
//! Every descriptor is bounds-checked and its tag checksum verified; folders nest at most
//! [`super::MAX_FOLDER_DEPTH`] deep, a folder is walked once however many entries point at it,
//! at most [`super::MAX_DIRECTORY_ENTRIES`] entries are read and [`MAX_EXTENTS`] extents per
//! file followed.
use std::collections::HashSet;
use std::io::{self, Read};

use crate::{ChildError, Container, ReadError};

use super::{MAX_DIRECTORY_ENTRIES, MAX_FOLDER_DEPTH};
use fcas_documents::bytes::{u16_at, u32_at, u64_at};

/// Where the anchor is, in blocks from the start (also from the end: N - 1 and N - 257).
const ANCHOR_BLOCK: u64 = 256;
/// Descriptors read in a volume descriptor sequence.
const MAX_SEQUENCE: u64 = 256;
/// Extents (allocation descriptors) followed per file or folder.
const MAX_EXTENTS: usize = 65_536;
/// Partition maps read from the logical volume descriptor.
const MAX_PARTITION_MAPS: usize = 16;
/// A folder's listing is read whole, and held while its sub-folders are walked: larger than
/// this (about 200,000 names of 80 bytes) it is refused, so that folders claiming the whole
/// volume (in extents never recorded, which read as zeros) cannot multiply it in memory.
const MAX_LISTING: u64 = 16 << 20;

// Tag identifiers (ECMA-167 3/7.2.1 and 4/7.2.1).
const TAG_ANCHOR: u16 = 2;
const TAG_PARTITION: u16 = 5;
const TAG_LOGICAL_VOLUME: u16 = 6;
const TAG_TERMINATOR: u16 = 8;
const TAG_FILE_SET: u16 = 256;
const TAG_FILE_IDENTIFIER: u16 = 257;
const TAG_ALLOCATION_EXTENT: u16 = 258;
const TAG_FILE_ENTRY: u16 = 261;
const TAG_EXTENDED_FILE_ENTRY: u16 = 266;

/// File characteristics of a file identifier descriptor.
const FID_DIRECTORY: u8 = 0x02;
const FID_DELETED: u8 = 0x04;
const FID_PARENT: u8 = 0x08;

pub(crate) fn read(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let volume = Volume::open(data)?;
    let (address, root) = volume.root()?;
    let mut walk = Walk { volume: &volume, records: 0, seen: HashSet::from([address]), damaged: Vec::new() };
    walk.directory(root, "", 0, cx);
    if walk.damaged.is_empty() {
        return Ok(());
    }
    Err(ReadError::Damaged(format!("unreadable: {}", walk.damaged.join("; "))))
}

/// The identifier of the descriptor tag at the start of `bytes`, when its checksum holds.
fn tag(bytes: &[u8]) -> Option<u16> {
    let header = bytes.get(..16)?;
    let sum = header.iter().enumerate().filter(|&(i, _)| i != 4).fold(0u8, |sum, (_, &b)| sum.wrapping_add(b));
    (sum == header[4]).then(|| u16_at(header, 0)).flatten()
}

/// A logical block address: a block within a partition reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Address {
    block: u32,
    partition: u16,
}

/// An extent of a file's data: where (`None`: allocated or not, but unrecorded, read as zeros)
/// and how many bytes.
#[derive(Debug, Clone, Copy)]
struct Extent {
    at: Option<Address>,
    length: u64,
}

/// How a partition reference's blocks are found.
#[derive(Debug, Clone)]
enum Partition {
    /// Blocks from a starting block of the volume.
    Physical { start: u64, length: u64 },
    /// UDF 2.50's metadata partition: its blocks are the metadata file's data, in order.
    Metadata { extents: Vec<(u64, u64)> },
}

struct Volume<'a> {
    data: &'a [u8],
    block: u64,
    partitions: Vec<Partition>,
    file_set: Address,
}

impl<'a> Volume<'a> {
    fn open(data: &'a [u8]) -> Result<Self, ReadError> {
        let (block, anchor) = Self::anchor(data)
            .ok_or_else(|| ReadError::Damaged("no UDF anchor volume descriptor pointer at block 256 or at the end".into()))?;
        let damaged = |what: &str| ReadError::Damaged(format!("the {what} is damaged"));
        let length = u64::from(u32_at(anchor, 16).ok_or_else(|| damaged("anchor"))?);
        let location = u64::from(u32_at(anchor, 20).ok_or_else(|| damaged("anchor"))?);
        let mut starts = Vec::new();
        let mut logical = None;
        for index in 0..(length / block).min(MAX_SEQUENCE) {
            let Some(descriptor) = Self::slice(data, block, location.saturating_add(index), block) else { break };
            match tag(descriptor) {
                Some(TAG_PARTITION) => {
                    let number = u16_at(descriptor, 22).ok_or_else(|| damaged("partition descriptor"))?;
                    let start = u32_at(descriptor, 188).ok_or_else(|| damaged("partition descriptor"))?;
                    let length = u32_at(descriptor, 192).ok_or_else(|| damaged("partition descriptor"))?;
                    starts.push((number, u64::from(start), u64::from(length)));
                }
                Some(TAG_LOGICAL_VOLUME) => logical = Some(descriptor),
                Some(TAG_TERMINATOR) | None => break,
                Some(_) => {}
            }
        }
        let logical = logical.ok_or_else(|| ReadError::Damaged("no logical volume descriptor".into()))?;
        if u32_at(logical, 212).map(u64::from) != Some(block) {
            return Err(ReadError::Unsupported("a logical block size other than the sector size".into()));
        }
        let file_set = long_ad(logical.get(248..264).ok_or_else(|| damaged("logical volume descriptor"))?).at;
        let file_set = file_set.ok_or_else(|| damaged("file set location"))?;
        let mut volume = Volume { data, block, partitions: Vec::new(), file_set };
        volume.partitions = volume.partition_maps(logical, &starts)?;
        Ok(volume)
    }

    /// The block size and the anchor's block, tried at block 256 first (where every writer
    /// puts one), then at the end.
    fn anchor(data: &[u8]) -> Option<(u64, &[u8])> {
        for block in [2048u64, 512, 1024, 4096] {
            let blocks = data.len() as u64 / block;
            for at in [ANCHOR_BLOCK, blocks.saturating_sub(1), blocks.saturating_sub(1 + ANCHOR_BLOCK)] {
                let Some(anchor) = Self::slice(data, block, at, 512) else { continue };
                if tag(anchor) == Some(TAG_ANCHOR) && u32_at(anchor, 12).map(u64::from) == Some(at) {
                    return Some((block, anchor));
                }
            }
        }
        None
    }

    fn slice(data: &[u8], block: u64, at: u64, length: u64) -> Option<&[u8]> {
        let start = usize::try_from(at.checked_mul(block)?).ok()?;
        data.get(start..start.checked_add(usize::try_from(length).ok()?)?)
    }

    /// The partition references: type 1 maps (a partition descriptor's blocks) and the type 2
    /// metadata map; virtual and sparable maps are not read.
    fn partition_maps(&self, logical: &[u8], starts: &[(u16, u64, u64)]) -> Result<Vec<Partition>, ReadError> {
        let count = u32_at(logical, 268).unwrap_or(0) as usize;
        let table_length = u32_at(logical, 264).unwrap_or(0) as usize;
        let table = logical.get(440..440usize.saturating_add(table_length)).unwrap_or_default();
        let physical = |number: u16| {
            starts
                .iter()
                .find(|&&(n, _, _)| n == number)
                .map(|&(_, start, length)| Partition::Physical { start, length })
                .ok_or_else(|| ReadError::Damaged(format!("no partition descriptor for partition {number}")))
        };
        let mut partitions = Vec::new();
        let mut at = 0usize;
        for _ in 0..count.min(MAX_PARTITION_MAPS) {
            let Some(&kind) = table.get(at) else { break };
            let length = usize::from(*table.get(at + 1).unwrap_or(&0));
            let map = table.get(at..at + length).filter(|_| length >= 6).ok_or_else(|| ReadError::Damaged("a partition map".into()))?;
            match kind {
                1 => partitions.push(physical(u16_at(map, 4).unwrap_or(u16::MAX))?),
                2 => {
                    let identifier = map.get(5..28).unwrap_or_default();
                    if !identifier.starts_with(b"*UDF Metadata Partition") {
                        let name = String::from_utf8_lossy(identifier).trim_end_matches('\0').to_string();
                        return Err(ReadError::Unsupported(format!(
                            "UDF partitions of type \"{name}\" (write-once or rewritable discs) are not read. Mount the image read-only and scan the folder"
                        )));
                    }
                    let underlying = physical(u16_at(map, 38).unwrap_or(u16::MAX))?;
                    let file = u32_at(map, 40).ok_or_else(|| ReadError::Damaged("the metadata partition map".into()))?;
                    partitions.push(self.metadata(&underlying, file)?);
                }
                _ => return Err(ReadError::Damaged(format!("partition map of type {kind}"))),
            }
            at += length;
        }
        if partitions.is_empty() {
            return Err(ReadError::Damaged("no partition map".into()));
        }
        Ok(partitions)
    }

    /// The metadata partition: the extents of the metadata file, a file entry at block `file`
    /// of the physical partition under it.
    fn metadata(&self, underlying: &Partition, file: u32) -> Result<Partition, ReadError> {
        let Partition::Physical { start, .. } = *underlying else {
            return Err(ReadError::Damaged("a metadata partition over another".into()));
        };
        let on_physical = Volume { data: self.data, block: self.block, partitions: vec![underlying.clone()], file_set: self.file_set };
        let entry = on_physical
            .entry(Address { block: file, partition: 0 })
            .ok_or_else(|| ReadError::Damaged("the metadata file's entry".into()))?;
        let mut extents = Vec::new();
        for extent in entry.extents {
            let Some(at) = extent.at else {
                return Err(ReadError::Damaged("the metadata file has an unrecorded extent".into()));
            };
            extents.push((start.saturating_add(u64::from(at.block)), extent.length));
        }
        Ok(Partition::Metadata { extents })
    }

    /// The bytes of `length` from block `at`, within its partition and the image.
    fn bytes(&self, at: Address, length: u64) -> Option<&'a [u8]> {
        let block = u64::from(at.block);
        let volume_block = match self.partitions.get(usize::from(at.partition))? {
            Partition::Physical { start, length: blocks } => {
                // A partition's length bounds where its blocks are; an extent may run on past
                // the last block only as far as the image goes.
                (block < *blocks).then(|| start.saturating_add(block))?
            }
            Partition::Metadata { extents } => {
                let mut skip = block.checked_mul(self.block)?;
                let mut found = None;
                for &(start, bytes) in extents {
                    if skip < bytes {
                        // Metadata extents are whole blocks; a read stays within one.
                        found = Some(start.saturating_add(skip / self.block));
                        break;
                    }
                    skip -= bytes;
                }
                found?
            }
        };
        Self::slice(self.data, self.block, volume_block, length)
    }

    fn root(&self) -> Result<(Address, Entry), ReadError> {
        let file_set = self.bytes(self.file_set, self.block).filter(|b| tag(b) == Some(TAG_FILE_SET));
        let file_set = file_set.ok_or_else(|| ReadError::Damaged("no file set descriptor where the volume says".into()))?;
        let root = file_set.get(400..416).map(long_ad).and_then(|ad| ad.at);
        let root = root.ok_or_else(|| ReadError::Damaged("the file set descriptor has no root folder".into()))?;
        let entry = self.entry(root).ok_or_else(|| ReadError::Damaged("the root folder's entry".into()))?;
        Ok((root, entry))
    }

    /// The file entry or extended file entry at `at`, with its data's extents.
    fn entry(&self, at: Address) -> Option<Entry> {
        let bytes = self.bytes(at, self.block)?;
        let (ea_at, header): (usize, usize) = match tag(bytes)? {
            TAG_FILE_ENTRY => (168, 176),
            TAG_EXTENDED_FILE_ENTRY => (208, 216),
            _ => return None,
        };
        let file_type = *bytes.get(27)?;
        let allocation = u16_at(bytes, 34)? & 7;
        let size = u64_at(bytes, 56)?;
        let ea_length = u32_at(bytes, ea_at)? as usize;
        let ad_length = u32_at(bytes, ea_at + 4)? as usize;
        let start = header.checked_add(ea_length)?;
        let descriptors = bytes.get(start..start.checked_add(ad_length)?)?;
        let extents = match allocation {
            // Embedded: the data is the descriptors' area itself.
            3 => {
                let embedded = descriptors.get(..usize::try_from(size).ok()?)?;
                return Some(Entry { directory: file_type == 4, size, extents: Vec::new(), embedded: Some(embedded.to_vec()) });
            }
            0 => self.extents(descriptors, 8, at.partition)?,
            1 => self.extents(descriptors, 16, at.partition)?,
            _ => return None,
        };
        Some(Entry { directory: file_type == 4, size, extents, embedded: None })
    }

    /// The extents described by short (8-byte) or long (16-byte) allocation descriptors,
    /// following continuation extents (allocation extent descriptors).
    fn extents(&self, mut descriptors: &'a [u8], width: usize, partition: u16) -> Option<Vec<Extent>> {
        let mut extents = Vec::new();
        let mut hops = 0;
        loop {
            let mut next = None;
            for descriptor in descriptors.chunks_exact(width) {
                let extent = if width == 8 { short_ad(descriptor, partition) } else { long_ad(descriptor) };
                let kind = u32_at(descriptor, 0)? >> 30;
                if extent.length == 0 {
                    break;
                }
                if kind == 3 {
                    next = extent.at;
                    break;
                }
                if extents.len() >= MAX_EXTENTS {
                    return None;
                }
                extents.push(extent);
            }
            let Some(at) = next else { return Some(extents) };
            hops += 1;
            if hops > MAX_EXTENTS {
                return None;
            }
            let block = self.bytes(at, self.block).filter(|b| tag(b) == Some(TAG_ALLOCATION_EXTENT))?;
            let length = u32_at(block, 20)? as usize;
            descriptors = block.get(24..24usize.checked_add(length)?)?;
        }
    }
}

/// A short allocation descriptor: length (with its type in the top two bits) and a block of
/// the entry's own partition.
fn short_ad(bytes: &[u8], partition: u16) -> Extent {
    let raw = u32_at(bytes, 0).unwrap_or(0);
    let block = u32_at(bytes, 4).unwrap_or(0);
    extent(raw, Address { block, partition })
}

/// A long allocation descriptor: length and type, block and partition reference.
fn long_ad(bytes: &[u8]) -> Extent {
    let raw = u32_at(bytes, 0).unwrap_or(0);
    let block = u32_at(bytes, 4).unwrap_or(0);
    let partition = u16_at(bytes, 8).unwrap_or(0);
    extent(raw, Address { block, partition })
}

fn extent(raw: u32, at: Address) -> Extent {
    let length = u64::from(raw & 0x3fff_ffff);
    // Types 1 and 2: allocated or not, never recorded: zeros.
    let recorded = matches!(raw >> 30, 0 | 3);
    Extent { at: recorded.then_some(at), length }
}

struct Entry {
    directory: bool,
    size: u64,
    extents: Vec<Extent>,
    embedded: Option<Vec<u8>>,
}

/// A file's data, extent after extent, cut at its size.
struct Content<'v, 'a> {
    volume: &'v Volume<'a>,
    extents: std::slice::Iter<'v, Extent>,
    current: Option<(Extent, u64)>,
    left: u64,
}

impl Read for Content<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.left == 0 || buf.is_empty() {
                return Ok(0);
            }
            let (extent, done) = match self.current {
                Some((extent, done)) if done < extent.length => (extent, done),
                _ => match self.extents.next() {
                    Some(&extent) => {
                        self.current = Some((extent, 0));
                        continue;
                    }
                    None => return Ok(0),
                },
            };
            let take = (extent.length - done).min(self.left).min(buf.len() as u64) as usize;
            let out = buf.get_mut(..take).ok_or_else(|| io::Error::other("buffer"))?;
            match extent.at {
                None => out.fill(0),
                Some(at) => {
                    // The extent's bytes from its start: blocks are contiguous within one.
                    let bytes = self
                        .volume
                        .bytes(at, done + take as u64)
                        .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "an extent runs past the partition or the image"))?;
                    out.copy_from_slice(bytes.get(done as usize..).unwrap_or_default());
                }
            }
            self.current = Some((extent, done + take as u64));
            self.left -= take as u64;
            return Ok(take);
        }
    }
}

struct Walk<'v, 'a> {
    volume: &'v Volume<'a>,
    records: usize,
    /// Folders already walked (a folder listed twice, or an entry pointing back up).
    seen: HashSet<Address>,
    damaged: Vec<String>,
}

impl Walk<'_, '_> {
    fn directory(&mut self, entry: Entry, path: &str, depth: usize, cx: &mut Container<'_>) {
        // A folder is read whole (it is a list of names).
        if entry.size > (self.volume.data.len() as u64).min(MAX_LISTING) {
            return self.damaged.push(format!("{path}: a folder listing of {} bytes, over the volume or {MAX_LISTING}", entry.size));
        }
        let listing = match self.content(&entry) {
            Ok(listing) => listing,
            Err(error) => return self.damaged.push(format!("{path}: {error}")),
        };
        let mut at = 0usize;
        while let Some(rest) = listing.get(at..).filter(|rest| rest.len() >= 38) {
            if !cx.wants_more() {
                return;
            }
            if tag(rest) != Some(TAG_FILE_IDENTIFIER) {
                return self.damaged.push(format!("{path}: a damaged file identifier at byte {at}"));
            }
            let (Some(&characteristics), Some(&name_length), Some(icb)) = (rest.get(18), rest.get(19), rest.get(20..36)) else { break };
            let (name_length, icb) = (usize::from(name_length), long_ad(icb));
            let use_length = usize::from(u16_at(rest, 36).unwrap_or(0));
            let length = (38 + use_length + name_length + 3) & !3;
            let name = rest.get(38 + use_length..38 + use_length + name_length).map(dstring);
            at += length;
            self.records += 1;
            if self.records > MAX_DIRECTORY_ENTRIES {
                cx.skip(path, format!("not opened: more than {MAX_DIRECTORY_ENTRIES} directory entries"));
                return;
            }
            if characteristics & (FID_PARENT | FID_DELETED) != 0 {
                continue;
            }
            let (Some(name), Some(address)) = (name, icb.at) else {
                self.damaged.push(format!("{path}: a damaged file identifier at byte {at}"));
                continue;
            };
            let full = format!("{path}{name}");
            let Some(child) = self.volume.entry(address) else {
                cx.skip(&full, "damaged: no file entry where its folder says");
                continue;
            };
            if characteristics & FID_DIRECTORY != 0 || child.directory {
                if depth >= MAX_FOLDER_DEPTH {
                    cx.skip(&full, format!("not opened: folders nested deeper than {MAX_FOLDER_DEPTH}"));
                } else if self.seen.insert(address) {
                    self.directory(child, &format!("{full}/"), depth + 1, cx);
                } else {
                    cx.skip(&full, "not opened: a folder already walked (the file system loops)");
                }
                continue;
            }
            self.file(child, &full, cx);
        }
    }

    fn file(&mut self, entry: Entry, full: &str, cx: &mut Container<'_>) {
        if entry.size > self.volume.data.len() as u64 && entry.extents.iter().all(|e| e.at.is_some()) {
            return cx.skip(full, "damaged: larger than the volume");
        }
        if let Some(embedded) = entry.embedded {
            return cx.emit(full, embedded.into());
        }
        let mut content = Content { volume: self.volume, extents: entry.extents.iter(), current: None, left: entry.size };
        match cx.read_child(full, &mut content, Some(entry.size), Some(entry.size)) {
            Ok(data) if data.len() as u64 == entry.size => cx.emit(full, data.into()),
            Ok(_) => cx.skip(full, "damaged: its extents end before its size"),
            Err(ChildError::Limit(_)) => {}
            Err(ChildError::Read(error)) => cx.skip(full, format!("damaged: {error}")),
        }
    }

    /// A folder's listing, whole.
    fn content(&self, entry: &Entry) -> io::Result<Vec<u8>> {
        if let Some(embedded) = &entry.embedded {
            return Ok(embedded.clone());
        }
        let mut content = Content { volume: self.volume, extents: entry.extents.iter(), current: None, left: entry.size };
        let mut listing = Vec::new();
        content.read_to_end(&mut listing)?;
        Ok(listing)
    }
}

/// A file identifier in OSTA compressed Unicode: 8 (or 254) for one byte per character, 16
/// (or 255) for UTF-16 big-endian; `/` and NUL, which a path cannot hold, become `_`.
fn dstring(bytes: &[u8]) -> String {
    let Some((&compression, text)) = bytes.split_first() else { return String::new() };
    let name: String = match compression {
        16 | 255 => fcas_documents::bytes::utf16_lossy(text, true),
        _ => text.iter().map(|&b| char::from(b)).collect(),
    };
    name.replace(['/', '\0'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decode_from_both_compressions() {
        assert_eq!(dstring(b"\x08a.txt"), "a.txt");
        assert_eq!(dstring(b"\x10\x00a\x00/\x04\x10"), "a_\u{410}");
        assert_eq!(dstring(b""), "");
    }

    #[test]
    fn a_tag_is_read_only_when_its_checksum_holds() {
        let mut header = [0u8; 16];
        header[0] = 2;
        header[12] = 1;
        header[4] = 3;
        assert_eq!(tag(&header), Some(2));
        header[4] = 4;
        assert_eq!(tag(&header), None);
        assert_eq!(tag(&header[..8]), None);
    }

    #[test]
    fn extent_types_say_what_is_recorded() {
        let recorded = long_ad(&[0x10, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!((recorded.length, recorded.at), (16, Some(Address { block: 5, partition: 1 })));
        let unrecorded = short_ad(&[0x10, 0, 0, 0x40, 5, 0, 0, 0], 0);
        assert_eq!((unrecorded.length, unrecorded.at), (16, None));
    }
}
