//! Who is calling: a session cookie (pages), a bearer token (API), or nobody. One layer
//! resolves the caller once per request into a [`CallerContext`] for `authorize()` and the
//! audit trail, and, for every unsafe method, checks there what no handler may forget: a
//! read-only token changes nothing, and a session's change carries its CSRF token (a form
//! field `csrf`, or the `X-CSRF-Token` header). Anonymous form posts to pages carry the
//! pre-session token of the sign-in and setup forms.

use std::collections::HashMap;
use std::convert::Infallible;

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::StatusCode;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use entente_core::{Caller, Registry};

use super::AppState;
use super::error::HttpError;
use super::i18n::Lang;
use crate::service::accounts::{Actor, User};
use crate::service::secrets::same_secret;
use crate::service::{Reason, ServiceError, SignInProblem};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "entente_session";
/// The cookie holding the sign-in and setup forms' CSRF token (double-submit, before any
/// session exists).
pub const PRE_SESSION_CSRF_COOKIE: &str = "entente_sign_in_csrf";
/// The header that may carry a session's CSRF token instead of a form field.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Via {
    /// Not at all.
    Anonymous,
    /// A session cookie, with the session's CSRF token.
    Session {
        /// The cookie's value.
        cookie: String,
        /// What forms must carry.
        csrf: String,
    },
    /// A personal API token.
    Token {
        /// Whether it allows changes.
        can_write: bool,
    },
}

/// The resolved caller of one request.
#[derive(Debug, Clone)]
pub struct CallerContext {
    /// The signed-in user, if any.
    pub user: Option<User>,
    /// For `authorize()` and the audit trail.
    pub actor: Actor,
    /// How they signed in.
    pub via: Via,
    /// The registry snapshot the caller's standing was computed on.
    pub registry: Arc<Registry>,
    /// The client's address, for throttling and the audit trail.
    pub address: String,
    /// The interface language of this request.
    pub lang: Lang,
    /// The address of the page answering, for the language switch (see [`page_address`]).
    pub path: String,
}

impl CallerContext {
    /// The caller, for `authorize()`.
    pub fn caller(&self) -> &Caller {
        &self.actor.caller
    }

    /// The registry, once `authorize()` allows the caller to read it.
    pub fn registry(&self) -> Result<&Arc<Registry>, ServiceError> {
        self.actor.require(entente_core::Action::Read, entente_core::Resource::Registry)?;
        Ok(&self.registry)
    }

    /// The session's CSRF token, or empty when there is no session.
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            _ => "",
        }
    }

    /// The signed-in user, or a refusal that asks the visitor to sign in.
    pub fn signed_in(&self) -> Result<&User, ServiceError> {
        self.user.as_ref().ok_or(ServiceError::Unauthenticated(SignInProblem::SignInFirst))
    }
}

/// Handlers take the context that [`resolve`] put in the request.
impl FromRequestParts<AppState> for CallerContext {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Arc<CallerContext>>() {
            Some(context) => Ok(CallerContext::clone(context)),
            // An API read is resolved here, where its handler asks: nothing to check first.
            None if parts.method.is_safe() && is_api(&parts.extensions, &parts.uri) => {
                Ok(caller_of(state, parts).await?)
            }
            // A change is never served without the layer's checks of token scope and CSRF.
            None => Err(ServiceError::Corrupt("the caller layer is missing from this route".into()).into()),
        }
    }
}

/// A page request that failed, left in the response for the pages' layer to put in words
/// and frame (`web::frame_pages`).
#[derive(Debug, Clone)]
pub struct Failure(pub Arc<ServiceError>);

impl Failure {
    /// A response that carries `error` for the pages' layer (a 500 until it is framed).
    pub fn response(error: ServiceError) -> Response {
        let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
        response.extensions_mut().insert(Failure(Arc::new(error)));
        response
    }
}

/// The caller layer: every request but an API read goes through [`resolve`]. An API read
/// has nothing to check and no page to frame, so it goes straight to its handler, which
/// resolves the caller when it asks (see the extractor): the registry read pays nothing for
/// the layer.
#[derive(Debug, Clone)]
pub struct CallerLayer(AppState);

impl CallerLayer {
    /// The layer for an application's state.
    pub fn new(state: AppState) -> Self {
        Self(state)
    }
}

impl<S> tower_layer::Layer<S> for CallerLayer {
    type Service = CallerService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        CallerService { inner, state: self.0.clone() }
    }
}

/// The service of [`CallerLayer`].
#[derive(Debug, Clone)]
pub struct CallerService<S> {
    inner: S,
    state: AppState,
}

type Answer = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Response, Infallible>> + Send>>;

impl<S> tower_service::Service<Request> for CallerService<S>
where
    S: tower_service::Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Answer {
        if request.method().is_safe() && is_api(request.extensions(), request.uri()) {
            return Box::pin(self.inner.call(request));
        }
        // The clone waits for the next request; the service made ready serves this one.
        let waiting = self.inner.clone();
        let ready = std::mem::replace(&mut self.inner, waiting);
        let state = self.state.clone();
        Box::pin(async move { Ok(resolve(&state, request, ready).await) })
    }
}

