//! `/operations`, `/contributions` and `/postings`: operations and the partners'
//! contributions, force generation and liaison officers.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use entente_core::operation::Fill;

use super::params::{Params, day_or_today};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::service::operations::{ContributionInput, OperationView, PostingInput, RequirementInput};
use crate::store::operations::{StoredContribution, StoredOperation, StoredPosting, StoredRequirement};

/// An operation.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OperationDto {
    /// Code: the short name upper-cased without spaces (`KFOR`, `OCEANSHIELD`).
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind, in words.
    pub kind: String,
    /// Region.
    pub region: String,
    /// Mandate.
    pub mandate: String,
    /// First day (a partial date when the sources give no day).
    pub starts: String,
    /// End (exclusive); empty while under way.
    pub ends: String,
    /// `consultation`, `planning` or `execution`.
    pub phase: String,
    /// From the reference dataset.
    pub historical: bool,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
}

/// A contribution to an operation.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ContributionDto {
    /// Its number.
    pub id: i64,
    /// The operation's code.
    pub operation: String,
    /// The nation (ISO alpha-2).
    pub nation: String,
    /// `troops`, `assets`, `funding`, `medical`, `liaison` or `other`.
    pub kind: String,
    /// Size, when known.
    pub size: Option<i64>,
    /// First day (registry bound).
    pub starts: String,
    /// End (exclusive), empty when open.
    pub ends: String,
    /// Dated with the operation's period for want of sources.
    pub dates_assumed: bool,
    /// `offered`, `accepted`, `deployed` or `withdrawn`.
    pub status: String,
    /// The council decision that accepted it.
    pub council_decision: Option<i64>,
    /// The requirement it is offered against.
    pub requirement: Option<i64>,
    /// From the reference dataset.
    pub historical: bool,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
}

/// A requirement's or an operation's fill.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FillDto {
    /// Required.
    pub required: i64,
    /// Offered and not withdrawn.
    pub pledged: i64,
    /// Accepted or deployed.
    pub filled: i64,
    /// `filled / required`, from 0 to 1.
    pub rate: f64,
}

/// A force requirement with its fill.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RequirementDto {
    /// Its number.
    pub id: i64,
    /// The capability.
    pub capability: String,
    /// How many.
    pub quantity: i64,
    /// First day.
    pub starts: String,
    /// End (exclusive), empty when open.
    pub ends: String,
    /// How far the offers fill it.
    pub fill: FillDto,
}

/// A liaison officer's posting.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PostingDto {
    /// Its number.
    pub id: i64,
    /// The officer's nation.
    pub nation: String,
    /// The officer's name.
    pub officer: String,
    /// The headquarters.
    pub headquarters: String,
    /// The operation served, if any.
    pub operation: Option<String>,
    /// First day.
    pub starts: String,
    /// End (exclusive), empty when open.
    pub ends: String,
}

/// An operation with its contributions, requirements, fill and postings.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OperationDetailDto {
    /// The operation.
    #[serde(flatten)]
    pub operation: OperationDto,
    /// Contributions, by nation.
    pub contributions: Vec<ContributionDto>,
    /// Force requirements with their fills.
    pub requirements: Vec<RequirementDto>,
    /// The requirements together.
    pub fill: FillDto,
    /// The liaison postings the caller may read.
    pub postings: Vec<PostingDto>,
}

/// A status to set, with the council decision accepting a non-member's contribution.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContributionStatusInput {
    /// `accepted`, `deployed` or `withdrawn`.
    pub status: String,
    /// The council decision's number (needed to accept a non-member's contribution).
    pub council_decision: Option<i64>,
}

fn operation_dto(o: StoredOperation) -> OperationDto {
    OperationDto {
        code: o.code,
        name: o.name,
        kind: o.kind,
        region: o.region,
        mandate: o.mandate,
        starts: o.starts,
        ends: o.ends,
        phase: o.phase,
        historical: o.historical,
        note: o.note,
        source: o.source,
    }
}

/// Contribution DTO.
pub fn contribution_dto(c: StoredContribution) -> ContributionDto {
    ContributionDto {
        id: c.id,
        operation: c.operation,
        nation: c.nation,
        kind: c.kind,
        size: c.size,
        starts: c.starts,
        ends: c.ends,
        dates_assumed: c.dates_assumed,
        status: c.status,
        council_decision: c.council_decision_id,
        requirement: c.requirement_id,
        historical: c.historical,
        note: c.note,
        source: c.source,
    }
}

fn fill_dto(f: Fill) -> FillDto {
    FillDto { required: f.required, pledged: f.pledged, filled: f.filled, rate: f.rate() }
}

fn requirement_dto(r: StoredRequirement, fill: Fill) -> RequirementDto {
    RequirementDto {
        id: r.id,
        capability: r.capability,
        quantity: r.quantity,
        starts: r.starts,
        ends: r.ends,
        fill: fill_dto(fill),
    }
}

fn posting_dto(p: StoredPosting) -> PostingDto {
    PostingDto {
        id: p.id,
        nation: p.nation,
        officer: p.officer,
        headquarters: p.headquarters,
        operation: p.operation,
        starts: p.starts,
        ends: p.ends,
    }
}

/// The detail DTO of a view.
pub fn detail(view: OperationView) -> OperationDetailDto {
    OperationDetailDto {
        operation: operation_dto(view.operation),
        contributions: view.contributions.into_iter().map(contribution_dto).collect(),
        requirements: view.requirements.into_iter().map(|r| requirement_dto(r.requirement, r.fill)).collect(),
        fill: fill_dto(view.fill),
        postings: view.postings.into_iter().map(posting_dto).collect(),
    }
}

