//! Subcommands, one file each.
mod scan;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// FCAS: File Capture and Analysis Service.
#[derive(Debug, Parser)]
#[command(name = "fcas", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse files and directories (recursively) and print a report for each.
    Scan(scan::ScanArgs),
}

/// Runs the chosen subcommand and maps its outcome to the documented exit codes.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Scan(args) => scan::exec(args),
    }
}
