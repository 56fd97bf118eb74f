//! One module per document format; this one tells them apart and dispatches.
use fcas_report::{DocumentKind, Format};

use crate::{DocLimits, Embedded, Findings};

pub(crate) mod lnk;
pub(crate) mod office;
pub(crate) mod ole1;
pub(crate) mod onenote;
pub(crate) mod pdf;
pub(crate) mod rtf;
pub(crate) mod script;

/// The document kind of bytes detected as `format`.
pub(crate) fn kind_of(format: Format, bytes: &[u8]) -> Option<DocumentKind> {
    match format {
        Format::Ole if office::is_office_ole(bytes) => Some(DocumentKind::Ole),
        Format::Zip if office::is_ooxml(bytes) => Some(DocumentKind::Ooxml),
        Format::Rtf => Some(DocumentKind::Rtf),
        Format::Pdf => Some(DocumentKind::Pdf),
        Format::Lnk => Some(DocumentKind::Lnk),
        Format::OneNote => Some(DocumentKind::Onenote),
        Format::Script => Some(DocumentKind::Script),
        // Office 2003 XML and CSV carry DDE and macros too.
        Format::Xml | Format::Text if office::is_office_text(bytes) => Some(DocumentKind::Ole),
        Format::Text if script::is_likely_script(bytes) => Some(DocumentKind::Script),
        _ => None,
    }
}

/// How OLE and ZIP files, which must be opened to tell an Office document, are analysed: the
/// kind they would be and an analysis that opens the file once and gives `None` for another
/// compound file or ZIP. `None` for the other formats ([`kind_of`] tells them cheaply).
pub(crate) type AnalyzeIfOffice = fn(&[u8], &DocLimits) -> Option<Findings>;

/// See [`AnalyzeIfOffice`].
pub(crate) fn office_container(format: Format, bytes: &[u8]) -> Option<(DocumentKind, AnalyzeIfOffice)> {
    match format {
        Format::Ole if office::is_cfb(bytes) => Some((DocumentKind::Ole, office::analyze_office_ole)),
        Format::Zip => Some((DocumentKind::Ooxml, office::analyze_if_ooxml)),
        _ => None,
    }
}

pub(crate) fn analyze(kind: DocumentKind, bytes: &[u8], limits: &DocLimits) -> Findings {
    match kind {
        DocumentKind::Ole => office::analyze_ole(bytes, limits),
        DocumentKind::Ooxml => office::analyze_ooxml(bytes, limits),
        DocumentKind::Rtf => rtf::analyze(bytes, limits),
        DocumentKind::Pdf => pdf::analyze(bytes, limits),
        DocumentKind::Lnk => lnk::analyze(bytes, limits),
        DocumentKind::Onenote => onenote::analyze(bytes, limits),
        DocumentKind::Script => script::analyze(bytes, limits),
    }
}

/// A cheap look for what [`embedded`] would find: the marker each format's objects start with.
pub(crate) fn may_embed(kind: DocumentKind, bytes: &[u8]) -> bool {
    let has = |marker: &[u8]| memchr::memmem::find(bytes, marker).is_some();
    match kind {
        DocumentKind::Ole | DocumentKind::Ooxml | DocumentKind::Lnk => false,
        DocumentKind::Rtf => has(b"\\objdata") || has(b"\\bin"),
        // An object stream may hide the file specification.
        DocumentKind::Pdf => has(b"/EmbeddedFile") || has(b"/Embedded#") || has(b"/ObjStm"),
        DocumentKind::Onenote => has(onenote::FILE_DATA_GUID),
        DocumentKind::Script => script::has_encoded_run(bytes),
    }
}

pub(crate) fn embedded<'a>(kind: DocumentKind, bytes: &'a [u8], limits: &DocLimits) -> Embedded<'a> {
    match kind {
        // OLE and OOXML objects reach the recursion as streams and parts (the container
        // readers open those files; an OLE1 `Ole10Native` stream is decoded by the OLE reader),
        // except a presentation's compressed objects.
        DocumentKind::Ole => office::embedded_ole(bytes, limits),
        DocumentKind::Ooxml | DocumentKind::Lnk => Embedded::default(),
        DocumentKind::Rtf => rtf::embedded(bytes, limits),
        DocumentKind::Pdf => pdf::embedded(bytes, limits),
        DocumentKind::Onenote => onenote::embedded(bytes, limits),
        DocumentKind::Script => script::embedded(bytes, limits),
    }
}
