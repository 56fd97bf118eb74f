//! Which OLE files, ZIPs and texts are Office documents.
use std::io::Cursor;

/// The signature of a Compound File Binary.
pub(super) const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Bytes of text looked at to recognise Office 2003 XML or a CSV with DDE.
const TEXT_PROBE: usize = 64 << 10;

/// Root entries that only Office documents and the object files they embed have (an MSI, a
/// thumbnail cache or an Outlook message has none of them).
const OFFICE_ENTRIES: &[&str] = &[
    "WordDocument",
    "Workbook",
    "Book",
    "PowerPoint Document",
    "Macros",
    "_VBA_PROJECT_CUR",
    "VBA",
    "ObjectPool",
    "\u{1}Ole10Native",
    "EncryptionInfo",
    "EncryptedPackage",
];

pub(crate) fn is_cfb(bytes: &[u8]) -> bool {
    bytes.starts_with(CFB_MAGIC)
}

/// Whether an OLE compound file is an Office document (not an MSI, a thumbnail cache, ...).
pub(crate) fn is_office_ole(bytes: &[u8]) -> bool {
    is_cfb(bytes) && super::ole::storage::open(bytes).is_ok_and(|file| has_office_entries(&file))
}

/// Whether the opened compound file `file` has a root entry only Office documents have.
pub(super) fn has_office_entries(file: &super::ole::storage::CompoundFile<'_>) -> bool {
    let found = file.read_root_storage().any(|entry| OFFICE_ENTRIES.iter().any(|name| entry.name() == *name));
    found
}

/// Whether a ZIP is an Office Open XML package.
pub(crate) fn is_ooxml(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"PK") {
        return false;
    }
    zip::ZipArchive::new(Cursor::new(bytes)).is_ok_and(|archive| archive.index_for_name("[Content_Types].xml").is_some())
}

/// Whether text is an Office 2003 XML document or a CSV with formulas.
pub(crate) fn is_office_text(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(bytes.get(..TEXT_PROBE.min(bytes.len())).unwrap_or_default());
    let xml = head.trim_start_matches('\u{feff}').trim_start();
    if xml.starts_with('<') {
        return xml.contains("<?mso-application") || xml.contains("<w:wordDocument") || xml.contains("<Workbook");
    }
    let found = super::text::csv_dde_links(&head, 1).next().is_some();
    found
}
