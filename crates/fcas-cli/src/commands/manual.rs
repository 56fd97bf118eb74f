//! `fcas man --out DIR`: the manual pages (`fcas.1`, `fcas-scan.1`, `fcas-db-show.1`, ...),
//! written from the same definitions as `--help`, so they never drift from the program.
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, CommandFactory};

use super::Cli;
use crate::exit::Exit;

/// Arguments of `fcas man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Folder to write the pages into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// Writes one page per command and subcommand into `--out`.
pub fn exec(args: ManArgs) -> anyhow::Result<Exit> {
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    let command = Cli::command().version(crate::version::long_version());
    let written = write_pages(&command, "fcas", &args.out)?;
    println!("wrote {written} manual pages to {}", args.out.display());
    Ok(Exit::Success)
}

/// Writes `command`'s page as `name.1`, then its visible subcommands' as `name-sub.1`.
fn write_pages(command: &clap::Command, name: &str, out: &Path) -> anyhow::Result<usize> {
    let command = command.clone().name(name.to_string());
    let path = out.join(format!("{name}.1"));
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut page)?;
    std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
    let mut written = 1;
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set() && sub.get_name() != "help") {
        written += write_pages(sub, &format!("{name}-{}", sub.get_name()), out)?;
    }
    Ok(written)
}
