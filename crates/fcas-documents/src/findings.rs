//! What an analysis of one document gives back to the engine.
use std::borrow::Cow;

use fcas_report::{DocumentKind, DocumentReport, Indicator, LnkReport, PdfReport, ScriptReport};

/// The report parts of one document, the indicators they raise and the IOCs found in decoded
/// content (macro source, PDF scripts, shortcut arguments, decoded payloads).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    /// The part every document fills.
    pub document: DocumentReport,
    /// PDF specifics.
    pub pdf: Option<PdfReport>,
    /// Shortcut specifics.
    pub lnk: Option<LnkReport>,
    /// Script specifics.
    pub script: Option<ScriptReport>,
    /// Indicators raised by what was found, with ATT&CK ids.
    pub indicators: Vec<Indicator>,
    /// Text decoded from the document in which the engine's IOC extraction should look (the
    /// raw bytes' strings are searched anyway).
    pub decoded_text: Vec<String>,
    /// What could not be read, for a person; the rest of the findings still hold.
    pub errors: Vec<String>,
}

impl Findings {
    /// Findings of `kind` with nothing found yet.
    pub fn new(kind: DocumentKind) -> Self {
        Self { document: DocumentReport { kind, ..DocumentReport::default() }, ..Self::default() }
    }

    /// The findings of a document whose analysis failed with `message`.
    pub fn failed(kind: DocumentKind, message: String) -> Self {
        Self { errors: vec![message], ..Self::new(kind) }
    }
}

/// A file carried by a document, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload<'a> {
    /// Its name: the embedded file name where the document gives one, else a name of our own
    /// (`object1.bin`); never used as a path.
    pub name: String,
    /// Its class (`Package`, `Equation.3`, `EmbeddedFile`, `base64`), when known.
    pub class: Option<String>,
    /// The bytes, borrowed from the document where they are stored plainly.
    pub bytes: Cow<'a, [u8]>,
}

/// The files a document carries, and why the search stopped early, if it did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embedded<'a> {
    /// The payloads in document order.
    pub payloads: Vec<Payload<'a>>,
    /// What went wrong before the end of the document.
    pub error: Option<String>,
}

/// The `document.embedded` entry of a payload: its name, class, SHA-256 and size (the SHA-256
/// is that of the child the container walk makes of it).
pub(crate) fn embedded_object(name: &str, class: Option<String>, payload: &[u8]) -> fcas_report::EmbeddedObject {
    fcas_report::EmbeddedObject { name: name.to_string(), class, sha256: sha256_hex(payload), size: payload.len() as u64 }
}

/// SHA-256 of `bytes`, lowercase hex, as reports spell it.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    fcas_report::hex(&sha2::Sha256::digest(bytes))
}

/// Bytes of unknown single-byte encoding as text: each byte as its Latin-1 character (what
/// the ANSI strings of OLE1, shortcuts, RTF and BIFF come closest to without a code page).
pub(crate) fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}
