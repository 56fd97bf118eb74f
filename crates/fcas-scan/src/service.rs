//! The scan service: the one path every front end takes from "these paths" to reports.
//!
//! For each target: open it through the engine's safe input (regular files only, never blocking,
//! size cap first); with a case store, hash it and claim its job (a stored report of the same
//! sha256 and the same engine and models versions is reused, see [`crate::Versions`]); else
//! analyse it with the configured [`Analyser`]; store the report through the durable queue, or
//! hand it back to print. Progress goes to a [`ProgressSink`] as typed events.
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use fcas_engine::{OpenedFile, Options};
use fcas_report::{stage, AnalysisOptions, PackedReport, Report, Submission};
use fcas_store::queue::{self, BatchSpec, BatchSummary, Claim};
use fcas_store::vault::{Vault, VaultConfig};
use fcas_store::writer::{Writer, WriterHandle, WriterStats};
use fcas_store::{Store, StoreError};

use crate::analyser::Analyser;
use crate::events::{HashedFile, ProgressSink, ScanEvent, ScanStage};
use crate::keep::{keep, keep_descendants, keep_root, stored_descendants, Kept};
use crate::targets::{expand, Target};

/// One file of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Its job row in the case store (`None` when nothing is stored).
    pub id: Option<i64>,
    /// The file.
    pub target: Target,
}

/// The files of one scan.
#[derive(Debug, Default)]
pub struct Batch {
    /// Its batch row in the case store (`None` when nothing is stored).
    pub id: Option<i64>,
    /// The files still to process, in order.
    pub jobs: Vec<Job>,
    /// What was left out while expanding folders.
    pub notes: Vec<String>,
}

/// What became of one file.
#[derive(Debug)]
pub enum Outcome {
    /// Analysed, to print (no case store): the file's report, then those of everything found
    /// inside it. A report may hold stage errors of a malformed file.
    Analysed(Box<Submission>),
    /// Analysed and handed to the case store's writer (committed once the batch is finished,
    /// or at once with [`ScanService::confirm_each`]).
    Stored {
        /// The file's SHA-256.
        sha256: String,
        /// Reports of files found inside it, stored with it.
        descendants: usize,
    },
    /// A stored report of the same content and versions was reused.
    Reused {
        /// The file's SHA-256.
        sha256: String,
    },
    /// No analysis: `report` holds the fatal error (stage `input`, `isolation` or `fleet`);
    /// with a case store, the job is failed with its message.
    Failed(Box<Report>),
    /// The job was finished already (a resumed batch met it done).
    AlreadyDone,
}

impl Outcome {
    /// What to print, when there is something: the file's report (the analysis, or the
    /// failure) and the packed reports of everything found inside it.
    pub fn printable(&self) -> Option<(&Report, &[PackedReport])> {
        match self {
            Self::Analysed(submission) => Some((&submission.root, submission.descendants())),
            Self::Failed(report) => Some((report.as_ref(), &[])),
            Self::Stored { .. } | Self::Reused { .. } | Self::AlreadyDone => None,
        }
    }

    /// The submitted file's report, when there is one to print.
    pub fn report(&self) -> Option<&Report> {
        self.printable().map(|(report, _)| report)
    }
}

/// The case store side of a scan: the reading connection and the single writer.
struct Storage {
    store: Arc<Mutex<Store>>,
    writer: Writer,
    /// Where sample bytes are kept, when asked.
    vault: Option<Vault>,
}

impl Storage {
    fn handle(&self) -> WriterHandle {
        self.writer.handle()
    }
}

/// One file on its way: where its events go and what they say.
struct FileScan<'a> {
    job: &'a Job,
    scan_id: u64,
    sink: &'a dyn ProgressSink,
    started: Instant,
    name: String,
}

impl FileScan<'_> {
    fn step(&self, stage: ScanStage, progress: f64, sha256: Option<&str>, cached: bool, message: Option<String>) {
        self.sink.send(&ScanEvent {
            scan_id: self.scan_id,
            path: self.name.clone(),
            stage,
            progress,
            sha256: sha256.map(str::to_string),
            cached,
            message,
            elapsed_ms: self.started.elapsed().as_secs_f64() * 1e3,
        });
    }
}

