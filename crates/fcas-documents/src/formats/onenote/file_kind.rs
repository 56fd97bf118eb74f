//! What an attachment is, from its first bytes: the file name extension it gets, and whether
//! it runs when a user double-clicks it in the section (the lure OneNote droppers rely on).

/// An attachment's guessed kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileKind {
    /// File name extension, without the dot.
    pub(super) extension: &'static str,
    /// Whether it is a program or a script.
    pub(super) runs: bool,
}

impl FileKind {
    /// Whether it is text (a script), not a binary format.
    pub(super) fn is_text(self) -> bool {
        !MAGIC.iter().any(|(_, extension, _)| *extension == self.extension) && self.extension != "bin"
    }
}

/// Magic numbers, in the order they are tried.
const MAGIC: &[(&[u8], &str, bool)] = &[
    (b"MZ", "exe", true),
    (b"L\x00\x00\x00\x01\x14\x02\x00", "lnk", true),
    (b"%PDF", "pdf", false),
    (b"PK\x03\x04", "zip", false),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole", false),
    (b"{\\rt", "rtf", false),
    (b"\x89PNG\r\n\x1a\n", "png", false),
    (b"\xff\xd8\xff", "jpg", false),
    (b"GIF8", "gif", false),
    (b"BM", "bmp", false),
    (b"\x01\x00\x00\x00", "emf", false),
    (b"\xd7\xcd\xc6\x9a", "wmf", false),
];

/// Script signs looked for in the start of text attachments (lower case), most specific first.
const SCRIPT_SIGNS: &[(&str, &str)] = &[
    ("<hta:application", "hta"),
    ("<script", "hta"),
    ("@echo off", "bat"),
    ("cmd /c", "cmd"),
    ("cmd.exe", "cmd"),
    ("powershell", "ps1"),
    ("invoke-expression", "ps1"),
    ("iex(", "ps1"),
    ("wscript.shell", "vbs"),
    ("createobject(", "vbs"),
    ("activexobject", "js"),
    ("wscript.", "js"),
];

/// Bytes of a text attachment searched for script signs.
const SCRIPT_WINDOW: usize = 4096;

/// The kind of the file whose bytes are `data`.
pub(super) fn file_kind(data: &[u8]) -> FileKind {
    if let Some((_, extension, runs)) = MAGIC.iter().find(|(magic, _, _)| data.starts_with(magic)) {
        return FileKind { extension, runs: *runs };
    }
    let window = data.get(..SCRIPT_WINDOW.min(data.len())).unwrap_or_default();
    let text = String::from_utf8_lossy(window).to_ascii_lowercase();
    if let Some((_, extension)) = SCRIPT_SIGNS.iter().find(|(sign, _)| text.contains(sign)) {
        return FileKind { extension, runs: true };
    }
    FileKind { extension: "bin", runs: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(file_kind(b"MZ\x90\x00"), FileKind { extension: "exe", runs: true });
        assert_eq!(file_kind(b"\x89PNG\r\n\x1a\n...."), FileKind { extension: "png", runs: false });
        assert_eq!(file_kind(b"<html><HTA:APPLICATION id=x>"), FileKind { extension: "hta", runs: true });
        assert_eq!(file_kind(b"Set s = CreateObject(\"WScript.Shell\")"), FileKind { extension: "vbs", runs: true });
        assert_eq!(file_kind(b"@echo off\r\nstart x"), FileKind { extension: "bat", runs: true });
        assert_eq!(file_kind(b""), FileKind { extension: "bin", runs: false });
        assert!(file_kind(b"powershell -enc AAAA").is_text());
        assert!(!file_kind(b"MZ").is_text());
    }
}
