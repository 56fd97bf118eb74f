//! The client against loopback workers: retries with backoff through overload and dead
//! endpoints, never on 4xx, one analysis per distinct content, and HTTPS with a private CA.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::IntoResponse;
use common::{start, TOKEN};
use fcas_fleet::client::{ClientConfig, ClientError, FleetClient, RetryPolicy, Url};
use fcas_fleet::server::ServerConfig;

fn client(urls: &[String], token: &str, retry: RetryPolicy) -> FleetClient {
    let endpoints = urls.iter().map(|u| Url::parse(u).unwrap()).collect();
    let config = ClientConfig {
        endpoints,
        token: Some(token.into()),
        retry,
        concurrency: 4,
        connect_timeout: Duration::from_millis(500),
        ..ClientConfig::default()
    };
    FleetClient::new(config).unwrap()
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy { max_attempts: 30, base_delay: Duration::from_millis(20), max_delay: Duration::from_millis(200), ..RetryPolicy::default() }
}

/// A loopback port nothing listens on.
fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn overloaded_worker_sheds_and_the_batch_still_completes() {
    let config = ServerConfig { workers: 1, queue: 0, retry_after_secs: 1, ..ServerConfig::default() };
    let worker = start(config, Duration::from_millis(100)).await;
    let dir = tempfile::tempdir().unwrap();
    let paths = common::derived_files(dir.path(), 8);
    let client = client(&[worker.url()], TOKEN, quick_retries());
    let started = Instant::now();
    let results = client.analyze_batch(&paths, |_, _| {}).await;
    for (path, result) in paths.iter().zip(&results) {
        let report = result.as_ref().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(common::without_provenance(report), common::without_provenance(&common::local_report(path)));
    }
    let metrics = worker.state.metrics().render();
    assert!(metrics.contains("fcas_rejections_total{reason=\"overloaded\"}"), "the batch should have met 503s:\n{metrics}");
    // Retry-After (1 s) was honoured: at least one wait of a second happened.
    assert!(started.elapsed() >= Duration::from_secs(1), "{:?}", started.elapsed());
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let worker = start(ServerConfig::default(), Duration::ZERO).await;
    let client = client(&[worker.url()], "wrong-token", quick_retries());
    let path = common::corpus().join("elf/deb-elf-amd64/crt1.o");
    match client.analyze(&path).await {
        Err(ClientError::Rejected { status: 401, .. }) => {}
        other => panic!("expected a 401 rejection, got {other:?}"),
    }
    let metrics = worker.state.metrics().render();
    assert!(metrics.contains("fcas_requests_total{route=\"/v1/analyze\",status=\"401\"} 1\n"), "exactly one attempt:\n{metrics}");
}

#[tokio::test]
async fn dead_endpoints_are_skipped_and_all_dead_is_unreachable() {
    let worker = start(ServerConfig::default(), Duration::ZERO).await;
    let dead = dead_url();
    let dir = tempfile::tempdir().unwrap();
    let paths = common::derived_files(dir.path(), 6);
    let mixed = client(&[dead.clone(), worker.url()], TOKEN, quick_retries());
    for result in mixed.analyze_batch(&paths, |_, _| {}).await {
        assert!(result.is_ok(), "{result:?}");
    }
    assert!(mixed.endpoints().is_avoided(0), "the dead endpoint should be quarantined");

    let policy = RetryPolicy { max_attempts: 3, ..quick_retries() };
    let none = client(&[dead], TOKEN, policy);
    let error = none.analyze(&paths[0]).await.unwrap_err();
    assert!(error.is_unreachable(), "{error}");
    assert!(matches!(error, ClientError::Unreachable { attempts: 3, .. }), "{error}");
}

#[tokio::test]
async fn identical_contents_are_analysed_once() {
    let worker = start(ServerConfig::default(), Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let paths = common::derived_files(dir.path(), 2);
    let copy = dir.path().join("copy-of-first.bin");
    std::fs::copy(&paths[0], &copy).unwrap();
    let batch = vec![paths[0].clone(), copy.clone(), paths[1].clone()];
    let client = client(&[worker.url()], TOKEN, quick_retries());
    let results = client.analyze_batch(&batch, |_, _| {}).await;
    assert_eq!(worker.backend.calls.load(Ordering::SeqCst), 2, "two distinct contents, two analyses");
    let copied = results[1].as_ref().unwrap();
    assert_eq!(copied.path, copy.to_string_lossy());
    assert_eq!(copied.hashes, results[0].as_ref().unwrap().hashes);
}

#[tokio::test]
async fn gateway_errors_are_retried_until_a_report_comes() {
    // A gateway that fails twice (502, then 504) before answering with a report.
    let calls = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().route(
        "/v1/analyze",
        axum::routing::post({
            let calls = calls.clone();
            move || async move {
                match calls.fetch_add(1, Ordering::SeqCst) {
                    0 => StatusCode::BAD_GATEWAY.into_response(),
                    1 => StatusCode::GATEWAY_TIMEOUT.into_response(),
                    _ => axum::Json(serde_json::json!({ "path": "x", "size": 3, "provenance": { "worker": "flaky" } })).into_response(),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = client(&[url], TOKEN, quick_retries());
    let report = client.analyze(&common::corpus().join("elf/deb-elf-amd64/crt1.o")).await.unwrap();
    assert_eq!(report.provenance.worker.as_deref(), Some("flaky"));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn https_worker_with_a_private_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();

    let backend = Arc::new(common::EngineBackend { delay: Duration::ZERO, calls: AtomicUsize::new(0) });
    let state = fcas_fleet::server::AppState::new(
        ServerConfig::default(),
        fcas_fleet::auth::Tokens::new([TOKEN]),
        fcas_fleet::isolation::Isolation::new(backend),
    )
    .unwrap();
    state.mark_ready("test".into(), vec![]);
    let listener = fcas_fleet::server::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let tls = fcas_fleet::server::TlsFiles { cert: cert.clone(), key };
    tokio::spawn(fcas_fleet::server::serve(listener, Some(tls), state, Duration::from_secs(1), |_| {}));

    let path = common::corpus().join("elf/deb-elf-amd64/crt1.o");
    let untrusting = client(std::slice::from_ref(&url), TOKEN, RetryPolicy { max_attempts: 1, ..quick_retries() });
    assert!(untrusting.analyze(&path).await.is_err(), "an unknown certificate must be refused");
    let config = ClientConfig {
        endpoints: vec![Url::parse(&url).unwrap()],
        token: Some(TOKEN.into()),
        ca_cert: Some(cert),
        retry: quick_retries(),
        ..ClientConfig::default()
    };
    let report = FleetClient::new(config).unwrap().analyze(&path).await.unwrap();
    assert_eq!(common::without_provenance(&report), common::without_provenance(&common::local_report(&path)));
}
