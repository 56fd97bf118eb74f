//! What a worker answers when it cannot produce a report, as an HTTP status and a JSON body.
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A request the worker refuses or cannot serve. Analysis failures are not errors: they are
/// reports whose `errors` say what happened.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    /// No bearer token, or not one of the configured tokens (401).
    #[error("a valid bearer token is required")]
    Unauthorized,
    /// The body is larger than the worker's size cap (413).
    #[error("the sample is larger than this worker accepts ({limit} bytes)")]
    TooLarge {
        /// The cap in bytes.
        limit: u64,
    },
    /// Every analysis slot and queue place is taken (503 with `Retry-After`).
    #[error("the worker is busy; retry after {retry_after_secs} s")]
    Overloaded {
        /// Seconds the client should wait.
        retry_after_secs: u64,
    },
    /// The worker is shutting down and takes no new work (503 with `Retry-After`).
    #[error("the worker is shutting down")]
    Draining,
    /// The request took longer than the worker's request timeout (408).
    #[error("the request took longer than {secs} s")]
    Timeout {
        /// The timeout in seconds.
        secs: u64,
    },
    /// The request is malformed, e.g. a body whose SHA-256 differs from the one announced (400).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The worker itself failed (reading the upload, the temporary directory...) (500).
    #[error("internal error: {0}")]
    Internal(String),
}

impl FleetError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Overloaded { .. } | Self::Draining => StatusCode::SERVICE_UNAVAILABLE,
            Self::Timeout { .. } => StatusCode::REQUEST_TIMEOUT,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A short machine-readable name, also the `reason` label of the rejection metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::TooLarge { .. } => "too_large",
            Self::Overloaded { .. } => "overloaded",
            Self::Draining => "draining",
            Self::Timeout { .. } => "timeout",
            Self::BadRequest(_) => "bad_request",
            Self::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for FleetError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.kind(), "message": self.to_string() });
        let mut response = (self.status(), axum::Json(body)).into_response();
        response.extensions_mut().insert(Refused(self.kind()));
        let headers = response.headers_mut();
        match &self {
            Self::Overloaded { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
            }
            Self::Draining => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(1u64));
                headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Self::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

/// The kind of error a response carries, for the metrics layer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Refused(pub &'static str);
