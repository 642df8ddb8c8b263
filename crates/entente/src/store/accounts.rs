//! Users, sessions, personal API tokens and sign-in attempts, read and written in the
//! service's unit of work.

use super::{StoreError, Tx, with_tx};

/// A user as stored (the password hash stays in the store unless asked for).
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
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

impl Tx {
    /// How many users exist.
    pub async fn count_users(&mut self) -> Result<i64, StoreError> {
        Ok(with_tx!(self, conn => sqlx::query_scalar("select count(*) from users").fetch_one(conn).await)?)
    }

    /// Creates a user; an email already taken is `Ok(None)`.
    pub async fn insert_user(&mut self, user: &NewUserRow) -> Result<Option<i64>, StoreError> {
        let now = self.now_text();
        Ok(with_tx!(self, conn => sqlx::query_scalar(
            "insert into users (email, display_name, role, affiliation_kind, affiliation_code, clearance, password_hash, active, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, true, $8) on conflict (email) do nothing returning id",
        )
        .bind(&user.email).bind(&user.display_name).bind(&user.role).bind(&user.affiliation_kind)
        .bind(&user.affiliation_code).bind(&user.clearance).bind(&user.password_hash).bind(now)
        .fetch_optional(conn)
        .await)?)
    }

    /// A user and their password hash, by email.
    pub async fn user_by_email(&mut self, email: &str) -> Result<Option<(UserRow, String)>, StoreError> {
        let sql = format!("select {USER_COLUMNS}, password_hash from users where email = $1");
        let row: Option<UserWithHash> =
            with_tx!(self, conn => sqlx::query_as(&sql).bind(email).fetch_optional(conn).await)?;
        Ok(row.map(|r| (r.user, r.password_hash)))
    }

    /// A user's password hash, by id.
    pub async fn password_hash(&mut self, user_id: i64) -> Result<Option<String>, StoreError> {
        let sql = "select password_hash from users where id = $1";
        Ok(with_tx!(self, conn => sqlx::query_scalar(sql).bind(user_id).fetch_optional(conn).await)?)
    }

    /// A user by id.
    pub async fn user(&mut self, id: i64) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("select {USER_COLUMNS} from users where id = $1");
        Ok(with_tx!(self, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?)
    }

    /// A user by id, locked until the unit ends (to read it before changing it).
    pub async fn user_for_update(&mut self, id: i64) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("select {USER_COLUMNS} from users where id = $1{}", self.for_update());
        Ok(with_tx!(self, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?)
    }

