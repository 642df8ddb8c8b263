//! Document pages: the list, one document with its marking, the upload form and downloads.
//! Everything shown has passed `authorize()`; what has not is not found.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use entente_core::Affiliation;

use super::listing::{Column, Listing, PER_PAGE, Pager, unsortable};
use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::i18n::Lang;
use crate::http::upload::{attachment, read_upload};
use crate::service::ServiceError;
use crate::service::document_changes::{DocumentChange, DocumentQuery};
use crate::service::documents::Document;
use crate::service::documents::Fetch;
use crate::store::documents::DocumentOrder;

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
    columns: Vec<Column>,
    pager: Pager,
    can_upload: bool,
    q: String,
    nation: String,
    framework: String,
    classifications: Vec<(&'static str, bool)>,
}

fn uploaded_day(document: &Document, lang: Lang) -> String {
    entente_core::parse_day(document.uploaded_at.get(..10).unwrap_or_default())
        .map(|day| lang.human_day(day))
        .unwrap_or_default()
}

/// `GET /documents?q=&classification=&nation=&framework=&sort=&page=`: the documents
/// released to the caller, searched by title, filtered and sorted by date or title.
pub async fn list(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<crate::http::api::params::Params>,
) -> PageResult {
    let listing = Listing::new("/documents", &params, &["q", "classification", "nation", "framework"])?;
    let sort = listing.sort_or(&["date", "title"], "-date")?;
    let page = listing.page()?;
    let order = match (sort.key, sort.descending) {
        // Newest first unless asked otherwise (`sort=date`).
        ("date", true) => DocumentOrder::Newest,
        ("date", false) => DocumentOrder::Oldest,
        (_, false) => DocumentOrder::Title,
        (_, true) => DocumentOrder::TitleDescending,
    };
    let given = |name: &str| listing.filter(name).map(str::to_owned);
    let query = DocumentQuery {
        title: given("q"),
        classification: given("classification"),
        nation: given("nation"),
        framework: given("framework"),
    };
    let limit = PER_PAGE as i64;
    let offset = (page as i64 - 1).saturating_mul(limit);
    let (found, total) =
        state.services.documents.search(ctx.caller(), &ctx.registry, &query, order, limit, offset).await?;
    let lang = ctx.lang;
    let documents = found
        .iter()
        .map(|d| DocumentItem {
            id: d.id,
            title: d.title.clone(),
            marking: d.marking_text.clone(),
            owner: d.owner.map(|o| o.to_string()).unwrap_or_default(),
            uploaded: uploaded_day(d, lang),
        })
        .collect();
    let mut columns = listing.columns(
        sort,
        &[
            ("title", lang.t("col-title"), false),
            ("marking", lang.t("col-marking"), false),
            ("nation", lang.t("col-nation"), false),
            ("date", lang.t("col-uploaded"), false),
        ],
    );
    unsortable(&mut columns, &[1, 2]);
    let chosen = query.classification.clone().unwrap_or_default().to_ascii_uppercase();
    let page = DocumentsPage {
        chrome: Chrome::new(&ctx, &state).marked(found.iter().map(|d| &d.marking)),
        documents,
        total,
        columns,
        pager: listing.pager(page, usize::try_from(total).unwrap_or_default()),
        can_upload: state.services.documents.may_upload(ctx.caller()),
        q: query.title.unwrap_or_default(),
        classifications: ["PUBLIC", "UNCLASSIFIED", "RESTRICTED"].into_iter().map(|c| (c, c == chosen)).collect(),
        nation: query.nation.unwrap_or_default(),
        framework: query.framework.unwrap_or_default(),
    };
    Ok(render(StatusCode::OK, &page))
}

