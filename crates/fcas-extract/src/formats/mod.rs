//! One module per container format. Each reader walks its container's entries and hands them
//! to the [`Container`], which applies the limits.
use fcas_report::Format;

use crate::{Container, ReadError};

mod cab;
mod disk;
mod document;
mod fat;
mod iso;
mod ntfs;
mod ole;
mod pe;
mod rar;
mod sevenzip;
mod stream;
mod tar;
mod udf;
mod vhd;
mod vhdx;
mod zip;

/// Folders of a file system (FAT, NTFS, UDF) nested deeper than this are not walked: a folder
/// listing its own ancestor ends here.
pub(crate) const MAX_FOLDER_DEPTH: usize = 16;
/// Directory entries read in one file system (a folder whose chain loops repeats its entries).
pub(crate) const MAX_DIRECTORY_ENTRIES: usize = 100_000;

/// A container reader: the format name the report shows and the function that walks it.
pub(crate) struct Reader {
    pub(crate) name: &'static str,
    pub(crate) read: ReadFn,
}

/// Walks one container's entries, handing each to the [`Container`].
pub(crate) type ReadFn = fn(&[u8], &mut Container<'_>) -> Result<(), ReadError>;

/// The reader for bytes detected as `format`, if it is a container.
pub(crate) fn reader_for(format: Format, bytes: &[u8]) -> Option<Reader> {
    let (name, read): (&'static str, ReadFn) = match format {
        Format::Zip | Format::Jar => ("zip", zip::read),
        Format::SevenZip => ("sevenzip", sevenzip::read),
        Format::Gzip => ("gzip", stream::gzip),
        Format::Bzip2 => ("bzip2", stream::bzip2),
        Format::Xz => ("xz", stream::xz),
        Format::Zstd => ("zstd", stream::zstd),
        Format::Tar => ("tar", tar::read),
        Format::Rar => ("rar", rar::read),
        Format::Cab => ("cab", cab::read),
        Format::Ole if ole::is_msi(bytes) => ("msi", ole::read),
        Format::Ole => ("ole", ole::read),
        Format::Iso => ("iso9660", iso::read),
        Format::Udf if iso::has_volume(bytes) => ("iso9660", iso::read),
        Format::Udf => ("udf", udf::read),
        Format::DiskImage if ntfs::is_boot_sector(bytes) => ("ntfs", disk::read),
        Format::DiskImage if fat::is_boot_sector(bytes) => ("fat", disk::read),
        Format::DiskImage => ("mbr", disk::read),
        Format::Vhd => ("vhd", vhd::read),
        Format::Pe if pe::has_payloads(bytes) => ("pe", pe::read),
        Format::Vhdx => ("vhdx", vhdx::read),
        Format::Rtf if document::may_embed(format, bytes) => ("rtf", document::rtf),
        Format::Pdf if document::may_embed(format, bytes) => ("pdf", document::pdf),
        Format::OneNote if document::may_embed(format, bytes) => ("onenote", document::onenote),
        Format::Script | Format::Text if document::may_embed(format, bytes) => ("script", document::script),
        _ => return None,
    };
    Some(Reader { name, read })
}

/// The error of a damaged container, from any reader's error type.
pub(crate) fn damaged(error: impl std::fmt::Display) -> ReadError {
    ReadError::Damaged(error.to_string())
}

/// A name from bytes of unknown encoding: UTF-8 where valid, else each byte as Latin-1 (what
/// most archivers of the old DOS code pages come closest to).
pub(crate) fn name_from_bytes(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(name) => name.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}
