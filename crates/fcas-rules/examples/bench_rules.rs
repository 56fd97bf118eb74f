//! Times the rules stage over a folder of files: `bench_rules RULES_DIR FILES_DIR [REPEAT] [fresh]`
//! (`fresh`: a new scanner for every file, what the stage did before it kept one per thread).
//! Loads the rules of RULES_DIR only (no built-in set; compiled or read from the cache in
//! target/), then runs `RulesStage` over every file, one thread, as an analysis runs it, and
//! prints the scan time. Used by bench/rules/run.sh.
use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

use fcas_engine::ExtraStage;
use fcas_report::Report;
use fcas_rules::{RuleSet, RuleSources, RulesStage};

const USAGE: &str = "usage: bench_rules RULES_DIR FILES_DIR [REPEAT] [fresh]";

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let rules_dir = PathBuf::from(args.next().ok_or(USAGE)?);
    let files_dir = PathBuf::from(args.next().ok_or(USAGE)?);
    let repeat: usize = args.next().map(|r| r.parse()).transpose().map_err(|e| format!("REPEAT: {e}; {USAGE}"))?.unwrap_or(1);
    let fresh = args.next().as_deref() == Some("fresh");
    let started = Instant::now();
    let sources = RuleSources {
        builtin: false,
        folders: vec![rules_dir],
        cache_dir: Some(PathBuf::from("target/bench-rules/cache")),
        ..RuleSources::default()
    };
    let (set, errors) = RuleSet::load(&sources);
    if !errors.is_empty() {
        return Err(format!("the rules do not compile: {errors:?}").into());
    }
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let files: Vec<Vec<u8>> = walkdir::WalkDir::new(&files_dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| std::fs::read(e.path()).map_err(|error| format!("cannot read {}: {error}", e.path().display())))
        .collect::<Result<_, _>>()?;
    let bytes: usize = files.iter().map(Vec::len).sum();
    let stage = RulesStage::new(&set);
    let scan_started = Instant::now();
    let mut matches = 0;
    for _ in 0..repeat {
        for file in &files {
            if fresh {
                matches += set.scanner().scan(file)?.matches.len();
                continue;
            }
            let mut report = Report::default();
            stage.run(&mut report, file)?;
            matches += report.rules.map(|r| r.matches.len()).unwrap_or_default();
        }
    }
    let scan_s = scan_started.elapsed().as_secs_f64();
    println!(
        "rules={} files={} bytes={} repeat={repeat} fresh_scanners={fresh} load_ms={load_ms:.1} cached={} scan_s={scan_s:.3} matches={matches}",
        set.len(),
        files.len(),
        bytes,
        set.loaded_from_cache()
    );
    Ok(())
}
