//! `fcas db import`: mark samples as known from a MISP event, a STIX bundle or a hash list.
use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use fcas_exchange::{read_known, ImportLimits};
use fcas_store::Store;
use serde::Serialize;

use super::render::print_json;
use crate::exit::Exit;
use crate::size::parse_size;

/// Arguments of `fcas db import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A MISP event (JSON), a STIX 2.1 bundle, or a text file with one MD5, SHA-1 or SHA-256 per
    /// line (optionally followed by a name; `#` starts a comment). The format is recognised.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The name the entries are shown under (default: the file's name). Importing the same
    /// source again replaces its entries.
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
    /// Refuse larger files.
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "64M")]
    max_size: u64,
}

#[derive(Serialize)]
struct ImportSummary<'a> {
    source: &'a str,
    format: &'static str,
    entries: u64,
    skipped: u64,
    matched_samples: u64,
}

/// Runs `fcas db import`.
pub fn exec(store: &mut Store, args: &ImportArgs, json: bool) -> anyhow::Result<Exit> {
    let limits = ImportLimits { max_bytes: usize::try_from(args.max_size).unwrap_or(usize::MAX), ..ImportLimits::default() };
    let bytes = read_capped(&args.file, limits.max_bytes)?;
    let source = match &args.source {
        Some(source) => source.clone(),
        None => args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| args.file.display().to_string()),
    };
    let imported = read_known(&bytes, &source, &limits).with_context(|| format!("cannot import {}", args.file.display()))?;
    let stored = store.import_known(&imported.entries)?;
    let summary = ImportSummary {
        source: &source,
        format: imported.format.as_str(),
        entries: stored.entries,
        skipped: imported.skipped,
        matched_samples: stored.matched_samples,
    };
    if json {
        print_json(&summary)?;
    } else {
        println!(
            "imported {} known hashes from {} ({}); {} stored samples match; {} values were not hashes",
            summary.entries, summary.source, summary.format, summary.matched_samples, summary.skipped
        );
    }
    Ok(Exit::Success)
}

/// The file's bytes, refusing it before reading when it is larger than `max` (checked again while
/// reading, as the file may grow).
fn read_capped(path: &PathBuf, max: usize) -> anyhow::Result<Vec<u8>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let too_large = || anyhow::anyhow!("{} is larger than --max-size ({max} bytes); split it or raise --max-size", path.display());
    if !file.metadata().map(|m| m.is_file()).unwrap_or(false) {
        anyhow::bail!("{} is not a regular file; give the file to import", path.display());
    }
    if size > max as u64 {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(max as u64 + 1).read_to_end(&mut bytes).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.len() > max {
        return Err(too_large());
    }
    Ok(bytes)
}
