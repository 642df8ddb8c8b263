//! The audit trail: hash-chained, verified by `entente audit verify`, and readable by
//! administrators and analysts only.

use std::process::Command;

use axum::http::StatusCode;
use entente_core::{Affiliation, Classification, Role};

use crate::support::{TestApp, on_both_backends};

on_both_backends!(the_trail_verifies_and_only_admins_and_analysts_read_it);

async fn the_trail_verifies_and_only_admins_and_analysts_read_it(app: TestApp) {
    let analyst =
        app.user("analyst@example.org", Role::Analyst, Affiliation::AllianceStaff, Classification::Restricted).await;
    let officer = app.officer("GE").await;
    let junior =
        app.user("junior@example.org", Role::Analyst, Affiliation::AllianceStaff, Classification::Unclassified).await;
    assert_eq!(
        app.services.audit.verify().await.unwrap(),
        Ok(5),
        "the import, the menu's reference data and three user creations"
    );
    let trail = app.get_bearer("/api/v1/audit?action=user.", &app.token(&analyst, false).await).await;
    assert_eq!(trail.status, StatusCode::OK, "{}", trail.text());
    assert_eq!(trail.json()["total"], 3);
    assert_eq!(trail.json()["items"][0]["detail"]["after"]["email"], "junior@example.org");
    let csv = app.get_bearer("/api/v1/audit?format=csv", &app.token(&analyst, false).await).await;
    assert!(csv.text().starts_with("seq,at,actor,action,detail,hash"));
    assert_eq!(app.get_bearer("/api/v1/audit", &app.token(&officer, false).await).await.status, StatusCode::FORBIDDEN);
    let junior_answer = app.get_bearer("/api/v1/audit", &app.token(&junior, false).await).await;
    assert_eq!(junior_answer.status, StatusCode::FORBIDDEN, "the trail names restricted records");
    assert_eq!(app.get("/api/v1/audit").await.status, StatusCode::UNAUTHORIZED);
}

fn verify(dir: &std::path::Path) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(["audit", "verify"])
        .current_dir(dir)
        .env_remove("ENTENTE_DATABASE_URL")
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// Edits, deletes and reorders audit rows directly in the database; `entente audit verify`
/// must find each one.
#[tokio::test]
async fn tampering_with_the_audit_table_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("entente.db").display());
    let exec = |sql: &'static str| {
        let url = url.clone();
        async move {
            let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
            <sqlx::SqliteConnection as sqlx::Connection>::close(conn).await.unwrap();
        }
    };
    let reset = || async {
        let _ = std::fs::remove_file(dir.path().join("entente.db"));
        let _ = std::fs::remove_file(dir.path().join("entente.db-wal"));
        let _ = std::fs::remove_file(dir.path().join("entente.db-shm"));
        let services = entente::app::Builder::new(crate::support::test_config(&url)).build().await.unwrap().services;
        for i in 0..4 {
            let new = entente::service::accounts::NewUser {
                email: format!("user{i}@example.org"),
                display_name: format!("User {i}"),
                role: Role::Analyst,
                affiliation: Affiliation::AllianceStaff,
                clearance: Classification::Public,
                password: crate::support::PASSWORD.into(),
            };
            services.accounts.create_user(&entente::service::accounts::Actor::operator(), new).await.unwrap();
        }
        services.db.close().await;
    };

    reset().await;
    let (ok, text) = verify(dir.path());
    assert!(ok, "{text}");
    assert!(text.contains("intact: 6 events"), "{text}");

    exec("update audit_events set actor = 'mallory' where seq = 3").await;
    let (ok, text) = verify(dir.path());
    assert!(!ok && text.contains("event 3 was altered"), "edit: {text}");

    reset().await;
    exec("delete from audit_events where seq = 2").await;
    let (ok, text) = verify(dir.path());
    assert!(!ok && text.contains("expected event 2 but found event 3"), "delete: {text}");

    reset().await;
    exec(
        "update audit_events set seq = -2 where seq = 2; update audit_events set seq = 2 where seq = 3; \
          update audit_events set seq = 3 where seq = -2;",
    )
    .await;
    let (ok, text) = verify(dir.path());
    assert!(!ok && text.contains("event 2"), "reorder: {text}");

    reset().await;
    exec("delete from audit_events where seq = 6").await;
    let (ok, text) = verify(dir.path());
    assert!(!ok && text.contains("the trail ends at event 5 but its head records event 6"), "truncate: {text}");
}

on_both_backends!(refused_changes_and_throttled_sign_ins_are_audited);

