//! `TestApp`: the whole router on a fresh database, driven in-process.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use entente::app::{Application, Builder};
use entente::clock::ManualClock;
use entente::config::Config;
use entente::http::Options;
use entente::service::Services;
use entente::service::accounts::{Actor, Credential, NewUser};
use entente::service::passwords::Hashing;
use entente_core::{Affiliation, Classification, Role};
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

impl std::fmt::Debug for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.text())
    }
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The application on its own fresh database, on a clock the test can move.
pub struct TestApp {
    pub router: Router,
    pub services: Arc<Services>,
    pub application: Application,
    pub clock: Arc<ManualClock>,
    /// The database's URL.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Directory(#[allow(dead_code)] tempfile::TempDir),
    PostgresDatabase(String),
}

static DATABASE_SEQUENCE: AtomicU32 = AtomicU32::new(0);

/// The configuration tests run with: cheap password hashing (worthless in production).
pub fn test_config(url: &str) -> Config {
    Config { database_url: url.to_owned(), password_hashing: Hashing::FOR_TESTS_ONLY, ..Config::default() }
}

/// A fingerprint of what a template database holds: the migrations, the reference
/// dataset, and the build of the code that loaded it (what it writes, such as the audit
/// trail's row digests, may change with the code), so that a template built by an older
/// tree is never reused.
fn template_fingerprint(backend: &str) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in files {
        hasher.update(std::fs::read(file).unwrap());
    }
    hasher.update(entente::service::registry::REFERENCE_DATASET.as_bytes());
    let build = std::env::current_exe().and_then(std::fs::metadata).unwrap();
    hasher.update(format!("{}:{:?}", build.len(), build.modified().ok()).as_bytes());
    hex::encode(hasher.finalize())[..16].to_owned()
}

/// Runs `work` once per process on a thread of its own (tests run on many runtimes).
fn once_per_process<T: Clone + Send + 'static>(
    cell: &'static std::sync::OnceLock<T>,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    cell.get_or_init(|| std::thread::spawn(work).join().unwrap()).clone()
}

/// A SQLite file migrated and loaded with the reference dataset, built once per process;
/// each test copies it.
fn sqlite_template() -> std::path::PathBuf {
    static TEMPLATE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    once_per_process(&TEMPLATE, || {
        let dir = std::env::temp_dir().join(format!("entente-template-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("template.db");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let app = Builder::new(test_config(&format!("sqlite://{}", path.display()))).build().await.unwrap();
            app.services.db.close().await;
        });
        path
    })
}

/// A PostgreSQL database migrated and loaded with the reference dataset, kept between runs
/// under a name that fingerprints its content; each test clones it (`create database ...
/// template ...`), which takes milliseconds.
fn postgres_template() -> String {
    static TEMPLATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    once_per_process(&TEMPLATE, || {
        let name = format!("entente_template_{}", template_fingerprint("postgres"));
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let admin = postgres_admin_url();
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is needed for the PostgreSQL run: {e}"));
            let exists: bool = sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
                .bind(&name)
                .fetch_one(&mut conn)
                .await
                .unwrap();
            if exists {
                return;
            }
            // Templates of older builds are of no more use; one still being cloned by another
            // run refuses to go, and is left for a later run.
            let stale: Vec<String> = sqlx::query_scalar(
                "select datname from pg_database where datname like 'entente\\_template\\_%' and datname not like '%building%'",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap_or_default();
            for old in stale {
                let _ = sqlx::query(&format!("drop database if exists {old}")).execute(&mut conn).await;
            }
            // Built under a private name and renamed, so a concurrent test process never
            // clones a half-built template.
            let building = format!("{name}_building_{}", std::process::id());
            sqlx::query(&format!("drop database if exists {building}")).execute(&mut conn).await.unwrap();
            sqlx::query(&format!("create database {building}")).execute(&mut conn).await.unwrap();
            let app = Builder::new(test_config(&database_url(&admin, &building))).build().await.unwrap();
            app.services.db.close().await;
            if sqlx::query(&format!("alter database {building} rename to {name}")).execute(&mut conn).await.is_err() {
                let _ = sqlx::query(&format!("drop database {building}")).execute(&mut conn).await;
            }
        });
        name
    })
}

