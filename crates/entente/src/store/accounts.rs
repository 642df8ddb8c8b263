//! Users, sessions, personal API tokens and sign-in failures. Every change is written with
//! its audit event in one transaction.

use super::audit::{AuditRecord, append_audit};
use super::{Store, StoreError, with_pool};

/// A user as stored (the password hash stays in the store unless asked for).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    /// Id.
    pub id: i64,
    /// Email, lower-case.
    pub email: String,
    /// Name shown on pages.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// `staff`, `nation` or `organisation`.
    pub affiliation_kind: String,
    /// The nation's or organisation's code.
    pub affiliation_code: Option<String>,
    /// Clearance code.
    pub clearance: String,
    /// Whether the account may sign in.
    pub active: bool,
    /// When it was created.
    pub created_at: String,
}

#[derive(sqlx::FromRow)]
struct UserWithHash {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
}

/// The fields of a new user.
#[derive(Debug, Clone)]
pub struct NewUserRow {
    /// Email, lower-case.
    pub email: String,
    /// Name shown on pages.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// `staff`, `nation` or `organisation`.
    pub affiliation_kind: String,
    /// The nation's or organisation's code.
    pub affiliation_code: Option<String>,
    /// Clearance code.
    pub clearance: String,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// A session joined with its user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    /// The user's id.
    pub user_id: i64,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session began.
    pub created_at: String,
    /// When it was last used.
    pub last_seen_at: String,
}

/// A personal API token (never its secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    /// Id.
    pub id: i64,
    /// The owner.
    pub user_id: i64,
    /// The owner's label for it.
    pub name: String,
    /// Read-write, or read-only.
    pub can_write: bool,
    /// When it was made.
    pub created_at: String,
    /// When it stops working.
    pub expires_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

const USER_COLUMNS: &str =
    "id, email, display_name, role, affiliation_kind, affiliation_code, clearance, active, created_at";

