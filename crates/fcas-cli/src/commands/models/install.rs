//! `fcas models install`: the built-in models built from their registry packages by the
//! conversion kit, then checked as the runtime reads them (thin over `fcas_models::install`).
use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use fcas_models::install::{self, InstallRequest, Kit};
use fcas_models::registry;

use crate::exit::Exit;

/// Arguments of `fcas models install`.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Models folder to install into (default: $XDG_DATA_HOME/fcas/installed-models, which fcas
    /// reads when no fcas-models package is installed).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Only this model (an id of `fcas models`, e.g. malconv-ember).
    #[arg(long, value_name = "ID")]
    only: Option<String>,
    /// Folder for the downloaded packages and the conversion venv, kept between runs (default:
    /// $XDG_CACHE_HOME/fcas/models).
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// The conversion kit (default: <prefix>/share/fcas/models-kit of the package, or the workspace).
    #[arg(long, value_name = "DIR")]
    kit: Option<PathBuf>,
    /// The Python 3 interpreter that creates the conversion venv.
    #[arg(long, value_name = "PATH", default_value = "python3")]
    python: String,
    /// Reproduce the reference scores of models already installed too.
    #[arg(long)]
    verify: bool,
    /// Print the installed models as JSON (progress goes to standard error).
    #[arg(long)]
    json: bool,
}

/// Runs `fcas models install`.
pub fn exec(args: InstallArgs) -> anyhow::Result<Exit> {
    let kit = match &args.kit {
        Some(dir) => Kit::at(dir)?,
        None => Kit::discover()?,
    };
    let dest = args.dir.or_else(registry::default_install_dir).ok_or(install::InstallError::NoDefaultFolder("data"))?;
    let cache = args.cache.or_else(install::default_cache_dir).ok_or(install::InstallError::NoDefaultFolder("cache"))?;
    let request = InstallRequest { kit, dest: dest.clone(), cache, only: args.only, python: args.python, verify: args.verify };
    let installed = install::install(&request)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&serde_json::json!({ "dir": dest, "models": installed }))?)?;
    } else {
        for model in &installed {
            writeln!(out, "{} {}: {} (sha256 {})", model.id, model.version, model.onnx_path.display(), model.sha256)?;
        }
        // An installed fcas-models package, or FCAS_MODELS_DIR, comes first.
        if let Some(used) = registry::default_models_dir().filter(|used| used != &dest) {
            writeln!(
                out,
                "fcas reads its models from {}; set {}={} to use these",
                used.display(),
                registry::MODELS_DIR_ENV,
                dest.display()
            )?;
        }
    }
    Ok(Exit::Success)
}
