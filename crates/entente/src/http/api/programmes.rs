//! `/programmes`: tailored programmes, their objectives, goals, supports, work plans,
//! lifecycle steps, amendments and what an amendment changes.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use entente_core::programme::{Difference, Step};

use super::params::Params;
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::service::programmes::{ObjectiveView, ProgrammeInput, ProgrammeView, WorkPlanInput};
use crate::service::{Reason, ServiceError};
use crate::store::programmes::{StoredItem, StoredProgramme};

/// A programme version.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ProgrammeDto {
    /// Code, shared by its versions.
    pub code: String,
    /// Version, from 1.
    pub version: i64,
    /// The partner.
    pub nation: String,
    /// Kind.
    pub kind: String,
    /// Title.
    pub title: String,
    /// First day (a partial date for some historical programmes; empty if unknown).
    pub starts: String,
    /// Last day.
    pub ends: String,
    /// `draft`, `submitted`, `agreed`, `in_execution` or `closed`.
    pub status: String,
    /// Marking.
    pub marking: String,
    /// The council decision's reference, once recorded.
    pub council_decision: String,
    /// Who recorded the partner's acceptance, once recorded.
    pub partner_accepted_by: String,
    /// Loaded from the reference dataset.
    pub historical: bool,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
}

/// A work-plan item.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct WorkPlanItemDto {
    /// Year.
    pub year: i64,
    /// The goal it serves.
    pub goal: i64,
    /// The goal's title.
    pub goal_title: String,
    /// The activity's or event's code.
    pub item: String,
    /// 1 (highest) to 3.
    pub priority: i64,
}

/// A programme version with its tree and work plans.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ProgrammeDetailDto {
    /// The version.
    #[serde(flatten)]
    pub programme: ProgrammeDto,
    /// Objectives, goals and supports.
    pub objectives: Vec<ObjectiveView>,
    /// Work-plan items.
    pub work_plan: Vec<WorkPlanItemDto>,
    /// Every version's number.
    pub versions: Vec<i64>,
}

/// Programme DTO.
pub fn dto(p: StoredProgramme) -> ProgrammeDto {
    ProgrammeDto {
        code: p.code,
        version: p.version,
        nation: p.nation,
        kind: p.kind,
        title: p.title,
        starts: p.starts,
        ends: p.ends,
        status: p.status,
        marking: p.marking,
        council_decision: p.council_decision,
        partner_accepted_by: p.partner_accepted_by,
        historical: p.historical,
        note: p.note,
        source: p.source,
    }
}

fn item_dto(i: StoredItem) -> WorkPlanItemDto {
    WorkPlanItemDto { year: i.year, goal: i.goal_id, goal_title: i.goal_title, item: i.code, priority: i.priority }
}

/// The detail DTO of a view.
pub fn detail(view: ProgrammeView) -> ProgrammeDetailDto {
    ProgrammeDetailDto {
        versions: view.versions.iter().map(|(v, _)| *v).collect(),
        programme: dto(view.programme),
        objectives: view.objectives,
        work_plan: view.work_plan.into_iter().map(item_dto).collect(),
    }
}

/// Programmes (latest versions) the caller may read.
#[utoipa::path(get, path = "/programmes", tag = "programmes",
    params(("nation" = Option<String>, Query, description = "A nation's code"),
           ("status" = Option<String>, Query, description = "draft, submitted, agreed, in_execution or closed")),
    responses((status = 200, body = Vec<ProgrammeDto>)))]
pub async fn list(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<Vec<ProgrammeDto>>, HttpError> {
    let text = |name: &str| params.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let nation = text("nation").map(|n| n.to_ascii_uppercase());
    if let Some(status) = text("status")
        && entente_core::programme::ProgrammeStatus::parse(&status).is_none()
    {
        return Err(ServiceError::BadQuery {
            parameter: "status".into(),
            reason: Reason::NotOneOf(status, "draft, submitted, agreed, in_execution, closed"),
        }
        .into());
    }
    let list =
        state.services.programmes.list(&ctx.actor, &ctx.registry, nation.as_deref(), text("status").as_deref()).await?;
    Ok(Json(list.into_iter().map(dto).collect()))
}

/// Starts a programme (staff, or the partner's own officers): a draft, version 1.
#[utoipa::path(post, path = "/programmes", tag = "programmes", request_body = ProgrammeInput,
    responses((status = 201, body = ProgrammeDto), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<ProgrammeInput>,
) -> Result<Response, HttpError> {
    let p = state.services.programmes.create(&ctx.actor, &ctx.registry, &input).await?;
    let location = format!("/api/v1/programmes/{}", p.code);
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, location)], Json(dto(p))).into_response())
}

/// A programme's latest version (or `?version=`), with its tree and work plans.
#[utoipa::path(get, path = "/programmes/{code}", tag = "programmes",
    params(("code" = String, Path, description = "Programme code"),
           ("version" = Option<i64>, Query, description = "A version (default: the latest)")),
    responses((status = 200, body = ProgrammeDetailDto), (status = 404, body = Problem)))]
