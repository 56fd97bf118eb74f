//! `fcas scan`: analyse files in parallel and print a report for each, in input order.
use std::io::{self, IsTerminal};
use std::path::PathBuf;

use clap::Args;
use fcas_engine::{ExtraStage, Options};
use fcas_report::Report;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::exit::Exit;
use crate::output::{Human, JsonArray, JsonLines, ReportSink};
use crate::size::parse_size;
use crate::walk::{expand, Target};

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
    /// The ONNX Runtime library (default: FCAS_ORT_LIB, next to fcas, or the workspace's vendor/onnxruntime/).
    #[arg(long, value_name = "PATH")]
    ort_lib: Option<PathBuf>,
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
}

/// Runs `fcas scan`.
pub fn exec(args: ScanArgs) -> anyhow::Result<Exit> {
    let mut options = Options::default();
    options.limits.max_file_size = args.max_size;
    options.limits.min_string_len = args.min_string_len.max(1);
    options.disassemble = !args.no_disasm;
    let jobs = args.jobs.unwrap_or_else(default_jobs).max(1);
    let remote = super::scan_remote::RemoteScan::start(&args.remote, &options, args.no_models)?;
    if args.rescan && args.db.is_none() && !args.resume {
        anyhow::bail!("--rescan applies to scans stored in a case store: add --db PATH (or --resume)");
    }

    // Built once: every file reuses its sessions.
    let predictor = (!args.no_models).then(|| fcas_models::Predictor::new(&fcas_models::PredictorConfig::discover(args.ort_lib.clone())));
    if args.db.is_some() || args.resume {
        let scan = super::scan_queue::QueueScan {
            db: args.db,
            resume: args.resume,
            rescan: args.rescan,
            paths: args.paths,
            json: args.json || args.jsonl,
        };
        return super::scan_queue::exec(scan, &options, jobs, predictor.as_ref(), remote.as_ref());
    }
    let extra: Vec<&dyn ExtraStage> = predictor.iter().map(|p| p as &dyn ExtraStage).collect();

    let targets = expand(&args.paths);
    let stdout = io::stdout().lock();
    let mut sink: Box<dyn ReportSink> = if args.jsonl {
        Box::new(JsonLines(io::BufWriter::new(stdout)))
    } else if args.json {
        Box::new(JsonArray::new(io::BufWriter::new(stdout)))
    } else {
        Box::new(Human(io::BufWriter::new(stdout)))
    };
    let progress = progress_bar(targets.len() as u64);
    let mut unreadable = 0usize;
    let mut write_result = Ok(());
    crate::parallel::for_each_in_order(
        &targets,
        jobs,
        |target| analyze(target, &options, &extra, remote.as_ref()),
        |report| {
            progress.inc(1);
            if report.errors.iter().any(|e| e.stage == "input") {
                unreadable += 1;
            }
            if write_result.is_ok() {
                write_result = sink.accept(&report);
            }
            write_result.is_ok()
        },
    );
    progress.finish_and_clear();
    match write_result.and_then(|()| sink.finish()) {
        Ok(()) => {}
        // A closed pipe (`fcas scan ... | head`) is a normal way to stop reading.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(Exit::Success),
        Err(e) => anyhow::bail!("cannot write the reports to standard output: {e}"),
    }
    if remote.as_ref().is_some_and(|r| r.failed() > 0) {
        return Ok(Exit::Failure);
    }
    Ok(if unreadable > 0 { Exit::SomeInputsUnreadable } else { Exit::Success })
}

fn analyze(target: &Target, options: &Options, extra: &[&dyn ExtraStage], remote: Option<&super::scan_remote::RemoteScan>) -> Report {
    match target {
        Target::File(path) if remote.is_some() => remote.map(|r| r.analyze(path, extra)).unwrap_or_default(),
        Target::File(path) => fcas_engine::analyze_path_with(path, options, extra),
        Target::Unlistable(path, reason) => fcas_engine::unreadable_report(&path.to_string_lossy(), reason),
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
