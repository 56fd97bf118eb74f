//! Driver of `bench/indicators/fire-rates.sh`: analyses each file named on standard input (one
//! path a line) with the engine's default options and prints, per file, one JSON line with its
//! path and indicators, the part of the report the fire rates are computed from.
//!
//! `cargo run --release -p fcas-engine --example indicator_reports -- [--no-disasm] < paths.txt`
use std::io::{BufRead, Write};

use fcas_engine::{analyze_path, Options};

/// The allocator of the `fcas` binary, so that the run is the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut options = Options::default();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--no-disasm" => options.disassemble = false,
            other => return Err(format!("unknown argument {other}; usage: indicator_reports [--no-disasm] < paths.txt").into()),
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        let path = line?;
        if path.is_empty() {
            continue;
        }
        let report = analyze_path(std::path::Path::new(&path), &options);
        let line = serde_json::json!({ "path": path, "indicators": report.indicators, "errors": report.errors });
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}
