//! `fcas`: the command-line front end. `main` only parses and dispatches; each subcommand lives
//! in `commands/<name>.rs`.
mod commands;
mod document;
mod exit;
mod output;
mod rule_matches;
mod size;
mod tree;
mod version;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

/// mimalloc: analysing a file makes many small, short-lived allocations (strings, IOCs, report
/// parts) on several threads at once; it measured 8% faster per corpus file than the system
/// allocator (docs/BENCHMARKS.md). Every analysis runs in this binary: scans, the app's and the
/// workers' analysis processes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // The version names the engine, the schemas and the models, known only at run time; the
    // model folders are read only when the version is asked for, not at every start (the app and
    // the fleet start `fcas worker` often).
    let asks_version = std::env::args_os().skip(1).any(|arg| arg == "--version" || arg == "-V");
    let command = commands::Cli::command();
    let command = if asks_version { command.version(version::long_version()) } else { command };
    let matches = command.get_matches();
    match commands::Cli::from_arg_matches(&matches) {
        Ok(cli) => commands::run(cli),
        Err(error) => error.exit(),
    }
}
