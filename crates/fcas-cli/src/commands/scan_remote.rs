//! `fcas scan --remote URL[,URL...]`: the same scan, analysed by the worker fleet. Reports come
//! back exactly as local ones, marked with the worker that produced them in
//! `provenance.worker`. When the fleet cannot be reached, `--fallback local` analyses the file
//! here instead (marked `local`) and `--fallback fail` gives a report whose `remote` error says
//! why, and the scan exits with 1.
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::{Args, ValueEnum};
use fcas_engine::{ExtraStage, Options};
use fcas_fleet::client::{ClientConfig, FleetClient, RetryPolicy};
use fcas_report::{Report, StageError};

/// What to do with a file when the fleet is unreachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Fallback {
    /// Analyse it locally.
    Local,
    /// Report the failure (exit code 1).
    Fail,
}

/// The connected-mode flags of `fcas scan`.
#[derive(Debug, Args)]
pub struct RemoteArgs {
    /// Analyse on the worker fleet: a load balancer URL or a comma-separated list of workers.
    #[arg(long, value_name = "URL[,URL...]", value_delimiter = ',')]
    remote: Vec<fcas_fleet::client::Url>,
    /// File holding the fleet's bearer token (default: the FCAS_TOKEN variable).
    #[arg(long, value_name = "FILE", requires = "remote")]
    token_file: Option<PathBuf>,
    /// When the fleet is unreachable: analyse locally, or fail.
    #[arg(long, value_enum, default_value = "fail", requires = "remote")]
    fallback: Fallback,
    /// Extra CA certificate (PEM) trusted for https workers.
    #[arg(long, value_name = "FILE", requires = "remote")]
    ca_cert: Option<PathBuf>,
    /// Attempts per file before the fleet counts as unreachable (retries back off exponentially).
    #[arg(long, value_name = "N", default_value_t = 10, requires = "remote")]
    remote_attempts: u32,
}

/// A scan's connection to the fleet, shared by the scan's threads.
pub struct RemoteScan {
    runtime: tokio::runtime::Runtime,
    client: FleetClient,
    fallback: Fallback,
    options: Options,
    failed: AtomicUsize,
}

impl RemoteArgs {
    /// Whether the scan goes to the fleet.
    pub fn enabled(&self) -> bool {
        !self.remote.is_empty()
    }
}

impl RemoteScan {
    /// Connects (lazily) to the fleet named by `args`, or `None` for a local scan.
    pub fn start(args: &RemoteArgs, options: &Options, no_models: bool) -> anyhow::Result<Option<Self>> {
        if !args.enabled() {
            return Ok(None);
        }
        let token = fcas_fleet::auth::client_token(args.token_file.as_deref())?;
        let config = ClientConfig {
            endpoints: args.remote.clone(),
            token,
            ca_cert: args.ca_cert.clone(),
            no_disasm: !options.disassemble,
            no_models,
            min_string_len: Some(options.limits.min_string_len),
            ..ClientConfig::default()
        };
        let config = ClientConfig { retry: RetryPolicy { max_attempts: args.remote_attempts.max(1), ..config.retry }, ..config };
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let client = FleetClient::new(config)?;
        // Endpoints that are not ready are avoided from the first file on.
        runtime.block_on(client.check_health());
        Ok(Some(Self { runtime, client, fallback: args.fallback, options: options.clone(), failed: AtomicUsize::new(0) }))
    }

    /// The report of one file (called from the scan's threads); `extra` stages (the models)
    /// run only when the file falls back to local analysis.
    pub fn analyze(&self, path: &Path, extra: &[&dyn ExtraStage]) -> Report {
        match self.runtime.block_on(self.client.analyze(path)) {
            Ok(report) => report,
            Err(error) if error.is_unreachable() && self.fallback == Fallback::Local => {
                let mut report = fcas_engine::analyze_path_with(path, &self.options, extra);
                fcas_fleet::client::mark_local_fallback(&mut report);
                report
            }
            Err(fcas_fleet::client::ClientError::Read { source, .. }) => {
                fcas_engine::unreadable_report(&path.to_string_lossy(), &source.to_string())
            }
            Err(error) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                let mut report = fcas_engine::unreadable_report(&path.to_string_lossy(), "");
                report.errors = vec![StageError::new("remote", error.to_string())];
                report
            }
        }
    }

    /// Files that got no analysis (fleet unreachable with `--fallback fail`, or refused).
    pub fn failed(&self) -> usize {
        self.failed.load(Ordering::Relaxed)
    }
}
