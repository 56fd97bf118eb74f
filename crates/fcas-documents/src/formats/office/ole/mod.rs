//! OLE Office documents (doc, xls, ppt and the object files they embed): encryption, VBA,
//! Excel 4.0 macros, DDE fields of Word's text and embedded objects.
mod encryption;
mod powerpoint;
pub(super) mod storage;

use fcas_report::DocumentKind;

use super::{fields, objects, xlm};
use crate::{DocLimits, Embedded, Findings, Payload};
use storage::CompoundFile;

/// Analyses an OLE compound file.
pub(super) fn analyze(bytes: &[u8], limits: &DocLimits) -> Findings {
    match storage::open(bytes) {
        Ok(mut file) => analyze_open(&mut file, limits),
        Err(error) => {
            let mut findings = Findings::new(DocumentKind::Ole);
            findings.errors.push(error);
            findings
        }
    }
}

/// Analyses the opened compound file `file`: the streams and the VBA project are read through
/// the one directory (opening the file is a large part of analysing a small document).
pub(super) fn analyze_open(file: &mut CompoundFile<'_>, limits: &DocLimits) -> Findings {
    let mut findings = Findings::new(DocumentKind::Ole);
    let mut budget = limits.max_decoded_total;
    let streams = storage::read_open(file, limits, &mut budget);
    if streams.truncated {
        findings.document.truncated.push("ole.streams".to_string());
    }
    findings.errors.extend(streams.errors.iter().cloned());
    let mut scheme = encryption::scheme(&streams);
    super::merge_vba_result(super::vba::from_compound_file(file, limits), &mut findings);

    let workbook = streams.get("Workbook").or_else(|| streams.get("Book"));
    if let Some(workbook) = workbook {
        let read = xlm::workbook(workbook, limits.max_formulas, limits.max_items);
        scheme = scheme.or(read.encryption);
        findings.document.dde.extend(read.dde);
        if read.truncated {
            findings.document.truncated.push("xlm.formulas".to_string());
        }
        findings.document.xlm = read.xlm;
    }
    let powerpoint = streams.get("PowerPoint Document");
    if workbook.is_none() && powerpoint.is_none() {
        // Word text: DDE fields may sit in any stream's text, as Word finds them.
        for stream in &streams.streams {
            let room = limits.max_items.saturating_sub(findings.document.dde.len());
            findings.document.dde.extend(fields::word_binary_dde(&stream.bytes, room));
        }
    }
    objects::in_streams(&streams, "", &mut findings.document.embedded, limits.max_items);
    if let Some(powerpoint) = powerpoint {
        powerpoint_objects(powerpoint, limits, &mut budget, &mut findings);
    }
    if let Some(scheme) = scheme {
        findings.document.encrypted = true;
        findings.document.encryption = Some(scheme);
    }
    findings
}

/// The objects of a PowerPoint binary, each an OLE file of its own.
fn powerpoint_objects(stream: &[u8], limits: &DocLimits, budget: &mut usize, findings: &mut Findings) {
    let mut truncated = false;
    let cap = limits.max_decoded_stream.min(*budget);
    for (index, object) in powerpoint::ole_objects(stream, cap, limits.max_items, &mut truncated).into_iter().enumerate() {
        *budget = budget.saturating_sub(object.len());
        let within = format!("PowerPoint Document/object{}", index + 1);
        match storage::read(&object, limits, budget) {
            // PowerPoint stores its VBA project in the same kind of record.
            Ok(streams) if streams.streams.iter().any(|stream| stream.path == "PROJECT" || stream.path.starts_with("VBA/")) => {
                if findings.document.vba.is_none() {
                    super::read_vba(&object, limits, findings);
                }
            }
            Ok(streams) => objects::in_streams(&streams, &within, &mut findings.document.embedded, limits.max_items),
            Err(error) => {
                findings.errors.push(format!("{within}: {error}"));
                findings.document.embedded.push(objects::entry(&within, None, &object));
            }
        }
    }
    if truncated {
        findings.document.truncated.push("ole.powerpoint_objects".to_string());
    }
}

/// The OLE files a PowerPoint binary keeps (zlib-compressed) in its `PowerPoint Document`
/// stream, for the container walk to open as children: their packages and projects are files
/// of their own. Other OLE files carry their objects as streams, which the walk sees anyway.
pub(super) fn embedded(bytes: &[u8], limits: &DocLimits) -> Embedded<'static> {
    let mut budget = limits.max_decoded_total;
    let streams = match storage::read(bytes, limits, &mut budget) {
        Ok(streams) => streams,
        Err(error) => return Embedded { payloads: Vec::new(), error: Some(error) },
    };
    let Some(stream) = streams.get("PowerPoint Document") else { return Embedded::default() };
    let mut truncated = false;
    let objects = powerpoint::ole_objects(stream, limits.max_decoded_stream.min(budget), limits.max_items, &mut truncated);
    let payloads = objects
        .into_iter()
        .enumerate()
        .map(|(index, object)| Payload {
            name: format!("PowerPoint Document/object{}", index + 1),
            class: Some("ExOleObjStg".to_string()),
            bytes: std::borrow::Cow::Owned(object),
        })
        .collect();
    Embedded { payloads, error: truncated.then(|| "a PowerPoint object was cut at the stream limit".to_string()) }
}
