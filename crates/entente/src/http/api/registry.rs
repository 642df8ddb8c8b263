//! `/registry`: every nation's status on a day, and what changed between two days.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::dto::{ChangeDto, ChangesDto, RegistryStatusDto, StatusDto};
use super::params::{Params, required_day};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::service::ServiceError;

/// Every nation with a status (member, partner or dialogue country) on a day.
#[utoipa::path(get, path = "/registry/status", tag = "registry",
    params(("at" = String, Query, description = "The day, YYYY-MM-DD")),
    responses((status = 200, body = RegistryStatusDto), (status = 400, body = Problem)))]
pub async fn status(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let at = required_day(&params, "at")?;
    let registry = ctx.registry()?;
    let body = state.memo.status.get_or_insert(registry, at, || {
        let nations: Vec<_> = registry.statuses_at(at).iter().map(|s| StatusDto::new(s, registry)).collect();
        serde_json::to_vec(&RegistryStatusDto { at, count: nations.len(), nations }).map(Bytes::from)
    });
    let body = body.map_err(|e| ServiceError::Corrupt(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Who joined or left what after `from` and up to and including `to`.
#[utoipa::path(get, path = "/registry/changes", tag = "registry",
    params(("from" = String, Query, description = "First day, excluded, YYYY-MM-DD"),
           ("to" = String, Query, description = "Last day, included, YYYY-MM-DD")),
    responses((status = 200, body = ChangesDto), (status = 400, body = Problem)))]
pub async fn changes(ctx: CallerContext, Query(params): Query<Params>) -> Result<Json<ChangesDto>, HttpError> {
    let from = required_day(&params, "from")?;
    let to = required_day(&params, "to")?;
    if to < from {
        return Err(HttpError::BadParameter {
            parameter: "to",
            value: Some(to.to_string()),
            reason: format!("`{to}` is before `from` ({from})"),
        });
    }
    let registry = ctx.registry()?;
    let changes = registry.changes_between(from, to).iter().map(ChangeDto::from).collect();
    Ok(Json(ChangesDto { from, to, changes }))
}
