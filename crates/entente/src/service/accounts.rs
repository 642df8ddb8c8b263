//! Accounts: users, sign-in with throttling, sessions, personal API tokens and user
//! administration. Every decision on who may do what goes through `authorize()`.

use chrono::{DateTime, Duration, Utc};
use entente_core::{
    Action, Affiliation, Caller, Classification, Decision, Principal, Registry, Resource, Role, authorize,
};
use serde_json::json;

use super::ServiceError;
use super::passwords;
use super::secrets::{random_secret, secret_hash};
use crate::store::Store;
use crate::store::accounts::{NewUserRow, TokenRow, UserRow};
use crate::store::audit::AuditRecord;

/// A session ends after this long without use.
pub const SESSION_IDLE: Duration = Duration::hours(2);
/// A session ends this long after sign-in, used or not.
pub const SESSION_ABSOLUTE: Duration = Duration::hours(12);
/// Failed sign-ins are counted over this window.
const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// Failures allowed per account within the window.
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failures allowed per client address within the window.
const MAX_FAILURES_PER_ADDRESS: i64 = 20;

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Email, lower-case.
    pub email: String,
    /// Name shown on pages.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Whom they work for.
    pub affiliation: Affiliation,
    /// Highest classification they may read.
    pub clearance: Classification,
    /// Whether the account may sign in.
    pub active: bool,
}

impl User {
    /// How the audit trail names this user.
    pub fn actor(&self) -> String {
        format!("user:{} <{}>", self.id, self.email)
    }

    /// The affiliation as a reader expects it: `alliance staff`, `nation GE`.
    pub fn affiliation_text(&self) -> String {
        match &self.affiliation {
            Affiliation::AllianceStaff => "alliance staff".into(),
            Affiliation::Nation(code) => format!("nation {code}"),
            Affiliation::Organisation(code) => format!("organisation {code}"),
        }
    }

    /// The user as a principal on `registry` today: whether their nation is a member, and
    /// its frameworks.
    pub fn principal(&self, registry: &Registry) -> Principal {
        let (nation_is_member, nation_frameworks) = match &self.affiliation {
            Affiliation::Nation(nation) => match registry.status_at(*nation, Utc::now().date_naive()) {
                Some(status) => {
                    (status.status == entente_core::Standing::Member, status.frameworks.into_iter().collect())
                }
                None => (false, Default::default()),
            },
            _ => (false, Default::default()),
        };
        Principal {
            user_id: self.id,
            role: self.role,
            affiliation: self.affiliation.clone(),
            clearance: self.clearance,
            nation_is_member,
            nation_frameworks,
        }
    }
}

impl TryFrom<UserRow> for User {
    type Error = ServiceError;

    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        let corrupt = |what: &str| ServiceError::Corrupt(format!("user {} has an invalid {what}", row.id));
        let affiliation = match (row.affiliation_kind.as_str(), row.affiliation_code.as_deref()) {
            ("staff", _) => Affiliation::AllianceStaff,
            ("nation", Some(code)) => Affiliation::Nation(code.parse().map_err(|_| corrupt("nation"))?),
            ("organisation", Some(code)) => {
                Affiliation::Organisation(code.parse().map_err(|_| corrupt("organisation"))?)
            }
            _ => return Err(corrupt("affiliation")),
        };
        Ok(User {
            id: row.id,
            role: Role::parse(&row.role).ok_or_else(|| corrupt("role"))?,
            clearance: Classification::parse(&row.clearance).ok_or_else(|| corrupt("clearance"))?,
            email: row.email,
            display_name: row.display_name,
            affiliation,
            active: row.active,
        })
    }
}

/// What a new account needs.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Email.
    pub email: String,
    /// Name shown on pages.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Whom they work for.
    pub affiliation: Affiliation,
    /// Highest classification they may read.
    pub clearance: Classification,
    /// Initial password.
    pub password: String,
}

/// Who asks for a change, and how the audit trail names them.
#[derive(Debug, Clone)]
pub struct Actor {
    /// For `authorize()`.
    pub caller: Caller,
    /// For the audit trail.
    pub label: String,
}

impl Actor {
    /// The operator at the command line: the machine's owner, with an administrator's rights.
    pub fn operator() -> Self {
        let name = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
        let principal = Principal {
            user_id: 0,
            role: Role::Admin,
            affiliation: Affiliation::AllianceStaff,
            clearance: Classification::Restricted,
            nation_is_member: false,
            nation_frameworks: Default::default(),
        };
        Actor { caller: Caller::User(principal), label: format!("cli:{name}") }
    }

