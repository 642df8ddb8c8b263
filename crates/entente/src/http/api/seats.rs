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
use crate::service::seats::{Allocated, RequestInput};
use crate::store::seats::{StoredBudget, StoredRequest};

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
