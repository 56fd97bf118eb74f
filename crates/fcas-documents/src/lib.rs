//! FCAS document analysis: what makes an Office document, RTF, PDF, shortcut, OneNote section or
//! script dangerous.
//!
//! [`analyze`] reads a file of a document format and returns the report parts it fills
//! (`document`, and `pdf`, `lnk` or `script`), the indicators they raise and the IOCs found in
//! decoded content. [`embedded`] hands out the files a document carries (OLE1 packages, RTF
//! objects, PDF embedded files, OneNote attachments, decoded script payloads) so that the
//! container machinery analyses them as children. One module per format under `formats/`; each
//! parses hostile bytes within [`DocLimits`] and says what it cut.
#![deny(missing_docs)]

pub mod bytes;
mod compound;
mod findings;
mod formats;
pub mod limits;

use fcas_report::Format;

pub use compound::{open_compound, CompoundFile};
pub use findings::{Embedded, Findings, Payload};
pub use formats::office::decrypt::{
    decrypt_package, decrypt_presentation_document, decrypt_word_document, decrypt_workbook, decrypt_workbook_document,
    presentation_is_encrypted, word_is_encrypted, workbook_is_encrypted, Decryption, CURRENT_USER_STREAM, MAX_SPIN_COUNT,
    OFFICE_DEFAULT_PASSWORD, PRESENTATION_STREAM, WORD_STREAM, WORKBOOK_STREAM,
};
pub use limits::DocLimits;

/// The document kind of `bytes` detected as `format`, when FCAS analyses that kind.
pub fn kind_of(format: Format, bytes: &[u8]) -> Option<fcas_report::DocumentKind> {
    formats::kind_of(format, bytes)
}

/// Analyses `bytes` (detected as `format`); `None` when it is not a document FCAS analyses.
/// Never fails: what could not be read is in [`Findings::errors`], the rest still comes out.
pub fn analyze(format: Format, bytes: &[u8], limits: &DocLimits) -> Option<Findings> {
    if let Some((kind, analyze_if_office)) = formats::office_container(format, bytes) {
        return guarded(|| analyze_if_office(bytes, limits), |message| Some(Findings::failed(kind, message)));
    }
    let kind = formats::kind_of(format, bytes)?;
    Some(guarded(|| formats::analyze(kind, bytes, limits), |message| Findings::failed(kind, message)))
}

/// The files `bytes` (detected as `format`) carries, decoded, within `limits`.
pub fn embedded<'a>(format: Format, bytes: &'a [u8], limits: &DocLimits) -> Embedded<'a> {
    let Some(kind) = formats::kind_of(format, bytes) else { return Embedded::default() };
    guarded(|| formats::embedded(kind, bytes, limits), |message| Embedded { payloads: Vec::new(), error: Some(message) })
}

/// Whether `bytes` (detected as `format`) may carry files [`embedded`] would hand out: a cheap
/// scan, so that only such documents are opened as containers.
pub fn may_embed(format: Format, bytes: &[u8]) -> bool {
    // Whatever an OLE or ZIP file is, its objects reach the container walk as its streams and
    // parts: telling an Office document (which opens the file) would change nothing.
    if matches!(format, Format::Ole | Format::Zip) {
        return false;
    }
    formats::kind_of(format, bytes).is_some_and(|kind| formats::may_embed(kind, bytes))
}

/// The file an OLE1 `\x01Ole10Native` stream packages (an Office document's embedded
/// `Package` object), named by its label.
pub fn ole_native_payload(stream: &[u8]) -> Option<Payload<'_>> {
    let package = formats::ole1::native_stream(stream)?;
    Some(Payload { name: package.name, class: Some("Package".to_string()), bytes: std::borrow::Cow::Borrowed(package.data) })
}

/// Readers of our own and crates are fed hostile bytes: a panic in one is this document's
/// error, never the analysis's.
fn guarded<T>(run: impl FnOnce() -> T, failed: impl FnOnce(String) -> T) -> T {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(value) => value,
        Err(panic) => {
            let text = fcas_report::stage::panic_payload_text(&*panic);
            failed(fcas_report::stage::panic_message(&text))
        }
    }
}
