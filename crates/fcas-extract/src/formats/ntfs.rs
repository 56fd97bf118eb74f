//! One NTFS file system through the `ntfs` crate, read-only over the volume's bytes in memory.
//! Every file's unnamed data stream is a child named by its path; its named streams (alternate
//! data streams, where droppers hide payloads and Windows keeps `Zone.Identifier`) are children
//! named `path:stream`, as 7-Zip and Windows name them. NTFS's own metadata files (`$MFT`,
//! `$LogFile`, `$Extend`...) and MS-DOS 8.3 aliases are not children.
//!
//! The crate follows index B-trees and attribute lists as the volume describes them, without
//! looking for loops, so the volume is read through [`Guarded`]: once the reads made for the
//! file system's own structures pass [`MAX_METADATA_READ`], every read fails and the walk ends
//! with the volume reported damaged. Folders nest at most [`MAX_FOLDER_DEPTH`] deep, at most
//! [`MAX_DIRECTORY_ENTRIES`] directory entries are read, and the container's time budget is
//! checked between entries.
//!
//! The crate reads an MFT record with one read from where the record starts, which runs into
//! the wrong clusters when the record straddles two of the MFT's extents (clusters smaller than
//! a record, as mkntfs makes on small volumes); [`Guarded`] serves such a read from the
//! extents in the MFT's order.
use std::cell::Cell;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::rc::Rc;

use ntfs::attribute_value::NtfsAttributeValue;
use ntfs::structured_values::NtfsFileNamespace;
use ntfs::{Ntfs, NtfsAttributeType, NtfsFile};

use super::{MAX_DIRECTORY_ENTRIES, MAX_FOLDER_DEPTH};
use crate::{ChildError, Container, ReadError};

/// Bytes read for the file system's structures (MFT records, indexes, attribute lists), file
/// data not counted. A real volume of 10,000 files reads a few tens of MiB; an index whose
/// subnodes point back at themselves would read (and hold) without end.
const MAX_METADATA_READ: u64 = 128 << 20;
/// The first MFT record of an ordinary file: the ones before are NTFS's metadata files.
const FIRST_USER_RECORD: u64 = 24;
/// MFT extents kept (a real MFT has a handful; the list is searched at every read).
const MAX_MFT_EXTENTS: usize = 4096;

/// Whether `sector` (a volume's first 512 bytes) is an NTFS boot sector.
pub(crate) fn is_boot_sector(sector: &[u8]) -> bool {
    sector.get(3..11) == Some(b"NTFS    ") && sector.get(510..512) == Some(&[0x55, 0xaa])
}

/// The volume's bytes, counting what is read outside file data against [`MAX_METADATA_READ`].
struct Guarded<'a> {
    volume: Cursor<&'a [u8]>,
    /// The MFT's extents on the volume (start, length in bytes), in the MFT's order.
    mft_extents: Vec<(u64, u64)>,
    metadata_read: u64,
    /// Set while a file's data is read: those bytes are bounded by the child limits instead.
    reading_data: Rc<Cell<bool>>,
}

impl Read for Guarded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.reading_data.get() {
            if self.metadata_read > MAX_METADATA_READ {
                return Err(io::Error::other(format!(
                    "more than {} MiB of file-system structures read (an index or attribute list that loops?)",
                    MAX_METADATA_READ >> 20
                )));
            }
            self.metadata_read = self.metadata_read.saturating_add(buf.len() as u64);
        }
        let position = self.volume.position();
        let extent = self.mft_extents.iter().position(|&(start, len)| position >= start && position - start < len);
        match extent {
            Some(index) => self.read_across_extents(index, buf),
            None => self.volume.read(buf),
        }
    }
}

impl Guarded<'_> {
    /// A read that starts in MFT extent `index`: what runs past its end comes from the next
    /// extents, where the MFT goes on.
    fn read_across_extents(&mut self, index: usize, buf: &mut [u8]) -> io::Result<usize> {
        let mut filled = 0;
        for &(start, len) in self.mft_extents.get(index..).unwrap_or_default() {
            if filled == buf.len() {
                break;
            }
            let from = self.volume.position().max(start);
            let room = usize::try_from(start.saturating_add(len).saturating_sub(from)).unwrap_or(usize::MAX);
            let take = room.min(buf.len() - filled);
            self.volume.set_position(from);
            let Some(part) = buf.get_mut(filled..filled + take) else { break };
            let got = self.volume.read(part)?;
            filled += got;
            if got < take {
                break;
            }
        }
        Ok(filled)
    }
}

