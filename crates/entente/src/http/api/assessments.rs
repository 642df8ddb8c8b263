//! `/parp-goals`, `/indicators`, `/reviews`, `/progress`, `/units` and `/data-quality`:
//! regular assessments, their workflow, roll-ups and force evaluations. The services decide.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;

use super::params::{Params, year_or};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::service::assessments::{
    IndicatorInput, MeasurementInput, ParpGoalInput, PartInput, ReviewActions, ReviewInput, ReviewStepInput, ReviewView,
};
use crate::service::force_units::{StepInput, UnitInput, UnitView};
use crate::service::progress::{FrameworkProgress, NationProgress, ProgressService};
use crate::service::quality::Finding;
use crate::store::assessments::{StoredIndicator, StoredMeasurement, StoredParpGoal, StoredReview};

/// A partnership goal of the Planning and Review Process.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ParpGoalDto {
    /// Its number.
    pub id: i64,
    /// The partner.
    pub nation: String,
    /// The even year it was agreed in.
    pub round_year: i64,
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Marking.
    pub marking: String,
}

/// An indicator.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct IndicatorDto {
    /// Its number.
    pub id: i64,
    /// The nation.
    pub nation: String,
    /// The programme goal it belongs to.
    pub goal: Option<i64>,
    /// The PARP goal it belongs to.
    pub parp_goal: Option<i64>,
    /// Title.
    pub title: String,
    /// Unit.
    pub unit: String,
    /// `higher`, `lower` or `milestone`.
    pub direction: String,
    /// Baseline value.
    pub baseline: f64,
    /// Baseline day.
    pub baseline_date: String,
    /// Target value.
    pub target: f64,
    /// Target day.
    pub target_date: String,
    /// Marking.
    pub marking: String,
}

/// A measurement.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MeasurementDto {
    /// Its number.
    pub id: i64,
    /// The review version it was recorded in.
    pub review: i64,
    /// The indicator.
    pub indicator: i64,
    /// Day measured.
    pub date: String,
    /// Value.
    pub value: f64,
    /// Judgement, or empty.
    pub judgement: String,
    /// Note.
    pub note: String,
    /// Evidence: a document's number.
    pub evidence: Option<i64>,
}

/// A review version.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewDto {
    /// Its number.
    pub id: i64,
    /// The partner.
    pub nation: String,
    /// `programme` or `parp`.
    pub cycle: String,
    /// The programme reviewed; empty for the PARP.
    pub programme: String,
    /// Year.
    pub year: i64,
    /// `annual`, `survey`, `goals` or `assessment`.
    pub stage: String,
    /// Version, from 1.
    pub version: i64,
    /// The approved version it corrects.
    pub corrects: Option<i64>,
    /// `draft`, `submitted`, `returned` or `approved`.
    pub status: String,
    /// Locked: approved (a correction is a new version).
    pub locked: bool,
    /// A correction of it exists.
    pub superseded: bool,
    /// Deadline.
    pub deadline: String,
    /// The partner's self-assessment.
    pub self_assessment: String,
    /// The staff's assessment.
    pub staff_assessment: String,
    /// The approver's comments.
    pub comments: String,
    /// Marking.
    pub marking: String,
    /// Who approved it.
    pub approved_by: String,
}

/// A review version with its measurements and the caller's actions.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewDetailDto {
    /// The version.
    pub review: ReviewDto,
    /// Past its deadline and not approved.
    pub overdue: bool,
    /// Every version: its number, version and status.
    pub versions: Vec<(i64, i64, String)>,
    /// The indicators it covers.
    pub indicators: Vec<IndicatorDto>,
    /// The measurements recorded in this version.
    pub measurements: Vec<MeasurementDto>,
    /// What the caller may do.
    pub actions: ReviewActions,
}

