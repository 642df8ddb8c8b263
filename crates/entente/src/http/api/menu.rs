//! `/areas`, `/menus`, `/activities`: the cooperation menu, its search and who may take part.

use axum::Json;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use entente_core::Registry;
use entente_core::menu::{Activity, MenuComparison};

use super::dto::{Linked, Page};
use super::params::{Paging, Params, day_or_today};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::service::documents::is_framework_of;
use crate::service::menu::{ActivityInput, MatrixEntry, nation_field};
use crate::service::menu_search::MenuQuery;
use crate::service::{Reason, ServiceError};
use crate::store::menu::StoredArea;

/// A menu activity.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ActivityDto {
    /// Code.
    pub code: String,
    /// Menu year.
    pub year: i32,
    /// English title.
    pub title_en: String,
    /// French title.
    pub title_fr: String,
    /// English description.
    pub description_en: String,
    /// French description.
    pub description_fr: String,
    /// Area code.
    pub area: String,
    /// Kind.
    pub kind: String,
    /// Provider's code.
    pub provider: String,
    /// Working languages.
    pub languages: Vec<String>,
    /// Marking.
    pub marking: String,
    /// `MEMBERS`, `PARTNERS` or framework codes separated by `;`.
    pub open_to: String,
    /// Default seats.
    pub default_seats: Option<u32>,
    /// Whether the nation asked about (`nation=`) may take part on `at`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eligible: Option<bool>,
    /// Why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reasons: Option<Vec<String>>,
}

/// The DTO of `activity`.
pub fn dto(activity: &Activity, registry: &Registry) -> ActivityDto {
    ActivityDto {
        code: activity.code.to_string(),
        year: activity.year,
        title_en: activity.title_en.clone(),
        title_fr: activity.title_fr.clone(),
        description_en: activity.description_en.clone(),
        description_fr: activity.description_fr.clone(),
        area: activity.area.to_string(),
        kind: activity.kind.as_str().into(),
        provider: activity.provider.clone(),
        languages: activity.languages.clone(),
        marking: activity.marking.to_text(|c| is_framework_of(registry, c)),
        open_to: activity.open_to.to_string(),
        default_seats: activity.default_seats,
        eligible: None,
        reasons: None,
    }
}

/// Whether a nation may take part, and why.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct EligibilityDto {
    /// The nation.
    pub nation: String,
    /// The activity.
    pub activity: String,
    /// Its menu's year.
    pub year: i32,
    /// The day.
    pub at: String,
    /// Yes or no.
    pub eligible: bool,
    /// Why, the deciding rule first.
    pub reasons: Vec<String>,
}

/// Every nation with a status on `at` by every activity of the menu.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MatrixDto {
    /// Menu year.
    pub year: i64,
    /// The day.
    pub at: String,
    /// Activities in the menu the caller may read.
    pub activities: usize,
    /// One row per nation.
    pub nations: Vec<MatrixEntry>,
}

/// A menu's years and sizes.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MenuYear {
    /// Year.
    pub year: i64,
    /// Activities in it.
    pub activities: i64,
}

fn year_param(params: &Params) -> Result<Option<i64>, HttpError> {
    match params.get("year").filter(|y| !y.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse::<i64>().map(Some).map_err(|_| HttpError::BadParameter {
            parameter: "year",
            value: Some(text.clone()),
            reason: "must be a year such as 2026".into(),
        }),
    }
}

/// The areas of cooperation.
#[utoipa::path(get, path = "/areas", tag = "menu", responses((status = 200, body = Vec<StoredArea>)))]
pub async fn areas(State(state): State<AppState>) -> Result<Json<Vec<StoredArea>>, HttpError> {
    Ok(Json(state.services.menu.catalogue().await?.areas))
}

/// The years with a menu.
#[utoipa::path(get, path = "/menus", tag = "menu", responses((status = 200, body = Vec<MenuYear>)))]
pub async fn years(State(state): State<AppState>) -> Result<Json<Vec<MenuYear>>, HttpError> {
    let years = state.services.menu.years().await?;
    Ok(Json(years.into_iter().map(|(year, activities)| MenuYear { year, activities }).collect()))
}

