//! The workflow foundation: check-then-act under concurrent requests, the registry loaded
//! once by processes starting together, markings that survive a framework's new code, the
//! injected clock, and tokens issued from the command line.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};

use axum::http::StatusCode;
use entente::service::ServiceError;
use entente::service::accounts::{Actor, NewUser};
use entente_core::{Affiliation, Classification, Role};

use crate::support::{PASSWORD, TestApp, on_both_backends, pdf, postgres_skipped, test_config};

on_both_backends!(
    the_first_administrator_is_created_once_however_many_race_for_it,
    concurrent_changes_to_one_account_each_record_the_true_before,
    concurrent_sign_ins_cannot_slip_past_the_throttle,
    a_document_stays_released_to_a_framework_whose_code_an_import_changed,
    sessions_expire_by_the_injected_clock,
);

fn admin_named(i: usize) -> NewUser {
    NewUser {
        email: format!("admin{i}@example.org"),
        display_name: format!("Admin {i}"),
        role: Role::Admin,
        affiliation: Affiliation::AllianceStaff,
        clearance: Classification::Restricted,
        password: PASSWORD.into(),
    }
}

async fn the_first_administrator_is_created_once_however_many_race_for_it(app: TestApp) {
    let attempts = (0..20).map(|i| {
        let admin = admin_named(i);
        app.services.accounts.create_first_admin(admin.email, admin.display_name, admin.password)
    });
    let results = futures_join_all(attempts).await;
    let created = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results.iter().filter(|r| matches!(r, Err(ServiceError::Conflict(_)))).count();
    assert_eq!((created, conflicts), (1, 19), "{results:?}");
    let creations = app.audit_actions().await.into_iter().filter(|(_, a)| a == "user.create").count();
    assert_eq!(creations, 1);
}

async fn concurrent_changes_to_one_account_each_record_the_true_before(app: TestApp) {
    let email =
        app.user("target@example.org", Role::Approver, Affiliation::AllianceStaff, Classification::Public).await;
    let target = app.services.accounts.user_by_email(&email).await.unwrap();
    let roles = [Role::Staff, Role::Analyst, Role::Admin, Role::MemberDelegate];
    let operator = Actor::operator();
    let changes = roles.iter().map(|role| app.services.accounts.update_user(&operator, target.id, Some(*role), None));
    for result in futures_join_all(changes).await {
        result.unwrap();
    }
    let events = app.services.audit.list(&operator, &Default::default(), 100, 0).await.unwrap().0;
    let mut updates: Vec<serde_json::Value> = events
        .into_iter()
        .filter(|e| e.action == "user.update")
        .map(|e| serde_json::from_str(&e.detail).unwrap())
        .collect();
    updates.reverse();
    assert_eq!(updates.len(), 4);
    assert_eq!(updates[0]["before"]["role"], "approver");
    for pair in updates.windows(2) {
        assert_eq!(pair[1]["before"], pair[0]["after"], "each change saw the one before it: {updates:#?}");
    }
}

async fn concurrent_sign_ins_cannot_slip_past_the_throttle(app: TestApp) {
    let email = app.officer("GE").await;
    let attempts = (0..40).map(|_| app.services.accounts.sign_in(&email, "not the password at all", "192.0.2.7", None));
    let results = futures_join_all(attempts).await;
    let checked = results.iter().filter(|r| matches!(r, Err(ServiceError::Unauthenticated(_)))).count();
    let throttled = results.iter().filter(|r| matches!(r, Err(ServiceError::Throttled { .. }))).count();
    assert_eq!((checked, throttled), (5, 35), "only five passwords are checked per account");
    let failures = app.audit_actions().await.into_iter().filter(|(_, a)| a == "auth.sign_in_failed").count();
    assert_eq!(failures, 5);
    let right = app.services.accounts.sign_in(&email, PASSWORD, "192.0.2.7", None).await;
    assert!(matches!(right, Err(ServiceError::Throttled { retry_after: 1..=30 })), "even the right password waits");
    // 200 at once for an email nobody has: exactly as many checked.
    let attempts =
        (0..200).map(|_| app.services.accounts.sign_in("nobody@example.org", "guess guess guess", "192.0.2.8", None));
    let results = futures_join_all(attempts).await;
    let checked = results.iter().filter(|r| matches!(r, Err(ServiceError::Unauthenticated(_)))).count();
    assert_eq!(checked, 5, "an unknown email is throttled like a known one");
}

