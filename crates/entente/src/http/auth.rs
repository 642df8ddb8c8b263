//! Who is calling: a session cookie (pages), a bearer token (API), or nobody. The extractor
//! resolves the caller once per request into an [`Actor`] for `authorize()` and the audit
//! trail; handlers never look at credentials themselves.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use entente_core::{Caller, Registry};

use super::AppState;
use super::error::HttpError;
use crate::service::ServiceError;
use crate::service::accounts::{Actor, User};
use crate::service::secrets::same_secret;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "entente_session";
/// The cookie holding the sign-in form's CSRF token (double-submit, before any session).
pub const SIGN_IN_CSRF_COOKIE: &str = "entente_sign_in_csrf";

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
}

impl CallerContext {
    /// The caller, for `authorize()`.
    pub fn caller(&self) -> &Caller {
        &self.actor.caller
    }

    /// The registry, once `authorize()` allows the caller to read it.
    pub fn registry(&self) -> Result<&Arc<Registry>, ServiceError> {
        self.actor.require(entente_core::Action::Read, entente_core::Resource::Registry, "the registry")?;
        Ok(&self.registry)
    }

    /// The session's CSRF token, or empty when there is no session.
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            _ => "",
        }
    }

    /// Checks that a change may be made with these credentials: a form's CSRF token must
    /// match its session's, and a token must be read-write.
    pub fn check_write(&self, csrf_given: Option<&str>) -> Result<(), ServiceError> {
        match &self.via {
            Via::Anonymous => Err(ServiceError::Unauthenticated("sign in first".into())),
            Via::Session { csrf, .. } => match csrf_given {
                Some(given) if same_secret(given, csrf) => Ok(()),
                _ => Err(ServiceError::Forbidden(
                    "the form's security token is missing or wrong; reload the page".into(),
                )),
            },
            Via::Token { can_write: true } => Ok(()),
            Via::Token { can_write: false } => Err(ServiceError::Forbidden("this API token is read-only".into())),
        }
    }
}

impl FromRequestParts<AppState> for CallerContext {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |ConnectInfo(addr)| addr.ip().to_string());
        let registry = state.services.registry.snapshot().await?;
        let accounts = &state.services.accounts;
        if let Some(header) = parts.headers.get(AUTHORIZATION) {
            let token = header
                .to_str()
                .ok()
                .and_then(|h| h.strip_prefix("Bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(|| {
                    ServiceError::Unauthenticated("malformed Authorization header: expected `Bearer TOKEN`".into())
                })?;
            let (user, can_write) = accounts.token_user(token).await?;
            let mut actor = Actor::user(&user, &registry);
            actor.label.push_str(" via token");
            return Ok(Self { actor, user: Some(user), via: Via::Token { can_write }, registry, address });
        }
        let jar = CookieJar::from_headers(&parts.headers);
        if let Some(cookie) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned())
            && let Some(session) = accounts.session(&cookie).await?
        {
            let actor = Actor::user(&session.user, &registry);
            return Ok(Self {
                actor,
                user: Some(session.user),
                via: Via::Session { cookie, csrf: session.csrf },
                registry,
                address,
            });
        }
        let actor = Actor { caller: Caller::Anonymous, label: format!("anonymous@{address}") };
        Ok(Self { actor, user: None, via: Via::Anonymous, registry, address })
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
