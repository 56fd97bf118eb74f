//! One FAT12/16/32 file system through the `fatfs` crate, over the image's bytes in memory
//! (writes refused: nothing is ever changed). `fatfs` follows cluster chains without checking
//! for loops, so the walk bounds what it can: folders nested at most [`MAX_FOLDER_DEPTH`]
//! deep, at most [`MAX_DIRECTORY_ENTRIES`] directory entries in all, each file no larger than
//! the volume, and the container's time budget between entries.
use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};

use fatfs::{Dir, FileSystem, FsOptions};

use super::{MAX_DIRECTORY_ENTRIES, MAX_FOLDER_DEPTH};
use crate::{ChildError, Container, ReadError};
use fcas_documents::bytes::u16_at;

/// The volume's bytes, read-only: `fatfs` wants a writable disk, and a write (which only a
/// change of the file system would make) fails instead.
struct ReadOnly<'a>(Cursor<&'a [u8]>);

impl Read for ReadOnly<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Seek for ReadOnly<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

impl Write for ReadOnly<'_> {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::new(io::ErrorKind::PermissionDenied, "the image is read-only"))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether `sector` (a volume's first 512 bytes) looks like a FAT boot sector: a jump, a
/// sane BIOS parameter block and the 0x55AA signature.
pub(crate) fn is_boot_sector(sector: &[u8]) -> bool {
    let (Some(jump), Some(signature)) = (sector.first(), sector.get(510..512)) else { return false };
    let bytes_per_sector = u16_at(sector, 11).unwrap_or(0);
    let per_cluster = sector.get(13).copied().unwrap_or(0);
    let fats = sector.get(16).copied().unwrap_or(0);
    matches!(jump, 0xeb | 0xe9)
        && signature == [0x55, 0xaa]
        && matches!(bytes_per_sector, 512 | 1024 | 2048 | 4096)
        && per_cluster.is_power_of_two()
        && u16_at(sector, 14).is_some_and(|reserved| reserved >= 1)
        && (1..=2).contains(&fats)
}

/// Walks the FAT volume in `data`, naming each file `prefix` + its path.
pub(crate) fn read_volume(data: &[u8], prefix: &str, cx: &mut Container<'_>) -> Result<(), ReadError> {
    let fs = FileSystem::new(ReadOnly(Cursor::new(data)), FsOptions::new()).map_err(super::damaged)?;
    let mut walk = Walk { volume_size: data.len() as u64, records: 0, damaged: Vec::new() };
    walk.directory(&fs.root_dir(), prefix, 0, cx);
    if walk.damaged.is_empty() {
        return Ok(());
    }
    Err(ReadError::Damaged(format!("unreadable: {}", walk.damaged.join("; "))))
}

struct Walk {
    volume_size: u64,
    records: usize,
    damaged: Vec<String>,
}

impl Walk {
    fn directory(&mut self, dir: &Dir<'_, ReadOnly<'_>>, path: &str, depth: usize, cx: &mut Container<'_>) {
        for entry in dir.iter() {
            if !cx.wants_more() {
                return;
            }
            self.records += 1;
            if self.records > MAX_DIRECTORY_ENTRIES {
                cx.skip(path, format!("not opened: more than {MAX_DIRECTORY_ENTRIES} directory entries (a folder that loops?)"));
                return;
            }
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    self.damaged.push(format!("{path}: {error}"));
                    return;
                }
            };
            let name = entry.file_name();
            if name == "." || name == ".." {
                continue;
            }
            let full = format!("{path}{name}");
            if entry.is_dir() {
                if depth >= MAX_FOLDER_DEPTH {
                    cx.skip(&full, format!("not opened: folders nested deeper than {MAX_FOLDER_DEPTH}"));
                } else {
                    self.directory(&entry.to_dir(), &format!("{full}/"), depth + 1, cx);
                }
                continue;
            }
            let size = entry.len();
            // A file's clusters are the volume's: larger than the volume means a chain that loops
            // or a size that lies.
            if size > self.volume_size {
                cx.skip(&full, "damaged: larger than the volume");
                continue;
            }
            match cx.read_child(&full, &mut entry.to_file(), Some(size), Some(size)) {
                Ok(data) if data.len() as u64 == size => cx.emit(full, data.into()),
                Ok(_) => cx.skip(&full, "damaged: its cluster chain ends before its size"),
                Err(ChildError::Limit(_)) => {}
                Err(ChildError::Read(error)) => cx.skip(&full, format!("damaged: {error}")),
            }
        }
    }
}
