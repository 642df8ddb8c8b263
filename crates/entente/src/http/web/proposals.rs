//! Registry proposals in pages: the list with a form to propose, one proposal with the
//! approver's decision, and "what changed between two dates".

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use entente_core::{Action, Lifecycle, Resource, authorize};

use super::listing::{Listing, PER_PAGE, Pager};
use super::nation::Facet;
use super::{Chrome, PageError, PageResult, error_message, render};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::service::ServiceError;
use crate::service::proposals::ProposalInput;
use crate::store::proposals::StoredProposal;

type Fields = HashMap<String, String>;

/// A proposal as a row or a page shows it.
struct ProposalView {
    id: i64,
    change: String,
    status: String,
    badge: &'static str,
    proposed_by: String,
    proposed_at: String,
    decided: String,
    reason: String,
    source: String,
    comment: String,
}

fn view(p: &StoredProposal, ctx: &CallerContext) -> ProposalView {
    let lang = ctx.lang;
    let registry = &ctx.registry;
    let nation = p
        .nation
        .parse()
        .ok()
        .and_then(|c| registry.nation(c))
        .map_or_else(|| p.nation.clone(), |n| lang.pick(&n.name_en, &n.name_fr).to_owned());
    let framework = p.framework.clone().unwrap_or_default();
    let day = p.day.clone().unwrap_or_default();
    let change = match p.kind.as_str() {
        "begin" => lang.t_with("proposal-begin", &[("nation", nation), ("framework", framework), ("day", day)]),
        "end" => lang.t_with("proposal-end", &[("nation", nation), ("framework", framework), ("day", day)]),
        _ => lang.t_with(
            "proposal-rename",
            &[
                ("nation", nation),
                ("name_en", p.name_en.clone().unwrap_or_default()),
                ("name_fr", p.name_fr.clone().unwrap_or_default()),
            ],
        ),
    };
    ProposalView {
        id: p.id,
        change,
        status: lang.t(&format!("proposal-status-{}", p.status)),
        badge: match p.status.as_str() {
            "approved" => "ok",
            "returned" => "bad",
            _ => "warn",
        },
        proposed_by: p.proposed_by_name.clone(),
        proposed_at: p.proposed_at.get(..10).unwrap_or_default().to_owned(),
        decided: match (&p.decided_by_name, &p.decided_at) {
            (Some(name), Some(at)) => format!("{name}, {}", at.get(..10).unwrap_or_default()),
            _ => String::new(),
        },
        reason: p.reason.clone(),
        source: p.source.clone(),
        comment: p.comment.clone(),
    }
}

/// The form to propose, as filled in, with the error next to its field.
#[derive(Default)]
struct ProposalForm {
    nation: String,
    framework: String,
    change: String,
    day: String,
    reason: String,
    source: String,
    error_field: String,
    error: String,
}

