//! The home page: every partner on a day, grouped by framework.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use entente_core::Standing;

use super::{Chrome, PageResult, page_day, render};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;

/// A nation in a list.
struct Listed {
    code: String,
    name: String,
    certain: bool,
}

/// A framework and its participants that day.
struct Group {
    code: String,
    name: String,
    nations: Vec<Listed>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    at: String,
    at_input: String,
    at_human: String,
    error: Option<String>,
    groups: Vec<Group>,
    members: Vec<Listed>,
    member_count: usize,
    partner_count: usize,
    dialogue_count: usize,
}

/// `GET /?at=YYYY-MM-DD`.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let lang = ctx.lang;
    let (day, at_input, error) = page_day(&params, state.today(), lang);
    let registry = ctx.registry()?;
    let statuses = if error.is_some() { Vec::new() } else { registry.statuses_at(day) };
    let name = |code| registry.nation(code).map(|n| lang.pick(&n.name_en, &n.name_fr).to_owned()).unwrap_or_default();
    let groups = registry
        .frameworks()
        .map(|f| Group {
            code: f.code.to_string(),
            name: lang.pick(&f.name_en, &f.name_fr).to_owned(),
            nations: statuses
                .iter()
                .filter(|s| s.frameworks.contains(&f.code))
                .map(|s| Listed { code: s.nation.to_string(), name: name(s.nation), certain: s.certain })
                .collect(),
        })
        .filter(|g| !g.nations.is_empty())
        .map(|mut g: Group| {
            g.nations.sort_by(|a, b| entente_core::text::collate(&a.name, &b.name));
            g
        })
        .collect::<Vec<_>>();
    let mut groups = groups;
    groups.sort_by(|a, b| entente_core::text::collate(&a.name, &b.name));
    let count = |standing| statuses.iter().filter(|s| s.status == standing).count();
    let mut members: Vec<Listed> = statuses
        .iter()
        .filter(|s| s.status == Standing::Member)
        .map(|s| Listed { code: s.nation.to_string(), name: name(s.nation), certain: s.certain })
        .collect();
    members.sort_by(|a, b| entente_core::text::collate(&a.name, &b.name));
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = HomePage {
        chrome: Chrome::new(&ctx, &state),
        at: day.to_string(),
        at_input,
        at_human: if error.is_some() { "…".into() } else { lang.human_day(day) },
        error,
        groups,
        members,
        member_count: count(Standing::Member),
        partner_count: count(Standing::Partner),
        dialogue_count: count(Standing::Dialogue),
    };
    Ok(render(status, &page))
}
