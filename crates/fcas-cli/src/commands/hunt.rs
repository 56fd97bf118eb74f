//! `fcas hunt RULES`: a retro-hunt. A folder of YARA rules runs over the samples the case store's
//! vault keeps (`fcas scan --vault`); the hunt and its matches are stored (`fcas db hunts`,
//! `fcas db hunt ID`). Ctrl+C stops it after the samples in hand; `--resume ID` goes on from
//! where it stopped, also after the process was killed.
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use fcas_rules::RuleSet;
use fcas_scan::hunt::{resume_hunt, run_hunt, start_hunt, HuntProgress, HuntSettings};
use fcas_scan::hunt_rules::{compile_hunt_rules, stored_hunt_rules, HuntRulesError};
use fcas_store::hunt::{Hunt, HuntStatus, NewHunt};
use fcas_store::{parse_date, Store};

use super::db::{db_path, with_advice};
use crate::exit::Exit;

/// Arguments of `fcas hunt`.
#[derive(Debug, Args)]
pub struct HuntArgs {
    /// Folder of YARA rules (`*.yar`, `*.yara`, walked recursively); the built-in rules are not
    /// part of a hunt.
    #[arg(value_name = "RULES", required_unless_present = "resume")]
    rules: Option<PathBuf>,
    /// The case store (default: FCAS_DB, else the user's data folder).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Only samples first seen on or after this date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, UTC).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only samples with this tag.
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
    /// Go on with hunt ID (stopped by Ctrl+C or killed) with the same rules.
    #[arg(long, value_name = "ID", conflicts_with_all = ["rules", "since", "tag"])]
    resume: Option<i64>,
    /// Threads reading and matching samples (default: one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Print the finished hunt and its matches as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `fcas hunt`.
pub fn exec(args: HuntArgs) -> anyhow::Result<Exit> {
    let path = db_path(args.db.clone())?;
    let mut store = Store::open_existing(&path).map_err(|e| with_advice(e, &path))?;
    let cancel = Arc::new(AtomicBool::new(false));
    stop_on_interrupt(Arc::clone(&cancel))?;
    let mut settings = HuntSettings::default();
    if let Some(jobs) = args.jobs {
        settings.threads = jobs.max(1);
    }
    let (hunt_id, rules, resuming) = match args.resume {
        Some(id) => (id, compiled(stored_hunt_rules(&store, id))?, true),
        None => {
            let folder = args.rules.clone().context("give a folder of rules, or --resume ID")?;
            let rules = compiled(compile_hunt_rules(&folder))?;
            let since = args
                .since
                .as_deref()
                .map(|text| parse_date(text).with_context(|| format!("{text:?} is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)")))
                .transpose()?;
            let new =
                NewHunt { rules_hash: rules.id().to_string(), rules_source: folder.display().to_string(), since, tag: args.tag.clone() };
            (start_hunt(&mut store, &new)?, rules, false)
        }
    };
    eprintln!("fcas: hunt {hunt_id} with {} rule(s) ({})", rules.len(), rules.id());
    let matcher = |bytes: &[u8]| rules.scan(bytes).map(|report| report.matches).map_err(|e| e.to_string());
    let show_progress = std::io::stderr().is_terminal();
    let progress = |p: &HuntProgress| {
        if show_progress {
            let rate = if p.run_seconds > 0.0 { p.run_bytes as f64 / p.run_seconds / 1e6 } else { 0.0 };
            eprint!("\r{}/{} samples, {} matched, {rate:.1} MB/s   ", p.scanned, p.total, p.matched);
        }
    };
    let hunt = if resuming {
        resume_hunt(&mut store, hunt_id, &matcher, &settings, &progress, &cancel)?
    } else {
        run_hunt(&mut store, hunt_id, &matcher, &settings, &progress, &cancel)?
    };
    if show_progress {
        eprintln!();
    }
    report(&store, &hunt, args.json)
}

/// The hunt's rules; a compile error is printed with its file and line before the hunt stops.
fn compiled(rules: Result<RuleSet, HuntRulesError>) -> anyhow::Result<RuleSet> {
    rules.map_err(|error| {
        if let HuntRulesError::Compile { folder, errors } = &error {
            for error in errors {
                eprintln!("{error}");
            }
            let folder = folder.display();
            return anyhow::anyhow!(
                "{} error(s) in the rules of {folder}; `fcas rules check --rules {folder}` shows them too",
                errors.len()
            );
        }
        anyhow::Error::new(error)
    })
}

/// Prints the hunt's outcome and maps it to an exit code (a cancelled hunt exits 1, saying how
/// to resume it).
fn report(store: &Store, hunt: &Hunt, json: bool) -> anyhow::Result<Exit> {
    if json {
        let matches = store.hunt_matches(hunt.id)?;
        println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "hunt": hunt, "matches": matches }))?);
    } else {
        println!("hunt {}: {}, {} sample(s) scanned, {} matched", hunt.id, hunt.status.as_str(), hunt.scanned, hunt.matched);
        if hunt.matched > 0 {
            println!("matches: fcas db hunt {}", hunt.id);
        }
    }
    match hunt.status {
        HuntStatus::Done => Ok(Exit::Success),
        _ => {
            eprintln!("fcas: hunt {} stopped ({}); go on with `fcas hunt --resume {}`", hunt.id, hunt.status.as_str(), hunt.id);
            Ok(Exit::Failure)
        }
    }
}

/// Ctrl+C (SIGINT) or SIGTERM asks the hunt to stop after the samples in hand.
fn stop_on_interrupt(cancel: Arc<AtomicBool>) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    std::thread::Builder::new().name("hunt-signals".into()).spawn(move || {
        runtime.block_on(async {
            let Ok(mut terminate) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) else { return };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            cancel.store(true, Ordering::Relaxed);
        });
    })?;
    Ok(())
}
