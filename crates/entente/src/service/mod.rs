//! Use cases, called alike by the HTTP layer and the CLI: they apply the core's rules,
//! use the store, and record the audit trail in the same transaction as each change.

pub mod accounts;
pub mod assessments;
pub mod audit;
pub mod council;
pub mod demo_assessments;
pub mod demo_menu;
pub mod document_changes;
pub mod documents;
pub mod events;
pub mod force_units;
pub mod health;
pub mod ical;
pub mod integrity;
pub mod meetings;
pub mod menu;
pub mod menu_file;
pub mod menu_search;
pub mod nominations;
pub mod operations;
pub mod passwords;
pub mod programmes;
pub mod progress;
pub mod proposals;
pub mod quality;
mod reason;
pub mod refusals;
pub mod registry;
pub mod registry_file;
pub mod reports;
pub mod seats;
pub mod secrets;
pub mod spreadsheet;

pub use reason::Reason;

use std::sync::Arc;

use entente_core::Refusal;

use crate::clock::SharedClock;
use crate::store::{Store, StoreError, Tx};
use registry_file::RowProblem;

/// Why a caller is not recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInProblem {
    /// Not signed in at all.
    SignInFirst,
    /// The email or the password is wrong (the same answer for both).
    WrongCredentials,
    /// The bearer token is unknown, revoked or expired.
    BadToken,
    /// The Authorization header is not `Bearer TOKEN`.
    MalformedHeader,
}

impl std::fmt::Display for SignInProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SignInProblem::SignInFirst => "sign in first",
            SignInProblem::WrongCredentials => "wrong email or password",
            SignInProblem::BadToken => "the token is unknown, revoked or expired",
            SignInProblem::MalformedHeader => "malformed Authorization header: expected `Bearer TOKEN`",
        })
    }
}

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The named record does not exist (or is not visible to the caller).
    #[error("no {kind} `{code}`")]
    NotFound {
        /// What kind of record.
        kind: &'static str,
        /// The code asked for.
        code: String,
    },
    /// The caller must sign in (or their credentials were refused).
    #[error("{0}")]
    Unauthenticated(SignInProblem),
    /// `authorize()` refused, for this reason.
    #[error("{0}")]
    Refused(Refusal),
    /// A change came with a session but without its CSRF token.
    #[error("the form's security token is missing or wrong; reload the page")]
    BadCsrf,
    /// A change came with a read-only token.
    #[error("this API token is read-only")]
    ReadOnlyToken,
    /// A field's value was refused.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field.
        field: String,
        /// Why.
        reason: Reason,
    },
    /// A query parameter (a sort column, a filter) was refused: answered 400.
    #[error("{parameter}: {reason}")]
    BadQuery {
        /// The parameter.
        parameter: String,
        /// Why.
        reason: Reason,
    },
    /// The change conflicts with what exists.
    #[error("{0}")]
    Conflict(Reason),
    /// Too many failed sign-ins for this email from this address (or from this address):
    /// wait before trying again.
    #[error("too many failed sign-ins; try again in {retry_after} seconds")]
    Throttled {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// Passwords and tokens are managed from a signed-in session, never with a token (so a
    /// stolen token cannot mint more, nor outlive a password change).
    #[error("passwords and tokens are managed from a signed-in session, not with an API token")]
    SessionRequired,
    /// Every password-hashing slot is taken: come back in a moment.
    #[error("the server is busy; try again in a moment")]
    Busy,

    /// An upload is larger than allowed.
    #[error("the file is larger than the limit of {0} bytes")]
    TooLarge(usize),
    /// An upload is of a type that is not accepted.
    #[error("{0}")]
    UnsupportedType(Reason),
    /// A file was refused; nothing was changed.
    #[error("the file has {} problem(s); nothing was changed", .0.len())]
    InvalidFile(Vec<RowProblem>),
    /// Stored data breaks the registry's rules (should never happen: writes are checked).
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// A lock was poisoned by a panic elsewhere.
    #[error("internal state is unavailable")]
    Poisoned,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the services need besides the store and the clock.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The largest upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// How passwords are hashed, and how many at once.
    pub passwords: passwords::Passwords,
    /// How far an offer may exceed a requirement's remaining need, in percent of the
    /// requirement.
    pub offer_margin_percent: u32,
}

