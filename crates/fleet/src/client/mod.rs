//! The fleet client: sends files to one or more endpoints (a load balancer URL or a list of
//! workers), prefers healthy endpoints, retries what another attempt can cure (connection
//! errors, timeouts, 502/503/504, honouring `Retry-After`) and never a 4xx, bounds the
//! concurrency of batches, and analyses each distinct content (SHA-256) once.
mod batch;
mod endpoints;
mod retry;

use std::path::{Path, PathBuf};
use std::time::Duration;

use fcas_engine::OpenedFile;
use fcas_report::{AnalysisOptions, Report};
use reqwest::header::{AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use reqwest::StatusCode;

pub use endpoints::Endpoints;
pub use reqwest::Url;
pub use retry::{parse_retry_after, retryable_status, RetryPolicy};

use crate::{encode_name, encode_passwords, FILENAME_HEADER, PASSWORDS_HEADER, SHA256_HEADER};

/// How the client talks to the fleet.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URLs (`http://lb:8080` or `https://w1:8443`, ...).
    pub endpoints: Vec<Url>,
    /// Bearer token.
    pub token: Option<String>,
    /// Retries.
    pub retry: RetryPolicy,
    /// Longest one attempt may take (upload, analysis and answer).
    pub request_timeout: Duration,
    /// Longest a connection may take to establish.
    pub connect_timeout: Duration,
    /// Files in flight at once in a batch.
    pub concurrency: usize,
    /// Extra CA certificate (PEM) to trust, for workers with a private certificate.
    pub ca_cert: Option<PathBuf>,
    /// What workers are asked to analyse (sent as the query of every upload).
    pub options: AnalysisOptions,
    /// Passwords for encrypted containers, tried by the workers after their own list (sent in
    /// a header, never in the query).
    pub passwords: Vec<String>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            endpoints: Vec::new(),
            token: None,
            retry: RetryPolicy::default(),
            request_timeout: Duration::from_secs(300),
            connect_timeout: Duration::from_secs(5),
            concurrency: 8,
            ca_cert: None,
            options: AnalysisOptions::default(),
            passwords: Vec::new(),
        }
    }
}

/// Why a file has no remote report.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The configuration is unusable (no endpoint, bad CA file...).
    #[error("fleet client configuration: {0}")]
    Config(String),
    /// The local file is not one that can be analysed (not a regular file, over the size
    /// limit, missing, ...): nothing was sent.
    #[error("{path}: {reason}")]
    Input {
        /// The file.
        path: String,
        /// Why, with what to do.
        reason: String,
    },
    /// The local file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// No endpoint answered usefully within the retry budget (connection errors, timeouts,
    /// 502/503/504). Connected mode may fall back to local analysis on this error only.
    #[error("the fleet is unreachable after {attempts} attempts: {last}")]
    Unreachable {
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// A worker refused the request for good (4xx or 500); retrying would not help.
    #[error("the worker refused the file ({status}): {message}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// The worker's explanation.
        message: String,
    },
    /// The worker answered 200 with something that is not a report.
    #[error("the worker's answer is not a report: {0}")]
    Protocol(String),
}

impl ClientError {
    /// An equal error (I/O errors are not `Clone`: their kind and text are kept).
    pub fn duplicate(&self) -> Self {
        match self {
            Self::Config(text) => Self::Config(text.clone()),
            Self::Input { path, reason } => Self::Input { path: path.clone(), reason: reason.clone() },
            Self::Read { path, source } => {
                Self::Read { path: path.clone(), source: std::io::Error::new(source.kind(), source.to_string()) }
            }
            Self::Unreachable { attempts, last } => Self::Unreachable { attempts: *attempts, last: last.clone() },
            Self::Rejected { status, message } => Self::Rejected { status: *status, message: message.clone() },
            Self::Protocol(text) => Self::Protocol(text.clone()),
        }
    }

    /// Whether the fleet could not be reached (the case where local fallback applies).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Unreachable { .. })
    }
}

/// One attempt's outcome.
enum Attempt {
    Done(Box<Report>),
    Retry { reason: String, retry_after: Option<Duration>, endpoint_down: bool },
    Fail(ClientError),
}

/// A client of the worker fleet (cheap to share behind an `Arc`).
pub struct FleetClient {
    http: reqwest::Client,
    endpoints: Endpoints,
    config: ClientConfig,
}

