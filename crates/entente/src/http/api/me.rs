//! `/me`: who the API sees.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::caller::{CallerContext, Via};
use crate::http::error::{HttpError, Problem};

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeDto {
    /// Id.
    pub id: i64,
    /// Email.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Role.
    pub role: String,
    /// Affiliation, such as `nation GE`.
    pub affiliation: String,
    /// Clearance.
    pub clearance: String,
    /// Whether these credentials may change things.
    pub can_write: bool,
}

/// The user behind the credentials; 401 without any.
#[utoipa::path(get, path = "/me", tag = "accounts",
    responses((status = 200, body = MeDto), (status = 401, body = Problem)))]
pub async fn show(ctx: CallerContext) -> Result<Json<MeDto>, HttpError> {
    let user = ctx.signed_in()?;
    let can_write = match ctx.via {
        Via::Token { can_write } => can_write,
        _ => true,
    };
    Ok(Json(MeDto {
        id: user.id,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        role: user.role.as_str().into(),
        affiliation: user.affiliation_text(),
        clearance: user.clearance.as_str().into(),
        can_write,
    }))
}