/// Every nation's progress in a year and each framework's.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ProgressOverviewDto {
    /// The year.
    pub year: i64,
    /// Nations with programmes or PARP goals the caller may read.
    pub nations: Vec<NationProgress>,
    /// Frameworks, from their partners'.
    pub frameworks: Vec<FrameworkProgress>,
}

fn parp_goal_dto(g: StoredParpGoal) -> ParpGoalDto {
    ParpGoalDto {
        id: g.id,
        nation: g.nation,
        round_year: g.round_year,
        code: g.code,
        title: g.title,
        marking: g.marking,
    }
}

fn indicator_dto(i: StoredIndicator) -> IndicatorDto {
    IndicatorDto {
        id: i.id,
        nation: i.nation,
        goal: i.programme_goal_id,
        parp_goal: i.parp_goal_id,
        title: i.title,
        unit: i.unit,
        direction: i.direction,
        baseline: i.baseline,
        baseline_date: i.baseline_date,
        target: i.target,
        target_date: i.target_date,
        marking: i.marking,
    }
}

fn measurement_dto(m: StoredMeasurement) -> MeasurementDto {
    MeasurementDto {
        id: m.id,
        review: m.review_id,
        indicator: m.indicator_id,
        date: m.measured_on,
        value: m.value,
        judgement: m.judgement,
        note: m.note,
        evidence: m.evidence_document_id,
    }
}

/// A review version as the API gives it.
pub fn review_dto(r: StoredReview) -> ReviewDto {
    ReviewDto {
        locked: r.status == "approved",
        id: r.id,
        nation: r.nation,
        cycle: r.cycle,
        programme: r.programme_code,
        year: r.year,
        stage: r.stage,
        version: r.version,
        corrects: r.predecessor_id,
        status: r.status,
        superseded: r.superseded,
        deadline: r.deadline,
        self_assessment: r.self_assessment,
        staff_assessment: r.staff_assessment,
        comments: r.comments,
        marking: r.marking,
        approved_by: r.approved_by,
    }
}

/// A review view as the API gives it.
pub fn detail(view: ReviewView) -> ReviewDetailDto {
    let mut indicators = Vec::new();
    let mut measurements = Vec::new();
    for item in view.indicators {
        if let Some(m) = item.measurement {
            measurements.push(measurement_dto(m));
        }
        indicators.push(indicator_dto(item.indicator));
    }
    ReviewDetailDto {
        review: review_dto(view.review),
        overdue: view.overdue,
        versions: view.versions,
        indicators,
        measurements,
        actions: view.actions,
    }
}

/// Agrees a PARP goal (staff, or the partner's officers for their nation).
#[utoipa::path(post, path = "/parp-goals", tag = "assessments", request_body = ParpGoalInput,
    responses((status = 201, body = ParpGoalDto), (status = 403, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)))]
pub async fn create_parp_goal(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<ParpGoalInput>,
) -> Result<Response, HttpError> {
    let goal = state.services.assessments.create_parp_goal(&ctx.actor, &ctx.registry, &input).await?;
    Ok((StatusCode::CREATED, Json(parp_goal_dto(goal))).into_response())
}

/// Defines an indicator of a programme's goal (`goal`) or of a PARP goal (`parp_goal`).
#[utoipa::path(post, path = "/indicators", tag = "assessments", request_body = IndicatorInput,
    responses((status = 201, body = IndicatorDto), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_indicator(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<IndicatorInput>,
) -> Result<Response, HttpError> {
    let indicator = state.services.assessments.create_indicator(&ctx.actor, &ctx.registry, &input).await?;
    Ok((StatusCode::CREATED, Json(indicator_dto(indicator))).into_response())
}

/// The current version of every review the caller may read.
#[utoipa::path(get, path = "/reviews", tag = "assessments",
    params(("nation" = Option<String>, Query, description = "ISO alpha-2 code"),
           ("year" = Option<i64>, Query, description = "Year")),
    responses((status = 200, body = Vec<ReviewDto>), (status = 400, body = Problem)))]