async fn a_document_stays_released_to_a_framework_whose_code_an_import_changed(app: TestApp) {
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let staff_token = app.token(&staff, true).await;
    let georgia = app.officer("GE").await;
    let georgia_token = app.token(&georgia, false).await;
    let uploaded = app
        .upload(&staff_token, &[("title", "PfP notes"), ("marking", "RESTRICTED REL TO PFP")], "n.pdf", &pdf("n"))
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.text());
    let id = uploaded.json()["id"].as_i64().unwrap();
    let uri = format!("/api/v1/documents/{id}");
    assert_eq!(app.get_bearer(&uri, &georgia_token).await.status, StatusCode::OK);

    // The same registry, with the Partnership for Peace's code changed from PFP to PFPX.
    let renamed: String = entente::service::registry::REFERENCE_DATASET
        .lines()
        .map(|line| {
            let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
            for field in fields.iter_mut().take(3) {
                if field == "PFP" {
                    *field = "PFPX".into();
                }
            }
            fields.join(",") + "\n"
        })
        .collect();
    assert_ne!(renamed, entente::service::registry::REFERENCE_DATASET);
    app.services
        .registry
        .import(renamed.as_bytes(), entente::service::registry_file::FileFormat::Csv, "test")
        .await
        .unwrap();

    let seen = app.get_bearer(&uri, &georgia_token).await;
    assert_eq!(seen.status, StatusCode::OK, "still released to Georgia through the renamed framework");
    assert_eq!(seen.json()["marking"], "RESTRICTED REL TO PFPX");
    assert_eq!(app.get_bearer(&uri, &staff_token).await.status, StatusCode::OK);
    let listed = app.get_bearer("/api/v1/documents", &georgia_token).await.json();
    assert_eq!(listed["total"], 1);
    let morocco = app.officer("MA").await;
    let morocco_token = app.token(&morocco, false).await;
    assert_eq!(app.get_bearer(&uri, &morocco_token).await.status, StatusCode::NOT_FOUND, "not a PfP partner");
}

async fn sessions_expire_by_the_injected_clock(app: TestApp) {
    let email = app.officer("GE").await;
    let session = app.sign_in(&email, PASSWORD).await.unwrap();
    assert_eq!(app.get_with("/api/v1/me", &session).await.status, StatusCode::OK);
    app.clock.advance(chrono::Duration::minutes(119));
    assert_eq!(app.get_with("/api/v1/me", &session).await.status, StatusCode::OK, "used within two hours");
    app.clock.advance(chrono::Duration::minutes(121));
    assert_eq!(app.get_with("/api/v1/me", &session).await.status, StatusCode::UNAUTHORIZED, "idle for two hours");

    let session = app.sign_in(&email, PASSWORD).await.unwrap();
    for _ in 0..12 {
        app.clock.advance(chrono::Duration::minutes(61));
        let _ = app.get_with("/api/v1/me", &session).await;
    }
    assert_eq!(app.get_with("/api/v1/me", &session).await.status, StatusCode::UNAUTHORIZED, "twelve hours at most");
}

/// Polls futures together on the test's runtime, as concurrent requests would be.
pub(crate) async fn futures_join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = handles.iter().map(|_| None).collect();
    let mut handles: Vec<_> = handles.into_iter().map(Some).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, output) in handles.iter_mut().zip(outputs.iter_mut()) {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    std::task::Poll::Ready(value) => {
                        *output = Some(value);
                        *slot = None;
                    }
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending { std::task::Poll::Pending } else { std::task::Poll::Ready(()) }
    })
    .await;
    outputs.into_iter().map(|o| o.unwrap()).collect()
}

/// A started `entente serve` and the address it serves.
pub struct Server {
    child: Child,
    pub address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_server(url: &str, dir: &std::path::Path) -> Server {
    start_server_with(url, dir, &[], "warn")
}

fn start_server_with(url: &str, dir: &std::path::Path, flags: &[&str], log: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(flags)
        .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
        .current_dir(dir)
        .env("ENTENTE_LOG", log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let Some(line) = lines.next() else {
            let mut errors = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut errors);
            panic!("the server stopped before saying where it serves: {:?}\n{errors}", child.wait());
        };
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Entente is serving http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    Server { child, address }
}

fn get(address: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// Two processes started at once on one empty PostgreSQL database: both serve, and the
/// reference dataset is loaded exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_starting_together_on_an_empty_postgres_load_the_reference_data_once() {
    if postgres_skipped() {
        return;
    }
    let (url, _database) = TestApp::empty_postgres_database().await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| start_server(&url, dir.path()));
        let b = scope.spawn(|| start_server(&url, dir.path()));
        (a.join().unwrap(), b.join().unwrap())
    });
    for server in [&a, &b] {
        let health = get(&server.address, "/healthz");
        assert!(health.starts_with("HTTP/1.1 200") && health.contains("\"postgres\""), "{health}");
        let sweden = get(&server.address, "/api/v1/nations/SE?at=2024-03-07");
        assert!(sweden.contains("\"member\""), "{sweden}");
    }
    drop((a, b));
    let application = entente::app::Builder::new(test_config(&url)).without_reference_data().build().await.unwrap();
    let imports = application
        .services
        .audit
        .actions()
        .await
        .unwrap()
        .into_iter()
        .filter(|(_, action)| action == "registry.import")
        .count();
    application.services.db.close().await;
    assert_eq!(imports, 1, "the reference dataset was loaded once");
}

