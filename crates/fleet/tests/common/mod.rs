//! A worker on a loopback port with an in-process analysis backend, for tests of the HTTP layer
//! and the client (the process-level tests with real isolated children live with the CLI).
#![allow(dead_code)]
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use fcas_fleet::auth::Tokens;
use fcas_fleet::isolation::{Analyze, Isolation};
use fcas_fleet::server::{router, AppState, ServerConfig};
use fcas_isolate::Request;
use fcas_report::Report;

pub const TOKEN: &str = "test-token-7f3a";

/// Runs the real engine on the uploaded file, after an optional delay (to fill the slots).
pub struct EngineBackend {
    pub delay: Duration,
    pub calls: AtomicUsize,
}

impl Analyze for EngineBackend {
    fn analyze(&self, request: Request) -> Report {
        self.calls.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        let options = fcas_engine::Options::from_analysis(&request.options);
        fcas_engine::analyze_path(std::path::Path::new(&request.path), &options)
    }
}

pub struct TestWorker {
    pub addr: SocketAddr,
    pub state: AppState,
    pub backend: Arc<EngineBackend>,
}

impl TestWorker {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

pub async fn start(config: ServerConfig, delay: Duration) -> TestWorker {
    let backend = Arc::new(EngineBackend { delay, calls: AtomicUsize::new(0) });
    let state = AppState::new(config, Tokens::new([TOKEN]), Isolation::new(backend.clone())).unwrap();
    state.mark_ready("test".into(), vec![]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    TestWorker { addr, state, backend }
}

pub fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/corpus/files")
}

/// Writes `count` distinct small files (a corpus file plus a varying tail) into `dir`.
pub fn derived_files(dir: &std::path::Path, count: usize) -> Vec<PathBuf> {
    let base = std::fs::read(corpus().join("elf/deb-elf-amd64/crt1.o")).unwrap();
    (0..count)
        .map(|i| {
            let path = dir.join(format!("derived-{i:03}.bin"));
            let mut bytes = base.clone();
            bytes.extend_from_slice(format!("fcas-test-tail-{i}").as_bytes());
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}

pub fn local_report(path: &std::path::Path) -> Report {
    fcas_engine::analyze_path(path, &fcas_engine::Options::default())
}

/// The report as JSON without `provenance` (the only part allowed to differ).
pub fn without_provenance(report: &Report) -> serde_json::Value {
    let mut value = serde_json::to_value(report).unwrap();
    value.as_object_mut().unwrap().remove("provenance");
    value
}