/// The MFT's extents, from its own record's data runs (none when they cannot be read: records
/// are then read where they start, as the crate does).
fn mft_extents(ntfs: &Ntfs, fs: &mut Guarded<'_>) -> Vec<(u64, u64)> {
    let Ok(mft) = ntfs.file(fs, 0) else { return Vec::new() };
    let Some(Ok(item)) = mft.data(fs, "") else { return Vec::new() };
    let Ok(attribute) = item.to_attribute() else { return Vec::new() };
    let Ok(NtfsAttributeValue::NonResident(value)) = attribute.value(fs) else { return Vec::new() };
    value
        .data_runs()
        .take(MAX_MFT_EXTENTS)
        .map_while(Result::ok)
        .filter_map(|run| Some((run.data_position().value()?.get(), run.allocated_size())))
        .collect()
}

impl Seek for Guarded<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.volume.seek(pos)
    }
}

/// Walks the NTFS volume in `data`, naming each file `prefix` + its path.
pub(crate) fn read_volume(data: &[u8], prefix: &str, cx: &mut Container<'_>) -> Result<(), ReadError> {
    let reading_data = Rc::new(Cell::new(false));
    let mut fs = Guarded { volume: Cursor::new(data), mft_extents: Vec::new(), metadata_read: 0, reading_data: Rc::clone(&reading_data) };
    let mut ntfs = Ntfs::new(&mut fs).map_err(super::damaged)?;
    fs.mft_extents = mft_extents(&ntfs, &mut fs);
    // Needed to compare stream names; without it the walk still lists every file.
    ntfs.read_upcase_table(&mut fs).map_err(super::damaged)?;
    let root = ntfs.root_directory(&mut fs).map_err(super::damaged)?;
    let mut walk = Walk { ntfs: &ntfs, fs, volume_size: data.len() as u64, records: 0, damaged: Vec::new(), reading_data };
    walk.directory(&root, prefix, 0, cx);
    if walk.damaged.is_empty() {
        return Ok(());
    }
    Err(ReadError::Damaged(format!("unreadable: {}", walk.damaged.join("; "))))
}

struct Walk<'n, 'a> {
    ntfs: &'n Ntfs,
    fs: Guarded<'a>,
    volume_size: u64,
    records: usize,
    damaged: Vec<String>,
    reading_data: Rc<Cell<bool>>,
}

/// What one directory entry names, copied out of the index before the walk goes on.
struct Named {
    name: String,
    record: u64,
    is_directory: bool,
}