    /// A page of users by email, and how many there are.
    /// The users with these ids (one query, whatever their number).
    pub async fn users_by_ids(&mut self, ids: &[i64]) -> Result<Vec<UserRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        with_tx!(self, conn => {
            let mut q = sqlx::QueryBuilder::new(format!("select {USER_COLUMNS} from users where id in ("));
            let mut list = q.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            list.push_unseparated(")");
            Ok(q.build_query_as().fetch_all(&mut *conn).await?)
        })
    }

    /// A page of users by email, and how many there are.
    pub async fn list_users(&mut self, limit: i64, offset: i64) -> Result<(Vec<UserRow>, i64), StoreError> {
        let sql = format!("select {USER_COLUMNS} from users order by email limit $1 offset $2");
        with_tx!(self, conn => {
            let rows: Vec<UserRow> = sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(&mut *conn).await?;
            let total: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(&mut *conn).await?;
            Ok((rows, total))
        })
    }

    /// Changes a user's role, active flag or password hash (each when given); returns
    /// whether the user exists.
    pub async fn update_user(
        &mut self,
        id: i64,
        role: Option<&str>,
        active: Option<bool>,
        password_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        let updated = with_tx!(self, conn => sqlx::query(
            "update users set role = coalesce($2, role), active = coalesce($3, active), \
             password_hash = coalesce($4, password_hash) where id = $1",
        )
        .bind(id).bind(role).bind(active).bind(password_hash)
        .execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(updated > 0)
    }

    /// Ends every session of a user.
    pub async fn delete_sessions_of(&mut self, user_id: i64) -> Result<(), StoreError> {
        with_tx!(self, conn => sqlx::query("delete from sessions where user_id = $1").bind(user_id).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Starts a session, stored by the hash of its id.
    pub async fn insert_session(&mut self, id_hash: &str, user_id: i64, csrf: &str) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => sqlx::query(
            "insert into sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) values ($1, $2, $3, $4, $4)",
        )
        .bind(id_hash).bind(user_id).bind(csrf).bind(now)
        .execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// A session by the hash of its id.
    pub async fn session(&mut self, id_hash: &str) -> Result<Option<SessionRow>, StoreError> {
        let sql = "select user_id, csrf_token, created_at, last_seen_at from sessions where id_hash = $1";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).bind(id_hash).fetch_optional(conn).await)?)
    }

    /// Marks a session as used now.
    pub async fn touch_session(&mut self, id_hash: &str) -> Result<(), StoreError> {
        let now = self.now_text();
        let sql = "update sessions set last_seen_at = $2 where id_hash = $1";
        with_tx!(self, conn => sqlx::query(sql).bind(id_hash).bind(now).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Ends a session.
    pub async fn delete_session(&mut self, id_hash: &str) -> Result<(), StoreError> {
        let sql = "delete from sessions where id_hash = $1";
        with_tx!(self, conn => sqlx::query(sql).bind(id_hash).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Records a sign-in attempt under a throttle key, before its password is checked;
    /// returns the attempt's id.
    pub async fn insert_sign_in_attempt(&mut self, key: &str) -> Result<i64, StoreError> {
        let now = self.now_text();
        let sql = "insert into sign_in_attempts (throttle_key, at) values ($1, $2) returning id";
        Ok(with_tx!(self, conn => sqlx::query_scalar(sql).bind(key).bind(now).fetch_one(conn).await)?)
    }

    /// How many attempts are recorded under `key` since `since` (RFC 3339), and when the
    /// last was; older attempts under `key` are forgotten.
    pub async fn sign_in_attempts(&mut self, key: &str, since: &str) -> Result<(i64, Option<String>), StoreError> {
        let sql = "delete from sign_in_attempts where throttle_key = $1 and at < $2";
        with_tx!(self, conn => sqlx::query(sql).bind(key).bind(since).execute(conn).await.map(|r| r.rows_affected()))?;
        let sql = "select count(*), max(at) from sign_in_attempts where throttle_key = $1";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).bind(key).fetch_one(conn).await)?)
    }

    /// Forgets every attempt under `key`.
    pub async fn clear_sign_in_attempts(&mut self, key: &str) -> Result<(), StoreError> {
        let sql = "delete from sign_in_attempts where throttle_key = $1";
        with_tx!(self, conn => sqlx::query(sql).bind(key).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Forgets one attempt.
    pub async fn delete_sign_in_attempt(&mut self, id: i64) -> Result<(), StoreError> {
        let sql = "delete from sign_in_attempts where id = $1";
        with_tx!(self, conn => sqlx::query(sql).bind(id).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Creates a token (stored by the hash of its secret); returns its id.
    pub async fn insert_token(
        &mut self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        can_write: bool,
        expires_at: &str,
    ) -> Result<i64, StoreError> {
        let now = self.now_text();
        Ok(with_tx!(self, conn => sqlx::query_scalar(
            "insert into api_tokens (user_id, name, token_hash, can_write, created_at, expires_at) \
             values ($1, $2, $3, $4, $5, $6) returning id",
        )
        .bind(user_id).bind(name).bind(token_hash).bind(can_write).bind(now).bind(expires_at)
        .fetch_one(conn)
        .await)?)
    }

    /// A user's tokens, newest first.
    pub async fn tokens_of(&mut self, user_id: i64) -> Result<Vec<TokenRow>, StoreError> {
        let sql = "select id, user_id, name, can_write, created_at, expires_at, revoked_at from api_tokens \
                   where user_id = $1 order by id desc";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).bind(user_id).fetch_all(conn).await)?)
    }

    /// A token by the hash of its secret.
    pub async fn token_by_hash(&mut self, token_hash: &str) -> Result<Option<TokenRow>, StoreError> {
        let sql = "select id, user_id, name, can_write, created_at, expires_at, revoked_at from api_tokens \
                   where token_hash = $1";
        Ok(with_tx!(self, conn => sqlx::query_as(sql).bind(token_hash).fetch_optional(conn).await)?)
    }

    /// Revokes every live token of a user.
    pub async fn revoke_tokens_of(&mut self, user_id: i64) -> Result<(), StoreError> {
        let now = self.now_text();
        let sql = "update api_tokens set revoked_at = $2 where user_id = $1 and revoked_at is null";
        with_tx!(self, conn => sqlx::query(sql).bind(user_id).bind(now).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Revokes one of a user's tokens; returns whether there was such a live token.
    pub async fn revoke_token(&mut self, user_id: i64, token_id: i64) -> Result<bool, StoreError> {
        let now = self.now_text();
        let revoked = with_tx!(self, conn => sqlx::query(
            "update api_tokens set revoked_at = $3 where id = $1 and user_id = $2 and revoked_at is null",
        )
        .bind(token_id).bind(user_id).bind(now)
        .execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(revoked > 0)
    }
}
