//! `/documents`: marked records, listed, counted and downloaded only through `authorize()`.

use axum::Json;
use axum::extract::{Multipart, OriginalUri, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::{CursorPage, Linked};
use super::params::{Params, bounded_number};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::error::{HttpError, Problem};
use crate::http::upload::{attachment, read_upload};
use crate::service::documents::Document;
use crate::service::documents::Fetch;

/// A document's description.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDto {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// The marking's text form, such as `RESTRICTED REL TO GE`.
    #[schema(example = "RESTRICTED REL TO GE")]
    pub marking: String,
    /// The classification alone.
    pub classification: String,
    /// The nation whose document it is.
    pub owner: Option<String>,
    /// The uploaded file's name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Linked nations' codes.
    pub nations: Vec<String>,
    /// Linked frameworks' codes.
    pub frameworks: Vec<String>,
    /// When it was uploaded.
    pub uploaded_at: String,
}

impl From<&Document> for DocumentDto {
    fn from(d: &Document) -> Self {
        let linked = |kind: &str| d.links.iter().filter(|(k, _)| k == kind).map(|(_, c)| c.clone()).collect();
        Self {
            id: d.id,
            title: d.title.clone(),
            marking: d.marking_text.clone(),
            classification: d.marking.classification().as_str().to_owned(),
            owner: d.owner.map(|o| o.to_string()),
            filename: d.filename.clone(),
            content_type: d.content_type.clone(),
            size_bytes: d.size_bytes,
            sha256: d.sha256.clone(),
            nations: linked("nation"),
            frameworks: linked("framework"),
            uploaded_at: d.uploaded_at.clone(),
        }
    }
}

/// The documents released to the caller, newest first, a page at a time by cursor;
/// `total` counts only those.
#[utoipa::path(get, path = "/documents", tag = "documents",
    params(("after" = Option<i64>, Query, description = "The `next_after` of the previous page"),
           ("per_page" = Option<usize>, Query, description = "Items per page, 1 to 500 (default 100)")),
    responses((status = 200, body = CursorPage<DocumentDto>), (status = 400, body = Problem), (status = 401, body = Problem)))]
pub async fn list(
    ctx: CallerContext,
    OriginalUri(uri): OriginalUri,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Linked<CursorPage<DocumentDto>>, HttpError> {
    let per_page = bounded_number(&params, "per_page", 100, 500)?;
    let after = match params.get("after") {
        None => None,
        Some(text) => {
            Some(text.parse::<i64>().ok().filter(|after| *after >= 1).ok_or_else(|| HttpError::BadParameter {
                parameter: "after",
                value: Some(text.clone()),
                reason: "must be the `next_after` of the previous page".into(),
            })?)
        }
    };
    let page = state.services.documents.list(ctx.caller(), &ctx.registry, after, per_page as i64).await?;
    let page = CursorPage {
        items: page.items.iter().map(DocumentDto::from).collect(),
        per_page,
        total: page.total as usize,
        next_after: page.next,
    };
    Ok(Linked { uri, page })
}

/// One document's description; 404 when it does not exist or is not released to the caller.
#[utoipa::path(get, path = "/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, body = DocumentDto), (status = 404, body = Problem)))]
pub async fn show(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<DocumentDto>, HttpError> {
    let document = state.services.documents.get(ctx.caller(), &ctx.registry, id).await?;
    Ok(Json(DocumentDto::from(&document)))
}

/// The document's file.
#[utoipa::path(get, path = "/documents/{id}/content", tag = "documents",
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 404, body = Problem)))]
pub async fn content(
    ctx: CallerContext,
    method: axum::http::Method,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    let (document, bytes) = state.services.documents.download(&ctx.actor, &ctx.registry, id, fetch_of(&method)).await?;
    let disposition = attachment(&document.filename);
    Ok(([(header::CONTENT_TYPE, document.content_type), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

/// Uploads a document (multipart: `file`, `title`, `marking`, and optional `owner`,
/// `nations`, `frameworks`). Needs a read-write token, or a session and its CSRF token (`csrf` field or `X-CSRF-Token` header).
#[utoipa::path(post, path = "/documents", tag = "documents",
    request_body(content_type = "multipart/form-data", description = "file, title, marking, owner, nations, frameworks"),
    responses((status = 201, body = DocumentDto), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    ctx: CallerContext,
    State(state): State<AppState>,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    state.services.documents.check_uploader(&ctx.actor)?;
    let upload = read_upload(multipart, state.services.documents.max_upload_bytes()).await?;
    let document = state.services.documents.upload(&ctx.actor, &ctx.registry, upload).await?;
    Ok((StatusCode::CREATED, Json(DocumentDto::from(&document))).into_response())
}

/// What a request for a file asks: a HEAD reads no file, so it is no download.
fn fetch_of(method: &axum::http::Method) -> Fetch {
    if method == axum::http::Method::HEAD { Fetch::HeadersOnly } else { Fetch::Download }
}