    /// A signed-in user.
    pub fn user(user: &User, registry: &Registry) -> Self {
        Actor { caller: Caller::User(user.principal(registry)), label: user.actor() }
    }

    /// Refuses unless `authorize()` allows `action` on `resource`.
    pub fn require(&self, action: Action, resource: Resource<'_>, what: &str) -> Result<(), ServiceError> {
        decision_to_result(authorize(&self.caller, action, resource), action, what)
    }
}

/// Turns a refusal of `action` into the matching error.
pub fn decision_to_result(decision: Decision, action: Action, what: &str) -> Result<(), ServiceError> {
    let verb = match action {
        Action::Read => "see",
        Action::Write => "change",
    };
    match decision {
        Decision::Allow => Ok(()),
        Decision::Unauthenticated => Err(ServiceError::Unauthenticated("sign in first".into())),
        Decision::Forbidden => Err(ServiceError::Forbidden(format!("you may not {verb} {what}"))),
        Decision::Hidden => Err(ServiceError::NotFound { kind: "record", code: what.to_owned() }),
    }
}

/// A new session: the cookie value (shown once) and its CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The session id for the cookie.
    pub id: String,
    /// The CSRF token for forms.
    pub csrf: String,
}

/// A live session's user and CSRF token.
#[derive(Debug, Clone)]
pub struct ActiveSession {
    /// Who.
    pub user: User,
    /// The token forms must carry.
    pub csrf: String,
}

/// Account use cases.
#[derive(Debug)]
pub struct AccountService {
    store: Store,
}

fn invalid(field: &str, reason: impl Into<String>) -> ServiceError {
    ServiceError::Invalid { field: field.to_owned(), reason: reason.into() }
}

