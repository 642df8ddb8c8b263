//! CSV downloads of the lists shown on pages.

use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::http::api::params::{Params, required_day};
use crate::http::caller::CallerContext;
use crate::http::error::HttpError;
use crate::service::registry::find_framework;
use crate::service::{ServiceError, spreadsheet};

/// `GET /export/status.csv?at=`: every nation's status on a day, as on the home page.
pub async fn status_csv(ctx: CallerContext, Query(params): Query<Params>) -> Result<Response, HttpError> {
    let at = required_day(&params, "at")?;
    let registry = ctx.registry()?;
    let rows = registry.statuses_at(at).into_iter().map(|s| {
        let name = registry.nation(s.nation).map(|n| n.name_en.clone()).unwrap_or_default();
        let frameworks = s.frameworks.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
        vec![s.nation.to_string(), name, s.status.as_str().to_owned(), frameworks, s.certain.to_string()]
    });
    csv_download(&format!("entente-status-{at}.csv"), &["nation", "name_en", "status", "frameworks", "certain"], rows)
}

/// `GET /export/frameworks/{code}/participants.csv?at=`: a framework's participants on a day.
pub async fn participants_csv(
    ctx: CallerContext,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let registry = ctx.registry()?;
    let framework = find_framework(registry, &code)?;
    let at = required_day(&params, "at")?;
    let rows = registry.participants_at(&framework.code, at).into_iter().map(|p| {
        let name = registry.nation(p.nation).map(|n| n.name_en.clone()).unwrap_or_default();
        vec![p.nation.to_string(), name, p.since.to_string(), p.certain.to_string()]
    });
    csv_download(&format!("entente-{}-{at}.csv", framework.code), &["nation", "name_en", "since", "certain"], rows)
}

/// A CSV file download with a header row.
pub(super) fn csv_download(
    filename: &str,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<Response, HttpError> {
    let failed = |e: csv::Error| ServiceError::Corrupt(e.to_string());
    let mut writer = spreadsheet::writer(Vec::new());
    spreadsheet::write_row(&mut writer, header).map_err(failed)?;
    for row in rows {
        spreadsheet::write_row(&mut writer, &row).map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(|e| ServiceError::Corrupt(e.to_string()))?;
    let disposition = crate::http::upload::attachment(filename);
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        bytes,
    )
        .into_response())
}
