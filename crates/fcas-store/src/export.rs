//! Exporting a selection of the store: JSON (each report in full, with the store's metadata),
//! CSV (one summary row per report), or for threat-intelligence platforms a STIX 2.1 bundle or a
//! MISP event of the selected samples (`fcas-exchange`; each sample once, its newest selected
//! report).
use std::io::Write;

use serde::Serialize;

use crate::query::{HistoryEntry, HistoryFilter};
use std::collections::HashSet;

use fcas_exchange::misp::EventInfo;
use fcas_exchange::Sample;

use crate::{format_unix_time, unix_now, Result, Store, StoreError};

/// Export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON array of objects holding the store's metadata and the full report.
    Json,
    /// One CSV row per report (summary columns only), RFC 4180 quoting.
    Csv,
    /// A STIX 2.1 bundle.
    Stix,
    /// A MISP event.
    Misp,
}

/// Reports exported per page read from the store.
const PAGE: u32 = 500;

#[derive(Serialize)]
struct JsonExport<'a> {
    #[serde(flatten)]
    entry: &'a HistoryEntry,
    report: fcas_report::Report,
}

const CSV_HEADER: &[&str] = &[
    "report_id",
    "analysed_at",
    "sha256",
    "name",
    "format",
    "file_type",
    "size",
    "verdict",
    "score",
    "engine_version",
    "models_version",
    "worker",
    "error_count",
    "tags",
];

/// Writes every report selected by `filter` (its limit and offset are ignored: everything
/// matching is exported) to `out`. Returns the number of reports written.
pub fn export(store: &Store, filter: &HistoryFilter, format: ExportFormat, out: &mut dyn Write) -> Result<u64> {
    match format {
        ExportFormat::Json => export_rows(store, filter, false, out),
        ExportFormat::Csv => export_rows(store, filter, true, out),
        ExportFormat::Stix | ExportFormat::Misp => export_exchange(store, filter, format, out),
    }
}

/// One JSON object (or with `csv`, one CSV row) per selected report, written page by page.
fn export_rows(store: &Store, filter: &HistoryFilter, csv: bool, out: &mut dyn Write) -> Result<u64> {
    let io = |source| StoreError::Io { path: "export output".into(), source };
    let mut page = HistoryFilter { limit: PAGE, offset: 0, ..filter.clone() };
    let mut written = 0u64;
    if csv {
        writeln!(out, "{}", CSV_HEADER.join(",")).map_err(io)?;
    } else {
        out.write_all(b"[").map_err(io)?;
    }
    loop {
        let entries = store.history(&page)?;
        for entry in &entries {
            if csv {
                writeln!(out, "{}", csv_row(entry)).map_err(io)?;
            } else {
                let report = store.load_report(entry.report_id)?;
                out.write_all(if written == 0 { b"\n" } else { b",\n" }).map_err(io)?;
                serde_json::to_writer(&mut *out, &JsonExport { entry, report }).map_err(|e| io(e.into()))?;
            }
            written += 1;
        }
        if entries.len() < PAGE as usize {
            break;
        }
        page.offset = page.offset.saturating_add(PAGE);
    }
    if !csv {
        out.write_all(if written == 0 { b"]\n" } else { b"\n]\n" }).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(written)
}

/// A STIX bundle or MISP event of the selected samples. One document holds them all, so the
/// samples' slim views ([`Sample`]) are collected first (not their full reports).
fn export_exchange(store: &Store, filter: &HistoryFilter, format: ExportFormat, out: &mut dyn Write) -> Result<u64> {
    let mut page = HistoryFilter { limit: PAGE, offset: 0, ..filter.clone() };
    let mut seen = HashSet::new();
    let mut samples = Vec::new();
    loop {
        let entries = store.history(&page)?;
        // Newest first: the first report of a sample is the one exported.
        for entry in entries.iter().filter(|e| seen.insert(e.sha256.clone())) {
            let report = store.load_report(entry.report_id)?;
            samples.push(exchange_sample(&report, entry.analysed_at, entry.name.as_deref()));
        }
        if entries.len() < PAGE as usize {
            break;
        }
        page.offset = page.offset.saturating_add(PAGE);
    }
    write_exchange(&samples, format, out)
}

/// A STIX bundle or MISP event of the samples `sha256s` (exact SHA-256s, each once, its latest
/// report): what the app exports of the samples the analyst selected. A hash with no stored
/// report is an error naming it, so an export never silently leaves a chosen sample out.
pub fn export_selected(store: &Store, sha256s: &[String], format: ExportFormat, out: &mut dyn Write) -> Result<u64> {
    if !matches!(format, ExportFormat::Stix | ExportFormat::Misp) {
        return Err(StoreError::InvalidQuery("a selection is exported as stix or misp; use `export` for json and csv".into()));
    }
    let mut seen = HashSet::new();
    let mut samples = Vec::new();
    for sha256 in sha256s.iter().filter(|s| seen.insert(s.to_ascii_lowercase())) {
        let stored = store.stored_sample(sha256)?.ok_or_else(|| StoreError::NotFound { query: sha256.clone() })?;
        samples.push(exchange_sample(&stored.report, stored.analysed_at, stored.names.first().map(String::as_str)));
    }
    write_exchange(&samples, format, out)
}

/// The exchange view of a stored report, named by the name it was last seen under.
fn exchange_sample(report: &fcas_report::Report, analysed_at: i64, name: Option<&str>) -> Sample {
    let mut sample = Sample::from_report(report, stix_time(analysed_at));
    if let Some(name) = name.filter(|n| !n.is_empty()) {
        sample.name = fcas_exchange::file_name(name).to_string();
    }
    sample
}

/// Writes the one document (bundle or event) holding `samples`.
fn write_exchange(samples: &[Sample], format: ExportFormat, out: &mut dyn Write) -> Result<u64> {
    let io = |source| StoreError::Io { path: "export output".into(), source };
    let now = unix_now();
    let document = match format {
        ExportFormat::Misp => {
            let date = format_unix_time(now).chars().take(10).collect();
            let info = EventInfo { info: format!("FCAS analyses of {} files", samples.len()), date, timestamp: now };
            fcas_exchange::misp::event(samples, &info)
        }
        _ => fcas_exchange::stix::bundle(samples, &stix_time(now)),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(|e| io(e.into()))?;
    out.write_all(b"\n").map_err(io)?;
    out.flush().map_err(io)?;
    Ok(samples.len() as u64)
}

/// A STIX timestamp (`2026-12-06T11:16:12.000Z`) of Unix seconds.
fn stix_time(seconds: i64) -> String {
    format!("{}.000Z", format_unix_time(seconds).replacen(' ', "T", 1))
}

fn csv_row(entry: &HistoryEntry) -> String {
    let cells = [
        entry.report_id.to_string(),
        format_unix_time(entry.analysed_at),
        entry.sha256.clone(),
        entry.name.clone().unwrap_or_default(),
        entry.format.clone(),
        entry.file_type.clone(),
        entry.size.to_string(),
        entry.verdict.clone().unwrap_or_default(),
        entry.score.map(|s| s.to_string()).unwrap_or_default(),
        entry.engine_version.clone(),
        entry.models_version.clone(),
        entry.worker.clone(),
        entry.error_count.to_string(),
        entry.tags.join(";"),
    ];
    cells.iter().map(|cell| csv_cell(cell)).collect::<Vec<_>>().join(",")
}

/// Quotes a cell per RFC 4180. File names come from hostile samples: a leading `=`, `+`, `-`
/// or `@` would run as a formula in a spreadsheet, so such a cell gets a leading `'`.
fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
    }
}
