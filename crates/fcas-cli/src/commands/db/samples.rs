//! `fcas db export-samples`: stored samples into a ZIP encrypted with AES-256.
use std::path::PathBuf;

use clap::Args;
use fcas_store::Store;

use crate::exit::Exit;

/// Arguments of `fcas db export-samples`.
#[derive(Debug, Args)]
pub struct ExportSamplesArgs {
    /// The ZIP to write (AES-256; entries named by SHA-256, never executable).
    #[arg(long, short = 'o', visible_alias = "out", value_name = "FILE")]
    output: PathBuf,
    /// The ZIP's password.
    #[arg(long, value_name = "PASSWORD", default_value = fcas_engine::extract::pack::EXPORT_PASSWORD)]
    password: String,
    /// The samples, by SHA-256 (from the vault when it keeps them; else descendants of
    /// containers are taken out of their containers again).
    #[arg(required = true, value_name = "SHA256")]
    sha256: Vec<String>,
}

/// Runs `fcas db export-samples`.
pub fn exec(store: &Store, args: &ExportSamplesArgs, json: bool) -> anyhow::Result<Exit> {
    let export = fcas_scan::export_samples(store, &args.sha256, &args.password, &args.output).map_err(anyhow::Error::msg)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&export)?);
    } else {
        println!("wrote {} sample(s) to {} (AES-256)", export.written.len(), args.output.display());
    }
    for (sha256, reason) in &export.missing {
        eprintln!("fcas: {sha256} not exported: {reason}");
    }
    Ok(if export.missing.is_empty() { Exit::Success } else { Exit::SomeInputsUnreadable })
}
