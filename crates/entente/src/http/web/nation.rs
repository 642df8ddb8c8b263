//! Nation pages: search results, and one nation with its timeline.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use entente_core::Subject;

use super::{Chrome, PageResult, render, timeline_svg};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::service::registry::{find_nation, search_nations};

/// An item in a list of links.
pub struct ListItem {
    pub href: String,
    pub label: String,
    pub code: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub heading: String,
    pub intro: String,
    pub items: Vec<ListItem>,
}

/// `GET /nations?q=`: nations whose code or name matches.
pub async fn search(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let registry = ctx.registry()?;
    let query = params.get("q").cloned().unwrap_or_default();
    let items = search_nations(registry, &query)
        .into_iter()
        .map(|n| ListItem {
            href: format!("/nations/{}", n.code),
            label: n.name_en.clone(),
            code: n.code.to_string(),
            detail: n.name_fr.clone(),
        })
        .collect::<Vec<_>>();
    let heading =
        if query.trim().is_empty() { "Nations".to_owned() } else { format!("Nations matching “{}”", query.trim()) };
    let intro = format!("{} found.", items.len());
    Ok(render(
        StatusCode::OK,
        &ListPage { chrome: Chrome { search: query, ..Chrome::new(&ctx, &state) }, heading, intro, items },
    ))
}

/// A row of the timeline table.
struct EntryRow {
    what: String,
    when: String,
    reason: String,
    note: String,
    source: String,
}

#[derive(Template)]
#[template(path = "nation.html")]
struct NationPage {
    chrome: Chrome,
    code: String,
    name_en: String,
    name_fr: String,
    status_today: String,
    svg: String,
    entries: Vec<EntryRow>,
}

/// `GET /nations/{code}`.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    let registry = ctx.registry()?;
    let nation = find_nation(registry, &code)?;
    let today = state.today();
    let status_today = match registry.status_at(nation.code, today) {
        None => "no status".to_owned(),
        Some(s) if s.frameworks.is_empty() => s.status.as_str().to_owned(),
        Some(s) => format!(
            "{} ({})",
            s.status.as_str(),
            s.frameworks.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        ),
    };
    let timeline = registry.timeline(nation.code);
    let framework_name = |subject: &Subject| match subject {
        Subject::Membership => "Member of the alliance".to_owned(),
        Subject::Framework(code) => registry.framework(code).map_or_else(|| code.to_string(), |f| f.name_en.clone()),
    };
    let entries = timeline
        .iter()
        .map(|e| EntryRow {
            what: framework_name(&e.subject),
            when: e.interval.human(),
            reason: e.end_reason.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            note: e.provenance.note.clone(),
            source: e.provenance.source.clone(),
        })
        .collect();
    let svg = timeline_svg::draw(&timeline, today, |s| framework_name(s));
    let page = NationPage {
        chrome: Chrome::new(&ctx, &state),
        code: nation.code.to_string(),
        name_en: nation.name_en.clone(),
        name_fr: nation.name_fr.clone(),
        status_today,
        svg,
        entries,
    };
    Ok(render(StatusCode::OK, &page))
}
