//! `fcas serve`: a stateless fleet worker. Analyses uploaded files in isolated children
//! (`fcas worker --stdio`) and answers with the same report a local scan gives.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use fcas_fleet::auth::Tokens;
use fcas_fleet::isolation::{ChildCommand, Isolation};
use fcas_fleet::server::{self, AppState, ServerConfig, TlsFiles};
use fcas_isolate::ChildLimits;

use crate::exit::Exit;
use crate::size::parse_size;

/// Arguments of `fcas serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port, printed at start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// File of accepted bearer tokens, one per line (default: the FCAS_TOKEN variable,
    /// comma-separated).
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// TLS certificate chain (PEM); serves HTTPS with --tls-key.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Largest accepted sample (e.g. 256M); larger uploads get 413.
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "256M")]
    max_size: u64,
    /// Analyses at once, one isolated child process each (default: the number of CPU cores).
    #[arg(long, value_name = "N")]
    workers: Option<usize>,
    /// Requests that may wait for a free child beyond --workers; more get 503 + Retry-After
    /// (default: as many as --workers).
    #[arg(long, value_name = "N")]
    queue: Option<usize>,
    /// Longest one analysis may take, in seconds; past it the child is killed and the report
    /// says so.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    analysis_timeout: u64,
    /// Address-space limit of each analysis child (e.g. 4G).
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "4G")]
    child_memory: u64,
    /// Longest a whole request may take (upload and analysis), in seconds; past it: 408.
    #[arg(long, value_name = "SECS", default_value_t = 180)]
    request_timeout: u64,
    /// On SIGTERM, how long in-flight analyses may take to finish, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    drain_timeout: u64,
    /// Identity written into provenance.worker (default: host:port).
    #[arg(long, value_name = "ID")]
    worker_id: Option<String>,
    #[command(flatten)]
    rules: super::rules::RuleFolders,
}

/// Runs `fcas serve` until SIGTERM or SIGINT.
pub fn exec(args: ServeArgs) -> anyhow::Result<Exit> {
    let tokens = match &args.token_file {
        Some(path) => Tokens::from_file(path)?,
        None => Tokens::from_env()?,
    };
    let workers = args.workers.unwrap_or_else(|| std::thread::available_parallelism().map(usize::from).unwrap_or(1)).max(1);
    let child = ChildCommand {
        program: std::env::current_exe()?,
        // Each child loads the rule folders itself; the server never compiles or runs a rule.
        args: fcas_scan::worker_args(&args.rules.folders),
        limits: ChildLimits { timeout: Duration::from_secs(args.analysis_timeout.max(1)), memory_bytes: args.child_memory },
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(workers.clamp(2, 8)).enable_all().build()?;
    runtime.block_on(async {
        // Bind first, so that host:port names the real port when --listen asks for port 0.
        let listener = server::bind(args.listen)?;
        let bound = listener.local_addr()?;
        let config = ServerConfig {
            max_size: args.max_size,
            workers,
            queue: args.queue.unwrap_or(workers),
            request_timeout: Duration::from_secs(args.request_timeout.max(1)),
            worker_id: args.worker_id.clone().unwrap_or_else(|| default_worker_id(bound)),
            log_analyses: true,
            ..ServerConfig::default()
        };
        let state = AppState::new(config, tokens, Isolation::child_pool(&child, workers))?;
        let tls = args.tls_cert.clone().zip(args.tls_key.clone()).map(|(cert, key)| TlsFiles { cert, key });
        let scheme = if tls.is_some() { "https" } else { "http" };
        server::serve(listener, tls, state, Duration::from_secs(args.drain_timeout), |addr| {
            println!("fcas serve: listening on {scheme}://{addr}");
        })
        .await?;
        eprintln!("fcas serve: stopped after draining in-flight analyses");
        Ok(Exit::Success)
    })
}

/// `host:port`, with the machine's host name when listening on every interface.
fn default_worker_id(bound: SocketAddr) -> String {
    if bound.ip().is_unspecified() {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
        if !host.is_empty() {
            return format!("{host}:{}", bound.port());
        }
    }
    bound.to_string()
}
