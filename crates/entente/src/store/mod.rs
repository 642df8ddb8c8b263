//! Storage over SQLite (the embedded default) or PostgreSQL. The store runs queries and
//! transactions; it decides no policy.

pub mod accounts;
pub mod assessments;
pub mod audit;
mod dialect;
pub mod documents;
pub mod events;
pub mod integrity;
pub mod meetings;
pub mod menu;
mod open;
pub mod operations;
pub mod programmes;
pub mod proposals;
pub mod registry;
pub mod rules;
pub mod seats;
mod tx;

use sqlx::migrate::Migrator;
use sqlx::{PgPool, SqlitePool};

pub use dialect::LockKey;
pub use open::open;
pub use tx::Tx;
pub(crate) use tx::with_tx;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// A connection pool to one of the two supported databases.
#[derive(Debug, Clone)]
pub enum Store {
    /// An embedded SQLite file.
    Sqlite(SqlitePool),
    /// A PostgreSQL server.
    Postgres(PgPool),
}

/// A connection pool's state, for metrics.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    /// Connections open.
    pub open: u32,
    /// Of those, idle.
    pub idle: usize,
    /// The most the pool opens.
    pub max: u32,
}

impl Store {
    /// The pool's state now.
    pub fn pool_stats(&self) -> PoolStats {
        match self {
            Store::Sqlite(pool) => {
                PoolStats { open: pool.size(), idle: pool.num_idle(), max: pool.options().get_max_connections() }
            }
            Store::Postgres(pool) => {
                PoolStats { open: pool.size(), idle: pool.num_idle(), max: pool.options().get_max_connections() }
            }
        }
    }
}

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no supported database.
    #[error("unsupported database URL `{0}`: use sqlite://FILE or postgres://...")]
    UnsupportedUrl(String),
    /// The database holds tables that are not Entente's.
    #[error("{0} is not an Entente database (it has tables, but no Entente marker); it was left untouched")]
    NotEntente(String),
    /// The database was written by a newer Entente.
    #[error(
        "{location} was written by a newer version of Entente (schema {found}, this version knows up to {known}); it was left untouched"
    )]
    NewerSchema {
        /// Which database.
        location: String,
        /// The newest migration found in it.
        found: i64,
        /// The newest migration this build knows.
        known: i64,
    },
    /// The file exists but is not a SQLite database at all.
    #[error("{0} is not a SQLite database; it was left untouched")]
    NotSqlite(String),
    /// A query failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Store {
    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Store::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Which backend this is, for logs and `/healthz`.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match self {
            Store::Sqlite(pool) => pool.close().await,
            Store::Postgres(pool) => pool.close().await,
        }
    }
}

fn newest_known(migrator: &Migrator) -> i64 {
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// An instant as stored: RFC 3339 in UTC with a fixed width, so that stored instants
/// compare correctly as text on both backends.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}
