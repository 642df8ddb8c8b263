//! Accounts: users, sign-in with throttling, sessions, personal API tokens and user
//! administration. Every decision on who may do what goes through `authorize()`.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entente_core::{
    Action, Affiliation, Caller, Classification, Decision, Principal, Registry, Resource, Role, authorize,
};
use serde_json::json;

use super::integrity::{self, Subject};
use super::passwords::{self, Busy, Passwords};
use super::secrets::{random_secret, secret_hash};
use super::{Db, Reason, ServiceError, SignInProblem};
use crate::store::LockKey;
use crate::store::accounts::{NewUserRow, UserRow};
use crate::store::audit::AuditRecord;

/// A session ends after this long without use.
pub const SESSION_IDLE: Duration = Duration::hours(2);
/// A session ends this long after sign-in, used or not.
pub const SESSION_ABSOLUTE: Duration = Duration::hours(12);
/// Failed sign-ins are remembered this long.
const THROTTLE_MEMORY: Duration = Duration::hours(24);
/// Failures allowed, without waiting, per email and client address together.
const FREE_FAILURES_PER_PAIR: i64 = 5;
/// Failures allowed, without waiting, per client address, whatever the emails.
const FREE_FAILURES_PER_ADDRESS: i64 = 50;

/// How a caller proved who they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A session opened by signing in with the password.
    Session,
    /// A personal API token.
    Token,
}

impl Credential {
    /// Credentials themselves (the password, tokens) are managed only from a session.
    fn require_session(self) -> Result<(), ServiceError> {
        match self {
            Credential::Session => Ok(()),
            Credential::Token => Err(ServiceError::SessionRequired),
        }
    }
}

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

    /// The user as a principal on `registry` on `today`: whether their nation is a member,
    /// and its frameworks.
    pub fn principal(&self, registry: &Registry, today: NaiveDate) -> Principal {
        let (nation_is_member, nation_frameworks) = match &self.affiliation {
            Affiliation::Nation(nation) => match registry.status_at(*nation, today) {
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
        Self::operator_named(&name)
    }

    /// The system itself acting on a schedule (as `system:NAME` in the trail), with an
    /// administrator's rights.
    pub fn operator_named(name: &str) -> Self {
        let label = if name == "scheduler" { format!("system:{name}") } else { format!("cli:{name}") };
        let principal = Principal {
            user_id: 0,
            role: Role::Admin,
            affiliation: Affiliation::AllianceStaff,
            clearance: Classification::Restricted,
            nation_is_member: false,
            nation_frameworks: Default::default(),
        };
        Actor { caller: Caller::User(principal), label }
    }

    /// A signed-in user, with their nation's standing on `today`.
    pub fn user(user: &User, registry: &Registry, today: NaiveDate) -> Self {
        Actor { caller: Caller::User(user.principal(registry, today)), label: user.actor() }
    }

    /// The acting user's id; 0 for an anonymous caller (who is refused any change anyway).
    pub fn user_id(&self) -> i64 {
        match &self.caller {
            Caller::User(principal) => principal.user_id,
            Caller::Anonymous => 0,
        }
    }

    /// Refuses unless `authorize()` allows `action` on `resource`.
    pub fn require(&self, action: Action, resource: Resource<'_>) -> Result<(), ServiceError> {
        decision_to_result(authorize(&self.caller, action, resource), &resource)
    }
}

/// Turns a refusal into the matching error: hidden records are not found.
pub fn decision_to_result(decision: Decision, resource: &Resource<'_>) -> Result<(), ServiceError> {
    match decision {
        Decision::Allow => Ok(()),
        Decision::Unauthenticated => Err(ServiceError::Unauthenticated(SignInProblem::SignInFirst)),
        Decision::Forbidden(refusal) => Err(ServiceError::Refused(refusal)),
        Decision::Hidden => Err(ServiceError::NotFound { kind: resource.target().code(), code: String::new() }),
    }
}

/// Where a personal API token stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenState {
    /// It works.
    Active,
    /// Its owner revoked it.
    Revoked,
    /// Its time is up.
    Expired,
}

/// A personal API token (never its secret).
#[derive(Debug, Clone)]
pub struct Token {
    /// Id.
    pub id: i64,
    /// Its owner's label for it.
    pub name: String,
    /// Read-write, or read-only.
    pub can_write: bool,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// Where it stands now.
    pub state: TokenState,
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
    db: Db,
    passwords: Passwords,
}