/// Scans files: the one path shared by `fcas scan`, the desktop app and connected mode.
pub struct ScanService {
    analyser: Arc<Analyser>,
    options: AnalysisOptions,
    storage: Option<Storage>,
    confirm_each: bool,
    passwords: Vec<String>,
}

impl ScanService {
    /// A service that analyses with `analyser` and hands reports back (nothing stored).
    pub fn new(analyser: Arc<Analyser>, options: AnalysisOptions) -> Self {
        Self { analyser, options, storage: None, confirm_each: false, passwords: Vec::new() }
    }

    /// Stores every report in `store` through its durable queue. The writer gets a connection
    /// of its own.
    pub fn with_store(mut self, store: Arc<Mutex<Store>>) -> Result<Self, StoreError> {
        let writer = Writer::start(lock(&store).reopen()?)?;
        self.storage = Some(Storage { store, writer, vault: None });
        Ok(self)
    }

    /// Keeps the bytes of every scanned file, and of everything found inside it, in the case
    /// store's vault (`<db file>.vault`), within `config`'s quota. Needs [`Self::with_store`]
    /// first, on a database file.
    pub fn with_vault(mut self, config: VaultConfig) -> Result<Self, StoreError> {
        let Some(storage) = self.storage.as_mut() else {
            return Err(StoreError::InvalidQuery("the sample vault needs a case store (--db PATH)".into()));
        };
        let vault = lock(&storage.store).vault(config)?;
        // What a killed scan left half written; rows never recorded are `fcas vault sweep`'s.
        vault.sweep_incoming(fcas_store::vault::DEFAULT_SWEEP_GRACE);
        storage.vault = Some(vault);
        Ok(self)
    }

    /// Reports a file `done` only once its report is committed (the app reads it right away);
    /// without this, commits are grouped, which is what makes large batches fast.
    pub fn confirm_each(mut self) -> Self {
        self.confirm_each = true;
        self
    }

    /// Tries `passwords` on encrypted containers after the default list (`infected`,
    /// `malware`, `virus`, `password`).
    pub fn with_passwords(mut self, passwords: Vec<String>) -> Self {
        self.passwords = passwords;
        self
    }

    /// The analyser in use.
    pub fn analyser(&self) -> &Arc<Analyser> {
        &self.analyser
    }

    /// The analysis options in use.
    pub fn options(&self) -> &AnalysisOptions {
        &self.options
    }

    /// Expands `paths` into a batch of at most `max_files` files; with a case store, records
    /// the batch and a job per file before any is analysed. `rescan` analyses files again even
    /// when a report of the same versions is stored.
    pub fn enqueue(&self, paths: &[PathBuf], max_files: usize, rescan: bool) -> Result<Batch, StoreError> {
        let expanded = expand(paths, max_files);
        let Some(storage) = &self.storage else {
            let jobs = expanded.targets.into_iter().map(|target| Job { id: None, target }).collect();
            return Ok(Batch { id: None, jobs, notes: expanded.notes });
        };
        let mut files = Vec::new();
        let mut unlistable = Vec::new();
        for target in expanded.targets {
            match target {
                Target::File(path) => files.push(path),
                Target::Unlistable(path, reason) => unlistable.push((path, reason)),
            }
        }
        let spec = self.batch_spec(rescan);
        let mut store = lock(&storage.store);
        let batch_id = queue::enqueue(&mut store, &spec, &files, &unlistable)?;
        let jobs = stored_jobs(&store, batch_id)?;
        Ok(Batch { id: Some(batch_id), jobs, notes: expanded.notes })
    }

    /// The last batch of the case store that did not finish, with its remaining jobs.
    pub fn resume(&self) -> Result<Option<Batch>, StoreError> {
        let Some(storage) = &self.storage else { return Ok(None) };
        let store = lock(&storage.store);
        let Some((batch_id, _)) = queue::last_unfinished_batch(&store)? else { return Ok(None) };
        Ok(Some(Batch { id: Some(batch_id), jobs: stored_jobs(&store, batch_id)?, notes: Vec::new() }))
    }

