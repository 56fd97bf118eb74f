//! PDF: a bounded, lexer-level scan, not a renderer. The triage keywords are counted as pdfid
//! counts them (`keywords`), objects are found by their headers, object streams decoded, and
//! the objects walked for JavaScript, links, embedded files and encryption. Time and memory
//! stay proportional to the file: the cross-reference table is never followed (no loops),
//! each object is parsed within its own bytes, and every decoded stream is capped by
//! [`DocLimits`].
//!
//! `pdf.keywords` counts the file's bytes and the decoded object streams together;
//! `pdf.keywords_in_object_streams` is the second part alone, so `keywords` minus it is what
//! pdfid, which does not decode object streams, reports.
use std::borrow::Cow;

use fcas_report::{DocumentKind, PdfReport, PdfScript};

use crate::{DocLimits, Embedded, Findings, Payload};

mod content;
mod filters;
mod hex;
mod indicators;
pub(crate) mod keywords;
mod lexer;
mod objects;
mod predictor;
mod text;

use content::Content;
use filters::Budget;
use keywords::KeywordCounts;
use objects::Objects;

/// What one pass over a PDF finds; both [`analyze`] and [`embedded`] start from it.
struct Scan<'a> {
    file: &'a [u8],
    keywords: KeywordCounts,
    keywords_in_object_streams: KeywordCounts,
    objects: Objects,
    content: Content,
    budget: Budget,
}

fn scan<'a>(file: &'a [u8], limits: &DocLimits) -> Scan<'a> {
    let keywords = keywords::count_file(file);
    let mut budget = Budget::new(limits.max_decoded_stream, limits.max_decoded_total);
    let objects = objects::find(file, limits.max_pdf_objects, limits.max_nesting, &mut budget);
    let mut keywords_in_object_streams = KeywordCounts::default();
    for stream in &objects.object_streams {
        keywords_in_object_streams.add(&keywords::count(&stream.bytes));
    }
    let content = content::walk(file, &objects, limits, &mut budget);
    Scan { file, keywords, keywords_in_object_streams, objects, content, budget }
}

pub(crate) fn analyze(bytes: &[u8], limits: &DocLimits) -> Findings {
    let mut findings = Findings::new(DocumentKind::Pdf);
    let mut scan = scan(bytes, limits);
    let (header, _) = keywords::header(bytes);
    let mut total = scan.keywords.clone();
    total.add(&scan.keywords_in_object_streams);
    let mut report = PdfReport {
        version: header.map(keywords::version).unwrap_or_default(),
        keywords: total.to_map(),
        keywords_in_object_streams: scan.keywords_in_object_streams.to_map(),
        hex_escaped_keywords: total.hex_escaped_map(),
        ..PdfReport::default()
    };
    if header.is_none() {
        findings.errors.push("no %PDF header in the first 1024 bytes".to_string());
    }
    let encrypted = scan.content.encryption.is_some() || scan.keywords.get("/Encrypt") > 0;
    if encrypted {
        findings.document.encrypted = true;
        findings.document.encryption = scan.content.encryption.clone().filter(|scheme| scheme != "pdf");
        findings.errors.push("encrypted PDF: strings and streams are not decrypted, so scripts, links and embedded files read from them may be missing or garbled".to_string());
    }
    for script in &scan.content.scripts {
        let (source, truncated) = text::cut(script.source.clone(), limits.max_script_text);
        if truncated {
            push_once(&mut findings.document.truncated, "pdf.javascript");
        }
        findings.decoded_text.push(source.clone());
        report.javascript.push(PdfScript { object: script.object.map(u64::from), source, truncated });
    }
    report.uris = scan.content.uris.clone();
    findings.decoded_text.extend(report.uris.iter().cloned());
    for payload in payloads(&mut scan, limits, &mut findings.errors) {
        findings.document.embedded.push(crate::findings::embedded_object(&payload.name, payload.class, &payload.bytes));
    }
    if scan.objects.truncated {
        push_once(&mut findings.document.truncated, "pdf.objects");
    }
    if scan.budget.cut {
        push_once(&mut findings.document.truncated, "pdf.streams");
    }
    if scan.content.items_cut {
        push_once(&mut findings.document.truncated, "pdf.items");
    }
    findings.errors.extend(scan.objects.errors.iter().cloned());
    findings.errors.extend(scan.content.errors.iter().cloned());
    findings.indicators = indicators::indicators(&total, &scan.content);
    findings.pdf = Some(report);
    findings
}

pub(crate) fn embedded<'a>(bytes: &'a [u8], limits: &DocLimits) -> Embedded<'a> {
    let mut scan = scan(bytes, limits);
    let mut errors = Vec::new();
    let payloads = payloads(&mut scan, limits, &mut errors);
    Embedded { payloads, error: (!errors.is_empty()).then(|| errors.join("; ")) }
}

/// The embedded files decoded, named by their file specification or `embeddedN.bin`.
fn payloads<'a>(scan: &mut Scan<'a>, limits: &DocLimits, errors: &mut Vec<String>) -> Vec<Payload<'a>> {
    let file = scan.file;
    let mut payloads = Vec::new();
    for (index, stream) in scan.content.embedded.iter().enumerate() {
        let Some(located) = scan.objects.get(stream.object) else { continue };
        let Ok(parsed) = scan.objects.parse(file, located, limits.max_nesting) else { continue };
        let (Some(dictionary), Some(data)) = (parsed.value.as_dictionary(), parsed.stream) else { continue };
        let bytes = if filters::filters_of(dictionary).is_empty() {
            // Stored plainly: hand out the file's own bytes.
            located.stream.clone().and_then(|range| file.get(range)).map_or(Cow::Borrowed(&[][..]), Cow::Borrowed)
        } else {
            let decoded = objects::decode_stream(&scan.objects, file, dictionary, data, limits.max_nesting, &mut scan.budget);
            if let Some(error) = decoded.error {
                errors.push(format!("embedded file {}: {error}", stream.object));
            }
            Cow::Owned(decoded.bytes)
        };
        let name = stream.name.clone().unwrap_or_else(|| format!("embedded{}.bin", index + 1));
        payloads.push(Payload { name, class: Some("EmbeddedFile".to_string()), bytes });
    }
    payloads
}

fn push_once(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|existing| existing == item) {
        list.push(item.to_string());
    }
}