fn random() -> Result<String, ServiceError> {
    random_secret().map_err(|e| ServiceError::Corrupt(format!("no randomness: {e}")))
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

impl AccountService {
    /// A service over `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Whether no account exists yet (a fresh installation).
    pub async fn is_empty(&self) -> Result<bool, ServiceError> {
        Ok(self.store.count_users().await? == 0)
    }

    /// Creates an account. `actor` must be allowed to administer users.
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User, ServiceError> {
        actor.require(Action::Write, Resource::Users, "users")?;
        self.insert_user(&actor.label, new).await
    }

    /// Creates the first administrator through the one-time setup link; refused once any
    /// account exists.
    pub async fn create_first_admin(&self, new: NewUser) -> Result<User, ServiceError> {
        if !self.is_empty().await? {
            return Err(ServiceError::Conflict("an account already exists; setup is closed".into()));
        }
        self.insert_user("setup-link", NewUser { role: Role::Admin, ..new }).await
    }

    /// Creates a demo account, or resets its role and password if it exists (`serve --demo`).
    pub async fn ensure_demo_user(&self, new: NewUser) -> Result<User, ServiceError> {
        match self.user_by_email(&new.email).await {
            Ok(user) => {
                let hash = passwords::hash(&new.password).map_err(ServiceError::Corrupt)?;
                let audit = AuditRecord {
                    actor: "system:demo".into(),
                    action: "user.demo_reset".into(),
                    detail: json!({ "id": user.id, "after": { "role": new.role.as_str(), "active": true } }),
                };
                self.store.update_user(user.id, Some(new.role.as_str()), Some(true), Some(&hash), true, &audit).await?;
                self.user(user.id).await
            }
            Err(ServiceError::NotFound { .. }) => self.insert_user("system:demo", new).await,
            Err(e) => Err(e),
        }
    }

    async fn insert_user(&self, actor: &str, new: NewUser) -> Result<User, ServiceError> {
        let email = new.email.trim().to_lowercase();
        if !email.contains('@') || email.starts_with('@') || email.ends_with('@') || email.contains(char::is_whitespace)
        {
            return Err(invalid("email", format!("`{}` is not an email address", new.email)));
        }
        if new.display_name.trim().is_empty() {
            return Err(invalid("display_name", "is required"));
        }
        if let Some(reason) = passwords::weakness(&new.password) {
            return Err(invalid("password", reason));
        }
        let (affiliation_kind, affiliation_code) = match &new.affiliation {
            Affiliation::AllianceStaff => ("staff", None),
            Affiliation::Nation(code) => ("nation", Some(code.to_string())),
            Affiliation::Organisation(code) => ("organisation", Some(code.to_string())),
        };
        let row = NewUserRow {
            email: email.clone(),
            display_name: new.display_name.trim().to_owned(),
            role: new.role.as_str().to_owned(),
            affiliation_kind: affiliation_kind.to_owned(),
            affiliation_code,
            clearance: new.clearance.as_str().to_owned(),
            password_hash: passwords::hash(&new.password).map_err(ServiceError::Corrupt)?,
        };
        let audit = AuditRecord {
            actor: actor.to_owned(),
            action: "user.create".into(),
            detail: json!({ "after": { "email": email, "role": row.role, "affiliation": affiliation_kind,
                                        "affiliation_code": row.affiliation_code, "clearance": row.clearance } }),
        };
        let id = self
            .store
            .insert_user(&row, &audit)
            .await?
            .ok_or_else(|| ServiceError::Conflict(format!("an account with the email `{email}` already exists")))?;
        self.user(id).await
    }

    /// One user by id.
    pub async fn user(&self, id: i64) -> Result<User, ServiceError> {
        let row =
            self.store.user(id).await?.ok_or_else(|| ServiceError::NotFound { kind: "user", code: id.to_string() })?;
        User::try_from(row)
    }

    /// One user by email (for the CLI).
    pub async fn user_by_email(&self, email: &str) -> Result<User, ServiceError> {
        let email = email.trim().to_lowercase();
        let (row, _) =
            self.store.user_by_email(&email).await?.ok_or(ServiceError::NotFound { kind: "user", code: email })?;
        User::try_from(row)
    }

    /// A page of users, for administrators.
    pub async fn list_users(&self, actor: &Actor, limit: i64, offset: i64) -> Result<(Vec<User>, i64), ServiceError> {
        actor.require(Action::Read, Resource::Users, "users")?;
        let (rows, total) = self.store.list_users(limit, offset).await?;
        Ok((rows.into_iter().map(User::try_from).collect::<Result<_, _>>()?, total))
    }

    /// Changes a user's role and/or active flag, for administrators.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: i64,
        role: Option<Role>,
        active: Option<bool>,
    ) -> Result<User, ServiceError> {
        actor.require(Action::Write, Resource::Users, "users")?;
        let before = self.user(id).await?;
        let audit = AuditRecord {
            actor: actor.label.clone(),
            action: "user.update".into(),
            detail: json!({ "id": id,
                "before": { "role": before.role.as_str(), "active": before.active },
                "after": { "role": role.unwrap_or(before.role).as_str(), "active": active.unwrap_or(before.active) } }),
        };
        // A disabled account is signed out everywhere at once.
        let end_sessions = active == Some(false);
        self.store.update_user(id, role.map(|r| r.as_str()), active, None, end_sessions, &audit).await?;
        self.user(id).await
    }

    /// Signs in: the same refusal for an unknown email and a wrong password, and throttling
    /// per account and per client address.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
    ) -> Result<(User, NewSession), ServiceError> {
        let email = email.trim().to_lowercase();
        let since = crate::store::timestamp(Utc::now() - THROTTLE_WINDOW);
        let found = self.store.user_by_email(&email).await?;
        let account_key = found.as_ref().map(|(row, _)| format!("account:{}", row.id));
        let address_key = format!("address:{address}");
        let account_failures = match &account_key {
            Some(key) => self.store.sign_in_failures(key, &since).await?,
            None => 0,
        };
        if account_failures >= MAX_FAILURES_PER_ACCOUNT
            || self.store.sign_in_failures(&address_key, &since).await? >= MAX_FAILURES_PER_ADDRESS
        {
            return Err(ServiceError::Throttled);
        }
        let stored_hash = found.as_ref().map_or(passwords::decoy(), |(_, hash)| hash.as_str()).to_owned();
        let password_owned = password.to_owned();
        // Argon2 takes tens of milliseconds: keep it off the async workers.
        let matches = tokio::task::spawn_blocking(move || passwords::verify(&password_owned, &stored_hash))
            .await
            .unwrap_or(false);
        let user = match found {
            Some((row, _)) if matches && row.active => User::try_from(row)?,
            _ => {
                let audit = AuditRecord {
                    actor: format!("anonymous@{address}"),
                    action: "auth.sign_in_failed".into(),
                    detail: json!({ "email": email }),
                };
                let keys: Vec<String> = account_key.into_iter().chain([address_key]).collect();
                self.store.record_sign_in_failure(&keys, &audit).await?;
                return Err(ServiceError::Unauthenticated("wrong email or password".into()));
            }
        };
        // A new id at every sign-in: a session id planted before sign-in is never promoted.
        let session = NewSession { id: random()?, csrf: random()? };
        let audit =
            AuditRecord { actor: user.actor(), action: "auth.sign_in".into(), detail: json!({ "address": address }) };
        // A successful sign-in forgets the account's failures (not the address's).
        let cleared = [format!("account:{}", user.id)];
        self.store.insert_session(&secret_hash(&session.id), user.id, &session.csrf, &cleared, &audit).await?;
        Ok((user, session))
    }

    /// The live session with this cookie value, if any: not idle too long, not too old, and
    /// its user still active.
    pub async fn session(&self, cookie: &str) -> Result<Option<ActiveSession>, ServiceError> {
        let id_hash = secret_hash(cookie);
        let Some(row) = self.store.session(&id_hash).await? else { return Ok(None) };
        let now = Utc::now();
        let (Some(created), Some(seen)) = (parse_time(&row.created_at), parse_time(&row.last_seen_at)) else {
            return Ok(None);
        };
        if now - seen > SESSION_IDLE || now - created > SESSION_ABSOLUTE {
            self.store.delete_session(&id_hash).await?;
            return Ok(None);
        }
        let user = self.user(row.user_id).await?;
        if !user.active {
            return Ok(None);
        }
        // Recording every request would turn each read into a write; a minute is precise enough.
        if now - seen > Duration::minutes(1) {
            self.store.touch_session(&id_hash).await?;
        }
        Ok(Some(ActiveSession { user, csrf: row.csrf_token }))
    }

    /// Ends the session with this cookie value.
    pub async fn sign_out(&self, cookie: &str, user: &User) -> Result<(), ServiceError> {
        self.store.delete_session(&secret_hash(cookie)).await?;
        self.store
            .record_audit(&AuditRecord { actor: user.actor(), action: "auth.sign_out".into(), detail: json!({}) })
            .await?;
        Ok(())
    }

    /// Changes the user's own password, given the current one.
    pub async fn change_password(&self, user: &User, current: &str, new: &str) -> Result<(), ServiceError> {
        let stored = self.store.password_hash(user.id).await?.unwrap_or_default();
        if !passwords::verify(current, &stored) {
            return Err(invalid("current_password", "is not your current password"));
        }
        if let Some(reason) = passwords::weakness(new) {
            return Err(invalid("new_password", reason));
        }
        let hash = passwords::hash(new).map_err(ServiceError::Corrupt)?;
        let audit =
            AuditRecord { actor: user.actor(), action: "user.password".into(), detail: json!({ "id": user.id }) };
        // Every session opened with the old password ends.
        self.store.update_user(user.id, None, None, Some(&hash), true, &audit).await?;
        Ok(())
    }

    /// Creates a personal API token; the secret is returned once and stored only hashed.
    pub async fn create_token(
        &self,
        user: &User,
        name: &str,
        can_write: bool,
        days: i64,
    ) -> Result<String, ServiceError> {
        if name.trim().is_empty() {
            return Err(invalid("name", "is required"));
        }
        if !(1..=366).contains(&days) {
            return Err(invalid("days", "must be from 1 to 366"));
        }
        let secret = format!("ent_{}", random()?);
        let expires_at = crate::store::timestamp(Utc::now() + Duration::days(days));
        let audit = AuditRecord {
            actor: user.actor(),
            action: "token.create".into(),
            detail: json!({ "name": name.trim(), "can_write": can_write, "expires_at": expires_at }),
        };
        self.store.insert_token(user.id, name.trim(), &secret_hash(&secret), can_write, &expires_at, &audit).await?;
        Ok(secret)
    }

    /// The user's tokens.
    pub async fn tokens(&self, user: &User) -> Result<Vec<TokenRow>, ServiceError> {
        Ok(self.store.tokens_of(user.id).await?)
    }

    /// Revokes one of the user's own tokens.
    pub async fn revoke_token(&self, user: &User, token_id: i64) -> Result<(), ServiceError> {
        let audit =
            AuditRecord { actor: user.actor(), action: "token.revoke".into(), detail: json!({ "token_id": token_id }) };
        if self.store.revoke_token(user.id, token_id, &audit).await? {
            Ok(())
        } else {
            Err(ServiceError::NotFound { kind: "token", code: token_id.to_string() })
        }
    }

    /// The user and write permission of a bearer token: unknown, revoked or expired tokens
    /// are refused.
    pub async fn token_user(&self, secret: &str) -> Result<(User, bool), ServiceError> {
        let refused = || ServiceError::Unauthenticated("the token is unknown, revoked or expired".into());
        let token = self.store.token_by_hash(&secret_hash(secret)).await?.ok_or_else(refused)?;
        let expired = parse_time(&token.expires_at).is_none_or(|at| at <= Utc::now());
        if token.revoked_at.is_some() || expired {
            return Err(refused());
        }
        let user = self.user(token.user_id).await?;
        if !user.active {
            return Err(refused());
        }
        Ok((user, token.can_write))
    }
}
