//! Use cases, called alike by the HTTP layer and the CLI: they apply the core's rules,
//! use the store, and record the audit trail in the same transaction as each change.

pub mod registry;
pub mod registry_file;

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
}

impl Services {
    /// Services over `store`.
    pub fn new(store: Store) -> Self {
        Self { registry: registry::RegistryService::new(store.clone()), store }
    }
}