struct VersionItem {
    version: i64,
    filename: String,
    size: i64,
    sha256: String,
    uploaded: String,
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
    version: i64,
    versions: Vec<VersionItem>,
    withdrawn: Option<String>,
    may_edit: bool,
    /// The edit form's fields: name, label, value.
    edit_fields: Vec<(&'static str, String, String)>,
    /// The field a refused change names, and why.
    error_field: String,
    error_message: String,
}

/// The document page, with its forms when the caller may change it, and an error next
/// to the form field it concerns.
async fn document_page(
    ctx: &CallerContext,
    state: &AppState,
    id: i64,
    status: StatusCode,
    error: Option<(String, String)>,
) -> PageResult {
    let documents = &state.services.documents;
    let d = documents.get(ctx.caller(), &ctx.registry, id).await?;
    let history = documents.history(ctx.caller(), &ctx.registry, id).await?;
    let lang = ctx.lang;
    let linked = |kind: &str| {
        d.links.iter().filter(|(k, _)| k == kind).map(|(_, code)| code.as_str()).collect::<Vec<_>>().join(", ")
    };
    let withdrawn = history.state.withdrawn_at.as_ref().map(|at| {
        lang.t_with(
            "document-withdrawn",
            &[("day", at.get(..10).unwrap_or_default().to_owned()), ("reason", history.state.withdrawn_reason.clone())],
        )
    });
    let page = DocumentPage {
        chrome: Chrome::new(ctx, state).at(&format!("/documents/{id}")).marked([&d.marking]),
        id: d.id,
        uploaded: uploaded_day(&d, lang),
        may_edit: withdrawn.is_none() && documents.may_edit(ctx.caller(), &d),
        edit_fields: vec![
            ("title", lang.t("input-title"), d.title.clone()),
            ("nations", lang.t("input-nations"), linked("nation")),
            ("frameworks", lang.t("input-frameworks"), linked("framework")),
        ],
        links: d.links.iter().map(|(_, code)| code.as_str()).collect::<Vec<_>>().join(", "),
        title: d.title,
        marking: d.marking_text,
        filename: d.filename,
        size: d.size_bytes,
        content_type: d.content_type,
        owner: d.owner.map(|o| o.to_string()).unwrap_or_else(|| "—".into()),
        sha256: d.sha256,
        version: history.state.version,
        versions: history
            .versions
            .into_iter()
            .map(|v| VersionItem {
                version: v.version,
                filename: v.filename,
                size: v.size_bytes,
                sha256: v.sha256,
                uploaded: v.uploaded_at.get(..10).unwrap_or_default().to_owned(),
            })
            .collect(),
        withdrawn,
        error_field: error.as_ref().map(|(field, _)| field.clone()).unwrap_or_default(),
        error_message: error.map(|(_, message)| message).unwrap_or_default(),
    };
    Ok(render(status, &page))
}

/// `GET /documents/{id}`.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, Path(id): Path<i64>) -> PageResult {
    document_page(&ctx, &state, id, StatusCode::OK, None).await
}

/// Shows the document page again with a refused field's reason, or fails the request.
async fn refused_form(ctx: &CallerContext, state: &AppState, id: i64, error: ServiceError) -> PageResult {
    match &error {
        ServiceError::Invalid { field, .. } => {
            let status = error.status().unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let message = super::error_message(&error, ctx.lang);
            document_page(ctx, state, id, status, Some((field.clone(), message))).await
        }
        ServiceError::TooLarge(_) | ServiceError::UnsupportedType(_) => {
            let status = error.status().unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let message = super::error_message(&error, ctx.lang);
            document_page(ctx, state, id, status, Some(("file".into(), message))).await
        }
        _ => Err(error.into()),
    }
}

/// The codes of a comma- or space-separated field.
fn codes(text: Option<&String>) -> Vec<String> {
    text.map(|t| t.split([',', ' ']).map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `POST /documents/{id}/edit`: title and links.
pub async fn edit(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<std::collections::HashMap<String, String>>,
) -> PageResult {
    let change = DocumentChange {
        title: Some(fields.get("title").cloned().unwrap_or_default()),
        nations: Some(codes(fields.get("nations"))),
        frameworks: Some(codes(fields.get("frameworks"))),
    };
    let result = state.services.documents.edit(&ctx.actor, &ctx.registry, id, &change).await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/documents/{id}?flash=document-saved")).into_response()),
        Err(e) => refused_form(&ctx, &state, id, e).await,
    }
}

/// `POST /documents/{id}/replace` (multipart): a new file; the old one is kept.
pub async fn replace(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> PageResult {
    let documents = &state.services.documents;
    documents.check_editor(&ctx.actor, &ctx.registry, id).await?;
    let result = async {
        let upload = read_upload(multipart, documents.max_upload_bytes()).await?;
        documents.replace(&ctx.actor, &ctx.registry, id, &upload.filename, upload.bytes).await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/documents/{id}?flash=document-replaced")).into_response()),
        Err(e) => refused_form(&ctx, &state, id, e).await,
    }
}

/// `POST /documents/{id}/withdraw`.
pub async fn withdraw(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    axum::Form(fields): axum::Form<std::collections::HashMap<String, String>>,
) -> PageResult {
    let reason = fields.get("reason").map_or("", String::as_str);
    match state.services.documents.withdraw(&ctx.actor, &ctx.registry, id, reason).await {
        Ok(()) => Ok(Redirect::to("/documents?flash=document-withdrawn").into_response()),
        Err(e) => refused_form(&ctx, &state, id, e).await,
    }
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