/// A year's menu, by code, as the caller may read it.
#[utoipa::path(get, path = "/menus/{year}", tag = "menu",
    params(("year" = i64, Path, description = "Menu year"),
           ("page" = Option<usize>, Query, description = "Page number, from 1"),
           ("per_page" = Option<usize>, Query, description = "Items per page, 1 to 500 (default 100)")),
    responses((status = 200, body = Page<ActivityDto>), (status = 400, body = Problem)))]
pub async fn menu(
    ctx: CallerContext,
    OriginalUri(uri): OriginalUri,
    State(state): State<AppState>,
    Path(year): Path<i64>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let paging = Paging::from_params(&params)?;
    let all = state.services.menu.menu(&ctx.actor.caller, &ctx.registry, year).await?;
    let page = paging.page_of(&all, |a| dto(a, &ctx.registry));
    Ok(Linked { uri, page }.into_response())
}

/// Every nation with a status on `at` (default today) by every activity of the menu: the
/// codes of those each may take part in.
#[utoipa::path(get, path = "/menus/{year}/eligibility", tag = "menu",
    params(("year" = i64, Path, description = "Menu year"),
           ("at" = Option<String>, Query, description = "The day, YYYY-MM-DD (default today)")),
    responses((status = 200, body = MatrixDto), (status = 400, body = Problem)))]
pub async fn matrix(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(year): Path<i64>,
    Query(params): Query<Params>,
) -> Result<Json<MatrixDto>, HttpError> {
    let at = day_or_today(&params, "at", state.today())?;
    let (activities, nations) = state.services.menu.matrix(&ctx.actor.caller, &ctx.registry, year, at).await?;
    Ok(Json(MatrixDto { year, at: at.to_string(), activities, nations }))
}

/// What changed from the `year` menu to the `other` one.
#[utoipa::path(get, path = "/menus/{year}/compare/{other}", tag = "menu",
    params(("year" = i64, Path, description = "The earlier menu"), ("other" = i64, Path, description = "The later menu")),
    responses((status = 200, body = Object)))]
pub async fn compare(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path((year, other)): Path<(i64, i64)>,
) -> Result<Json<MenuComparison>, HttpError> {
    Ok(Json(state.services.menu.compare(&ctx.actor.caller, &ctx.registry, year, other).await?))
}

/// Searches the menu: `q` (words in titles and descriptions, English and French, accents
/// ignored), filters, and `nation` to keep only what that nation may take part in on `at`.
#[utoipa::path(get, path = "/activities", tag = "menu",
    params(("q" = Option<String>, Query, description = "Words"),
           ("year" = Option<i64>, Query, description = "Menu year"),
           ("area" = Option<String>, Query, description = "Area code"),
           ("kind" = Option<String>, Query, description = "Kind"),
           ("provider" = Option<String>, Query, description = "Provider code"),
           ("month" = Option<String>, Query, description = "YYYY-MM: an event starts that month"),
           ("language" = Option<String>, Query, description = "Working language, ISO 639-1"),
           ("nation" = Option<String>, Query, description = "Only what this nation may take part in"),
           ("at" = Option<String>, Query, description = "The day eligibility is judged on (default today)"),
           ("page" = Option<usize>, Query, description = "Page number, from 1"),
           ("per_page" = Option<usize>, Query, description = "Items per page, 1 to 200 (default 50)")),
    responses((status = 200, body = Page<ActivityDto>), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn search(
    ctx: CallerContext,
    OriginalUri(uri): OriginalUri,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let page = super::params::bounded_number(&params, "page", 1, super::params::MAX_PAGE)?;
    let per_page = super::params::bounded_number(&params, "per_page", 50, 200)?;
    let query = menu_query(&ctx, &state, &params, page, per_page)?;
    let found = state.services.menu.search(&ctx.actor.caller, &ctx.registry, &query).await?;
    let items = found
        .hits
        .iter()
        .map(|hit| {
            let mut item = dto(&hit.activity, &ctx.registry);
            if let Some(e) = &hit.eligibility {
                item.eligible = Some(e.eligible);
                item.reasons = Some(e.reasons.iter().map(ToString::to_string).collect());
            }
            item
        })
        .collect();
    let page = Page { items, page, per_page, total: found.total };
    Ok(Linked { uri, page }.into_response())
}

/// The search a request's parameters ask for.
pub fn menu_query(
    ctx: &CallerContext,
    state: &AppState,
    params: &Params,
    page: usize,
    per_page: usize,
) -> Result<MenuQuery, HttpError> {
    let text = |name: &str| params.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let nation = match text("nation") {
        None => None,
        Some(code) => Some(nation_field(&ctx.registry, "nation", &code)?),
    };
    Ok(MenuQuery {
        q: text("q").unwrap_or_default(),
        year: year_param(params)?,
        area: text("area").map(|a| a.to_ascii_uppercase()),
        kind: text("kind"),
        provider: text("provider").map(|p| p.to_ascii_uppercase()),
        month: text("month"),
        language: text("language").map(|l| l.to_ascii_lowercase()),
        open_to: nation,
        at: day_or_today(params, "at", state.today())?,
        page: page as i64,
        per_page: per_page as i64,
    })
}

/// Adds an activity to a year's menu (staff).
#[utoipa::path(post, path = "/activities", tag = "menu", request_body = ActivityInput,
    responses((status = 201, body = ActivityDto), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    ctx: CallerContext,
    State(state): State<AppState>,
    Json(input): Json<ActivityInput>,
) -> Result<Response, HttpError> {
    let activity = state.services.menu.create(&ctx.actor, &ctx.registry, &input).await?;
    let location = format!("/api/v1/activities/{}?year={}", activity.code, activity.year);
    Ok((StatusCode::CREATED, [(axum::http::header::LOCATION, location)], Json(dto(&activity, &ctx.registry)))
        .into_response())
}

/// One activity: of `year`'s menu, or of the latest menu holding it.
#[utoipa::path(get, path = "/activities/{code}", tag = "menu",
    params(("code" = String, Path, description = "Activity code"), ("year" = Option<i64>, Query, description = "Menu year")),
    responses((status = 200, body = ActivityDto), (status = 404, body = Problem)))]
