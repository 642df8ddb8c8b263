//! Opening databases: foreign and newer databases are refused and left untouched.

use entente::store::{self, StoreError};

fn fingerprint(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// The schema and applied migrations, read without writing; used where SQLite itself may
/// checkpoint a WAL file into the main file when the last reader closes.
async fn schema_fingerprint(path: &std::path::Path) -> Vec<(String, String)> {
    let url = format!("sqlite://{}?mode=ro", path.display());
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
    let mut rows: Vec<(String, String)> =
        sqlx::query_as("select name, coalesce(sql, '') from sqlite_master order by name")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let versions: Vec<i64> =
        sqlx::query_scalar("select version from _sqlx_migrations order by version").fetch_all(&mut conn).await.unwrap();
    rows.extend(versions.into_iter().map(|v| ("migration".to_owned(), v.to_string())));
    <sqlx::SqliteConnection as sqlx::Connection>::close(conn).await.unwrap();
    rows
}

#[tokio::test]
async fn a_sqlite_file_of_another_application_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
        sqlx::query("create table invoices (id integer primary key, total real)").execute(&mut conn).await.unwrap();
        <sqlx::SqliteConnection as sqlx::Connection>::close(conn).await.unwrap();
    }
    let before = fingerprint(&path);
    let error = store::open(&format!("sqlite://{}", path.display())).await.unwrap_err();
    assert!(matches!(error, StoreError::NotEntente(_)), "{error}");
    assert!(error.to_string().contains("is not an Entente database"));
    assert!(fingerprint(&path) == before, "the file's bytes changed");
    assert!(!dir.path().join("other.db-wal").exists(), "WAL mode was not switched on");
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, b"these are my notes, not a database, and they are long enough to matter\n".repeat(20))
        .unwrap();
    let before = fingerprint(&path);
    let error = store::open(&format!("sqlite://{}", path.display())).await.unwrap_err();
    assert!(matches!(error, StoreError::NotSqlite(_)), "{error}");
    assert!(fingerprint(&path) == before, "the file's bytes changed");
}

#[tokio::test]
async fn a_database_from_a_newer_entente_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("entente.db");
    let url = format!("sqlite://{}", path.display());
    let store = store::open(&url).await.unwrap();
    let store::Store::Sqlite(pool) = &store else { unreachable!() };
    sqlx::query(
        "insert into _sqlx_migrations (version, description, success, checksum, execution_time) \
         values (99990101000000, 'from the future', true, x'00', 0)",
    )
    .execute(pool)
    .await
    .unwrap();
    store.close().await;
    let before = schema_fingerprint(&path).await;
    let error = store::open(&url).await.unwrap_err();
    assert!(matches!(error, StoreError::NewerSchema { found: 99990101000000, .. }), "{error}");
    assert!(error.to_string().contains("newer version of Entente"));
    assert_eq!(schema_fingerprint(&path).await, before);
}

#[tokio::test]
async fn a_postgres_database_of_another_application_is_refused() {
    if crate::support::postgres_skipped() {
        return;
    }
    let admin = crate::support::postgres_admin_url();
    let name = format!("entente_foreign_{}", std::process::id());
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.unwrap();
    sqlx::query(&format!("drop database if exists {name}")).execute(&mut conn).await.unwrap();
    sqlx::query(&format!("create database {name}")).execute(&mut conn).await.unwrap();
    let url = crate::support::database_url(&admin, &name);
    {
        let mut foreign = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await.unwrap();
        sqlx::query("create table invoices (id int primary key)").execute(&mut foreign).await.unwrap();
        <sqlx::PgConnection as sqlx::Connection>::close(foreign).await.unwrap();
    }
    let error = store::open(&url).await.unwrap_err();
    assert!(matches!(error, StoreError::NotEntente(_)), "{error}");
    {
        let mut foreign = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await.unwrap();
        let tables: Vec<String> =
            sqlx::query_scalar("select table_name::text from information_schema.tables where table_schema = 'public'")
                .fetch_all(&mut foreign)
                .await
                .unwrap();
        assert_eq!(tables, vec!["invoices".to_owned()], "nothing was created");
        <sqlx::PgConnection as sqlx::Connection>::close(foreign).await.unwrap();
    }
    sqlx::query(&format!("drop database {name} with (force)")).execute(&mut conn).await.unwrap();
}
