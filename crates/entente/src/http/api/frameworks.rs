//! `/frameworks`: frameworks and statuses, and their participants on a day.

use axum::Json;
use axum::extract::{OriginalUri, Path, Query};

use super::dto::{FrameworkDto, Linked, Page, ParticipantDto, ParticipantsDto};
use super::params::{Paging, Params, required_day};
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::service::registry::find_framework;

/// Lists frameworks and statuses, a page at a time.
#[utoipa::path(get, path = "/frameworks", tag = "registry",
    params(("page" = Option<usize>, Query, description = "Page number, from 1"),
           ("per_page" = Option<usize>, Query, description = "Items per page, 1 to 500 (default 100)")),
    responses((status = 200, body = Page<FrameworkDto>), (status = 400, body = Problem)))]
pub async fn list(
    ctx: CallerContext,
    OriginalUri(uri): OriginalUri,
    Query(params): Query<Params>,
) -> Result<Linked<Page<FrameworkDto>>, HttpError> {
    let paging = Paging::from_params(&params)?;
    let registry = ctx.registry()?;
    let all: Vec<_> = registry.frameworks().collect();
    Ok(Linked { uri, page: paging.page_of(&all, |f| FrameworkDto::from(*f)) })
}

/// The nations taking part in a framework on a day.
#[utoipa::path(get, path = "/frameworks/{code}/participants", tag = "registry",
    params(("code" = String, Path, description = "Framework code, such as PFP"),
           ("at" = String, Query, description = "The day, YYYY-MM-DD")),
    responses((status = 200, body = ParticipantsDto), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn participants(
    ctx: CallerContext,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> Result<Json<ParticipantsDto>, HttpError> {
    let registry = ctx.registry()?;
    let framework = find_framework(registry, &code)?;
    let at = required_day(&params, "at")?;
    let participants =
        registry.participants_at(&framework.code, at).iter().map(|p| ParticipantDto::new(p, registry)).collect();
    Ok(Json(ParticipantsDto { framework: framework.into(), at, participants }))
}
