//! Archives, compressed streams and containers.
use fcas_report::Format;

use super::read::has_at;
use super::{zip, Detected};

/// Compressed streams and containers recognised by a fixed magic at offset 0.
const MAGICS: &[(&[u8], Format, &str, &str)] = &[
    (b"\x1f\x8b", Format::Gzip, "gzip compressed data", "application/gzip"),
    (b"\xfd7zXZ\x00", Format::Xz, "XZ compressed data", "application/x-xz"),
    (b"\x28\xb5\x2f\xfd", Format::Zstd, "Zstandard compressed data", "application/zstd"),
    (b"7z\xbc\xaf\x27\x1c", Format::SevenZip, "7-zip archive data", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07\x01\x00", Format::Rar, "RAR archive data, v5", "application/x-rar"),
    (b"Rar!\x1a\x07\x00", Format::Rar, "RAR archive data", "application/x-rar"),
    (b"MSCF\x00\x00\x00\x00", Format::Cab, "Microsoft Cabinet archive data", "application/vnd.ms-cab-compressed"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Format::Ole, "Composite Document File V2 Document", "application/x-ole-storage"),
];

/// Archives by magic; ZIP-based formats are told apart by their entry names.
pub(crate) fn detect(bytes: &[u8]) -> Option<Detected> {
    if let Some(&(_, format, description, mime)) = MAGICS.iter().find(|(magic, ..)| bytes.starts_with(magic)) {
        return Some(Detected::new(format, description, mime));
    }
    if bytes.starts_with(b"BZh") && bytes.get(3).is_some_and(|level| (b'1'..=b'9').contains(level)) {
        return Some(Detected::new(Format::Bzip2, "bzip2 compressed data", "application/x-bzip2"));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Some(zip::describe(bytes));
    }
    if bytes.starts_with(b"!<arch>\n") {
        return Some(ar(bytes));
    }
    if has_at(bytes, 257, b"ustar") {
        return Some(Detected::new(Format::Tar, "POSIX tar archive", "application/x-tar"));
    }
    None
}

/// Unix `ar` archive: a static library, or a Debian package when its first member says so.
fn ar(bytes: &[u8]) -> Detected {
    if has_at(bytes, 8, b"debian-binary") {
        return Detected::new(Format::Ar, "Debian binary package", "application/vnd.debian.binary-package");
    }
    Detected::new(Format::Ar, "current ar archive", "application/x-archive")
}
