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
