//! `fcas scan`: the command line over the scan service. Parses options, prints reports in input
//! order (or, with `--db`, a summary of the stored batch) and maps outcomes to exit codes.
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use clap::Args;
use fcas_report::{stage, AnalysisOptions};
use fcas_scan::{Analyser, Batch, NoProgress, Outcome, ScanService};
use fcas_store::{Store, VaultConfig};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::exit::Exit;
use crate::output::{Human, JsonArray, JsonLines, ReportSink};
use crate::size::parse_size;

/// Arguments of `fcas scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories (walked recursively, symbolic links inside not followed).
    #[arg(required_unless_present = "resume", value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Print one JSON report per line (JSON Lines).
    #[arg(long, conflicts_with = "json")]
    jsonl: bool,
    /// Print one JSON array of reports.
    #[arg(long)]
    json: bool,
    /// Files analysed at once (default: the number of CPU cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Skip files larger than this (e.g. 512M, 2G); their reports say so.
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "2G")]
    max_size: u64,
    /// Minimum length of reported strings.
    #[arg(long, value_name = "CHARS", default_value_t = 5)]
    min_string_len: usize,
    /// Skip disassembly (faster on large binaries).
    #[arg(long)]
    no_disasm: bool,
    /// Skip model predictions (no ONNX Runtime needed).
    #[arg(long)]
    no_models: bool,
    /// Report containers (archives, disk images, installers) without opening them.
    #[arg(long)]
    no_extract: bool,
    /// Deepest container nesting opened: a container this deep is listed, not opened.
    #[arg(long, value_name = "N", default_value_t = fcas_engine::extract::ExtractLimits::default().max_depth, value_parser = clap::value_parser!(u32).range(1..=64))]
    max_depth: u32,
    /// A password to try on encrypted containers after infected, malware, virus and password
    /// (repeatable; tried in the order given).
    #[arg(long = "password", value_name = "PASSWORD")]
    passwords: Vec<String>,
    /// A file of passwords to try, one per line, after those of --password.
    #[arg(long, value_name = "PATH")]
    passwords_file: Option<PathBuf>,
    /// The ONNX Runtime library (default: FCAS_ORT_LIB, next to fcas, or the workspace's vendor/onnxruntime/).
    #[arg(long, value_name = "PATH")]
    ort_lib: Option<PathBuf>,
    #[command(flatten)]
    rules: super::rules::RuleFolders,
    /// Skip the YARA rules stage.
    #[arg(long, conflicts_with = "folders")]
    no_rules: bool,
    #[command(flatten)]
    remote: super::scan_remote::RemoteArgs,
    /// Store the reports in this case store instead of printing them; each file is recorded as
    /// a job first, so an interrupted scan can be resumed.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Finish the last interrupted scan of the case store (--db, else $FCAS_DB, else the default).
    #[arg(long, conflicts_with = "paths")]
    resume: bool,
    /// With --db or --resume: analyse files again even when a report from the same engine and
    /// models is stored already.
    #[arg(long)]
    rescan: bool,
    /// With --db or --resume: keep each file's bytes, and those of everything found inside it,
    /// in the case store's vault (`<db file>.vault`: compressed, encoded, never executable).
    #[arg(long)]
    vault: bool,
    /// With --vault: the vault's size quota (e.g. 10G); beyond it the least recently read or
    /// added samples are evicted.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "10G", requires = "vault")]
    vault_quota: u64,
}

impl ScanArgs {
    /// The analysis options, named as every front end names them.
    fn options(&self) -> AnalysisOptions {
        AnalysisOptions {
            max_size: self.max_size,
            min_string_len: self.min_string_len.max(1),
            no_disasm: self.no_disasm,
            no_models: self.no_models,
            no_extract: self.no_extract,
            max_depth: self.max_depth,
            no_rules: self.no_rules,
        }
    }

    /// The passwords asked for, in order: `--password`s, then the lines of `--passwords-file`.
    fn passwords(&self) -> anyhow::Result<Vec<String>> {
        let mut passwords = self.passwords.clone();
        if let Some(path) = &self.passwords_file {
            let text = std::fs::read_to_string(path).with_context(|| {
                format!("cannot read the passwords file {}; check the path (one password per line, UTF-8)", path.display())
            })?;
            passwords.extend(fcas_engine::extract::Passwords::parse_file(&text));
        }
        Ok(passwords)
    }
}

/// Runs `fcas scan`.
pub fn exec(args: ScanArgs) -> anyhow::Result<Exit> {
    if args.rescan && args.db.is_none() && !args.resume {
        anyhow::bail!("--rescan applies to scans stored in a case store: add --db PATH (or --resume)");
    }
    if args.vault && args.db.is_none() && !args.resume {
        anyhow::bail!("--vault keeps sample bytes beside a case store: add --db PATH (or --resume)");
    }
    let options = args.options();
    let jobs = args.jobs.unwrap_or_else(default_jobs).max(1);
    // Built once: every file reuses its sessions.
    let predictor = (!args.no_models).then(|| fcas_models::Predictor::new(&fcas_models::PredictorConfig::discover(args.ort_lib.clone())));
    let rules = (!args.no_rules).then(|| args.rules.load_for_analysis("fcas scan"));
    let local = Analyser::InProcess(predictor, rules);
    let passwords = args.passwords()?;
    let analyser = match args.remote.config(&passwords)? {
        Some(config) => Analyser::Remote(Box::new(fcas_scan::Remote::new(config, &options, local).map_err(anyhow::Error::msg)?)),
        None => local,
    };
    let service = ScanService::new(Arc::new(analyser), options).with_passwords(passwords);
    if args.db.is_some() || args.resume {
        return stored(service, &args, jobs);
    }
    printed(&service, &args, jobs)
}

