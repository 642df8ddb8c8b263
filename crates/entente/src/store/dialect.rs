//! The one home of SQL that differs between SQLite and PostgreSQL: locks and row locks
//! today, full-text search when it comes. Everything else in the store is written once,
//! portably (upserts as `ON CONFLICT ... DO NOTHING`, which both backends take).
//!
//! SQLite has one writer at a time, and a unit opened with `Store::write` already holds the
//! database's write lock, so the locks here are no-ops on SQLite. PostgreSQL runs writers
//! side by side, so they take transaction-scoped advisory locks or row locks there.

use super::{StoreError, Tx};

/// What a unit of work can lock for its whole duration, so that a check and the action
/// that follows it cannot interleave with another unit's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockKey<'a> {
    /// The set of accounts (the first administrator is created once).
    Accounts,
    /// The registry and what hangs on its framework identities (stored markings): loading
    /// the reference dataset, an import, storing the markings of older documents.
    Registry,
    /// One sign-in throttle key (`account:ID`, `address:IP`).
    Throttle(&'a str),
    /// One nation's assessments: opening a review period, agreeing a PARP goal.
    Assessments(&'a str),
}

impl LockKey<'_> {
    fn text(&self) -> String {
        match self {
            LockKey::Accounts => "entente:accounts".into(),
            LockKey::Registry => "entente:registry".into(),
            LockKey::Throttle(key) => format!("entente:throttle:{key}"),
            LockKey::Assessments(nation) => format!("entente:assessments:{nation}"),
        }
    }
}

impl Tx {
    /// Holds `key` until the unit ends: other units locking it wait. Taking a key the unit
    /// already holds is allowed (PostgreSQL's advisory locks are re-entrant).
    pub async fn lock(&mut self, key: LockKey<'_>) -> Result<(), StoreError> {
        if let Tx::Postgres(tx, _) = self {
            sqlx::query("select pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(key.text())
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// The clause that locks the rows a `select` reads until the unit ends.
    pub fn for_update(&self) -> &'static str {
        match self {
            Tx::Sqlite(..) => "",
            Tx::Postgres(..) => " for update",
        }
    }
}
