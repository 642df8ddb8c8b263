//! Opening a database safely: a database that is not Entente's, or that a newer Entente
//! wrote, is refused before anything is written to it.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

use super::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS, Store, StoreError, newest_known};

/// Opens the database named by `url` (`sqlite://FILE` or `postgres://...`), refusing one
/// that is not Entente's or is newer than this build, then applies pending migrations.
pub async fn open(url: &str) -> Result<Store, StoreError> {
    if url.starts_with("sqlite:") {
        open_sqlite(url).await
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        open_postgres(url).await
    } else {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}

async fn open_sqlite(url: &str) -> Result<Store, StoreError> {
    let options = SqliteConnectOptions::from_str(url)?;
    let path = options.get_filename().to_owned();
    let location = path.display().to_string();
    if path.is_file() {
        // Inspect read-only first: enabling WAL would already write to a foreign file.
        let mut conn = options.clone().read_only(true).connect().await.map_err(|e| not_sqlite_or(e, &location))?;
        let tables: Vec<String> = sqlx::query_scalar("select name from sqlite_master where type = 'table'")
            .fetch_all(&mut conn)
            .await
            .map_err(|e| not_sqlite_or(e, &location))?;
        let newest = if tables.iter().any(|t| t == "_sqlx_migrations") {
            sqlx::query_scalar("select max(version) from _sqlx_migrations").fetch_one(&mut conn).await?
        } else {
            None
        };
        conn.close().await?;
        check_schema(&location, &tables, newest, newest_known(&SQLITE_MIGRATIONS))?;
    }
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    let store = Store::Sqlite(pool);
    store.migrate().await?;
    Ok(store)
}

/// Opens a PostgreSQL database and migrates it. Processes starting together on one empty
/// database take turns: each inspects and migrates under a session lock, so that none sees
/// another's half-made schema and takes the database for someone else's.
async fn open_postgres(url: &str) -> Result<Store, StoreError> {
    let options = PgConnectOptions::from_str(url)?;
    let location = format!("database `{}`", options.get_database().unwrap_or("postgres"));
    let mut conn = options.connect().await?;
    sqlx::query("select pg_advisory_lock(hashtextextended('entente:schema', 0))").execute(&mut conn).await?;
    let opened = inspect_and_migrate_postgres(&mut conn, &options, &location).await;
    sqlx::query("select pg_advisory_unlock(hashtextextended('entente:schema', 0))").execute(&mut conn).await?;
    conn.close().await?;
    opened
}

async fn inspect_and_migrate_postgres(
    conn: &mut sqlx::PgConnection,
    options: &PgConnectOptions,
    location: &str,
) -> Result<Store, StoreError> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables where table_schema = current_schema()",
    )
    .fetch_all(&mut *conn)
    .await?;
    let newest = if tables.iter().any(|t| t == "_sqlx_migrations") {
        sqlx::query_scalar("select max(version) from _sqlx_migrations").fetch_one(&mut *conn).await?
    } else {
        None
    };
    check_schema(location, &tables, newest, newest_known(&POSTGRES_MIGRATIONS))?;
    let pool = PgPoolOptions::new().max_connections(16).connect_with(options.clone()).await?;
    let store = Store::Postgres(pool);
    store.migrate().await?;
    Ok(store)
}

/// An empty database is fine (it will be set up); one with tables must carry Entente's
/// marker and no migration newer than this build knows.
fn check_schema(location: &str, tables: &[String], newest: Option<i64>, known: i64) -> Result<(), StoreError> {
    if tables.is_empty() {
        return Ok(());
    }
    if !tables.iter().any(|t| t == "entente_meta") || newest.is_none() {
        return Err(StoreError::NotEntente(location.to_owned()));
    }
    match newest {
        Some(found) if found > known => Err(StoreError::NewerSchema { location: location.to_owned(), found, known }),
        _ => Ok(()),
    }
}

/// A file SQLite says is no database (`SQLITE_NOTADB`) is not Entente's; any other failure
/// (a busy or unreadable file) is reported as itself, not as a foreign file.
fn not_sqlite_or(error: sqlx::Error, location: &str) -> StoreError {
    let not_a_database = match &error {
        sqlx::Error::Database(e) => e.code().is_some_and(|code| code == "26"),
        _ => false,
    };
    if not_a_database { StoreError::NotSqlite(location.to_owned()) } else { StoreError::from(error) }
}
