//! Conventions every request meets before any handler runs: a NUL byte anywhere in the
//! address or a form is refused (PostgreSQL cannot store one, and no field needs one); a
//! path with a trailing slash is redirected (308) to its canonical form; and the API's own
//! refusals (405, 413, a malformed body) are RFC 9457 problem documents, as the
//! handlers' are.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::error::Problem;

/// The largest URL-encoded form accepted (every form of the application is a few fields;
/// uploads are multipart, and their text fields are checked where they are read).
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The request as the handlers may see it, or the answer that refuses or redirects it.
/// (Run by the one outer layer, [`super::ops::observe`], since each layer costs every
/// request.)
pub async fn admit(request: Request) -> Result<Request, Response> {
    let api = request.uri().path().starts_with("/api/");
    if has_nul(request.uri().path()) || request.uri().query().is_some_and(has_nul) {
        return Err(refusal(
            api,
            StatusCode::BAD_REQUEST,
            "the address contains a NUL byte, which no parameter accepts",
        ));
    }
    if let Some(canonical) = canonical_location(request.uri()) {
        let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
        if let Ok(value) = HeaderValue::from_str(&canonical) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        return Err(response);
    }
    refuse_nul_in_form(request).await.map_err(|refused| refused.with_api(api))
}

/// The answer as sent: the API's plain refusals become problem documents.
pub fn finish(api: bool, response: Response) -> Response {
    if api { as_problem(response) } else { response }
}

/// Whether percent-decoded `text` holds a NUL byte.
fn has_nul(text: &str) -> bool {
    text.contains('\0') || text.as_bytes().windows(3).any(|w| w == b"%00")
}

/// Where a path with a trailing slash belongs, if it has one ("/" keeps its slash; a path
/// that would start with `//` is left alone, never turned into another host's address).
fn canonical_location(uri: &axum::http::Uri) -> Option<String> {
    let path = uri.path();
    if path.len() <= 1 || !path.ends_with('/') {
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    // `//host` and `/\host` are read by browsers as another host's address.
    if trimmed.is_empty() || trimmed.starts_with("//") || trimmed.starts_with("/\\") {
        return None;
    }
    Some(match uri.query() {
        Some(query) => format!("{trimmed}?{query}"),
        None => trimmed.to_owned(),
    })
}

/// A refused request: a problem for the API; for pages, the plain refusal the page layer
/// puts in words.
struct Refusal(StatusCode, &'static str);

impl Refusal {
    fn with_api(self, api: bool) -> Response {
        refusal(api, self.0, self.1)
    }
}

fn refusal(api: bool, status: StatusCode, detail: &str) -> Response {
    if api { problem(status, detail, None) } else { (status, detail.to_owned()).into_response() }
}

/// Reads a URL-encoded form's body and refuses it if it holds a NUL byte.
async fn refuse_nul_in_form(request: Request) -> Result<Request, Refusal> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    let too_large = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|length| length > MAX_FORM_BYTES);
    if too_large {
        return Err(Refusal(StatusCode::PAYLOAD_TOO_LARGE, "the form is larger than allowed"));
    }
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|error| {
        let oversize =
            std::error::Error::source(&error).is_some_and(|cause| cause.is::<http_body_util::LengthLimitError>());
        if oversize {
            Refusal(StatusCode::PAYLOAD_TOO_LARGE, "the form is larger than allowed")
        } else {
            Refusal(StatusCode::BAD_REQUEST, "the form could not be read")
        }
    })?;
    if bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00") {
        return Err(Refusal(StatusCode::UNPROCESSABLE_ENTITY, "a field contains a NUL byte, which no field accepts"));
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn problem(status: StatusCode, detail: &str, allow: Option<HeaderValue>) -> Response {
    let kind = match status {
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid",
        _ => "bad-request",
    };
    let body = Problem {
        kind: format!("https://entente.invalid/problems/{kind}"),
        title: status.canonical_reason().unwrap_or("Refused").to_owned(),
        status: status.as_u16(),
        detail: detail.to_owned(),
        parameter: None,
        field: None,
        value: None,
        rule: None,
        problems: Vec::new(),
    };
    let mut response = (status, axum::Json(body)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    if let Some(allow) = allow {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

/// The API's plain-text refusals (from the router or an extractor) as problem documents.
fn as_problem(response: Response) -> Response {
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !(status.is_client_error() && plain) {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let detail = match status {
        StatusCode::METHOD_NOT_ALLOWED => "this address does not answer that method (see Allow)",
        StatusCode::NOT_FOUND => "no such address in the API",
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is larger than allowed",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "the request body's content type is not accepted here",
        _ => "the request could not be read",
    };
    problem(status, detail, allow)
}

/// The API's answer for an address it does not have.
pub async fn api_not_found() -> Response {
    problem(StatusCode::NOT_FOUND, "no such address in the API", None)
}

#[cfg(test)]
mod tests {
    use super::canonical_location;

    #[test]
    fn a_trailing_slash_is_trimmed_but_never_into_another_host() {
        let at = |uri: &str| canonical_location(&uri.parse().unwrap());
        assert_eq!(at("/nations/"), Some("/nations".into()));
        assert_eq!(at("/api/v1/nations/?at=2008-01-01"), Some("/api/v1/nations?at=2008-01-01".into()));
        assert_eq!(at("/"), None);
        assert_eq!(at("/nations"), None);
        assert_eq!(at("//evil.example/"), None);
        assert_eq!(at("/%5Cevil.example/"), Some("/%5Cevil.example".into()), "encoded, it stays a path");
    }
}
