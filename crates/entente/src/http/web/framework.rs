//! Framework pages: the list, and one framework with its participants on a day.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;

use super::nation::{ListItem, ListPage};
use super::{Chrome, PageResult, page_day, render};
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
            label: ctx.lang.pick(&f.name_en, &f.name_fr).to_owned(),
            code: f.code.to_string(),
            detail: f.description.clone(),
            detail_lang: ctx.lang.pick("", "en"),
        })
        .collect();
    let intro = ctx.lang.t("frameworks-intro");
    Ok(render(
        StatusCode::OK,
        &ListPage { chrome: Chrome::new(&ctx, &state), heading: ctx.lang.t("frameworks-heading"), intro, items },
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
    /// The name in the other language, marked as such.
    other_name: String,
    other_lang: &'static str,
    /// The descriptions are kept in English only: French pages mark them `lang="en"`.
    description_lang: &'static str,
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
    let lang = ctx.lang;
    let (day, at_input, error) = page_day(&params, state.today(), lang);
    let participants = if error.is_some() { Vec::new() } else { registry.participants_at(&framework.code, day) };
    let participants = participants
        .iter()
        .map(|p| ParticipantRow {
            code: p.nation.to_string(),
            name: registry.nation(p.nation).map(|n| lang.pick(&n.name_en, &n.name_fr).to_owned()).unwrap_or_default(),
            since: lang.human_bound(&p.since),
            certain: p.certain,
        })
        .collect();
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = FrameworkPage {
        chrome: Chrome::new(&ctx, &state),
        code: framework.code.to_string(),
        name: lang.pick(&framework.name_en, &framework.name_fr).to_owned(),
        other_name: lang.pick(&framework.name_fr, &framework.name_en).to_owned(),
        other_lang: lang.pick("fr", "en"),
        description_lang: lang.pick("", "en"),
        description: framework.description.clone(),
        at: day.to_string(),
        at_input,
        at_human: lang.human_day(day),
        error,
        participants,
    };
    Ok(render(status, &page))
}
