//! `fcas scan`: analyse files in parallel, print a summary or JSON Lines.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

/// Arguments of `fcas scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to analyse.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// Runs `fcas scan`.
pub fn exec(args: ScanArgs) -> ExitCode {
    let options = fcas_engine::Options::default();
    for path in &args.paths {
        let report = fcas_engine::analyze_path(path, &options);
        println!("{}", serde_json::to_string(&report).expect("a report always serializes"));
    }
    ExitCode::SUCCESS
}
