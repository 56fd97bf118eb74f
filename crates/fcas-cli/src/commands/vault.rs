//! `fcas vault`: the sample bytes kept beside the case store (`fcas scan --vault`).
use std::path::PathBuf;

use clap::{Args, Subcommand};
use fcas_store::vault::DEFAULT_SWEEP_GRACE;
use fcas_store::{Store, VaultConfig};

use crate::commands::db::{db_path, samples, with_advice};
use crate::exit::Exit;

/// Arguments of `fcas vault`.
#[derive(Debug, Args)]
pub struct VaultArgs {
    /// The case store whose vault to use (default: $FCAS_DB, else cases.sqlite in the user's data folder).
    #[arg(long, value_name = "PATH", global = true)]
    db: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: VaultCommand,
}

#[derive(Debug, Subcommand)]
enum VaultCommand {
    /// Write samples into a ZIP encrypted with AES-256 under `infected` (or --password): from
    /// the vault, else taken out of their original files again.
    Export(samples::ExportSamplesArgs),
    /// Remove what interrupted scans left in the vault folder: half-written files, and files
    /// whose sample the store never recorded (older than an hour; recorded samples stay).
    Sweep,
}

/// Runs `fcas vault`.
pub fn exec(args: VaultArgs) -> anyhow::Result<Exit> {
    let path = db_path(args.db)?;
    let store = Store::open_existing(&path).map_err(|e| with_advice(e, &path))?;
    match args.command {
        VaultCommand::Export(export) => samples::exec(&store, &export, args.json),
        VaultCommand::Sweep => sweep(&store, args.json),
    }
}

fn sweep(store: &Store, json: bool) -> anyhow::Result<Exit> {
    let swept = store.vault_sweep(&store.vault(VaultConfig::default())?, DEFAULT_SWEEP_GRACE)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&swept)?);
    } else {
        println!("removed {} half-written and {} unrecorded file(s), {} bytes", swept.temporary_files, swept.unrecorded_files, swept.bytes);
    }
    for problem in &swept.problems {
        eprintln!("fcas: {problem}; remove it by hand or run the sweep again");
    }
    Ok(if swept.problems.is_empty() { Exit::Success } else { Exit::SomeInputsUnreadable })
}
