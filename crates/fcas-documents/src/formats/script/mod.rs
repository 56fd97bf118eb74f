//! Scripts (PowerShell, VBScript, JScript, batch, HTA): the language, the payloads encoded in
//! them (decoded, and handed out as children when they are files), signs of obfuscation and
//! download-and-run patterns.
mod base64_text;
mod behaviour;
mod decoding;
mod language;
mod obfuscation;
pub(crate) mod powershell;
mod text;

use std::borrow::Cow;

use fcas_report::{DecodedPayload, DocumentKind, Evidence, Indicator, ScriptReport, Severity};

use crate::{DocLimits, Embedded, Findings, Payload};

pub(crate) fn analyze(bytes: &[u8], limits: &DocLimits) -> Findings {
    let mut findings = Findings::new(DocumentKind::Script);
    let script = text::searchable(bytes);
    let decoding = decoding::decode_all(&script, limits);
    if decoding.truncated {
        findings.document.truncated.push("script.decoded".to_string());
    }
    let mut report = ScriptReport {
        language: language::detect(&script).to_string(),
        obfuscation: obfuscation::signs(&script, &decoding.runs),
        ..ScriptReport::default()
    };
    report.decoded = decoding
        .payloads
        .iter()
        .map(|payload| DecodedPayload {
            encoding: payload.encoding.clone(),
            offset: payload.offset as u64,
            sha256: payload.sha256(),
            size: payload.bytes.len() as u64,
            text: payload.excerpt(),
            file_type: payload.file_type.map(str::to_string),
        })
        .collect();
    let decoded_texts: Vec<&str> = decoding.payloads.iter().filter_map(|payload| payload.text.as_deref()).collect();
    let mut searched: Vec<&[u8]> = vec![&script];
    searched.extend(decoded_texts.iter().map(|text| text.as_bytes()));
    for text in &searched {
        for location in behaviour::locations(text) {
            if location.contains("://") && !report.urls.contains(&location) && report.urls.len() < limits.max_items {
                report.urls.push(location.clone());
            }
            if findings.decoded_text.len() < limits.max_items {
                findings.decoded_text.push(location);
            }
        }
    }
    let mut kept = 0usize;
    for decoded in &decoded_texts {
        if kept.saturating_add(decoded.len()) > limits.max_script_text {
            findings.document.truncated.push("script.decoded_text".to_string());
            break;
        }
        kept += decoded.len();
        findings.decoded_text.push((*decoded).to_string());
    }
    raise(&report, &decoding, &searched, &mut findings);
    findings.script = Some(report);
    findings
}

fn raise(report: &ScriptReport, decoding: &decoding::Decoding, searched: &[&[u8]], findings: &mut Findings) {
    if let Some(first) = decoding.payloads.first() {
        let nested = decoding.payloads.iter().any(|payload| payload.encoding.contains(" in "));
        let files: Vec<&str> = decoding.payloads.iter().filter_map(|payload| payload.file_type).collect();
        let severity = if nested || files.iter().any(|kind| *kind != "script") { Severity::High } else { Severity::Medium };
        findings.indicators.push(indicator(
            "script.encoded_payload",
            severity,
            "Script carries encoded payloads",
            Some(first.offset as u64),
            format!("{} decoded ({}), files: {}", decoding.payloads.len(), first.encoding, files.join(", ")),
            "T1027",
        ));
    }
    if let Some(command) = decoding.payloads.iter().find(|payload| payload.encoding == "powershell-encodedcommand") {
        findings.indicators.push(indicator(
            "script.powershell_encoded",
            Severity::High,
            "PowerShell started with an encoded command",
            Some(command.offset as u64),
            command.excerpt().map(|text| text::excerpt(&text, 200)).unwrap_or_default(),
            "T1059.001",
        ));
    }
    let signs: Vec<&str> = report.obfuscation.iter().map(|sign| sign.sign.as_str()).collect();
    if !signs.is_empty() {
        findings.indicators.push(indicator(
            "script.obfuscation",
            Severity::Medium,
            "Script is obfuscated",
            report.obfuscation.first().map(|sign| sign.offset),
            signs.join(", "),
            "T1027",
        ));
    }
    let patterns = behaviour::download_execute(searched);
    if !patterns.is_empty() {
        let technique = if report.language == "powershell" { "T1059.001" } else { "T1105" };
        findings.indicators.push(indicator(
            "script.download_execute",
            Severity::High,
            "Script downloads and runs code",
            None,
            format!("{} ({technique})", patterns.join("; ")),
            "T1105",
        ));
    }
}

fn indicator(id: &str, severity: Severity, title: &str, offset: Option<u64>, detail: String, attack_id: &str) -> Indicator {
    Indicator {
        id: id.to_string(),
        severity,
        title: title.to_string(),
        evidence: vec![Evidence { offset, detail: Some(detail), ..Evidence::default() }],
        attack_id: Some(attack_id.to_string()),
    }
}

/// Decoded payloads that are files, for the container machinery to analyse as children.
pub(crate) fn embedded<'a>(bytes: &'a [u8], limits: &DocLimits) -> Embedded<'a> {
    let script = text::searchable(bytes);
    let decoding = decoding::decode_all(&script, limits);
    let payloads = decoding
        .payloads
        .into_iter()
        .enumerate()
        .filter_map(|(index, payload)| {
            let kind = payload.file_type?;
            Some(Payload {
                name: format!("decoded{}.{}", index + 1, extension(kind)),
                class: Some(payload.encoding),
                bytes: Cow::Owned(payload.bytes),
            })
        })
        .collect();
    let error = decoding.truncated.then(|| "script: decoding stopped at a limit".to_string());
    Embedded { payloads, error }
}

fn extension(kind: &str) -> &str {
    match kind {
        "pe" => "exe",
        "script" => "txt",
        "gzip" => "gz",
        "ole" => "bin",
        other => other,
    }
}

/// Whether the script holds a Base64 run long enough to be an encoded payload (a cheap look
/// before the document is opened as a container).
pub(crate) fn has_encoded_run(bytes: &[u8]) -> bool {
    base64_text::runs(bytes).next().is_some()
}

/// Whether text the engine identified only as text is a script worth analysing as one.
pub(crate) fn is_likely_script(bytes: &[u8]) -> bool {
    language::is_likely_script(&text::searchable(bytes))
}
