//! Connected mode: files go to the worker fleet through the fleet client. When the fleet cannot
//! be reached, the fallback policy either fails the file (stage `fleet`, saying what to check)
//! or analyses it with the fallback analyser, marked `local` with the reason.
use std::sync::{Mutex, Once, OnceLock};

use fcas_engine::OpenedFile;
use fcas_fleet::client::{ClientConfig, ClientError, FleetClient, RetryPolicy, Url};
use fcas_report::{stage, AnalysisOptions, Origin, Report, Submission};
use serde::{Deserialize, Serialize};

use crate::analyser::{Analyser, Versions};

/// What connected mode does with a file when no worker can be reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FleetFallback {
    /// The file fails with a message saying what to check.
    #[default]
    Fail,
    /// The file is analysed on this machine instead (marked `local`, with the reason).
    Local,
}

/// How to reach the fleet.
#[derive(Debug, Clone)]
pub struct RemoteConfig {
    /// A load balancer URL or the workers' URLs.
    pub urls: Vec<Url>,
    /// Bearer token.
    pub token: Option<String>,
    /// Extra CA certificate (PEM) for https workers.
    pub ca_cert: Option<std::path::PathBuf>,
    /// Attempts per file before the fleet counts as unreachable.
    pub attempts: u32,
    /// What to do when it is.
    pub fallback: FleetFallback,
    /// Passwords for encrypted containers, after the default list (sent to the workers in a
    /// header).
    pub passwords: Vec<String>,
    /// Words appended to a fleet failure, saying where to fix it (`--remote`, Settings, ...).
    pub advice: String,
}

/// The fleet client, and what analyses a file when the fleet is unreachable.
pub struct Remote {
    client: FleetClient,
    urls: Vec<String>,
    fallback: Option<Analyser>,
    advice: String,
    versions: Mutex<Option<Versions>>,
    health_checked: Once,
}

impl Remote {
    /// A client of the fleet; `fallback` analyses files when the fleet is unreachable and the
    /// policy is `local`. `Err` says why no client can be made.
    pub fn new(config: RemoteConfig, options: &AnalysisOptions, fallback: Analyser) -> Result<Self, String> {
        let client_config = ClientConfig {
            endpoints: config.urls.clone(),
            token: config.token,
            ca_cert: config.ca_cert,
            options: *options,
            passwords: config.passwords,
            retry: RetryPolicy { max_attempts: config.attempts.max(1), ..RetryPolicy::default() },
            ..ClientConfig::default()
        };
        let client = FleetClient::new(client_config).map_err(|e| e.to_string())?;
        let fallback = (config.fallback == FleetFallback::Local).then_some(fallback);
        let urls = config.urls.iter().map(Url::to_string).collect();
        Ok(Self { client, urls, fallback, advice: config.advice, versions: Mutex::new(None), health_checked: Once::new() })
    }

    /// The reports of one opened file and everything the worker found inside it; failures are
    /// in the root report (stage `fleet`). The workers try their own password list (the
    /// default one) and the configuration's `passwords`; `passwords` here reach the local
    /// fallback.
    pub fn analyze(
        &self,
        opened: OpenedFile,
        name: &str,
        sha256: Option<&str>,
        options: &AnalysisOptions,
        passwords: &[String],
    ) -> Submission {
        let runtime = match runtime() {
            Ok(runtime) => runtime,
            Err(reason) => return Submission::single(Report::failed(name, stage::FLEET, reason)),
        };
        let sha256 = match sha256.map(str::to_string).map(Ok).unwrap_or_else(|| opened.sha256()) {
            Ok(sha256) => sha256,
            Err(error) => return Submission::single(fcas_engine::input_failure(name, &error)),
        };
        // Endpoints that are not ready are avoided from the first file on; asked when first
        // needed, not when the analyser is made (the app makes one at start-up).
        self.health_checked.call_once(|| {
            runtime.block_on(self.client.check_health());
        });
        let failed = match runtime.block_on(self.client.analyze_opened(&opened, name, &sha256)) {
            Ok(report) => return Submission::from_wire(report),
            Err(error) if error.is_unreachable() => match &self.fallback {
                Some(local) => {
                    let mut submission = local.analyze(opened, name, Some(&sha256), options, passwords);
                    if submission.root.fatal_error().is_none() {
                        submission.set_origin(&Origin::LocalFallback { reason: error.to_string() });
                    }
                    return submission;
                }
                None => Report::failed(name, stage::FLEET, format!("{error}. {}", self.advice)),
            },
            Err(ClientError::Read { source, .. }) => Report::failed(name, stage::INPUT, format!("cannot read the file: {source}")),
            Err(ClientError::Input { reason, .. }) => Report::failed(name, stage::INPUT, reason),
            Err(error @ ClientError::Rejected { status: 401 | 403, .. }) => {
                Report::failed(name, stage::FLEET, format!("{error}. Check the fleet token"))
            }
            Err(error) => Report::failed(name, stage::FLEET, error.to_string()),
        };
        Submission::single(failed)
    }

    /// The versions the fleet analyses with: asked until a worker says, then kept (`None`
    /// while no worker answers, so nothing is reused then).
    pub fn versions(&self) -> Option<Versions> {
        let mut known = self.versions.lock().unwrap_or_else(|p| p.into_inner());
        if known.is_none() {
            *known = runtime().ok()?.block_on(self.client.versions()).map(|(engine, models)| Versions { engine, models });
        }
        known.clone()
    }

    /// A short description for a person.
    pub fn describe(&self) -> String {
        let policy = if self.fallback.is_some() { "analyse here" } else { "fail" };
        format!("connected: {} (when the fleet is unreachable: {policy})", self.urls.join(", "))
    }
}

/// The runtime every connected analysis runs on, started on first use and kept for the
/// process's life: analysers are replaced from async contexts (the app's commands), where
/// dropping a runtime is not allowed.
fn runtime() -> Result<&'static tokio::runtime::Runtime, String> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("fleet-client")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| format!("cannot start the fleet client: {e}"))
}
