//! Embedded objects as the report lists them: the file an OLE1 `Package` carries (through
//! `crate::formats::ole1`), else the object's native stream, else the embedded part itself.
use fcas_report::EmbeddedObject;

use super::ole::storage::{leaf, Streams};
use crate::formats::ole1;

/// Native streams of an embedded object other than OLE1's (`Package` of an OLE2 package,
/// `CONTENTS` of PDF and other objects).
const NATIVE_STREAMS: &[&str] = &["Package", "CONTENTS"];

/// The report entry of a payload.
pub(super) fn entry(name: &str, class: Option<&str>, data: &[u8]) -> EmbeddedObject {
    crate::findings::embedded_object(name, class.map(str::to_string), data)
}

/// The objects in the streams of an OLE file (a document, or an object file embedded in one);
/// `within` names where that file is for objects without a name of their own.
pub(super) fn in_streams(streams: &Streams, within: &str, found: &mut Vec<EmbeddedObject>, max: usize) {
    for stream in &streams.streams {
        if found.len() >= max {
            return;
        }
        let name = leaf(&stream.path);
        if name.eq_ignore_ascii_case("\u{1}Ole10Native") {
            match ole1::native_stream(&stream.bytes) {
                Some(package) => found.push(entry(&package.name, Some("Package"), package.data)),
                // An OLE1 native stream of another class is its object's data as it is.
                None => found.push(entry(&joined(within, &stream.path), None, &stream.bytes)),
            }
        } else if NATIVE_STREAMS.contains(&name) && !stream.bytes.is_empty() {
            found.push(entry(&joined(within, &stream.path), None, &stream.bytes));
        }
    }
}

fn joined(within: &str, path: &str) -> String {
    if within.is_empty() {
        path.to_string()
    } else {
        format!("{within}/{path}")
    }
}

/// Names of packaged files that run when opened.
pub(super) fn is_executable_name(name: &str) -> bool {
    const EXTENSIONS: &[&str] =
        &["exe", "scr", "js", "jse", "vbs", "vbe", "hta", "lnk", "bat", "cmd", "ps1", "com", "pif", "wsf", "dll", "cpl", "msi"];
    name.rsplit_once('.').is_some_and(|(_, extension)| EXTENSIONS.iter().any(|known| extension.eq_ignore_ascii_case(known)))
}
