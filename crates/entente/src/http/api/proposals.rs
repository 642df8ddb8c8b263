//! `/registry/proposals`: registry changes proposed, approved or returned.

use axum::Json;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::dto::{Linked, Page};
use super::params::{Paging, Params};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::service::proposals::ProposalInput;
use crate::store::proposals::StoredProposal;

/// Proposals, newest first.
#[utoipa::path(get, path = "/registry/proposals", tag = "registry",
    params(("status" = Option<String>, Query, description = "`pending`, `approved` or `returned`"),
           ("page" = Option<usize>, Query, description = "Page number, from 1"),
           ("per_page" = Option<usize>, Query, description = "Items per page, 1 to 500 (default 100)")),
    responses((status = 200, body = Page<StoredProposal>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list(
    ctx: CallerContext,
    OriginalUri(uri): OriginalUri,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let paging = Paging::from_params(&params)?;
    let (limit, offset) = paging.limit_offset();
    let status = params.get("status").map(String::as_str).filter(|s| !s.is_empty());
    let (items, total) = state.services.registry.proposals(&ctx.actor, status, limit, offset).await?;
    let page = Page { items, page: paging.page, per_page: paging.per_page, total: total as usize };
    Ok(Linked { uri, page }.into_response())
}

/// Proposes a change: give `start` (a participation begins), `end` (the participation in
/// force that day ends) or `name_en` and `name_fr` (the nation is renamed), with `reason`
/// and `source`. A change that would make the registry inconsistent is refused, naming
/// the field.
#[utoipa::path(post, path = "/registry/proposals", tag = "registry", request_body = ProposalInput,
    responses((status = 201, body = StoredProposal), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub async fn create(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<ProposalInput>,
) -> Result<Response, HttpError> {
    let id = state.services.registry.propose(&ctx.actor, &input).await?;
    let proposal = state.services.registry.proposal(&ctx.actor, id).await?;
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, format!("/api/v1/registry/proposals/{id}"))],
        Json(proposal),
    )
        .into_response())
}

/// One proposal.
#[utoipa::path(get, path = "/registry/proposals/{id}", tag = "registry",
    params(("id" = i64, Path, description = "Proposal id")),
    responses((status = 200, body = StoredProposal), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<StoredProposal>, HttpError> {
    Ok(Json(state.services.registry.proposal(&ctx.actor, id).await?))
}

/// Approves a pending proposal (an approver, not its author) and applies it.
#[utoipa::path(post, path = "/registry/proposals/{id}/approve", tag = "registry",
    params(("id" = i64, Path, description = "Proposal id")),
    responses((status = 200, body = StoredProposal), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn approve(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<StoredProposal>, HttpError> {
    Ok(Json(state.services.registry.approve(&ctx.actor, id).await?))
}

/// Why a proposal is returned.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct ReturnInput {
    /// The comment for its author.
    pub comment: String,
}

/// Returns a pending proposal to its author with a comment.
#[utoipa::path(post, path = "/registry/proposals/{id}/return", tag = "registry", request_body = ReturnInput,
    params(("id" = i64, Path, description = "Proposal id")),
    responses((status = 200, body = StoredProposal), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn return_proposal(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<ReturnInput>,
) -> Result<Json<StoredProposal>, HttpError> {
    Ok(Json(state.services.registry.return_proposal(&ctx.actor, id, &input.comment).await?))
}
