//! What clients and proxies may keep. Registry reads carry an ETag made of the registry's
//! revision and the day (what every answer about the registry depends on), answer 304 to
//! a matching `If-None-Match`, and may be kept by anyone (`public, no-cache`: revalidate
//! each time, cheaply). Everything else that sets no policy of its own is `no-store`:
//! pages, the account page, marked documents and their downloads are never kept.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

/// The API's registry reads: public, the same for every caller.
const REGISTRY_READS: [&str; 3] = ["/api/v1/nations", "/api/v1/frameworks", "/api/v1/registry"];

fn is_registry_read(request: &Request) -> bool {
    (request.method() == Method::GET || request.method() == Method::HEAD)
        && REGISTRY_READS.iter().any(|prefix| request.uri().path().starts_with(prefix))
}

/// The caching layer.
pub async fn policy(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_registry_read(&request) {
        let mut response = next.run(request).await;
        response.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
        return response;
    }
    let registry = &state.services.registry;
    // The snapshot is refreshed as any read would refresh it, so that a 304 never vouches
    // for a revision another process or an import has replaced.
    if let Err(error) = registry.snapshot().await {
        return crate::http::error::HttpError::from(error).into_response();
    }
    let today = state.services.db.clock().today();
    let tag = |revision: i64| format!("W/\"r{revision}-{today}\"");
    let before = registry.served_revision();
    if let Some(revision) = before {
        let etag = tag(revision);
        let matches = request
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|candidate| candidate.trim() == etag));
        if matches {
            return with_cache_headers(StatusCode::NOT_MODIFIED.into_response(), &etag);
        }
    }
    let mut response = next.run(request).await;
    // The answer came from the snapshot served before or after it; when both are the same
    // revision the ETag names the body; across a reload it is left off rather than risk
    // naming an older body with a newer tag.
    let after = registry.served_revision();
    if response.status() == StatusCode::OK
        && let Some(revision) = after.filter(|_| before == after)
    {
        response = with_cache_headers(response, &tag(revision));
    } else {
        response.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    response
}

fn with_cache_headers(mut response: Response, etag: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
    response
}