#[derive(Template)]
#[template(path = "proposals.html")]
struct ProposalsPage {
    chrome: Chrome,
    facets: Vec<Facet>,
    rows: Vec<ProposalView>,
    pager: Pager,
    can_propose: bool,
    form: ProposalForm,
    /// The two code fields: name, label, value, hint.
    code_fields: Vec<(&'static str, String, String, String)>,
}

async fn list_page(
    ctx: &CallerContext,
    state: &AppState,
    params: &Params,
    form: ProposalForm,
    status_code: StatusCode,
) -> PageResult {
    let listing = Listing::new("/registry/proposals", params, &["status"])?;
    let page = listing.page()?;
    let status = listing.filter("status").map(str::to_owned);
    let registry = &state.services.registry;
    let limit = PER_PAGE as i64;
    let offset = (page as i64 - 1).saturating_mul(limit);
    let (found, total) = registry.proposals(&ctx.actor, status.as_deref(), limit, offset).await?;
    let counts = registry.proposal_counts(&ctx.actor).await?;
    let count_of = |code: Option<&str>| -> i64 {
        counts.iter().filter(|(s, _)| code.is_none_or(|c| c == s)).map(|(_, n)| n).sum()
    };
    let facets = [None, Some("pending"), Some("approved"), Some("returned")]
        .into_iter()
        .map(|code| Facet {
            label: code.map_or_else(|| ctx.lang.t("filter-all"), |c| ctx.lang.t(&format!("proposal-status-{c}"))),
            href: listing.href("status", code),
            count: usize::try_from(count_of(code)).unwrap_or_default(),
            current: status.as_deref() == code,
        })
        .collect();
    let pager = listing.pager(page, usize::try_from(total).unwrap_or_default());
    let rows = found.iter().map(|p| view(p, ctx)).collect();
    let can_propose =
        authorize(ctx.caller(), Action::Create, Resource::Proposal { proposed_by: 0, state: Lifecycle::Submitted })
            .is_allowed();
    let lang = ctx.lang;
    let code_fields = vec![
        ("nation", lang.t("proposal-field-nation"), form.nation.clone(), lang.t("proposal-hint-code")),
        ("framework", lang.t("proposal-field-framework"), form.framework.clone(), lang.t("proposal-hint-code")),
    ];
    let chrome = Chrome::new(ctx, state).at("/registry/proposals");
    let page = ProposalsPage { chrome, facets, rows, pager, can_propose, form, code_fields };
    Ok(render(status_code, &page))
}

/// `GET /registry/proposals?status=`.
pub async fn list(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    ctx.signed_in()?;
    let form = ProposalForm { change: "end".into(), ..ProposalForm::default() };
    list_page(&ctx, &state, &params, form, StatusCode::OK).await
}

/// `POST /registry/proposals`: proposes; a refused field is shown next to it.
pub async fn create(ctx: CallerContext, State(state): State<AppState>, Form(fields): Form<Fields>) -> PageResult {
    let get = |name: &str| fields.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
    let change = get("change");
    let day = get("day");
    let input = ProposalInput {
        nation: get("nation"),
        framework: Some(get("framework")),
        start: (change == "begin").then(|| day.clone()),
        end: (change != "begin").then(|| day.clone()),
        reason: get("reason"),
        source: get("source"),
        ..ProposalInput::default()
    };
    match state.services.registry.propose(&ctx.actor, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/registry/proposals/{id}?flash=proposal-made")).into_response()),
        Err(error @ ServiceError::Invalid { .. }) => {
            let field = match &error {
                ServiceError::Invalid { field, .. } if field == "start" || field == "end" => "day".to_owned(),
                ServiceError::Invalid { field, .. } => field.clone(),
                _ => String::new(),
            };
            let form = ProposalForm {
                nation: get("nation"),
                framework: get("framework"),
                change,
                day,
                reason: get("reason"),
                source: get("source"),
                error_field: field,
                error: error_message(&error, ctx.lang),
            };
            list_page(&ctx, &state, &Params::new(), form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Template)]
#[template(path = "proposal.html")]
struct ProposalPage {
    chrome: Chrome,
    p: ProposalView,
    pending: bool,
    may_decide: bool,
}

/// `GET /registry/proposals/{id}`.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let proposal = state.services.registry.proposal(&ctx.actor, id).await?;
    let state_now = if proposal.status == "pending" { Lifecycle::Submitted } else { Lifecycle::Closed };
    let may_decide = authorize(
        ctx.caller(),
        Action::Approve,
        Resource::Proposal { proposed_by: proposal.proposed_by, state: state_now },
    )
    .is_allowed();
    let page = ProposalPage {
        chrome: Chrome::new(&ctx, &state),
        p: view(&proposal, &ctx),
        pending: proposal.status == "pending",
        may_decide,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /registry/proposals/{id}/approve`.
pub async fn approve(ctx: CallerContext, State(state): State<AppState>, Path(id): Path<i64>) -> PageResult {
    state.services.registry.approve(&ctx.actor, id).await?;
    Ok(Redirect::to(&format!("/registry/proposals/{id}?flash=proposal-approved")).into_response())
}

/// `POST /registry/proposals/{id}/return`.
pub async fn return_proposal(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let comment = fields.get("comment").map_or("", String::as_str);
    state.services.registry.return_proposal(&ctx.actor, id, comment).await?;
    Ok(Redirect::to(&format!("/registry/proposals/{id}?flash=proposal-returned")).into_response())
}
