//! `fcas`: the command-line front end. `main` only parses and dispatches; each subcommand lives
//! in `commands/<name>.rs`.
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    commands::run(cli)
}
