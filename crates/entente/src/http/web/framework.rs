//! Framework pages: the list, and one framework with its participants on a day.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;

use axum::response::{IntoResponse, Redirect};
use entente_core::FrameworkKind;
use entente_core::text::collate;

use super::listing::{Column, Listing, ordered, unsortable};
use super::nation::{Facet, canonical};
use super::{Chrome, PageResult, page_day, render};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::service::registry::find_framework;
use crate::service::{Reason, ServiceError};

struct FrameworkRow {
    code: String,
    kind_code: &'static str,
    name: String,
    kind: String,
    badge: &'static str,
    since: String,
    since_day: Option<chrono::NaiveDate>,
    until: String,
    today: usize,
    ever: usize,
    description: String,
}

#[derive(Template)]
#[template(path = "frameworks.html")]
struct FrameworksPage {
    chrome: Chrome,
    facets: Vec<Facet>,
    columns: Vec<Column>,
    rows: Vec<FrameworkRow>,
    description_lang: &'static str,
}

/// `GET /frameworks?kind=&sort=`: every framework with its dates, its participants today
/// and ever, and its description.
pub async fn list(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let listing = Listing::new("/frameworks", &params, &["kind"])?;
    let sort = listing.sort(&["name", "code", "since", "today", "ever"])?;
    let kind = listing.filter("kind").map(str::to_owned);
    if let Some(asked) = kind.as_deref().filter(|k| FrameworkKind::parse(k).is_none()) {
        return Err(ServiceError::BadQuery {
            parameter: "kind".into(),
            reason: Reason::NotOneOf(asked.to_owned(), "partnership, dialogue"),
        }
        .into());
    }
    let registry = ctx.registry()?;
    let lang = ctx.lang;
    let today = state.today();
    let all: Vec<FrameworkRow> = registry
        .frameworks()
        .map(|f| {
            let intervals: Vec<_> = registry.participations().iter().filter(|p| p.framework == f.code).collect();
            let first = intervals.iter().map(|p| p.interval.start()).min_by_key(|b| b.day());
            let open = intervals.iter().any(|p| p.interval.end().is_none());
            let last =
                if open { None } else { intervals.iter().filter_map(|p| p.interval.end()).max_by_key(|b| b.day()) };
            let mut nations: Vec<_> = intervals.iter().map(|p| p.nation).collect();
            nations.sort();
            nations.dedup();
            FrameworkRow {
                code: f.code.to_string(),
                kind_code: f.kind.as_str(),
                name: lang.pick(&f.name_en, &f.name_fr).to_owned(),
                kind: lang.t(&format!("framework-kind-{}", f.kind.as_str())),
                badge: if f.kind == FrameworkKind::Partnership { "ok" } else { "warn" },
                since: first.map(|b| lang.human_bound(&b)).unwrap_or_default(),
                since_day: first.map(|b| b.day()),
                until: last.map_or_else(|| lang.t("framework-ongoing"), |b| lang.human_bound(&b)),
                today: registry.participants_at(&f.code, today).len(),
                ever: nations.len(),
                description: f.description.clone(),
            }
        })
        .collect();
    let facets = std::iter::once(None)
        .chain([FrameworkKind::Partnership, FrameworkKind::Dialogue].iter().map(|k| Some(k.as_str())))
        .map(|code| Facet {
            label: code.map_or_else(|| lang.t("filter-all"), |c| lang.t(&format!("framework-kind-{c}"))),
            href: listing.href("kind", code),
            count: registry.frameworks().filter(|f| code.is_none_or(|c| f.kind.as_str() == c)).count(),
            current: kind.as_deref() == code,
        })
        .collect();
    let mut rows: Vec<FrameworkRow> =
        all.into_iter().filter(|r| kind.as_deref().is_none_or(|k| r.kind_code == k)).collect();
    ordered(&mut rows, sort, |a, b| match sort.key {
        "code" => a.code.cmp(&b.code),
        "since" => a.since_day.cmp(&b.since_day),
        "today" => a.today.cmp(&b.today),
        "ever" => a.ever.cmp(&b.ever),
        _ => collate(&a.name, &b.name),
    });
    let mut columns = listing.columns(
        sort,
        &[
            ("name", lang.t("col-framework"), false),
            ("kind", lang.t("col-kind"), false),
            ("since", lang.t("col-since"), false),
            ("until", lang.t("col-until"), false),
            ("today", lang.t("col-participants-today"), true),
            ("ever", lang.t("col-participants-ever"), true),
            ("description", lang.t("col-description"), false),
        ],
    );
    unsortable(&mut columns, &[1, 3, 6]);
    Ok(render(
        StatusCode::OK,
        &FrameworksPage {
            chrome: Chrome::new(&ctx, &state),
            facets,
            columns,
            rows,
            description_lang: lang.pick("", "en"),
        },
    ))
}

struct ParticipantRow {
    code: String,
    name: String,
    since: String,
    since_day: chrono::NaiveDate,
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
    columns: Vec<Column>,
    participants: Vec<ParticipantRow>,
}

/// `GET /frameworks/{code}?at=YYYY-MM-DD`.
pub async fn show(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> PageResult {
    let listing = Listing::new(&format!("/frameworks/{}", code.to_ascii_uppercase()), &params, &["at"])?;
    let sort = listing.sort(&["name", "code", "since"])?;
    let registry = ctx.registry()?;
    let framework = find_framework(registry, &code)?;
    if let Some(to) = canonical(&code, &ctx.path) {
        return Ok(Redirect::permanent(&to).into_response());
    }
    let lang = ctx.lang;
    let (day, at_input, error) = page_day(&params, state.today(), lang);
    let participants = if error.is_some() { Vec::new() } else { registry.participants_at(&framework.code, day) };
    let mut participants: Vec<ParticipantRow> = participants
        .iter()
        .map(|p| ParticipantRow {
            code: p.nation.to_string(),
            name: registry.nation(p.nation).map(|n| lang.pick(&n.name_en, &n.name_fr).to_owned()).unwrap_or_default(),
            since: lang.human_bound(&p.since),
            since_day: p.since.day(),
            certain: p.certain,
        })
        .collect();
    ordered(&mut participants, sort, |a, b| match sort.key {
        "code" => a.code.cmp(&b.code),
        "since" => a.since_day.cmp(&b.since_day).then_with(|| collate(&a.name, &b.name)),
        _ => collate(&a.name, &b.name),
    });
    let columns = listing.columns(
        sort,
        &[
            ("name", lang.t("col-nation"), false),
            ("code", lang.t("col-code"), false),
            ("since", lang.t("framework-col-since"), false),
        ],
    );
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
        columns,
        participants,
    };
    Ok(render(status, &page))
}
