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
        let Some(lfanew) = bytes.get(base + 0x3c..base + 0x40).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize) else { continue };
        if lfanew < 0x40 || lfanew > 0x1000 {
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
    let overlay_start = report.pe.as_ref().and_then(|pe| pe.overlay.offset);
    let in_overlay = |o: u64| overlay_start.is_some_and(|start| o >= start);
    let (severity, title) = if offsets.iter().any(|&o| in_overlay(o)) {
        (Severity::High, "An executable is embedded in the overlay (dropper payload)")
    } else {
        (Severity::High, "An executable is embedded inside the file (dropper payload)")
    };
    let mut ind = indicator("file.embedded_pe", severity, title, Some("T1027.009"));
    ind.evidence = offsets.iter().map(|&o| Evidence { offset: Some(o), detail: Some(if in_overlay(o) { "in overlay" } else { "inside the file" }.to_string()), ..Evidence::default() }).collect();
    found.push(ind);
}
