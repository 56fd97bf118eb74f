//! Opening compound files (OLE, MS-CFB) from memory, as tolerantly as Office does: every reader
//! of legacy documents, embedded objects and installers opens them through here.
//!
//! Some writers (the SheetJS `cfb` library among them, and so documents made by JavaScript
//! tools) fill the last FAT sector with end-of-chain marks past the file's last sector, where the
//! format asks for free ones. Office and olefile read such files; the `cfb` crate refuses them
//! ("FAT has 128 entries, but file has only 28 sectors"). When it does, the entries past the end
//! are marked free in a copy and the copy is opened: those sectors do not exist, so no stream
//! can use them and nothing readable changes.
use std::borrow::Cow;
use std::io::Cursor;

use crate::bytes::{u16_at, u32_at};

/// A compound file opened from memory (borrowed, or a mended copy).
pub type CompoundFile<'a> = cfb::CompoundFile<Cursor<Cow<'a, [u8]>>>;

/// The signature of a compound file.
const MAGIC: &[u8; 8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
/// FAT entry of a free sector.
const FREE: u32 = 0xFFFF_FFFF;
/// The FAT sectors the header lists itself (more are listed in DIFAT sectors).
const HEADER_DIFAT: usize = 109;

/// Opens `bytes` as a compound file; `Err` says why it is not a readable one.
pub fn open_compound(bytes: &[u8]) -> std::io::Result<CompoundFile<'_>> {
    match cfb::CompoundFile::open(Cursor::new(Cow::Borrowed(bytes))) {
        Ok(file) => Ok(file),
        Err(error) => match fat_freed_past_the_end(bytes) {
            Some(mended) => cfb::CompoundFile::open(Cursor::new(Cow::Owned(mended))).map_err(|_| error),
            None => Err(error),
        },
    }
}

/// `bytes` to open for writing: a copy, mended as [`open_compound`] would open it.
pub(crate) fn writable_copy(bytes: &[u8]) -> Vec<u8> {
    fat_freed_past_the_end(bytes).unwrap_or_else(|| bytes.to_vec())
}

/// A copy of `bytes` whose FAT entries for sectors past the end of the file are free, when the
/// header's own FAT sectors hold any that are not; `None` otherwise.
fn fat_freed_past_the_end(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(MAGIC) {
        return None;
    }
    let sector = match u16_at(bytes, 0x1E)? {
        9 => 512usize,
        12 => 4096,
        _ => return None,
    };
    // Sectors after the header's, counting a last partial one (as the `cfb` crate does).
    let sectors = bytes.len().div_ceil(sector).checked_sub(1)?;
    let fat_sectors = usize::try_from(u32_at(bytes, 0x2C)?).ok()?.min(HEADER_DIFAT);
    let per_sector = sector / 4;
    let mut mended = None;
    for index in 0..fat_sectors {
        let id = usize::try_from(u32_at(bytes, 0x4C + 4 * index)?).ok()?;
        let first_entry = index * per_sector;
        if first_entry + per_sector <= sectors || id >= sectors {
            continue;
        }
        let start = (id + 1) * sector;
        let copy = mended.get_or_insert_with(|| bytes.to_vec());
        for entry in first_entry.max(sectors)..first_entry + per_sector {
            let at = start + 4 * (entry - first_entry);
            if let Some(slot) = copy.get_mut(at..at + 4).filter(|slot| **slot != FREE.to_le_bytes()) {
                slot.copy_from_slice(&FREE.to_le_bytes());
            }
        }
    }
    mended.filter(|copy| copy[..] != *bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// A small compound file with one stream, its last FAT sector's unused entries then set to
    /// end-of-chain, as SheetJS writes them.
    fn with_end_of_chain_past_the_end() -> (Vec<u8>, Vec<u8>) {
        let mut file = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
        let content: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
        file.create_stream("/Data").unwrap().write_all(&content).unwrap();
        file.flush().unwrap();
        let mut bytes = file.into_inner().into_inner();
        let sectors = bytes.len() / 512 - 1;
        let fat = (u32_at(&bytes, 0x4C).unwrap() as usize + 1) * 512;
        for entry in sectors..128 {
            bytes[fat + 4 * entry..fat + 4 * entry + 4].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        }
        (bytes, content)
    }

    #[test]
    fn end_of_chain_marks_past_the_end_are_freed_in_a_copy() {
        let (bytes, content) = with_end_of_chain_past_the_end();
        assert!(cfb::CompoundFile::open(Cursor::new(&bytes)).is_err(), "the cfb crate alone refuses it");
        let mut file = open_compound(&bytes).expect("opened as Office would");
        let mut read = Vec::new();
        file.open_stream("/Data").unwrap().read_to_end(&mut read).unwrap();
        assert_eq!(read, content);
        assert!(matches!(file.into_inner().into_inner(), Cow::Owned(_)));
    }

    #[test]
    fn well_formed_files_are_borrowed_and_garbage_stays_an_error() {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        file.create_stream("/Data").unwrap().write_all(b"data").unwrap();
        file.flush().unwrap();
        let bytes = file.into_inner().into_inner();
        assert!(matches!(open_compound(&bytes).unwrap().into_inner().into_inner(), Cow::Borrowed(_)));
        assert!(open_compound(b"not a compound file").is_err());
        let mut header_only = bytes[..512].to_vec();
        header_only[0x1E] = 7;
        assert!(open_compound(&header_only).is_err());
        assert!(open_compound(&bytes[..600]).is_err());
    }
}