    /// Takes one file to its end, telling `sink` at each step. `Err` only when the case store
    /// stopped accepting work (the scan should stop; the queue lets it resume).
    pub fn process(&self, job: &Job, scan_id: u64, sink: &dyn ProgressSink) -> Result<Outcome, StoreError> {
        let file = FileScan { job, scan_id, sink, started: Instant::now(), name: job.target.path().to_string_lossy().into_owned() };
        let opened = match &job.target {
            Target::File(path) => OpenedFile::open(path, self.max_size()),
            Target::Unlistable(_, reason) => return self.fail(&file, Report::failed(&file.name, stage::INPUT, reason.clone()), None),
        };
        let opened = match opened {
            Ok(opened) => opened,
            Err(error) => return self.fail(&file, fcas_engine::input_failure(&file.name, &error), None),
        };
        let Some(storage) = self.storage.as_ref().zip(job.id) else {
            // Nothing stored: the report goes back to be printed.
            file.step(ScanStage::Analyzing, 0.3, None, false, None);
            let submission = self.analyser.analyze(opened, &file.name, None, &self.options, &self.passwords);
            if submission.root.fatal_error().is_some() {
                return self.fail(&file, submission.root, None);
            }
            let root = &submission.root;
            file.step(ScanStage::Done, 1.0, Some(root.hashes.sha256.as_str()).filter(|s| !s.is_empty()), false, stage_errors(root));
            return Ok(Outcome::Analysed(Box::new(submission)));
        };
        let (storage, job_id) = storage;

        // The content hash decides whether a stored report can be reused.
        file.step(ScanStage::Hashing, 0.1, None, false, None);
        let modified = opened.modified();
        let sha256 = match opened.sha256() {
            Ok(sha256) => sha256,
            Err(error) => return self.fail(&file, fcas_engine::input_failure(&file.name, &error), None),
        };
        let hashed = match (&job.target, modified) {
            (Target::File(path), Some(modified)) => {
                Some(HashedFile { path: path.clone(), size: opened.size(), modified, sha256: sha256.clone() })
            }
            _ => None,
        };
        let claim = match hashed {
            Some(hashed) => {
                file.sink.hashed(&hashed);
                storage.handle().claim_hashed_job(job_id, hashed)?
            }
            None => storage.handle().claim_job(job_id, Some(sha256.clone()))?,
        };
        match claim {
            Claim::Analyse => {}
            Claim::Unchanged { .. } => {
                if let (Some(vault), Target::File(path)) = (&storage.vault, &job.target) {
                    // A file scanned before the vault was on: keep its bytes now, and those of
                    // what the store says was found inside it.
                    let descendants = stored_descendants(&lock(&storage.store), &sha256)?;
                    let size = std::fs::metadata(path).map_or(0, |m| m.len());
                    let kept = keep(vault, path, (&sha256, size), &descendants, &self.engine_options());
                    storage.handle().vault_record(vault.clone(), kept.entries)?;
                }
                file.step(ScanStage::Done, 1.0, Some(&sha256), true, None);
                return Ok(Outcome::Reused { sha256 });
            }
            Claim::Finished => return Ok(Outcome::AlreadyDone),
            Claim::GaveUp => {
                let message = "analysis was interrupted too many times on this file; not tried again".to_string();
                file.step(ScanStage::Failed, 1.0, Some(&sha256), false, Some(message.clone()));
                return Ok(Outcome::Failed(Box::new(Report::failed(&file.name, stage::ISOLATION, message))));
            }
        }

        file.step(ScanStage::Analyzing, 0.3, Some(&sha256), false, None);
        let vault_file = match (&storage.vault, &job.target) {
            (Some(vault), Target::File(path)) => Some((vault, path.as_path())),
            _ => None,
        };
        let options = self.engine_options();
        let root = (sha256.as_str(), opened.size());
        let (mut submission, root_kept) = std::thread::scope(|scope| {
            let keeping = vault_file.map(|(vault, path)| scope.spawn(|| keep_root(vault, path, root, &options)));
            let submission = self.analyser.analyze(opened, &file.name, Some(&sha256), &self.options, &self.passwords);
            (submission, keeping.map(|keeping| keeping.join().unwrap_or_else(|_| Kept::failed("keeping its bytes failed"))))
        });
        let report = &mut submission.root;
        if report.fatal_error().is_some() {
            return self.fail(&file, submission.root, Some(&sha256));
        }
        // The store keys samples by SHA-256: an engine without its hash stage leaves it empty,
        // and the same bytes were just hashed here.
        if report.hashes.sha256.is_empty() {
            report.hashes.sha256.clone_from(&sha256);
        }
        if report.hashes.sha256 != sha256 {
            let message = "the file changed while it was being analysed; scan it again once it is complete";
            return self.fail(&file, Report::failed(&file.name, stage::INPUT, message), Some(&sha256));
        }
        file.step(ScanStage::Storing, 0.9, Some(&sha256), false, None);
        if let Some(((vault, path), root_kept)) = vault_file.zip(root_kept) {
            let kept = keep_descendants(vault, path, &submission, &options, root_kept);
            self.record_kept(storage, vault, kept, &mut submission)?;
        }
        let partial = stage_errors(&submission.root);
        let descendants = submission.descendants().len();
        storage.handle().complete_submission(job_id, submission)?;
        self.confirm(storage)?;
        file.step(ScanStage::Done, 1.0, Some(&sha256), false, partial);
        Ok(Outcome::Stored { sha256, descendants })
    }

