//! The request limits, as tower layers (axum middleware): bearer auth, body size, admission
//! with load shedding, request timeout, and the metrics that observe them all.
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::error::Refused;
use crate::FleetError;

fn refuse(error: FleetError) -> Response {
    error.into_response()
}

/// 401 unless the request carries an accepted bearer token.
pub async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let authorization = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if !state.0.tokens.accepts_header(authorization) {
        return refuse(FleetError::Unauthorized);
    }
    next.run(request).await
}

/// 413 at once when the announced length is over the cap (the upload also stops at the cap
/// when no length is announced).
pub async fn body_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.config().max_size;
    let announced = request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit) {
        return refuse(FleetError::TooLarge { limit });
    }
    next.run(request).await
}

/// Admits at most `workers + queue` analyses; past that, sheds load with 503 + `Retry-After`
/// at once instead of queueing without bound. A draining worker admits nothing.
pub async fn admission(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.is_draining() {
        return refuse(FleetError::Draining);
    }
    let Ok(_permit) = state.0.admission.clone().try_acquire_owned() else {
        return refuse(FleetError::Overloaded { retry_after_secs: state.config().retry_after_secs });
    };
    let _in_flight = state.metrics().in_flight();
    next.run(request).await
}

/// 408 when the whole request (upload and analysis) takes longer than the request timeout.
pub async fn timeout(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.config().request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => refuse(FleetError::Timeout { secs: limit.as_secs() }),
    }
}

/// Counts every request by route template and status, its latency, and refusals by reason.
pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "other".into());
    let started = Instant::now();
    let response = next.run(request).await;
    let metrics = state.metrics();
    metrics.record_request(&route, response.status().as_u16(), started.elapsed());
    if let Some(Refused(kind)) = response.extensions().get::<Refused>() {
        match *kind {
            "internal" => metrics.record_error(kind),
            _ => metrics.record_rejection(kind),
        }
    }
    response
}
