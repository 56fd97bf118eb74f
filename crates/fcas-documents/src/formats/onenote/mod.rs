//! OneNote sections (MS-ONESTORE revision store): the files they carry, which droppers disguise
//! behind a "double-click to view" picture.
use std::borrow::Cow;

use fcas_report::{DocumentKind, Evidence, Indicator, Severity};

use crate::formats::rtf::embedded_object;
use crate::{DocLimits, Embedded, Findings, Payload};

mod carver;
mod file_kind;

use file_kind::file_kind;

pub(crate) fn analyze(bytes: &[u8], limits: &DocLimits) -> Findings {
    let mut findings = Findings::new(DocumentKind::Onenote);
    let carved = carver::carve(bytes, limits);
    let mut evidence = Vec::new();
    let mut severity = Severity::Medium;
    for (index, attachment) in carved.attachments.iter().enumerate() {
        let kind = file_kind(attachment.data);
        let name = attachment_name(index, kind.extension);
        if kind.runs {
            severity = Severity::High;
        }
        let runs = if kind.runs { ", runs when opened" } else { "" };
        let size = attachment.data.len();
        let claims = if attachment.claimed == size as u64 { String::new() } else { format!(", claims {}", attachment.claimed) };
        let detail = format!("{name} ({size} bytes{claims}{runs})");
        evidence.push(Evidence { offset: Some(attachment.offset as u64), detail: Some(detail), ..Evidence::default() });
        findings.document.embedded.push(embedded_object(&name, None, attachment.data));
        if kind.runs && kind.is_text() {
            // A script's URLs and commands are for the IOC extraction.
            let text = attachment.data.get(..limits.max_script_text.min(size)).unwrap_or_default();
            findings.decoded_text.push(String::from_utf8_lossy(text).into_owned());
        }
    }
    if !evidence.is_empty() {
        findings.indicators.push(Indicator {
            id: "document.onenote.embedded_file".to_string(),
            severity,
            title: "OneNote section embeds files".to_string(),
            evidence,
            attack_id: Some(if severity == Severity::High { "T1204.002" } else { "T1566.001" }.to_string()),
        });
    }
    findings.errors = carved.errors;
    findings.document.truncated = carved.truncated.iter().map(|cut| (*cut).to_string()).collect();
    findings
}

pub(crate) fn embedded<'a>(bytes: &'a [u8], limits: &DocLimits) -> Embedded<'a> {
    let carved = carver::carve(bytes, limits);
    let payloads = carved
        .attachments
        .iter()
        .enumerate()
        .map(|(index, attachment)| Payload {
            name: attachment_name(index, file_kind(attachment.data).extension),
            class: None,
            bytes: Cow::Borrowed(attachment.data),
        })
        .collect();
    Embedded { payloads, error: carved.errors.into_iter().next() }
}

/// `attachment1.png`: the section keeps file names elsewhere in its property sets.
fn attachment_name(index: usize, extension: &str) -> String {
    format!("attachment{}.{extension}", index + 1)
}

/// The GUID a FileDataStoreObject (an attachment's bytes) starts with (MS-ONESTORE 2.6.13), as
/// stored.
pub(crate) const FILE_DATA_GUID: &[u8] = b"\xe7\x16\xe3\xbd\x65\x26\x11\x45\xa4\xc4\x8d\x4d\x0b\x7a\x9e\xac";