/// A managed PostgreSQL asks for TLS: `sslmode` in the URL is honoured, so the build
/// carries TLS (a build without it refuses `sslmode=require` outright).
#[tokio::test]
async fn postgres_urls_may_require_tls() {
    if postgres_skipped() {
        return;
    }
    let (url, _database) = TestApp::empty_postgres_database().await;
    match entente::store::open(&format!("{url}?sslmode=require")).await {
        Ok(store) => {
            let entente::store::Store::Postgres(pool) = &store else { unreachable!() };
            let ssl: bool = sqlx::query_scalar("select ssl from pg_stat_ssl where pid = pg_backend_pid()")
                .fetch_one(pool)
                .await
                .unwrap();
            assert!(ssl, "the connection is encrypted");
            store.close().await;
        }
        Err(error) => {
            let text = error.to_string();
            assert!(!text.contains("without TLS support"), "{text}");
            assert!(text.to_lowercase().contains("ssl") || text.to_lowercase().contains("tls"), "{text}");
        }
    }
}

/// `entente token issue` prints a token alone on its last line, the API accepts it, and
/// the issue is audited.
#[test]
fn a_token_issued_from_the_command_line_works_and_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: &str| entente_cli(dir.path(), args, stdin);
    run(
        &["user", "add", "--email", "ana@example.org", "--name", "Ana", "--role", "partner_officer", "--nation", "GE"],
        &format!("{PASSWORD}\n"),
    );
    let output = run(&["token", "issue", "--email", "ana@example.org", "--days", "7"], "");
    let token = output.lines().last().unwrap().trim().to_owned();
    assert!(token.starts_with("ent_") && !token.contains(' '), "{output}");

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}", dir.path().join("entente.db").display());
        let application = entente::app::Builder::new(test_config(&url)).build().await.unwrap();
        let (user, can_write) = application.services.accounts.token_user(&token).await.unwrap();
        assert_eq!((user.email.as_str(), can_write), ("ana@example.org", false));
        let actions = application.services.audit.actions().await.unwrap();
        assert!(actions.iter().any(|(actor, action)| action == "token.create" && actor.starts_with("cli:")));
        application.services.db.close().await;
    });
    let missing = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(["token", "issue", "--email", "nobody@example.org"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nobody@example.org"));
}

/// `entente config` prints what the file, the environment and the flags make, without the
/// database password.
#[test]
fn the_effective_configuration_is_printed_with_secrets_redacted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("entente.toml"),
        "database_url = \"postgres://app:s3cret@db.example.org/entente?sslmode=require\"\nlisten = \"0.0.0.0:9000\"\n[log]\nformat = \"json\"\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(["config", "--log-format", "text"])
        .current_dir(dir.path())
        .env_remove("ENTENTE_DATABASE_URL")
        .env("ENTENTE_LISTEN", "127.0.0.1:7000")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!text.contains("s3cret"), "{text}");
    assert!(text.contains("postgres://app:***@db.example.org/entente?sslmode=require"), "{text}");
    assert!(text.contains("listen = \"127.0.0.1:7000\""), "the environment wins over the file\n{text}");
    assert!(text.contains("format = \"text\""), "the flag wins over the file\n{text}");

    std::fs::write(dir.path().join("entente.toml"), "listen_on = 1\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_entente")).args(["config"]).current_dir(dir.path()).output().unwrap();
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(error.contains("entente.toml") && error.contains("listen_on") && error.contains("line 1"), "{error}");
}

/// Runs `entente ARGS` in `dir` (on its default `entente.db`) with `stdin`; its output.
fn entente_cli(dir: &std::path::Path, args: &[&str], stdin: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(args)
        .current_dir(dir)
        .env_remove("ENTENTE_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Each request runs in a span with its method, route, user id, status and latency; with
/// `--log-format json` the access log is one JSON object a line.
#[test]
fn requests_are_traced_with_their_route_status_latency_and_user() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("entente.db").display());
    entente_cli(
        dir.path(),
        &["user", "add", "--email", "ana@example.org", "--name", "Ana", "--role", "analyst", "--staff"],
        &format!("{PASSWORD}\n"),
    );
    let issued = entente_cli(dir.path(), &["token", "issue", "--email", "ana@example.org"], "");
    let token = issued.lines().last().unwrap().trim().to_owned();
    let mut server = start_server_with(&url, dir.path(), &["--log-format", "json"], "warn,entente::access=debug");
    let mut stream = std::net::TcpStream::connect(&server.address).unwrap();
    write!(
        stream,
        "GET /api/v1/nations/SE?at=2024-03-07 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Stopped as an operator would, so the log writer empties its queue.
    Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().unwrap();
    let _ = server.child.wait();
    let mut log = String::new();
    server.child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    let answered: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|line| line["message"] == "answered")
        .collect();
    let request = answered
        .iter()
        .map(|line| &line["span"])
        .find(|span| span["route"] == "/api/v1/nations/{code}")
        .unwrap_or_else(|| panic!("no access line for the request in: {log}"));
    assert_eq!(request["method"], "GET");
    assert_eq!(request["status"], 200);
    assert!(request["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{request}");
    assert!(request["user_id"].as_i64().is_some_and(|id| id > 0), "the caller's id: {request}");
}
