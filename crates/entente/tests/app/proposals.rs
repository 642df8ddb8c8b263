//! The registry changed through proposals: proposed by staff, approved by an approver who
//! is not the author, applied only then, in one unit with its audit event.

use std::process::Command;

use axum::http::StatusCode;
use entente_core::{Affiliation, Classification, Role};
use serde_json::json;

use crate::foundation::futures_join_all;
use crate::support::{TestApp, on_both_backends};

async fn people(app: &TestApp) -> (String, String, String) {
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let approver =
        app.user("approver@example.org", Role::Approver, Affiliation::AllianceStaff, Classification::Restricted).await;
    let second =
        app.user("second@example.org", Role::Approver, Affiliation::AllianceStaff, Classification::Restricted).await;
    (app.token(&staff, true).await, app.token(&approver, true).await, app.token(&second, true).await)
}

fn malta_leaves(day: &str) -> serde_json::Value {
    json!({ "nation": "mt", "framework": "pfp", "end": day, "reason": "Letter of withdrawal",
            "source": "https://www.nato.int/cps/en/natohq/topics_82584.htm" })
}

async fn malta_in_pfp(app: &TestApp, day: &str) -> bool {
    let participants = app.get_json(&format!("/api/v1/frameworks/PFP/participants?at={day}")).await;
    participants["participants"].as_array().unwrap().iter().any(|p| p["nation"] == "MT")
}

on_both_backends!(a_proposal_is_applied_only_once_approved_by_another);

async fn a_proposal_is_applied_only_once_approved_by_another(app: TestApp) {
    let (staff, approver, _) = people(&app).await;
    let proposed = app.post_json("/api/v1/registry/proposals", &staff, &malta_leaves("2030-01-01")).await;
    assert_eq!(proposed.status, StatusCode::CREATED, "{}", proposed.text());
    let id = proposed.json()["id"].as_i64().unwrap();
    assert_eq!(proposed.json()["status"], "pending");
    assert!(malta_in_pfp(&app, "2030-06-01").await, "nothing applied while pending");

    let by_staff = app.post_json(&format!("/api/v1/registry/proposals/{id}/approve"), &staff, &json!({})).await;
    assert_eq!(by_staff.status, StatusCode::FORBIDDEN, "a staff member does not approve");
    assert!(by_staff.text().contains("only an approver"), "{}", by_staff.text());

    let approved = app.post_json(&format!("/api/v1/registry/proposals/{id}/approve"), &approver, &json!({})).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
    assert_eq!(approved.json()["status"], "approved");
    assert!(malta_in_pfp(&app, "2029-12-31").await);
    assert!(!malta_in_pfp(&app, "2030-01-01").await, "Malta's participation ends on the approved day");
    let again = app.post_json(&format!("/api/v1/registry/proposals/{id}/approve"), &approver, &json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "a decided proposal is not decided twice");

    let actions: Vec<String> = app.audit_actions().await.into_iter().map(|(_, a)| a).collect();
    assert!(actions.contains(&"registry.propose".to_owned()) && actions.contains(&"registry.approve".to_owned()));
    assert_eq!(app.services.audit.verify().await.unwrap().map(|_| ()), Ok(()));
}

on_both_backends!(an_approver_never_approves_her_own_and_returns_with_a_comment);

async fn an_approver_never_approves_her_own_and_returns_with_a_comment(app: TestApp) {
    let (_, approver, second) = people(&app).await;
    let mut proposal = malta_leaves("2031-01-01");
    proposal["source"] = json!("https://example.org/letter");
    // An approver may propose, but never approves her own proposal.
    let own = app.post_json("/api/v1/registry/proposals", &approver, &proposal).await.json()["id"].as_i64().unwrap();
    let refused = app.post_json(&format!("/api/v1/registry/proposals/{own}/approve"), &approver, &json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.text().contains("made themselves"), "{}", refused.text());
    let analyst =
        app.user("analyst@example.org", Role::Analyst, Affiliation::AllianceStaff, Classification::Restricted).await;
    let by_analyst = app.post_json("/api/v1/registry/proposals", &app.token(&analyst, true).await, &proposal).await;
    assert_eq!(by_analyst.status, StatusCode::FORBIDDEN, "an analyst proposes nothing");
    let returned_own = app
        .post_json(&format!("/api/v1/registry/proposals/{own}/return"), &second, &json!({ "comment": "Duplicate." }))
        .await;
    assert_eq!(returned_own.status, StatusCode::OK);

    let delegate = app
        .user(
            "delegate@example.org",
            Role::MemberDelegate,
            Affiliation::Nation("FR".parse().unwrap()),
            Classification::Restricted,
        )
        .await;
    let delegate_token = app.token(&delegate, true).await;
    let id =
        app.post_json("/api/v1/registry/proposals", &delegate_token, &proposal).await.json()["id"].as_i64().unwrap();
    let no_comment =
        app.post_json(&format!("/api/v1/registry/proposals/{id}/return"), &second, &json!({ "comment": " " })).await;
    assert_eq!(no_comment.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_comment.text().contains("comment"), "{}", no_comment.text());
    let returned = app
        .post_json(
            &format!("/api/v1/registry/proposals/{id}/return"),
            &second,
            &json!({ "comment": "Cite the council's decision." }),
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.text());
    assert_eq!(returned.json()["comment"], "Cite the council's decision.");
    assert!(malta_in_pfp(&app, "2031-06-01").await, "a returned proposal changes nothing");
}

on_both_backends!(inconsistent_proposals_are_refused_naming_the_field);

