//! `/audit`: the audit trail, for administrators and analysts; `?format=csv` downloads it.

use axum::extract::{OriginalUri, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::{Linked, Page};
use super::params::{Paging, Params};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::http::query::audit_filter;

/// One audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventDto {
    /// Position in the trail.
    pub seq: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What kind of change.
    pub action: String,
    /// What changed, before and after.
    pub detail: serde_json::Value,
    /// The event's link in the hash chain.
    pub hash: String,
}

/// Audit events, newest first, filtered by actor, action and time.
#[utoipa::path(get, path = "/audit", tag = "audit",
    params(("actor" = Option<String>, Query, description = "Text the actor contains"),
           ("action" = Option<String>, Query, description = "Prefix of the action, such as `auth.`"),
           ("from" = Option<String>, Query, description = "At or after (YYYY-MM-DD or RFC 3339)"),
           ("to" = Option<String>, Query, description = "Before (YYYY-MM-DD or RFC 3339)"),
           ("record" = Option<String>, Query, description = "One record (`document:12`, `proposal:3`, `user:5`), or text the detail contains"),
           ("format" = Option<String>, Query, description = "`csv` for a CSV download of every matching event"),
           ("page" = Option<usize>, Query, description = "Page number, from 1"),
           ("per_page" = Option<usize>, Query, description = "Items per page, 1 to 500 (default 100)")),
    responses((status = 200, body = Page<AuditEventDto>), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    ctx: CallerContext,
    OriginalUri(uri): OriginalUri,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let filter = audit_filter(&params).map_err(|bad| HttpError::BadParameter {
        parameter: bad.parameter,
        reason: format!("`{}` is not a day (YYYY-MM-DD) or a time (RFC 3339)", bad.value),
        value: Some(bad.value),
    })?;
    if params.get("format").is_some_and(|f| f == "csv") {
        let bytes = state.services.audit.export_csv(&ctx.actor, &filter).await?;
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response());
    }
    let paging = Paging::from_params(&params)?;
    let (limit, offset) = paging.limit_offset();
    let (events, total) = state.services.audit.list(&ctx.actor, &filter, limit, offset).await?;
    let items = events
        .into_iter()
        .map(|e| AuditEventDto {
            seq: e.seq,
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::String(e.detail)),
            at: e.at,
            actor: e.actor,
            action: e.action,
            hash: e.hash,
        })
        .collect();
    let page = Page { items, page: paging.page, per_page: paging.per_page, total: total as usize };
    Ok(Linked { uri, page }.into_response())
}