impl Store {
    /// How many users exist.
    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, pool => sqlx::query_scalar("select count(*) from users").fetch_one(pool).await)?)
    }

    /// Creates a user; an email already taken is `Ok(None)`.
    pub async fn insert_user(&self, user: &NewUserRow, audit: &AuditRecord) -> Result<Option<i64>, StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "insert into users (email, display_name, role, affiliation_kind, affiliation_code, clearance, password_hash, active, created_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, true, $8) on conflict (email) do nothing returning id",
            )
            .bind(&user.email).bind(&user.display_name).bind(&user.role).bind(&user.affiliation_kind)
            .bind(&user.affiliation_code).bind(&user.clearance).bind(&user.password_hash)
            .bind(super::now())
            .fetch_optional(&mut *tx)
            .await?;
            if id.is_some() {
                let mut audit = audit.clone();
                audit.detail["id"] = id.into();
                append_audit!(tx, &audit);
                tx.commit().await?;
            }
            Ok(id)
        })
    }

    /// A user and their password hash, by email.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(UserRow, String)>, StoreError> {
        let sql = format!("select {USER_COLUMNS}, password_hash from users where email = $1");
        let row: Option<UserWithHash> =
            with_pool!(self, pool => sqlx::query_as(&sql).bind(email).fetch_optional(pool).await)?;
        Ok(row.map(|r| (r.user, r.password_hash)))
    }

    /// A user's password hash, by id.
    pub async fn password_hash(&self, user_id: i64) -> Result<Option<String>, StoreError> {
        let sql = "select password_hash from users where id = $1";
        Ok(with_pool!(self, pool => sqlx::query_scalar(sql).bind(user_id).fetch_optional(pool).await)?)
    }

    /// A user by id.
    pub async fn user(&self, id: i64) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("select {USER_COLUMNS} from users where id = $1");
        Ok(with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    /// A page of users by email, and how many there are.
    pub async fn list_users(&self, limit: i64, offset: i64) -> Result<(Vec<UserRow>, i64), StoreError> {
        let sql = format!("select {USER_COLUMNS} from users order by email limit $1 offset $2");
        with_pool!(self, pool => {
            let rows: Vec<UserRow> = sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(pool).await?;
            let total: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(pool).await?;
            Ok((rows, total))
        })
    }

    /// Changes a user's role, active flag or password hash (each when given), and ends all
    /// their sessions if `end_sessions`; returns whether the user exists.
    pub async fn update_user(
        &self,
        id: i64,
        role: Option<&str>,
        active: Option<bool>,
        password_hash: Option<&str>,
        end_sessions: bool,
        audit: &AuditRecord,
    ) -> Result<bool, StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "update users set role = coalesce($2, role), active = coalesce($3, active), \
                 password_hash = coalesce($4, password_hash) where id = $1",
            )
            .bind(id).bind(role).bind(active).bind(password_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            if end_sessions {
                sqlx::query("delete from sessions where user_id = $1").bind(id).execute(&mut *tx).await?;
            }
            append_audit!(tx, audit);
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Starts a session (stored by the hash of its id), forgets the failures recorded under
    /// `cleared_keys`, and records the sign-in.
    pub async fn insert_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf: &str,
        cleared_keys: &[String],
        audit: &AuditRecord,
    ) -> Result<(), StoreError> {
        let now = super::now();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("insert into sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) values ($1, $2, $3, $4, $4)")
                .bind(id_hash).bind(user_id).bind(csrf).bind(&now)
                .execute(&mut *tx).await?;
            for key in cleared_keys {
                sqlx::query("delete from sign_in_failures where throttle_key = $1").bind(key).execute(&mut *tx).await?;
            }
            append_audit!(tx, audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// A session by the hash of its id.
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        let sql = "select user_id, csrf_token, created_at, last_seen_at from sessions where id_hash = $1";
        Ok(with_pool!(self, pool => sqlx::query_as(sql).bind(id_hash).fetch_optional(pool).await)?)
    }

    /// Marks a session as used now.
    pub async fn touch_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let sql = "update sessions set last_seen_at = $2 where id_hash = $1";
        let now = super::now();
        with_pool!(self, pool => sqlx::query(sql).bind(id_hash).bind(now).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Ends a session.
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        let sql = "delete from sessions where id_hash = $1";
        with_pool!(self, pool => sqlx::query(sql).bind(id_hash).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Records a failed sign-in under each throttle key, with its audit event.
    pub async fn record_sign_in_failure(&self, keys: &[String], audit: &AuditRecord) -> Result<(), StoreError> {
        let now = super::now();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for key in keys {
                sqlx::query("insert into sign_in_failures (throttle_key, at) values ($1, $2)")
                    .bind(key).bind(&now).execute(&mut *tx).await?;
            }
            append_audit!(tx, audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// How many failures are recorded under `key` since `since` (RFC 3339).
    pub async fn sign_in_failures(&self, key: &str, since: &str) -> Result<i64, StoreError> {
        let sql = "select count(*) from sign_in_failures where throttle_key = $1 and at >= $2";
        Ok(with_pool!(self, pool => sqlx::query_scalar(sql).bind(key).bind(since).fetch_one(pool).await)?)
    }

    /// Creates a token (stored by the hash of its secret).
    pub async fn insert_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        can_write: bool,
        expires_at: &str,
        audit: &AuditRecord,
    ) -> Result<i64, StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "insert into api_tokens (user_id, name, token_hash, can_write, created_at, expires_at) \
                 values ($1, $2, $3, $4, $5, $6) returning id",
            )
            .bind(user_id).bind(name).bind(token_hash).bind(can_write)
            .bind(super::now()).bind(expires_at)
            .fetch_one(&mut *tx)
            .await?;
            let mut audit = audit.clone();
            audit.detail["token_id"] = id.into();
            append_audit!(tx, &audit);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A user's tokens, newest first.
    pub async fn tokens_of(&self, user_id: i64) -> Result<Vec<TokenRow>, StoreError> {
        let sql = "select id, user_id, name, can_write, created_at, expires_at, revoked_at from api_tokens \
                   where user_id = $1 order by id desc";
        Ok(with_pool!(self, pool => sqlx::query_as(sql).bind(user_id).fetch_all(pool).await)?)
    }

    /// A token by the hash of its secret.
    pub async fn token_by_hash(&self, token_hash: &str) -> Result<Option<TokenRow>, StoreError> {
        let sql = "select id, user_id, name, can_write, created_at, expires_at, revoked_at from api_tokens \
                   where token_hash = $1";
        Ok(with_pool!(self, pool => sqlx::query_as(sql).bind(token_hash).fetch_optional(pool).await)?)
    }

    /// Revokes one of a user's tokens; returns whether there was such a live token.
    pub async fn revoke_token(&self, user_id: i64, token_id: i64, audit: &AuditRecord) -> Result<bool, StoreError> {
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let revoked = sqlx::query(
                "update api_tokens set revoked_at = $3 where id = $1 and user_id = $2 and revoked_at is null",
            )
            .bind(token_id).bind(user_id).bind(super::now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if revoked == 0 {
                return Ok(false);
            }
            append_audit!(tx, audit);
            tx.commit().await?;
            Ok(true)
        })
    }
}
