//! `fcas db similar`: stored samples closest to one sample.
use std::io::{self, Write};

use clap::Args;
use fcas_store::similarity::{similar, EngineMetric, SimilarHit};
use fcas_store::{Result, Store};

use super::render::{output_error, print_json, printable};
use crate::exit::Exit;

/// Arguments of `fcas db similar`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The sample: any hash or a unique prefix.
    #[arg(value_name = "SHA256|PREFIX")]
    hash: String,
    /// Samples listed per hash.
    #[arg(long, default_value_t = 10)]
    top: usize,
}

/// Runs `fcas db similar`.
pub fn exec(store: &Store, args: &SimilarArgs, json: bool) -> Result<Exit> {
    let result = similar(store.connection(), &args.hash, args.top.clamp(1, 1000), &EngineMetric)?;
    if json {
        print_json(&result)?;
        return Ok(Exit::Success);
    }
    let mut out = io::stdout().lock();
    writeln!(out, "similar to {}", result.query.sha256).map_err(output_error)?;
    let line = |hit: &SimilarHit| {
        let tlsh = hit.tlsh_distance.map(|d| format!("tlsh {d:>3}")).unwrap_or_else(|| "tlsh   -".into());
        let ssdeep = hit.ssdeep_score.map(|s| format!("ssdeep {s:>3}")).unwrap_or_else(|| "ssdeep   -".into());
        let name = hit.sample.names.first().map(|n| printable(n)).unwrap_or_else(|| "-".into());
        format!("  {}  {tlsh}  {ssdeep}  {}", hit.sample.sha256, name)
    };
    writeln!(out, "by TLSH distance (lower is closer):").map_err(output_error)?;
    for hit in &result.by_tlsh {
        writeln!(out, "{}", line(hit)).map_err(output_error)?;
    }
    writeln!(out, "by ssdeep score (higher is closer):").map_err(output_error)?;
    for hit in &result.by_ssdeep {
        writeln!(out, "{}", line(hit)).map_err(output_error)?;
    }
    for note in &result.notes {
        writeln!(out, "note: {note}").map_err(output_error)?;
    }
    Ok(Exit::Success)
}
