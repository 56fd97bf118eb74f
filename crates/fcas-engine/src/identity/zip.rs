//! ZIP and the formats built on it (JAR, APK, Office Open XML), told apart by entry names.
use fcas_report::Format;

use super::read::{le16, le32};
use super::Detected;

/// Central-directory entries read at most.
const MAX_ENTRIES: usize = 4096;
/// The end-of-central-directory record is in the last 22 bytes plus a comment of up to 64 KiB.
const EOCD_SEARCH: usize = 22 + 0xffff;

/// What the entry names reveal.
#[derive(Default)]
struct Names {
    manifest: bool,
    android: bool,
    content_types: bool,
    word: bool,
    excel: bool,
    powerpoint: bool,
}

impl Names {
    fn see(&mut self, name: &[u8]) {
        match name {
            b"META-INF/MANIFEST.MF" => self.manifest = true,
            b"AndroidManifest.xml" => self.android = true,
            b"[Content_Types].xml" => self.content_types = true,
            _ if name.starts_with(b"word/") => self.word = true,
            _ if name.starts_with(b"xl/") => self.excel = true,
            _ if name.starts_with(b"ppt/") => self.powerpoint = true,
            _ => {}
        }
    }
}

/// Describes a ZIP from its first local entry and its central directory.
pub(crate) fn describe(bytes: &[u8]) -> Detected {
    let mut names = Names::default();
    if let Some(first) = local_name(bytes) {
        names.see(first);
    }
    central_names(bytes, &mut names);
    if names.android {
        Detected::new(Format::Zip, "Android package (APK)", "application/vnd.android.package-archive")
    } else if names.manifest {
        Detected::new(Format::Jar, "Java archive data (JAR)", "application/java-archive")
    } else if names.content_types && names.word {
        Detected::new(Format::Zip, "Microsoft Word 2007+", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    } else if names.content_types && names.excel {
        Detected::new(Format::Zip, "Microsoft Excel 2007+", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else if names.content_types && names.powerpoint {
        Detected::new(
            Format::Zip,
            "Microsoft PowerPoint 2007+",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        )
    } else {
        Detected::new(Format::Zip, "Zip archive data", "application/zip")
    }
}

fn local_name(bytes: &[u8]) -> Option<&[u8]> {
    let length = usize::from(le16(bytes, 26)?);
    bytes.get(30..30usize.checked_add(length)?)
}

/// Walks the central directory (bounded) and records the names it lists.
fn central_names(bytes: &[u8], names: &mut Names) {
    let tail_start = bytes.len().saturating_sub(EOCD_SEARCH);
    let Some(tail) = bytes.get(tail_start..) else { return };
    let Some(eocd) = memchr::memmem::rfind(tail, b"PK\x05\x06").map(|at| at + tail_start) else { return };
    let entries = le16(bytes, eocd.saturating_add(10)).map(usize::from).unwrap_or(0).min(MAX_ENTRIES);
    let Some(mut at) = le32(bytes, eocd.saturating_add(16)).and_then(|o| usize::try_from(o).ok()) else { return };
    for _ in 0..entries {
        if bytes.get(at..at.saturating_add(4)) != Some(b"PK\x01\x02".as_slice()) {
            return;
        }
        let (Some(name_len), Some(extra_len), Some(comment_len)) = (le16(bytes, at + 28), le16(bytes, at + 30), le16(bytes, at + 32))
        else {
            return;
        };
        let name_start = at + 46;
        let Some(name) = bytes.get(name_start..name_start + usize::from(name_len)) else { return };
        names.see(name);
        at = name_start + usize::from(name_len) + usize::from(extra_len) + usize::from(comment_len);
    }
}
