//! The scan service on its own: safe opening, the reuse rule, the durable queue and the events,
//! with the in-process analyser and a case store in memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use fcas_report::{stage, AnalysisOptions, Origin};
use fcas_scan::{Analyser, HashedFile, Outcome, ProgressSink, ScanEvent, ScanService, ScanStage};
use fcas_store::Store;

fn corpus_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files").join(name)
}

#[derive(Default)]
struct Recorder(Mutex<Vec<ScanEvent>>, Mutex<Vec<HashedFile>>);

impl ProgressSink for Recorder {
    fn send(&self, event: &ScanEvent) {
        self.0.lock().unwrap().push(event.clone());
    }

    fn hashed(&self, file: &HashedFile) {
        self.1.lock().unwrap().push(file.clone());
    }
}

impl Recorder {
    fn stages(&self, scan_id: u64) -> Vec<ScanStage> {
        self.0.lock().unwrap().iter().filter(|e| e.scan_id == scan_id).map(|e| e.stage).collect()
    }
}

fn options() -> AnalysisOptions {
    AnalysisOptions { no_models: true, ..AnalysisOptions::default() }
}

fn folder_with_a_pe_and_a_pipe(root: &Path) -> PathBuf {
    let folder = root.join("in");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(corpus_file("pe/deb-libwine-amd64/hostname.exe"), folder.join("a.exe")).unwrap();
    let fifo = std::ffi::CString::new(folder.join("b-pipe").to_str().unwrap()).unwrap();
    // SAFETY: a plain mkfifo on a path we own.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    folder
}

#[test]
fn without_a_store_reports_come_back_and_special_files_fail_as_input() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder_with_a_pe_and_a_pipe(dir.path());
    let service = ScanService::new(Arc::new(Analyser::InProcess(None, None)), options());
    let batch = service.enqueue(&[folder], 100, false).unwrap();
    assert_eq!((batch.id, batch.jobs.len()), (None, 2));
    let recorder = Recorder::default();
    let Outcome::Analysed(submission) = service.process(&batch.jobs[0], 1, &recorder).unwrap() else { panic!("the PE is analysed") };
    let report = &submission.root;
    assert_eq!(report.provenance.origin, Some(Origin::InProcess));
    assert!(report.predictions.is_empty(), "no_models");
    assert_eq!(recorder.stages(1), [ScanStage::Analyzing, ScanStage::Done], "nothing to hash without a store");
    let Outcome::Failed(failed) = service.process(&batch.jobs[1], 2, &recorder).unwrap() else { panic!("the pipe fails") };
    assert_eq!(failed.fatal_error().unwrap().stage, stage::INPUT);
    assert!(failed.fatal_error().unwrap().message.contains("a FIFO"));
    assert_eq!(recorder.stages(2), [ScanStage::Failed]);
}

#[test]
fn a_container_s_descendants_are_kept_packed_and_labelled_like_its_root() {
    let dir = tempfile::tempdir().unwrap();
    let pe = std::fs::read(corpus_file("pe/deb-libwine-amd64/hostname.exe")).unwrap();
    let container = dir.path().join("hostname.exe.zst");
    std::fs::write(&container, zstd::bulk::compress(&pe, 3).unwrap()).unwrap();
    let service = ScanService::new(Arc::new(Analyser::InProcess(None, None)), options());
    let batch = service.enqueue(&[container], 100, false).unwrap();
    let outcome = service.process(&batch.jobs[0], 1, &fcas_scan::NoProgress).unwrap();
    let (root, descendants) = outcome.printable().expect("printed");
    assert_eq!(root.children.len(), 1);
    assert_eq!(descendants.len(), 1);
    assert_eq!(descendants[0].size(), pe.len() as u64);
    let child = descendants[0].unpack().unwrap();
    assert_eq!(child.path, format!("{}!hostname.exe", root.path));
    assert_eq!(child.hashes.sha256, root.children[0].sha256);
    assert_eq!(child.provenance.origin, Some(Origin::InProcess));
}

