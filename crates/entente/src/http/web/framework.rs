//! Framework pages: the list, and one framework with its participants on a day.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;

use super::nation::{ListItem, ListPage};
use super::{Chrome, PageResult, human_day, page_day, render};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::service::registry::find_framework;

/// `GET /frameworks`.
pub async fn list(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    let registry = ctx.registry()?;
    let items = registry
        .frameworks()
        .map(|f| ListItem {
            href: format!("/frameworks/{}", f.code),
            label: f.name_en.clone(),
            code: f.code.to_string(),
            detail: f.description.clone(),
        })
        .collect();
    let intro = "Partnership frameworks and statuses, and dialogue without a formal programme.".to_owned();
    Ok(render(
        StatusCode::OK,
        &ListPage { chrome: Chrome::new(&ctx, &state), heading: "Frameworks".into(), intro, items },
    ))
}

struct ParticipantRow {
    code: String,
    name: String,
    since: String,
    certain: bool,
}

#[derive(Template)]
#[template(path = "framework.html")]
struct FrameworkPage {
    chrome: Chrome,
    code: String,
    name: String,
    name_fr: String,
    description: String,
    at: String,
    at_input: String,
    at_human: String,
    error: Option<String>,
    participants: Vec<ParticipantRow>,
}

/// `GET /frameworks/{code}?at=YYYY-MM-DD`.
pub async fn show(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> PageResult {
    let registry = ctx.registry()?;
    let framework = find_framework(registry, &code)?;
    let (day, at_input, error) = page_day(&params, state.today());
    let participants = if error.is_some() { Vec::new() } else { registry.participants_at(&framework.code, day) };
    let participants = participants
        .iter()
        .map(|p| ParticipantRow {
            code: p.nation.to_string(),
            name: registry.nation(p.nation).map(|n| n.name_en.clone()).unwrap_or_default(),
            since: p.since.human(),
            certain: p.certain,
        })
        .collect();
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = FrameworkPage {
        chrome: Chrome::new(&ctx, &state),
        code: framework.code.to_string(),
        name: framework.name_en.clone(),
        name_fr: framework.name_fr.clone(),
        description: framework.description.clone(),
        at: day.to_string(),
        at_input,
        at_human: human_day(day),
        error,
        participants,
    };
    Ok(render(status, &page))
}
