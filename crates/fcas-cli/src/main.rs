//! `fcas`: the command-line front end. `main` only parses and dispatches; each subcommand lives
//! in `commands/<name>.rs`.
mod commands;
mod exit;
mod output;
mod parallel;
mod size;
mod walk;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    commands::run(cli)
}
