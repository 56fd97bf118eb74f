//! Connected mode against a real worker on 127.0.0.1: the fleet server runs in this process,
//! analysing in `fcas worker --stdio` children as `fcas serve` does; the app's analyzer uploads
//! to it. Unreachable fleets are a loopback port nothing listens on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{backend_with_analyser, corpus_file, local_analyzer, reference, scan, Recorder};
use fcas_app::backend::settings::{default_analysis, FleetFallback, Mode, Settings};
use fcas_app::backend::wiring::analyser as analyser_for;
use fcas_app::backend::{Analyser, Backend};
use fcas_fleet::auth::Tokens;
use fcas_fleet::isolation::{ChildCommand, Isolation};
use fcas_fleet::server::{router, AppState, ServerConfig};
use fcas_isolate::ChildLimits;
use fcas_report::Report;
use fcas_scan::{find_analysis_program, ScanStage};

const TOKEN: &str = "app-test-token-41c9";
const WORKER_ID: &str = "loopback-worker-1";
const SAMPLE: &str = "pe/deb-libwine-amd64/hostname.exe";
/// A loopback port where nothing listens (discard).
const DEAD_URL: &str = "http://127.0.0.1:9";

/// A worker serving on a free loopback port until the runtime is dropped.
struct Worker {
    url: String,
    _runtime: tokio::runtime::Runtime,
}

fn start_worker() -> Worker {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let program = find_analysis_program().expect("the `fcas` binary must be built first (cargo build -p fcas-cli)");
    let command = ChildCommand {
        program,
        args: vec!["worker".into(), "--stdio".into()],
        limits: ChildLimits { timeout: Duration::from_secs(60), memory_bytes: 4 << 30 },
    };
    let config = ServerConfig { worker_id: WORKER_ID.into(), ..ServerConfig::default() };
    let state = AppState::new(config, Tokens::new([TOKEN]), Isolation::child_pool(&command, 1)).unwrap();
    state.mark_ready("test".into(), vec![]);
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(async move { axum::serve(listener, router(state)).await });
    Worker { url, _runtime: runtime }
}

fn connected(urls: &[&str], token: &str, fallback: FleetFallback) -> Settings {
    Settings {
        mode: Mode::Connected,
        worker_urls: urls.iter().map(|u| u.to_string()).collect(),
        token: token.into(),
        fleet_unreachable: Some(fallback),
        ..Settings::default()
    }
}

/// The report as JSON without `provenance` and the models' timings (where it ran and how long
/// each part took may differ).
fn without_provenance(report: &Report) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap();
    value.as_object_mut().unwrap().remove("provenance");
    for prediction in value["predictions"].as_array_mut().unwrap() {
        prediction.as_object_mut().unwrap().remove("ms");
    }
    value
}

/// Analyses `path` with `analyser`, as the scan service does after opening it.
fn analyse(analyser: &Analyser, path: &std::path::Path) -> Report {
    let opened = fcas_engine::OpenedFile::open(path, u64::MAX).unwrap();
    analyser.analyze(opened, &path.to_string_lossy(), None, &default_analysis(), &[]).root
}

fn section_names(report: &Report) -> Vec<String> {
    report.pe.as_ref().map(|pe| pe.sections.iter().map(|s| s.name.clone()).collect()).unwrap_or_default()
}

