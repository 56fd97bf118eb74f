//! The worker: `router` builds the HTTP API over an [`AppState`] (tests drive it directly),
//! `serve` binds it (optionally with TLS), warms the isolated children up and drains on SIGTERM.
mod handlers;
mod limits;
mod state;
pub mod upload;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

pub use state::{AppState, ModelVersion, ServerConfig, Versions};

use crate::isolation::Isolation;

/// The worker's HTTP API. `/v1/analyze` passes, outermost first: bearer auth, the body cap,
/// admission (load shedding) and the request timeout. Every route is observed by the metrics.
pub fn router(state: AppState) -> Router {
    let analyze = post(handlers::analyze)
        .route_layer(from_fn_with_state(state.clone(), limits::timeout))
        .route_layer(from_fn_with_state(state.clone(), limits::admission))
        .route_layer(from_fn_with_state(state.clone(), limits::body_limit))
        .route_layer(from_fn_with_state(state.clone(), limits::require_token));
    Router::new()
        .route("/v1/analyze", analyze)
        .route("/v1/health", get(handlers::health))
        .route("/v1/ready", get(handlers::ready))
        .route("/v1/version", get(handlers::version))
        .route("/metrics", get(handlers::metrics))
        .route("/v1/openapi.json", get(handlers::openapi))
        .route_layer(from_fn_with_state(state.clone(), limits::observe))
        .with_state(state)
}

/// TLS certificate chain and private key (PEM files).
#[derive(Debug, Clone)]
pub struct TlsFiles {
    /// Certificate chain.
    pub cert: PathBuf,
    /// Private key.
    pub key: PathBuf,
}

/// Why the worker could not serve.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// The certificate or key could not be loaded.
    #[error("cannot load the TLS certificate and key: {0}")]
    Tls(std::io::Error),
    /// The server stopped on an I/O error.
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Binds `listen` (port 0: any free port).
pub fn bind(listen: SocketAddr) -> Result<std::net::TcpListener, ServeError> {
    std::net::TcpListener::bind(listen).map_err(|source| ServeError::Bind { addr: listen, source })
}

/// Serves `state` on `listener` until SIGTERM or SIGINT; then stops admitting work and waits up
/// to `drain` for the requests in flight. `on_listening` gets the bound address once the server
/// accepts connections (tests and scripts pass port 0 and read it).
pub async fn serve(
    listener: std::net::TcpListener,
    tls: Option<TlsFiles>,
    state: AppState,
    drain: Duration,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let bound = listener.local_addr()?;
    let handle = axum_server::Handle::new();
    tokio::spawn(drain_on_signal(state.clone(), handle.clone(), drain));
    tokio::spawn(warm_up(state.clone()));
    let app = router(state).into_make_service();
    match tls {
        Some(files) => {
            install_crypto_provider();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&files.cert, &files.key).await.map_err(ServeError::Tls)?;
            let server = axum_server::from_tcp_rustls(listener, config)?.handle(handle);
            on_listening(bound);
            server.serve(app).await?;
        }
        None => {
            let server = axum_server::from_tcp(listener)?.handle(handle);
            on_listening(bound);
            server.serve(app).await?;
        }
    }
    Ok(())
}

/// Installs rustls' ring provider as the process default (a no-op when one is installed).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// On SIGTERM (preemption, rolling update) or SIGINT: readiness turns 503, new analyses get 503,
/// and the server closes once in-flight requests finish (or `drain` elapses).
async fn drain_on_signal(state: AppState, handle: axum_server::Handle<SocketAddr>, drain: Duration) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else { return };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    state.start_draining();
    handle.graceful_shutdown(Some(drain));
}

/// Starts every child with one tiny analysis that waits for its models to load, and marks the
/// worker ready with the versions the children report: a load balancer sends no file to a worker
/// whose analysis processes are still loading their models.
async fn warm_up(state: AppState) {
    let probe = match tempfile::Builder::new().prefix("warm-up-").tempfile_in(state.samples_dir()) {
        Ok(file) => file,
        Err(_) => return,
    };
    let _ = std::fs::write(probe.path(), b"FCAS warm-up probe\n");
    let request = fcas_isolate::Request { path: probe.path().to_string_lossy().into_owned(), wait_for_models: true, ..Default::default() };
    let isolation: Isolation = state.0.isolation.clone();
    let runs = (0..state.config().workers.max(1)).map(|_| {
        let isolation = isolation.clone();
        let request = request.clone();
        tokio::spawn(async move { isolation.analyze(request).await })
    });
    let mut engine_version = String::new();
    let mut models = Vec::new();
    for run in runs.collect::<Vec<_>>() {
        if let Ok(report) = run.await {
            if !report.engine_version.is_empty() {
                engine_version = report.engine_version.clone();
            }
            if let Some(rules) = &report.provenance.rules {
                state.set_rule_set(rules.clone());
            }
            models = report.predictions.iter().map(|p| ModelVersion { model: p.model.clone(), version: p.version.clone() }).collect();
        }
    }
    state.mark_ready(engine_version, models);
}
