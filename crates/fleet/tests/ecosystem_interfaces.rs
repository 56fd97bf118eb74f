//! The worker's interfaces checked by the tools of their own ecosystems
//! (scripts/interfaces-validate.sh): its OpenAPI document by openapi-spec-validator, its /metrics
//! text by the Prometheus client library's parser, the Kubernetes manifests in deploy/k8s by
//! kubernetes-validate. Skipped with a message when the tools are not installed, unless
//! FCAS_REQUIRE_INTERFACES is set (`make test` sets it), when their absence fails the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests state expectations this way
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{start, TOKEN};
use fcas_fleet::server::ServerConfig;

fn validator() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let installed = root.join("target/venv-interfaces/.fcas-interfaces-1").exists();
    if !installed && std::env::var_os("FCAS_REQUIRE_INTERFACES").is_none() {
        eprintln!("skipped: the interface validators are not installed (scripts/interfaces-validate.sh setup, or make test)");
        return None;
    }
    Some(root.join("scripts/interfaces-validate.sh"))
}

fn check(script: &Path, args: &[&str]) {
    let output = Command::new(script).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn openapi_metrics_and_manifests_pass_their_ecosystems_checks() {
    let Some(script) = validator() else { return };
    let worker = start(ServerConfig::default(), Duration::ZERO).await;
    fcas_fleet::server::install_crypto_provider();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    // A request of each kind, so the metric families have samples.
    http.get(format!("{}/v1/health", worker.url())).send().await.unwrap();
    http.post(format!("{}/v1/analyze", worker.url())).bearer_auth("wrong").body("x").send().await.unwrap();
    let sample = std::fs::read(common::corpus().join("elf/deb-elf-amd64/crt1.o")).unwrap();
    http.post(format!("{}/v1/analyze", worker.url())).bearer_auth(TOKEN).body(sample).send().await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let openapi = dir.path().join("openapi.json");
    std::fs::write(&openapi, http.get(format!("{}/v1/openapi.json", worker.url())).send().await.unwrap().bytes().await.unwrap()).unwrap();
    let metrics = dir.path().join("metrics.txt");
    std::fs::write(&metrics, http.get(format!("{}/metrics", worker.url())).send().await.unwrap().bytes().await.unwrap()).unwrap();

    let script = script.clone();
    tokio::task::spawn_blocking(move || {
        check(&script, &["openapi", openapi.to_str().unwrap()]);
        check(
            &script,
            &[
                "metrics",
                metrics.to_str().unwrap(),
                "fcas_requests_total",
                "fcas_request_duration_seconds",
                "fcas_analyses_in_flight",
                "fcas_rejections_total",
                "fcas_errors_total",
            ],
        );
        check(&script, &["k8s"]);
    })
    .await
    .unwrap();
}
