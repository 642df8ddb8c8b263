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
    /// The language of `detail` where it differs from the page's (`""` when the same).
    pub detail_lang: &'static str,
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
            label: ctx.lang.pick(&n.name_en, &n.name_fr).to_owned(),
            code: n.code.to_string(),
            detail: ctx.lang.pick(&n.name_fr, &n.name_en).to_owned(),
            detail_lang: ctx.lang.pick("fr", "en"),
        })
        .collect::<Vec<_>>();
    let lang = ctx.lang;
    let heading = if query.trim().is_empty() {
        lang.t("nations-heading")
    } else {
        lang.t_with("nations-matching", &[("query", query.trim().to_owned())])
    };
    let intro = lang.t_with("nations-found", &[("count", items.len().to_string())]);
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
    name: String,
    /// The name in the other language, marked as such.
    other_name: String,
    other_lang: &'static str,
    status_today: String,
    svg: String,
    entries: Vec<EntryRow>,
}

/// `GET /nations/{code}`.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    let registry = ctx.registry()?;
    let nation = find_nation(registry, &code)?;
    let today = state.today();
    let lang = ctx.lang;
    let status_today = match registry.status_at(nation.code, today) {
        None if !registry.is_certain_about(nation.code, today) => lang.t("status-none-uncertain"),
        None => lang.t("status-none"),
        Some(s) if s.frameworks.is_empty() => lang.t(&format!("status-{}", s.status.as_str())),
        Some(s) => format!(
            "{} ({})",
            lang.t(&format!("status-{}", s.status.as_str())),
            s.frameworks.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
        ),
    };
    let timeline = registry.timeline(nation.code);
    let framework_name = |subject: &Subject| match subject {
        Subject::Membership => lang.t("member-of-the-alliance"),
        Subject::Framework(code) => {
            registry.framework(code).map_or_else(|| code.to_string(), |f| lang.pick(&f.name_en, &f.name_fr).to_owned())
        }
    };
    let entries = timeline
        .iter()
        .map(|e| EntryRow {
            what: framework_name(&e.subject),
            when: lang.human_interval(&e.interval),
            reason: e.end_reason.map(|r| lang.t(&format!("end-{}", r.as_str()))).unwrap_or_default(),
            note: e.provenance.note.clone(),
            source: e.provenance.source.clone(),
        })
        .collect();
    let svg = timeline_svg::draw(&timeline, today, lang, |s| framework_name(s));
    let page = NationPage {
        chrome: Chrome::new(&ctx, &state),
        code: nation.code.to_string(),
        name: lang.pick(&nation.name_en, &nation.name_fr).to_owned(),
        other_name: lang.pick(&nation.name_fr, &nation.name_en).to_owned(),
        other_lang: lang.pick("fr", "en"),
        status_today,
        svg,
        entries,
    };
    Ok(render(StatusCode::OK, &page))
}
