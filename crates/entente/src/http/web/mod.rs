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
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::AppState;
use super::i18n::Lang;
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
/// CSRF token, the demo banner, the links the caller may follow, and the language.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    /// The page's language.
    pub lang: Lang,
    /// The language switch: (code, name, link to this page in that language, current).
    pub languages: Vec<(&'static str, String, String, bool)>,
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
            lang: ctx.lang,
            languages: Lang::ALL
                .iter()
                .map(|l| (l.code(), l.t("language-name"), switch_href(&ctx.path, *l), *l == ctx.lang))
                .collect(),
            search: String::new(),
            user: ctx.user.as_ref().map(|u| u.display_name.clone()),
            csrf: ctx.csrf().to_owned(),
            demo: state.options.demo,
            is_admin: authorize(ctx.caller(), Action::Read, Resource::Users).is_allowed(),
            can_audit: authorize(ctx.caller(), Action::Read, Resource::AuditTrail).is_allowed(),
        }
    }
}

impl Chrome {
    /// A frame with nothing but the language, for error pages.
    pub fn in_language(lang: Lang) -> Self {
        Self { lang, ..Self::default() }
    }

    /// The message `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.lang.t_with(key, &[(name, value.to_string())])
    }
}

/// The current page's address with `lang` set to `lang` (other parameters kept).
fn switch_href(path_and_query: &str, lang: Lang) -> String {
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
    let lang_pair = format!("lang={}", lang.code());
    pairs.push(&lang_pair);
    format!("{path}?{}", pairs.join("&"))
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    chrome: Chrome,
    heading: String,
    message: String,
}

/// A failed use case, answered as a page in the request's language: the caller layer,
/// which knows the language, renders it (see [`PageFailure`]).
#[derive(Debug)]
struct PageError(ServiceError);

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> Self {
        Self(error)
    }
}

/// A page handler's failure, carried in the response for the caller layer to render.
#[derive(Debug, Clone)]
pub(crate) struct PageFailure(pub std::sync::Arc<ServiceError>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        response.extensions_mut().insert(PageFailure(std::sync::Arc::new(self.0)));
        response
    }
}

/// What a page handler returns.
type PageResult = Result<Response, PageError>;

/// A refusal of `authorize()`, in words.
pub(crate) fn refusal_text(refusal: &entente_core::Refusal, lang: Lang) -> String {
    let mut args = vec![
        ("action", lang.t(&format!("action-{}", refusal.action.as_str()))),
        ("target", lang.t(&format!("target-{}", refusal.target.code()))),
    ];
    if let entente_core::Rule::WrongState(state) = refusal.rule {
        args.push(("state", lang.t(&format!("state-{}", state.as_str()))));
    }
    lang.t_with(&format!("refusal-{}", refusal.rule.code()), &args)
}

/// What a user is told of an error, in `lang`.
pub(crate) fn error_message(error: &ServiceError, lang: Lang) -> String {
    use crate::service::SignInProblem;
    match error {
        ServiceError::NotFound { .. } => lang.t("error-not-found-detail"),
        ServiceError::Refused(refusal) => refusal_text(refusal, lang),
        ServiceError::BadCsrf => lang.t("error-bad-csrf"),
        ServiceError::ReadOnlyToken => lang.t("error-read-only-token"),
        ServiceError::Throttled => lang.t("error-throttled"),
        ServiceError::Unauthenticated(SignInProblem::WrongCredentials) => lang.t("error-wrong-credentials"),
        ServiceError::TooLarge(limit) => lang.t_with("error-too-large", &[("limit", limit.to_string())]),
        ServiceError::Invalid { field, reason } => {
            lang.t_with("error-invalid", &[("field", field.clone()), ("reason", reason.clone())])
        }
        _ if error.status().is_some() => error.to_string(),
        _ => lang.t("error-internal"),
    }
}

/// A failed use case or refused request, answered as a page in `lang`.
pub(crate) fn error_page(error: &ServiceError, lang: Lang) -> Response {
    let chrome = Chrome::in_language(lang);
    match error {
        ServiceError::NotFound { .. } => {
            let page = MessagePage { heading: lang.t("error-not-found"), message: error_message(error, lang), chrome };
            render(StatusCode::NOT_FOUND, &page)
        }
        ServiceError::Unauthenticated(_) => Redirect::to("/sign-in").into_response(),
        _ if error.status().is_some() => {
            let status = error.status().unwrap_or(StatusCode::BAD_REQUEST);
            let page = MessagePage { heading: lang.t("error-refused"), message: error_message(error, lang), chrome };
            render(status, &page)
        }
        _ => {
            tracing::error!(error = %error, "page failed");
            let page =
                MessagePage { heading: lang.t("error-internal-heading"), message: lang.t("error-internal"), chrome };
            render(StatusCode::INTERNAL_SERVER_ERROR, &page)
        }
    }
}

/// The answer for any unknown path.
pub async fn not_found(ctx: crate::http::caller::CallerContext, State(state): State<AppState>) -> Response {
    let chrome = Chrome::new(&ctx, &state);
    let page = MessagePage { heading: chrome.t("error-not-found"), message: chrome.t("error-no-page"), chrome };
    render(StatusCode::NOT_FOUND, &page)
}

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../../../static/style.css")).into_response()
}

/// Reads the optional `at` parameter of a page: today when absent, an error message
/// naming the field when malformed.
fn page_day(
    params: &crate::http::api::params::Params,
    today: chrono::NaiveDate,
    lang: Lang,
) -> (chrono::NaiveDate, String, Option<String>) {
    match params.get("at").map(String::as_str) {
        None | Some("") => (today, today.to_string(), None),
        Some(text) => match entente_core::parse_day(text) {
            Ok(day) => (day, text.to_owned(), None),
            Err(e) => (today, text.to_owned(), Some(lang.t_with("date-invalid", &[("reason", e.to_string())]))),
        },
    }
}
