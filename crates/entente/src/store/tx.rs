//! The unit of work: one transaction that a service opens, reads and writes through, and
//! commits. Store functions are methods of [`Tx`]; none opens a transaction of its own, so
//! a service's reads, decisions, writes and audit event all land together or not at all.
//!
//! - `Store::write(now)` begins a unit that will write. On SQLite it takes the database's
//!   write lock at once (`BEGIN IMMEDIATE`): a read followed by a write can then neither
//!   fail on a lock upgrade nor act on what another writer has since changed. On
//!   PostgreSQL it runs at READ COMMITTED, and whatever checks and then acts first takes an
//!   explicit lock ([`Tx::lock`], or `... for update` from [`super::dialect`]).
//! - `Store::read(now)` begins a unit that only reads: every statement sees one snapshot
//!   (a deferred read transaction on SQLite in WAL mode; REPEATABLE READ, READ ONLY on
//!   PostgreSQL).
//!
//! A unit carries the instant it was opened at (from the application's clock), so every
//! row it writes, and its audit event, carry the same time.

use chrono::{DateTime, Utc};

use super::{Store, StoreError};

/// An open unit of work on either backend. Dropping it without [`Tx::commit`] rolls back.
#[derive(Debug)]
pub enum Tx {
    /// On SQLite.
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>, DateTime<Utc>),
    /// On PostgreSQL.
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>, DateTime<Utc>),
}

/// Runs `$body` with `$conn` bound to the unit's connection (`&mut SqliteConnection` or
/// `&mut PgConnection`). SQL inside is written once and must be portable.
macro_rules! with_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(tx, _) => {
                let $conn: &mut sqlx::SqliteConnection = &mut **tx;
                $body
            }
            $crate::store::Tx::Postgres(tx, _) => {
                let $conn: &mut sqlx::PgConnection = &mut **tx;
                $body
            }
        }
    };
}
pub(crate) use with_tx;

impl Tx {
    /// Whether the transaction is PostgreSQL's (where the two backends' SQL differs).
    pub fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres(..))
    }
}

impl Store {
    /// Begins a unit of work that will write, at the instant `now`.
    pub async fn write(&self, now: DateTime<Utc>) -> Result<Tx, StoreError> {
        Ok(match self {
            Store::Sqlite(pool) => Tx::Sqlite(pool.begin_with("begin immediate").await?, now),
            Store::Postgres(pool) => Tx::Postgres(pool.begin().await?, now),
        })
    }

    /// Begins a unit of work that only reads, from one snapshot, at the instant `now`.
    pub async fn read(&self, now: DateTime<Utc>) -> Result<Tx, StoreError> {
        Ok(match self {
            Store::Sqlite(pool) => Tx::Sqlite(pool.begin().await?, now),
            Store::Postgres(pool) => {
                Tx::Postgres(pool.begin_with("begin isolation level repeatable read read only").await?, now)
            }
        })
    }
}

impl Tx {
    /// Makes every change of the unit permanent.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx, _) => tx.commit().await?,
            Tx::Postgres(tx, _) => tx.commit().await?,
        }
        Ok(())
    }

    /// The instant the unit was opened at.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Tx::Sqlite(_, now) | Tx::Postgres(_, now) => *now,
        }
    }

    /// The instant the unit was opened at, as stored.
    pub fn now_text(&self) -> String {
        super::timestamp(self.now())
    }
}
