//! `/events`, `/decisions`, `/policies`: the menu's events, the council's decisions and the
//! eligibility policies.

use axum::Json;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::dto::{Linked, Page};
use super::params::{Paging, Params};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::service::council::{DecisionInput, PolicyInput};
use crate::service::events::EventInput;
use crate::store::events::{EventFilter, StoredEvent};
use crate::store::rules::{StoredDecision, StoredPolicy};

/// An event.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct EventDto {
    /// Code.
    pub code: String,
    /// The activity's code.
    pub activity: String,
    /// The activity's year.
    pub year: i64,
    /// The activity's English title.
    pub title_en: String,
    /// Local start: `YYYY-MM-DDTHH:MM`, or a day.
    pub start: String,
    /// Local end.
    pub end: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Place.
    pub place: String,
    /// Seats.
    pub capacity: i64,
    /// Per-nation quota.
    pub quota: Option<i64>,
    /// Registration deadline.
    pub deadline: String,
    /// `planned`, `open`, `closed`, `held` or `cancelled`.
    pub status: String,
    /// `first_come` or `at_deadline`.
    pub mode: String,
}

fn dto(e: &StoredEvent) -> EventDto {
    EventDto {
        code: e.code.clone(),
        activity: e.activity_code.clone(),
        year: e.activity_year,
        title_en: e.title_en.clone(),
        start: e.starts.clone(),
        end: e.ends.clone(),
        time_zone: e.time_zone.clone(),
        place: e.place.clone(),
        capacity: e.capacity,
        quota: e.quota,
        deadline: e.deadline.clone(),
        status: e.status.clone(),
        mode: e.mode.clone(),
    }
}

/// A council decision.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DecisionDto {
    /// Its number.
    pub id: i64,
    /// The day it was taken.
    pub decided_on: String,
    /// `opens` or `suspends`.
    pub kind: String,
    /// Nation codes.
    pub nations: Vec<String>,
    /// `menu`, `area:CODE` or `activity:CODE`.
    pub scope: String,
    /// First day valid.
    pub from: String,
    /// Last day valid.
    pub to: Option<String>,
    /// Where it is recorded.
    pub reference: String,
}

fn decision_dto(d: StoredDecision) -> DecisionDto {
    DecisionDto {
        id: d.id,
        decided_on: d.decided_on,
        kind: d.kind,
        nations: d.nations,
        scope: d.scope,
        from: d.from_day,
        to: d.to_day,
        reference: d.reference,
    }
}

/// Events by start, as the caller may read them.
#[utoipa::path(get, path = "/events", tag = "menu",
    params(("activity" = Option<String>, Query, description = "Activity code"),
           ("area" = Option<String>, Query, description = "Area code"),
           ("from" = Option<String>, Query, description = "Starting on or after, YYYY-MM-DD"),
           ("to" = Option<String>, Query, description = "Starting on or before, YYYY-MM-DD"),
           ("page" = Option<usize>, Query, description = "Page number, from 1"),
           ("per_page" = Option<usize>, Query, description = "Items per page, 1 to 500 (default 100)")),
    responses((status = 200, body = Page<EventDto>), (status = 400, body = Problem)))]
pub async fn list(
    ctx: CallerContext,
    OriginalUri(uri): OriginalUri,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let paging = Paging::from_params(&params)?;
    let text = |name: &str| params.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let day = |name: &'static str| -> Result<Option<String>, HttpError> {
        Ok(if params.contains_key(name) { Some(super::params::required_day(&params, name)?.to_string()) } else { None })
    };
    let activity_id = match text("activity") {
        None => None,
        Some(code) => Some(state.services.menu.get(&ctx.actor.caller, &ctx.registry, &code, None).await?.0.id),
    };
    let filter = EventFilter {
        activity_id,
        area: text("area").map(|a| a.to_ascii_uppercase()),
        from: day("from")?,
        to: day("to")?,
        ..EventFilter::default()
    };
    let all = state.services.events.list(&ctx.actor.caller, &ctx.registry, filter).await?;
    Ok(Linked { uri, page: paging.page_of(&all, dto) }.into_response())
}

/// Schedules an event of an activity (staff).
#[utoipa::path(post, path = "/events", tag = "menu", request_body = EventInput,
    responses((status = 201, body = EventDto), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<EventInput>,
) -> Result<Response, HttpError> {
    let event = state.services.events.create(&ctx.actor, &ctx.registry, &input).await?;
    let location = format!("/api/v1/events/{}", event.code);
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, location)], Json(dto(&event))).into_response())
}

/// One event.
#[utoipa::path(get, path = "/events/{code}", tag = "menu",
    params(("code" = String, Path, description = "Event code")),
    responses((status = 200, body = EventDto), (status = 404, body = Problem)))]
pub async fn show(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<EventDto>, HttpError> {
    Ok(Json(dto(&state.services.events.get(&ctx.actor.caller, &ctx.registry, &code).await?)))
}

/// Replaces an event's fields (staff); its code stays, and an empty `activity` keeps the event's.
#[utoipa::path(put, path = "/events/{code}", tag = "menu", request_body = EventInput,
    params(("code" = String, Path, description = "Event code")),
    responses((status = 200, body = EventDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn update(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<EventInput>,
) -> Result<Json<EventDto>, HttpError> {
    Ok(Json(dto(&state.services.events.update(&ctx.actor, &ctx.registry, &code, &input).await?)))
}

/// The council's decisions, latest first.
#[utoipa::path(get, path = "/decisions", tag = "menu", responses((status = 200, body = Vec<DecisionDto>)))]
pub async fn decisions(ctx: CallerContext, State(state): State<AppState>) -> Result<Json<Vec<DecisionDto>>, HttpError> {
    let rows = state.services.council.decisions(&ctx.actor).await?;
    Ok(Json(rows.into_iter().map(decision_dto).collect()))
}

/// Records a council decision (approvers and staff).
#[utoipa::path(post, path = "/decisions", tag = "menu", request_body = DecisionInput,
    responses((status = 201, body = DecisionDto), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub async fn add_decision(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<DecisionInput>,
) -> Result<Response, HttpError> {
    let id = state.services.council.add_decision(&ctx.actor, &ctx.registry, &input).await?;
    let stored = state.services.council.decisions(&ctx.actor).await?.into_iter().find(|d| d.id == id);
    let body = stored.map(decision_dto);
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, format!("/api/v1/decisions#{id}"))], Json(body))
        .into_response())
}

/// The eligibility policies, by start.
#[utoipa::path(get, path = "/policies", tag = "menu", responses((status = 200, body = Vec<StoredPolicy>)))]
pub async fn policies(ctx: CallerContext, State(state): State<AppState>) -> Result<Json<Vec<StoredPolicy>>, HttpError> {
    Ok(Json(state.services.council.policies(&ctx.actor).await?))
}

/// Creates or replaces the policy `code` (staff).
#[utoipa::path(put, path = "/policies/{code}", tag = "menu", request_body = PolicyInput,
    params(("code" = String, Path, description = "Policy code")),
    responses((status = 200, body = Vec<StoredPolicy>), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn save_policy(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Json(input): Json<PolicyInput>,
) -> Result<Json<Vec<StoredPolicy>>, HttpError> {
    state.services.council.save_policy(&ctx.actor, &PolicyInput { code, ..input }).await?;
    Ok(Json(state.services.council.policies(&ctx.actor).await?))
}
