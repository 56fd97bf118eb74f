//! Subcommands, one file each. `run` maps their outcome to the documented exit codes.
mod completions;
mod db;
mod features;
mod hunt;
mod manual;
mod models;
pub(crate) mod rules;
mod scan;
mod scan_remote;
mod serve;
mod vault;
mod worker;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::exit::Exit;

/// FCAS: File Capture and Analysis Service. Static triage of suspicious files.
#[derive(Debug, Parser)]
#[command(name = "fcas", version, about, after_long_help = crate::exit::EXIT_CODES_HELP)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse files and directories (recursively) and print a report for each.
    #[command(after_long_help = crate::exit::EXIT_CODES_HELP)]
    Scan(scan::ScanArgs),
    /// Serve analyses over HTTP as a fleet worker (see docs/SCALING.md).
    Serve(serve::ServeArgs),
    /// Query and annotate the case store (history, lookups, similarity, tags, export, ...).
    #[command(after_long_help = crate::exit::EXIT_CODES_HELP)]
    Db(db::DbArgs),
    /// The sample bytes kept beside the case store (`fcas scan --vault`): export.
    #[command(after_long_help = crate::exit::EXIT_CODES_HELP)]
    Vault(vault::VaultArgs),
    /// Serve analyses over standard input and output (used by the desktop app and fleet workers).
    #[command(hide = true)]
    Worker(worker::WorkerArgs),
    /// List the prediction models: version, status, and where each came from.
    Models(models::ModelsArgs),
    /// Print feature vectors as JSON Lines `{path, sha256, vector}`.
    Features(features::FeaturesArgs),
    /// Print the completion script of a shell (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Write the manual pages (used to build the packages).
    #[command(hide = true)]
    Man(manual::ManArgs),
    /// Check and list the YARA rules analyses run (built-in, user folder, --rules DIR).
    #[command(after_long_help = crate::exit::EXIT_CODES_HELP)]
    Rules(rules::RulesArgs),
    /// Run a folder of YARA rules over the samples kept in the case store's vault (a retro-hunt).
    #[command(after_long_help = crate::exit::EXIT_CODES_HELP)]
    Hunt(hunt::HuntArgs),
}

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> ExitCode {
    let outcome = match cli.command {
        Command::Scan(args) => scan::exec(args),
        Command::Serve(args) => serve::exec(args),
        Command::Db(args) => db::exec(args),
        Command::Vault(args) => vault::exec(args),
        Command::Worker(args) => worker::exec(args),
        Command::Models(args) => models::exec(args),
        Command::Features(args) => features::exec(args),
        Command::Completions(args) => completions::exec(args),
        Command::Man(args) => manual::exec(args),
        Command::Rules(args) => rules::exec(args),
        Command::Hunt(args) => hunt::exec(args),
    };
    match outcome {
        Ok(exit) => exit.into(),
        Err(error) => {
            eprintln!("fcas: error: {error:#}");
            Exit::Failure.into()
        }
    }
}