/// Resolves the caller, checks token scope and CSRF for unsafe methods, records the user in
/// the request's span, and hands the request on. A page's response carries the caller, so
/// that a failure can be framed for them.
async fn resolve<S>(state: &AppState, request: Request, mut inner: S) -> Response
where
    S: tower_service::Service<Request, Response = Response, Error = Infallible>,
{
    let is_api = is_api(request.extensions(), request.uri());
    // The path as the client wrote it (inside a nested router the URI has lost its
    // prefix), cut short: a refused request chooses it.
    let attempt = (!request.method().is_safe()).then(|| {
        let original = request.extensions().get::<axum::extract::OriginalUri>().map(|o| &o.0);
        let path: String = original.unwrap_or(request.uri()).path().chars().take(MAX_RECORDED_PATH).collect();
        (request.method().clone(), path)
    });
    let (mut response, context) = match resolve_and_check(state, request).await {
        Ok((request, context)) => {
            let response = match inner.call(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            (response, Some(context))
        }
        Err((error, context)) if is_api => (HttpError::from(error).into_response(), context),
        Err((error, context)) => (Failure::response(error), context),
    };
    if let Some((method, path)) = attempt {
        let failure = response.extensions().get::<Failure>().map(|f| Arc::clone(&f.0));
        audit_refusal(state, response.status(), failure, context.as_deref(), &method, &path).await;
    }
    if let (false, Some(context)) = (is_api, context) {
        response.extensions_mut().insert(context);
    }
    response
}

/// Records a change that was refused (403) or throttled (429) in the audit trail: every
/// unsafe request passes here, whatever refused it (`authorize()`, CSRF, token scope, the
/// sign-in throttle). A page's refusal is still a 500 carrying its [`Failure`] until it is
/// framed, so its status is read from the failure.
async fn audit_refusal(
    state: &AppState,
    status: StatusCode,
    failure: Option<Arc<ServiceError>>,
    context: Option<&CallerContext>,
    method: &axum::http::Method,
    path: &str,
) {
    let status = failure.as_deref().map_or(status, |e| e.status().unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    let throttled = status == StatusCode::TOO_MANY_REQUESTS;
    if status != StatusCode::FORBIDDEN && !throttled {
        return;
    }
    let actor = context.map_or_else(|| "anonymous".to_owned(), |c| c.actor.label.clone());
    let mut detail = serde_json::json!({ "method": method.as_str(), "path": path, "status": status.as_u16() });
    if let Some(error) = failure {
        detail["reason"] = error.to_string().into();
    }
    if let Some(context) = context {
        detail["address"] = context.address.clone().into();
    }
    if let Err(e) = state.services.audit.record_refusal(&actor, throttled, detail).await {
        tracing::error!(error = %e, "could not audit a refused attempt");
    }
}

type Refused = (ServiceError, Option<Arc<CallerContext>>);

/// The longest path a refusal's audit event keeps, in characters.
const MAX_RECORDED_PATH: usize = 200;

async fn resolve_and_check(state: &AppState, request: Request) -> Result<(Request, Arc<CallerContext>), Refused> {
    let (mut parts, body) = request.into_parts();
    let context = Arc::new(caller_of(state, &parts).await.map_err(|e| (e, None))?);
    let refused = |error: ServiceError| (error, Some(Arc::clone(&context)));
    let unsafe_method = !parts.method.is_safe();
    let is_page = !is_api(&parts.extensions, &parts.uri);
    let body = match (&context.via, unsafe_method) {
        (_, false) => body,
        (Via::Token { can_write: true }, true) => body,
        (Via::Token { can_write: false }, true) => return Err(refused(ServiceError::ReadOnlyToken)),
        (Via::Session { csrf, .. }, true) => {
            let expected = csrf.clone();
            check_csrf(&parts, body, &expected).await.map_err(refused)?
        }
        // An anonymous change to the API is refused by `authorize()`, as unauthenticated.
        (Via::Anonymous, true) if !is_page => body,
        (Via::Anonymous, true) => {
            let expected = CookieJar::from_headers(&parts.headers)
                .get(PRE_SESSION_CSRF_COOKIE)
                .map(|c| c.value().to_owned())
                .unwrap_or_default();
            if expected.is_empty() {
                return Err(refused(ServiceError::BadCsrf));
            }
            check_csrf(&parts, body, &expected).await.map_err(refused)?
        }
    };
    parts.extensions.insert(Arc::clone(&context));
    Ok((Request::from_parts(parts, body), context))
}

/// Checks the CSRF token of an unsafe request against `expected`, from the header or the
/// form (URL-encoded or multipart); returns the body, intact, for the handler.
async fn check_csrf(parts: &Parts, body: Body, expected: &str) -> Result<Body, ServiceError> {
    if let Some(given) = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if same_secret(given, expected) { Ok(body) } else { Err(ServiceError::BadCsrf) };
    }
    let content_type = parts.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    // The body limit layer outside has already bounded what can be read here.
    let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|e| {
        tracing::info!(error = %e, "a request body could not be read");
        ServiceError::Invalid { field: "body".into(), reason: Reason::Unreadable }
    })?;
    let given = if content_type.starts_with("application/x-www-form-urlencoded") {
        form_field(parts, &bytes).await
    } else if content_type.starts_with("multipart/form-data") {
        multipart_field(parts, &bytes).await
    } else {
        None
    };
    match given {
        Some(given) if same_secret(&given, expected) => Ok(Body::from(bytes)),
        _ => Err(ServiceError::BadCsrf),
    }
}

