//! Nation pages: search results, and one nation with its timeline.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use entente_core::Subject;

use axum::response::{IntoResponse, Redirect};
use entente_core::Standing;
use entente_core::text::collate;

use super::listing::{Column, Listing, Pager, ordered, page_of, unsortable};
use super::{Chrome, PageResult, render, timeline_svg};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::service::registry::{find_nation, search_nations};
use crate::service::{Reason, ServiceError};

/// A row of the nations table.
struct NationRow {
    code: String,
    name: String,
    other_name: String,
    status: String,
    badge: &'static str,
}

/// A choice of a filter, with how many rows it leaves.
pub struct Facet {
    pub label: String,
    pub href: String,
    pub count: usize,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "nations.html")]
struct NationsPage {
    chrome: Chrome,
    heading: String,
    intro: String,
    query: String,
    status: String,
    other_lang: &'static str,
    facets: Vec<Facet>,
    columns: Vec<Column>,
    rows: Vec<NationRow>,
    pager: Pager,
}

/// The badge class of a standing.
pub fn standing_badge(standing: Option<Standing>) -> &'static str {
    match standing {
        Some(Standing::Member) => "info",
        Some(Standing::Partner) => "ok",
        Some(Standing::Dialogue) => "warn",
        None => "idle",
    }
}

/// `GET /nations?q=&status=&sort=`: nations whose code or name matches, with their
/// standing today, sorted by name in the page's language.
pub async fn search(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let listing = Listing::new("/nations", &params, &["q", "status"])?;
    let sort = listing.sort(&["name", "code", "status"])?;
    let page = listing.page()?;
    let registry = ctx.registry()?;
    let lang = ctx.lang;
    let today = state.today();
    let query = listing.filter("q").unwrap_or_default().to_owned();
    let standing_code = |s: Option<Standing>| s.map_or("none", |s| s.as_str());
    let status_filter = listing.filter("status").map(str::to_owned);
    if let Some(asked) = status_filter.as_deref().filter(|s| !["member", "partner", "dialogue", "none"].contains(s)) {
        return Err(ServiceError::BadQuery {
            parameter: "status".into(),
            reason: Reason::NotOneOf(asked.to_owned(), "member, partner, dialogue, none"),
        }
        .into());
    }
    let found: Vec<(&entente_core::Nation, Option<Standing>)> = search_nations(registry, &query)
        .into_iter()
        .map(|n| (n, registry.status_at(n.code, today).map(|s| s.status)))
        .collect();
    let facets = std::iter::once(None)
        .chain(["member", "partner", "dialogue", "none"].into_iter().map(Some))
        .map(|code| Facet {
            label: code.map_or_else(|| lang.t("filter-all"), |c| lang.t(&format!("standing-{c}"))),
            href: listing.href("status", code),
            count: found.iter().filter(|(_, s)| code.is_none_or(|c| standing_code(*s) == c)).count(),
            current: status_filter.as_deref() == code,
        })
        .collect();
    let mut rows: Vec<NationRow> = found
        .into_iter()
        .filter(|(_, s)| status_filter.as_deref().is_none_or(|c| standing_code(*s) == c))
        .map(|(n, s)| NationRow {
            code: n.code.to_string(),
            name: lang.pick(&n.name_en, &n.name_fr).to_owned(),
            other_name: lang.pick(&n.name_fr, &n.name_en).to_owned(),
            status: lang.t(&format!("standing-{}", standing_code(s))),
            badge: standing_badge(s),
        })
        .collect();
    ordered(&mut rows, sort, |a, b| match sort.key {
        "code" => a.code.cmp(&b.code),
        "status" => collate(&a.status, &b.status).then_with(|| collate(&a.name, &b.name)),
        _ => collate(&a.name, &b.name),
    });
    let heading = if query.is_empty() {
        lang.t("nations-heading")
    } else {
        lang.t_with("nations-matching", &[("query", query.clone())])
    };
    let intro = lang.t_with("nations-found", &[("count", rows.len().to_string())]);
    let pager = listing.pager(page, rows.len());
    let columns = listing.columns(
        sort,
        &[
            ("name", lang.t("col-nation"), false),
            ("code", lang.t("col-code"), false),
            ("name-other", lang.t("col-other-name"), false),
            ("status", lang.t("col-status-today"), false),
        ],
    );
    // The other language's name is not a sort column: its header is plain text.
    let mut columns = columns;
    unsortable(&mut columns, &[2]);
    Ok(render(
        StatusCode::OK,
        &NationsPage {
            chrome: Chrome { search: query.clone(), ..Chrome::new(&ctx, &state) },
            heading,
            intro,
            query,
            status: status_filter.unwrap_or_default(),
            other_lang: lang.pick("fr", "en"),
            facets,
            columns,
            rows: page_of(rows, page),
            pager,
        },
    ))
}

/// The address of `path` with its code in upper case, when it was written otherwise.
pub fn canonical(code: &str, path: &str) -> Option<String> {
    (code != code.to_ascii_uppercase()).then(|| path.replacen(code, &code.to_ascii_uppercase(), 1))
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
    contributions: Vec<super::operations::ContributionLine>,
    meetings: Vec<super::meetings::MeetingLine>,
}

/// `GET /nations/{code}`; a code in lower case redirects to the upper-case address.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    let registry = ctx.registry()?;
    let nation = find_nation(registry, &code)?;
    if let Some(to) = canonical(&code, &ctx.path) {
        return Ok(Redirect::permanent(&to).into_response());
    }
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
    let contributions = state.services.operations.of_nation(&ctx.actor, nation.code).await?;
    let contributions = super::operations::contribution_lines(&contributions, registry, lang, |_| Vec::new());
    let meetings = state.services.meetings.of_party(&ctx.actor, registry, "nation", nation.code.as_str()).await?;
    let page = NationPage {
        contributions,
        meetings: meetings.iter().map(|m| super::meetings::line(m, lang)).collect(),
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