fn invalid(field: &str, reason: Reason) -> ServiceError {
    ServiceError::Invalid { field: field.to_owned(), reason }
}

fn random() -> Result<String, ServiceError> {
    random_secret().map_err(|e| ServiceError::Corrupt(format!("no randomness: {e}")))
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

fn user_not_found(id: i64) -> ServiceError {
    ServiceError::NotFound { kind: "user", code: id.to_string() }
}

/// A new account's row, checked.
fn checked_row(new: &NewUser, password_hash: String) -> Result<NewUserRow, ServiceError> {
    let email = new.email.trim().to_lowercase();
    if !email.contains('@') || email.starts_with('@') || email.ends_with('@') || email.contains(char::is_whitespace) {
        return Err(invalid("email", Reason::NotAnEmail(new.email.clone())));
    }
    if new.display_name.trim().is_empty() {
        return Err(invalid("display_name", Reason::Required));
    }
    let (affiliation_kind, affiliation_code) = match &new.affiliation {
        Affiliation::AllianceStaff => ("staff", None),
        Affiliation::Nation(code) => ("nation", Some(code.to_string())),
        Affiliation::Organisation(code) => ("organisation", Some(code.to_string())),
    };
    Ok(NewUserRow {
        email,
        display_name: new.display_name.trim().to_owned(),
        role: new.role.as_str().to_owned(),
        affiliation_kind: affiliation_kind.to_owned(),
        affiliation_code,
        clearance: new.clearance.as_str().to_owned(),
        password_hash,
    })
}

impl AccountService {
    /// A service over `db`, hashing passwords through `passwords`.
    pub fn new(db: Db, passwords: Passwords) -> Self {
        Self { db, passwords }
    }

    /// Whether no account exists yet (a fresh installation).
    pub async fn is_empty(&self) -> Result<bool, ServiceError> {
        let mut tx = self.db.read().await?;
        Ok(tx.count_users().await? == 0)
    }

    /// Creates an account. `actor` must be allowed to administer users.
    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User, ServiceError> {
        actor.require(Action::Create, Resource::Users)?;
        self.insert_user(&actor.label, new, false).await
    }

    /// Creates the first administrator through the one-time setup link: an administrator of
    /// the alliance staff cleared RESTRICTED. Refused once any account exists, also when two
    /// requests race for it.
    pub async fn create_first_admin(
        &self,
        email: String,
        display_name: String,
        password: String,
    ) -> Result<User, ServiceError> {
        let new = NewUser {
            email,
            display_name,
            role: Role::Admin,
            affiliation: Affiliation::AllianceStaff,
            clearance: Classification::Restricted,
            password,
        };
        self.insert_user("setup-link", new, true).await
    }

    /// Creates a demo account, or resets its role and password if it exists (`serve --demo`).
    pub async fn ensure_demo_user(&self, new: NewUser) -> Result<User, ServiceError> {
        let hash = self.hash(&new.password).await?;
        let row = checked_row(&new, hash.clone())?;
        let mut tx = self.db.write().await?;
        tx.lock(LockKey::Accounts).await?;
        let id = match tx.user_by_email(&row.email).await? {
            Some((existing, _)) => {
                tx.update_user(existing.id, Some(&row.role), Some(true), Some(&hash)).await?;
                tx.delete_sessions_of(existing.id).await?;
                integrity::append(
                    &mut tx,
                    &AuditRecord {
                        actor: "system:demo".into(),
                        action: "user.demo_reset".into(),
                        detail: json!({ "id": existing.id, "after": { "role": row.role, "active": true } }),
                    },
                    &[Subject::User(existing.id)],
                )
                .await?;
                existing.id
            }
            None => self.insert_row(&mut tx, "system:demo", &row).await?,
        };
        let user = tx.user(id).await?.ok_or_else(|| user_not_found(id))?;
        tx.commit().await?;
        User::try_from(user)
    }

    async fn hash(&self, password: &str) -> Result<String, ServiceError> {
        if let Some(reason) = passwords::weakness(password) {
            return Err(invalid("password", reason));
        }
        self.passwords.hash(password).await?.map_err(ServiceError::Corrupt)
    }

    async fn insert_user(&self, actor: &str, new: NewUser, only_if_first: bool) -> Result<User, ServiceError> {
        // The fields are checked before the costly hash is made, so bad input costs nothing.
        checked_row(&new, String::new())?;
        let row = checked_row(&new, self.hash(&new.password).await?)?;
        let mut tx = self.db.write().await?;
        // Held until commit: the first account is created once, whoever races for it.
        tx.lock(LockKey::Accounts).await?;
        if only_if_first && tx.count_users().await? > 0 {
            return Err(ServiceError::Conflict(Reason::SetupClosed));
        }
        let id = self.insert_row(&mut tx, actor, &row).await?;
        let user = tx.user(id).await?.ok_or_else(|| user_not_found(id))?;
        tx.commit().await?;
        User::try_from(user)
    }

    async fn insert_row(&self, tx: &mut crate::store::Tx, actor: &str, row: &NewUserRow) -> Result<i64, ServiceError> {
        let id =
            tx.insert_user(row).await?.ok_or_else(|| ServiceError::Conflict(Reason::EmailTaken(row.email.clone())))?;
        integrity::append(tx, &AuditRecord {
            actor: actor.to_owned(),
            action: "user.create".into(),
            detail: json!({ "id": id, "after": { "email": row.email, "role": row.role, "affiliation": row.affiliation_kind,
                                                  "affiliation_code": row.affiliation_code, "clearance": row.clearance } }),
        }, &[Subject::User(id)])
        .await?;
        Ok(id)
    }

    /// One user by id.
    pub async fn user(&self, id: i64) -> Result<User, ServiceError> {
        let mut tx = self.db.read().await?;
        User::try_from(tx.user(id).await?.ok_or_else(|| user_not_found(id))?)
    }

    /// One user by email (for the CLI).
    pub async fn user_by_email(&self, email: &str) -> Result<User, ServiceError> {
        let email = email.trim().to_lowercase();
        let mut tx = self.db.read().await?;
        let (row, _) = tx.user_by_email(&email).await?.ok_or(ServiceError::NotFound { kind: "user", code: email })?;
        User::try_from(row)
    }

    /// A page of users, for administrators.
    pub async fn list_users(&self, actor: &Actor, limit: i64, offset: i64) -> Result<(Vec<User>, i64), ServiceError> {
        actor.require(Action::Read, Resource::Users)?;
        let mut tx = self.db.read().await?;
        let (rows, total) = tx.list_users(limit, offset).await?;
        Ok((rows.into_iter().map(User::try_from).collect::<Result<_, _>>()?, total))
    }

    /// Changes a user's role and/or active flag, for administrators. The "before" of the
    /// audit event is read under a row lock in the same unit, so it is exact even when two
    /// administrators change the same account at once.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: i64,
        role: Option<Role>,
        active: Option<bool>,
    ) -> Result<User, ServiceError> {
        actor.require(Action::Update, Resource::Users)?;
        let mut tx = self.db.write().await?;
        let before = User::try_from(tx.user_for_update(id).await?.ok_or_else(|| user_not_found(id))?)?;
        tx.update_user(id, role.map(|r| r.as_str()), active, None).await?;
        // A disabled account is signed out everywhere at once.
        // A disabled account's sessions and tokens end, and re-enabling it revives neither.
        if active == Some(false) {
            tx.delete_sessions_of(id).await?;
            tx.revoke_tokens_of(id).await?;
        }
        let after = User::try_from(tx.user(id).await?.ok_or_else(|| user_not_found(id))?)?;
        integrity::append(
            &mut tx,
            &AuditRecord {
                actor: actor.label.clone(),
                action: "user.update".into(),
                detail: json!({ "id": id,
                "before": { "role": before.role.as_str(), "active": before.active },
                "after": { "role": after.role.as_str(), "active": after.active } }),
            },
            &[Subject::User(id)],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Signs in: the same refusal, and the same throttling, for an unknown email and a
    /// wrong password. Failures are counted per email and client address together (so
    /// nobody can lock another person out from elsewhere) and per address; beyond the free
    /// failures each new try waits longer. Each attempt is counted before its password is
    /// checked, under a lock per throttle key, so concurrent attempts cannot slip past.
    /// A session the browser already held (`previous`, its cookie) ends with a success,
    /// whoever it belonged to.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        address: &str,
        previous: Option<&str>,
    ) -> Result<(User, NewSession), ServiceError> {
        // No email is longer than 254 characters; a longer one is cut, not stored whole.
        let email: String = email.trim().to_lowercase().chars().take(254).collect();
        let address = &throttle_address(address);
        let stored = self.db.read().await?.user_by_email(&email).await?;
        let stored_hash = match &stored {
            Some((_, hash)) => hash.clone(),
            None => self.decoy().await?,
        };
        // The hashing slot is taken before the attempt is counted: a busy server costs the
        // caller a retry, not one of their free failures.
        let slot = self.passwords.slot().await?;
        let pair_key = format!("pair:{}", secret_hash(&format!("{email}\n{address}")));
        let address_key = format!("address:{address}");
        let mut tx = self.db.write().await?;
        // Always the pair before the address, so two units never wait on each other.
        let mut attempts = Vec::new();
        for (key, free) in [(&pair_key, FREE_FAILURES_PER_PAIR), (&address_key, FREE_FAILURES_PER_ADDRESS)] {
            attempts.push(count_attempt(&mut tx, key, free).await?);
        }
        tx.commit().await?;

        let matches = slot.verify(password, &stored_hash).await;
        let mut tx = self.db.write().await?;
        let found = tx.user_by_email(&email).await?;
        let user = match found {
            Some((row, hash)) if matches && row.active && hash == stored_hash => User::try_from(row)?,
            _ => {
                // The attempts stay counted as failures.
                tx.append_audit(&AuditRecord {
                    actor: format!("anonymous@{address}"),
                    action: "auth.sign_in_failed".into(),
                    detail: json!({ "email": email }),
                })
                .await?;
                tx.commit().await?;
                return Err(ServiceError::Unauthenticated(SignInProblem::WrongCredentials));
            }
        };
        // A success forgets the pair's failures, and this attempt from the address.
        tx.clear_sign_in_attempts(&pair_key).await?;
        if let Some(address_attempt) = attempts.last() {
            tx.delete_sign_in_attempt(*address_attempt).await?;
        }
        if let Some(previous) = previous {
            tx.delete_session(&secret_hash(previous)).await?;
        }
        // A new id at every sign-in: a session id planted before sign-in is never promoted.
        let session = NewSession { id: random()?, csrf: random()? };
        tx.insert_session(&secret_hash(&session.id), user.id, &session.csrf).await?;
        tx.append_audit(&AuditRecord {
            actor: user.actor(),
            action: "auth.sign_in".into(),
            detail: json!({ "address": address }),
        })
        .await?;
        tx.commit().await?;
        Ok((user, session))
    }

    /// A hash of no one's password, verified against when the email is unknown, so that an
    /// unknown email and a wrong password take the same time.
    async fn decoy(&self) -> Result<String, ServiceError> {
        static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
        let made = DECOY
            .get_or_try_init(|| async {
                self.passwords.hash("decoy password that no account has").await?.map_err(ServiceError::Corrupt)
            })
            .await?;
        Ok(made.clone())
    }

    /// The live session with this cookie value, if any: not idle too long, not too old, and
    /// its user still active.
    pub async fn session(&self, cookie: &str) -> Result<Option<ActiveSession>, ServiceError> {
        let id_hash = secret_hash(cookie);
        let mut tx = self.db.read().await?;
        let now = tx.now();
        let Some(row) = tx.session(&id_hash).await? else { return Ok(None) };
        let user = tx.user(row.user_id).await?;
        tx.commit().await?;
        let (Some(created), Some(seen)) = (parse_time(&row.created_at), parse_time(&row.last_seen_at)) else {
            return Ok(None);
        };
        if now - seen > SESSION_IDLE || now - created > SESSION_ABSOLUTE {
            let mut tx = self.db.write().await?;
            tx.delete_session(&id_hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        let user = User::try_from(user.ok_or_else(|| user_not_found(row.user_id))?)?;
        if !user.active {
            return Ok(None);
        }
        // Recording every request would turn each read into a write; a minute is precise enough.
        if now - seen > Duration::minutes(1) {
            let mut tx = self.db.write().await?;
            tx.touch_session(&id_hash).await?;
            tx.commit().await?;
        }
        Ok(Some(ActiveSession { user, csrf: row.csrf_token }))
    }

    /// Ends the session with this cookie value.
    pub async fn sign_out(&self, cookie: &str, user: &User) -> Result<(), ServiceError> {
        let mut tx = self.db.write().await?;
        tx.delete_session(&secret_hash(cookie)).await?;
        tx.append_audit(&AuditRecord { actor: user.actor(), action: "auth.sign_out".into(), detail: json!({}) })
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the user's own password, given the current one.
    pub async fn change_password(
        &self,
        user: &User,
        credential: Credential,
        current: &str,
        new: &str,
    ) -> Result<(), ServiceError> {
        credential.require_session()?;
        let stored = self.db.read().await?.password_hash(user.id).await?.unwrap_or_default();
        // The current password is guessed no faster here than at sign-in: a stolen session
        // must not become a way to find it.
        let slot = self.passwords.slot().await?;
        let key = format!("password:{}", user.id);
        let mut tx = self.db.write().await?;
        let attempt = count_attempt(&mut tx, &key, FREE_FAILURES_PER_PAIR).await?;
        tx.commit().await?;
        if !slot.verify(current, &stored).await {
            return Err(invalid("current_password", Reason::NotCurrentPassword));
        }
        let mut tx = self.db.write().await?;
        tx.delete_sign_in_attempt(attempt).await?;
        tx.commit().await?;
        if let Some(reason) = passwords::weakness(new) {
            return Err(invalid("new_password", reason));
        }
        let hash = self.hash(new).await?;
        let mut tx = self.db.write().await?;
        tx.update_user(user.id, None, None, Some(&hash)).await?;
        // Every session opened, and every token issued, under the old password ends.
        tx.delete_sessions_of(user.id).await?;
        tx.revoke_tokens_of(user.id).await?;
        integrity::append(
            &mut tx,
            &AuditRecord { actor: user.actor(), action: "user.password".into(), detail: json!({ "id": user.id }) },
            &[Subject::User(user.id)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates a personal API token; the secret is returned once and stored only hashed.
    pub async fn create_token(
        &self,
        user: &User,
        credential: Credential,
        name: &str,
        can_write: bool,
        days: i64,
    ) -> Result<String, ServiceError> {
        credential.require_session()?;
        self.issue_token(&user.actor(), user, name, can_write, days).await
    }

    /// Issues a token for another account, from the command line (administrators only).
    pub async fn issue_token_for(
        &self,
        actor: &Actor,
        email: &str,
        can_write: bool,
        days: i64,
    ) -> Result<String, ServiceError> {
        actor.require(Action::Administer, Resource::Users)?;
        let user = self.user_by_email(email).await?;
        if !user.active {
            return Err(invalid("email", Reason::AccountDisabled(user.email.clone())));
        }
        self.issue_token(&actor.label, &user, "issued from the command line", can_write, days).await
    }

    async fn issue_token(
        &self,
        actor: &str,
        user: &User,
        name: &str,
        can_write: bool,
        days: i64,
    ) -> Result<String, ServiceError> {
        if name.trim().is_empty() {
            return Err(invalid("name", Reason::Required));
        }
        if !(1..=366).contains(&days) {
            return Err(invalid("days", Reason::OutOfRange { min: 1, max: 366 }));
        }
        let secret = format!("ent_{}", random()?);
        let mut tx = self.db.write().await?;
        let expires_at = crate::store::timestamp(tx.now() + Duration::days(days));
        let id = tx.insert_token(user.id, name.trim(), &secret_hash(&secret), can_write, &expires_at).await?;
        integrity::append(
            &mut tx,
            &AuditRecord {
                actor: actor.to_owned(),
                action: "token.create".into(),
                detail: json!({ "token_id": id, "user_id": user.id, "name": name.trim(), "can_write": can_write,
                            "expires_at": expires_at }),
            },
            &[Subject::User(user.id)],
        )
        .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// The user's tokens, newest first, each with its state now.
    pub async fn tokens(&self, user: &User) -> Result<Vec<Token>, ServiceError> {
        let mut tx = self.db.read().await?;
        let now = tx.now();
        let rows = tx.tokens_of(user.id).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let state = token_state(row.revoked_at.is_some(), &row.expires_at, now);
                Token { id: row.id, name: row.name, can_write: row.can_write, expires_at: row.expires_at, state }
            })
            .collect())
    }

    /// Revokes one of the user's own tokens.
    pub async fn revoke_token(&self, user: &User, credential: Credential, token_id: i64) -> Result<(), ServiceError> {
        credential.require_session()?;
        let mut tx = self.db.write().await?;
        if !tx.revoke_token(user.id, token_id).await? {
            return Err(ServiceError::NotFound { kind: "token", code: token_id.to_string() });
        }
        integrity::append(
            &mut tx,
            &AuditRecord {
                actor: user.actor(),
                action: "token.revoke".into(),
                detail: json!({ "token_id": token_id }),
            },
            &[Subject::User(user.id)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user and write permission of a bearer token: unknown, revoked or expired tokens
    /// are refused.
    pub async fn token_user(&self, secret: &str) -> Result<(User, bool), ServiceError> {
        let refused = || ServiceError::Unauthenticated(SignInProblem::BadToken);
        let mut tx = self.db.read().await?;
        let token = tx.token_by_hash(&secret_hash(secret)).await?.ok_or_else(refused)?;
        if token_state(token.revoked_at.is_some(), &token.expires_at, tx.now()) != TokenState::Active {
            return Err(refused());
        }
        let user = User::try_from(tx.user(token.user_id).await?.ok_or_else(refused)?)?;
        if !user.active {
            return Err(refused());
        }
        Ok((user, token.can_write))
    }
}

/// Counts an attempt under a throttle `key`, unless the key must wait: then refuses it,
/// saying how long. Runs under the key's lock, so concurrent attempts queue.
async fn count_attempt(tx: &mut crate::store::Tx, key: &str, free: i64) -> Result<i64, ServiceError> {
    let now = tx.now();
    let since = crate::store::timestamp(now - THROTTLE_MEMORY);
    tx.lock(LockKey::Throttle(key)).await?;
    let (failures, last) = tx.sign_in_attempts(key, &since).await?;
    if let Some(wait) = throttle_wait(failures, free, last.as_deref().and_then(parse_time), now) {
        return Err(ServiceError::Throttled { retry_after: wait });
    }
    Ok(tx.insert_sign_in_attempt(key).await?)
}

/// The address a throttle counts: an IPv4 address as it is (an IPv4-mapped IPv6 one too),
/// an IPv6 address by its /64, which one subscriber holds whole.
fn throttle_address(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let network = u128::from(v6) & (u128::MAX << 64);
                format!("{}/64", std::net::Ipv6Addr::from(network))
            }
        },
        Ok(ip) => ip.to_string(),
        Err(_) => address.to_owned(),
    }
}

/// Seconds to wait before the next sign-in attempt under a throttle key, if any: none
/// while `failures` are fewer than `free`; then 30 seconds after the last attempt, doubling
/// with each further failure, up to 15 minutes.
fn throttle_wait(failures: i64, free: i64, last: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<u64> {
    if failures < free {
        return None;
    }
    let doublings = u32::try_from(failures - free).unwrap_or(u32::MAX).min(5);
    let delay = (Duration::seconds(30) * 2_i32.pow(doublings)).min(Duration::minutes(15));
    let until = last.unwrap_or(now) + delay;
    // Whole seconds, rounded up: waiting the announced time is always enough.
    let wait_ms = (until - now).num_milliseconds();
    (wait_ms > 0).then(|| u64::try_from((wait_ms + 999) / 1000).unwrap_or(1))
}

impl From<Busy> for ServiceError {
    fn from(_: Busy) -> Self {
        ServiceError::Busy
    }
}

/// A token's state at `now`: revoked, expired (an unreadable expiry counts as expired), or
/// active.
fn token_state(revoked: bool, expires_at: &str, now: chrono::DateTime<chrono::Utc>) -> TokenState {
    if revoked {
        TokenState::Revoked
    } else if parse_time(expires_at).is_none_or(|at| at <= now) {
        TokenState::Expired
    } else {
        TokenState::Active
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_ipv6_subscriber_is_throttled_by_its_slash_64() {
        assert_eq!(super::throttle_address("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(super::throttle_address("2001:db8:1:2:bbbb::9"), "2001:db8:1:2::/64");
        assert_eq!(super::throttle_address("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(super::throttle_address("192.0.2.7"), "192.0.2.7");
    }
}