#[test]
fn with_a_store_the_same_versions_are_reused_and_rescan_or_new_versions_analyse_again() {
    let dir = tempfile::tempdir().unwrap();
    let folder = folder_with_a_pe_and_a_pipe(dir.path());
    let store = Arc::new(Mutex::new(Store::open_memory().unwrap()));
    let service = ScanService::new(Arc::new(Analyser::InProcess(None, None)), options()).with_store(Arc::clone(&store)).unwrap();
    let recorder = Recorder::default();

    let first = service.enqueue(std::slice::from_ref(&folder), 100, false).unwrap();
    assert!(matches!(service.process(&first.jobs[0], 1, &recorder).unwrap(), Outcome::Stored { .. }));
    assert_eq!(recorder.stages(1), [ScanStage::Hashing, ScanStage::Analyzing, ScanStage::Storing, ScanStage::Done]);
    // The file hashed is told, with the size and modification time it was hashed at.
    let pe = folder.join("a.exe");
    let metadata = std::fs::metadata(&pe).unwrap();
    let sha256 = fcas_engine::sha256_hex(&std::fs::read(&pe).unwrap());
    let hashed = HashedFile { path: pe, size: metadata.len(), modified: metadata.modified().unwrap(), sha256 };
    assert_eq!(*recorder.1.lock().unwrap(), [hashed]);
    assert!(matches!(service.process(&first.jobs[1], 2, &recorder).unwrap(), Outcome::Failed(_)));
    let summary = service.finish_batch(&first).unwrap().unwrap();
    assert_eq!((summary.stored, summary.failed, summary.pending), (1, 1, 0));

    let again = service.enqueue(std::slice::from_ref(&folder), 100, false).unwrap();
    assert!(matches!(service.process(&again.jobs[0], 3, &recorder).unwrap(), Outcome::Reused { .. }));
    let rescan = service.enqueue(std::slice::from_ref(&folder), 100, true).unwrap();
    assert!(matches!(service.process(&rescan.jobs[0], 4, &recorder).unwrap(), Outcome::Stored { .. }));
    // The writer commits on its own thread: the rescan's report must be in before the versions
    // are rewritten below, or it lands after with the current version and is reused.
    service.finish_batch(&again).unwrap();
    service.finish_batch(&rescan).unwrap();

    // With models asked for, the versions differ from the stored reports': analysed again.
    let with_models =
        ScanService::new(Arc::new(Analyser::InProcess(None, None)), AnalysisOptions::default()).with_store(Arc::clone(&store)).unwrap();
    store.lock().unwrap().connection().execute("UPDATE reports SET engine_version = 'older'", []).unwrap();
    let upgraded = with_models.enqueue(&[folder], 100, false).unwrap();
    assert!(matches!(with_models.process(&upgraded.jobs[0], 5, &recorder).unwrap(), Outcome::Stored { .. }));
    with_models.finish_batch(&upgraded).unwrap();
    let reports: i64 = store.lock().unwrap().connection().query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).unwrap();
    assert_eq!(reports, 3, "first scan, rescan, after the upgrade");
    assert!(service.close().unwrap().is_some());
}

#[test]
fn an_unavailable_analyser_fails_every_file_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.bin");
    std::fs::write(&file, b"some bytes to analyse").unwrap();
    let service = ScanService::new(Arc::new(Analyser::Unavailable("no analysis program".into())), options());
    let batch = service.enqueue(&[file], 10, false).unwrap();
    let Outcome::Failed(report) = service.process(&batch.jobs[0], 1, &fcas_scan::NoProgress).unwrap() else { panic!() };
    assert_eq!(report.fatal_error().unwrap().stage, stage::ISOLATION);
    assert_eq!(report.fatal_error().unwrap().message, "no analysis program");
}
