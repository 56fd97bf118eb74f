//! Everything behind the commands, as wiring over the library crates: the scan service
//! (`fcas-scan`) with the analyser the settings choose, the case store (`fcas-store`), the
//! settings, the granted paths and the progress events. Commands stay a line or two over this.
pub mod error;
pub mod export;
pub mod grants;
pub mod hunts;
pub mod settings;
pub mod status;
pub mod wiring;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use fcas_report::FoundString;
use fcas_scan::{Batch, HashedFile, Job, ProgressSink, ScanEvent, ScanService, ScanStage};
use fcas_store::query::{Annotation, HistoryEntry, HistoryFilter, StoredSample};
use fcas_store::sample_bytes::{ByteWindow, BytesUnavailable, SampleBytes};
use fcas_store::similarity::{self, EngineMetric, SimilarityResult};
use fcas_store::{Store, StoreError, VaultConfig};
use serde::Serialize;

pub use error::{AppError, AppResult};
pub use fcas_scan::Analyser;

use grants::Grants;
use settings::{Appearance, Settings};

/// A stored sample as the page opens it.
#[derive(Debug, Clone, Serialize)]
pub struct SampleView {
    /// The sample and its report.
    #[serde(flatten)]
    pub sample: StoredSample,
    /// Whether `report.strings.items` was left out (the page reads it with `get_report_strings`).
    pub strings_left_out: bool,
}

/// One file accepted into the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Queued {
    /// Identifies the file's scan in progress events.
    pub scan_id: u64,
    /// The file.
    pub path: String,
}

/// What a drop or a dialog queued.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueuedScans {
    /// The files, in queue order.
    pub scans: Vec<Queued>,
    /// What was left out and why.
    pub notes: Vec<String>,
}

/// History rows a query gets when it asks for none in particular.
const DEFAULT_HISTORY_ROWS: u32 = 100;

/// One file waiting for a scan runner, with the service (analyser and store) it was queued for.
struct QueuedJob {
    scan_id: u64,
    job: Job,
    service: Arc<ScanService>,
    batch: Arc<BatchProgress>,
}

/// A drop's batch: it is marked finished in the store once its last file is done.
struct BatchProgress {
    batch: Batch,
    remaining: AtomicUsize,
}

/// The case store in use and, when it stands in for the configured file, why.
pub(crate) struct OpenStore {
    store: Arc<Mutex<Store>>,
    problem: Option<String>,
}

/// The app's state, shared by every command and the scan runners.
pub struct Backend {
    settings: RwLock<Settings>,
    settings_path: PathBuf,
    data_dir: PathBuf,
    /// Paths that came from drops and dialogs.
    pub grants: Grants,
    store: RwLock<OpenStore>,
    service: RwLock<Arc<ScanService>>,
    sink: Arc<dyn ProgressSink>,
    next_scan: AtomicU64,
    jobs: Mutex<Option<Sender<QueuedJob>>>,
    /// Hunts running in this app.
    hunts: hunts::RunningHunts,
    /// Reads windows of samples for the hex view, remembering which original files it verified.
    bytes: SampleBytes,
}

impl Backend {
    /// Loads the settings from `settings_path`, opens the store and starts the scan runners.
    /// When the case store file cannot be opened the app still starts, on a store in memory
    /// whose problem (shown in Settings and on the first screen) says why and what to do.
    pub fn start(settings_path: PathBuf, data_dir: PathBuf, sink: Arc<dyn ProgressSink>) -> Arc<Self> {
        let settings = Settings::load(&settings_path);
        let analyser = wiring::analyser(&settings);
        Self::start_with(settings, settings_path, data_dir, analyser, sink)
    }

    /// Starts with an explicit analyser (tests choose the analysis program).
    pub fn start_with(
        settings: Settings,
        settings_path: PathBuf,
        data_dir: PathBuf,
        analyser: Analyser,
        sink: Arc<dyn ProgressSink>,
    ) -> Arc<Self> {
        let opened = wiring::open_store(&settings.database_file(&data_dir));
        if let Some(problem) = &opened.problem {
            eprintln!("fcas-app: {problem}");
        }
        let service = wiring::service(analyser, &settings, &opened.store);
        let runners = settings.limits.workers.max(1);
        let (sender, receiver) = mpsc::channel();
        let backend = Arc::new(Self {
            settings: RwLock::new(settings),
            settings_path,
            data_dir,
            grants: Grants::default(),
            store: RwLock::new(OpenStore { store: opened.store, problem: opened.problem }),
            service: RwLock::new(Arc::new(service)),
            sink,
            next_scan: AtomicU64::new(1),
            jobs: Mutex::new(Some(sender)),
            hunts: hunts::RunningHunts::default(),
            bytes: SampleBytes::new(),
        });
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..runners {
            let backend = Arc::clone(&backend);
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new().name(format!("scan-{index}")).spawn(move || run_jobs(&backend, &receiver));
            if spawned.is_err() {
                break; // fewer runners still work; one is enough
            }
        }
        backend
    }

