//! `/meetings` and `/rules/resolve`: dialogue meetings, their agenda, outcomes, action
//! items and documents, and participant rules resolved on a day.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::params::{Params, day_or_today};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::service::meetings::{ActionInput, MeetingInput, MeetingView};
use crate::store::meetings::{StoredAction, StoredMeeting};

/// A participant rule resolved on a day.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ResolvedDto {
    /// The rule as read back.
    pub rule: String,
    /// The day.
    pub at: String,
    /// The participants' codes (nations by ISO alpha-2, organisations by their code), sorted.
    pub participants: Vec<String>,
}

/// A meeting.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MeetingDto {
    /// Its number.
    pub id: i64,
    /// Title.
    pub title: String,
    /// `bilateral`, `framework`, `flexible`, `council` or `consultation`.
    pub format: String,
    /// `working`, `ambassadors`, `ministers` or `heads_of_state`.
    pub level: String,
    /// Local start at the place.
    pub starts: String,
    /// Local end at the place.
    pub ends: String,
    /// IANA time zone of the place.
    pub time_zone: String,
    /// The day the participant rule is resolved on.
    pub resolved_on: String,
    /// Place.
    pub place: String,
    /// Chair.
    pub chair: String,
    /// Participant rule (empty when the participants are only named).
    pub rule: String,
    /// Participants named one by one.
    pub names: String,
    /// Participants in the source's words, when no rule captures them.
    pub participants_text: String,
    /// Marking.
    pub marking: String,
    /// Loaded from the reference dataset.
    pub historical: bool,
    /// The date as the source writes it.
    pub recorded_date: String,
    /// Note.
    pub note: String,
    /// Source.
    pub source: String,
}

/// An action item.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ActionDto {
    /// Its number.
    pub id: i64,
    /// The meeting.
    pub meeting: i64,
    /// What is to be done.
    pub title: String,
    /// A participant's code or an account's email.
    pub owner: String,
    /// Due day.
    pub due: String,
    /// `open`, `done` or `cancelled`.
    pub status: String,
}

/// A meeting with its participants, agenda, outcomes, action items and documents.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MeetingDetailDto {
    /// The meeting.
    #[serde(flatten)]
    pub meeting: MeetingDto,
    /// The resolved participants' codes, sorted.
    pub participants: Vec<String>,
    /// Agenda items, in order.
    pub agenda: Vec<String>,
    /// Outcomes, in order.
    pub outcomes: Vec<String>,
    /// Action items.
    pub actions: Vec<ActionDto>,
    /// The attached documents the caller may read: (id, title, marking).
    pub documents: Vec<DocumentRefDto>,
}

/// A document attached to a meeting.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DocumentRefDto {
    /// Its number.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Marking.
    pub marking: String,
}

/// A page of meetings.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MeetingPageDto {
    /// The meetings, newest first.
    pub items: Vec<MeetingDto>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<i64>,
}

/// An agenda item or outcome to add.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EntryInput {
    /// `agenda` or `outcome`.
    pub section: String,
    /// The text.
    pub text: String,
}

/// A status to set.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StatusInput {
    /// The new status.
    pub status: String,
}

/// A document to attach.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AttachInput {
    /// The document's number.
    pub document: i64,
}

/// Meeting DTO.
pub fn dto(m: StoredMeeting) -> MeetingDto {
    MeetingDto {
        id: m.id,
        title: m.title,
        format: m.format,
        level: m.level,
        starts: m.starts,
        ends: m.ends,
        time_zone: m.time_zone,
        resolved_on: m.resolved_on,
        place: m.place,
        chair: m.chair,
        rule: m.rule,
        names: m.names,
        participants_text: m.participants_text,
        marking: m.marking,
        historical: m.historical,
        recorded_date: m.recorded_date,
        note: m.note,
        source: m.source,
    }
}

/// Action item DTO.
pub fn action_dto(a: StoredAction) -> ActionDto {
    ActionDto { id: a.id, meeting: a.meeting_id, title: a.title, owner: a.owner, due: a.due, status: a.status }
}

/// The detail DTO of a view.
pub fn detail(view: MeetingView) -> MeetingDetailDto {
    MeetingDetailDto {
        participants: view.participants.into_iter().map(|(_, code)| code).collect(),
        agenda: view.agenda,
        outcomes: view.outcomes,
        actions: view.actions.into_iter().map(action_dto).collect(),
        documents: view
            .documents
            .into_iter()
            .map(|d| DocumentRefDto { id: d.id, title: d.title, marking: d.marking_text })
            .collect(),
        meeting: dto(view.meeting),
    }
}

