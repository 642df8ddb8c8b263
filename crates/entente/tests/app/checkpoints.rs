//! Forging the audit trail as someone who can write to the database would: rewriting the
//! events and recomputing every hash passes the chain check, and each forgery is caught by
//! a signed checkpoint; rows edited in SQL are caught by their digests.

use std::path::Path;
use std::process::Command;

use entente::service::audit::Verification;
use entente_core::audit::{AuditEvent, GENESIS, link_hash};
use entente_core::checkpoint::{Checkpoint, CheckpointBreak, RowDrift};
use entente_core::{Affiliation, Classification, Role};

use crate::support::{TestApp, on_both_backends};

on_both_backends!(
    every_rehashed_forgery_passes_the_chain_and_fails_the_checkpoint,
    rows_edited_in_sql_are_found,
    concurrent_changes_to_one_account_leave_digests_that_match,
);

/// Runs `sql` on the test's database directly, as an intruder would.
async fn execute(app: &TestApp, sql: &str) {
    let url = &app.application.config.database_url;
    if url.starts_with("sqlite:") {
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    } else {
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    }
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Replaces the whole trail with `forge(trail)`, renumbered and rehashed from genesis, and
/// moves the head: the chain check alone cannot tell.
async fn forge(app: &TestApp, forge: impl FnOnce(&mut Vec<AuditEvent>)) {
    let (mut events, ..) = app.services.db.read().await.unwrap().audit_chain().await.unwrap();
    forge(&mut events);
    let mut prev = GENESIS.to_owned();
    let mut sql = String::from("delete from audit_events;");
    for (index, event) in events.iter_mut().enumerate() {
        event.seq = i64::try_from(index).unwrap() + 1;
        event.prev_hash.clone_from(&prev);
        event.hash = link_hash(event.seq, &event.at, &event.actor, &event.action, &event.detail, &event.digests, &prev);
        prev.clone_from(&event.hash);
        sql.push_str(&format!(
            "insert into audit_events (seq, at, actor, action, detail, digests, prev_hash, hash) \
             values ({}, {}, {}, {}, {}, {}, {}, {});",
            event.seq,
            quote(&event.at),
            quote(&event.actor),
            quote(&event.action),
            quote(&event.detail),
            quote(&event.digests),
            quote(&event.prev_hash),
            quote(&event.hash)
        ));
    }
    sql.push_str(&format!("update audit_head set seq = {}, hash = {} where id = 1;", events.len(), quote(&prev)));
    execute(app, &sql).await;
}

/// One way of rewriting the trail.
type Forgery = Box<dyn FnOnce(&mut Vec<AuditEvent>)>;

async fn verification(app: &TestApp, key: &Path, checkpoints: &[Checkpoint]) -> Verification {
    app.services.audit.verify_all(key, checkpoints).await.unwrap()
}

async fn every_rehashed_forgery_passes_the_chain_and_fails_the_checkpoint(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("audit.key");
    for i in 0..4 {
        app.user(&format!("user{i}@example.org"), Role::Analyst, Affiliation::AllianceStaff, Classification::Public)
            .await;
    }
    let checkpoint = app.services.audit.checkpoint(&key).await.unwrap();
    assert_eq!(checkpoint.seq, 6, "the import, the menu's reference data and four users");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600, "owner only");
    }
    // The trail grows: the checkpoint still holds.
    app.user("later@example.org", Role::Analyst, Affiliation::AllianceStaff, Classification::Public).await;
    let fine = verification(&app, &key, std::slice::from_ref(&checkpoint)).await;
    assert!(fine.is_intact(), "{fine:?}");
    let pristine = app.services.db.read().await.unwrap().audit_chain().await.unwrap().0;

    let forgeries: Vec<(&str, Forgery)> = vec![
        ("truncated, head moved back", Box::new(|t| t.truncate(3))),
        ("edited and rehashed", Box::new(|t| t[1].detail = r#"{"id":99}"#.into())),
        ("deleted and renumbered", Box::new(|t| drop(t.remove(2)))),
        (
            "inserted",
            Box::new(|t| {
                let mut extra = t[1].clone();
                extra.action = "user.update".into();
                t.insert(2, extra);
            }),
        ),
        ("backdated", Box::new(|t| t[3].at = "2001-01-01T00:00:00.000000Z".into())),
        ("reordered", Box::new(|t| t.swap(2, 3))),
        ("wiped to genesis", Box::new(Vec::clear)),
    ];
    for (name, change) in forgeries {
        let restore = pristine.clone();
        forge(&app, change).await;
        let unprotected = verification(&app, &key, &[]).await;
        assert!(unprotected.chain.is_ok(), "{name}: a rehashed forgery passes the chain check alone");
        let found = verification(&app, &key, std::slice::from_ref(&checkpoint)).await;
        assert!(
            matches!(found.checkpoints[..], [Err(CheckpointBreak::Missing { .. } | CheckpointBreak::Rewritten { .. })]),
            "{name}: {found:?}"
        );
        assert!(!found.is_intact());
        forge(&app, |t| *t = restore).await;
    }
    assert!(verification(&app, &key, std::slice::from_ref(&checkpoint)).await.is_intact(), "restored");

    // A checkpoint forged with another key, or altered, is refused.
    let mut altered = checkpoint.clone();
    altered.hash = pristine[1].hash.clone();
    let other_key = entente_core::checkpoint::Checkpoint::sign(
        5,
        &checkpoint.hash,
        &checkpoint.made_at,
        &ed25519_dalek::SigningKey::from_bytes(&[9; 32]),
    );
    let found = verification(&app, &key, &[altered, other_key]).await;
    assert_eq!(found.checkpoints, vec![Err(CheckpointBreak::BadSignature), Err(CheckpointBreak::BadSignature)]);
}

async fn rows_edited_in_sql_are_found(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("audit.key");
    let email =
        app.user("analyst@example.org", Role::Analyst, Affiliation::AllianceStaff, Classification::Public).await;
    let id = app.services.accounts.user_by_email(&email).await.unwrap().id;
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let token = app.token(&staff, true).await;
    let uploaded =
        app.upload(&token, &[("title", "Notes"), ("marking", "RESTRICTED")], "n.pdf", &crate::support::pdf("n")).await;
    let document = uploaded.json()["id"].as_i64().unwrap();
    assert!(verification(&app, &key, &[]).await.is_intact());

    execute(&app, &format!("update users set role = 'admin' where id = {id}")).await;
    execute(&app, &format!("update documents set classification = 'PUBLIC' where id = {document}")).await;
    execute(
        &app,
        "insert into users (email, display_name, role, affiliation_kind, clearance, password_hash, active, created_at) \
         values ('intruder@example.org', 'I', 'admin', 'staff', 'RESTRICTED', 'x', true, '2026-01-01T00:00:00Z')",
    )
    .await;
    let found = verification(&app, &key, &[]).await;
    assert!(found.chain.is_ok());
    let named: Vec<String> = found.drift.iter().map(ToString::to_string).collect();
    assert!(
        found.drift.iter().any(|d| matches!(d, RowDrift::Changed { subject, .. } if *subject == format!("user:{id}"))),
        "{named:?}"
    );
    assert!(
        found
            .drift
            .iter()
            .any(|d| matches!(d, RowDrift::Changed { subject, .. } if *subject == format!("document:{document}"))),
        "{named:?}"
    );
    assert!(found.drift.iter().any(|d| matches!(d, RowDrift::Unrecorded { .. })), "{named:?}");
    // The registry edited in SQL is found too.
    execute(&app, "update participations set note = 'rewritten' where nation = 'GE' and framework = 'PFP'").await;
    let found = verification(&app, &key, &[]).await;
    assert!(found.drift.iter().any(|d| matches!(d, RowDrift::Changed { subject, .. } if subject == "registry")));
}

async fn concurrent_changes_to_one_account_leave_digests_that_match(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let email = app.user("busy@example.org", Role::Analyst, Affiliation::AllianceStaff, Classification::Public).await;
    let user = app.services.accounts.user_by_email(&email).await.unwrap();
    let operator = entente::service::accounts::Actor::operator();
    let names: Vec<String> = (0..6).map(|i| format!("t{i}")).collect();
    let tokens = names.iter().map(|name| {
        app.services.accounts.create_token(&user, entente::service::accounts::Credential::Session, name, false, 5)
    });
    let roles = [Role::Staff, Role::Approver];
    let updates = roles.iter().map(|role| app.services.accounts.update_user(&operator, user.id, Some(*role), None));
    let (tokens, updates) =
        tokio::join!(crate::foundation::futures_join_all(tokens), crate::foundation::futures_join_all(updates));
    assert!(tokens.iter().all(Result::is_ok) && updates.iter().all(Result::is_ok));
    let found = verification(&app, &dir.path().join("k"), &[]).await;
    assert!(found.drift.is_empty(), "each change digested the rows as the ones before it left them: {:?}", found.drift);
}

/// The contract, through the command line: `audit checkpoint --output FILE` then `audit
/// verify --checkpoints FILE`, which exits non-zero naming the checkpoint once the database
/// is rolled back to an older copy.
#[tokio::test]
async fn the_command_line_checkpoints_and_catches_a_rolled_back_database() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_entente"))
            .args(args)
            .current_dir(dir.path())
            .env_remove("ENTENTE_DATABASE_URL")
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        (output.status.success(), text)
    };
    let (ok, text) = run(&["audit", "verify"]);
    assert!(ok, "{text}");
    std::fs::copy(dir.path().join("entente.db"), dir.path().join("older.db")).unwrap();
    let url = format!("sqlite://{}", dir.path().join("entente.db").display());
    let services = entente::app::Builder::new(crate::support::test_config(&url)).build().await.unwrap().services;
    let new = entente::service::accounts::NewUser {
        email: "someone@example.org".into(),
        display_name: "Someone".into(),
        role: Role::Analyst,
        affiliation: Affiliation::AllianceStaff,
        clearance: Classification::Public,
        password: crate::support::PASSWORD.into(),
    };
    services.accounts.create_user(&entente::service::accounts::Actor::operator(), new).await.unwrap();
    services.db.close().await;
    let (ok, text) = run(&["audit", "checkpoint", "--output", "checkpoints.jsonl"]);
    assert!(ok, "{text}");
    assert!(std::fs::read_to_string(dir.path().join("entente-audit.key")).is_ok(), "the key was created");
    let (ok, text) = run(&["audit", "verify", "--checkpoints", "checkpoints.jsonl"]);
    assert!(ok && text.contains("the trail extends it"), "{text}");

    // The database is put back to the copy made before the last change.
    std::fs::copy(dir.path().join("older.db"), dir.path().join("entente.db")).unwrap();
    for stale in ["entente.db-wal", "entente.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(stale));
    }
    let (ok, text) = run(&["audit", "verify", "--checkpoints", "checkpoints.jsonl"]);
    assert!(!ok, "{text}");
    assert!(text.contains("checkpoint on line 1 (event 3"), "names the checkpoint: {text}");
    assert!(text.contains("rolled back"), "{text}");
}