/// Without a case store: every report is printed, in input order.
fn printed(service: &ScanService, args: &ScanArgs, jobs: usize) -> anyhow::Result<Exit> {
    let batch = service.enqueue(&args.paths, usize::MAX, false)?;
    let stdout = io::stdout().lock();
    let mut sink: Box<dyn ReportSink> = if args.jsonl {
        Box::new(JsonLines(io::BufWriter::new(stdout)))
    } else if args.json {
        Box::new(JsonArray::new(io::BufWriter::new(stdout)))
    } else {
        Box::new(Human(io::BufWriter::new(stdout)))
    };
    let mut tally = Tally::default();
    let mut write_result = Ok(());
    run(service, &batch, jobs, |outcome| {
        tally.count(&outcome);
        if let Some((root, descendants)) = outcome.printable().filter(|_| write_result.is_ok()) {
            write_result = sink.accept_submission(root, descendants);
        }
        write_result.is_ok()
    })?;
    match write_result.and_then(|()| sink.finish()) {
        Ok(()) => {}
        // A closed pipe (`fcas scan ... | head`) is a normal way to stop reading.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(Exit::Success),
        Err(e) => anyhow::bail!("cannot write the reports to standard output: {e}"),
    }
    Ok(tally.exit())
}

/// With a case store: every file is a job of a durable batch; a summary is printed.
fn stored(service: ScanService, args: &ScanArgs, jobs: usize) -> anyhow::Result<Exit> {
    let db = crate::commands::db::db_path(args.db.clone())?;
    let store = Store::open(&db).map_err(|e| crate::commands::db::with_advice(e, &db))?;
    let mut service = service.with_store(Arc::new(Mutex::new(store)))?;
    if args.vault {
        service = service.with_vault(VaultConfig { quota: args.vault_quota, ..VaultConfig::default() })?;
    }
    let batch = if args.resume {
        match service.resume()? {
            Some(batch) => batch,
            None => {
                eprintln!("fcas: nothing to resume: every scan recorded in {} is finished", db.display());
                return Ok(Exit::Success);
            }
        }
    } else {
        service.enqueue(&args.paths, usize::MAX, args.rescan)?
    };
    let mut tally = Tally::default();
    let stopped = run(&service, &batch, jobs, |outcome| {
        tally.count(&outcome);
        true
    });
    let summary = stopped.and_then(|()| Ok(service.finish_batch(&batch)?));
    let stats = service.close()?;
    let summary = summary.context("the case store stopped accepting work; run `fcas scan --resume` to finish the scan")?;
    let Some(summary) = summary else { anyhow::bail!("the scan recorded no batch in {}", db.display()) };
    let mut out = io::stdout().lock();
    if args.json || args.jsonl {
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "batch {}: {} files, {} stored, {} already stored (same engine and models), {} failed, {} pending ({})",
            summary.batch_id,
            summary.total,
            summary.stored,
            summary.unchanged,
            summary.failed,
            summary.pending,
            db.display()
        )?;
    }
    if let Some(stats) = stats.as_ref().filter(|_| args.vault && !(args.json || args.jsonl)) {
        writeln!(
            out,
            "vault: {} sample(s) kept, {} evicted to stay within {} bytes, {} larger than the quota not kept",
            stats.vault_recorded, stats.vault_evicted, args.vault_quota, stats.vault_refused
        )?;
    }
    for failure in stats.iter().flat_map(|s| &s.failures) {
        eprintln!("fcas: {failure}");
    }
    Ok(if summary.pending > 0 || tally.fleet_failed > 0 {
        Exit::Failure
    } else if summary.failed > 0 {
        Exit::SomeInputsUnreadable
    } else {
        Exit::Success
    })
}

/// Processes the batch on `jobs` threads, handing each outcome to `emit` in input order, with a
/// progress bar on a terminal. `Err` when the case store stopped accepting work.
fn run(service: &ScanService, batch: &Batch, jobs: usize, mut emit: impl FnMut(Outcome) -> bool) -> anyhow::Result<()> {
    let progress = progress_bar(batch.jobs.len() as u64);
    let numbered: Vec<_> = batch.jobs.iter().enumerate().collect();
    let mut store_error = None;
    fcas_scan::parallel::for_each_in_order(
        &numbered,
        jobs,
        |(index, job)| service.process(job, *index as u64, &NoProgress),
        |outcome| {
            progress.inc(1);
            match outcome {
                Ok(outcome) => emit(outcome),
                Err(error) => {
                    store_error.get_or_insert(error);
                    false
                }
            }
        },
    );
    progress.finish_and_clear();
    match store_error {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}

/// Outcomes that decide the exit code.
#[derive(Default)]
struct Tally {
    unreadable: usize,
    fleet_failed: usize,
}

impl Tally {
    fn count(&mut self, outcome: &Outcome) {
        if let Outcome::Failed(report) = outcome {
            match report.fatal_error().map(|e| e.stage.as_str()) {
                Some(stage::FLEET) | Some(stage::ISOLATION) => self.fleet_failed += 1,
                _ => self.unreadable += 1,
            }
        }
    }

    fn exit(&self) -> Exit {
        if self.fleet_failed > 0 {
            Exit::Failure
        } else if self.unreadable > 0 {
            Exit::SomeInputsUnreadable
        } else {
            Exit::Success
        }
    }
}

fn default_jobs() -> usize {
    std::thread::available_parallelism().map(usize::from).unwrap_or(1)
}

/// A progress bar on standard error, only when standard error is a terminal.
fn progress_bar(total: u64) -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} files  {elapsed_precise} (eta {eta})") {
        bar.set_style(style);
    }
    bar
}
