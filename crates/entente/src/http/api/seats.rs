//! Seat requests and allocation: `/events/{code}/requests`, `/requests/{id}/cancel`,
//! `/events/{code}/allocate`, `/allocations/{year}` and `/budgets`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use entente_core::allocation::Why;

use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::http::i18n::Lang;
use crate::http::seat_words::answer_text;
use crate::service::nominations::{FeedbackInput, NominationInput};
use crate::service::seats::{Allocated, RequestInput};
use crate::store::seats::{StoredBudget, StoredFeedback, StoredNomination, StoredRequest};

/// A seat request and its answer.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SeatRequestDto {
    /// Its number.
    pub id: i64,
    /// The event's code.
    pub event: String,
    /// The nation asking.
    pub nation: String,
    /// Seats asked for.
    pub seats_requested: i64,
    /// Seats given.
    pub seats_allocated: i64,
    /// 1 (highest) to 3.
    pub priority: i64,
    /// `requested`, `allocated`, `waitlisted` or `cancelled`.
    pub status: String,
    /// The answer in words, with why not more.
    pub reason: String,
    /// Why not more, as data (absent until answered).
    #[schema(value_type = Option<Object>)]
    pub why: Option<Why>,
    /// When it was asked.
    pub requested_at: String,
    /// Participants named on it.
    pub nominated: i64,
}

/// The DTO of `request`, on an event whose deadline is `deadline`.
pub fn request_dto(request: StoredRequest, deadline: &str) -> SeatRequestDto {
    let reason =
        answer_text(&request.status, request.seats, request.seats_allocated, &request.reason, deadline, Lang::En);
    SeatRequestDto {
        id: request.id,
        why: serde_json::from_str(&request.reason).ok(),
        event: request.event_code,
        nation: request.nation,
        seats_requested: request.seats,
        seats_allocated: request.seats_allocated,
        priority: request.priority,
        status: request.status,
        reason,
        requested_at: request.requested_at,
        nominated: request.nominated,
    }
}

fn allocated_dto(a: Allocated) -> SeatRequestDto {
    request_dto(a.request, &a.deadline)
}

/// Asks for seats on an event. A partner officer may only ask for her own nation. A
/// `first_come` event answers at once (`allocated` or `waitlisted`), an `at_deadline` one
/// when registration closes (`requested`).
#[utoipa::path(post, path = "/events/{code}/requests", tag = "seats", request_body = RequestInput,
    params(("code" = String, Path, description = "Event code")),
    responses((status = 201, body = SeatRequestDto), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<RequestInput>,
) -> Result<Response, HttpError> {
    let view = state.services.seats.request(&ctx.actor, &ctx.registry, &code, &input).await?;
    let location = format!("/api/v1/events/{code}/requests#{}", view.request.id);
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, location)],
        Json(request_dto(view.request, &view.deadline)),
    )
        .into_response())
}

/// An event's requests, earliest first: every nation's for the organising staff, her own
/// nation's for a nation's officer.
#[utoipa::path(get, path = "/events/{code}/requests", tag = "seats",
    params(("code" = String, Path, description = "Event code")),
    responses((status = 200, body = Vec<SeatRequestDto>), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Vec<SeatRequestDto>>, HttpError> {
    let (requests, deadline) = state.services.seats.requests(&ctx.actor, &ctx.registry, &code).await?;
    Ok(Json(requests.into_iter().map(|r| request_dto(r, &deadline)).collect()))
}

/// Cancels a request; its seats go to the first on the waitlist at once.
#[utoipa::path(post, path = "/requests/{id}/cancel", tag = "seats",
    params(("id" = i64, Path, description = "Request number")),
    responses((status = 200, body = SeatRequestDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn cancel(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<SeatRequestDto>, HttpError> {
    let view = state.services.seats.cancel(&ctx.actor, &ctx.registry, id).await?;
    Ok(Json(request_dto(view.request, &view.deadline)))
}

/// Allocates an `at_deadline` event's seats all at once (staff): priority first, then one
/// seat per nation before any second, then the earlier request.
#[utoipa::path(post, path = "/events/{code}/allocate", tag = "seats",
    params(("code" = String, Path, description = "Event code")),
    responses((status = 200, body = Vec<SeatRequestDto>), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem)))]
pub async fn allocate(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Vec<SeatRequestDto>>, HttpError> {
    let answers = state.services.seats.allocate(&ctx.actor, &ctx.registry, &code).await?;
    Ok(Json(answers.into_iter().map(allocated_dto).collect()))
}

/// A year's allocation.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct YearAllocationDto {
    /// The year.
    pub year: i64,
    /// Seats given, weighted by priority (3, 2, 1 for priorities 1, 2, 3).
    pub value: u64,
    /// Every request of the year's `at_deadline` events.
    pub requests: Vec<SeatRequestDto>,
}

/// Allocates every `at_deadline` event of a year at once (staff), under the nations' yearly
/// budgets of sponsored seats.
#[utoipa::path(post, path = "/allocations/{year}", tag = "seats",
    params(("year" = i64, Path, description = "Year")),
    responses((status = 200, body = YearAllocationDto), (status = 403, body = Problem)))]
