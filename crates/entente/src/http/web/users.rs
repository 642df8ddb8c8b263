//! User administration, for administrators.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use entente_core::{Action, Affiliation, Classification, Resource, Role};

use entente_core::text::{collate, contains_folded};

use super::listing::{Column, Listing, Pager, ordered, page_of, unsortable};
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
    role_name: String,
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
    /// The role filter's choices: code, name, chosen.
    role_choices: Vec<(&'static str, String, bool)>,
    query: String,
    columns: Vec<Column>,
    pager: Pager,
    error: Option<String>,
}

fn role_name(lang: crate::http::i18n::Lang, role: Role) -> String {
    lang.t(&format!("role-{}", role.as_str()))
}

async fn users_page(
    ctx: &CallerContext,
    state: &AppState,
    params: &crate::http::api::params::Params,
    status: StatusCode,
    error: Option<String>,
) -> PageResult {
    let listing = Listing::new("/admin/users", params, &["q", "role"])?;
    let sort = listing.sort(&["name", "email", "role"])?;
    let page = listing.page()?;
    let role_filter = match listing.filter("role") {
        None => None,
        Some(text) => Some(Role::parse(text).ok_or_else(|| ServiceError::BadQuery {
            parameter: "role".into(),
            reason: Reason::UnknownRole(text.to_owned()),
        })?),
    };
    let query = listing.filter("q").unwrap_or_default().to_owned();
    // Accounts number in the hundreds: read whole, then sorted by name in the page's
    // language and filtered here.
    let (all, _) = state.services.accounts.list_users(&ctx.actor, i64::MAX, 0).await?;
    let lang = ctx.lang;
    let mut users: Vec<UserItem> = all
        .into_iter()
        .filter(|u| role_filter.is_none_or(|r| u.role == r))
        .filter(|u| contains_folded(&u.display_name, &query) || contains_folded(&u.email, &query))
        .map(|u| UserItem {
            id: u.id,
            affiliation: super::affiliation_text(&u.affiliation, lang),
            role_name: role_name(lang, u.role),
            name: u.display_name,
            email: u.email,
            clearance: u.clearance.as_str(),
            role_options: Role::ALL.iter().map(|r| (r.as_str(), role_name(lang, *r), *r == u.role)).collect(),
            active: u.active,
        })
        .collect();
    ordered(&mut users, sort, |a, b| match sort.key {
        "email" => a.email.cmp(&b.email),
        "role" => collate(&a.role_name, &b.role_name).then_with(|| collate(&a.name, &b.name)),
        _ => collate(&a.name, &b.name),
    });
    let total = users.len() as i64;
    let pager = listing.pager(page, users.len());
    let mut columns = listing.columns(
        sort,
        &[
            ("name", lang.t("field-name"), false),
            ("email", lang.t("field-email"), false),
            ("affiliation", lang.t("field-affiliation"), false),
            ("clearance", lang.t("field-clearance"), false),
            ("role", lang.t("field-role"), false),
            ("active", lang.t("users-col-active"), false),
        ],
    );
    unsortable(&mut columns, &[2, 3, 5]);
    let roles = Role::ALL.iter().map(|r| (r.as_str(), role_name(lang, *r))).collect();
    let role_choices = Role::ALL.iter().map(|r| (r.as_str(), role_name(lang, *r), role_filter == Some(*r))).collect();
    let page = UsersPage {
        chrome: Chrome::new(ctx, state).at("/admin/users"),
        users: page_of(users, page),
        total,
        roles,
        role_choices,
        query,
        columns,
        pager,
        error,
    };
    Ok(render(status, &page))
}

/// `GET /admin/users?q=&role=&sort=`.
pub async fn list(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<crate::http::api::params::Params>,
) -> PageResult {
    users_page(&ctx, &state, &params, StatusCode::OK, None).await
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
            users_page(&ctx, &state, &Default::default(), status, Some(super::error_message(&e, ctx.lang))).await
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
