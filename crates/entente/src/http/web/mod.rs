//! Server-rendered pages that work without JavaScript: askama templates, one struct a page.

mod account;
mod audit;
mod documents;
mod export;
mod framework;
mod home;
mod nation;
mod session;
mod timeline_svg;
mod users;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::AppState;
use crate::service::ServiceError;

type Route = (&'static str, &'static str, axum::routing::MethodRouter<AppState>);

/// Every page route: method, path and handler. The router is built from this table, and
/// the authorization matrix test enumerates it, so no route escapes the matrix.
fn route_table() -> Vec<Route> {
    vec![
        ("GET", "/", get(home::show)),
        ("GET", "/nations", get(nation::search)),
        ("GET", "/nations/{code}", get(nation::show)),
        ("GET", "/frameworks", get(framework::list)),
        ("GET", "/frameworks/{code}", get(framework::show)),
        ("GET", "/export/status.csv", get(export::status_csv)),
        ("GET", "/export/frameworks/{code}/participants.csv", get(export::participants_csv)),
        ("GET", "/sign-in", get(session::show)),
        ("POST", "/sign-in", post(session::submit)),
        ("POST", "/sign-out", post(session::sign_out)),
        ("GET", "/setup/{token}", get(session::setup)),
        ("POST", "/setup/{token}", post(session::setup_submit)),
        ("GET", "/account", get(account::show)),
        ("POST", "/account/password", post(account::change_password)),
        ("POST", "/account/tokens", post(account::create_token)),
        ("POST", "/account/tokens/{id}/revoke", post(account::revoke_token)),
        ("GET", "/admin/users", get(users::list)),
        ("POST", "/admin/users", post(users::create)),
        ("POST", "/admin/users/{id}", post(users::update)),
        ("GET", "/documents", get(documents::list)),
        ("POST", "/documents", post(documents::create)),
        ("GET", "/documents/new", get(documents::new)),
        ("GET", "/documents/{id}", get(documents::show)),
        ("GET", "/documents/{id}/download", get(documents::download)),
        ("GET", "/audit", get(audit::show)),
        ("GET", "/audit.csv", get(audit::csv)),
        ("GET", "/static/style.css", get(stylesheet)),
    ]
}

/// Every page route's method and path.
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    route_table().into_iter().map(|(method, path, _)| (method, path)).collect()
}

/// The page routes.
pub fn routes() -> Router<AppState> {
    route_table().into_iter().fold(Router::new(), |router, (_, path, handler)| router.route(path, handler))
}

/// Renders a page with a status.
fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// What every page's frame shows: the search text, who is signed in, the sign-out form's
/// CSRF token, the demo banner, and the links the caller may follow.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    /// The search box's text.
    pub search: String,
    /// The signed-in user's name.
    pub user: Option<String>,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    /// Whether the demo banner shows.
    pub demo: bool,
    /// Whether the user administration link shows.
    pub is_admin: bool,
    /// Whether the audit trail link shows.
    pub can_audit: bool,
}

impl Chrome {
    /// The frame for this caller.
    pub fn new(ctx: &crate::http::caller::CallerContext, state: &AppState) -> Self {
        use entente_core::{Action, Resource, authorize};
        Self {
            search: String::new(),
            user: ctx.user.as_ref().map(|u| u.display_name.clone()),
            csrf: ctx.csrf().to_owned(),
            demo: state.options.demo,
            is_admin: authorize(ctx.caller(), Action::Read, Resource::Users).is_allowed(),
            can_audit: authorize(ctx.caller(), Action::Read, Resource::AuditTrail).is_allowed(),
        }
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage<'a> {
    chrome: Chrome,
    heading: &'a str,
    message: String,
}

/// A failed use case, answered as a page: 404 for an unknown record, 500 otherwise.
#[derive(Debug)]
struct PageError(ServiceError);

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> Self {
        Self(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(&self.0)
    }
}

/// What a page handler returns.
type PageResult = Result<Response, PageError>;

/// A failed use case or refused request, answered as a page.
pub(crate) fn error_page(error: &ServiceError) -> Response {
    match error {
        ServiceError::NotFound { .. } => render(
            StatusCode::NOT_FOUND,
            &MessagePage { chrome: Chrome::default(), heading: "Not found", message: error.to_string() },
        ),
        ServiceError::Unauthenticated(_) => Redirect::to("/sign-in").into_response(),
        _ if error.status().is_some() => {
            let status = error.status().unwrap_or(StatusCode::BAD_REQUEST);
            let heading = status.canonical_reason().unwrap_or("Refused");
            render(status, &MessagePage { chrome: Chrome::default(), heading, message: error.to_string() })
        }
        _ => {
            tracing::error!(error = %error, "page failed");
            let message = "Something went wrong on our side; it has been logged.".to_owned();
            render(
                StatusCode::INTERNAL_SERVER_ERROR,
                &MessagePage { chrome: Chrome::default(), heading: "Internal error", message },
            )
        }
    }
}

/// The answer for any unknown path.
pub async fn not_found() -> Response {
    let message = "There is no page at this address.".to_owned();
    render(StatusCode::NOT_FOUND, &MessagePage { chrome: Chrome::default(), heading: "Not found", message })
}

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../../../static/style.css")).into_response()
}

/// A day as a page shows it: `7 Mar 2024`.
fn human_day(day: chrono::NaiveDate) -> String {
    entente_core::PartialDate::from_naive(day).human()
}

/// Reads the optional `at` parameter of a page: today when absent, an error message
/// naming the field when malformed.
fn page_day(
    params: &crate::http::api::params::Params,
    today: chrono::NaiveDate,
) -> (chrono::NaiveDate, String, Option<String>) {
    match params.get("at").map(String::as_str) {
        None | Some("") => (today, today.to_string(), None),
        Some(text) => match entente_core::parse_day(text) {
            Ok(day) => (day, text.to_owned(), None),
            Err(e) => {
                (today, text.to_owned(), Some(format!("Date: {e}. Write it as YYYY-MM-DD, for example 2008-01-01.")))
            }
        },
    }
}
