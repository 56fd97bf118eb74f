//! Everything behind the commands: the scan queue and its analysis processes, the case store,
//! the settings, the granted paths and the progress events. Commands stay a few lines over this.
pub mod analyzer;
pub mod error;
pub mod events;
pub mod expand;
pub mod export;
pub mod grants;
pub mod remote;
pub mod scan;
pub mod settings;
pub mod sqlite_store;
pub mod status;
pub mod store;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use serde::Serialize;

pub use error::{AppError, AppResult};

use analyzer::Analyzer;
use events::{ProgressSink, ScanEvent, ScanStage};
use grants::Grants;
use scan::ScanJob;
use settings::Settings;
use sqlite_store::SqliteStore;
use store::{Annotation, CaseStore, HistoryQuery, MemoryStore, SampleRow, Similarity, StoredSample};

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

/// The app's state, shared by every command and the scan runners.
pub struct Backend {
    settings: RwLock<Settings>,
    settings_path: PathBuf,
    data_dir: PathBuf,
    /// Paths that came from drops and dialogs.
    pub grants: Grants,
    analyzer: RwLock<Arc<Analyzer>>,
    store: Mutex<Box<dyn CaseStore>>,
    sink: Arc<dyn ProgressSink>,
    next_scan: AtomicU64,
    jobs: Mutex<Option<Sender<ScanJob>>>,
}

impl Backend {
    /// Loads the settings from `settings_path`, opens the store and starts the scan runners.
    /// When the case store file cannot be opened the app still starts, on a memory store whose
    /// location (shown in Settings and on the first screen) says why and what to do.
    pub fn start(settings_path: PathBuf, data_dir: PathBuf, sink: Arc<dyn ProgressSink>) -> Arc<Self> {
        let settings = Settings::load(&settings_path);
        let store = open_store(&settings, &data_dir);
        if let Some(problem) = store.problem() {
            eprintln!("fcas-app: {problem}");
        }
        let analyzer = Arc::new(Analyzer::from_settings(&settings));
        Self::start_with(settings, settings_path, data_dir, store, analyzer, sink)
    }

