//! `fcas scan --db`: the queue-driven scan. Every target is recorded as a job in the case store
//! before any analysis; each job is claimed, analysed, and its report stored in the same
//! transaction that marks it done, so a scan killed at any moment resumes with `--resume`
//! without losing or duplicating a report.
use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use fcas_engine::{ExtraStage, Options};
use fcas_models::Predictor;
use fcas_store::queue::{self, BatchSpec, Claim, Job};
use fcas_store::writer::{Writer, WriterHandle};
use fcas_store::Store;

use super::scan_remote::RemoteScan;
use crate::exit::Exit;
use crate::walk::{expand, Target};

/// What the queue-driven scan needs from the command line.
pub struct QueueScan {
    /// `--db PATH` (else `$FCAS_DB` or the default store).
    pub db: Option<PathBuf>,
    /// `--resume`.
    pub resume: bool,
    /// `--rescan`.
    pub rescan: bool,
    /// Files and folders to enqueue (empty with `--resume`).
    pub paths: Vec<PathBuf>,
    /// Print the summary as JSON.
    pub json: bool,
}

/// Runs the queue-driven scan.
/// With `remote`, files are analysed by the worker fleet and stored exactly as local reports.
pub fn exec(
    scan: QueueScan,
    options: &Options,
    jobs: usize,
    predictor: Option<&Predictor>,
    remote: Option<&RemoteScan>,
) -> anyhow::Result<Exit> {
    let db = crate::commands::db::db_path(scan.db)?;
    let mut store = Store::open(&db)?;
    let batch_id = if scan.resume {
        match queue::last_unfinished_batch(&store)? {
            Some((batch_id, _)) => batch_id,
            None => {
                eprintln!("fcas: nothing to resume: every scan recorded in {} is finished", db.display());
                return Ok(Exit::Success);
            }
        }
    } else {
        let mut files = Vec::new();
        let mut unlistable = Vec::new();
        for target in expand(&scan.paths) {
            match target {
                Target::File(path) => files.push(path),
                Target::Unlistable(path, reason) => unlistable.push((path, reason)),
            }
        }
        let spec = BatchSpec {
            engine_version: fcas_engine::ENGINE_VERSION.to_string(),
            models_version: models_version(predictor),
            rescan: scan.rescan,
        };
        queue::enqueue(&mut store, &spec, &files, &unlistable)?
    };
    let pending = queue::pending_jobs(&store, batch_id)?;
    let extra: Vec<&dyn ExtraStage> = predictor.iter().map(|p| *p as &dyn ExtraStage).collect();
    let writer = Writer::spawn(&db)?;
    let handle = writer.handle();
    let mut first_error: Option<fcas_store::StoreError> = None;
    crate::parallel::for_each_in_order(
        &pending,
        jobs,
        |job| process(job, &handle, options, &extra, remote),
        |outcome| match outcome {
            Ok(()) => true,
            Err(error) => {
                first_error.get_or_insert(error);
                false
            }
        },
    );
    drop(handle);
    let stats = writer.finish()?;
    if let Some(error) = first_error {
        return Err(error).context("the case store stopped accepting work; run `fcas scan --resume` to finish the scan");
    }
    let summary = queue::finish_batch(&store, batch_id)?;
    let mut out = io::stdout().lock();
    if scan.json {
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
    for failure in &stats.failures {
        eprintln!("fcas: {failure}");
    }
    Ok(if summary.pending > 0 || remote.is_some_and(|r| r.failed() > 0) {
        Exit::Failure
    } else if summary.failed > 0 {
        Exit::SomeInputsUnreadable
    } else {
        Exit::Success
    })
}

/// Claims one job, analyses the file when needed (here or on the fleet), and hands the result to
/// the writer.
fn process(
    job: &Job,
    writer: &WriterHandle,
    options: &Options,
    extra: &[&dyn ExtraStage],
    remote: Option<&RemoteScan>,
) -> fcas_store::Result<()> {
    // The content hash lets the claim skip a file stored already with the same versions.
    let sha256 = queue::file_sha256(&job.path, options.limits.max_file_size).ok().flatten();
    match writer.claim_job(job.id, sha256.clone())? {
        Claim::Analyse => {}
        Claim::Unchanged { .. } | Claim::Finished | Claim::GaveUp => return Ok(()),
    }
    let mut report = match remote {
        Some(remote) => remote.analyze(&job.path, extra),
        None => fcas_engine::analyze_path_with(&job.path, options, extra),
    };
    // An unreadable file, or one the fleet could not analyse, is a failed job with its reason,
    // not a stored report without analysis.
    if let Some(error) = report.errors.iter().find(|e| e.stage == "input" || e.stage == "remote") {
        return writer.fail_job(job.id, error.message.clone());
    }
    // The queue hashed the same bytes; should the hash stage have failed, the report still gets its key.
    if report.hashes.sha256.is_empty() {
        report.hashes.sha256 = sha256.unwrap_or_default();
    }
    writer.complete_job(job.id, report)
}

/// The models version every report of this scan will carry: one prediction per registered
/// model, and per skipped model that has an id (what `Predictor::predict` emits). A model whose
/// runtime is missing still counts: `--rescan` analyses again once it is installed.
fn models_version(predictor: Option<&Predictor>) -> String {
    let Some(predictor) = predictor else { return String::new() };
    let registry = predictor.registry();
    let usable = registry.models.iter().map(|m| (m.manifest.id.as_str(), m.manifest.version.as_str()));
    let skipped = registry.skipped.iter().filter_map(|s| Some((s.id.as_deref()?, s.version.as_deref().unwrap_or_default())));
    fcas_store::models_version_of(usable.chain(skipped))
}
