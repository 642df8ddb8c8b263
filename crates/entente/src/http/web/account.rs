//! The signed-in user's own account: password and personal API tokens.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use entente_core::{Action, Resource};

use super::{Chrome, PageResult, error_message, render};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::caller::Via;
use crate::service::ServiceError;
use crate::service::accounts::{Credential, TokenState, User};

type Fields = HashMap<String, String>;

struct TokenItem {
    id: i64,
    name: String,
    access: String,
    expires: String,
    state: String,
    live: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    name: String,
    email: String,
    role: String,
    affiliation: String,
    clearance: String,
    tokens: Vec<TokenItem>,
    new_token: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

/// The signed-in user, or a refusal that sends the visitor to the sign-in page.
fn signed_in(ctx: &CallerContext) -> Result<&User, ServiceError> {
    ctx.actor.require(Action::Read, Resource::OwnAccount)?;
    ctx.signed_in()
}

/// How the caller proved who they are.
fn credential(ctx: &CallerContext) -> Credential {
    match ctx.via {
        Via::Token { .. } => Credential::Token,
        _ => Credential::Session,
    }
}

async fn account_page(
    ctx: &CallerContext,
    state: &AppState,
    status: StatusCode,
    new_token: Option<String>,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult {
    let user = signed_in(ctx)?;
    let tokens = state
        .services
        .accounts
        .tokens(user)
        .await?
        .into_iter()
        .map(|t| TokenItem {
            id: t.id,
            name: t.name,
            access: ctx.lang.t(if t.can_write { "token-read-write" } else { "token-read-only" }),
            expires: t.expires_at.chars().take(10).collect(),
            state: ctx.lang.t(match t.state {
                TokenState::Active => "token-active",
                TokenState::Revoked => "token-revoked",
                TokenState::Expired => "token-expired",
            }),
            live: t.state == TokenState::Active,
        })
        .collect();
    let page = AccountPage {
        chrome: Chrome::new(ctx, state).at("/account"),
        name: user.display_name.clone(),
        email: user.email.clone(),
        role: ctx.lang.t(&format!("role-{}", user.role.as_str())),
        affiliation: super::affiliation_text(&user.affiliation, ctx.lang),
        clearance: user.clearance.as_str().to_owned(),
        tokens,
        new_token,
        notice,
        error,
    };
    Ok(render(status, &page))
}

/// `GET /account`.
pub async fn show(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    account_page(&ctx, &state, StatusCode::OK, None, None, None).await
}

/// `POST /account/password`.
pub async fn change_password(
    ctx: CallerContext,
    State(state): State<AppState>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let user = signed_in(&ctx)?;
    let get = |name: &str| fields.get(name).map_or("", String::as_str);
    match state
        .services
        .accounts
        .change_password(user, credential(&ctx), get("current_password"), get("new_password"))
        .await
    {
        // Every session of the user ends with the old password, this one too.
        Ok(()) => Ok(Redirect::to("/sign-in").into_response()),
        Err(error @ ServiceError::Invalid { .. }) => {
            let message = error_message(&error, ctx.lang);
            account_page(&ctx, &state, StatusCode::UNPROCESSABLE_ENTITY, None, None, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /account/tokens`.
pub async fn create_token(ctx: CallerContext, State(state): State<AppState>, Form(fields): Form<Fields>) -> PageResult {
    let user = signed_in(&ctx)?;
    let name = fields.get("name").map_or("", String::as_str);
    let days = fields.get("days").and_then(|d| d.parse().ok()).unwrap_or(0);
    let can_write = fields.get("can_write").is_some_and(|v| v == "on");
    match state.services.accounts.create_token(user, credential(&ctx), name, can_write, days).await {
        Ok(secret) => account_page(&ctx, &state, StatusCode::OK, Some(secret), None, None).await,
        Err(error @ ServiceError::Invalid { .. }) => {
            let message = error_message(&error, ctx.lang);
            account_page(&ctx, &state, StatusCode::UNPROCESSABLE_ENTITY, None, None, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /account/tokens/{id}/revoke`.
pub async fn revoke_token(ctx: CallerContext, State(state): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let user = signed_in(&ctx)?;
    state.services.accounts.revoke_token(user, credential(&ctx), id).await?;
    account_page(&ctx, &state, StatusCode::OK, None, Some(ctx.lang.t("flash-token-revoked")), None).await
}