    /// Starts with explicit parts (tests use a memory store and a chosen analysis program).
    pub fn start_with(
        settings: Settings,
        settings_path: PathBuf,
        data_dir: PathBuf,
        store: Box<dyn CaseStore>,
        analyzer: Arc<Analyzer>,
        sink: Arc<dyn ProgressSink>,
    ) -> Arc<Self> {
        let runners = settings.limits.workers.max(1);
        let (sender, receiver) = mpsc::channel();
        let backend = Arc::new(Self {
            settings: RwLock::new(settings),
            settings_path,
            data_dir,
            grants: Grants::default(),
            analyzer: RwLock::new(analyzer),
            store: Mutex::new(store),
            sink,
            next_scan: AtomicU64::new(1),
            jobs: Mutex::new(Some(sender)),
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
        let max_files = self.settings().limits.max_files_per_drop;
        let expanded = expand::expand(&paths, max_files);
        let sender = self.jobs.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let sender = sender.ok_or_else(|| AppError::unavailable("the scan queue is closed"))?;
        let mut queued = QueuedScans { scans: Vec::new(), notes: expanded.notes };
        for path in expanded.files {
            let job = ScanJob { scan_id: self.next_scan.fetch_add(1, Ordering::Relaxed), path, queued_at: Instant::now() };
            let entry = Queued { scan_id: job.scan_id, path: job.path.to_string_lossy().into_owned() };
            self.sink.send(&ScanEvent {
                scan_id: job.scan_id,
                path: entry.path.clone(),
                stage: ScanStage::Queued,
                progress: 0.0,
                sha256: None,
                cached: false,
                message: None,
                elapsed_ms: 0.0,
            });
            sender.send(job).map_err(|_| AppError::unavailable("the scan queue is closed"))?;
            queued.scans.push(entry);
        }
        Ok(queued)
    }

    /// The stored sample with this SHA-256.
    pub fn report(&self, sha256: &str) -> AppResult<StoredSample> {
        self.with_store(|store| store.find(sha256))?.ok_or_else(|| AppError::not_found(format!("no stored report for {sha256}")))
    }

    /// History rows.
    pub fn history(&self, query: &HistoryQuery) -> AppResult<Vec<SampleRow>> {
        self.with_store(|store| store.history(query))
    }

    /// Nearest stored samples.
    pub fn similar(&self, sha256: &str, top: usize) -> AppResult<Similarity> {
        self.with_store(|store| store.similar(sha256, top.clamp(1, 100)))
    }

    /// Tags and notes.
    pub fn annotate(&self, sha256: &str, change: &Annotation) -> AppResult<()> {
        self.with_store(|store| store.annotate(sha256, change))
    }

    /// A copy of the settings.
    pub fn settings(&self) -> Settings {
        self.settings.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Validates, saves and applies new settings (analysis processes and store are replaced).
    /// A new case store file that cannot be opened refuses the change (nothing is saved); the
    /// same file is opened again when the app runs on its memory stand-in, in case it was fixed.
    pub fn save_settings(&self, mut settings: Settings) -> AppResult<()> {
        settings.validate()?;
        let current = self.settings();
        if settings.fleet_unreachable.is_none() {
            settings.fleet_unreachable = current.fleet_unreachable;
        }
        let database_changed = settings.database_file(&self.data_dir) != current.database_file(&self.data_dir);
        let on_stand_in = self.with_store(|store| Ok(store.problem().is_some()))?;
        let reopened: Option<Box<dyn CaseStore>> = if database_changed || on_stand_in {
            match open_database(&settings, &self.data_dir) {
                Ok(store) => Some(Box::new(store)),
                Err(reason) if database_changed => {
                    return Err(AppError::unavailable(format!(
                        "The case store cannot be used: {reason}. Nothing was changed: fix the file or choose another one."
                    )))
                }
                Err(_) => None, // still unusable: the stand-in keeps saying why
            }
        } else {
            None
        };
        settings.save(&self.settings_path)?;
        *self.analyzer.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(Analyzer::from_settings(&settings));
        if let Some(store) = reopened {
            *self.store.lock().unwrap_or_else(|p| p.into_inner()) = store;
        }
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = settings;
        Ok(())
    }

    /// The analyzer in force.
    pub fn analyzer(&self) -> Arc<Analyzer> {
        Arc::clone(&self.analyzer.read().unwrap_or_else(|p| p.into_inner()))
    }

    /// Runs `f` on the store (one caller at a time).
    pub fn with_store<T>(&self, f: impl FnOnce(&mut dyn CaseStore) -> AppResult<T>) -> AppResult<T> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        f(store.as_mut())
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

fn run_jobs(backend: &Backend, receiver: &Mutex<Receiver<ScanJob>>) {
    loop {
        let job = receiver.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(job) = job else { return };
        scan::run(backend, &job);
    }
}

/// Opens the case store the settings name, or a memory store that says why it could not.
fn open_store(settings: &Settings, data_dir: &std::path::Path) -> Box<dyn CaseStore> {
    match open_database(settings, data_dir) {
        Ok(store) => Box::new(store),
        Err(reason) => Box::new(MemoryStore::fallback(format!(
            "The case store cannot be used: {reason}. Until then reports are kept in memory only: fix the file or its folder's \
             permissions, or choose another case store file in Settings."
        ))),
    }
}

/// The SQLite case store the settings name (created when missing), or what went wrong.
fn open_database(settings: &Settings, data_dir: &std::path::Path) -> Result<SqliteStore, String> {
    SqliteStore::open(&settings.database_file(data_dir)).map_err(|error| without_command_line_advice(&error.to_string()).to_string())
}

/// The store's messages end with advice for the command line (`... with --db PATH`); the app
/// gives its own, so that clause is cut.
fn without_command_line_advice(message: &str) -> &str {
    let Some(flag) = message.find("--db PATH") else { return message };
    let head = message.get(..flag).unwrap_or(message);
    let cut = [", or ", "; "].iter().filter_map(|separator| head.rfind(separator)).max();
    cut.and_then(|at| message.get(..at)).unwrap_or(message)
}

/// Seconds since 1970.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)).unwrap_or(0)
}
