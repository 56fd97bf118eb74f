//! The isolated analysis process end to end: the real `fcas worker --stdio` behind an
//! `IsolatedWorker`, as the desktop app and the fleet use it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
use std::path::Path;

use fcas_isolate::{ChildLimits, IsolatedWorker, Request};

fn corpus_file(relative: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files").join(relative).display().to_string()
}

#[test]
fn reports_come_back_from_the_child_and_equal_in_process_reports() {
    let mut worker = IsolatedWorker::new(env!("CARGO_BIN_EXE_fcas"), vec!["worker".into(), "--stdio".into()], ChildLimits::default());
    for relative in ["pe/pypi-pip-any/t32.exe", "elf/deb-elf-amd64/ls", "malformed/deb-elf-amd64__dash__e_phnum_0xffff"] {
        let path = corpus_file(relative);
        let mut remote = worker.analyze(Request {
            path: path.clone(),
            options: fcas_report::AnalysisOptions { no_models: true, no_rules: true, ..Default::default() },
            ..Request::default()
        });
        let mut local = fcas_engine::analyze_path(Path::new(&path), &fcas_engine::Options::default());
        assert!(remote.errors.iter().all(|e| e.stage != "isolation"), "{:?}", remote.errors);
        remote.provenance = Default::default();
        local.provenance = Default::default();
        // Compared as JSON, the form reports travel in (a NaN would never equal itself).
        let (remote, local) = (serde_json::to_value(&remote).unwrap(), serde_json::to_value(&local).unwrap());
        if remote != local {
            let (r, l) = (remote.as_object().unwrap(), local.as_object().unwrap());
            let differing: Vec<_> = r.keys().filter(|k| r.get(*k) != l.get(*k)).collect();
            panic!("{relative}: fields differ: {differing:?}");
        }
    }
}

#[test]
fn a_missing_file_is_an_input_error_not_a_dead_child() {
    let mut worker = IsolatedWorker::new(env!("CARGO_BIN_EXE_fcas"), vec!["worker".into(), "--stdio".into()], ChildLimits::default());
    let report = worker.analyze(Request { path: "/nonexistent/sample.bin".into(), ..Request::default() });
    assert!(report.errors.iter().any(|e| e.stage == "input"), "{:?}", report.errors);
    let again = worker.analyze(Request { path: corpus_file("pe/pypi-pip-any/t32.exe"), ..Request::default() });
    assert!(again.errors.iter().all(|e| e.stage != "isolation"), "{:?}", again.errors);
}