pub async fn show(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> Result<Json<ProgrammeDetailDto>, HttpError> {
    let version = match params.get("version").map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            HttpError::from(ServiceError::BadQuery {
                parameter: "version".into(),
                reason: Reason::Inconsistent(format!("`{v}` is not a version number")),
            })
        })?),
    };
    Ok(Json(detail(state.services.programmes.get(&ctx.actor, &ctx.registry, &code, version).await?)))
}

/// Edits a draft's title, period and marking (nobody edits an agreed version: 409).
#[utoipa::path(put, path = "/programmes/{code}", tag = "programmes", request_body = ProgrammeInput,
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 200, body = ProgrammeDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<ProgrammeInput>,
) -> Result<Json<ProgrammeDto>, HttpError> {
    Ok(Json(dto(state.services.programmes.update(&ctx.actor, &ctx.registry, &code, &input).await?)))
}

/// A tree item to add: an objective (`title`), a goal (`objective`, `title`) or a support
/// (`goal`, `item`).
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TreeInput {
    /// Title of the objective or goal.
    pub title: String,
    /// The objective a goal goes under.
    pub objective: i64,
    /// The goal a support goes under.
    pub goal: i64,
    /// The supporting activity's or event's code.
    pub item: String,
}

/// The number of what was added.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Added {
    /// Its number.
    pub id: i64,
}

/// Adds a strategic objective to a draft.
#[utoipa::path(post, path = "/programmes/{code}/objectives", tag = "programmes", request_body = TreeInput,
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 201, body = Added), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_objective(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<TreeInput>,
) -> Result<Response, HttpError> {
    let id = state.services.programmes.add_objective(&ctx.actor, &ctx.registry, &code, &input.title).await?;
    Ok((StatusCode::CREATED, Json(Added { id })).into_response())
}

/// Adds a partnership goal under one of a draft's objectives.
#[utoipa::path(post, path = "/programmes/{code}/goals", tag = "programmes", request_body = TreeInput,
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 201, body = Added), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_goal(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<TreeInput>,
) -> Result<Response, HttpError> {
    let id =
        state.services.programmes.add_goal(&ctx.actor, &ctx.registry, &code, input.objective, &input.title).await?;
    Ok((StatusCode::CREATED, Json(Added { id })).into_response())
}

/// Names a menu activity or event supporting one of a draft's goals.
#[utoipa::path(post, path = "/programmes/{code}/supports", tag = "programmes", request_body = TreeInput,
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 204), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_support(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<TreeInput>,
) -> Result<StatusCode, HttpError> {
    state.services.programmes.add_support(&ctx.actor, &ctx.registry, &code, input.goal, &input.item).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Puts an activity or event on a year's work plan, under a goal, with a priority.
#[utoipa::path(post, path = "/programmes/{code}/work-plan", tag = "programmes", request_body = WorkPlanInput,
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 204), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_to_work_plan(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<WorkPlanInput>,
) -> Result<StatusCode, HttpError> {
    state.services.programmes.add_to_work_plan(&ctx.actor, &ctx.registry, &code, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A lifecycle step.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StepInput {
    /// `submit`, `return`, `council_decision`, `partner_acceptance`, `execute` or `close`.
    pub step: String,
    /// The council decision's reference (for `council_decision`).
    pub reference: String,
}

/// Takes a lifecycle step: a partner officer or the staff submit; an approver records the
/// council's decision (or returns it); the partner accepts; the staff execute and close.
#[utoipa::path(post, path = "/programmes/{code}/steps", tag = "programmes", request_body = StepInput,
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 200, body = ProgrammeDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn step(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<StepInput>,
) -> Result<Json<ProgrammeDto>, HttpError> {
    let step = Step::parse(input.step.trim()).ok_or_else(|| {
        HttpError::from(ServiceError::Invalid {
            field: "step".into(),
            reason: Reason::NotOneOf(
                input.step.clone(),
                "submit, return, council_decision, partner_acceptance, execute, close",
            ),
        })
    })?;
    Ok(Json(dto(state.services.programmes.step(&ctx.actor, &ctx.registry, &code, step, &input.reference).await?)))
}

/// Starts an amendment of an agreed programme: a new draft version.
#[utoipa::path(post, path = "/programmes/{code}/amend", tag = "programmes",
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 201, body = ProgrammeDto), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn amend(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, HttpError> {
    let p = state.services.programmes.amend(&ctx.actor, &ctx.registry, &code).await?;
    Ok((StatusCode::CREATED, Json(dto(p))).into_response())
}

/// What the latest version changes against the last agreed one.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ChangesDto {
    /// The agreed version compared.
    pub from_version: Option<i64>,
    /// The latest version.
    pub to_version: Option<i64>,
    /// The differences.
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<Difference>,
}

/// What the latest version changes against the last agreed one, field by field and item by
/// item.
#[utoipa::path(get, path = "/programmes/{code}/changes", tag = "programmes",
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 200, body = ChangesDto), (status = 404, body = Problem)))]
pub async fn changes(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<ChangesDto>, HttpError> {
    let (versions, changes) = state.services.programmes.changes(&ctx.actor, &ctx.registry, &code).await?;
    Ok(Json(ChangesDto { from_version: versions.map(|v| v.0), to_version: versions.map(|v| v.1), changes }))
}
