//! The connected-mode flags of `fcas scan` (`--remote URL[,URL...]`): the same scan, analysed by
//! the worker fleet. Reports come back exactly as local ones, marked with the worker that
//! produced them. When the fleet cannot be reached, `--fallback local` analyses the file here
//! instead (marked `local`, with the reason) and `--fallback fail` fails it (stage `fleet`), and
//! the scan exits with 1.
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use fcas_scan::{FleetFallback, RemoteConfig};

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

impl RemoteArgs {
    /// The fleet to use, or `None` for a local scan.
    /// `passwords` are sent to the workers for encrypted containers.
    pub fn config(&self, passwords: &[String]) -> anyhow::Result<Option<RemoteConfig>> {
        if self.remote.is_empty() {
            return Ok(None);
        }
        Ok(Some(RemoteConfig {
            urls: self.remote.clone(),
            token: fcas_fleet::auth::client_token(self.token_file.as_deref())?,
            ca_cert: self.ca_cert.clone(),
            attempts: self.remote_attempts,
            fallback: match self.fallback {
                Fallback::Local => FleetFallback::Local,
                Fallback::Fail => FleetFallback::Fail,
            },
            advice: "Check that the workers named with --remote are running and reachable, or add --fallback local".into(),
            passwords: passwords.to_vec(),
        }))
    }
}