impl TestApp {
    /// On a new SQLite file, with the reference dataset loaded.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entente.db");
        std::fs::copy(sqlite_template(), &path).unwrap();
        let url = format!("sqlite://{}", path.display());
        Self::start(&url, Cleanup::Directory(dir)).await
    }

    /// On a new PostgreSQL database, with the reference dataset loaded.
    pub async fn postgres() -> Self {
        let template = postgres_template();
        let name = format!("entente_test_{}_{}", std::process::id(), DATABASE_SEQUENCE.fetch_add(1, Ordering::Relaxed));
        let admin = postgres_admin_url();
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is needed for the PostgreSQL run: {e}"));
        sqlx::query(&format!("drop database if exists {name}")).execute(&mut conn).await.unwrap();
        // Cloning takes a lock on the template: tests cloning at once take turns.
        let mut attempts = 0;
        while let Err(e) = sqlx::query(&format!("create database {name} template {template}")).execute(&mut conn).await
        {
            attempts += 1;
            assert!(attempts < 50, "cannot clone the template database: {e}");
            tokio::task::yield_now().await;
        }
        let url = database_url(&admin, &name);
        Self::start(&url, Cleanup::PostgresDatabase(name)).await
    }

    /// On an empty PostgreSQL database of its own (not cloned), for start-up tests.
    pub async fn empty_postgres_database() -> (String, impl Drop) {
        let name =
            format!("entente_empty_{}_{}", std::process::id(), DATABASE_SEQUENCE.fetch_add(1, Ordering::Relaxed));
        let admin = postgres_admin_url();
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.unwrap();
        sqlx::query(&format!("create database {name}")).execute(&mut conn).await.unwrap();
        (database_url(&admin, &name), DropDatabase(name))
    }

    async fn start(url: &str, cleanup: Cleanup) -> Self {
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        let application = Builder::new(test_config(url)).clock(clock.clone()).build().await.unwrap();
        let router = application.router(Options::default());
        Self { router, services: Arc::clone(&application.services), application, clock, url: url.to_owned(), cleanup }
    }

    /// A second application on the same database, with its own connection pool, on the same
    /// clock: what a second `entente serve` process is to the database.
    pub async fn second_process(&self) -> Application {
        Builder::new(test_config(&self.url)).clock(self.clock.clone()).build().await.unwrap()
    }

    /// Rebuilds the router with other server options.
    pub fn with_options(mut self, options: Options) -> Self {
        self.router = self.application.router(options);
        self
    }

    /// Every audit event's actor and action, oldest first.
    pub async fn audit_actions(&self) -> Vec<(String, String)> {
        self.services.audit.actions().await.unwrap()
    }

    pub async fn get(&self, uri: &str) -> Answer {
        self.send(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// Sends any request.
    pub async fn send(&self, request: Request<Body>) -> Answer {
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
            drop_database(name.clone());
        }
    }
}

/// Drops a PostgreSQL database when dropped.
pub struct DropDatabase(String);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        drop_database(self.0.clone());
    }
}

fn drop_database(name: String) {
    // Drop runs inside the test's runtime: use a thread with its own to drop the database.
    let _ = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            if let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&postgres_admin_url()).await {
                let _ = sqlx::query(&format!("drop database if exists {name} with (force)")).execute(&mut conn).await;
            }
        });
    })
    .join();
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

/// A signed-in browser session: its cookie and the CSRF token its forms carry.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// The value of `name="csrf"` in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).unwrap_or_else(|| panic!("no CSRF field in {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The value a response sets for cookie `name`.
pub fn set_cookie(answer: &Answer, name: &str) -> Option<String> {
    answer.headers.get_all(header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        v.strip_prefix(&format!("{name}=")).map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
    })
}

pub const PASSWORD: &str = "a long enough password";

