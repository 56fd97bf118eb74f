//! The backend without a window: real analysis processes (`fcas worker --stdio`), a memory store
//! and a sink that records events. Checks the facts against the corpus reference JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::path::Path;
use std::sync::Arc;

use common::{backend_with_analyser, corpus, isolation_limits, local_analyzer, reference, Recorder};
use fcas_app::backend::settings::{Appearance, Settings, Theme};
use fcas_app::backend::{Analyser, Backend};
use fcas_scan::ScanStage;
use fcas_store::query::HistoryFilter as HistoryQuery;

fn backend_with(analyzer: Analyser) -> (Arc<Backend>, Arc<Recorder>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (backend, recorder) = backend_with_analyser(Settings::default(), dir.path(), analyzer);
    (backend, recorder, dir)
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
    assert_eq!(queued.scans.len(), 2, "the walk lists the pipe too, so that its card says why it was not analysed");
    assert_eq!(recorder.finished(queued.scans[0].scan_id).stage, ScanStage::Done);
    let pipe = recorder.finished(queued.scans[1].scan_id);
    assert_eq!(pipe.stage, ScanStage::Failed);
    assert!(pipe.message.unwrap().contains("not a regular file"));
    let direct = backend.analyze_paths(vec![fifo]).unwrap();
    let failed = recorder.finished(direct.scans[0].scan_id);
    assert_eq!(failed.stage, ScanStage::Failed);
    assert!(failed.message.unwrap().contains("not a regular file"));
}

#[test]
fn a_crashing_analysis_process_gives_a_failed_scan_and_the_backend_keeps_working() {
    let (backend, recorder, _dir) = backend_with(Analyser::isolated(Path::new("/bin/false"), isolation_limits()));
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
    let (backend, _recorder, dir) = backend_with(Analyser::Unavailable("test".into()));
    let mut settings = backend.settings();
    settings.limits.timeout_seconds = 0;
    assert_eq!(backend.save_settings(settings.clone()).unwrap_err().code, "invalid");
    settings.limits.timeout_seconds = 30;
    backend.save_settings(settings).unwrap();
    assert_eq!(Settings::load(&dir.path().join("settings.json")).limits.timeout_seconds, 30);
    assert_eq!(backend.settings().limits.timeout_seconds, 30);
}

#[test]
fn the_appearance_is_saved_alone_and_a_settings_form_never_resets_it() {
    let (backend, _recorder, dir) = backend_with(Analyser::Unavailable("test".into()));
    let dark = Appearance { theme: Theme::Dark, zoom_percent: 120, queue_collapsed: true };
    backend.save_appearance(dark.clone()).unwrap();
    assert_eq!(Settings::load(&dir.path().join("settings.json")).appearance, dark);
    assert_eq!(backend.save_appearance(Appearance { zoom_percent: 1000, ..dark.clone() }).unwrap_err().code, "invalid");
    // The Settings form sends what it shows; an appearance it does not know stays as saved.
    let mut from_form = backend.settings();
    from_form.appearance = Appearance::default();
    from_form.limits.timeout_seconds = 45;
    backend.save_settings(from_form).unwrap();
    let saved = Settings::load(&dir.path().join("settings.json"));
    assert_eq!((saved.appearance, saved.limits.timeout_seconds), (dark.clone(), 45));
    assert_eq!(backend.settings().appearance, dark);
}

#[test]
fn devices_sockets_and_links_out_of_a_dropped_folder_are_refused_and_the_queue_goes_on() {
    let (backend, recorder, dir) = backend_with(local_analyzer());
    let folder = dir.path().join("drop");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(corpus().join("files/pe/deb-libwine-amd64/hostname.exe"), folder.join("a.exe")).unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(folder.join("b-socket")).unwrap();
    let outside = dir.path().join("outside.exe");
    std::fs::copy(corpus().join("files/pe/deb-libwine-amd64/ping.exe"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, folder.join("c-link")).unwrap();
    backend.grants.grant(&folder);

    // The walk does not follow the link, and the socket gets a card saying why.
    let queued = backend.analyze_paths(vec![folder.clone()]).unwrap();
    let names: Vec<_> = queued.scans.iter().map(|s| Path::new(&s.path).file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["a.exe", "b-socket"]);
    assert_eq!(recorder.finished(queued.scans[0].scan_id).stage, ScanStage::Done);
    let socket = recorder.finished(queued.scans[1].scan_id);
    assert_eq!(socket.stage, ScanStage::Failed);
    assert!(socket.message.unwrap().contains("a socket"));

    // Asked for by name, the link resolves outside the dropped folder: refused before any work.
    assert_eq!(backend.analyze_paths(vec![folder.join("c-link")]).unwrap_err().code, "not_granted");
    // A device is never granted by a drop of something else, and refused as a file when granted.
    backend.grants.grant(Path::new("/dev/zero"));
    let zero = backend.analyze_paths(vec!["/dev/zero".into()]).unwrap();
    let refused = recorder.finished(zero.scans[0].scan_id);
    assert_eq!(refused.stage, ScanStage::Failed);
    assert!(refused.message.unwrap().contains("a device"));
    assert_eq!(backend.history(&HistoryQuery::default()).unwrap().len(), 1, "only the good file was stored");
}

#[test]
fn a_file_growing_while_the_app_scans_it_gives_one_consistent_report_or_says_it_changed() {
    use std::io::Write;
    let (backend, recorder, dir) = backend_with(local_analyzer());
    let file = dir.path().join("growing.exe");
    std::fs::copy(corpus().join("files/pe/deb-libwine-amd64/hostname.exe"), &file).unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut appender = std::fs::OpenOptions::new().append(true).open(&file).unwrap();
    let flag = Arc::clone(&stop);
    let writer = std::thread::spawn(move || {
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            appender.write_all(&[0x5a; 4096]).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    });
    backend.grants.grant(&file);
    let queued = backend.analyze_paths(vec![file.clone()]).unwrap();
    let finished = recorder.finished(queued.scans[0].scan_id);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    match finished.stage {
        ScanStage::Done => {
            // The stored report is of one prefix of the file: its size and its hash agree.
            let stored = backend.report(finished.sha256.as_deref().unwrap()).unwrap().report;
            let prefix = dir.path().join("prefix");
            std::fs::write(&prefix, &std::fs::read(&file).unwrap()[..stored.size as usize]).unwrap();
            let expected = fcas_engine::OpenedFile::open(&prefix, u64::MAX).unwrap().sha256().unwrap();
            assert_eq!(stored.hashes.sha256, expected);
        }
        _ => assert!(finished.message.unwrap().contains("changed while it was being analysed")),
    }
}