async fn inconsistent_proposals_are_refused_naming_the_field(app: TestApp) {
    let (staff, approver, second) = people(&app).await;
    let post = |body: serde_json::Value| {
        let (app, staff) = (&app, &staff);
        async move { app.post_json("/api/v1/registry/proposals", staff, &body).await }
    };
    let overlapping =
        post(json!({ "nation": "MT", "framework": "PFP", "start": "2010-01-01", "reason": "r", "source": "s" })).await;
    assert_eq!(overlapping.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(overlapping.text().contains("start"), "{}", overlapping.text());
    let unknown =
        post(json!({ "nation": "MT", "framework": "NOPE", "end": "2030-01-01", "reason": "r", "source": "s" })).await;
    assert!(unknown.text().contains("framework") && unknown.text().contains("NOPE"), "{}", unknown.text());
    let before_start =
        post(json!({ "nation": "MT", "framework": "PFP", "end": "2008-04-03", "reason": "r", "source": "s" })).await;
    assert!(before_start.text().contains("end"), "{}", before_start.text());
    let no_source =
        post(json!({ "nation": "MT", "framework": "PFP", "end": "2030-01-01", "reason": "r", "source": "" })).await;
    assert!(no_source.text().contains("source"), "{}", no_source.text());

    // Two proposals valid alone, approved at once by two approvers: whichever comes second
    // finds no participation in force that day any more.
    let first = post(malta_leaves("2030-01-01")).await.json()["id"].as_i64().unwrap();
    let other = post(malta_leaves("2030-01-01")).await.json()["id"].as_i64().unwrap();
    let approvals = futures_join_all(vec![
        Box::pin(app.post_json(&format!("/api/v1/registry/proposals/{first}/approve"), &approver, &json!({}))),
        Box::pin(app.post_json(&format!("/api/v1/registry/proposals/{other}/approve"), &second, &json!({}))),
    ])
    .await;
    let statuses: Vec<u16> = approvals.iter().map(|a| a.status.as_u16()).collect();
    assert!(statuses.contains(&200) && statuses.contains(&409), "one applied, one refused: {statuses:?}");
    let refused = approvals.iter().find(|a| a.status == StatusCode::CONFLICT).unwrap();
    assert!(refused.text().contains("has changed since"), "{}", refused.text());
    let pending = app.get_bearer("/api/v1/registry/proposals?status=pending", &staff).await.json();
    assert_eq!(pending["total"], 1, "the refused one is still pending, nothing applied: {pending}");
    let bad_status = app.get_bearer("/api/v1/registry/proposals?status=maybe", &staff).await;
    assert_eq!(bad_status.status, StatusCode::UNPROCESSABLE_ENTITY);
}

fn entente(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_entente"))
        .args(args)
        .current_dir(dir)
        .env_remove("ENTENTE_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .output()
        .unwrap()
}

/// The CLI contract: `registry propose` prints the id; approving one's own proposal, or
/// approving as staff, exits non-zero with the reason.
#[test]
fn the_cli_proposes_approves_and_returns() {
    let dir = tempfile::tempdir().unwrap();
    for (email, role) in
        [("staff@example.org", "staff"), ("ana@example.org", "approver"), ("bo@example.org", "approver")]
    {
        let mut child = Command::new(env!("CARGO_BIN_EXE_entente"))
            .args(["user", "add", "--email", email, "--name", email, "--role", role, "--staff"])
            .current_dir(dir.path())
            .env_remove("ENTENTE_DATABASE_URL")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        use std::io::Write;
        writeln!(child.stdin.take().unwrap(), "{}", crate::support::PASSWORD).unwrap();
        assert!(child.wait().unwrap().success());
    }
    let propose = |who: &str, end: &str| {
        entente(
            dir.path(),
            &[
                "registry",
                "propose",
                "--as",
                who,
                "--nation",
                "mt",
                "--framework",
                "PFP",
                "--end",
                end,
                "--reason",
                "Withdrawal",
                "--source",
                "https://example.org",
            ],
        )
    };
    let output = propose("staff@example.org", "2030-01-01");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let id = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(id.parse::<i64>().is_ok(), "the id alone: {id}");

    let by_staff = entente(dir.path(), &["registry", "approve", &id, "--as", "staff@example.org"]);
    assert!(!by_staff.status.success());
    assert!(
        String::from_utf8_lossy(&by_staff.stderr).contains("only an approver"),
        "{}",
        String::from_utf8_lossy(&by_staff.stderr)
    );
    let approved = entente(dir.path(), &["registry", "approve", &id, "--as", "ana@example.org"]);
    assert!(approved.status.success(), "{}", String::from_utf8_lossy(&approved.stderr));
    let status = entente(dir.path(), &["status", "--at", "2030-06-01", "--framework", "PFP", "--format", "csv"]);
    assert!(!String::from_utf8_lossy(&status.stdout).contains("MT,"), "applied");

    let own = String::from_utf8_lossy(
        &entente(
            dir.path(),
            &[
                "registry",
                "propose",
                "--as",
                "ana@example.org",
                "--nation",
                "SE",
                "--framework",
                "PFP",
                "--start",
                "2031-01-01",
                "--reason",
                "r",
                "--source",
                "s",
            ],
        )
        .stdout,
    )
    .trim()
    .to_owned();
    let own_approval = entente(dir.path(), &["registry", "approve", &own, "--as", "ana@example.org"]);
    assert!(!own_approval.status.success(), "an approver does not approve her own proposal");
    assert!(
        String::from_utf8_lossy(&own_approval.stderr).contains("made themselves"),
        "{}",
        String::from_utf8_lossy(&own_approval.stderr)
    );
    let bad = propose("staff@example.org", "1990-01-01");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("end:"), "{}", String::from_utf8_lossy(&bad.stderr));
    let returned = entente(dir.path(), &["registry", "return", &own, "--as", "bo@example.org", "--comment", "Source?"]);
    assert!(returned.status.success(), "{}", String::from_utf8_lossy(&returned.stderr));
}
