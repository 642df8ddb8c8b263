//! The rows the audit trail pins with digests, read as they are stored (raw ids, no codes
//! resolved), so that only a change to the row itself changes its digest.

use super::documents::{COLUMNS, DocumentRow};
use super::{StoreError, Tx, with_tx};

/// A user's row with everything that grants access: role, affiliation, clearance,
/// password hash and whether it is active.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct UserPin {
    /// Id.
    pub id: i64,
    /// Email.
    pub email: String,
    /// Name.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Affiliation kind.
    pub affiliation_kind: String,
    /// Affiliation code.
    pub affiliation_code: Option<String>,
    /// Clearance code.
    pub clearance: String,
    /// PHC string.
    pub password_hash: String,
    /// Whether it may sign in.
    pub active: bool,
}

/// A token's row, less its name.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TokenPin {
    /// Its user.
    pub user_id: i64,
    /// Id.
    pub id: i64,
    /// Hash of its secret.
    pub token_hash: String,
    /// Whether it may write.
    pub can_write: bool,
    /// Expiry.
    pub expires_at: String,
    /// Revocation, if any.
    pub revoked_at: Option<String>,
}

/// One releasability or link row of a document.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct DocumentPart {
    /// The document.
    pub document_id: i64,
    /// `framework:ID`, `nation:CODE`, `link:KIND:CODE`.
    pub part: String,
}

impl Tx {
    /// Users (one, or all when `id` is `None`), by id.
    pub async fn user_pins(&mut self, id: Option<i64>) -> Result<Vec<UserPin>, StoreError> {
        let sql = "select id, email, display_name, role, affiliation_kind, affiliation_code, clearance, \
                   password_hash, active from users where ($1 is null or id = $1) order by id";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).bind(id).fetch_all(conn).await)?)
    }

    /// Tokens (of one user, or all), by user and id.
    pub async fn token_pins(&mut self, user_id: Option<i64>) -> Result<Vec<TokenPin>, StoreError> {
        let sql = "select user_id, id, token_hash, can_write, expires_at, revoked_at from api_tokens \
                   where ($1 is null or user_id = $1) order by user_id, id";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).bind(user_id).fetch_all(conn).await)?)
    }

    /// Documents' rows (one, or all) and their releasability and link rows, by id.
    pub async fn document_pins(
        &mut self,
        id: Option<i64>,
    ) -> Result<(Vec<DocumentRow>, Vec<DocumentPart>), StoreError> {
        let rows = format!("select {COLUMNS} from documents d where ($1 is null or d.id = $1) order by d.id");
        let parts = "select document_id, 'framework:' || framework_id as part from document_releasability \
                     where framework_id is not null and ($1 is null or document_id = $1) \
                     union all select document_id, 'nation:' || nation from document_releasability \
                     where nation is not null and ($1 is null or document_id = $1) \
                     union all select document_id, 'link:' || kind || ':' || code from document_links \
                     where ($1 is null or document_id = $1) \
                     order by 1, 2";
        with_tx!(self, conn => {
            let rows: Vec<DocumentRow> = sqlx::query_as(&rows).bind(id).fetch_all(&mut *conn).await?;
            let parts: Vec<DocumentPart> = sqlx::query_as(parts).bind(id).fetch_all(&mut *conn).await?;
            Ok((rows, parts))
        })
    }
}