impl FleetClient {
    /// A client for `config.endpoints`.
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        crate::server::install_crypto_provider();
        let endpoints =
            Endpoints::new(config.endpoints.clone()).ok_or_else(|| ClientError::Config("at least one fleet URL is required".into()))?;
        let mut builder =
            reqwest::Client::builder().connect_timeout(config.connect_timeout).timeout(config.request_timeout).no_proxy().tcp_nodelay(true);
        if let Some(path) = &config.ca_cert {
            let pem =
                std::fs::read(path).map_err(|e| ClientError::Config(format!("cannot read the CA certificate {}: {e}", path.display())))?;
            let certificate = reqwest::Certificate::from_pem(&pem)
                .map_err(|e| ClientError::Config(format!("bad CA certificate {}: {e}", path.display())))?;
            builder = builder.tls_certs_merge([certificate]);
        }
        let http = builder.build().map_err(|e| ClientError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self { http, endpoints, config })
    }

    /// The endpoints and their health.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// Asks every endpoint's `/v1/ready`; those not ready are avoided for a while. Returns how
    /// many are ready.
    pub async fn check_health(&self) -> usize {
        let mut ready = 0;
        for index in 0..self.endpoints.len() {
            let url = join(self.endpoints.url(index), "v1/ready");
            match self.http.get(url).timeout(self.config.connect_timeout).send().await {
                Ok(response) if response.status().is_success() => {
                    self.endpoints.mark_success(index);
                    ready += 1;
                }
                _ => self.endpoints.mark_failure(index),
            }
        }
        ready
    }

    /// The engine version and models version (see `fcas_report::models_version_of`) the fleet
    /// analyses with, from the first endpoint that answers `/v1/version` with a ready worker's
    /// versions; `None` when none does.
    pub async fn versions(&self) -> Option<(String, String)> {
        for index in 0..self.endpoints.len() {
            let url = join(self.endpoints.url(index), "v1/version");
            let Ok(response) = self.http.get(url).timeout(self.config.connect_timeout).send().await else { continue };
            let Ok(body) = response.bytes().await else { continue };
            let Ok(versions) = serde_json::from_slice::<crate::server::Versions>(&body) else { continue };
            if versions.engine_version.is_empty() {
                continue; // a worker still starting does not know its children's versions yet
            }
            let models = versions.models_version();
            return Some((versions.engine_version, models));
        }
        None
    }

    /// The report of the file at `path`, named `path` as given. The file is opened as every
    /// sample is ([`OpenedFile::open`]: regular files only, never blocking, size cap first).
    pub async fn analyze(&self, path: &Path) -> Result<Report, ClientError> {
        let (opened, sha256) = open_and_hash(path, self.max_size()).await?;
        self.analyze_opened(&opened, &path.to_string_lossy(), &sha256).await
    }

    /// Files larger than this are not uploaded (the options' `max_size`, else the engine's).
    pub fn max_size(&self) -> u64 {
        self.config.options.max_size_or(fcas_engine::Limits::default().max_file_size)
    }

    /// The report of an opened file whose SHA-256 is known, named `name`, with retries (each
    /// attempt uploads the file from its start).
    pub async fn analyze_opened(&self, opened: &OpenedFile, name: &str, sha256: &str) -> Result<Report, ClientError> {
        let policy = self.config.retry;
        let mut last = String::new();
        let attempts = policy.max_attempts.max(1);
        for attempt in 1..=attempts {
            let endpoint = self.endpoints.pick();
            match self.attempt(endpoint, opened, name, sha256).await? {
                Attempt::Done(report) => {
                    self.endpoints.mark_success(endpoint);
                    return Ok(*report);
                }
                Attempt::Fail(error) => return Err(error),
                Attempt::Retry { reason, retry_after, endpoint_down } => {
                    if endpoint_down {
                        self.endpoints.mark_failure(endpoint);
                    }
                    last = format!("{}: {reason}", self.endpoints.url(endpoint));
                    if attempt < attempts {
                        tokio::time::sleep(policy.delay(attempt, retry_after)).await;
                    }
                }
            }
        }
        Err(ClientError::Unreachable { attempts, last })
    }

    /// Many files, at most `concurrency` at once, each distinct content analysed once; results
    /// in input order. `on_result` sees each result as it becomes known.
    pub async fn analyze_batch(
        &self,
        paths: &[PathBuf],
        on_result: impl FnMut(usize, &Result<Report, ClientError>),
    ) -> Vec<Result<Report, ClientError>> {
        batch::run(self, paths, self.config.concurrency.max(1), on_result).await
    }

    async fn attempt(&self, endpoint: usize, opened: &OpenedFile, name: &str, sha256: &str) -> Result<Attempt, ClientError> {
        let file = tokio::fs::File::from_std(opened.reopen().map_err(|source| read_error(name, source))?);
        // Only the bytes there were when the file was opened and hashed are sent.
        let size = opened.size();
        let body = reqwest::Body::wrap_stream(upload_chunks(tokio::io::AsyncReadExt::take(file, size)));
        let mut url = join(self.endpoints.url(endpoint), "v1/analyze");
        let query = self.config.options.to_query();
        url.set_query(Some(&query).filter(|q| !q.is_empty()).map(String::as_str));
        let mut request = self
            .http
            .post(url)
            .header(CONTENT_TYPE, "application/octet-stream")
            .header(CONTENT_LENGTH, size)
            .header(FILENAME_HEADER, encode_name(name))
            .header(SHA256_HEADER, sha256)
            .body(body);
        if let Some(token) = &self.config.token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if !self.config.passwords.is_empty() {
            request = request.header(PASSWORDS_HEADER, encode_passwords(&self.config.passwords));
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(error) => return Ok(Attempt::Retry { reason: describe(&error), retry_after: None, endpoint_down: true }),
        };
        let status = response.status();
        if status == StatusCode::OK {
            return Ok(match response.bytes().await {
                Ok(body) => match serde_json::from_slice::<Report>(&body) {
                    Ok(report) => Attempt::Done(Box::new(report)),
                    Err(error) => Attempt::Fail(ClientError::Protocol(error.to_string())),
                },
                Err(error) => Attempt::Retry { reason: describe(&error), retry_after: None, endpoint_down: true },
            });
        }
        let retry_after = parse_retry_after(response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()));
        let message = error_message(response).await;
        if retryable_status(status) {
            // 503 means busy or draining (alive); 502/504 mean the endpoint cannot serve now.
            let endpoint_down = status != StatusCode::SERVICE_UNAVAILABLE;
            return Ok(Attempt::Retry { reason: format!("{status}: {message}"), retry_after, endpoint_down });
        }
        Ok(Attempt::Fail(ClientError::Rejected { status: status.as_u16(), message }))
    }
}

