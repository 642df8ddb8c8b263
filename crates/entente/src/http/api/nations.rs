//! `/nations`: the nations of the registry, one nation, and its timeline.

use axum::Json;
use axum::extract::{OriginalUri, Path, Query, State};

use super::dto::{Linked, NationDetailDto, NationDto, Page, StatusDto, TimelineDto, TimelineEntryDto};
use super::params::{Paging, Params, day_or_today};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::service::registry::{find_nation, search_nations};

/// Lists nations, optionally filtered by a search text, a page at a time.
#[utoipa::path(get, path = "/nations", tag = "registry",
    params(
        ("q" = Option<String>, Query, description = "Text to find in the code or the English or French name"),
        ("page" = Option<usize>, Query, description = "Page number, from 1"),
        ("per_page" = Option<usize>, Query, description = "Items per page, 1 to 500 (default 100)"),
    ),
    responses((status = 200, body = Page<NationDto>), (status = 400, body = Problem)))]
pub async fn list(
    ctx: CallerContext,
    OriginalUri(uri): OriginalUri,
    Query(params): Query<Params>,
) -> Result<Linked<Page<NationDto>>, HttpError> {
    let paging = Paging::from_params(&params)?;
    let registry = ctx.registry()?;
    let found = search_nations(registry, params.get("q").map_or("", String::as_str));
    Ok(Linked { uri, page: paging.page_of(&found, |n| NationDto::from(*n)) })
}

/// One nation, with its status on a day (today by default).
#[utoipa::path(get, path = "/nations/{code}", tag = "registry",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2 code"),
           ("at" = Option<String>, Query, description = "Day of the status, YYYY-MM-DD (default today)")),
    responses((status = 200, body = NationDetailDto), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn show(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> Result<Json<NationDetailDto>, HttpError> {
    let at = day_or_today(&params, "at", state.today())?;
    let registry = ctx.registry()?;
    let nation = find_nation(registry, &code)?;
    let status = registry.status_at(nation.code, at).map(|s| StatusDto::new(&s, registry));
    let certain = registry.is_certain_about(nation.code, at);
    Ok(Json(NationDetailDto { nation: nation.into(), status, certain, at }))
}

/// A nation's whole history: memberships and participations with their sources.
#[utoipa::path(get, path = "/nations/{code}/timeline", tag = "registry",
    params(("code" = String, Path, description = "ISO 3166-1 alpha-2 code")),
    responses((status = 200, body = TimelineDto), (status = 404, body = Problem)))]
pub async fn timeline(ctx: CallerContext, Path(code): Path<String>) -> Result<Json<TimelineDto>, HttpError> {
    let registry = ctx.registry()?;
    let nation = find_nation(registry, &code)?;
    let entries = registry.timeline(nation.code).iter().map(TimelineEntryDto::from).collect();
    Ok(Json(TimelineDto { nation: nation.into(), entries }))
}
