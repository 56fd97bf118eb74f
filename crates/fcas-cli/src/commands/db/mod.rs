//! `fcas db`: query and annotate the case store. Each subcommand prints text for a person, or
//! JSON with `--json`. One file per group of subcommands.
mod annotate;
mod containers;
mod export;
mod hunts;
mod import;
mod listing;
mod render;
pub(crate) mod samples;
mod show;
mod similar;
mod stats;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use fcas_store::{Store, StoreError};

use crate::exit::Exit;

/// Arguments of `fcas db`.
#[derive(Debug, Args)]
pub struct DbArgs {
    /// The case store (default: $FCAS_DB, else cases.sqlite in the user's data folder).
    #[arg(long, value_name = "PATH", global = true)]
    db: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: DbCommand,
}

#[derive(Debug, Subcommand)]
enum DbCommand {
    /// Stored analyses, newest first, with filters and paging.
    History(listing::HistoryArgs),
    /// Everything stored about one sample (full report with --json).
    Show {
        /// Any hash of the sample, or a unique prefix of it.
        #[arg(value_name = "SHA256|PREFIX")]
        hash: String,
    },
    /// Samples whose MD5, SHA-1, SHA-256 or SHA-512 is, or starts with, HASH.
    Lookup(listing::LookupArgs),
    /// Samples with this PE import hash.
    Imphash(listing::ImphashArgs),
    /// Samples importing DLL!FUNCTION (or a whole DLL, or FUNCTION from any DLL).
    Imports(listing::ImportsArgs),
    /// Samples whose strings or IOCs contain every word of TEXT.
    Search(listing::SearchArgs),
    /// Samples that raised an indicator (`pe.packer.upx`, or a prefix ending in `*`).
    Indicator(listing::IndicatorArgs),
    /// Samples most similar to one, by TLSH distance and by ssdeep score.
    Similar(similar::SimilarArgs),
    /// What was found inside a container, with each child's name in it.
    Children(containers::EdgeArgs),
    /// The containers a sample was found in, with its name in each ("where was this found?").
    Parents(containers::EdgeArgs),
    /// Add (or with --remove, remove) an analyst tag.
    Tag(annotate::TagArgs),
    /// Add an analyst note.
    Note(annotate::NoteArgs),
    /// Counts over the whole store.
    Stats,
    /// Write a selection of reports as JSON or CSV, or of samples as a STIX 2.1 bundle or a MISP event.
    Export(export::ExportArgs),
    /// Mark samples as known from a MISP event, a STIX bundle or a list of hashes (one per line).
    Import(import::ImportArgs),
    /// Write samples into a ZIP encrypted with AES-256 (password `infected` unless given).
    ExportSamples(samples::ExportSamplesArgs),
    /// Retro-hunts run over the vault, newest first.
    Hunts,
    /// One retro-hunt and its matches.
    Hunt(hunts::HuntArgs),
}

/// Runs `fcas db`.
pub fn exec(args: DbArgs) -> anyhow::Result<Exit> {
    let path = db_path(args.db)?;
    // An import may come before any scan: it creates the store; every other command reads one.
    let opened = if matches!(args.command, DbCommand::Import(_)) { Store::open(&path) } else { Store::open_existing(&path) };
    let mut store = opened.map_err(|e| with_advice(e, &path))?;
    let json = args.json;
    let outcome = match args.command {
        DbCommand::History(a) => listing::history(&store, &a, json),
        DbCommand::Show { hash } => show::exec(&store, &hash, json),
        DbCommand::Lookup(a) => listing::lookup(&store, &a, json),
        DbCommand::Imphash(a) => listing::imphash(&store, &a, json),
        DbCommand::Imports(a) => listing::imports(&store, &a, json),
        DbCommand::Search(a) => listing::search(&store, &a, json),
        DbCommand::Indicator(a) => listing::indicator(&store, &a, json),
        DbCommand::Similar(a) => similar::exec(&store, &a, json),
        DbCommand::Children(a) => containers::children(&store, &a, json),
        DbCommand::Parents(a) => containers::parents(&store, &a, json),
        DbCommand::Tag(a) => annotate::tag(&mut store, &a, json),
        DbCommand::Note(a) => annotate::note(&mut store, &a, json),
        DbCommand::Stats => stats::exec(&store, json),
        DbCommand::Export(a) => export::exec(&store, &a),
        DbCommand::Import(a) => return import::exec(&mut store, &a, json),
        DbCommand::ExportSamples(a) => return samples::exec(&store, &a, json),
        DbCommand::Hunts => hunts::list(&store, json),
        DbCommand::Hunt(a) => hunts::show(&store, &a, json),
    };
    match outcome {
        Err(StoreError::NotFound { query }) => {
            eprintln!("fcas: nothing stored matches {query:?}");
            Ok(Exit::NotFound)
        }
        Err(other) => Err(other.into()),
        Ok(exit) => Ok(exit),
    }
}

/// The store's error with what to do on the command line.
pub fn with_advice(error: StoreError, path: &std::path::Path) -> anyhow::Error {
    let advice = match &error {
        StoreError::Missing { .. } => {
            format!("store reports in it first with `fcas scan --db {} FILES...`, or choose another file with --db PATH", path.display())
        }
        StoreError::CorruptReport { .. } => format!("run `fcas scan --db {} --rescan` on the file", path.display()),
        error if error.is_location_problem() => "choose another file with --db PATH".to_string(),
        _ => return error.into(),
    };
    anyhow::anyhow!("{error}; {advice}")
}

/// `--db PATH`, else `$FCAS_DB`, else the user's data folder.
pub fn db_path(flag: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    flag.or_else(fcas_store::default_db_path)
        .context("no case store given and no home folder to keep the default one in: pass --db PATH or set FCAS_DB")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        crate::commands::Cli::command().debug_assert();
    }
}
