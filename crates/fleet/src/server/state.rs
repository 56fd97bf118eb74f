//! What every handler shares: configuration, tokens, the isolated analysers, metrics, and the
//! admission gate that bounds concurrent analyses.
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::auth::Tokens;
use crate::isolation::Isolation;
use crate::metrics::Metrics;

/// How a worker serves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Largest accepted body in bytes (larger: 413).
    pub max_size: u64,
    /// Analyses that run at once (one isolated child each).
    pub workers: usize,
    /// Requests admitted beyond `workers` that wait for a free child; past that: 503.
    pub queue: usize,
    /// Longest a whole request may take, upload included (past it: 408).
    pub request_timeout: Duration,
    /// `Retry-After` seconds sent with 503.
    pub retry_after_secs: u64,
    /// The worker's identity written into `provenance.worker` (e.g. `host:port`).
    pub worker_id: String,
    /// Where private sample directories are created (default: the system temp dir).
    pub temp_dir: Option<PathBuf>,
    /// Write one line per analysis to standard error: its SHA-256, size, status and time
    /// (never a file name or content).
    pub log_analyses: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            max_size: 256 << 20,
            workers: 1,
            queue: 1,
            request_timeout: Duration::from_secs(120),
            retry_after_secs: 1,
            worker_id: "fcas-worker".into(),
            temp_dir: None,
            log_analyses: false,
        }
    }
}

/// Versions the worker announces at `/v1/version` (the fleet client reads them back).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Versions {
    /// Engine version of the analysis child.
    pub engine_version: String,
    /// Report layout version.
    pub schema_version: u32,
    /// The worker's identity.
    pub worker: String,
    /// Each loaded model and its version.
    pub models: Vec<ModelVersion>,
    /// The id of the YARA rule set the children run (empty: none, or an older worker).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub rules: String,
}

impl Versions {
    /// The models version reports of this worker carry (see `fcas_report::models_version_of`),
    /// the rule set included as a `rules=<id>` pair.
    pub fn models_version(&self) -> String {
        let rules = Some(self.rules.as_str()).filter(|id| !id.is_empty()).map(|id| (fcas_report::RULES_VERSION_KEY, id));
        fcas_report::models_version_of(self.models.iter().map(|m| (m.model.as_str(), m.version.as_str())).chain(rules))
    }
}

/// One loaded model.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ModelVersion {
    /// Model id.
    pub model: String,
    /// Model version.
    pub version: String,
}

/// State shared by every request (cheap to clone).
#[derive(Clone)]
pub struct AppState(pub(crate) Arc<Inner>);

pub(crate) struct Inner {
    pub config: ServerConfig,
    pub tokens: Tokens,
    pub isolation: Isolation,
    pub metrics: Metrics,
    pub admission: Arc<Semaphore>,
    pub ready: AtomicBool,
    pub draining: AtomicBool,
    pub versions: Mutex<Versions>,
    /// Private (0700) directory holding the samples being analysed; removed on drop.
    pub samples: tempfile::TempDir,
}

impl AppState {
    /// New state. Not ready until [`AppState::mark_ready`] (the server does it after warming
    /// the children up).
    pub fn new(config: ServerConfig, tokens: Tokens, isolation: Isolation) -> std::io::Result<Self> {
        let mut builder = tempfile::Builder::new();
        builder.prefix("fcas-samples-");
        let samples = match &config.temp_dir {
            Some(dir) => builder.tempdir_in(dir)?,
            None => builder.tempdir()?,
        };
        let admitted = config.workers.max(1).saturating_add(config.queue);
        let versions = Versions { schema_version: fcas_report::SCHEMA_VERSION, worker: config.worker_id.clone(), ..Versions::default() };
        Ok(Self(Arc::new(Inner {
            config,
            tokens,
            isolation,
            metrics: Metrics::default(),
            admission: Arc::new(Semaphore::new(admitted)),
            ready: AtomicBool::new(false),
            draining: AtomicBool::new(false),
            versions: Mutex::new(versions),
            samples,
        })))
    }

    /// The configuration.
    pub fn config(&self) -> &ServerConfig {
        &self.0.config
    }

    /// The metrics registry.
    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// Marks the worker ready (children started, models loaded) with the versions they report.
    pub fn mark_ready(&self, engine_version: String, models: Vec<ModelVersion>) {
        {
            let mut versions = self.0.versions.lock().unwrap_or_else(|p| p.into_inner());
            versions.engine_version = engine_version;
            versions.models = models;
        }
        self.0.ready.store(true, Ordering::SeqCst);
    }

    /// Records the rule set the children run (announced at `/v1/version`).
    pub fn set_rule_set(&self, id: String) {
        self.0.versions.lock().unwrap_or_else(|p| p.into_inner()).rules = id;
    }

    /// Stops admitting analyses (readiness turns 503 so load balancers move away); admitted
    /// ones finish.
    pub fn start_draining(&self) {
        self.0.draining.store(true, Ordering::SeqCst);
    }

    /// Whether the worker takes new analyses.
    pub fn is_ready(&self) -> bool {
        self.0.ready.load(Ordering::SeqCst) && !self.is_draining()
    }

    /// Whether the worker is shutting down.
    pub fn is_draining(&self) -> bool {
        self.0.draining.load(Ordering::SeqCst)
    }

    /// The private directory samples are written to.
    pub fn samples_dir(&self) -> &Path {
        self.0.samples.path()
    }

    pub(crate) fn versions(&self) -> Versions {
        self.0.versions.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}
