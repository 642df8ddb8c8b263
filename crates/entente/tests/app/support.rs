//! `TestApp`: the whole router on a fresh database, driven in-process.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use entente::service::Services;
use entente::store::{self, Store};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// The PostgreSQL server used for the PostgreSQL runs (a database is created per test).
pub fn postgres_admin_url() -> String {
    std::env::var("ENTENTE_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Whether the test command decided, outside CI, that no PostgreSQL server can be had.
pub fn postgres_skipped() -> bool {
    let skip = std::env::var("ENTENTE_TEST_SKIP_POSTGRES").is_ok_and(|v| v == "1");
    assert!(!(skip && std::env::var("CI").is_ok_and(|v| v == "true")), "PostgreSQL may not be skipped under CI=true");
    if skip {
        eprintln!("SKIPPED: PostgreSQL run (ENTENTE_TEST_SKIP_POSTGRES=1)");
    }
    skip
}

/// An answer from the app.
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The application on its own fresh database.
pub struct TestApp {
    pub router: Router,
    pub services: Arc<Services>,
    cleanup: Cleanup,
}

enum Cleanup {
    Directory(#[allow(dead_code)] tempfile::TempDir),
    PostgresDatabase(String),
}

static DATABASE_SEQUENCE: AtomicU32 = AtomicU32::new(0);

impl TestApp {
    /// On a new SQLite file, with the reference dataset loaded.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("entente.db").display());
        Self::start(&url, Cleanup::Directory(dir)).await
    }

    /// On a new PostgreSQL database, with the reference dataset loaded.
    pub async fn postgres() -> Self {
        let name = format!("entente_test_{}_{}", std::process::id(), DATABASE_SEQUENCE.fetch_add(1, Ordering::Relaxed));
        let admin = postgres_admin_url();
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is needed for the PostgreSQL run: {e}"));
        sqlx::query(&format!("drop database if exists {name}")).execute(&mut conn).await.unwrap();
        sqlx::query(&format!("create database {name}")).execute(&mut conn).await.unwrap();
        let url = database_url(&admin, &name);
        Self::start(&url, Cleanup::PostgresDatabase(name)).await
    }

    async fn start(url: &str, cleanup: Cleanup) -> Self {
        let store = store::open(url).await.unwrap();
        let services = Arc::new(Services::new(store));
        services.registry.ensure_reference_dataset().await.unwrap();
        Self { router: entente::http::router(Arc::clone(&services)), services, cleanup }
    }

    pub fn store(&self) -> &Store {
        &self.services.store
    }

    pub async fn get(&self, uri: &str) -> Answer {
        let request = Request::get(uri).body(Body::empty()).unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let content_type =
            headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or_default().to_owned()).unwrap_or_default();
        let body = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        Answer { status, content_type, headers, body }
    }

    /// GETs a JSON document, asserting a 200.
    pub async fn get_json(&self, uri: &str) -> serde_json::Value {
        let answer = self.get(uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
        answer.json()
    }
}

/// `admin` with its database name replaced by `name`.
pub fn database_url(admin: &str, name: &str) -> String {
    match admin.rfind('/') {
        Some(slash) if slash > "postgres://".len() => format!("{}/{name}", &admin[..slash]),
        _ => format!("{admin}/{name}"),
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Cleanup::PostgresDatabase(name) = &self.cleanup {
            // Drop runs inside the test's runtime: use a thread with its own to drop the database.
            let name = name.clone();
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                runtime.block_on(async {
                    if let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&postgres_admin_url()).await
                    {
                        let _ = sqlx::query(&format!("drop database if exists {name} with (force)"))
                            .execute(&mut conn)
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// Runs each named `async fn(TestApp)` once on SQLite and once on PostgreSQL.
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {$(
        mod $test {
            #[tokio::test]
            async fn sqlite() {
                super::$test($crate::support::TestApp::sqlite().await).await;
            }

            #[tokio::test]
            async fn postgres() {
                if $crate::support::postgres_skipped() {
                    return;
                }
                super::$test($crate::support::TestApp::postgres().await).await;
            }
        }
    )*};
}
pub(crate) use on_both_backends;
