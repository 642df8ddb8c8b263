//! The one mapping from errors to HTTP responses: RFC 9457 problem documents for the API.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::service::ServiceError;
use crate::service::registry_file::RowProblem;

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong here.
    pub detail: String,
    /// The query parameter at fault, if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The field at fault, if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The value that was refused, if one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Which rule refused, for a 403 from `authorize()` (such as `only-approver`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Every problem in a refused file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<RowProblem>,
}

/// An error answered by the HTTP layer.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// A query parameter is missing or malformed.
    #[error("query parameter `{parameter}`: {reason}")]
    BadParameter {
        /// The parameter's name.
        parameter: &'static str,
        /// The value given, if any.
        value: Option<String>,
        /// Why it was refused.
        reason: String,
    },
    /// A use case failed.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl HttpError {
    /// The status and the problem document for this error.
    pub fn problem(&self) -> (StatusCode, Problem) {
        let problem = |status: StatusCode, kind: &str, title: &str, detail: String| Problem {
            kind: format!("https://entente.invalid/problems/{kind}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            parameter: None,
            field: None,
            value: None,
            rule: None,
            problems: Vec::new(),
        };
        match self {
            HttpError::BadParameter { parameter, value, .. } => {
                let mut p =
                    problem(StatusCode::BAD_REQUEST, "bad-parameter", "Invalid query parameter", self.to_string());
                p.parameter = Some((*parameter).to_owned());
                p.value = value.clone();
                (StatusCode::BAD_REQUEST, p)
            }
            HttpError::Service(error) if error.status().is_some() => {
                let status = error.status().unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let (kind, title) = match status {
                    StatusCode::NOT_FOUND => ("not-found", "Not found"),
                    StatusCode::UNAUTHORIZED => ("unauthenticated", "Authentication required"),
                    StatusCode::FORBIDDEN => ("forbidden", "Forbidden"),
                    StatusCode::CONFLICT => ("conflict", "Conflict"),
                    StatusCode::TOO_MANY_REQUESTS => ("throttled", "Too many attempts"),
                    StatusCode::SERVICE_UNAVAILABLE => ("busy", "Busy"),
                    StatusCode::PAYLOAD_TOO_LARGE => ("too-large", "Payload too large"),
                    StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported-type", "Unsupported media type"),
                    _ => ("invalid", "Invalid input"),
                };
                let mut p = problem(status, kind, title, self.to_string());
                match error {
                    ServiceError::InvalidFile(problems) => p.problems = problems.clone(),
                    ServiceError::Invalid { field, .. } => p.field = Some(field.clone()),
                    ServiceError::Refused(refusal) => p.rule = Some(refusal.rule.code().to_owned()),
                    _ => {}
                }
                (status, p)
            }
            HttpError::Service(_) => {
                // Internal details are logged with an id and never shown.
                let id = error_id();
                tracing::error!(error = %self, id, "internal error");
                let status = StatusCode::INTERNAL_SERVER_ERROR;
                (status, problem(status, "internal", "Internal error", format!("internal error, reference {id}")))
            }
        }
    }
}

/// A reference id for an internal error, to find it in the logs.
fn error_id() -> String {
    crate::service::secrets::random_secret().map_or_else(|_| "unavailable".into(), |id| id.chars().take(16).collect())
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let (status, problem) = self.problem();
        let mut response = (status, Json(problem)).into_response();
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/problem+json"));
        if let HttpError::Service(error) = &self {
            error.advise(&mut response);
        }
        response
    }
}

impl ServiceError {
    /// Adds the headers that tell a client what to do next: `Retry-After` on a throttled
    /// or busy answer, `WWW-Authenticate` on a 401.
    pub fn advise(&self, response: &mut Response) {
        let headers = response.headers_mut();
        match self {
            ServiceError::Throttled { retry_after } => {
                headers.insert(axum::http::header::RETRY_AFTER, (*retry_after).into());
            }
            ServiceError::Busy => {
                headers.insert(axum::http::header::RETRY_AFTER, 1.into());
            }
            ServiceError::Unauthenticated(problem) => {
                let challenge = match problem {
                    crate::service::SignInProblem::BadToken => "Bearer realm=\"entente\", error=\"invalid_token\"",
                    crate::service::SignInProblem::MalformedHeader => {
                        "Bearer realm=\"entente\", error=\"invalid_request\""
                    }
                    _ => "Bearer realm=\"entente\"",
                };
                headers.insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static(challenge));
            }
            _ => {}
        }
    }

    /// The HTTP status of an error the caller can act on; `None` for internal failures.
    pub fn status(&self) -> Option<StatusCode> {
        Some(match self {
            ServiceError::NotFound { .. } => StatusCode::NOT_FOUND,
            ServiceError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            // A record's state, not the caller's rights, stands in the way (an agreed
            // programme, a decided proposal): a conflict with what exists.
            ServiceError::Refused(refusal) if matches!(refusal.rule, entente_core::Rule::WrongState(_)) => {
                StatusCode::CONFLICT
            }
            ServiceError::Refused(_)
            | ServiceError::BadCsrf
            | ServiceError::ReadOnlyToken
            | ServiceError::SessionRequired => StatusCode::FORBIDDEN,
            ServiceError::Invalid { .. } | ServiceError::InvalidFile(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ServiceError::Conflict(_) => StatusCode::CONFLICT,
            ServiceError::BadQuery { .. } => StatusCode::BAD_REQUEST,
            ServiceError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            ServiceError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ServiceError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ServiceError::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ServiceError::Corrupt(_) | ServiceError::Poisoned | ServiceError::Store(_) => return None,
        })
    }
}