/// A partner officer's write refused by `authorize()`, a read-only token's write and a
/// throttled sign-in each leave an event that the auditors can filter for.
async fn refused_changes_and_throttled_sign_ins_are_audited(app: TestApp) {
    let officer = app.officer("GE").await;
    let writer = app.token(&officer, true).await;
    let refused = app
        .upload(
            &writer,
            &[("title", "Not mine"), ("marking", "RESTRICTED REL TO UA"), ("owner", "UA")],
            "n.pdf",
            &crate::support::pdf("n"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let reader = app.token(&officer, false).await;
    let read_only = app
        .upload(&reader, &[("title", "T"), ("marking", "PUBLIC"), ("owner", "GE")], "n.pdf", &crate::support::pdf("n"))
        .await;
    assert_eq!(read_only.status, StatusCode::FORBIDDEN);
    let mut throttled = 0;
    for _ in 0..7 {
        let answer =
            app.post_pre_session("/sign-in", "/sign-in", &[("email", &officer), ("password", "wrong password!")]).await;
        throttled += usize::from(answer.status == StatusCode::TOO_MANY_REQUESTS);
    }
    assert!(throttled >= 1, "the sixth failure is throttled");

    let analyst =
        app.user("analyst@example.org", Role::Analyst, Affiliation::AllianceStaff, Classification::Restricted).await;
    let token = app.token(&analyst, false).await;
    let forbidden = app.get_bearer("/api/v1/audit?action=refused.forbidden", &token).await.json();
    assert_eq!(forbidden["total"], 2, "{forbidden}");
    let first = &forbidden["items"][1]["detail"];
    assert_eq!(first["path"], "/api/v1/documents");
    assert_eq!(first["status"], 403);
    assert!(forbidden["items"][1]["actor"].as_str().unwrap().contains(&officer));
    let throttled_events = app.get_bearer("/api/v1/audit?action=refused.throttled", &token).await.json();
    assert_eq!(throttled_events["total"], throttled, "{throttled_events}");
    assert_eq!(throttled_events["items"][0]["detail"]["path"], "/sign-in");
}

/// The audit page tells each event as a sentence naming the person and their role, with
/// the details one click away, and filters by record and by kind of action.
#[tokio::test]
async fn the_audit_page_reads_as_sentences_and_filters_by_record() {
    let app = TestApp::sqlite().await;
    let admin =
        app.user("admin@example.org", Role::Admin, Affiliation::AllianceStaff, Classification::Restricted).await;
    let officer = app.officer("GE").await;
    let token = app.token(&officer, true).await;
    let mut ids = Vec::new();
    for title in ["Notes", "Other notes"] {
        let answer = app
            .upload(
                &token,
                &[("title", title), ("marking", "RESTRICTED REL TO GE"), ("owner", "GE")],
                "n.pdf",
                &crate::support::pdf(title),
            )
            .await;
        ids.push(answer.json()["id"].as_i64().unwrap());
    }
    let refused = app
        .upload(
            &token,
            &[("title", "X"), ("marking", "RESTRICTED REL TO UA"), ("owner", "UA")],
            "n.pdf",
            &crate::support::pdf("x"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let session = app.sign_in(&admin, crate::support::PASSWORD).await.unwrap();

    let page = app.get_with(&format!("/audit?record=document:{}", ids[0]), &session).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let html = page.text();
    assert!(html.contains("partner officer, GE) uploaded “Notes” marked RESTRICTED REL TO GE"), "{html}");
    assert!(!html.contains("Other notes"), "only that record");
    assert!(html.contains("<details class=\"event\">") && html.contains("sha256"), "details expandable");
    let refusals = app.get_with("/audit?action=refused.", &session).await.text();
    assert!(refusals.contains("was refused a change at /api/v1/documents"), "{refusals}");
    assert!(
        refusals.contains("data-action=\"refused.forbidden\"") && !refusals.contains("data-action=\"document.create\"")
    );
    let french = app.get_with(&format!("/audit?record=document:{}&lang=fr", ids[0]), &session).await.text();
    assert!(french.contains("a déposé «\u{a0}Notes\u{a0}» marqué RESTRICTED REL TO GE"), "{french}");
}

/// A flood of refused requests from one client costs the trail a few events a minute,
/// the next of which counts those left out; long paths are cut short.
#[tokio::test]
async fn a_flood_of_refused_requests_does_not_flood_the_trail() {
    let app = TestApp::sqlite().await;
    let before = app.audit_actions().await.len();
    let long = format!("/documents/{}", "x".repeat(5000));
    for _ in 0..50 {
        let request = axum::http::Request::post(&long)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from("title=x"))
            .unwrap();
        assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    }
    let written: Vec<_> = app.audit_actions().await.split_off(before);
    assert_eq!(written.len(), entente::service::refusals::RECORDED_PER_WINDOW as usize, "{written:?}");
    let (events, _) = app
        .services
        .audit
        .list(&entente::service::accounts::Actor::operator(), &Default::default(), 1, 0)
        .await
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&events[0].detail).unwrap();
    assert!(detail["path"].as_str().unwrap().chars().count() <= 200, "the path is cut short");
}
