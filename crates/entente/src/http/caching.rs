//! What clients and proxies may keep. Registry reads carry an ETag made of the registry's
//! revision and the day (what every answer about the registry depends on), answer 304 to
//! a matching `If-None-Match`, and may be kept by anyone (`public, no-cache`: revalidate
//! each time, cheaply). Everything else that sets no policy of its own is `no-store`:
//! pages, the account page, marked documents and their downloads are never kept.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::AppState;

/// The API's registry reads: public, the same for every caller.
const REGISTRY_READS: [&str; 3] = ["/api/v1/nations", "/api/v1/frameworks", "/api/v1/registry"];

/// Whether a request is a registry read, whose answers may be kept (by ETag).
pub fn applies(request: &Request) -> bool {
    (request.method() == Method::GET || request.method() == Method::HEAD)
        && REGISTRY_READS.iter().any(|prefix| request.uri().path().starts_with(prefix))
}

/// Before a registry read: 304 when the client's `If-None-Match` names the answer about
/// the snapshot known current (never about one the freshness window has let go stale,
/// which another process or an import may have replaced: then the read runs and looks);
/// else the revision the answer will come from.
pub fn before(state: &AppState, if_none_match: Option<HeaderValue>) -> Before {
    let registry = &state.services.registry;
    let before = registry.served_revision();
    if let Some(revision) = registry.current_revision().filter(|_| if_none_match.is_some()) {
        let etag = state.etags.tag(revision, state.services.db.clock().today());
        let matches = if_none_match
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|candidate| candidate.trim().as_bytes() == etag.as_bytes()));
        if matches {
            return Before::NotModified(etag);
        }
    }
    Before::Read(before)
}

/// What [`before`] found.
#[derive(Debug)]
pub enum Before {
    /// The client holds the answer: 304 with this ETag.
    NotModified(HeaderValue),
    /// The read is to run; the revision served before it, if any.
    Read(Option<i64>),
}

/// The 304 answer with `etag`.
pub fn not_modified(etag: HeaderValue) -> Response {
    with_cache_headers(StatusCode::NOT_MODIFIED.into_response(), etag)
}

/// After a registry read: the ETag, when the answer came from the revision seen before it
/// (across a reload it is left off rather than risk naming an older body with a newer tag).
pub fn after_registry_read(state: &AppState, before: Option<i64>, mut response: Response) -> Response {
    let after = state.services.registry.served_revision();
    if response.status() == StatusCode::OK
        && let Some(revision) = after.filter(|_| before == after)
    {
        return with_cache_headers(response, state.etags.tag(revision, state.services.db.clock().today()));
    }
    response.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

/// After any other request: kept by nobody, unless it said otherwise.
pub fn after_other(mut response: Response) -> Response {
    response.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

/// The ETag of the last (revision, day), kept so that a read formats none.
#[derive(Debug, Default)]
pub struct Etags(std::sync::RwLock<Option<(i64, chrono::NaiveDate, HeaderValue)>>);

impl Etags {
    /// The weak ETag of answers about `revision` on `today`.
    fn tag(&self, revision: i64, today: chrono::NaiveDate) -> HeaderValue {
        if let Ok(kept) = self.0.read()
            && let Some((r, d, value)) = kept.as_ref()
            && *r == revision
            && *d == today
        {
            return value.clone();
        }
        let value = HeaderValue::from_str(&format!("W/\"r{revision}-{today}\""))
            .unwrap_or(HeaderValue::from_static("W/\"unknown\""));
        if let Ok(mut kept) = self.0.write() {
            *kept = Some((revision, today, value.clone()));
        }
        value
    }
}

fn with_cache_headers(mut response: Response, etag: HeaderValue) -> Response {
    response.headers_mut().insert(header::ETAG, etag);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
    response
}
