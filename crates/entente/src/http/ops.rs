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

/// What the process counts for `/metrics`.
#[derive(Debug)]
pub struct Metrics {
    requests: super::metrics::RequestMetrics,
    server_errors: AtomicU64,
    started: std::time::SystemTime,
}

impl Default for Metrics {
    fn default() -> Self {
        Self {
            requests: super::metrics::RequestMetrics::default(),
            server_errors: AtomicU64::new(0),
            started: std::time::SystemTime::now(),
        }
    }
}

/// Observes every request once: counts it (and its 5xx answer) for `/metrics`; and, when
/// the access log is on (`ENTENTE_LOG=info,entente::access=debug`), runs it in a span with
/// its method, route and user id (every log line written meanwhile carries them), records
/// its status and latency, and logs it. One layer for all, since each layer costs every
/// request.
pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // The request-level conventions and caching run here too, not as layers of their own:
    // each layer costs every request a boxed clone of what it wraps.
    let api = request.uri().path().starts_with("/api/");
    let request = match super::hygiene::admit(request).await {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let registry_read = super::caching::applies(&request);
    let revision = if registry_read {
        let if_none_match = request.headers().get(axum::http::header::IF_NONE_MATCH).cloned();
        match super::caching::before(&state, if_none_match) {
            super::caching::Before::Read(revision) => revision,
            super::caching::Before::NotModified(etag) => return super::caching::not_modified(etag),
        }
    } else {
        None
    };
    let method = request.method().clone();
    // The access log's fields, taken only when it is on.
    // (No string is made here: the fields are formatted once, by the log line itself.)
    let logged = tracing::enabled!(target: "entente::access", tracing::Level::INFO).then(|| {
        let client =
            super::client::Client::address_of(request.extensions(), request.headers(), &state.options.trusted_proxies);
        (request.uri().clone(), super::client::AddressText::of(client))
    });
    let route = request.extensions().get::<MatchedPath>().map_or("(unmatched)", MatchedPath::as_str).to_owned();
    // At DEBUG, with the access log: a span costs every request a formatting of its fields
    // (5 % of the registry read's throughput), which the default configuration need not pay.
    let span = tracing::debug_span!(
        target: "entente::access",
        "request",
        method = %request.method(),
        route = %route,
        user_id = tracing::field::Empty,
        status = tracing::field::Empty,
        latency_ms = tracing::field::Empty,
    );
    let response = next.run(request).instrument(span.clone()).await;
    let response = super::hygiene::finish(api, response);
    let response = if registry_read {
        super::caching::after_registry_read(&state, revision, response)
    } else {
        super::caching::after_other(response)
    };
    let status = response.status();
    state.metrics.requests.record(&route, &method, status.as_u16(), started.elapsed());
    if status.is_server_error() {
        state.metrics.server_errors.fetch_add(1, Ordering::Relaxed);
        span.in_scope(|| tracing::error!(status = status.as_u16(), "answered with a server error"));
    }
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    // Recording costs a formatting of the span's fields: only done when someone listens.
    if tracing::enabled!(target: "entente::access", tracing::Level::DEBUG) {
        span.record("status", status.as_u16());
        span.record("latency_ms", latency_ms);
        span.in_scope(|| tracing::debug!(target: "entente::access", "answered"));
    } else if let Some((uri, client)) = logged {
        // The access log: one line per request, at INFO, so on by default. Latency in whole
        // microseconds: an integer formats in a fraction of a float's cost.
        let latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        // Strings and integers only: each is written as it is, without formatting machinery.
        tracing::info!(target: "entente::access", method = method.as_str(), path = uri.path(),
            route = route.as_str(), status = status.as_u16(), latency_us, client = client.as_str(), "request");
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
    match state.services.health.health().await {
        Ok(backend) => axum::Json(serde_json::json!({ "status": "ok", "database": backend })).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({ "status": "unavailable" })))
                .into_response()
        }
    }
}