impl<'n> Walk<'n, '_> {
    fn directory(&mut self, dir: &NtfsFile<'n>, path: &str, depth: usize, cx: &mut Container<'_>) {
        let index = match dir.directory_index(&mut self.fs) {
            Ok(index) => index,
            Err(error) => return self.damaged.push(format!("{path}: {error}")),
        };
        let mut entries = index.entries();
        loop {
            if !cx.wants_more() {
                return;
            }
            let named = match entries.next(&mut self.fs) {
                None => return,
                Some(Err(error)) => return self.damaged.push(format!("{path}: {error}")),
                Some(Ok(entry)) => {
                    let record = entry.file_reference().file_record_number();
                    match entry.key() {
                        Some(Ok(key)) if key.namespace() != NtfsFileNamespace::Dos => {
                            Named { name: key.name().to_string_lossy(), record, is_directory: key.is_directory() }
                        }
                        // The MS-DOS alias of a long name: the file comes under its long name.
                        Some(Ok(_)) | None => continue,
                        Some(Err(error)) => return self.damaged.push(format!("{path}: {error}")),
                    }
                }
            };
            self.records += 1;
            if self.records > MAX_DIRECTORY_ENTRIES {
                cx.skip(path, format!("not opened: more than {MAX_DIRECTORY_ENTRIES} directory entries (a folder that loops?)"));
                return;
            }
            if named.record < FIRST_USER_RECORD {
                continue;
            }
            let full = format!("{path}{}", named.name);
            let file = match self.ntfs.file(&mut self.fs, named.record) {
                Ok(file) => file,
                Err(error) => {
                    cx.skip(&full, format!("damaged: {error}"));
                    continue;
                }
            };
            if named.is_directory {
                if depth >= MAX_FOLDER_DEPTH {
                    cx.skip(&full, format!("not opened: folders nested deeper than {MAX_FOLDER_DEPTH}"));
                } else {
                    self.directory(&file, &format!("{full}/"), depth + 1, cx);
                }
                continue;
            }
            self.streams(&file, &full, cx);
        }
    }

    /// The file's data streams: the unnamed one as `full`, named ones as `full:name`.
    fn streams(&mut self, file: &NtfsFile<'n>, full: &str, cx: &mut Container<'_>) {
        let mut attributes = file.attributes();
        while let Some(item) = attributes.next(&mut self.fs) {
            let item = match item {
                Ok(item) => item,
                Err(error) => return cx.skip(full, format!("damaged: {error}")),
            };
            let Ok(attribute) = item.to_attribute() else { continue };
            if !matches!(attribute.ty(), Ok(NtfsAttributeType::Data)) {
                continue;
            }
            let stream = match attribute.name() {
                Ok(name) if name.is_empty() => full.to_string(),
                Ok(name) => format!("{full}:{}", name.to_string_lossy()),
                Err(error) => {
                    cx.skip(full, format!("damaged: {error}"));
                    continue;
                }
            };
            let value = match attribute.value(&mut self.fs) {
                Ok(value) => value,
                Err(error) => {
                    cx.skip(&stream, format!("damaged: {error}"));
                    continue;
                }
            };
            let size = value.len();
            // A file's clusters are the volume's: larger means a size that lies (sparse files
            // aside, which samples are not).
            if size > self.volume_size {
                cx.skip(&stream, "damaged: larger than the volume");
                continue;
            }
            self.reading_data.set(true);
            let read = cx.read_child(&stream, &mut value.attach(&mut self.fs), Some(size), Some(size));
            self.reading_data.set(false);
            match read {
                Ok(data) if data.len() as u64 == size => cx.emit(stream, data.into()),
                Ok(_) => cx.skip(&stream, "damaged: its data runs end before its size"),
                Err(ChildError::Limit(_)) => {}
                Err(ChildError::Read(error)) => cx.skip(&stream, format!("damaged: {error}")),
            }
            if !cx.wants_more() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guarded(volume: &[u8], mft_extents: Vec<(u64, u64)>) -> Guarded<'_> {
        Guarded { volume: Cursor::new(volume), mft_extents, metadata_read: 0, reading_data: Rc::new(Cell::new(false)) }
    }

    #[test]
    fn a_read_that_runs_past_an_mft_extent_goes_on_in_the_next_one() {
        let volume: Vec<u8> = (0..64u8).collect();
        // The MFT is bytes 8..16, then 40..56: a 12-byte read from 12 is 12..16 then 40..48.
        let mut fs = guarded(&volume, vec![(8, 8), (40, 16)]);
        fs.seek(SeekFrom::Start(12)).unwrap();
        let mut record = [0u8; 12];
        fs.read_exact(&mut record).unwrap();
        assert_eq!(record, [12, 13, 14, 15, 40, 41, 42, 43, 44, 45, 46, 47]);
        // Reads outside the MFT, and inside one extent, are plain reads.
        fs.seek(SeekFrom::Start(20)).unwrap();
        let mut plain = [0u8; 4];
        fs.read_exact(&mut plain).unwrap();
        assert_eq!(plain, [20, 21, 22, 23]);
        fs.seek(SeekFrom::Start(41)).unwrap();
        fs.read_exact(&mut plain).unwrap();
        assert_eq!(plain, [41, 42, 43, 44]);
        // Past the last extent the read ends short, as at the end of a file.
        fs.seek(SeekFrom::Start(52)).unwrap();
        assert_eq!(fs.read(&mut record).unwrap(), 4);
    }

    #[test]
    fn reads_of_file_system_structures_stop_at_their_budget_file_data_does_not_count() {
        let volume = vec![0u8; 1 << 20];
        let mut fs = guarded(&volume, Vec::new());
        let mut buf = vec![0u8; 1 << 20];
        fs.reading_data.set(true);
        for _ in 0..200 {
            fs.seek(SeekFrom::Start(0)).unwrap();
            fs.read_exact(&mut buf).unwrap();
        }
        fs.reading_data.set(false);
        let mut failed = false;
        for _ in 0..=(MAX_METADATA_READ >> 20) + 1 {
            fs.seek(SeekFrom::Start(0)).unwrap();
            if fs.read_exact(&mut buf).is_err() {
                failed = true;
                break;
            }
        }
        assert!(failed, "the structures' budget ends reading");
    }

    #[test]
    fn a_boot_sector_without_a_volume_behind_it_is_damaged_not_a_panic() {
        let mut volume = vec![0u8; 64 << 10];
        volume[..11].copy_from_slice(b"\xeb\x52\x90NTFS    ");
        volume[510..512].copy_from_slice(&[0x55, 0xaa]);
        assert!(is_boot_sector(&volume));
        // Plausible geometry, an MFT where there is none.
        volume[11..13].copy_from_slice(&512u16.to_le_bytes());
        volume[13] = 8;
        volume[40..48].copy_from_slice(&127u64.to_le_bytes());
        volume[48..56].copy_from_slice(&4u64.to_le_bytes());
        volume[64] = 0xf6;
        let mut budget = crate::Budget::default();
        let extraction =
            crate::open(fcas_report::Format::DiskImage, &volume, &crate::Settings::default(), &mut budget, &mut |_| crate::Flow::Continue)
                .expect("a container");
        assert_eq!(extraction.format, "ntfs");
        assert_eq!(extraction.status, fcas_report::ExtractionStatus::Failed, "{extraction:?}");
        assert!(!is_boot_sector(&volume[..400]));
    }
}