/// Resolves a participant rule on a day (default today); a rule that does not parse or
/// names an unknown framework, operation, nation or organisation is a 422 naming it and
/// its position.
#[utoipa::path(get, path = "/rules/resolve", tag = "meetings",
    params(("rule" = String, Query, description = "A rule, such as `members + framework:MD`"),
           ("at" = Option<String>, Query, description = "YYYY-MM-DD (default today)")),
    responses((status = 200, body = ResolvedDto), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn resolve(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<ResolvedDto>, HttpError> {
    let at = day_or_today(&params, "at", state.today())?;
    let text = params.get("rule").cloned().unwrap_or_default();
    let (rule, parties) = state.services.meetings.resolve_rule(&ctx.registry, &text, at).await?;
    Ok(Json(ResolvedDto {
        rule: rule.to_string(),
        at: at.to_string(),
        participants: parties.iter().map(|p| p.code().to_owned()).collect(),
    }))
}

/// The meetings the caller may see, newest first, 50 a page.
#[utoipa::path(get, path = "/meetings", tag = "meetings",
    params(("from" = Option<String>, Query, description = "Only meetings on or after this day, YYYY-MM-DD"),
           ("after" = Option<i64>, Query, description = "The `next` of the previous page")),
    responses((status = 200, body = MeetingPageDto), (status = 400, body = Problem)))]
pub async fn list(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Json<MeetingPageDto>, HttpError> {
    let from = match params.get("from").filter(|v| !v.trim().is_empty()) {
        Some(_) => Some(super::params::required_day(&params, "from")?),
        None => None,
    };
    let after = match params.get("after").filter(|v| !v.trim().is_empty()) {
        Some(text) => Some(text.trim().parse::<i64>().map_err(|_| HttpError::BadParameter {
            parameter: "after",
            value: Some(text.clone()),
            reason: "is not a meeting number".into(),
        })?),
        None => None,
    };
    let page = state.services.meetings.list(&ctx.actor, &ctx.registry, from, after).await?;
    Ok(Json(MeetingPageDto { items: page.items.into_iter().map(dto).collect(), next: page.next }))
}

/// Organises a meeting (the alliance's staff); its participants are resolved at once.
#[utoipa::path(post, path = "/meetings", tag = "meetings", request_body = MeetingInput,
    responses((status = 201, body = MeetingDto), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
pub async fn create(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<MeetingInput>,
) -> Result<Response, HttpError> {
    let m = state.services.meetings.create(&ctx.actor, &ctx.registry, &input).await?;
    let location = format!("/api/v1/meetings/{}", m.id);
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, location)], Json(dto(m))).into_response())
}

/// A meeting, if the caller takes part or its marking releases it to her.
#[utoipa::path(get, path = "/meetings/{id}", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting number")),
    responses((status = 200, body = MeetingDetailDto), (status = 404, body = Problem)))]
pub async fn show(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<MeetingDetailDto>, HttpError> {
    Ok(Json(detail(state.services.meetings.get(&ctx.actor, &ctx.registry, id).await?)))
}

/// Changes a meeting; its participants are resolved again.
#[utoipa::path(put, path = "/meetings/{id}", tag = "meetings", request_body = MeetingInput,
    params(("id" = i64, Path, description = "Meeting number")),
    responses((status = 200, body = MeetingDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn update(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<MeetingInput>,
) -> Result<Json<MeetingDto>, HttpError> {
    Ok(Json(dto(state.services.meetings.update(&ctx.actor, &ctx.registry, id, &input).await?)))
}

/// Adds an agenda item or an outcome.
#[utoipa::path(post, path = "/meetings/{id}/entries", tag = "meetings", request_body = EntryInput,
    params(("id" = i64, Path, description = "Meeting number")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_entry(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<EntryInput>,
) -> Result<StatusCode, HttpError> {
    state.services.meetings.add_entry(&ctx.actor, &ctx.registry, id, input.section.trim(), &input.text).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds an action item: an owner (a participant's code or an account's email) and a due day.
#[utoipa::path(post, path = "/meetings/{id}/actions", tag = "meetings", request_body = ActionInput,
    params(("id" = i64, Path, description = "Meeting number")),
    responses((status = 201, body = ActionDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn add_action(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<ActionInput>,
) -> Result<Response, HttpError> {
    let action = state.services.meetings.add_action(&ctx.actor, &ctx.registry, id, &input).await?;
    Ok((StatusCode::CREATED, Json(action_dto(action))).into_response())
}

/// Sets an action item's status: `open`, `done` or `cancelled`.
#[utoipa::path(post, path = "/action-items/{id}/status", tag = "meetings", request_body = StatusInput,
    params(("id" = i64, Path, description = "Action item number")),
    responses((status = 200, body = ActionDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn action_status(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<StatusInput>,
) -> Result<Json<ActionDto>, HttpError> {
    let action = state.services.meetings.set_action_status(&ctx.actor, &ctx.registry, id, &input.status).await?;
    Ok(Json(action_dto(action)))
}

/// Attaches a document the caller may read to a meeting.
#[utoipa::path(post, path = "/meetings/{id}/documents", tag = "meetings", request_body = AttachInput,
    params(("id" = i64, Path, description = "Meeting number")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn attach(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(input): Json<AttachInput>,
) -> Result<StatusCode, HttpError> {
    state.services.meetings.attach_document(&ctx.actor, &ctx.registry, id, input.document).await?;
    Ok(StatusCode::NO_CONTENT)
}
