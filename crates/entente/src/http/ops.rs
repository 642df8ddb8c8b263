//! Operations endpoints: `/healthz` for load balancers and `/metrics` for Prometheus.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tracing::Instrument;

use super::AppState;

/// Counters kept by the process.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: AtomicU64,
    server_errors: AtomicU64,
}

/// Observes every request once: counts it (and its 5xx answer) for `/metrics`; and, when
/// the access log is on (`ENTENTE_LOG=info,entente::access=debug`), runs it in a span with
/// its method, route and user id (every log line written meanwhile carries them), records
/// its status and latency, and logs it. One layer for all, since each layer costs every
/// request.
pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    state.metrics.requests.fetch_add(1, Ordering::Relaxed);
    let started = Instant::now();
    let route = request.extensions().get::<MatchedPath>().map_or("(unmatched)", MatchedPath::as_str);
    // At DEBUG, with the access log: a span costs every request a formatting of its fields
    // (5 % of the registry read's throughput), which the default configuration need not pay.
    let span = tracing::debug_span!(
        target: "entente::access",
        "request",
        method = %request.method(),
        route,
        user_id = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    if status.is_server_error() {
        state.metrics.server_errors.fetch_add(1, Ordering::Relaxed);
        span.in_scope(|| tracing::error!(status = status.as_u16(), "answered with a server error"));
    }
    // Recording costs a formatting of the span's fields: only done when someone listens.
    if tracing::enabled!(target: "entente::access", tracing::Level::DEBUG) {
        span.record("status", status.as_u16());
        span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
        span.in_scope(|| tracing::debug!(target: "entente::access", "answered"));
    }
    response
}

/// The operations routes' methods and paths.
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    vec![("GET", "/healthz"), ("GET", "/metrics")]
}

/// `/healthz` and `/metrics`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/metrics", get(metrics))
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.services.operations.health().await {
        Ok(backend) => axum::Json(serde_json::json!({ "status": "ok", "database": backend })).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({ "status": "unavailable" })))
                .into_response()
        }
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    let mut text = String::new();
    let requests = state.metrics.requests.load(Ordering::Relaxed);
    let errors = state.metrics.server_errors.load(Ordering::Relaxed);
    let revision = state.services.registry.revision().await.unwrap_or(-1);
    let _ = writeln!(text, "# HELP entente_http_requests_total HTTP requests received.");
    let _ = writeln!(text, "# TYPE entente_http_requests_total counter");
    let _ = writeln!(text, "entente_http_requests_total {requests}");
    let _ = writeln!(text, "# HELP entente_http_server_errors_total HTTP answers with a 5xx status.");
    let _ = writeln!(text, "# TYPE entente_http_server_errors_total counter");
    let _ = writeln!(text, "entente_http_server_errors_total {errors}");
    let _ = writeln!(text, "# HELP entente_registry_revision The registry's revision in the database.");
    let _ = writeln!(text, "# TYPE entente_registry_revision gauge");
    let _ = writeln!(text, "entente_registry_revision {revision}");
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}
