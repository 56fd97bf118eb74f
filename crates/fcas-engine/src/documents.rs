//! The document stage: Office macros and fields, RTF objects, PDF actions, shortcuts and
//! scripts, analysed by `fcas-documents`, and what it found moved into the report.
use fcas_documents::Findings;
use fcas_report::{Format, Ioc, Report};

use crate::strings::ioc;
use crate::Limits;

/// Where IOCs found in decoded document text say they came from (`strings.iocs[].source`).
const DECODED_SOURCE: &str = "document";

/// The findings of a document format; `None` for other files. Parts that could not be read
/// are pushed to `notes`.
pub(crate) fn analyze(format: Format, bytes: &[u8], limits: &Limits, notes: &mut Vec<String>) -> Option<Findings> {
    let mut findings = fcas_documents::analyze(format, bytes, &limits.documents)?;
    notes.append(&mut findings.errors);
    Some(findings)
}

/// Moves `findings` into `report`: its parts, its indicators, and the IOCs of the text it
/// decoded (those already among the file's strings are not repeated), within the IOC cap.
pub(crate) fn apply(findings: Findings, report: &mut Report, max_iocs: usize) {
    report.document = Some(findings.document);
    report.pdf = findings.pdf;
    report.lnk = findings.lnk;
    report.script = findings.script;
    report.indicators.extend(findings.indicators);
    let iocs = &mut report.strings.iocs;
    for text in &findings.decoded_text {
        for (kind, _, value) in ioc::find_in(text) {
            if let Some(known) = iocs.iter_mut().find(|i| i.kind == kind && i.value == value) {
                known.count += u64::from(known.source.is_some());
                continue;
            }
            if iocs.len() >= max_iocs {
                report.strings.iocs_truncated = true;
                return;
            }
            iocs.push(Ioc { kind: kind.to_string(), value, offset: 0, count: 1, source: Some(DECODED_SOURCE.to_string()) });
        }
    }
}
