//! The audit trail page, with filters and a CSV download, for administrators and analysts.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use super::{Chrome, PageResult, audit_sentence, render};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::query::audit_filter as filter_of;
use crate::service::audit::AuditFilter;
use crate::service::{Reason, ServiceError};

type Fields = HashMap<String, String>;

const PAGE_SIZE: i64 = 100;

/// The kinds of action the filter offers (any prefix can be typed in the API).
const ACTION_GROUPS: [&str; 7] = ["auth.", "user.", "token.", "document.", "registry.", "audit.", "refused."];

struct EventItem {
    seq: i64,
    at: String,
    actor: String,
    action: String,
    sentence: String,
    detail: String,
    refused: bool,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    events: Vec<EventItem>,
    total: i64,
    chain_state: String,
    actor: String,
    record: String,
    from: String,
    to: String,
    query: String,
    actions: Vec<(&'static str, String, bool)>,
    next_page: Option<String>,
}

fn query_of(filter: &AuditFilter, record: Option<String>) -> String {
    let record = record.filter(|r| !r.trim().is_empty());
    let pairs = [
        ("actor", &filter.actor),
        ("action", &filter.action),
        ("from", &filter.from),
        ("to", &filter.to),
        ("record", &record),
    ];
    let mut serializer = String::new();
    for (name, value) in pairs {
        if let Some(value) = value {
            if !serializer.is_empty() {
                serializer.push('&');
            }
            let encoded: String = value
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            serializer.push_str(&format!("{name}={encoded}"));
        }
    }
    serializer
}

/// Where the hash chain breaks, in words.
fn chain_break_text(broken: &entente_core::audit::ChainBreak, lang: crate::http::i18n::Lang) -> String {
    use entente_core::audit::ChainBreak;
    let (key, args) = match *broken {
        ChainBreak::Altered { seq } => ("audit-broken-altered", vec![("seq", seq)]),
        ChainBreak::Unlinked { seq, previous } => ("audit-broken-unlinked", vec![("seq", seq), ("previous", previous)]),
        ChainBreak::Sequence { expected, found } => {
            ("audit-broken-sequence", vec![("expected", expected), ("found", found)])
        }
        ChainBreak::Truncated { last, head } => ("audit-broken-truncated", vec![("last", last), ("head", head)]),
    };
    let args: Vec<(&'static str, String)> = args.into_iter().map(|(name, n)| (name, n.to_string())).collect();
    lang.t_with(key, &args)
}

/// The filter of the page's query, or the parameter refused.
fn page_filter(params: &Fields) -> Result<crate::service::audit::AuditFilter, ServiceError> {
    filter_of(params)
        .map_err(|bad| ServiceError::Invalid { field: bad.parameter.to_owned(), reason: Reason::NotATime(bad.value) })
}

/// The highest page number asked for (beyond, offsets would overflow).
const MAX_PAGE: i64 = 1_000_000;

/// `GET /audit`.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Fields>) -> PageResult {
    let filter = page_filter(&params)?;
    let page = match params.get("page").map(|p| p.trim()).filter(|p| !p.is_empty()) {
        None => 1,
        Some(text) => text.parse::<i64>().ok().filter(|p| (1..=MAX_PAGE).contains(p)).ok_or_else(|| {
            ServiceError::Invalid { field: "page".into(), reason: Reason::OutOfRange { min: 1, max: MAX_PAGE } }
        })?,
    };
    let (events, total) = state.services.audit.list(&ctx.actor, &filter, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    let chain_state = match state.services.audit.verify().await? {
        Ok(count) => ctx.lang.t_with("audit-chain-intact", &[("count", count.to_string())]),
        Err(broken) => chain_break_text(&broken, ctx.lang),
    };
    let query = query_of(&filter, params.get("record").cloned());
    let next_page = (page * PAGE_SIZE < total).then(|| format!("/audit?{query}&page={}", page + 1));
    let people = audit_sentence::people(&state.services.audit.actors_of(&ctx.actor, &events).await?, ctx.lang);
    let events = events
        .into_iter()
        .map(|e| EventItem {
            seq: e.seq,
            sentence: audit_sentence::sentence(&e, &people, ctx.lang),
            detail: audit_sentence::details(&e),
            refused: e.action.starts_with("refused."),
            at: e.at.get(..19).unwrap_or(&e.at).replace('T', " "),
            actor: e.actor,
            action: e.action,
        })
        .collect();
    let chosen = filter.action.clone().unwrap_or_default();
    let actions = ACTION_GROUPS
        .iter()
        .map(|prefix| {
            (*prefix, ctx.lang.t(&format!("audit-group-{}", prefix.trim_end_matches('.'))), chosen == *prefix)
        })
        .collect();
    let page = AuditPage {
        chrome: Chrome::new(&ctx, &state),
        events,
        total,
        chain_state,
        actor: filter.actor.clone().unwrap_or_default(),
        record: params.get("record").cloned().unwrap_or_default(),
        actions,
        from: filter.from.clone().unwrap_or_default(),
        to: filter.to.clone().unwrap_or_default(),
        query,
        next_page,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /audit.csv`.
pub async fn csv(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Fields>) -> PageResult {
    let bytes = state.services.audit.export_csv(&ctx.actor, &page_filter(&params)?).await?;
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (header::CONTENT_DISPOSITION, "attachment; filename=\"entente-audit.csv\""),
    ];
    Ok((headers, bytes).into_response())
}
