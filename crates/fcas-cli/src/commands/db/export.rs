//! `fcas db export`.
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use fcas_store::export::{export, ExportFormat};
use fcas_store::{Result, Store, StoreError};

use super::listing::FilterArgs;
use crate::exit::Exit;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
    Stix,
    Misp,
}

/// Arguments of `fcas db export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// JSON: every selected report in full with its store metadata. CSV: one summary row each.
    /// STIX: a STIX 2.1 bundle of the selected samples. MISP: a MISP event of them.
    #[arg(long, value_enum)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o', visible_alias = "out", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only samples of this format (`pe`, `elf`, `macho`, `pdf`, ...).
    #[arg(long, value_name = "FORMAT")]
    file_format: Option<String>,
    #[command(flatten)]
    filter: FilterArgs,
}

/// Runs `fcas db export`.
pub fn exec(store: &Store, args: &ExportArgs) -> Result<Exit> {
    let filter = args.filter.to_filter(args.file_format.as_deref())?;
    let format = match args.format {
        Format::Json => ExportFormat::Json,
        Format::Csv => ExportFormat::Csv,
        Format::Stix => ExportFormat::Stix,
        Format::Misp => ExportFormat::Misp,
    };
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(File::create(path).map_err(|source| StoreError::Io { path: path.clone(), source })?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let written = export(store, &filter, format, &mut out)?;
    if args.output.is_some() {
        let what = if matches!(args.format, Format::Stix | Format::Misp) { "samples" } else { "reports" };
        eprintln!("fcas: exported {written} {what}");
    }
    Ok(Exit::Success)
}