    /// Queues the files of `paths` (folders are expanded). Every path must have been granted.
    pub fn analyze_paths(&self, paths: Vec<PathBuf>) -> AppResult<QueuedScans> {
        for path in &paths {
            self.grants.check(path)?;
        }
        let service = self.service();
        let max_files = self.settings().limits.max_files_per_drop;
        let mut batch = service.enqueue(&paths, max_files, false).map_err(store_error)?;
        let sender = self.jobs.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let sender = sender.ok_or_else(|| AppError::unavailable("the scan queue is closed"))?;
        let jobs = std::mem::take(&mut batch.jobs);
        let mut queued = QueuedScans { scans: Vec::new(), notes: std::mem::take(&mut batch.notes) };
        let progress = Arc::new(BatchProgress { batch, remaining: AtomicUsize::new(jobs.len()) });
        for job in jobs {
            let scan_id = self.next_scan.fetch_add(1, Ordering::Relaxed);
            let path = job.target.path().to_string_lossy().into_owned();
            self.sink.send(&ScanEvent {
                scan_id,
                path: path.clone(),
                stage: ScanStage::Queued,
                progress: 0.0,
                sha256: None,
                cached: false,
                message: None,
                elapsed_ms: 0.0,
            });
            let queued_job = QueuedJob { scan_id, job, service: Arc::clone(&service), batch: Arc::clone(&progress) };
            sender.send(queued_job).map_err(|_| AppError::unavailable("the scan queue is closed"))?;
            queued.scans.push(Queued { scan_id, path });
        }
        Ok(queued)
    }

    /// The stored sample with this SHA-256.
    pub fn report(&self, sha256: &str) -> AppResult<StoredSample> {
        self.with_store(|store| store.stored_sample(sha256))?.ok_or_else(|| AppError::not_found(format!("no stored report for {sha256}")))
    }

    /// The stored sample, its report's string list left out unless `with_strings`: on a large
    /// file the list is most of the report, and sending it to the page on every open delayed
    /// the first view, which does not read it.
    pub fn report_view(&self, sha256: &str, with_strings: bool) -> AppResult<SampleView> {
        let mut sample = self.report(sha256)?;
        let strings_left_out = !with_strings && !sample.report.strings.items.is_empty();
        if strings_left_out {
            sample.report.strings.items = Vec::new();
        }
        Ok(SampleView { sample, strings_left_out })
    }

    /// The string list of the stored sample's report (what [`Backend::report_view`] leaves out).
    pub fn report_strings(&self, sha256: &str) -> AppResult<Vec<FoundString>> {
        Ok(self.report(sha256)?.report.strings.items)
    }

    /// History rows: each sample's latest report, newest first.
    pub fn history(&self, filter: &HistoryFilter) -> AppResult<Vec<HistoryEntry>> {
        let limit = if filter.limit == 0 { DEFAULT_HISTORY_ROWS } else { filter.limit };
        let filter = HistoryFilter { latest_only: true, limit, ..filter.clone() };
        self.with_store(|store| store.history(&filter))
    }

    /// Nearest stored samples.
    pub fn similar(&self, sha256: &str, top: usize) -> AppResult<SimilarityResult> {
        self.with_store(|store| similarity::similar(store.connection(), sha256, top.clamp(1, 100), &EngineMetric))
    }

    /// Remembers a file a scan just hashed, so its first window in the hex view reads the
    /// original without hashing it again.
    pub fn remember_hashed(&self, file: &HashedFile) {
        self.bytes.remember_verified(&file.path, file.size, file.modified, &file.sha256);
    }

    /// A window of the sample's bytes (vault copy, else the verified original file). The store
    /// is held only to locate them: a first read of a large original file hashes it unlocked.
    pub fn sample_bytes(&self, sha256: &str, offset: u64, length: u64) -> AppResult<ByteWindow> {
        let (located, vault) =
            self.with_store(|store| Ok((self.bytes.locate(store, sha256)?, store.vault(VaultConfig::default()).ok())))?;
        let located = located.map_err(bytes_unavailable)?;
        self.bytes.read(&located, vault.as_ref(), offset, length).map_err(bytes_unavailable)
    }

    /// Tags and notes, applied together.
    pub fn annotate(&self, sha256: &str, change: &Annotation) -> AppResult<()> {
        self.with_store(|store| store.annotate(sha256, change))
    }

