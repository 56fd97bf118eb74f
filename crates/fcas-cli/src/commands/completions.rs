//! `fcas completions SHELL`: the shell completion script, printed (the packages install them).
use std::io::Write;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;
use crate::exit::Exit;

/// Arguments of `fcas completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

/// Prints the completion script of `shell` on standard output.
pub fn exec(args: CompletionsArgs) -> anyhow::Result<Exit> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "fcas", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(Exit::Success)
}
