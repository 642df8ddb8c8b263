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
use crate::service::document_changes::{DocumentChange, DocumentQuery};
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
           ("per_page" = Option<usize>, Query, description = "Items per page, 1 to 500 (default 100)"),
           ("q" = Option<String>, Query, description = "Text the title contains (case and accents ignored)"),
           ("classification" = Option<String>, Query, description = "`PUBLIC`, `UNCLASSIFIED` or `RESTRICTED`"),
           ("nation" = Option<String>, Query, description = "A nation the document concerns or is linked to"),
           ("framework" = Option<String>, Query, description = "A framework the document is linked to")),
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
    let query = DocumentQuery {
        title: params.get("q").cloned(),
        classification: params.get("classification").cloned(),
        nation: params.get("nation").cloned(),
        framework: params.get("framework").cloned(),
    };
    let page = state.services.documents.list(ctx.caller(), &ctx.registry, &query, after, per_page as i64).await?;
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

/// A change to a document's title and links; absent fields are kept.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct DocumentEdit {
    /// The new title.
    pub title: Option<String>,
    /// Linked nations' codes (replacing the current ones).
    pub nations: Option<Vec<String>>,
    /// Linked frameworks' codes (replacing the current ones).
    pub frameworks: Option<Vec<String>>,
}

/// Changes a document's title and links (staff, or the officers of the nation it concerns).
#[utoipa::path(patch, path = "/documents/{id}", tag = "documents", request_body = DocumentEdit,
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, body = DocumentDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn edit(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(change): Json<DocumentEdit>,
) -> Result<Json<DocumentDto>, HttpError> {
    let change = DocumentChange { title: change.title, nations: change.nations, frameworks: change.frameworks };
    let document = state.services.documents.edit(&ctx.actor, &ctx.registry, id, &change).await?;
    Ok(Json(DocumentDto::from(&document)))
}

/// Replaces a document's file (multipart field `file`); the older file is kept as a version.
#[utoipa::path(put, path = "/documents/{id}/content", tag = "documents",
    params(("id" = i64, Path, description = "Document id")),
    request_body(content_type = "multipart/form-data", description = "A `file` field"),
    responses((status = 200, body = DocumentDto), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
              (status = 422, body = Problem)))]
pub async fn replace(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Json<DocumentDto>, HttpError> {
    let documents = &state.services.documents;
    documents.check_editor(&ctx.actor, &ctx.registry, id).await?;
    let upload = read_upload(multipart, documents.max_upload_bytes()).await?;
    let document = documents.replace(&ctx.actor, &ctx.registry, id, &upload.filename, upload.bytes).await?;
    Ok(Json(DocumentDto::from(&document)))
}

/// Why a document is withdrawn.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct Withdrawal {
    /// The reason, kept with the document.
    pub reason: String,
}

/// Withdraws a document: it is kept for the audit trail and no longer listed.
#[utoipa::path(post, path = "/documents/{id}/withdraw", tag = "documents", request_body = Withdrawal,
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 204, description = "Withdrawn"), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn withdraw(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Json(withdrawal): Json<Withdrawal>,
) -> Result<StatusCode, HttpError> {
    state.services.documents.withdraw(&ctx.actor, &ctx.registry, id, &withdrawal.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A file a document held before a replacement.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionDto {
    /// Its number (the current file has the document's `version`).
    pub version: i64,
    /// File name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256, hex.
    pub sha256: String,
    /// When it was uploaded.
    pub uploaded_at: String,
}

/// A document's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryDto {
    /// The current file's version.
    pub version: i64,
    /// When it was withdrawn, if it was.
    pub withdrawn_at: Option<String>,
    /// Why.
    pub withdrawn_reason: Option<String>,
    /// Earlier files, newest first.
    pub versions: Vec<VersionDto>,
}

/// A document's current version, its withdrawal and its earlier files.
#[utoipa::path(get, path = "/documents/{id}/versions", tag = "documents",
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, body = HistoryDto), (status = 404, body = Problem)))]
pub async fn versions(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<HistoryDto>, HttpError> {
    let history = state.services.documents.history(ctx.caller(), &ctx.registry, id).await?;
    let withdrawn = history.state.withdrawn_at.is_some();
    Ok(Json(HistoryDto {
        version: history.state.version,
        withdrawn_at: history.state.withdrawn_at,
        withdrawn_reason: withdrawn.then_some(history.state.withdrawn_reason),
        versions: history
            .versions
            .into_iter()
            .map(|v| VersionDto {
                version: v.version,
                filename: v.filename,
                content_type: v.content_type,
                size_bytes: v.size_bytes,
                sha256: v.sha256,
                uploaded_at: v.uploaded_at,
            })
            .collect(),
    }))
}
