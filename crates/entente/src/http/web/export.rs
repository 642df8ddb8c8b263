//! CSV downloads of the lists shown on pages.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::http::AppState;
use crate::http::api::params::{Params, required_day};
use crate::http::error::HttpError;

/// `GET /export/status.csv?at=`: every nation's status on a day, as on the home page.
pub async fn status_csv(State(state): State<AppState>, Query(params): Query<Params>) -> Result<Response, HttpError> {
    let at = required_day(&params, "at")?;
    let registry = state.services.registry.snapshot().await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut write =
        |row: [&str; 5]| writer.write_record(row).map_err(|e| crate::service::ServiceError::Corrupt(e.to_string()));
    write(["nation", "name_en", "status", "frameworks", "certain"])?;
    for s in registry.statuses_at(at) {
        let name = registry.nation(s.nation).map(|n| n.name_en.as_str()).unwrap_or_default();
        let frameworks = s.frameworks.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
        write([s.nation.as_str(), name, s.status.as_str(), &frameworks, if s.certain { "true" } else { "false" }])?;
    }
    let bytes = writer.into_inner().map_err(|e| crate::service::ServiceError::Corrupt(e.to_string()))?;
    let disposition = format!("attachment; filename=\"entente-status-{at}.csv\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        bytes,
    )
        .into_response())
}
