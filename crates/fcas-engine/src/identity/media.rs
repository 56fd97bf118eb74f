//! Documents, images, fonts and WebAssembly.
use fcas_report::Format;

use super::read::{be32, has_at, le16, le32};
use super::Detected;

/// `file` finds a PDF header this far into the file.
const PDF_SEARCH: usize = 1024;

/// Documents and media by magic, with a plausibility check where a magic is short.
pub(crate) fn detect(bytes: &[u8]) -> Option<Detected> {
    let head = bytes.get(..PDF_SEARCH).unwrap_or(bytes);
    if let Some(at) = memchr::memmem::find(head, b"%PDF-") {
        let version: String = bytes.iter().skip(at + 5).take(3).map(|&b| char::from(b)).filter(|c| c.is_ascii_graphic()).collect();
        return Some(Detected::new(Format::Pdf, format!("PDF document, version {version}"), "application/pdf"));
    }
    if let Some(document) = office_document(bytes) {
        return Some(document);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Detected::new(Format::Png, "PNG image data", "image/png"));
    }
    if bytes.starts_with(b"\xff\xd8\xff") {
        return Some(Detected::new(Format::Jpeg, "JPEG image data", "image/jpeg"));
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(Detected::new(Format::Gif, "GIF image data", "image/gif"));
    }
    if bytes.starts_with(b"\0asm") && le32(bytes, 4) == Some(1) {
        return Some(Detected::new(Format::Wasm, "WebAssembly (wasm) binary module version 0x1 (MVP)", "application/wasm"));
    }
    if bytes.starts_with(b"icns") && be32(bytes, 4).is_some_and(|size| size >= 8) {
        return Some(Detected::new(Format::Icns, "Mac OS X icon", "image/x-icns"));
    }
    bmp(bytes).or_else(|| icon(bytes)).or_else(|| font(bytes))
}

/// The CLSID every shell link header carries, as stored (MS-SHLLINK 2.1).
const LNK_HEADER: &[u8] = b"\x4c\0\0\0\x01\x14\x02\0\0\0\0\0\xc0\0\0\0\0\0\0\x46";
/// The file format GUID of a OneNote revision-store file (MS-ONESTORE 2.3.1), as stored.
const ONENOTE_GUID: &[u8] = b"\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3";

/// RTF, shortcuts and OneNote sections. Word opens anything that starts with `{\rt` as RTF,
/// which droppers rely on (`{\rtx`, `{\rt1`), so the check is as loose as Word's.
fn office_document(bytes: &[u8]) -> Option<Detected> {
    if bytes.starts_with(b"{\\rt") {
        return Some(Detected::new(Format::Rtf, "Rich Text Format data", "text/rtf"));
    }
    if bytes.starts_with(LNK_HEADER) {
        return Some(Detected::new(Format::Lnk, "MS Windows shortcut", "application/x-ms-shortcut"));
    }
    if bytes.starts_with(ONENOTE_GUID) {
        return Some(Detected::new(Format::OneNote, "Microsoft OneNote", "application/onenote"));
    }
    None
}

/// `BM` followed by a known DIB header size.
fn bmp(bytes: &[u8]) -> Option<Detected> {
    if !bytes.starts_with(b"BM") {
        return None;
    }
    let flavour = match le32(bytes, 14)? {
        12 => "OS/2 1.x format",
        40 => "Windows 3.x format",
        52 | 56 | 64 | 108 => "Windows 95/NT4 and newer format",
        124 => "Windows 98/2000 and newer format",
        _ => return None,
    };
    Some(Detected::new(Format::Bmp, format!("PC bitmap, {flavour}"), "image/bmp"))
}

/// Icon and cursor directories: a count, then entries whose reserved byte is zero.
fn icon(bytes: &[u8]) -> Option<Detected> {
    let kind = match bytes.get(..4)? {
        [0, 0, 1, 0] => "icon",
        [0, 0, 2, 0] => "cursor",
        _ => return None,
    };
    let count = le16(bytes, 4)?;
    if count == 0 || bytes.get(9) != Some(&0) {
        return None;
    }
    let plural = if count == 1 { "" } else { "s" };
    let description = format!("MS Windows {kind} resource - {count} icon{plural}");
    Some(match kind {
        "icon" => Detected::new(Format::Ico, description, "image/vnd.microsoft.icon"),
        _ => Detected::new(Format::Ico, description, "image/x-win-bitmap"),
    })
}

/// sfnt fonts (TrueType, OpenType) and the web font wrappers.
fn font(bytes: &[u8]) -> Option<Detected> {
    let tables = be32(bytes, 4).map(|v| v >> 16).unwrap_or(0);
    let plausible_tables = (1..=64).contains(&tables);
    if (bytes.starts_with(b"\x00\x01\x00\x00") || bytes.starts_with(b"true")) && plausible_tables {
        return Some(Detected::new(Format::Font, "TrueType Font data", "font/sfnt"));
    }
    if bytes.starts_with(b"OTTO") && plausible_tables {
        return Some(Detected::new(Format::Font, "OpenType font data", "application/vnd.ms-opentype"));
    }
    if has_at(bytes, 0, b"wOFF") {
        return Some(Detected::new(Format::Font, "Web Open Font Format", "font/woff"));
    }
    if has_at(bytes, 0, b"wOF2") {
        return Some(Detected::new(Format::Font, "Web Open Font Format (Version 2)", "font/woff2"));
    }
    None
}
