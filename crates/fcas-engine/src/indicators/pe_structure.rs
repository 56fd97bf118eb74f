//! PE header and layout anomalies: where the entry point lies, writable code, timestamps,
//! checksums, TLS callbacks, ordinal imports, an overlay.
use std::time::{SystemTime, UNIX_EPOCH};

use fcas_report::{Evidence, PeReport, Severity};

use super::{indicator, section_evidence, Indicator};

/// A timestamp more than this far in the future is not a clock error.
const FUTURE_SLACK_SECONDS: u64 = 86_400;

pub(super) fn pe(pe: &PeReport, found: &mut Vec<Indicator>) {
    writable_code(pe, found);
    entry_point(pe, found);
    timestamp(pe, found);
    checksums(pe, found);
    tls(pe, found);
    imports(pe, found);
    overlay(pe, found);
}

fn writable_code(pe: &PeReport, found: &mut Vec<Indicator>) {
    let wx: Vec<_> = pe.sections.iter().filter(|s| s.is_writable && s.is_executable).collect();
    if !wx.is_empty() {
        let mut ind = indicator(
            "pe.section.writable_executable",
            Severity::Medium,
            "Sections both writable and executable (self-modifying or unpacking code)",
            Some("T1027.002"),
        );
        ind.evidence = wx.iter().map(|s| section_evidence(&s.name, format!("flags {}", s.characteristics_flags.join("|")))).collect();
        found.push(ind);
    }
}

fn entry_point(pe: &PeReport, found: &mut Vec<Indicator>) {
    let entry = pe.headers.entry_point;
    if entry == 0 {
        return; // DLLs without an entry point
    }
    let evidence = |detail: String| Evidence { detail: Some(detail), ..Evidence::default() };
    match pe.entry_point_section.as_deref().and_then(|name| pe.sections.iter().rposition(|s| s.name == name).map(|i| (name, i))) {
        None => {
            let mut ind = indicator("pe.entry.outside_sections", Severity::High, "Entry point lies outside every section", Some("T1027"));
            ind.evidence.push(evidence(format!("entry point RVA {entry:#x}")));
            found.push(ind);
        }
        Some((name, index)) => {
            let section = &pe.sections[index];
            if !section.is_executable && !section.is_code {
                let mut ind = indicator(
                    "pe.entry.not_code",
                    Severity::High,
                    format!("Entry point is in a non-executable section ({name})"),
                    Some("T1027"),
                );
                ind.evidence.push(section_evidence(name, format!("entry point RVA {entry:#x}")));
                found.push(ind);
            }
            if pe.sections.len() > 1 && index == pe.sections.len() - 1 {
                let mut ind = indicator(
                    "pe.entry.last_section",
                    Severity::Medium,
                    format!("Entry point is in the last section ({name}), typical of packers and file infectors"),
                    Some("T1027.002"),
                );
                ind.evidence.push(section_evidence(name, format!("entry point RVA {entry:#x}")));
                found.push(ind);
            }
        }
    }
}

fn timestamp(pe: &PeReport, found: &mut Vec<Indicator>) {
    let stamp = u64::from(pe.headers.timestamp);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let detail = Evidence { detail: Some(format!("TimeDateStamp {stamp:#x}")), ..Evidence::default() };
    if stamp == 0 {
        let mut ind = indicator(
            "pe.timestamp.zero",
            Severity::Low,
            "Compile timestamp is zero (removed, or a reproducible build)",
            Some("T1070.006"),
        );
        ind.evidence.push(detail);
        found.push(ind);
    } else if stamp > now + FUTURE_SLACK_SECONDS {
        // Reproducible builds (MSVC `/Brepro`, Wine) store a hash there: on its own it is no
        // sign of forgery (docs/INDICATORS.md).
        let mut ind = indicator(
            "pe.timestamp.future",
            Severity::Low,
            "Compile timestamp is in the future (forged, or a reproducible build's hash)",
            Some("T1070.006"),
        );
        ind.evidence.push(detail);
        found.push(ind);
    }
}

fn checksums(pe: &PeReport, found: &mut Vec<Indicator>) {
    let stored = pe.headers.checksum;
    if stored != 0 && stored != pe.checksum_computed {
        let mut ind =
            indicator("pe.checksum.mismatch", Severity::Low, "Stored PE checksum does not match the file (modified after linking)", None);
        ind.evidence
            .push(Evidence { detail: Some(format!("stored {stored:#x}, computed {:#x}", pe.checksum_computed)), ..Evidence::default() });
        found.push(ind);
    }
    if let Some(rich) = pe.rich_header.as_ref().filter(|r| !r.checksum_valid) {
        let mut ind = indicator(
            "pe.rich.checksum_mismatch",
            Severity::Medium,
            "Rich header checksum is wrong (header forged or copied from another file)",
            Some("T1036"),
        );
        ind.evidence.push(Evidence {
            detail: Some(format!("stored {:#x}, computed {:#x}", rich.checksum, rich.checksum_computed)),
            ..Evidence::default()
        });
        found.push(ind);
    }
}

fn tls(pe: &PeReport, found: &mut Vec<Indicator>) {
    let Some(tls) = pe.tls.as_ref().filter(|t| !t.callbacks.is_empty()) else { return };
    let mut ind = indicator(
        "pe.tls.callbacks",
        Severity::Low,
        format!("{} TLS callback(s) run code before the entry point (a common anti-debugging trick)", tls.callbacks.len()),
        Some("T1622"),
    );
    ind.evidence =
        tls.callbacks.iter().map(|va| Evidence { detail: Some(format!("callback VA {va:#x}")), ..Evidence::default() }).collect();
    found.push(ind);
}

fn imports(pe: &PeReport, found: &mut Vec<Indicator>) {
    if pe.imports.is_empty() && pe.delay_imports.is_empty() && pe.clr.is_none() {
        // Without an entry point it is a resource-only module (messages, type libraries), common
        // in benign software; with one, its code finds its APIs itself.
        let (severity, title) = if pe.headers.entry_point == 0 {
            (Severity::Low, "No imports and no entry point (a resource-only module, or code loaded by hand)")
        } else {
            (Severity::Medium, "No imports at all (imports resolved at run time, or shellcode-like)")
        };
        found.push(indicator("pe.imports.none", severity, title, Some("T1106")));
    }
    let ordinal_only: Vec<_> = pe.imports.iter().filter(|i| !i.symbols.is_empty() && i.symbols.iter().all(|s| s.by_ordinal)).collect();
    if !ordinal_only.is_empty() {
        let mut ind = indicator(
            "pe.imports.ordinal_only",
            Severity::Low,
            "DLLs imported by ordinal only (hides which functions are used)",
            Some("T1027"),
        );
        ind.evidence = ordinal_only
            .iter()
            .map(|i| Evidence { api: Some(i.dll.clone()), detail: Some(format!("{} ordinals", i.symbols.len())), ..Evidence::default() })
            .collect();
        found.push(ind);
    }
}

fn overlay(pe: &PeReport, found: &mut Vec<Indicator>) {
    let Some(offset) = pe.overlay.offset.filter(|_| pe.overlay.size > 0) else { return };
    let mut ind = indicator(
        "pe.overlay",
        Severity::Info,
        format!("{} bytes of data appended after the last section (installer payload, signature or hidden data)", pe.overlay.size),
        None,
    );
    ind.evidence.push(Evidence { offset: Some(offset), ..Evidence::default() });
    found.push(ind);
}
