//! `fcas db show`: one sample, its names, tags, notes and reports.
use std::io::{self, Write};

use fcas_store::{Result, Store};

use super::render::{output_error, print_json, printable, when};
use crate::exit::Exit;

/// Runs `fcas db show`.
pub fn exec(store: &Store, hash: &str, json: bool) -> Result<Exit> {
    let detail = store.show(hash)?;
    if json {
        print_json(&detail)?;
        return Ok(Exit::Success);
    }
    let s = &detail.sample;
    let mut out = io::stdout().lock();
    let dash = |v: Option<&str>| v.unwrap_or("-").to_string();
    let lines = [
        format!("sha256     {}", s.sha256),
        format!("sha1       {}", s.sha1),
        format!("md5        {}", s.md5),
        format!("ssdeep     {}", dash(detail.ssdeep.as_deref())),
        format!("tlsh       {}", dash(detail.tlsh.as_deref())),
        format!("imphash    {}", dash(detail.imphash.as_deref())),
        format!("type       {} ({})", s.format, printable(&s.file_type)),
        format!("size       {} bytes", s.size),
        format!("seen       {} .. {}", when(s.first_seen), when(s.last_seen)),
        format!("verdict    {}{}", dash(s.verdict.as_deref()), s.score.map(|v| format!(" (score {v:.3})")).unwrap_or_default()),
        format!("names      {}", printable(&detail.all_names.join(", "))),
        format!("tags       {}", printable(&s.tags.join(", "))),
    ];
    for line in lines {
        writeln!(out, "{line}").map_err(output_error)?;
    }
    for note in &detail.notes {
        writeln!(out, "note       {}  {}", when(note.created_at), printable(&note.text)).map_err(output_error)?;
    }
    for r in &detail.reports {
        let models = if r.models_version.is_empty() { "no models" } else { &r.models_version };
        writeln!(
            out,
            "report {:<5} {}  engine {}, {}, on {}, verdict {}",
            r.report_id,
            when(r.analysed_at),
            r.engine_version,
            models,
            printable(&r.worker),
            dash(r.verdict.as_deref())
        )
        .map_err(output_error)?;
    }
    if let Some(latest) = &detail.latest {
        let indicators: Vec<&str> = latest.indicators.iter().map(|i| i.id.as_str()).collect();
        writeln!(out, "indicators {}", printable(&indicators.join(", "))).map_err(output_error)?;
        writeln!(out, "strings    {} ({} IOCs)", latest.strings.total, latest.strings.iocs.len()).map_err(output_error)?;
        for known in &latest.known {
            let name = if known.name.is_empty() { String::new() } else { format!(" as {}", printable(&known.name)) };
            let tags = if known.tags.is_empty() { String::new() } else { format!(" [{}]", printable(&known.tags.join(", "))) };
            writeln!(out, "known      {} ({}){name}{tags}", printable(&known.source), known.hash_kind).map_err(output_error)?;
        }
    }
    Ok(Exit::Success)
}
