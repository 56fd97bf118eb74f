//! `fcas db stats`.
use std::io::{self, Write};

use fcas_store::query::Count;
use fcas_store::{Result, Store};

use super::render::{output_error, print_json, printable, when};
use crate::exit::Exit;

/// Runs `fcas db stats`.
pub fn exec(store: &Store, json: bool) -> Result<Exit> {
    let stats = store.stats()?;
    if json {
        print_json(&stats)?;
        return Ok(Exit::Success);
    }
    let counts = |counts: &[Count]| counts.iter().map(|c| format!("{} {}", printable(&c.value), c.count)).collect::<Vec<_>>().join(", ");
    let mut out = io::stdout().lock();
    let between = stats.analysed_between.map(|(a, b)| format!("{} .. {}", when(a), when(b))).unwrap_or_else(|| "-".into());
    let lines = [
        format!("store       {} (schema {}, {} bytes)", store.path().display(), stats.schema_version, stats.database_bytes),
        format!("samples     {}", stats.samples),
        format!("reports     {}", stats.reports),
        format!("analysed    {between}"),
        format!("formats     {}", counts(&stats.formats)),
        format!("verdicts    {}", counts(&stats.verdicts)),
        format!("tags        {}", counts(&stats.tags)),
        format!("indicators  {}", counts(&stats.indicators)),
        format!("jobs        {}", counts(&stats.jobs)),
        format!(
            "vault       {} samples, {} bytes ({} stored), {} evicted so far",
            stats.vault.samples, stats.vault.bytes, stats.vault.stored_bytes, stats.vault.evictions
        ),
    ];
    for line in lines {
        writeln!(out, "{line}").map_err(output_error)?;
    }
    Ok(Exit::Success)
}