pub async fn show(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> Result<Json<ActivityDto>, HttpError> {
    let (_, activity) = state.services.menu.get(&ctx.actor.caller, &ctx.registry, &code, year_param(&params)?).await?;
    Ok(Json(dto(&activity, &ctx.registry)))
}

/// Replaces an activity's fields (staff); its code and year stay.
#[utoipa::path(put, path = "/activities/{code}", tag = "menu", request_body = ActivityInput,
    params(("code" = String, Path, description = "Activity code"), ("year" = Option<i64>, Query, description = "Menu year (default: the latest holding it)")),
    responses((status = 200, body = ActivityDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
pub async fn update(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
    Json(input): Json<ActivityInput>,
) -> Result<Json<ActivityDto>, HttpError> {
    let (row, _) = state.services.menu.get(&ctx.actor.caller, &ctx.registry, &code, year_param(&params)?).await?;
    let activity = state.services.menu.update(&ctx.actor, &ctx.registry, &code, row.year, &input).await?;
    Ok(Json(dto(&activity, &ctx.registry)))
}

/// Whether `nation` may take part in the activity on `at` (default today), and why.
#[utoipa::path(get, path = "/activities/{code}/eligibility", tag = "menu",
    params(("code" = String, Path, description = "Activity code"),
           ("nation" = String, Query, description = "Nation code"),
           ("at" = Option<String>, Query, description = "The day, YYYY-MM-DD (default today)"),
           ("year" = Option<i64>, Query, description = "Menu year")),
    responses((status = 200, body = EligibilityDto), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn eligibility(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> Result<Json<EligibilityDto>, HttpError> {
    let at = day_or_today(&params, "at", state.today())?;
    let nation_text = params.get("nation").cloned().unwrap_or_default();
    if nation_text.trim().is_empty() {
        return Err(ServiceError::Invalid { field: "nation".into(), reason: Reason::Required }.into());
    }
    let nation = nation_field(&ctx.registry, "nation", &nation_text)?;
    let year = year_param(&params)?;
    let (activity, answer) =
        state.services.menu.eligibility(&ctx.actor.caller, &ctx.registry, &code, year, nation, at).await?;
    Ok(Json(EligibilityDto {
        nation: nation.to_string(),
        activity: activity.code.to_string(),
        year: activity.year,
        at: at.to_string(),
        eligible: answer.eligible,
        reasons: answer.reasons.iter().map(ToString::to_string).collect(),
    }))
}
