//! Operation pages: the operations, one operation's contributions over time (a chart and a
//! table linking the council decisions), its force requirements with fill rates, its
//! liaison postings, and the forms that offer, accept, deploy, withdraw, require and post.
//! The services decide.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use entente_core::operation::{ContributionKind, ContributionStatus};
use entente_core::{Interval, Registry};

use super::contribution_svg::{self, Bar};
use super::form::{Typed, own_nation};
use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::i18n::Lang;
use crate::service::operations::{ContributionInput, PostingInput, RequirementInput, period_of};
use crate::store::operations::{StoredContribution, StoredOperation, StoredPosting};

/// A contribution as a row.
pub struct ContributionLine {
    /// Its number.
    pub id: i64,
    /// The operation's code.
    pub operation: String,
    /// The nation's code.
    pub nation: String,
    /// The nation's name.
    pub nation_name: String,
    /// Kind in words.
    pub kind: String,
    /// Size, or empty.
    pub size: String,
    /// Period in words.
    pub period: String,
    /// Dated with the operation's period.
    pub assumed: bool,
    /// Status code.
    pub status: String,
    /// Status in words.
    pub status_label: String,
    /// The accepting council decision.
    pub decision: Option<i64>,
    /// The statuses it may move to: (code, words).
    pub next: Vec<(String, String)>,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
}

/// A nation's name in the page's language, or its code.
pub(super) fn nation_name(registry: &Registry, code: &str, lang: Lang) -> String {
    code.parse()
        .ok()
        .and_then(|c| registry.nation(c))
        .map_or_else(|| code.to_owned(), |n| lang.pick(&n.name_en, &n.name_fr).to_owned())
}

/// A period in the page's language.
fn period_words(starts: &str, ends: &str, lang: Lang) -> String {
    period_of(starts, ends).map(|i| lang.human_interval(&i)).unwrap_or_else(|_| format!("{starts} – {ends}"))
}

/// Rows of contributions; `next_steps` gives the statuses the caller may move each to.
pub fn contribution_lines(
    list: &[StoredContribution],
    registry: &Registry,
    lang: Lang,
    next_steps: impl Fn(&StoredContribution) -> Vec<ContributionStatus>,
) -> Vec<ContributionLine> {
    list.iter()
        .map(|c| {
            let next = next_steps(c)
                .iter()
                .map(|n| (n.as_str().to_owned(), lang.t(&format!("contribution-to-{}", n.as_str()))))
                .collect();
            ContributionLine {
                id: c.id,
                operation: c.operation.clone(),
                nation: c.nation.clone(),
                nation_name: nation_name(registry, &c.nation, lang),
                kind: lang.t(&format!("contribution-kind-{}", c.kind)),
                size: c.size.map(|s| s.to_string()).unwrap_or_default(),
                period: period_words(&c.starts, &c.ends, lang),
                assumed: c.dates_assumed,
                status: c.status.clone(),
                status_label: lang.t(&format!("contribution-status-{}", c.status)),
                decision: c.council_decision_id,
                next,
                note: c.note.clone(),
                source: c.source.clone(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "operations.html")]
struct ListPage {
    chrome: Chrome,
    operations: Vec<(StoredOperation, String)>,
}

/// `GET /operations`: every operation with its period.
pub async fn list(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    let all = state.services.operations.list(&ctx.actor).await?;
    let operations = all
        .into_iter()
        .map(|o| {
            let period = period_words(&o.starts, &o.ends, ctx.lang);
            (o, period)
        })
        .collect();
    Ok(render(StatusCode::OK, &ListPage { chrome: Chrome::new(&ctx, &state), operations }))
}

/// A requirement as a row.
struct RequirementLine {
    id: i64,
    capability: String,
    quantity: i64,
    period: String,
    pledged: i64,
    filled: i64,
    percent: String,
}

#[derive(Template)]
#[template(path = "operation.html")]
struct ShowPage {
    chrome: Chrome,
    operation: StoredOperation,
    period: String,
    phase: String,
    chart: String,
    contributions: Vec<ContributionLine>,
    requirements: Vec<RequirementLine>,
    fill_percent: String,
    postings: Vec<(StoredPosting, String, String)>,
    may_manage: bool,
    may_offer: bool,
    offer_nation: String,
    kinds: Vec<(String, String)>,
}

fn percent(rate: f64) -> String {
    format!("{:.0} %", rate * 100.0)
}

/// `GET /operations/{code}`: the operation, its contributions over time, requirements and
/// fill rates, postings, and the forms the caller may use.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    let registry = ctx.registry()?.clone();
    let lang = ctx.lang;
    let view = state.services.operations.get(&ctx.actor, &code.to_ascii_uppercase()).await?;
    let today = state.today();
    let op_period = period_of(&view.operation.starts, &view.operation.ends)?;
    let to = op_period.end_day().unwrap_or(today).min(today.max(op_period.start_day()));
    let kinds: Vec<(String, String)> = ContributionKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), lang.t(&format!("contribution-kind-{}", k.as_str()))))
        .collect();
    let bars: Vec<Bar> = view
        .contributions
        .iter()
        .filter(|c| c.accepted)
        .filter_map(|c| {
            let period: Interval = period_of(&c.starts, &c.ends).ok()?;
            let name = nation_name(&registry, &c.nation, lang);
            Some(Bar {
                title: format!(
                    "{name}: {} ({})",
                    lang.t(&format!("contribution-kind-{}", c.kind)),
                    lang.human_interval(&period)
                ),
                row: name,
                kind: c.kind.clone(),
                period,
                assumed: c.dates_assumed,
            })
        })
        .collect();
    let chart = contribution_svg::draw(
        &bars,
        op_period.start_day(),
        to,
        &lang.t_with("operation-chart-title", &[("code", view.operation.code.clone())]),
        &kinds,
    );
    let may_manage = state.services.operations.may_manage(&ctx.actor);
    let own = own_nation(&ctx.actor.caller);
    let may_offer = may_manage || state.services.operations.may_offer(&ctx.actor, own);
    let next_steps = |c: &StoredContribution| state.services.operations.next_steps(&ctx.actor, c);
    let mut contributions = contribution_lines(&view.contributions, &registry, lang, next_steps);
    // In the order of the chart's rows: by name in the page's language.
    contributions.sort_by(|a, b| (&a.nation_name, a.id).cmp(&(&b.nation_name, b.id)));
    let requirements = view
        .requirements
        .iter()
        .map(|r| RequirementLine {
            id: r.requirement.id,
            capability: r.requirement.capability.clone(),
            quantity: r.requirement.quantity,
            period: period_words(&r.requirement.starts, &r.requirement.ends, lang),
            pledged: r.fill.pledged,
            filled: r.fill.filled,
            percent: percent(r.fill.rate()),
        })
        .collect();
    let postings = view
        .postings
        .into_iter()
        .map(|p| {
            let name = nation_name(&registry, &p.nation, lang);
            let period = period_words(&p.starts, &p.ends, lang);
            (p, name, period)
        })
        .collect();
    let page = ShowPage {
        chrome: Chrome::new(&ctx, &state),
        period: lang.human_interval(&op_period),
        phase: lang.t(&format!("operation-phase-{}", view.operation.phase)),
        operation: view.operation,
        chart,
        contributions,
        requirements,
        fill_percent: percent(view.fill.rate()),
        postings,
        may_manage,
        may_offer,
        offer_nation: own.map(|n| n.to_string()).unwrap_or_default(),
        kinds,
    };
    Ok(render(StatusCode::OK, &page))
}

