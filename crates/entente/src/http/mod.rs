//! The HTTP server: the JSON API, the web pages, health and metrics, behind one router.

pub mod api;
mod caching;
pub mod caller;
pub mod client;
mod compress;
pub mod error;
mod hygiene;
pub mod i18n;
pub mod metrics;
mod openapi;
mod ops;
pub mod query;
pub mod seat_words;
pub mod server;
mod upload;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::openapi::OpenApi;

use crate::service::Services;

/// What every handler can reach: one shared value, so that handing it to each layer and
/// handler of a request costs one reference count, not one per part.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

/// The parts of [`AppState`].
#[derive(Debug)]
pub struct Shared {
    /// The use cases.
    pub services: Arc<Services>,
    /// Request counters for `/metrics`.
    pub metrics: ops::Metrics,
    /// The registry reads' ETag, kept.
    pub etags: caching::Etags,
    /// Memoised API answers.
    pub memo: api::Memos,
    /// How this server was started.
    pub options: Options,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// Today, by the application's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.services.db.clock().today()
    }
}

/// Server options that pages and handlers need.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
    /// Show the demo banner on every page.
    pub demo: bool,
    /// The one-time setup token, while no account exists.
    pub setup_token: Option<String>,
    /// Who may read `/metrics` besides the loopback addresses.
    pub metrics: crate::config::MetricsAccess,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<crate::config::AddressBlock>,
    /// The server's connection counts, shown in `/metrics`.
    pub connections: Arc<server::ConnectionStats>,
}

/// Request bodies above this (or the upload limit, if larger) are refused before they are read.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole application's router.
pub fn router_with(services: Arc<Services>, options: Options) -> Router {
    let body_limit = MAX_BODY_BYTES.max(services.documents.max_upload_bytes() + 64 * 1024);
    let state = AppState(Arc::new(Shared {
        services,
        metrics: ops::Metrics::default(),
        memo: api::Memos::default(),
        etags: caching::Etags::default(),
        options,
    }));
    let (api, _) = api::routes().split_for_parts();
    let openapi = Arc::new(openapi_json());
    let resolve_caller = || caller::CallerLayer::new(state.clone());
    // Pages are framed (failures put in words, the language remembered) outside the caller
    // layer, so that its refusals are framed too; the API and operations skip it.
    let pages = web::routes()
        .fallback(web::not_found)
        .layer(resolve_caller())
        .layer(axum::middleware::from_fn_with_state(state.clone(), web::frame_pages));
    let api = api
        .route("/openapi.json", axum::routing::get(move || serve_openapi(Arc::clone(&openapi))))
        .fallback(hygiene::api_not_found)
        .layer(resolve_caller());
    let routed = Router::new()
        .nest("/api/v1", api)
        .merge(pages)
        .merge(ops::routes())
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        // Per route, since it reads the route's pattern for the metrics.
        .layer(axum::middleware::from_fn_with_state(state.clone(), ops::observe))
        .with_state(state);
    // What concerns every answer alike wraps the router once, not each route: a layer on
    // the router is copied into every route, and cloned with it at every request.
    use tower_layer::Layer;
    let edge = security_header(header::X_FRAME_OPTIONS, "DENY").layer(
        security_header(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        .layer(security_header(header::REFERRER_POLICY, "same-origin").layer(
            security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff").layer(compress::WhenAsked::new(
                // A body trickled in forever would hold its connection: 60 s to send one.
                tower_http::timeout::RequestBodyTimeoutLayer::new(std::time::Duration::from_secs(60)).layer(routed),
            )),
        )),
    );
    Router::new().fallback_service(edge)
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

async fn serve_openapi(doc: Arc<serde_json::Value>) -> axum::Json<serde_json::Value> {
    axum::Json((*doc).clone())
}

/// The OpenAPI document as served: generated, then completed (see [`openapi::complete`]).
pub fn openapi_json() -> serde_json::Value {
    openapi::complete(serde_json::to_value(openapi_document()).unwrap_or_default())
}

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi_document() -> OpenApi {
    let (_, mut openapi) = api::routes().split_for_parts();
    let prefixed =
        std::mem::take(&mut openapi.paths.paths).into_iter().map(|(path, item)| (format!("/api/v1{path}"), item));
    openapi.paths.paths = prefixed.collect();
    openapi
}

/// Every route the router serves, as (method, path): pages, operations, and the API as its
/// OpenAPI document describes it. The authorization matrix test requires a row for each.
pub fn route_list() -> Vec<(String, String)> {
    let mut routes: Vec<(String, String)> = web::route_list()
        .into_iter()
        .chain(ops::route_list())
        .chain([("GET", "/api/v1/openapi.json")])
        .map(|(method, path)| (method.to_owned(), path.to_owned()))
        .collect();
    for (path, item) in &openapi_document().paths.paths {
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        routes.extend(methods.into_iter().filter(|(_, present)| *present).map(|(m, _)| (m.to_owned(), path.clone())));
    }
    routes
}
