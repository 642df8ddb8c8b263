//! The rows the audit trail pins with digests, read as they are stored (raw ids, no codes
//! resolved), so that only a change to the row itself changes its digest.

use super::accounts::UserRow;
use super::documents::{COLUMNS, DocumentRow};
use super::{StoreError, Tx, with_tx};

/// A user's row with its password hash: everything that grants access.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct UserPin {
    /// The row as every reader sees it.
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub row: UserRow,
    /// PHC string.
    pub password_hash: String,
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

/// One registry row as stored, its columns in order (ids, which every import renews, left
/// out).
pub type RegistryPin = Vec<Option<String>>;

impl Tx {
    /// Every registry row as stored, table by table, in a stable order, with the framework
    /// identities documents are released to.
    pub async fn registry_pins(&mut self) -> Result<Vec<RegistryPin>, StoreError> {
        type Named = (String, String, String);
        type Timed = (String, String, Option<String>, Option<String>, String, String);
        type Framework = (String, String, String, String, String, String);
        type Participation = (String, String, String, Option<String>, Option<String>, String, String);
        with_tx!(self, conn => {
            let mut pins: Vec<RegistryPin> = Vec::new();
            for table in ["nations", "organisations"] {
                let sql = format!("select code, name_en, name_fr from {table} order by code");
                let rows: Vec<Named> = sqlx::query_as(&sql).fetch_all(&mut *conn).await?;
                pins.push(vec![Some(table.to_owned())]);
                pins.extend(rows.into_iter().map(|(a, b, c)| vec![Some(a), Some(b), Some(c)]));
            }
            let rows: Vec<Framework> = sqlx::query_as(
                "select code, name_en, name_fr, kind, description, source from frameworks order by code",
            )
            .fetch_all(&mut *conn)
            .await?;
            pins.push(vec![Some("frameworks".into())]);
            pins.extend(rows.into_iter().map(|(a, b, c, d, e, f)| vec![Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)]));
            let rows: Vec<Timed> = sqlx::query_as(
                "select nation, start_bound, end_bound, end_reason, note, source from memberships \
                 order by nation, start_bound, end_bound",
            )
            .fetch_all(&mut *conn)
            .await?;
            pins.push(vec![Some("memberships".into())]);
            pins.extend(rows.into_iter().map(|(a, b, c, d, e, f)| vec![Some(a), Some(b), c, d, Some(e), Some(f)]));
            let rows: Vec<Participation> = sqlx::query_as(
                "select nation, framework, start_bound, end_bound, end_reason, note, source from participations \
                 order by nation, framework, start_bound, end_bound",
            )
            .fetch_all(&mut *conn)
            .await?;
            pins.push(vec![Some("participations".into())]);
            pins.extend(
                rows.into_iter().map(|(a, b, c, d, e, f, g)| vec![Some(a), Some(b), Some(c), d, e, Some(f), Some(g)]),
            );
            let rows: Vec<(i64, String)> =
                sqlx::query_as("select id, code from framework_identities order by id").fetch_all(&mut *conn).await?;
            pins.push(vec![Some("framework_identities".into())]);
            pins.extend(rows.into_iter().map(|(id, code)| vec![Some(id.to_string()), Some(code)]));
            Ok(pins)
        })
    }

    /// Users (one, or all when `id` is `None`), by id.
    pub async fn user_pins(&mut self, id: Option<i64>) -> Result<Vec<UserPin>, StoreError> {
        let sql = "select id, email, display_name, role, affiliation_kind, affiliation_code, clearance, \
                   active, created_at, password_hash from users where ($1 is null or id = $1) order by id";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).bind(id).fetch_all(conn).await)?)
    }

    /// Tokens (of one user, or all), by user and id.
    pub async fn token_pins(&mut self, user_id: Option<i64>) -> Result<Vec<TokenPin>, StoreError> {
        let sql = "select user_id, id, token_hash, can_write, expires_at, revoked_at from api_tokens \
                   where ($1 is null or user_id = $1) order by user_id, id";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).bind(user_id).fetch_all(conn).await)?)
    }

    /// Documents' rows (one, or all) and their releasability and link rows, by id; a
    /// withdrawal and the earlier files are parts too (none for a document never withdrawn
    /// nor replaced, so digests recorded before they existed still hold).
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
                     union all select id, 'withdrawn:' || withdrawn_at || ':' || withdrawn_reason from documents \
                     where withdrawn_at is not null and ($1 is null or id = $1) \
                     union all select id, 'current:' || version from documents \
                     where version > 1 and ($1 is null or id = $1) \
                     union all select document_id, 'version:' || version || ':' || sha256 || ':' || size_bytes \
                     from document_versions where ($1 is null or document_id = $1) \
                     order by 1, 2";
        with_tx!(self, conn => {
            let rows: Vec<DocumentRow> = sqlx::query_as(&rows).bind(id).fetch_all(&mut *conn).await?;
            let parts: Vec<DocumentPart> = sqlx::query_as(parts).bind(id).fetch_all(&mut *conn).await?;
            Ok((rows, parts))
        })
    }
}
