//! Signing in and out, and the one-time setup of the first administrator.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::SameSite;

use super::{Chrome, PageError, PageResult, error_message, render};
use crate::http::AppState;
use crate::http::caller::{CallerContext, PRE_SESSION_CSRF_COOKIE, SESSION_COOKIE, Via, cookie, removal};
use crate::service::ServiceError;
use crate::service::secrets::{random_secret, same_secret};

type Fields = HashMap<String, String>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map_or("", String::as_str)
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    csrf: String,
    email: String,
    error: Option<String>,
}

/// Renders the sign-in form with a fresh double-submit CSRF token in a cookie.
fn sign_in_form(
    state: &AppState,
    ctx: &CallerContext,
    jar: CookieJar,
    status: StatusCode,
    email: &str,
    error: Option<String>,
) -> PageResult {
    let (jar, csrf) = form_csrf(state, ctx, jar)?;
    let page = SignInPage { chrome: Chrome::new(ctx, state).at("/sign-in"), csrf, email: email.to_owned(), error };
    Ok((jar, render(status, &page)).into_response())
}

/// The CSRF token a form of these pages carries: the session's, or else a fresh
/// pre-session token, double-submitted in a cookie (checked by the caller layer).
fn form_csrf(state: &AppState, ctx: &CallerContext, jar: CookieJar) -> Result<(CookieJar, String), PageError> {
    if let Via::Session { csrf, .. } = &ctx.via {
        return Ok((jar, csrf.clone()));
    }
    let csrf = random_secret().map_err(|e| PageError(ServiceError::Corrupt(e.to_string())))?;
    let jar = jar.add(cookie(PRE_SESSION_CSRF_COOKIE, csrf.clone(), state.options.secure_cookies, SameSite::Strict));
    Ok((jar, csrf))
}

/// `GET /sign-in`.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, jar: CookieJar) -> PageResult {
    sign_in_form(&state, &ctx, jar, StatusCode::OK, "", None)
}

/// `POST /sign-in`: the same answer for an unknown email and a wrong password.
pub async fn submit(
    ctx: CallerContext,
    State(state): State<AppState>,
    jar: CookieJar,
    Form(fields): Form<Fields>,
) -> PageResult {
    let email = field(&fields, "email");
    let previous = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
    match state.services.accounts.sign_in(email, field(&fields, "password"), &ctx.address, previous.as_deref()).await {
        Ok((_, session)) => {
            let jar = jar.remove(removal(PRE_SESSION_CSRF_COOKIE)).add(cookie(
                SESSION_COOKIE,
                session.id,
                state.options.secure_cookies,
                SameSite::Lax,
            ));
            Ok((jar, Redirect::to("/documents")).into_response())
        }
        Err(error @ (ServiceError::Unauthenticated(_) | ServiceError::Throttled { .. } | ServiceError::Busy)) => {
            let status = error.status().unwrap_or(StatusCode::UNAUTHORIZED);
            let mut response = sign_in_form(&state, &ctx, jar, status, email, Some(error_message(&error, ctx.lang)))?;
            if !matches!(error, ServiceError::Unauthenticated(_)) {
                error.advise(&mut response);
            }
            Ok(response)
        }
        Err(e) => Err(PageError(e)),
    }
}

/// `POST /sign-out`.
pub async fn sign_out(ctx: CallerContext, State(state): State<AppState>, jar: CookieJar) -> PageResult {
    if let (Via::Session { cookie, .. }, Some(user)) = (&ctx.via, &ctx.user) {
        state.services.accounts.sign_out(cookie, user).await?;
    }
    Ok((jar.remove(removal(SESSION_COOKIE)), Redirect::to("/")).into_response())
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    chrome: Chrome,
    token: String,
    csrf: String,
    error: Option<String>,
}

/// A wrong or used setup link is not found.
fn setup_closed() -> PageError {
    PageError(ServiceError::NotFound { kind: "setup link", code: String::new() })
}

fn setup_token_matches(state: &AppState, token: &str) -> bool {
    state.options.setup_token.as_deref().is_some_and(|expected| same_secret(token, expected))
}

/// `GET /setup/{token}`: only with the link `entente serve` printed, and only while no
/// account exists.
pub async fn setup(
    ctx: CallerContext,
    State(state): State<AppState>,
    jar: CookieJar,
    Path(token): Path<String>,
) -> PageResult {
    if !setup_token_matches(&state, &token) || !state.services.accounts.is_empty().await? {
        return Err(setup_closed());
    }
    let (jar, csrf) = form_csrf(&state, &ctx, jar)?;
    Ok((jar, render(StatusCode::OK, &SetupPage { chrome: Chrome::new(&ctx, &state), token, csrf, error: None }))
        .into_response())
}

/// `POST /setup/{token}`.
pub async fn setup_submit(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(fields): Form<Fields>,
) -> PageResult {
    if !setup_token_matches(&state, &token) {
        return Err(setup_closed());
    }
    let (email, name, password) = (field(&fields, "email"), field(&fields, "display_name"), field(&fields, "password"));
    match state.services.accounts.create_first_admin(email.into(), name.into(), password.into()).await {
        Ok(_) => Ok(Redirect::to("/sign-in").into_response()),
        Err(error @ ServiceError::Invalid { .. }) => {
            let page = SetupPage {
                chrome: Chrome::new(&ctx, &state).at(&format!("/setup/{token}")),
                token,
                csrf: fields.get("csrf").cloned().unwrap_or_default(),
                error: Some(error_message(&error, ctx.lang)),
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(ServiceError::Conflict(_)) => Err(setup_closed()),
        Err(e) => Err(PageError(e)),
    }
}