pub async fn allocate_year(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(year): Path<i64>,
) -> Result<Json<YearAllocationDto>, HttpError> {
    let (answers, value) = state.services.seats.allocate_year(&ctx.actor, &ctx.registry, year).await?;
    Ok(Json(YearAllocationDto { year, value, requests: answers.into_iter().map(allocated_dto).collect() }))
}

/// Sets a nation's yearly budget of sponsored seats (staff); an empty `area` is the budget
/// over every area.
#[utoipa::path(put, path = "/budgets", tag = "seats", request_body = StoredBudget,
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn set_budget(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(budget): Json<StoredBudget>,
) -> Result<StatusCode, HttpError> {
    state.services.seats.set_budget(&ctx.actor, &budget).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A participant named on a request. Name, rank, position and email are personal data,
/// empty once purged.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct NominationDto {
    /// Its number.
    pub id: i64,
    /// The request's number.
    pub request: i64,
    /// Name.
    pub name: Option<String>,
    /// Rank.
    pub rank: Option<String>,
    /// Position.
    pub position: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// `nominated`, `confirmed`, `attended`, `no_show` or `cancelled`.
    pub status: String,
    /// When the personal data was purged.
    pub purged_at: Option<String>,
}

fn nomination_dto(n: StoredNomination) -> NominationDto {
    NominationDto {
        id: n.id,
        request: n.request_id,
        name: n.name,
        rank: n.rank,
        position: n.position,
        email: n.email,
        status: n.status,
        purged_at: n.purged_at,
    }
}

/// Names a participant on a request's seats (the nation's officers, the staff). A name and
/// a well-formed email are required; the same person twice on one event is a conflict.
#[utoipa::path(post, path = "/requests/{id}/nominations", tag = "seats", request_body = NominationInput,
    params(("id" = i64, Path, description = "Request number")),
    responses((status = 201, body = NominationDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn nominate(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<NominationInput>,
) -> Result<Response, HttpError> {
    let stored = state.services.nominations.nominate(&ctx.actor, &ctx.registry, id, &input).await?;
    Ok((StatusCode::CREATED, Json(nomination_dto(stored))).into_response())
}

/// The participants named on a request (the nation's own people and the organising staff).
#[utoipa::path(get, path = "/requests/{id}/nominations", tag = "seats",
    params(("id" = i64, Path, description = "Request number")),
    responses((status = 200, body = Vec<NominationDto>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn nominations(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Vec<NominationDto>>, HttpError> {
    let (_, list) = state.services.nominations.nominations(&ctx.actor, &ctx.registry, id).await?;
    Ok(Json(list.into_iter().map(nomination_dto).collect()))
}

/// A feedback report.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FeedbackDto {
    /// Its number.
    pub id: i64,
    /// `participant` or `organiser`.
    pub role: String,
    /// Its marking.
    pub marking: String,
    /// The report.
    pub body: String,
    /// When it was filed.
    pub created_at: String,
}

fn feedback_dto(f: StoredFeedback) -> FeedbackDto {
    FeedbackDto { id: f.id, role: f.author_role, marking: f.marking, body: f.body, created_at: f.created_at }
}

/// Files a feedback report on an event, marked like any record.
#[utoipa::path(post, path = "/events/{code}/feedback", tag = "seats", request_body = FeedbackInput,
    params(("code" = String, Path, description = "Event code")),
    responses((status = 201, body = FeedbackDto), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_feedback(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<FeedbackInput>,
) -> Result<Response, HttpError> {
    let id = state.services.nominations.add_feedback(&ctx.actor, &ctx.registry, &code, &input).await?;
    let stored = state.services.nominations.feedback(&ctx.actor, &ctx.registry, &code).await?;
    let body = stored.into_iter().find(|f| f.id == id).map(feedback_dto);
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// An event's feedback reports, those the caller may read.
#[utoipa::path(get, path = "/events/{code}/feedback", tag = "seats",
    params(("code" = String, Path, description = "Event code")),
    responses((status = 200, body = Vec<FeedbackDto>), (status = 404, body = Problem)))]
pub async fn feedback(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Vec<FeedbackDto>>, HttpError> {
    let list = state.services.nominations.feedback(&ctx.actor, &ctx.registry, &code).await?;
    Ok(Json(list.into_iter().map(feedback_dto).collect()))
}

/// A nomination's new status.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NominationStatusInput {
    /// `confirmed` or `cancelled` (the nation), `attended` or `no_show` (the organisers, once
    /// the event has started).
    pub status: String,
}

/// Moves a nomination on: confirmed, cancelled, attended or no-show.
#[utoipa::path(post, path = "/nominations/{id}/status", tag = "seats", request_body = NominationStatusInput,
    params(("id" = i64, Path, description = "Nomination number")),
    responses((status = 200, body = NominationDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn nomination_status(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<NominationStatusInput>,
) -> Result<Json<NominationDto>, HttpError> {
    let stored = state.services.nominations.set_status(&ctx.actor, &ctx.registry, id, input.status.trim()).await?;
    Ok(Json(nomination_dto(stored)))
}
