//! The worker's HTTP contract, driven over loopback: auth, size cap, load shedding, probes,
//! metrics, OpenAPI, and that samples are deleted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::time::Duration;

use common::{start, TOKEN};
use fcas_fleet::server::ServerConfig;
use fcas_report::Report;

fn http() -> reqwest::Client {
    fcas_fleet::server::install_crypto_provider();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn json<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

fn sample() -> Vec<u8> {
    std::fs::read(common::corpus().join("elf/deb-elf-amd64/crt1.o")).unwrap()
}

#[tokio::test]
async fn missing_or_wrong_token_is_401_and_nothing_is_analysed() {
    let worker = start(ServerConfig::default(), Duration::ZERO).await;
    let url = format!("{}/v1/analyze", worker.url());
    let none = http().post(&url).body(sample()).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert_eq!(none.headers().get("www-authenticate").unwrap(), "Bearer");
    let wrong = http().post(&url).bearer_auth("not-the-token").body(sample()).send().await.unwrap();
    assert_eq!(wrong.status(), 401);
    let body: serde_json::Value = json(wrong).await;
    assert_eq!(body["error"], "unauthorized");
    assert_eq!(worker.backend.calls.load(std::sync::atomic::Ordering::SeqCst), 0);
}

#[tokio::test]
async fn analysis_returns_the_local_report_plus_worker_and_deletes_the_sample() {
    let config = ServerConfig { worker_id: "worker-a".into(), ..ServerConfig::default() };
    let worker = start(config, Duration::ZERO).await;
    let path = common::corpus().join("elf/deb-elf-amd64/crt1.o");
    let name = path.to_string_lossy().into_owned();
    let response = http()
        .post(format!("{}/v1/analyze", worker.url()))
        .bearer_auth(TOKEN)
        .header(fcas_fleet::FILENAME_HEADER, fcas_fleet::encode_name(&name))
        .body(sample())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers().get(fcas_fleet::WORKER_HEADER).unwrap(), "worker-a");
    let report: Report = json(response).await;
    assert_eq!(report.provenance.worker.as_deref(), Some("worker-a"));
    assert_eq!(common::without_provenance(&report), common::without_provenance(&common::local_report(&path)));
    let left: Vec<_> = std::fs::read_dir(worker.state.samples_dir()).unwrap().collect();
    assert!(left.is_empty(), "samples must be deleted after analysis: {left:?}");
}

#[tokio::test]
async fn over_the_size_cap_is_413_with_or_without_content_length() {
    let config = ServerConfig { max_size: 1000, ..ServerConfig::default() };
    let worker = start(config, Duration::ZERO).await;
    let url = format!("{}/v1/analyze", worker.url());
    let announced = http().post(&url).bearer_auth(TOKEN).body(vec![0u8; 1001]).send().await.unwrap();
    assert_eq!(announced.status(), 413);
    // A chunked body (no Content-Length) is cut off at the cap while streaming.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..5).map(|_| Ok(vec![7u8; 400])).collect();
    let streamed =
        http().post(&url).bearer_auth(TOKEN).body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))).send().await.unwrap();
    assert_eq!(streamed.status(), 413);
    let at_cap = http().post(&url).bearer_auth(TOKEN).body(vec![0u8; 1000]).send().await.unwrap();
    assert_eq!(at_cap.status(), 200);
    let metrics = http().get(format!("{}/metrics", worker.url())).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("fcas_rejections_total{reason=\"too_large\"} 2"), "{metrics}");
}

#[tokio::test]
async fn a_body_that_differs_from_its_announced_sha256_is_400() {
    let worker = start(ServerConfig::default(), Duration::ZERO).await;
    let response = http()
        .post(format!("{}/v1/analyze", worker.url()))
        .bearer_auth(TOKEN)
        .header(fcas_fleet::SHA256_HEADER, "00".repeat(32))
        .body(sample())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn full_worker_sheds_load_with_503_and_retry_after() {
    let config = ServerConfig { workers: 1, queue: 0, retry_after_secs: 2, ..ServerConfig::default() };
    let worker = start(config, Duration::from_millis(800)).await;
    let url = format!("{}/v1/analyze", worker.url());
    let busy = tokio::spawn({
        let url = url.clone();
        async move { http().post(url).bearer_auth(TOKEN).body(sample()).send().await.unwrap().status() }
    });
    // Wait until the first request holds the only slot.
    for _ in 0..100 {
        if worker.state.metrics().in_flight_now() == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let shed = http().post(&url).bearer_auth(TOKEN).body(sample()).send().await.unwrap();
    assert_eq!(shed.status(), 503);
    assert_eq!(shed.headers().get("retry-after").unwrap(), "2");
    assert_eq!(busy.await.unwrap(), 200);
}

#[tokio::test]
async fn probes_version_metrics_and_openapi() {
    let worker = start(ServerConfig { worker_id: "w-probe".into(), ..ServerConfig::default() }, Duration::ZERO).await;
    let get = |path: &str| http().get(format!("{}{path}", worker.url())).send();
    assert_eq!(get("/v1/health").await.unwrap().status(), 200);
    assert_eq!(get("/v1/ready").await.unwrap().status(), 200);
    let version: serde_json::Value = json(get("/v1/version").await.unwrap()).await;
    assert_eq!(version["worker"], "w-probe");
    assert_eq!(version["schema_version"], fcas_report::SCHEMA_VERSION);
    let openapi: serde_json::Value = json(get("/v1/openapi.json").await.unwrap()).await;
    assert!(openapi["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/v1/analyze", "/v1/health", "/v1/ready", "/v1/version", "/metrics"] {
        assert!(openapi["paths"].get(path).is_some(), "{path} missing from the OpenAPI document");
    }
    let metrics = get("/metrics").await.unwrap();
    assert!(metrics.headers().get("content-type").unwrap().to_str().unwrap().starts_with("text/plain"));
    let text = metrics.text().await.unwrap();
    for family in
        ["fcas_requests_total", "fcas_request_duration_seconds", "fcas_analyses_in_flight", "fcas_rejections_total", "fcas_errors_total"]
    {
        assert!(text.contains(&format!("# TYPE {family} ")), "{family} missing:\n{text}");
    }
    assert!(text.contains("fcas_requests_total{route=\"/v1/health\",status=\"200\"} 1"), "{text}");
    worker.state.start_draining();
    assert_eq!(get("/v1/ready").await.unwrap().status(), 503, "a draining worker is not ready");
    let refused = http().post(format!("{}/v1/analyze", worker.url())).bearer_auth(TOKEN).body(sample()).send().await.unwrap();
    assert_eq!(refused.status(), 503);
    assert!(refused.headers().get("retry-after").is_some());
}