pub async fn list_reviews(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<Vec<ReviewDto>>, HttpError> {
    let year = if params.contains_key("year") { Some(year_or(&params, "year", 0)?) } else { None };
    let nation = params.get("nation").map(|n| n.to_ascii_uppercase());
    let list = state.services.assessments.list(&ctx.actor, &ctx.registry, nation.as_deref(), year).await?;
    Ok(Json(list.into_iter().map(review_dto).collect()))
}

/// Opens a review period for a nation (a programme's annual review or a PARP stage).
#[utoipa::path(post, path = "/reviews", tag = "assessments", request_body = ReviewInput,
    responses((status = 201, body = ReviewDto), (status = 403, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem)))]
pub async fn open_review(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<ReviewInput>,
) -> Result<Response, HttpError> {
    let review = state.services.assessments.open_review(&ctx.actor, &ctx.registry, &input).await?;
    Ok((StatusCode::CREATED, Json(review_dto(review))).into_response())
}

/// A review version with its indicators, measurements and what the caller may do.
#[utoipa::path(get, path = "/reviews/{id}", tag = "assessments",
    params(("id" = i64, Path, description = "Review number")),
    responses((status = 200, body = ReviewDetailDto), (status = 404, body = Problem)))]
pub async fn show_review(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<ReviewDetailDto>, HttpError> {
    Ok(Json(detail(state.services.assessments.get(&ctx.actor, &ctx.registry, id, state.today()).await?)))
}

/// Writes the self-assessment (the partner's officers) or the assessment (staff).
#[utoipa::path(post, path = "/reviews/{id}/parts", tag = "assessments", request_body = PartInput,
    params(("id" = i64, Path, description = "Review number")),
    responses((status = 200, body = ReviewDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn write_part(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<PartInput>,
) -> Result<Json<ReviewDto>, HttpError> {
    Ok(Json(review_dto(state.services.assessments.write_part(&ctx.actor, &ctx.registry, id, &input).await?)))
}

/// Records (or replaces) a measurement in a review that is not locked.
#[utoipa::path(post, path = "/reviews/{id}/measurements", tag = "assessments", request_body = MeasurementInput,
    params(("id" = i64, Path, description = "Review number")),
    responses((status = 201, body = MeasurementDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn measure(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<MeasurementInput>,
) -> Result<Response, HttpError> {
    let m = state.services.assessments.measure(&ctx.actor, &ctx.registry, id, &input).await?;
    Ok((StatusCode::CREATED, Json(measurement_dto(m))).into_response())
}

/// Takes a workflow step: `submit`, `return` (with comments) or `approve` (an approver).
#[utoipa::path(post, path = "/reviews/{id}/steps", tag = "assessments", request_body = ReviewStepInput,
    params(("id" = i64, Path, description = "Review number")),
    responses((status = 200, body = ReviewDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn step(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<ReviewStepInput>,
) -> Result<Json<ReviewDto>, HttpError> {
    Ok(Json(review_dto(state.services.assessments.step(&ctx.actor, &ctx.registry, id, &input).await?)))
}

/// Corrects an approved review: a new draft version; the approved one is kept.
#[utoipa::path(post, path = "/reviews/{id}/correct", tag = "assessments",
    params(("id" = i64, Path, description = "Review number")),
    responses((status = 201, body = ReviewDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn correct(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let review = state.services.assessments.correct(&ctx.actor, &ctx.registry, id).await?;
    Ok((StatusCode::CREATED, Json(review_dto(review))).into_response())
}

/// A nation's progress in a year: programmes, goals and indicators, each from 0 to 1 or
/// null where no data, with its status.
#[utoipa::path(get, path = "/progress/{nation}", tag = "assessments",
    params(("nation" = String, Path, description = "ISO alpha-2 code"),
           ("year" = Option<i64>, Query, description = "Year (default this year)")),
    responses((status = 200, body = NationProgress), (status = 400, body = Problem)))]
pub async fn nation_progress(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(nation): Path<String>,
    Query(params): Query<Params>,
) -> Result<Json<NationProgress>, HttpError> {
    let year = year_or(&params, "year", i64::from(state.today().year()))?;
    let nation = nation.to_ascii_uppercase();
    if nation.parse::<entente_core::NationCode>().ok().and_then(|n| ctx.registry.nation(n)).is_none() {
        return Err(crate::service::ServiceError::NotFound { kind: "nation", code: nation }.into());
    }
    Ok(Json(state.services.progress.nation(&ctx.actor, &ctx.registry, &nation, year).await?))
}

/// Every nation's progress in a year, and each framework's from its partners'.
#[utoipa::path(get, path = "/progress", tag = "assessments",
    params(("year" = Option<i64>, Query, description = "Year (default this year)")),
    responses((status = 200, body = ProgressOverviewDto), (status = 400, body = Problem)))]
pub async fn overview(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<ProgressOverviewDto>, HttpError> {
    let year = year_or(&params, "year", i64::from(state.today().year()))?;
    let nations = state.services.progress.all(&ctx.actor, &ctx.registry, year).await?;
    let frameworks = ProgressService::frameworks(&ctx.registry, year, &nations);
    Ok(Json(ProgressOverviewDto { year, nations, frameworks }))
}

/// Units declared to the pool of forces that the caller may read, with where they stand.
#[utoipa::path(get, path = "/units", tag = "assessments",
    params(("nation" = Option<String>, Query, description = "ISO alpha-2 code"),
           ("due" = Option<bool>, Query, description = "Only units due for revalidation")),
    responses((status = 200, body = Vec<UnitView>)))]
pub async fn units(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<Vec<UnitView>>, HttpError> {
    let nation = params.get("nation").map(|n| n.to_ascii_uppercase());
    let due_only = params.get("due").is_some_and(|v| v == "true");
    let list = state.services.forces.list(&ctx.actor, &ctx.registry, nation.as_deref(), state.today()).await?;
    Ok(Json(list.into_iter().filter(|u| !due_only || u.due_for_revalidation).collect()))
}

/// Declares a unit to the pool of forces (the nation's officers or staff).
#[utoipa::path(post, path = "/units", tag = "assessments", request_body = UnitInput,
    responses((status = 201, body = UnitView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn declare(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<UnitInput>,
) -> Result<Response, HttpError> {
    let unit = state.services.forces.declare(&ctx.actor, &ctx.registry, &input, state.today()).await?;
    Ok((StatusCode::CREATED, Json(unit)).into_response())
}

/// Records an evaluation step: SEL1 and SEL2 by the nation or staff, NEL1, NEL2 and REVAL
/// by staff; in order; a passed NEL2 certifies the unit for three years.
#[utoipa::path(post, path = "/units/{id}/steps", tag = "assessments", request_body = StepInput,
    params(("id" = i64, Path, description = "Unit number")),
    responses((status = 201, body = UnitView), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn unit_step(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<StepInput>,
) -> Result<Response, HttpError> {
    let unit = state.services.forces.record_step(&ctx.actor, &ctx.registry, id, &input, state.today()).await?;
    Ok((StatusCode::CREATED, Json(unit)).into_response())
}

/// What the partnership staff should look at: goals without indicators, indicators not
/// measured in the last period, programmes without this year's work plan, overdue action
/// items and reviews, certifications about to lapse.
#[utoipa::path(get, path = "/data-quality", tag = "assessments",
    params(("year" = Option<i64>, Query, description = "Year (default this year)")),
    responses((status = 200, body = Vec<Finding>), (status = 400, body = Problem)))]
pub async fn data_quality(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<Vec<Finding>>, HttpError> {
    let year = year_or(&params, "year", i64::from(state.today().year()))?;
    Ok(Json(crate::service::quality::findings(&state.services, &ctx.actor, &ctx.registry, year, state.today()).await?))
}
