//! The backend without a window: real analysis processes (`fcas worker --stdio`), a memory store
//! and a sink that records events. Checks the facts against the corpus reference JSON.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use fcas_app::backend::analyzer::{find_analysis_program, Analyzer};
use fcas_app::backend::events::{ProgressSink, ScanEvent, ScanStage};
use fcas_app::backend::settings::Settings;
use fcas_app::backend::store::{HistoryQuery, MemoryStore};
use fcas_app::backend::Backend;

#[derive(Default)]
struct Recorder {
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
    fn finished(&self, scan_id: u64) -> ScanEvent {
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

    fn stages(&self, scan_id: u64) -> Vec<ScanStage> {
        self.events.lock().unwrap().iter().filter(|e| e.scan_id == scan_id).map(|e| e.stage).collect()
    }
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/corpus")
}

fn reference(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(corpus().join("refs").join(format!("{name}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn backend_with(analyzer: Analyzer) -> (Arc<Backend>, Arc<Recorder>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let recorder = Arc::new(Recorder::default());
    let backend = Backend::start_with(
        Settings::default(),
        dir.path().join("settings.json"),
        dir.path().to_path_buf(),
        Box::new(MemoryStore::default()),
        Arc::new(analyzer),
        recorder.clone(),
    );
    (backend, recorder, dir)
}

fn local_analyzer() -> Analyzer {
    let program = find_analysis_program().expect("the `fcas` binary must be built first (cargo build -p fcas-cli)");
    Analyzer::local(&program, &Settings::default().limits)
}

#[test]
fn a_dropped_pe_is_analysed_stored_and_reopened_from_the_store() {
    let (backend, recorder, _dir) = backend_with(local_analyzer());
    let name = "pe/deb-libwine-amd64/ping.exe";
    let path = corpus().join("files").join(name);
    let refused = backend.analyze_paths(vec![path.clone()]).unwrap_err();
    assert_eq!(refused.code, "not_granted");

    backend.grants.grant(&path);
    let queued = backend.analyze_paths(vec![path.clone()]).unwrap();
    assert_eq!(queued.scans.len(), 1);
    let done = recorder.finished(queued.scans[0].scan_id);
    let expected = reference(name);
    assert_eq!(done.stage, ScanStage::Done, "{:?}", done.message);
    assert_eq!(done.sha256.as_deref(), expected["sha256"].as_str());
    assert!(!done.cached);
    assert_eq!(
        recorder.stages(queued.scans[0].scan_id),
        [ScanStage::Queued, ScanStage::Hashing, ScanStage::Analyzing, ScanStage::Storing, ScanStage::Done]
    );
    let stored = backend.report(expected["sha256"].as_str().unwrap()).unwrap();
    assert_eq!(stored.report.size, expected["size"].as_u64().unwrap());
    let sections = stored.report.pe.as_ref().map(|pe| pe.sections.len()).unwrap_or(0);
    assert_eq!(sections, expected["pefile"]["sections"].as_array().unwrap().len());
    assert_eq!(backend.history(&HistoryQuery::default()).unwrap().len(), 1);

    let again = backend.analyze_paths(vec![path]).unwrap();
    let cached = recorder.finished(again.scans[0].scan_id);
    assert_eq!(cached.stage, ScanStage::Done);
    assert!(cached.cached, "the second drop reuses the stored report");
}

#[test]
fn folders_expand_and_non_regular_files_fail_with_a_message() {
    let (backend, recorder, dir) = backend_with(local_analyzer());
    let folder = dir.path().join("drop");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(corpus().join("files/pe/deb-libwine-amd64/hostname.exe"), folder.join("a.exe")).unwrap();
    let fifo = folder.join("pipe");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a plain mkfifo on a path we own.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    backend.grants.grant(&folder);
    let queued = backend.analyze_paths(vec![folder.clone()]).unwrap();
    assert_eq!(queued.scans.len(), 1, "the walk keeps regular files only");
    assert_eq!(recorder.finished(queued.scans[0].scan_id).stage, ScanStage::Done);
    let direct = backend.analyze_paths(vec![fifo]).unwrap();
    let failed = recorder.finished(direct.scans[0].scan_id);
    assert_eq!(failed.stage, ScanStage::Failed);
    assert!(failed.message.unwrap().contains("not a regular file"));
}

#[test]
fn a_crashing_analysis_process_gives_a_failed_scan_and_the_backend_keeps_working() {
    let (backend, recorder, _dir) = backend_with(Analyzer::local(Path::new("/bin/false"), &Settings::default().limits));
    let path = corpus().join("files/pe/deb-libwine-amd64/ping.exe");
    backend.grants.grant(&path);
    for _ in 0..2 {
        let queued = backend.analyze_paths(vec![path.clone()]).unwrap();
        let failed = recorder.finished(queued.scans[0].scan_id);
        assert_eq!(failed.stage, ScanStage::Failed);
        assert!(failed.message.unwrap().contains("analysis process"));
    }
    assert!(backend.history(&HistoryQuery::default()).unwrap().is_empty());
}

#[test]
fn settings_are_validated_saved_and_applied() {
    let (backend, _recorder, dir) = backend_with(Analyzer::Unavailable("test".into()));
    let mut settings = backend.settings();
    settings.limits.timeout_seconds = 0;
    assert_eq!(backend.save_settings(settings.clone()).unwrap_err().code, "invalid");
    settings.limits.timeout_seconds = 30;
    backend.save_settings(settings).unwrap();
    assert_eq!(Settings::load(&dir.path().join("settings.json")).limits.timeout_seconds, 30);
    assert_eq!(backend.settings().limits.timeout_seconds, 30);
}
