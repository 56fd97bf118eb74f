//! Connected mode: each file is uploaded to the worker fleet by the fleet client, driven from the
//! scan runners' threads on one small runtime. Nothing is sent anywhere unless the settings chose
//! connected mode. When no worker can be reached, the settings' policy either fails the file with
//! a message saying what to check, or analyses it on this machine (its report marked `local`).
use std::path::Path;
use std::sync::OnceLock;

use fcas_fleet::client::{mark_local_fallback, ClientConfig, ClientError, FleetClient, RetryPolicy, Url};
use fcas_report::Report;

use super::analyzer::{failure, Analyzer};
use super::settings::{FleetFallback, Settings};

/// Attempts per file before the fleet counts as unreachable. Few, because a file waits on them
/// in the app (retries back off from 0.1 s, so this is about a second against a dead fleet).
const ATTEMPTS: u32 = 4;

/// The fleet client and what to do when the fleet is unreachable.
pub struct RemoteAnalyzer {
    client: FleetClient,
    urls: Vec<String>,
    /// Analyses files here when the fleet is unreachable (policy `local`); `None` under `fail`.
    local: Option<Box<Analyzer>>,
}

impl RemoteAnalyzer {
    /// A client of the workers the settings name, with their token; `Err` says why none can be
    /// made (a URL that does not parse, for instance).
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        let endpoints = settings
            .worker_urls
            .iter()
            .map(|url| Url::parse(url.trim()).map_err(|e| format!("the worker URL {url} is not valid ({e}); correct it in Settings")))
            .collect::<Result<Vec<_>, _>>()?;
        let token = Some(settings.token.trim()).filter(|t| !t.is_empty()).map(str::to_string);
        let config = ClientConfig {
            endpoints,
            token,
            retry: RetryPolicy { max_attempts: ATTEMPTS, ..RetryPolicy::default() },
            no_disasm: settings.limits.no_disasm,
            ..ClientConfig::default()
        };
        let client = FleetClient::new(config).map_err(|e| format!("{e}; check the worker URLs in Settings"))?;
        let local = match settings.fleet_fallback() {
            FleetFallback::Fail => None,
            FleetFallback::Local => Some(Box::new(Analyzer::local_from_settings(settings))),
        };
        Ok(Self { client, urls: settings.worker_urls.clone(), local })
    }

    /// The report of the file at `path`; never fails (failures are in the report's `errors`).
    pub fn analyze(&self, path: &Path) -> Report {
        let path_text = path.to_string_lossy();
        let outcome = match runtime() {
            Ok(runtime) => runtime.block_on(self.client.analyze(path)),
            Err(reason) => return failure(&path_text, "connected", reason),
        };
        match outcome {
            Ok(report) => report,
            Err(error) if error.is_unreachable() => match &self.local {
                Some(local) => {
                    let mut report = local.analyze(path);
                    mark_local_fallback(&mut report);
                    report
                }
                None => failure(
                    &path_text,
                    "connected",
                    format!(
                        "{error}. Check that the workers named in Settings are running and reachable from this machine, \
                         or set \"fleet_unreachable\": \"local\" in the settings file to analyse files here while the fleet is down"
                    ),
                ),
            },
            Err(error @ ClientError::Read { .. }) => failure(&path_text, "input", error.to_string()),
            Err(error @ ClientError::Rejected { status: 401 | 403, .. }) => {
                failure(&path_text, "connected", format!("{error}. Check the fleet token in Settings"))
            }
            Err(error) => failure(&path_text, "connected", error.to_string()),
        }
    }

    /// A short description for the Settings view.
    pub fn describe(&self) -> String {
        let policy = if self.local.is_some() { "analyse here" } else { "fail" };
        format!("connected: {} (when the fleet is unreachable: {policy})", self.urls.join(", "))
    }
}

/// The runtime every connected analysis runs on, started on first use and kept for the app's
/// life (a runtime cannot be dropped from the async command threads that replace analyzers).
fn runtime() -> Result<&'static tokio::runtime::Runtime, String> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("fleet-client")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| format!("cannot start the fleet client: {e}; restart the app"))
}