    /// Ends `file` without an analysis: its job failed with the report's reason.
    fn fail(&self, file: &FileScan<'_>, report: Report, sha256: Option<&str>) -> Result<Outcome, StoreError> {
        let message = report.fatal_error().map(|e| e.message.clone()).unwrap_or_default();
        if let (Some(storage), Some(id)) = (&self.storage, file.job.id) {
            storage.handle().fail_job(id, message.clone())?;
            self.confirm(storage)?;
        }
        file.step(ScanStage::Failed, 1.0, sha256, false, Some(message));
        Ok(Outcome::Failed(Box::new(report)))
    }

    /// Waits for everything sent to the store to be committed and returns the batch's counts
    /// (marking it finished when nothing is pending).
    pub fn finish_batch(&self, batch: &Batch) -> Result<Option<BatchSummary>, StoreError> {
        let (Some(storage), Some(batch_id)) = (&self.storage, batch.id) else { return Ok(None) };
        storage.handle().flush()?;
        let store = lock(&storage.store);
        Ok(Some(queue::finish_batch(&store, batch_id)?))
    }

    /// Stops the writer once everything sent is committed; returns what it did.
    pub fn close(self) -> Result<Option<WriterStats>, StoreError> {
        match self.storage {
            Some(storage) => Ok(Some(storage.writer.finish()?)),
            None => Ok(None),
        }
    }

    fn confirm(&self, storage: &Storage) -> Result<(), StoreError> {
        if self.confirm_each {
            storage.handle().flush()?;
        }
        Ok(())
    }

    /// Records what was kept in the vault; what could not be kept is a `vault` error of the
    /// root report (the analysis and its storage go on).
    fn record_kept(&self, storage: &Storage, vault: &Vault, kept: Kept, submission: &mut Submission) -> Result<(), StoreError> {
        let problems = kept.problems.into_iter().map(|message| fcas_report::StageError::new(stage::VAULT, message));
        submission.root.errors.extend(problems);
        storage.handle().vault_record(vault.clone(), kept.entries)
    }

    /// The engine options an in-process analysis uses (the same containers' passwords).
    fn engine_options(&self) -> Options {
        crate::analyser::engine_options(&self.options, &self.passwords)
    }

    fn max_size(&self) -> u64 {
        self.options.max_size_or(fcas_engine::Limits::default().max_file_size)
    }

    fn batch_spec(&self, rescan: bool) -> BatchSpec {
        // Unknown versions (a fleet that does not say) can never match a stored report.
        let versions = self.analyser.versions(&self.options);
        let (engine_version, models_version) = match versions {
            Some(v) => (v.engine, v.models),
            None => (UNKNOWN_VERSION.to_string(), UNKNOWN_VERSION.to_string()),
        };
        BatchSpec { engine_version, models_version, rescan }
    }
}

/// The version a batch records when its analyser's versions cannot be known beforehand.
const UNKNOWN_VERSION: &str = "unknown";

fn stored_jobs(store: &Store, batch_id: i64) -> Result<Vec<Job>, StoreError> {
    Ok(queue::pending_jobs(store, batch_id)?.into_iter().map(|job| Job { id: Some(job.id), target: Target::File(job.path) }).collect())
}

fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

/// A sentence about the stages that failed on a file that was still analysed (malformed input).
fn stage_errors(report: &Report) -> Option<String> {
    let first = report.errors.first()?;
    let more = report.errors.len() - 1;
    let tail = if more > 0 { format!(" (and {more} more)") } else { String::new() };
    Some(format!("partial report: {}: {}{tail}", first.stage, first.message))
}