#[test]
fn the_fleet_analyses_like_the_local_pool_and_marks_its_reports() {
    let worker = start_worker();
    let path = corpus_file(SAMPLE);
    let expected = reference(SAMPLE);
    let remote = analyser_for(&connected(&[&worker.url], TOKEN, FleetFallback::Fail));
    assert!(remote.describe().starts_with("connected: "), "{}", remote.describe());
    let report = analyse(&remote, &path);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.provenance.worker.as_deref(), Some(WORKER_ID));
    assert_eq!(report.provenance.origin, Some(fcas_report::Origin::Worker { id: WORKER_ID.into() }));
    assert_eq!(report.path, path.to_string_lossy());
    assert_eq!(Some(report.hashes.sha256.as_str()), expected["sha256"].as_str());
    assert_eq!(section_names(&report).len(), expected["pefile"]["sections"].as_array().unwrap().len());
    let local = analyse(&local_analyzer(), &path);
    assert_eq!(report.hashes, local.hashes);
    assert_eq!(section_names(&report), section_names(&local));
    assert_eq!(without_provenance(&report), without_provenance(&local), "the same analysis, wherever it ran");
    assert_eq!(local.provenance.worker, None, "a local report names no worker");
    assert_eq!(local.provenance.origin, Some(fcas_report::Origin::IsolatedChild));

    // Through the scan queue, as a drop in the app.
    let dir = tempfile::tempdir().unwrap();
    let (backend, recorder) = backend_with_analyser(connected(&[&worker.url], TOKEN, FleetFallback::Fail), dir.path(), remote);
    let done = scan(&backend, &recorder, &path);
    assert_eq!(done.stage, ScanStage::Done, "{:?}", done.message);
    let stored = backend.report(expected["sha256"].as_str().unwrap()).unwrap();
    assert_eq!(stored.report.provenance.worker.as_deref(), Some(WORKER_ID));

    // A wrong token is refused at once, with what to check.
    let refused = analyse(&analyser_for(&connected(&[&worker.url], "wrong-token", FleetFallback::Local)), &path);
    assert_eq!(refused.errors.len(), 1);
    assert_eq!(refused.errors[0].stage, fcas_report::stage::FLEET);
    assert!(refused.errors[0].message.contains("token"), "{}", refused.errors[0].message);
}

#[test]
fn an_unreachable_fleet_fails_or_falls_back_as_the_settings_say() {
    let path = corpus_file(SAMPLE);
    let expected = reference(SAMPLE);

    let started = Instant::now();
    let failed = analyse(&analyser_for(&connected(&[DEAD_URL], "", FleetFallback::Fail)), &path);
    assert!(started.elapsed() < Duration::from_secs(20), "gave up after {:?}", started.elapsed());
    assert_eq!(failed.path, path.to_string_lossy());
    assert_eq!(failed.errors.len(), 1);
    let message = &failed.errors[0].message;
    assert_eq!(failed.errors[0].stage, fcas_report::stage::FLEET);
    assert!(message.contains("unreachable") && message.contains("127.0.0.1:9"), "{message}");
    assert!(message.contains("fleet_unreachable") && message.contains("Settings"), "says what to do: {message}");

    let fallback = analyser_for(&connected(&[DEAD_URL], "", FleetFallback::Local));
    assert!(fallback.describe().contains("analyse here"), "{}", fallback.describe());
    let report = analyse(&fallback, &path);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.provenance.worker.as_deref(), Some("local"));
    assert!(
        matches!(&report.provenance.origin, Some(fcas_report::Origin::LocalFallback { reason }) if reason.contains("unreachable")),
        "{:?}",
        report.provenance.origin
    );
    assert_eq!(Some(report.hashes.sha256.as_str()), expected["sha256"].as_str());
    assert_eq!(section_names(&report).len(), expected["pefile"]["sections"].as_array().unwrap().len());

    // In the scan queue a failed file says why on its card.
    let dir = tempfile::tempdir().unwrap();
    let settings = connected(&[DEAD_URL], "", FleetFallback::Fail);
    let (backend, recorder) = backend_with_analyser(settings.clone(), dir.path(), analyser_for(&settings));
    let done = scan(&backend, &recorder, &path);
    assert_eq!(done.stage, ScanStage::Failed);
    assert!(done.message.unwrap().contains("unreachable"));
}

#[test]
fn the_fleet_policy_survives_a_settings_page_that_does_not_send_it() {
    let dir = tempfile::tempdir().unwrap();
    let saved = connected(&[DEAD_URL], "", FleetFallback::Local);
    saved.save(&dir.path().join("settings.json")).unwrap();
    let recorder = Arc::new(Recorder::default());
    let backend = Backend::start(dir.path().join("settings.json"), dir.path().to_path_buf(), recorder);
    assert!(backend.status().analyzer.contains("analyse here"));
    let from_page = Settings { fleet_unreachable: None, ..saved.clone() };
    backend.save_settings(from_page).unwrap();
    assert_eq!(backend.settings().fleet_fallback(), FleetFallback::Local);
    assert_eq!(Settings::load(&dir.path().join("settings.json")).fleet_fallback(), FleetFallback::Local);
    let local_mode = Settings { mode: Mode::Local, worker_urls: Vec::new(), ..saved };
    backend.save_settings(local_mode).unwrap();
    assert!(backend.status().analyzer.starts_with("local"), "{}", backend.status().analyzer);
}
