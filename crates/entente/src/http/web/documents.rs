//! Document pages: the list, one document with its marking, the upload form and downloads.
//! Everything shown has passed `authorize()`; what has not is not found.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use entente_core::Affiliation;

use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::i18n::Lang;
use crate::http::upload::{attachment, read_upload};
use crate::service::ServiceError;
use crate::service::documents::Document;
use crate::service::documents::Fetch;

struct DocumentItem {
    id: i64,
    title: String,
    marking: String,
    owner: String,
    uploaded: String,
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    chrome: Chrome,
    documents: Vec<DocumentItem>,
    total: i64,
    next_page: Option<String>,
    can_upload: bool,
}

fn uploaded_day(document: &Document, lang: Lang) -> String {
    entente_core::parse_day(document.uploaded_at.get(..10).unwrap_or_default())
        .map(|day| lang.human_day(day))
        .unwrap_or_default()
}

/// Documents shown on a page of the list.
const PAGE_SIZE: i64 = 100;

/// `GET /documents?after=ID`: a page of the documents released to the caller.
pub async fn list(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<crate::http::api::params::Params>,
) -> PageResult {
    let after = params.get("after").and_then(|a| a.parse().ok());
    let page = state.services.documents.list(ctx.caller(), &ctx.registry, after, PAGE_SIZE).await?;
    let documents = page
        .items
        .iter()
        .map(|d| DocumentItem {
            id: d.id,
            title: d.title.clone(),
            marking: d.marking_text.clone(),
            owner: d.owner.map(|o| o.to_string()).unwrap_or_default(),
            uploaded: uploaded_day(d, ctx.lang),
        })
        .collect();
    let can_upload = state.services.documents.may_upload(ctx.caller());
    let next_page = page.next.map(|id| format!("/documents?after={id}"));
    Ok(render(
        StatusCode::OK,
        &DocumentsPage { chrome: Chrome::new(&ctx, &state), documents, total: page.total, next_page, can_upload },
    ))
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    chrome: Chrome,
    id: i64,
    title: String,
    marking: String,
    filename: String,
    size: i64,
    content_type: String,
    owner: String,
    links: String,
    uploaded: String,
    sha256: String,
}

/// `GET /documents/{id}`.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let d = state.services.documents.get(ctx.caller(), &ctx.registry, id).await?;
    let page = DocumentPage {
        chrome: Chrome::new(&ctx, &state),
        id: d.id,
        uploaded: uploaded_day(&d, ctx.lang),
        title: d.title,
        marking: d.marking_text,
        filename: d.filename,
        size: d.size_bytes,
        content_type: d.content_type,
        owner: d.owner.map(|o| o.to_string()).unwrap_or_else(|| "—".into()),
        links: d.links.iter().map(|(_, code)| code.as_str()).collect::<Vec<_>>().join(", "),
        sha256: d.sha256,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /documents/{id}/download`.
pub async fn download(
    ctx: CallerContext,
    method: axum::http::Method,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> PageResult {
    let (document, content) =
        state.services.documents.download(&ctx.actor, &ctx.registry, id, fetch_of(&method)).await?;
    let disposition = attachment(&document.filename);
    Ok(([(header::CONTENT_TYPE, document.content_type), (header::CONTENT_DISPOSITION, disposition)], content)
        .into_response())
}

#[derive(Template)]
#[template(path = "document_new.html")]
struct NewDocumentPage {
    chrome: Chrome,
    error: Option<String>,
    max_bytes: usize,
    default_marking: String,
    default_owner: String,
}

fn new_document_page(ctx: &CallerContext, state: &AppState, status: StatusCode, error: Option<String>) -> PageResult {
    ctx.signed_in()?;
    let default_owner = match ctx.user.as_ref().map(|u| &u.affiliation) {
        Some(Affiliation::Nation(n)) => n.to_string(),
        _ => String::new(),
    };
    let default_marking =
        if default_owner.is_empty() { "UNCLASSIFIED".into() } else { format!("RESTRICTED REL TO {default_owner}") };
    let page = NewDocumentPage {
        chrome: Chrome::new(ctx, state).at("/documents/new"),
        error,
        max_bytes: state.services.documents.max_upload_bytes(),
        default_marking,
        default_owner,
    };
    Ok(render(status, &page))
}

/// `GET /documents/new`.
pub async fn new(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    new_document_page(&ctx, &state, StatusCode::OK, None)
}

/// `POST /documents` (multipart): on a refusal the form is shown again with the reason.
pub async fn create(ctx: CallerContext, State(state): State<AppState>, multipart: Multipart) -> PageResult {
    state.services.documents.check_uploader(&ctx.actor)?;
    let result = async {
        let upload = read_upload(multipart, state.services.documents.max_upload_bytes()).await?;
        state.services.documents.upload(&ctx.actor, &ctx.registry, upload).await
    }
    .await;
    match result {
        Ok(document) => Ok(Redirect::to(&format!("/documents/{}", document.id)).into_response()),
        Err(e @ (ServiceError::Invalid { .. } | ServiceError::TooLarge(_) | ServiceError::UnsupportedType(_))) => {
            let status = e.status().unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            new_document_page(&ctx, &state, status, Some(super::error_message(&e, ctx.lang)))
        }
        Err(e) => Err(e.into()),
    }
}

/// What a request for a file asks: a HEAD reads no file, so it is no download.
fn fetch_of(method: &axum::http::Method) -> Fetch {
    if method == axum::http::Method::HEAD { Fetch::HeadersOnly } else { Fetch::Download }
}
