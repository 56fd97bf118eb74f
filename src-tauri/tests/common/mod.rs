//! What the backend tests share: a progress sink that records events, and the corpus.
#![allow(dead_code)]
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use fcas_app::backend::settings::Settings;
use fcas_app::backend::Backend;
use fcas_scan::{find_analysis_program, Analyser, IsolationLimits, ProgressSink, ScanEvent, ScanStage};

/// Records every event and wakes waiters.
#[derive(Default)]
pub struct Recorder {
    events: Mutex<Vec<ScanEvent>>,
    changed: Condvar,
}

impl ProgressSink for Recorder {
    fn send(&self, event: &ScanEvent) {
        self.events.lock().unwrap().push(event.clone());
        self.changed.notify_all();
    }
}

impl Recorder {
    /// The final event (done or failed) of `scan_id`, waiting up to 60 s.
    pub fn finished(&self, scan_id: u64) -> ScanEvent {
        let mut events = self.events.lock().unwrap();
        loop {
            if let Some(event) = events.iter().find(|e| e.scan_id == scan_id && matches!(e.stage, ScanStage::Done | ScanStage::Failed)) {
                return event.clone();
            }
            let (next, timeout) = self.changed.wait_timeout(events, Duration::from_secs(60)).unwrap();
            assert!(!timeout.timed_out(), "scan {scan_id} did not finish");
            events = next;
        }
    }

    /// The stages `scan_id` went through, in order.
    pub fn stages(&self, scan_id: u64) -> Vec<ScanStage> {
        self.events.lock().unwrap().iter().filter(|e| e.scan_id == scan_id).map(|e| e.stage).collect()
    }
}

/// Grants `path`, queues it and waits for its final event.
pub fn scan(backend: &Backend, recorder: &Recorder, path: &Path) -> ScanEvent {
    backend.grants.grant(path);
    let queued = backend.analyze_paths(vec![path.to_path_buf()]).unwrap();
    assert_eq!(queued.scans.len(), 1, "{:?}", queued.notes);
    recorder.finished(queued.scans[0].scan_id)
}

pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/corpus")
}

/// A corpus file, by its name under `files/`.
pub fn corpus_file(name: &str) -> PathBuf {
    corpus().join("files").join(name)
}

/// The reference JSON of a corpus file, by its name under `files/`.
pub fn reference(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(corpus().join("refs").join(format!("{name}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The bounds of the app's analysis processes, from the default settings.
pub fn isolation_limits() -> IsolationLimits {
    let limits = Settings::default().limits;
    IsolationLimits { timeout: Duration::from_secs(limits.timeout_seconds), memory_bytes: limits.memory_mib << 20, workers: limits.workers }
}

/// Local analysis in `fcas worker --stdio` children, as the app runs it.
pub fn local_analyzer() -> Analyser {
    let program = find_analysis_program().expect("the `fcas` binary must be built first (cargo build -p fcas-cli)");
    Analyser::isolated(&program, isolation_limits())
}

/// A backend with `analyser`, default settings and its case store file in `data_dir`.
pub fn backend_with_analyser(settings: Settings, data_dir: &Path, analyser: Analyser) -> (Arc<Backend>, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let backend = Backend::start_with(settings, data_dir.join("settings.json"), data_dir.to_path_buf(), analyser, recorder.clone());
    (backend, recorder)
}

/// A backend started from the settings file in `data_dir`, as the app starts.
pub fn start_backend(data_dir: &Path) -> (Arc<Backend>, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let backend = Backend::start(data_dir.join("settings.json"), data_dir.to_path_buf(), recorder.clone());
    (backend, recorder)
}