fn rebuilt(parts: &Parts, bytes: &Bytes) -> Request {
    let mut request = Request::new(Body::from(bytes.clone()));
    *request.headers_mut() = parts.headers.clone();
    *request.method_mut() = parts.method.clone();
    request
}

async fn form_field(parts: &Parts, bytes: &Bytes) -> Option<String> {
    let axum::Form(fields) =
        axum::Form::<HashMap<String, String>>::from_request(rebuilt(parts, bytes), &()).await.ok()?;
    fields.get("csrf").cloned()
}

async fn multipart_field(parts: &Parts, bytes: &Bytes) -> Option<String> {
    let mut multipart = Multipart::from_request(rebuilt(parts, bytes), &()).await.ok()?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("csrf") {
            return field.text().await.ok();
        }
    }
    None
}

/// The caller of a request, recorded in the request's span.
async fn caller_of(state: &AppState, parts: &Parts) -> Result<CallerContext, ServiceError> {
    let context = identify(state, parts).await?;
    if let Some(user) = &context.user {
        tracing::Span::current().record("user_id", user.id);
    }
    Ok(context)
}

async fn identify(state: &AppState, parts: &Parts) -> Result<CallerContext, ServiceError> {
    let client = super::client::Client::of(&parts.extensions, &parts.headers, &state.options.trusted_proxies);
    let address = client
        .address
        .map_or_else(|| "unknown".to_owned(), |ip| super::client::AddressText::of(Some(ip)).as_str().to_owned());
    let registry = state.services.registry.snapshot().await?;
    let today = state.services.db.clock().today();
    // The API answers in English and has no language switch: nothing to work out there.
    let (lang, path) = if is_api(&parts.extensions, &parts.uri) {
        (Lang::En, String::new())
    } else {
        (Lang::of_request(parts.uri.query(), &parts.headers), page_address(parts))
    };
    let accounts = &state.services.accounts;
    if let Some(header) = parts.headers.get(AUTHORIZATION) {
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ServiceError::Unauthenticated(SignInProblem::MalformedHeader))?;
        let (user, can_write) = accounts.token_user(token).await?;
        let mut actor = Actor::user(&user, &registry, today);
        actor.label.push_str(" via token");
        return Ok(CallerContext {
            actor,
            user: Some(user),
            via: Via::Token { can_write },
            registry,
            address,
            lang,
            path,
        });
    }
    let jar = CookieJar::from_headers(&parts.headers);
    if let Some(cookie) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned())
        && let Some(session) = accounts.session(&cookie).await?
    {
        let actor = Actor::user(&session.user, &registry, today);
        return Ok(CallerContext {
            actor,
            user: Some(session.user),
            via: Via::Session { cookie, csrf: session.csrf },
            registry,
            address,
            lang,
            path,
        });
    }
    let actor = Actor { caller: Caller::Anonymous, label: format!("anonymous@{address}") };
    Ok(CallerContext { actor, user: None, via: Via::Anonymous, registry, address, lang, path })
}

/// Whether a request is the API's: its address as sent (the API router is nested, so the
/// URI it sees has lost `/api/v1`).
fn is_api(extensions: &axum::http::Extensions, uri: &axum::http::Uri) -> bool {
    extensions.get::<axum::extract::OriginalUri>().map_or(uri, |original| &original.0).path().starts_with("/api/")
}

/// The address a page answering this request is at, for its language switch: what was
/// asked for by GET; the home page after a form's POST (a handler that shows the form
/// again gives its own address with `Chrome::at`).
fn page_address(parts: &Parts) -> String {
    if parts.method.is_safe() {
        parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned())
    } else {
        "/".to_owned()
    }
}

/// A cookie as Entente sets them: HttpOnly, SameSite, path `/`, Secure where configured.
pub fn cookie(name: &'static str, value: String, secure: bool, same_site: SameSite) -> Cookie<'static> {
    Cookie::build((name, value)).http_only(true).same_site(same_site).secure(secure).path("/").build()
}

/// A cookie that removes `name`.
pub fn removal(name: &'static str) -> Cookie<'static> {
    Cookie::build((name, "")).path("/").removal().build()
}