    /// A copy of the settings.
    pub fn settings(&self) -> Settings {
        self.settings.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Validates, saves and applies new settings (analyser, service and store are replaced;
    /// files already queued finish with what they were queued with). A new case store file that
    /// cannot be opened refuses the change (nothing is saved); the same file is opened again
    /// when the app runs on its stand-in in memory, in case it was fixed.
    pub fn save_settings(&self, mut settings: Settings) -> AppResult<()> {
        let current = self.settings();
        // Theme and zoom change only through `save_appearance`: a Settings form never resets them.
        settings.appearance = current.appearance.clone();
        settings.validate()?;
        if settings.fleet_unreachable.is_none() {
            settings.fleet_unreachable = current.fleet_unreachable;
        }
        let file = settings.database_file(&self.data_dir);
        let database_changed = file != current.database_file(&self.data_dir);
        let on_stand_in = self.store.read().unwrap_or_else(|p| p.into_inner()).problem.is_some();
        let reopened = if database_changed || on_stand_in {
            match Store::open(&file) {
                Ok(store) => Some(OpenStore { store: Arc::new(Mutex::new(store)), problem: None }),
                Err(error) if database_changed => {
                    return Err(AppError::unavailable(format!(
                        "The case store cannot be used: {error}. Nothing was changed: fix the file or choose another one."
                    )))
                }
                Err(_) => None, // still unusable: the stand-in keeps saying why
            }
        } else {
            None
        };
        settings.save(&self.settings_path)?;
        if let Some(opened) = reopened {
            *self.store.write().unwrap_or_else(|p| p.into_inner()) = opened;
        }
        let store = Arc::clone(&self.store.read().unwrap_or_else(|p| p.into_inner()).store);
        let service = wiring::service(wiring::analyser(&settings), &settings, &store);
        *self.service.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(service);
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = settings;
        Ok(())
    }

    /// Validates and saves the theme and zoom; nothing else is re-applied (the page calls this on
    /// every Ctrl+= or theme change, which must not replace the analysis processes).
    pub fn save_appearance(&self, appearance: Appearance) -> AppResult<()> {
        appearance.validate()?;
        let mut settings = self.settings.write().unwrap_or_else(|p| p.into_inner());
        let next = Settings { appearance, ..settings.clone() };
        next.save(&self.settings_path)?;
        *settings = next;
        Ok(())
    }

    /// The scan service in force.
    fn service(&self) -> Arc<ScanService> {
        Arc::clone(&self.service.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Where analyses run now, for a person.
    pub fn analyser_description(&self) -> String {
        self.service().analyser().describe()
    }

    /// Where the case store lives, and why the configured one is not in use (if so).
    pub fn store_location(&self) -> (String, Option<String>) {
        let open = self.store.read().unwrap_or_else(|p| p.into_inner());
        let store = lock(&open.store);
        let location = if store.is_memory() {
            "memory (nothing is kept after the app closes)".to_string()
        } else {
            store.path().display().to_string()
        };
        (location, open.problem.clone())
    }

    /// Runs `f` on the case store (one caller at a time), its errors in the app's words.
    pub fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T, StoreError>) -> AppResult<T> {
        let store = Arc::clone(&self.store.read().unwrap_or_else(|p| p.into_inner()).store);
        let mut store = lock(&store);
        f(&mut store).map_err(store_error)
    }

    /// The folder holding the database and settings.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// Stops accepting files; runners finish the queue and exit.
    pub fn close(&self) {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

fn run_jobs(backend: &Backend, receiver: &Mutex<Receiver<QueuedJob>>) {
    loop {
        let queued = receiver.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(queued) = queued else { return };
        let outcome = queued.service.process(&queued.job, queued.scan_id, backend.sink.as_ref());
        if let Err(error) = outcome {
            let message = format!("the case store stopped accepting reports: {error}; restart the app");
            backend.sink.send(&ScanEvent {
                scan_id: queued.scan_id,
                path: queued.job.target.path().to_string_lossy().into_owned(),
                stage: ScanStage::Failed,
                progress: 1.0,
                sha256: None,
                cached: false,
                message: Some(message),
                elapsed_ms: 0.0,
            });
        }
        if queued.batch.remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
            let _ = queued.service.finish_batch(&queued.batch.batch);
        }
    }
}

fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

/// Why bytes cannot be shown: a wrong offset is the page's mistake, the rest is unavailability.
fn bytes_unavailable(reason: BytesUnavailable) -> AppError {
    match reason {
        BytesUnavailable::OutOfRange { .. } => AppError::invalid(reason.to_string()),
        BytesUnavailable::NotStored { .. } => AppError::not_found(reason.to_string()),
        _ => AppError::unavailable(reason.to_string()),
    }
}

/// The store's error as the front end shows it, with the app's advice.
fn store_error(error: StoreError) -> AppError {
    let message = error.to_string();
    match error {
        StoreError::NotFound { .. } => AppError::not_found(message),
        StoreError::InvalidQuery(_) | StoreError::Ambiguous { .. } | StoreError::MissingSha256 { .. } => AppError::invalid(message),
        error if error.is_location_problem() => AppError::unavailable(format!("{message}; choose another case store file in Settings")),
        _ => AppError::io(message),
    }
}
