//! `fcas features --ember-v2 PATH...`: feature vectors as JSON Lines `{path, sha256, vector}`.
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use fcas_engine::{Limits, MappedInput};

use crate::exit::Exit;
use fcas_scan::{expand, Target};

/// Arguments of `fcas features`.
#[derive(Debug, Args)]
pub struct FeaturesArgs {
    /// Files or directories (walked recursively).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The EMBER feature vector, version 2 (2381 values), as the EMBER-2018 models expect it.
    #[arg(long, required = true)]
    ember_v2: bool,
}

/// Runs `fcas features`. A file without a vector gets a line with `error` instead of `vector`.
pub fn exec(args: FeaturesArgs) -> anyhow::Result<Exit> {
    let _ = args.ember_v2; // the only feature set so far
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failed = false;
    for target in expand(&args.paths, usize::MAX).targets {
        let line = match &target {
            Target::File(path) => features_of(path),
            Target::Unlistable(path, reason) => error_line(path, None, reason),
        };
        failed |= line.get("error").is_some();
        match writeln!(out, "{line}") {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(Exit::Success),
            other => other?,
        }
    }
    match out.flush() {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(Exit::Success),
        other => other?,
    }
    Ok(if failed { Exit::SomeInputsUnreadable } else { Exit::Success })
}

fn features_of(path: &Path) -> serde_json::Value {
    let input = match MappedInput::open(path, Limits::default().max_file_size) {
        Ok(input) => input,
        Err(e) => return error_line(path, None, &e.to_string()),
    };
    let sha256 = fcas_models::registry::sha256_bytes(&input);
    match fcas_engine::features::ember_v2::vector(&input) {
        Ok(vector) => serde_json::json!({ "path": path.to_string_lossy(), "sha256": sha256, "vector": vector }),
        Err(e) => error_line(path, Some(sha256), &e),
    }
}

fn error_line(path: &Path, sha256: Option<String>, error: &str) -> serde_json::Value {
    serde_json::json!({ "path": path.to_string_lossy(), "sha256": sha256, "error": error })
}
