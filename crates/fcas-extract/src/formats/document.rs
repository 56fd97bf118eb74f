//! Files carried by documents (RTF objects, PDF embedded files, OneNote attachments, payloads
//! decoded from scripts), found and decoded by `fcas-documents` and handed to the recursion.
use fcas_documents::DocLimits;
use fcas_report::Format;

use crate::{Container, ReadError};

pub(crate) fn rtf(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    read(Format::Rtf, data, cx)
}

pub(crate) fn pdf(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    read(Format::Pdf, data, cx)
}

pub(crate) fn onenote(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    read(Format::OneNote, data, cx)
}

pub(crate) fn script(data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    read(Format::Script, data, cx)
}

/// Whether a document of `format` may carry files (a cheap scan for their markers).
pub(crate) fn may_embed(format: Format, data: &[u8]) -> bool {
    fcas_documents::may_embed(format, data)
}

/// Hands out the files a document of `format` carries.
pub(crate) fn read(format: Format, data: &[u8], cx: &mut Container<'_>) -> Result<(), ReadError> {
    let found = fcas_documents::embedded(format, data, &DocLimits::default());
    for payload in found.payloads {
        if !cx.wants_more() {
            break;
        }
        let size = payload.bytes.len() as u64;
        if cx.admit(&payload.name, Some(size), Some(size)).is_some() {
            cx.emit(payload.name, payload.bytes);
        }
    }
    match found.error {
        Some(error) => Err(ReadError::Damaged(error)),
        None => Ok(()),
    }
}
