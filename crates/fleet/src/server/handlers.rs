//! Route handlers: a few lines each; the work lives in `upload`, `isolation` and the layers.
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use fcas_isolate::Request;
use fcas_report::AnalysisOptions;

use super::{upload, AppState};
use crate::{FleetError, FILENAME_HEADER, PASSWORDS_HEADER, SHA256_HEADER, WORKER_HEADER};

/// `POST /v1/analyze`: the report of the uploaded file.
pub async fn analyze(
    State(state): State<AppState>,
    Query(options): Query<AnalysisOptions>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, FleetError> {
    let expected = header_text(&headers, SHA256_HEADER).map(|s| s.to_ascii_lowercase());
    let upload = upload::receive(body, state.samples_dir(), state.config().max_size).await?;
    if expected.as_ref().is_some_and(|sha| *sha != upload.sha256) {
        return Err(FleetError::BadRequest(format!("the body's SHA-256 is {}, not the announced one", upload.sha256)));
    }
    let name = header_text(&headers, FILENAME_HEADER).map(|n| crate::decode_name(&n)).unwrap_or_else(|| upload.sha256.clone());
    let request = Request {
        path: upload.file.path().to_string_lossy().into_owned(),
        // The upload was capped at the worker's limit; a smaller one asked for still applies.
        options: AnalysisOptions { max_size: options.max_size_or(state.config().max_size).min(state.config().max_size), ..options },
        // Reported under the analyst's name (not the temporary path), marked with this worker.
        report_path: Some(name),
        worker: Some(state.config().worker_id.clone()),
        passwords: header_text(&headers, PASSWORDS_HEADER).map(|value| crate::decode_passwords(&value)).unwrap_or_default(),
        ..Request::default()
    };
    let started = std::time::Instant::now();
    // The child's JSON goes out as it came: the worker never parses the report.
    let outcome = state.0.isolation.analyze_json(request).await;
    let (sha256, size) = (upload.sha256.clone(), upload.size);
    drop(upload); // the sample is deleted as soon as it is analysed
    let failed = outcome.is_err();
    if failed {
        state.metrics().record_error("analysis");
    }
    if state.config().log_analyses {
        // Only the hash: file names and contents stay out of the logs.
        eprintln!("analysed sha256={sha256} size={size} ms={:.1} child_failed={failed}", started.elapsed().as_secs_f64() * 1e3);
    }
    let mut response = match outcome {
        Ok(json) => ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], json).into_response(),
        Err(report) => Json(*report).into_response(),
    };
    if let Ok(worker) = HeaderValue::from_str(&state.config().worker_id) {
        response.headers_mut().insert(WORKER_HEADER, worker);
    }
    Ok(response)
}

/// `GET /v1/health`: the process answers.
pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "alive" }))
}

/// `GET /v1/ready`: 200 once the analysis children run with their models, 503 while starting or
/// draining (load balancers then send work elsewhere).
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let status = if state.is_draining() {
        "draining"
    } else if state.is_ready() {
        "ready"
    } else {
        "starting"
    };
    let code = if status == "ready" { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (code, Json(serde_json::json!({ "status": status })))
}

/// `GET /v1/version`: engine, schema and model versions.
pub async fn version(State(state): State<AppState>) -> Json<super::Versions> {
    Json(state.versions())
}

/// `GET /metrics`: Prometheus text.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], state.metrics().render())
}

/// `GET /v1/openapi.json`.
pub async fn openapi() -> Json<serde_json::Value> {
    Json(crate::openapi::document())
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}