/// Who may read `/metrics`: the loopback addresses always; others when listed in
/// `metrics.allow` (addresses or CIDR blocks) or when they send `metrics.token` as a
/// bearer token.
fn may_read_metrics(state: &AppState, client: super::client::Client, headers: &axum::http::HeaderMap) -> bool {
    let access = &state.options.metrics;
    // A request that came through no socket (the application called in-process) is local;
    // behind a reverse proxy, the client it names counts, if the proxy is trusted.
    if client.is_local() {
        return true;
    }
    if !client.unverified_forwarding
        && let Some(address) = client.address
        && access.allow.iter().any(|block| block.contains(address))
    {
        return true;
    }
    let bearer = headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    match (&access.token, bearer.and_then(|b| b.strip_prefix("Bearer "))) {
        (Some(expected), Some(given)) => crate::service::secrets::same_secret(given, expected),
        _ => false,
    }
}

async fn metrics(State(state): State<AppState>, request: Request) -> Response {
    let client = super::client::Client::of(request.extensions(), request.headers(), &state.options.trusted_proxies);
    if !may_read_metrics(&state, client, request.headers()) {
        return (StatusCode::FORBIDDEN, "metrics are readable from the loopback addresses, or as configured\n")
            .into_response();
    }
    let mut text = String::new();
    let gauge = |text: &mut String, name: &str, kind: &str, help: &str, value: String| {
        let _ = writeln!(text, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
    };
    state.metrics.requests.render(&mut text);
    let errors = state.metrics.server_errors.load(Ordering::Relaxed);
    gauge(
        &mut text,
        "entente_http_server_errors_total",
        "counter",
        "HTTP answers with a 5xx status.",
        errors.to_string(),
    );
    let backend = state.services.db.backend();
    let _ = writeln!(
        text,
        "# HELP entente_build_info The running build.\n# TYPE entente_build_info gauge\n\
         entente_build_info{{version=\"{}\",backend=\"{backend}\"}} 1",
        env!("CARGO_PKG_VERSION")
    );
    let revision = state.services.registry.revision().await.unwrap_or(-1);
    gauge(
        &mut text,
        "entente_registry_revision",
        "gauge",
        "The registry's revision in the database.",
        revision.to_string(),
    );
    if let Some((loaded, checked)) = state.services.registry.snapshot_age() {
        let help = "Seconds since the served registry snapshot was read from the database.";
        gauge(&mut text, "entente_registry_snapshot_age_seconds", "gauge", help, loaded.as_secs_f64().to_string());
        let help = "Seconds since the served snapshot was last found current.";
        gauge(&mut text, "entente_registry_snapshot_checked_seconds", "gauge", help, checked.as_secs_f64().to_string());
    }
    let pool = state.services.db.pool_stats();
    gauge(&mut text, "entente_db_pool_connections", "gauge", "Database connections open.", pool.open.to_string());
    gauge(&mut text, "entente_db_pool_idle_connections", "gauge", "Database connections idle.", pool.idle.to_string());
    gauge(
        &mut text,
        "entente_db_pool_max_connections",
        "gauge",
        "The most connections the pool opens.",
        pool.max.to_string(),
    );
    let (hashing, _) = state.services.passwords.in_flight();
    gauge(
        &mut text,
        "entente_password_hashes_in_flight",
        "gauge",
        "Password hashes being computed.",
        hashing.to_string(),
    );
    let connections = &state.options.connections;
    let open = connections.open.load(Ordering::Relaxed);
    let refused = connections.refused.load(Ordering::Relaxed);
    gauge(&mut text, "entente_connections_open", "gauge", "HTTP connections open.", open.to_string());
    let help = "Connections closed at once because the most allowed were open.";
    gauge(&mut text, "entente_connections_refused_total", "counter", help, refused.to_string());
    super::metrics::render_process(&mut text, state.metrics.started);
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
}
