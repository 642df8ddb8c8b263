//! Use cases, called alike by the HTTP layer and the CLI: they apply the core's rules,
//! use the store, and record the audit trail in the same transaction as each change.

pub mod accounts;
pub mod audit;
pub mod documents;
pub mod passwords;
pub mod registry;
pub mod registry_file;
pub mod secrets;

use crate::store::{Store, StoreError};
use registry_file::RowProblem;

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
    Unauthenticated(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// A field's value was refused.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field.
        field: String,
        /// Why.
        reason: String,
    },
    /// The change conflicts with what exists.
    #[error("{0}")]
    Conflict(String),
    /// Too many failed sign-ins: wait before trying again.
    #[error("too many failed sign-ins; wait 15 minutes and try again")]
    Throttled,
    /// An upload is larger than allowed.
    #[error("the file is larger than the limit of {0} bytes")]
    TooLarge(usize),
    /// An upload is of a type that is not accepted.
    #[error("{0}")]
    UnsupportedType(String),
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

/// Every service, built once over one store and shared by all requests.
#[derive(Debug)]
pub struct Services {
    /// The database.
    pub store: Store,
    /// Registry reads and changes.
    pub registry: registry::RegistryService,
    /// Accounts, sessions and tokens.
    pub accounts: accounts::AccountService,
    /// Documents.
    pub documents: documents::DocumentService,
    /// The audit trail.
    pub audit: audit::AuditService,
}

impl Services {
    /// Services over `store`.
    pub fn new(store: Store) -> Self {
        Self::with_upload_limit(store, documents::DEFAULT_MAX_UPLOAD_BYTES)
    }

    /// Services over `store`, accepting uploads up to `max_upload_bytes`.
    pub fn with_upload_limit(store: Store, max_upload_bytes: usize) -> Self {
        Self {
            registry: registry::RegistryService::new(store.clone()),
            accounts: accounts::AccountService::new(store.clone()),
            documents: documents::DocumentService::new(store.clone(), max_upload_bytes),
            audit: audit::AuditService::new(store.clone()),
            store,
        }
    }
}