/// Every operation, oldest first.
#[utoipa::path(get, path = "/operations", tag = "operations", responses((status = 200, body = Vec<OperationDto>)))]
pub async fn list(ctx: CallerContext, State(state): State<AppState>) -> Result<Json<Vec<OperationDto>>, HttpError> {
    Ok(Json(state.services.operations.list(&ctx.actor).await?.into_iter().map(operation_dto).collect()))
}

/// An operation with its contributions, force requirements and fill rates.
#[utoipa::path(get, path = "/operations/{code}", tag = "operations",
    params(("code" = String, Path, description = "Operation code, such as KFOR")),
    responses((status = 200, body = OperationDetailDto), (status = 404, body = Problem)))]
pub async fn show(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<OperationDetailDto>, HttpError> {
    Ok(Json(detail(state.services.operations.get(&ctx.actor, &code.to_ascii_uppercase()).await?)))
}

/// The contributions in force on a day (default today): accepted, and dated over it.
#[utoipa::path(get, path = "/operations/{code}/contributors", tag = "operations",
    params(("code" = String, Path, description = "Operation code"),
           ("at" = Option<String>, Query, description = "YYYY-MM-DD (default today)")),
    responses((status = 200, body = Vec<ContributionDto>), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn contributors(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> Result<Json<Vec<ContributionDto>>, HttpError> {
    let at = day_or_today(&params, "at", state.today())?;
    let list = state.services.operations.contributors(&ctx.actor, &code.to_ascii_uppercase(), at).await?;
    Ok(Json(list.into_iter().map(contribution_dto).collect()))
}

/// Offers a contribution (the nation's officers or the staff): status `offered`.
#[utoipa::path(post, path = "/operations/{code}/contributions", tag = "operations", request_body = ContributionInput,
    params(("code" = String, Path, description = "Operation code")),
    responses((status = 201, body = ContributionDto), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub async fn contribute(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<ContributionInput>,
) -> Result<Response, HttpError> {
    let c = state.services.operations.contribute(&ctx.actor, &ctx.registry, &code.to_ascii_uppercase(), &input).await?;
    Ok((StatusCode::CREATED, Json(contribution_dto(c))).into_response())
}

/// Moves a contribution on: `accepted` (a non-member's with the council decision),
/// `deployed`, `withdrawn`.
#[utoipa::path(post, path = "/contributions/{id}/status", tag = "operations", request_body = ContributionStatusInput,
    params(("id" = i64, Path, description = "Contribution number")),
    responses((status = 200, body = ContributionDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn contribution_status(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<ContributionStatusInput>,
) -> Result<Json<ContributionDto>, HttpError> {
    let c =
        state.services.operations.step(&ctx.actor, &ctx.registry, id, &input.status, input.council_decision).await?;
    Ok(Json(contribution_dto(c)))
}

/// A nation's contributions to every operation.
#[utoipa::path(get, path = "/nations/{code}/contributions", tag = "operations",
    params(("code" = String, Path, description = "ISO alpha-2 code")),
    responses((status = 200, body = Vec<ContributionDto>), (status = 404, body = Problem)))]
pub async fn of_nation(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Vec<ContributionDto>>, HttpError> {
    let nation = crate::service::menu::nation_field(&ctx.registry, "nation", &code)
        .map_err(|_| crate::service::ServiceError::NotFound { kind: "nation", code: code.clone() })?;
    let list = state.services.operations.of_nation(&ctx.actor, nation).await?;
    Ok(Json(list.into_iter().map(contribution_dto).collect()))
}

/// Adds a force requirement (the staff).
#[utoipa::path(post, path = "/operations/{code}/requirements", tag = "operations", request_body = RequirementInput,
    params(("code" = String, Path, description = "Operation code")),
    responses((status = 201, body = RequirementDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn add_requirement(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<RequirementInput>,
) -> Result<Response, HttpError> {
    let r = state.services.operations.add_requirement(&ctx.actor, &code.to_ascii_uppercase(), &input).await?;
    let fill = entente_core::operation::fill(r.quantity, &[]);
    Ok((StatusCode::CREATED, Json(requirement_dto(r, fill))).into_response())
}

/// Who is posted where on a day (default today), of one nation if given: the postings the
/// caller may read (the staff, and each nation its own).
#[utoipa::path(get, path = "/postings", tag = "operations",
    params(("nation" = Option<String>, Query, description = "A nation's code"),
           ("at" = Option<String>, Query, description = "YYYY-MM-DD (default today)")),
    responses((status = 200, body = Vec<PostingDto>), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn postings(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<Vec<PostingDto>>, HttpError> {
    let at = day_or_today(&params, "at", state.today())?;
    let nation = match params.get("nation").map(|n| n.trim()).filter(|n| !n.is_empty()) {
        Some(code) => Some(crate::service::menu::nation_field(&ctx.registry, "nation", code)?),
        None => None,
    };
    let list = state.services.operations.posted_on(&ctx.actor, nation, at).await?;
    Ok(Json(list.into_iter().map(posting_dto).collect()))
}

/// Posts a liaison officer to a headquarters (the staff).
#[utoipa::path(post, path = "/postings", tag = "operations", request_body = PostingInput,
    responses((status = 201, body = PostingDto), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub async fn post(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<PostingInput>,
) -> Result<Response, HttpError> {
    let p = state.services.operations.post(&ctx.actor, &ctx.registry, &input).await?;
    Ok((StatusCode::CREATED, Json(posting_dto(p))).into_response())
}