/// A form body, URL-encoded.
pub fn form(fields: &[(&str, &str)]) -> Body {
    let encoded: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            let enc = |s: &str| -> String {
                s.bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect()
            };
            format!("{}={}", enc(k), enc(v))
        })
        .collect();
    Body::from(encoded.join("&"))
}

impl TestApp {
    /// Creates a user through the operator's CLI path; returns the email.
    pub async fn user(&self, email: &str, role: Role, affiliation: Affiliation, clearance: Classification) -> String {
        let new = NewUser {
            email: email.into(),
            display_name: email.into(),
            role,
            affiliation,
            clearance,
            password: PASSWORD.into(),
        };
        self.services.accounts.create_user(&Actor::operator(), new).await.unwrap();
        email.to_owned()
    }

    /// A partner officer of `nation`, cleared for RESTRICTED.
    pub async fn officer(&self, nation: &str) -> String {
        let email = format!("officer.{}@example.org", nation.to_lowercase());
        self.user(
            &email,
            Role::PartnerOfficer,
            Affiliation::Nation(nation.parse().unwrap()),
            Classification::Restricted,
        )
        .await
    }

    /// Signs in through the sign-in page, as a browser would.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<Session, Answer> {
        let page = self.get("/sign-in").await;
        let csrf_cookie = set_cookie(&page, "entente_sign_in_csrf").unwrap();
        let request = Request::post("/sign-in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("entente_sign_in_csrf={csrf_cookie}"))
            .body(form(&[("csrf", &csrf_in(&page.text())), ("email", email), ("password", password)]))
            .unwrap();
        let answer = self.send(request).await;
        let Some(cookie) = set_cookie(&answer, "entente_session") else { return Err(answer) };
        let account = self.get_with("/account", &Session { cookie: cookie.clone(), csrf: String::new() }).await;
        Ok(Session { cookie, csrf: csrf_in(&account.text()) })
    }

    /// POSTs a form as an anonymous visitor would after loading `form_page`: with its
    /// pre-session CSRF cookie and field.
    pub async fn post_pre_session(&self, form_page: &str, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let page = self.get(form_page).await;
        let cookie = set_cookie(&page, "entente_sign_in_csrf").unwrap_or_default();
        let csrf = csrf_in(&page.text());
        let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        all.extend_from_slice(fields);
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("entente_sign_in_csrf={cookie}"))
            .body(form(&all))
            .unwrap();
        self.send(request).await
    }

    /// GET with a session cookie.
    pub async fn get_with(&self, uri: &str, session: &Session) -> Answer {
        let request = Request::get(uri).header(header::COOKIE, format!("entente_session={}", session.cookie));
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// POST a form with a session cookie.
    pub async fn post_form(&self, uri: &str, session: Option<&Session>, fields: &[(&str, &str)]) -> Answer {
        let mut request = Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(session) = session {
            request = request.header(header::COOKIE, format!("entente_session={}", session.cookie));
        }
        self.send(request.body(form(fields)).unwrap()).await
    }

    /// GET with a bearer token.
    pub async fn get_bearer(&self, uri: &str, token: &str) -> Answer {
        let request = Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// POST a JSON body with a bearer token.
    pub async fn post_json(&self, uri: &str, token: &str, body: &serde_json::Value) -> Answer {
        let request = Request::post(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json");
        self.send(request.body(Body::from(body.to_string())).unwrap()).await
    }

    /// A personal API token for `email`.
    pub async fn token(&self, email: &str, can_write: bool) -> String {
        let user = self.services.accounts.user_by_email(email).await.unwrap();
        self.services.accounts.create_token(&user, Credential::Session, "test", can_write, 30).await.unwrap()
    }

    /// Uploads a document with a bearer token (multipart), returning the answer.
    pub async fn upload(&self, token: &str, fields: &[(&str, &str)], filename: &str, bytes: &[u8]) -> Answer {
        let (content_type, body) = multipart(fields, filename, bytes);
        let request = Request::post("/api/v1/documents")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }
}

/// A multipart form with text `fields` and one `file`: its content type and body.
pub fn multipart(fields: &[(&str, &str)], filename: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "XententeBoundaryX";
    let mut body: Vec<u8> = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A small valid PDF.
pub fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}