/// The store and the clock: what every service opens its units of work with.
#[derive(Debug, Clone)]
pub struct Db {
    store: Store,
    clock: SharedClock,
}

impl Db {
    /// Begins a unit of work that will write, at the clock's now.
    pub async fn write(&self) -> Result<Tx, ServiceError> {
        Ok(self.store.write(self.clock.now()).await?)
    }

    /// Begins a unit of work that only reads, at the clock's now.
    pub async fn read(&self) -> Result<Tx, ServiceError> {
        Ok(self.store.read(self.clock.now()).await?)
    }

    /// The clock.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// The connection pool's state.
    pub fn pool_stats(&self) -> crate::store::PoolStats {
        self.store.pool_stats()
    }

    /// Which backend the store runs on.
    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.store.close().await;
    }
}

/// Every service, built once over one store and shared by all requests.
#[derive(Debug)]
pub struct Services {
    /// The store and clock.
    pub db: Db,
    /// Registry reads and changes.
    pub registry: registry::RegistryService,
    /// Accounts, sessions and tokens.
    pub accounts: accounts::AccountService,
    /// Documents.
    pub documents: documents::DocumentService,
    /// The audit trail.
    pub audit: audit::AuditService,
    /// The menu's activities.
    pub menu: menu::MenuService,
    /// Events.
    pub events: events::EventService,
    /// Eligibility policies and council decisions.
    pub council: council::CouncilService,
    /// Seat requests and allocation.
    pub seats: seats::SeatService,
    /// Nominations and feedback.
    pub nominations: nominations::NominationService,
    /// Tailored programmes and work plans.
    pub programmes: programmes::ProgrammeService,
    /// Health and metrics.
    pub health: health::HealthService,
    /// Operations, contributions, force generation and liaison postings.
    pub operations: operations::OperationService,
    /// Dialogue meetings.
    pub meetings: meetings::MeetingService,
    /// Indicators, reviews and measurements.
    pub assessments: assessments::AssessmentService,
    /// Progress roll-ups.
    pub progress: progress::ProgressService,
    /// Units declared to the pool of forces and their evaluations.
    pub forces: force_units::ForceService,
    /// The password-hashing gate (shared with accounts), for metrics.
    pub passwords: passwords::Passwords,
}

impl Services {
    /// Services over `store`, on `clock`.
    pub fn new(store: Store, clock: SharedClock, settings: Settings) -> Arc<Self> {
        let db = Db { store, clock };
        Arc::new(Self {
            passwords: settings.passwords.clone(),
            registry: registry::RegistryService::new(db.clone()),
            accounts: accounts::AccountService::new(db.clone(), settings.passwords),
            documents: documents::DocumentService::new(db.clone(), settings.max_upload_bytes),
            audit: audit::AuditService::new(db.clone()),
            health: health::HealthService::new(db.clone()),
            operations: operations::OperationService::new(db.clone(), settings.offer_margin_percent),
            meetings: meetings::MeetingService::new(db.clone()),
            assessments: assessments::AssessmentService::new(db.clone()),
            progress: progress::ProgressService::new(db.clone()),
            forces: force_units::ForceService::new(db.clone()),
            menu: menu::MenuService::new(db.clone()),
            events: events::EventService::new(db.clone()),
            council: council::CouncilService::new(db.clone()),
            seats: seats::SeatService::new(db.clone()),
            nominations: nominations::NominationService::new(db.clone()),
            programmes: programmes::ProgrammeService::new(db.clone()),
            db,
        })
    }
}
