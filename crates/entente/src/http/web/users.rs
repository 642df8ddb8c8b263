//! User administration, for administrators.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use entente_core::{Action, Affiliation, Classification, Resource, Role};

use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::service::accounts::NewUser;
use crate::service::{Reason, ServiceError};

type Fields = HashMap<String, String>;

struct UserItem {
    id: i64,
    name: String,
    email: String,
    affiliation: String,
    clearance: &'static str,
    /// Each role: its code, its name in the page's language, whether it is the user's.
    role_options: Vec<(&'static str, String, bool)>,
    active: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserItem>,
    total: i64,
    /// Each role's code and name.
    roles: Vec<(&'static str, String)>,
    error: Option<String>,
}

fn role_name(lang: crate::http::i18n::Lang, role: Role) -> String {
    lang.t(&format!("role-{}", role.as_str()))
}

async fn users_page(ctx: &CallerContext, state: &AppState, status: StatusCode, error: Option<String>) -> PageResult {
    let (users, total) = state.services.accounts.list_users(&ctx.actor, 500, 0).await?;
    let users = users
        .into_iter()
        .map(|u| UserItem {
            id: u.id,
            affiliation: super::affiliation_text(&u.affiliation, ctx.lang),
            name: u.display_name,
            email: u.email,
            clearance: u.clearance.as_str(),
            role_options: Role::ALL.iter().map(|r| (r.as_str(), role_name(ctx.lang, *r), *r == u.role)).collect(),
            active: u.active,
        })
        .collect();
    let roles = Role::ALL.iter().map(|r| (r.as_str(), role_name(ctx.lang, *r))).collect();
    Ok(render(status, &UsersPage { chrome: Chrome::new(ctx, state).at("/admin/users"), users, total, roles, error }))
}

/// `GET /admin/users`.
pub async fn list(ctx: CallerContext, State(state): State<AppState>, Query(_): Query<Fields>) -> PageResult {
    users_page(&ctx, &state, StatusCode::OK, None).await
}

/// `POST /admin/users`: adds a user.
pub async fn create(ctx: CallerContext, State(state): State<AppState>, Form(fields): Form<Fields>) -> PageResult {
    // Who may add users is settled before the form's fields are looked at.
    ctx.actor.require(Action::Create, Resource::Users)?;
    let get = |name: &str| fields.get(name).map_or("", String::as_str).trim().to_owned();
    let invalid = |field: &str, reason: Reason| ServiceError::Invalid { field: field.into(), reason };
    let parsed = (|| {
        let role = Role::parse(&get("role")).ok_or_else(|| invalid("role", Reason::UnknownRole(get("role"))))?;
        let clearance = Classification::parse(&get("clearance"))
            .ok_or_else(|| invalid("clearance", Reason::UnknownClearance(get("clearance"))))?;
        let affiliation = match get("affiliation").as_str() {
            "staff" => Affiliation::AllianceStaff,
            text => match text.strip_prefix("org:") {
                Some(code) => {
                    Affiliation::Organisation(code.parse().map_err(|e| invalid("affiliation", Reason::Code(e)))?)
                }
                None => Affiliation::Nation(text.parse().map_err(|e| invalid("affiliation", Reason::Code(e)))?),
            },
        };
        Ok::<_, ServiceError>(NewUser {
            email: get("email"),
            display_name: get("display_name"),
            role,
            affiliation,
            clearance,
            password: fields.get("password").cloned().unwrap_or_default(),
        })
    })();
    let result = match parsed {
        Ok(new) => state.services.accounts.create_user(&ctx.actor, new).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/admin/users").into_response()),
        Err(e @ (ServiceError::Invalid { .. } | ServiceError::Conflict(_))) => {
            let status = e.status().unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            users_page(&ctx, &state, status, Some(super::error_message(&e, ctx.lang))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/users/{id}`: sets a role, or enables or disables the account.
pub async fn update(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let role = match fields.get("role") {
        Some(text) => Some(Role::parse(text).ok_or_else(|| ServiceError::Invalid {
            field: "role".into(),
            reason: Reason::UnknownRole(text.clone()),
        })?),
        None => None,
    };
    let active = fields.get("active").map(|v| v == "true");
    state.services.accounts.update_user(&ctx.actor, id, role, active).await?;
    Ok(Redirect::to("/admin/users").into_response())
}
