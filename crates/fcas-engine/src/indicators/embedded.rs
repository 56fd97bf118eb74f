//! Executables hidden inside the file: a PE in the overlay, or anywhere after the headers.
use fcas_report::{Evidence, Report, Severity};

use super::{indicator, Indicator};

/// At most this many embedded executables are listed.
const MAX_LISTED: usize = 16;

/// Offsets of `MZ` headers whose `e_lfanew` points at a `PE\0\0` signature, after `start`.
pub(super) fn embedded_pe_offsets(bytes: &[u8], start: usize) -> Vec<u64> {
    let mut found = Vec::new();
    let Some(tail) = bytes.get(start..) else { return found };
    for at in memchr::memmem::find_iter(tail, b"MZ") {
        let base = start + at;
        let Some(lfanew) = bytes.get(base + 0x3c..base + 0x40).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize) else {
            continue;
        };
        if !(0x40..=0x1000).contains(&lfanew) {
            continue;
        }
        if bytes.get(base + lfanew..base + lfanew + 4) == Some(b"PE\0\0") {
            found.push(base as u64);
            if found.len() == MAX_LISTED {
                break;
            }
        }
    }
    found
}

pub(super) fn evaluate(report: &Report, bytes: &[u8], found: &mut Vec<Indicator>) {
    // Skip the file's own header: anything from the second byte on counts.
    let offsets = embedded_pe_offsets(bytes, 1);
    if offsets.is_empty() {
        return;
    }
    let pe = report.pe.as_ref();
    let overlay_start = pe.and_then(|pe| pe.overlay.offset);
    let where_is = |o: u64| -> String {
        if overlay_start.is_some_and(|start| o >= start) {
            return "in the overlay".into();
        }
        let resource =
            pe.and_then(|pe| pe.resources.iter().find(|r| r.offset.is_some_and(|start| o >= start && o < start + r.size_in_file)));
        match resource {
            Some(r) => format!("in resource {}", r.kind),
            None => "inside the file".into(),
        }
    };
    let mut ind =
        indicator("file.embedded_pe", Severity::High, "Another executable is embedded in this file (dropper payload)", Some("T1027.009"));
    ind.evidence = offsets.iter().map(|&o| Evidence { offset: Some(o), detail: Some(where_is(o)), ..Evidence::default() }).collect();
    found.push(ind);
}