fn optional_number(typed: &Typed, name: &str) -> Result<Option<i64>, crate::service::ServiceError> {
    if typed.get(name).trim().is_empty() { Ok(None) } else { typed.number(name).map(Some) }
}

/// `POST /operations/{code}/contributions`: offers a contribution.
pub async fn contribute(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let registry = ctx.registry()?.clone();
    let input = ContributionInput {
        nation: typed.get("nation"),
        kind: typed.get("kind"),
        size: optional_number(&typed, "size")?,
        starts: typed.get("starts"),
        ends: typed.get("ends"),
        requirement: optional_number(&typed, "requirement")?,
        note: typed.get("note"),
    };
    let code = code.to_ascii_uppercase();
    state.services.operations.contribute(&ctx.actor, &registry, &code, &input).await?;
    Ok(Redirect::to(&format!("/operations/{code}?flash=contribution-saved#contributions")).into_response())
}

/// `POST /contributions/{id}/status`: accepts (with the council decision), deploys or
/// withdraws a contribution.
pub async fn step(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let registry = ctx.registry()?.clone();
    let decision = optional_number(&typed, "council_decision")?;
    let c = state.services.operations.step(&ctx.actor, &registry, id, &typed.get("status"), decision).await?;
    Ok(Redirect::to(&format!("/operations/{}?flash=contribution-saved#contributions", c.operation)).into_response())
}

/// `POST /operations/{code}/requirements`: adds a force requirement.
pub async fn require(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let input = RequirementInput {
        capability: typed.get("capability"),
        quantity: typed.number("quantity")?,
        starts: typed.get("starts"),
        ends: typed.get("ends"),
    };
    let code = code.to_ascii_uppercase();
    state.services.operations.add_requirement(&ctx.actor, &code, &input).await?;
    Ok(Redirect::to(&format!("/operations/{code}?flash=requirement-saved#requirements")).into_response())
}

/// `POST /postings`: posts a liaison officer.
pub async fn post(
    ctx: CallerContext,
    State(state): State<AppState>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let registry = ctx.registry()?.clone();
    let input = PostingInput {
        nation: typed.get("nation"),
        officer: typed.get("officer"),
        headquarters: typed.get("headquarters"),
        operation: typed.get("operation"),
        starts: typed.get("starts"),
        ends: typed.get("ends"),
    };
    let p = state.services.operations.post(&ctx.actor, &registry, &input).await?;
    let back = match p.operation {
        Some(o) => format!("/operations/{o}?flash=posting-saved#postings"),
        None => "/operations?flash=posting-saved".to_owned(),
    };
    Ok(Redirect::to(&back).into_response())
}