/// Opens `path` as every sample is opened and hashes it, off the async runtime.
pub async fn open_and_hash(path: &Path, max_size: u64) -> Result<(OpenedFile, String), ClientError> {
    let owned = path.to_path_buf();
    let name = path.to_string_lossy().into_owned();
    let opened = tokio::task::spawn_blocking(move || {
        let opened = OpenedFile::open(&owned, max_size)?;
        let sha256 = opened.sha256()?;
        Ok::<_, fcas_engine::InputError>((opened, sha256))
    })
    .await
    .map_err(|e| read_error(&name, std::io::Error::other(e.to_string())))?;
    opened.map_err(|error| ClientError::Input { path: name, reason: error.to_string() })
}

fn read_error(name: &str, source: std::io::Error) -> ClientError {
    ClientError::Read { path: name.to_string(), source }
}

/// A file's bytes as a stream of chunks for an upload body.
fn upload_chunks(
    reader: impl tokio::io::AsyncRead + Send + Unpin + 'static,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> {
    futures_util::stream::unfold(Some(reader), |state| async move {
        use tokio::io::AsyncReadExt;
        let mut reader = state?;
        let mut chunk = vec![0u8; 1 << 16];
        match reader.read(&mut chunk).await {
            Ok(0) => None,
            Ok(n) => {
                chunk.truncate(n);
                Some((Ok(bytes::Bytes::from(chunk)), Some(reader)))
            }
            Err(error) => Some((Err(error), None)),
        }
    })
}

fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/');
    url.set_path(&format!("{prefix}/{path}"));
    url
}

fn describe(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "connection failed"
    } else {
        "transport error"
    };
    let mut text = format!("{kind}: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

async fn error_message(response: reqwest::Response) -> String {
    let body = response.bytes().await.unwrap_or_default();
    let body = body.get(..4096).unwrap_or(&body);
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => value.get("message").and_then(|m| m.as_str()).map(str::to_string).unwrap_or_else(|| value.to_string()),
        Err(_) => String::from_utf8_lossy(body).trim().chars().take(300).collect(),
    }
}
