//! PowerPoint 97-2003 keeps its VBA project inside the `PowerPoint Document` stream: an
//! ExOleObjStg record (MS-PPT 2.10.34, type 0x1011) whose data, zlib-compressed when its
//! instance is 1, is an OLE compound file holding the `VBA` storage. Records are found by their
//! header anywhere in the stream, so a broken persist directory does not hide them.
use std::io::Read;

use flate2::read::ZlibDecoder;

use super::budget::Budget;
use super::storage::{self, Ole};
use crate::DocLimits;

/// The stream holding a presentation's records.
const DOCUMENT_STREAM: &str = "/PowerPoint Document";
/// ExOleObjStg's record type.
const EX_OLE_OBJ_STG: [u8; 2] = 0x1011u16.to_le_bytes();
/// The instance of a compressed ExOleObjStg.
const COMPRESSED: u16 = 1;
/// The OLE compound file signature.
const OLE_MAGIC: [u8; 8] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/// The OLE files stored in a presentation's ExOleObjStg records (at most `max_items`), each
/// decoded within `max_decoded_stream` and all within `budget`; errors for those that could
/// not be.
pub(crate) fn embedded_ole_files(ole: &mut Ole<'_>, limits: &DocLimits, budget: &mut Budget, errors: &mut Vec<String>) -> Vec<Vec<u8>> {
    if !ole.is_stream(DOCUMENT_STREAM) {
        return Vec::new();
    }
    let stream = match storage::read(ole, std::path::Path::new(DOCUMENT_STREAM), limits.max_decoded_stream) {
        Ok((bytes, _)) => bytes,
        Err(error) => {
            errors.push(error);
            return Vec::new();
        }
    };
    let mut files = Vec::new();
    for at in memchr::memmem::find_iter(&stream, &EX_OLE_OBJ_STG) {
        if files.len() >= limits.max_items {
            break;
        }
        // The type sits at offset 2 of the 8-byte header.
        let Some(start) = at.checked_sub(2) else { continue };
        match record(&stream, start, budget.cap(limits.max_decoded_stream), budget) {
            Some(Ok(file)) => files.push(file),
            Some(Err(error)) => errors.push(error),
            None => {}
        }
    }
    files
}

/// The OLE file of the record at `start`, inflated to at most `cap` bytes; `None` when the bytes there are no such record.
fn record(stream: &[u8], start: usize, cap: usize, budget: &mut Budget) -> Option<Result<Vec<u8>, String>> {
    let header = stream.get(start..start.checked_add(8)?)?;
    let ver_instance = u16::from_le_bytes([header[0], header[1]]);
    let length = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    // recVer is 0; a record claiming more than the stream holds is a coincidence of bytes.
    let data = stream.get(start + 8..(start + 8).checked_add(length)?)?;
    if ver_instance & 0x000f != 0 {
        return None;
    }
    if ver_instance >> 4 != COMPRESSED {
        return data.starts_with(&OLE_MAGIC).then(|| Ok(data.to_vec()));
    }
    let compressed = data.get(4..)?;
    // zlib: a deflate stream with a 0x78 header byte.
    if compressed.first() != Some(&0x78) {
        return None;
    }
    let mut out = Vec::new();
    let read = ZlibDecoder::new(compressed).take(u64::try_from(cap).unwrap_or(u64::MAX)).read_to_end(&mut out);
    budget.spend(out.len());
    // PowerPoint ends some of these streams without the zlib checksum: what inflated is kept.
    if let Err(error) = read {
        if !out.starts_with(&OLE_MAGIC) {
            return Some(Err(format!("ExOleObjStg at offset {start}: {error}")));
        }
    }
    out.starts_with(&OLE_MAGIC).then_some(Ok(out))
}
