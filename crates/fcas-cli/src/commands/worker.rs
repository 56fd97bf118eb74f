//! `fcas worker --stdio`: the isolated analysis process the desktop app and the fleet worker talk
//! to. It reads one JSON request per line on standard input and writes one JSON report per line on
//! standard output, loading everything once.
use std::io;

use clap::Args;
use fcas_engine::Options;
use fcas_isolate::Request;

use crate::exit::Exit;

/// Arguments of `fcas worker`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Speak the line protocol on standard input and output (the only mode).
    #[arg(long, required = true)]
    stdio: bool,
}

/// Runs `fcas worker`.
pub fn exec(_args: WorkerArgs) -> anyhow::Result<Exit> {
    let stdin = io::stdin().lock();
    let stdout = io::stdout().lock();
    fcas_isolate::serve(stdin, stdout, analyze)?;
    Ok(Exit::Success)
}

fn analyze(request: &Request) -> fcas_report::Report {
    let mut options = Options::default();
    if request.max_size > 0 {
        options.limits.max_file_size = request.max_size;
    }
    options.disassemble = !request.no_disasm;
    fcas_engine::analyze_path(std::path::Path::new(&request.path), &options)
}
