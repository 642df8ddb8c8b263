//! The authorization matrix: every route, for an anonymous visitor and for each role, with
//! the expected status, on SQLite and PostgreSQL. A route the router serves without a row
//! here fails the test.

use axum::body::Body;
use axum::http::{Request, header};
use entente_core::{Affiliation, Classification, Role};

use crate::support::{PASSWORD, Session, TestApp, form, multipart, on_both_backends, pdf};

on_both_backends!(every_route_answers_each_role_as_expected, no_change_without_csrf_or_with_a_read_only_token);

/// Columns of the matrix.
const WHO: [&str; 7] = ["anonymous", "admin", "staff", "approver", "member_delegate", "partner_officer", "analyst"];

enum Send {
    Plain,
    Form(Vec<(&'static str, &'static str)>),
    Upload,
    Json(serde_json::Value),
}

struct Row {
    method: &'static str,
    route: &'static str,
    uri: String,
    send: Send,
    expect: [u16; 7],
}

fn row(method: &'static str, route: &'static str, uri: impl Into<String>, send: Send, expect: [u16; 7]) -> Row {
    Row { method, route, uri: uri.into(), send, expect }
}

struct Credentials {
    session: Option<Session>,
    token: Option<String>,
    /// Each caller comes from an address of their own, as people do: the sign-in throttle
    /// counts per email and address.
    address: std::net::SocketAddr,
}

async fn every_route_answers_each_role_as_expected(app: TestApp) {
    let people: [(Role, Affiliation, Classification); 6] = [
        (Role::Admin, Affiliation::AllianceStaff, Classification::Restricted),
        (Role::Staff, Affiliation::AllianceStaff, Classification::Restricted),
        (Role::Approver, Affiliation::AllianceStaff, Classification::Restricted),
        (Role::MemberDelegate, Affiliation::Nation("NO".parse().unwrap()), Classification::Restricted),
        (Role::PartnerOfficer, Affiliation::Nation("GE".parse().unwrap()), Classification::Restricted),
        (Role::Analyst, Affiliation::AllianceStaff, Classification::Unclassified),
    ];
    let mut credentials = vec![Credentials { session: None, token: None, address: ([192, 0, 2, 1], 1).into() }];
    for (role, affiliation, clearance) in people {
        let email = app.user(&format!("{}@example.org", role.as_str()), role, affiliation, clearance).await;
        let session = app.sign_in(&email, PASSWORD).await.unwrap();
        let address = ([192, 0, 2, u8::try_from(credentials.len() + 1).unwrap()], 1).into();
        credentials.push(Credentials { session: Some(session), token: Some(app.token(&email, true).await), address });
    }
    let staff_token = credentials[2].token.clone().unwrap();
    let georgia = app
        .upload(
            &staff_token,
            &[("title", "GE"), ("marking", "RESTRICTED REL TO GE"), ("owner", "GE")],
            "g.pdf",
            &pdf("g"),
        )
        .await;
    let georgia = georgia.json()["id"].as_i64().unwrap();
    let ukraine = app
        .upload(
            &staff_token,
            &[("title", "UA"), ("marking", "RESTRICTED REL TO UA"), ("owner", "UA")],
            "u.pdf",
            &pdf("u"),
        )
        .await;
    let ukraine = ukraine.json()["id"].as_i64().unwrap();
    let analyst_id = app.services.accounts.user_by_email("analyst@example.org").await.unwrap().id;
    let proposal =
        |end: &str| serde_json::json!({ "nation": "MT", "framework": "PFP", "end": end, "reason": "r", "source": "s" });
    let mut proposals = Vec::new();
    for end in ["2030-01-01", "2031-01-01", "2032-01-01", "2033-01-01"] {
        let answer = app.post_json("/api/v1/registry/proposals", &staff_token, &proposal(end)).await;
        proposals.push(answer.json()["id"].as_i64().unwrap());
    }

    let activity = serde_json::json!({ "code": "TEST-1", "year": "2026", "title_en": "Test course", "area": "CYBER",
        "kind": "course", "marking": "PUBLIC", "open_to": "PARTNERS" });
    let created = app.post_json("/api/v1/activities", &staff_token, &activity).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let event = serde_json::json!({ "code": "TEST-1-1", "activity": "TEST-1", "start": "2026-05-04T09:00",
        "end": "2026-05-08T17:00", "time_zone": "Europe/Brussels", "place": "Brussels", "capacity": "20", "quota": "2",
        "deadline": "2026-04-01" });
    let scheduled = app.post_json("/api/v1/events", &staff_token, &event).await;
    assert_eq!(scheduled.status, 201, "{}", scheduled.text());

    let year = crate::seats::next_year();
    let later = serde_json::json!({ "code": "TEST-1-2", "activity": "TEST-1", "start": format!("{year}-05-04"),
        "end": format!("{year}-05-08"), "time_zone": "Europe/Brussels", "place": "Brussels", "capacity": "20",
        "deadline": format!("{year}-04-01"), "mode": "at_deadline" });
    assert_eq!(app.post_json("/api/v1/events", &staff_token, &later).await.status, 201);
    let asked = app
        .post_json(
            "/api/v1/events/TEST-1-2/requests",
            &staff_token,
            &serde_json::json!({ "nation": "GE", "seats": 1, "priority": 1 }),
        )
        .await;
    assert_eq!(asked.status, 201, "{}", asked.text());
    let request_id = asked.json()["id"].as_i64().unwrap();
    let other = app
        .post_json(
            "/api/v1/events/TEST-1-2/requests",
            &staff_token,
            &serde_json::json!({ "nation": "UA", "seats": 1, "priority": 2 }),
        )
        .await;
    let other_request = other.json()["id"].as_i64().unwrap();

    // A PARP goal of Georgia's, an indicator of it, and this year's PARP survey (a draft).
    let parp_goal = serde_json::json!({ "nation": "GE", "round_year": 2026, "code": "PG-GE-1", "title": "Goal" });
    let goal = app.post_json("/api/v1/parp-goals", &staff_token, &parp_goal).await;
    assert_eq!(goal.status, 201, "{}", goal.text());
    let indicator = serde_json::json!({ "parp_goal": goal.json()["id"], "title": "Units declared", "direction": "higher",
        "baseline": 0, "baseline_date": "2024-01-01", "target": 10, "target_date": "2028-01-01" });
    let indicator = app.post_json("/api/v1/indicators", &staff_token, &indicator).await;
    assert_eq!(indicator.status, 201, "{}", indicator.text());
    let survey = serde_json::json!({ "nation": "GE", "cycle": "parp", "year": 2026, "stage": "survey",
        "deadline": "2026-12-01" });
    let review = app.post_json("/api/v1/reviews", &staff_token, &survey).await;
    assert_eq!(review.status, 201, "{}", review.text());
    let review = review.json()["id"].as_i64().unwrap();
    let unknown_goal = serde_json::json!({ "parp_goal": 999999, "title": "I", "direction": "higher", "baseline": 0,
        "baseline_date": "2024-01-01", "target": 10, "target_date": "2028-01-01" });
    let unit = serde_json::json!({ "nation": "GE", "name": "Company", "unit_type": "infantry", "size": 120,
        "declared_on": "2025-01-01" });

    let all = |status: u16| [status; 7];
    let signed_in = |anonymous: u16, others: u16| [anonymous, others, others, others, others, others, others];
    // What the menu's keepers (the administrator and staff) may do; the others are refused.
    let staff_only = |anonymous: u16, keepers: u16| [anonymous, keepers, keepers, 403, 403, 403, 403];
    let rows = vec![
        row("GET", "/", "/?at=2020-01-01", Send::Plain, all(200)),
        row("GET", "/nations", "/nations?q=ge", Send::Plain, all(200)),
        row("GET", "/nations/{code}", "/nations/SE", Send::Plain, all(200)),
        row("GET", "/frameworks", "/frameworks", Send::Plain, all(200)),
        row("GET", "/frameworks/{code}", "/frameworks/PFP", Send::Plain, all(200)),
        row("GET", "/export/status.csv", "/export/status.csv?at=2020-01-01", Send::Plain, all(200)),
        row(
            "GET",
            "/export/frameworks/{code}/participants.csv",
            "/export/frameworks/MD/participants.csv?at=2020-01-01",
            Send::Plain,
            all(200),
        ),
        row("GET", "/sign-in", "/sign-in", Send::Plain, all(200)),
        // Anonymous form posts carry the pre-session CSRF cookie, which these requests lack.
        row(
            "POST",
            "/sign-in",
            "/sign-in",
            Send::Form(vec![("email", "x@example.org"), ("password", "y")]),
            signed_in(403, 401),
        ),
        row("GET", "/setup/{token}", "/setup/not-the-token", Send::Plain, all(404)),
        row("POST", "/setup/{token}", "/setup/not-the-token", Send::Form(vec![]), signed_in(403, 404)),
        row("GET", "/account", "/account", Send::Plain, signed_in(303, 200)),
        row(
            "POST",
            "/account/password",
            "/account/password",
            Send::Form(vec![("current_password", "wrong"), ("new_password", "x")]),
            signed_in(403, 422),
        ),
        row(
            "POST",
            "/account/tokens",
            "/account/tokens",
            Send::Form(vec![("name", ""), ("days", "30")]),
            signed_in(403, 422),
        ),
        row(
            "POST",
            "/account/tokens/{id}/revoke",
            "/account/tokens/999999/revoke",
            Send::Form(vec![]),
            signed_in(403, 404),
        ),
        row("GET", "/admin/users", "/admin/users", Send::Plain, [303, 200, 403, 403, 403, 403, 403]),
        row(
            "POST",
            "/admin/users",
            "/admin/users",
            Send::Form(vec![("email", "")]),
            [403, 422, 403, 403, 403, 403, 403],
        ),
        row(
            "POST",
            "/admin/users/{id}",
            format!("/admin/users/{analyst_id}"),
            Send::Form(vec![("active", "true")]),
            [403, 303, 403, 403, 403, 403, 403],
        ),
        row("GET", "/documents", "/documents", Send::Plain, all(200)),
        row("POST", "/documents", "/documents", Send::Upload, [403, 403, 303, 403, 403, 403, 403]),
        row("GET", "/documents/new", "/documents/new", Send::Plain, signed_in(303, 200)),
        row(
            "GET",
            "/documents/{id}",
            format!("/documents/{georgia}"),
            Send::Plain,
            [404, 200, 200, 200, 200, 200, 404],
        ),
        row(
            "GET",
            "/documents/{id}",
            format!("/documents/{ukraine}"),
            Send::Plain,
            [404, 200, 200, 200, 200, 404, 404],
        ),
        row(
            "GET",
            "/documents/{id}/download",
            format!("/documents/{georgia}/download"),
            Send::Plain,
            [404, 200, 200, 200, 200, 200, 404],
        ),
        row(
            "POST",
            "/documents/{id}/edit",
            format!("/documents/{georgia}/edit"),
            Send::Form(vec![("title", "")]),
            [403, 403, 422, 403, 403, 422, 404],
        ),
        row(
            "POST",
            "/documents/{id}/replace",
            format!("/documents/{georgia}/replace"),
            Send::Upload,
            [403, 403, 303, 403, 403, 303, 404],
        ),
        row(
            "POST",
            "/documents/{id}/withdraw",
            format!("/documents/{georgia}/withdraw"),
            Send::Form(vec![("reason", "")]),
            [403, 403, 422, 403, 403, 422, 404],
        ),
        // The matrix's analyst is cleared to UNCLASSIFIED only: the trail names restricted records.
        row("GET", "/audit", "/audit", Send::Plain, [303, 200, 403, 403, 403, 403, 403]),
        row("GET", "/audit.csv", "/audit.csv", Send::Plain, [303, 200, 403, 403, 403, 403, 403]),
        row("GET", "/static/style.css", "/static/style.css", Send::Plain, all(200)),
        row("GET", "/api", "/api", Send::Plain, all(200)),
        row("GET", "/design", "/design", Send::Plain, all(200)),
        row("GET", "/registry/changes", "/registry/changes?from=2023-01-01&to=2024-12-31", Send::Plain, all(200)),
        // Proposals are deliberation: a partner's officer does not follow them.
        row("GET", "/registry/proposals", "/registry/proposals", Send::Plain, [303, 200, 200, 200, 200, 403, 200]),
        row(
            "POST",
            "/registry/proposals",
            "/registry/proposals",
            Send::Form(vec![("nation", ""), ("change", "end")]),
            [403, 422, 422, 422, 422, 403, 403],
        ),
        row(
            "GET",
            "/registry/proposals/{id}",
            format!("/registry/proposals/{}", proposals[2]),
            Send::Plain,
            [303, 200, 200, 200, 200, 403, 200],
        ),
        row(
            "POST",
            "/registry/proposals/{id}/approve",
            format!("/registry/proposals/{}/approve", proposals[2]),
            Send::Form(vec![]),
            [403, 403, 403, 303, 403, 403, 403],
        ),
        row(
            "POST",
            "/registry/proposals/{id}/return",
            format!("/registry/proposals/{}/return", proposals[3]),
            Send::Form(vec![("comment", "")]),
            [403, 403, 403, 422, 403, 403, 403],
        ),
        row("GET", "/healthz", "/healthz", Send::Plain, all(200)),
        // Every caller here comes from a documentation address, not the loopback: /metrics
        // is refused whatever the role (the loopback case is in api.rs).
        row("GET", "/metrics", "/metrics", Send::Plain, all(403)),
        row("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", Send::Plain, all(200)),
        row("GET", "/api/v1/nations", "/api/v1/nations", Send::Plain, all(200)),
        row("GET", "/api/v1/nations/{code}", "/api/v1/nations/SE", Send::Plain, all(200)),
        row("GET", "/api/v1/nations/{code}/timeline", "/api/v1/nations/SE/timeline", Send::Plain, all(200)),
        row("GET", "/api/v1/frameworks", "/api/v1/frameworks", Send::Plain, all(200)),
        row(
            "GET",
            "/api/v1/frameworks/{code}/participants",
            "/api/v1/frameworks/PFP/participants?at=2020-01-01",
            Send::Plain,
            all(200),
        ),
        row("GET", "/api/v1/registry/status", "/api/v1/registry/status?at=2020-01-01", Send::Plain, all(200)),
        row(
            "GET",
            "/api/v1/registry/changes",
            "/api/v1/registry/changes?from=2020-01-01&to=2021-01-01",
            Send::Plain,
            all(200),
        ),
        row("GET", "/api/v1/documents", "/api/v1/documents", Send::Plain, all(200)),
        row("POST", "/api/v1/documents", "/api/v1/documents", Send::Upload, [401, 403, 201, 403, 403, 403, 403]),
        row(
            "GET",
            "/api/v1/documents/{id}",
            format!("/api/v1/documents/{georgia}"),
            Send::Plain,
            [404, 200, 200, 200, 200, 200, 404],
        ),
        row(
            "GET",
            "/api/v1/documents/{id}",
            format!("/api/v1/documents/{ukraine}"),
            Send::Plain,
            [404, 200, 200, 200, 200, 404, 404],
        ),
        row(
            "GET",
            "/api/v1/documents/{id}/content",
            format!("/api/v1/documents/{georgia}/content"),
            Send::Plain,
            [404, 200, 200, 200, 200, 200, 404],
        ),
        row(
            "PATCH",
            "/api/v1/documents/{id}",
            format!("/api/v1/documents/{georgia}"),
            Send::Json(serde_json::json!({ "title": "" })),
            // Not released to an anonymous caller: not found, as for a read.
            [404, 403, 422, 403, 403, 422, 404],
        ),
        row(
            "PUT",
            "/api/v1/documents/{id}/content",
            format!("/api/v1/documents/{georgia}/content"),
            Send::Upload,
            [404, 403, 200, 403, 403, 200, 404],
        ),
        row(
            "POST",
            "/api/v1/documents/{id}/withdraw",
            format!("/api/v1/documents/{georgia}/withdraw"),
            Send::Json(serde_json::json!({ "reason": "" })),
            [404, 403, 422, 403, 403, 422, 404],
        ),
        row(
            "GET",
            "/api/v1/documents/{id}/versions",
            format!("/api/v1/documents/{georgia}/versions"),
            Send::Plain,
            [404, 200, 200, 200, 200, 200, 404],
        ),
        row("GET", "/api/v1/audit", "/api/v1/audit", Send::Plain, [401, 200, 403, 403, 403, 403, 403]),
        row("GET", "/api/v1/me", "/api/v1/me", Send::Plain, signed_in(401, 200)),
        row(
            "GET",
            "/api/v1/registry/proposals",
            "/api/v1/registry/proposals",
            Send::Plain,
            [401, 200, 200, 200, 200, 403, 200],
        ),
        row(
            "POST",
            "/api/v1/registry/proposals",
            "/api/v1/registry/proposals",
            Send::Json(serde_json::json!({ "nation": "", "reason": "r", "source": "s" })),
            [401, 422, 422, 422, 422, 403, 403],
        ),
        row(
            "GET",
            "/api/v1/registry/proposals/{id}",
            format!("/api/v1/registry/proposals/{}", proposals[0]),
            Send::Plain,
            [401, 200, 200, 200, 200, 403, 200],
        ),
        row(
            "POST",
            "/api/v1/registry/proposals/{id}/return",
            format!("/api/v1/registry/proposals/{}/return", proposals[1]),
            Send::Json(serde_json::json!({ "comment": "" })),
            [401, 403, 403, 422, 403, 403, 403],
        ),
        row(
            "POST",
            "/api/v1/registry/proposals/{id}/approve",
            format!("/api/v1/registry/proposals/{}/approve", proposals[0]),
            Send::Json(serde_json::json!({})),
            [401, 403, 403, 200, 403, 403, 403],
        ),
        row("GET", "/menu", "/menu?q=test", Send::Plain, all(200)),
        row("GET", "/activities/{code}", "/activities/TEST-1", Send::Plain, all(200)),
        row("GET", "/events/{code}", "/events/TEST-1-1", Send::Plain, all(200)),
        // Seats and programmes on the pages (TEST-1-1's registration has closed).
        row(
            "POST",
            "/events/{code}/requests",
            "/events/TEST-1-1/requests",
            Send::Form(vec![("nation", "GE"), ("seats", "1"), ("priority", "1")]),
            [403, 409, 409, 403, 403, 409, 403],
        ),
        row(
            "POST",
            "/events/{code}/work-plan",
            "/events/TEST-1-1/work-plan",
            Send::Form(vec![("programme", "GE-IPAP-2004"), ("goal", "1"), ("year", "2026"), ("priority", "1")]),
            [403, 403, 422, 403, 403, 422, 403],
        ),
        row(
            "POST",
            "/events/{code}/feedback",
            "/events/TEST-1-1/feedback",
            Send::Form(vec![("role", "participant"), ("body", ""), ("marking", "UNCLASSIFIED")]),
            signed_in(403, 422),
        ),
        row("GET", "/events/{code}/board", "/events/TEST-1-1/board", Send::Plain, staff_only(303, 200)),
        row("POST", "/events/{code}/allocate", "/events/TEST-1-2/allocate", Send::Form(vec![]), staff_only(403, 303)),
        row(
            "POST",
            "/requests/{id}/nominations",
            format!("/requests/{request_id}/nominations"),
            Send::Form(vec![("name", ""), ("email", "x@example.org"), ("event", "TEST-1-2")]),
            [403, 422, 422, 403, 404, 422, 403],
        ),
        row(
            "POST",
            "/requests/{id}/cancel",
            format!("/requests/{other_request}/cancel"),
            Send::Form(vec![("event", "TEST-1-2")]),
            [403, 303, 409, 403, 403, 403, 403],
        ),
        row("GET", "/my/seats", "/my/seats", Send::Plain, [303, 403, 403, 403, 200, 200, 403]),
        row("GET", "/programmes", "/programmes", Send::Plain, all(200)),
        row("GET", "/programmes/new", "/programmes/new", Send::Plain, [303, 403, 200, 403, 200, 200, 403]),
        row("POST", "/programmes", "/programmes", Send::Form(vec![]), signed_in(403, 422)),
        row("GET", "/programmes/{code}", "/programmes/GE-IPAP-2004", Send::Plain, all(200)),
        row("GET", "/programmes/{code}/changes", "/programmes/GE-IPAP-2004/changes", Send::Plain, all(200)),
        row(
            "POST",
            "/programmes/{code}/items",
            "/programmes/GE-IPAP-2004/items",
            Send::Form(vec![("what", "objective"), ("title", "t")]),
            signed_in(403, 409),
        ),
        row(
            "POST",
            "/programmes/{code}/steps",
            "/programmes/GE-IPAP-2004/steps",
            Send::Form(vec![("step", "submit")]),
            signed_in(403, 409),
        ),
        row(
            "POST",
            "/programmes/{code}/work-plan",
            "/programmes/GE-IPAP-2004/work-plan",
            Send::Form(vec![("year", "2004"), ("goal", "1"), ("item", "TEST-1-1"), ("priority", "1")]),
            [403, 403, 422, 403, 403, 422, 403],
        ),
        row(
            "POST",
            "/api/v1/nominations/{id}/status",
            "/api/v1/nominations/999999/status",
            Send::Json(serde_json::json!({ "status": "confirmed" })),
            all(404),
        ),
        row(
            "POST",
            "/programmes/{code}/amend",
            "/programmes/JP-ITPP-2023/amend",
            Send::Form(vec![]),
            [403, 403, 303, 403, 403, 403, 403],
        ),
        // Meetings (no. 1 is a public historical meeting) and operations on the pages.
        row("GET", "/meetings", "/meetings?rule=members&at=2020-01-01", Send::Plain, all(200)),
        row("GET", "/meetings/new", "/meetings/new", Send::Plain, staff_only(303, 200)),
        row("POST", "/meetings", "/meetings", Send::Form(vec![]), staff_only(403, 422)),
        row("GET", "/meetings/{id}", "/meetings/1", Send::Plain, all(200)),
        row(
            "POST",
            "/meetings/{id}/entries",
            "/meetings/1/entries",
            Send::Form(vec![("section", "agenda")]),
            staff_only(403, 422),
        ),
        row("POST", "/meetings/{id}/actions", "/meetings/1/actions", Send::Form(vec![]), staff_only(403, 422)),
        row(
            "POST",
            "/meetings/{id}/documents",
            "/meetings/1/documents",
            Send::Form(vec![("document", "999999")]),
            staff_only(403, 422),
        ),
        row(
            "POST",
            "/action-items/{id}/status",
            "/action-items/999999/status",
            Send::Form(vec![("status", "done")]),
            signed_in(403, 404),
        ),
        row("GET", "/operations", "/operations", Send::Plain, all(200)),
        row("GET", "/operations/{code}", "/operations/KFOR", Send::Plain, all(200)),
        row(
            "POST",
            "/operations/{code}/contributions",
            "/operations/KFOR/contributions",
            Send::Form(vec![("nation", "GE"), ("kind", "x")]),
            [403, 422, 422, 403, 403, 422, 403],
        ),
        row(
            "POST",
            "/operations/{code}/requirements",
            "/operations/KFOR/requirements",
            Send::Form(vec![("quantity", "1")]),
            staff_only(403, 422),
        ),
        row(
            "POST",
            "/contributions/{id}/status",
            "/contributions/999999/status",
            Send::Form(vec![("status", "deployed")]),
            signed_in(403, 404),
        ),
        row("POST", "/postings", "/postings", Send::Form(vec![("nation", "GE")]), staff_only(403, 422)),
        row("GET", "/calendar/frameworks/{file}", "/calendar/frameworks/MD.ics", Send::Plain, all(200)),
        row("POST", "/events/{code}/calendar", "/events/TEST-1-1/calendar", Send::Form(vec![]), signed_in(403, 303)),
        // Assessments on the pages: the draft PARP survey of Georgia made above.
        row("GET", "/assessments", "/assessments?year=2026", Send::Plain, all(200)),
        row("GET", "/assessments.csv", "/assessments.csv?year=2026", Send::Plain, all(200)),
        row(
            "POST",
            "/reviews",
            "/reviews",
            Send::Form(vec![
                ("nation", "GE"),
                ("cycle", "parp"),
                ("year", "2026"),
                ("stage", "survey"),
                ("deadline", "2026-12-01"),
            ]),
            [403, 403, 409, 403, 403, 409, 403],
        ),
        row("GET", "/reviews.csv", "/reviews.csv", Send::Plain, all(200)),
        row("GET", "/reviews/{id}", format!("/reviews/{review}"), Send::Plain, [404, 200, 200, 200, 200, 200, 200]),
        row(
            "POST",
            "/reviews/{id}/parts",
            format!("/reviews/{review}/parts"),
            Send::Form(vec![("part", "self_assessment"), ("text", "Our view")]),
            [403, 403, 422, 403, 403, 303, 403],
        ),
        row(
            "POST",
            "/reviews/{id}/measurements",
            format!("/reviews/{review}/measurements"),
            Send::Form(vec![("indicator", "999999"), ("date", "2026-01-01"), ("value", "1")]),
            [403, 403, 422, 403, 403, 422, 403],
        ),
        row(
            "POST",
            "/reviews/{id}/steps",
            format!("/reviews/{review}/steps"),
            Send::Form(vec![("step", "approve")]),
            [403, 403, 403, 409, 403, 403, 403],
        ),
        row(
            "POST",
            "/reviews/{id}/correct",
            format!("/reviews/{review}/correct"),
            Send::Form(vec![]),
            [403, 403, 409, 403, 403, 409, 403],
        ),
        row(
            "POST",
            "/indicators",
            "/indicators",
            Send::Form(vec![
                ("parp_goal", "999999"),
                ("title", "I"),
                ("direction", "higher"),
                ("baseline", "0"),
                ("baseline_date", "2024-01-01"),
                ("target", "10"),
                ("target_date", "2028-01-01"),
            ]),
            signed_in(403, 422),
        ),
        row(
            "POST",
            "/parp-goals",
            "/parp-goals",
            Send::Form(vec![("nation", "GE"), ("round_year", "2026"), ("code", "PG-GE-1"), ("title", "Goal")]),
            [403, 403, 409, 403, 403, 409, 403],
        ),
        row("GET", "/progress/{nation}", "/progress/GE?year=2026", Send::Plain, all(200)),
        row("GET", "/reports/{nation}/{file}", "/reports/GE/2026.xlsx", Send::Plain, all(200)),
        row("GET", "/map", "/map?at=2004-03-30", Send::Plain, all(200)),
        row("GET", "/map.svg", "/map.svg?at=2004-03-30", Send::Plain, all(200)),
        row("GET", "/units", "/units", Send::Plain, all(200)),
        row(
            "POST",
            "/units",
            "/units",
            Send::Form(vec![
                ("nation", "GE"),
                ("name", "Company"),
                ("unit_type", "infantry"),
                ("size", "120"),
                ("declared_on", "2025-01-01"),
            ]),
            [403, 303, 303, 403, 403, 303, 403],
        ),
        row("GET", "/units.csv", "/units.csv", Send::Plain, all(200)),
        row(
            "POST",
            "/units/{id}/steps",
            "/units/999999/steps",
            Send::Form(vec![("step", "SEL1"), ("date", "2026-01-01"), ("evaluator", "E")]),
            signed_in(403, 404),
        ),
        row("GET", "/data-quality", "/data-quality?year=2026", Send::Plain, all(200)),
        row("GET", "/data-quality.csv", "/data-quality.csv?year=2026", Send::Plain, all(200)),
        row("GET", "/decisions", "/decisions", Send::Plain, all(200)),
        row("GET", "/menu/compare", "/menu/compare?from=2025&to=2026", Send::Plain, all(200)),
        row("GET", "/activities/new", "/activities/new", Send::Plain, staff_only(303, 200)),
        row("POST", "/activities", "/activities", Send::Form(vec![]), staff_only(403, 422)),
        row("GET", "/activities/{code}/edit", "/activities/TEST-1/edit?year=2026", Send::Plain, staff_only(303, 200)),
        row(
            "POST",
            "/activities/{code}/edit",
            "/activities/TEST-1/edit",
            Send::Form(vec![("year", "2026")]),
            staff_only(403, 422),
        ),
        row("GET", "/events/new", "/events/new?activity=TEST-1", Send::Plain, staff_only(303, 200)),
        row("POST", "/events", "/events", Send::Form(vec![]), staff_only(403, 422)),
        row("GET", "/events/{code}/edit", "/events/TEST-1-1/edit", Send::Plain, staff_only(303, 200)),
        row("POST", "/events/{code}/edit", "/events/TEST-1-1/edit", Send::Form(vec![]), staff_only(403, 422)),
        row("GET", "/decisions/new", "/decisions/new", Send::Plain, [303, 200, 200, 200, 403, 403, 403]),
        row("POST", "/decisions", "/decisions", Send::Form(vec![]), [403, 422, 422, 422, 403, 403, 403]),
        row("GET", "/policies/new", "/policies/new", Send::Plain, staff_only(303, 200)),
        row("GET", "/policies/{code}/edit", "/policies/BERLIN_2011/edit", Send::Plain, staff_only(303, 200)),
        row("POST", "/policies", "/policies", Send::Form(vec![]), staff_only(403, 422)),
        row("GET", "/calendar/areas/{file}", "/calendar/areas/CYBER.ics", Send::Plain, all(200)),
        row("GET", "/calendar/nations/{file}", "/calendar/nations/GE.ics", Send::Plain, all(200)),
        row("GET", "/calendar/users/{file}", "/calendar/users/not-a-token.ics", Send::Plain, all(404)),
        row("POST", "/account/calendar", "/account/calendar", Send::Form(vec![]), signed_in(403, 200)),
        row("GET", "/api/v1/areas", "/api/v1/areas", Send::Plain, all(200)),
        row("GET", "/api/v1/menus", "/api/v1/menus", Send::Plain, all(200)),
        row("GET", "/api/v1/menus/{year}", "/api/v1/menus/2026", Send::Plain, all(200)),
        row(
            "GET",
            "/api/v1/menus/{year}/eligibility",
            "/api/v1/menus/2026/eligibility?at=2026-01-01",
            Send::Plain,
            all(200),
        ),
        row("GET", "/api/v1/menus/{year}/compare/{other}", "/api/v1/menus/2025/compare/2026", Send::Plain, all(200)),
        row("GET", "/api/v1/activities", "/api/v1/activities?q=test", Send::Plain, all(200)),
        row(
            "POST",
            "/api/v1/activities",
            "/api/v1/activities",
            Send::Json(serde_json::json!({ "code": "" })),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        row("GET", "/api/v1/activities/{code}", "/api/v1/activities/TEST-1", Send::Plain, all(200)),
        row(
            "PUT",
            "/api/v1/activities/{code}",
            "/api/v1/activities/TEST-1",
            Send::Json(serde_json::json!({})),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        row(
            "GET",
            "/api/v1/activities/{code}/eligibility",
            "/api/v1/activities/TEST-1/eligibility?nation=GE&at=2026-01-01",
            Send::Plain,
            all(200),
        ),
        row("GET", "/api/v1/events", "/api/v1/events", Send::Plain, all(200)),
        row(
            "POST",
            "/api/v1/events",
            "/api/v1/events",
            Send::Json(serde_json::json!({})),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        row("GET", "/api/v1/events/{code}", "/api/v1/events/TEST-1-1", Send::Plain, all(200)),
        row(
            "PUT",
            "/api/v1/events/{code}",
            "/api/v1/events/TEST-1-1",
            Send::Json(serde_json::json!({})),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        row("GET", "/api/v1/decisions", "/api/v1/decisions", Send::Plain, all(200)),
        row(
            "POST",
            "/api/v1/decisions",
            "/api/v1/decisions",
            Send::Json(
                serde_json::json!({ "kind": "x", "nations": ["GE"], "scope": "menu", "from": "2020-01-01", "reference": "r" }),
            ),
            [401, 422, 422, 422, 403, 403, 403],
        ),
        row("GET", "/api/v1/policies", "/api/v1/policies", Send::Plain, all(200)),
        row(
            "PUT",
            "/api/v1/policies/{code}",
            "/api/v1/policies/TEST",
            Send::Json(serde_json::json!({ "code": "TEST", "rule": "x", "from": "2020-01-01", "title_en": "t" })),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        // Seats: a nation's own officers and the organising staff ask and cancel; the
        // organisers allocate. (TEST-1-1's registration has closed: 409 once allowed.)
        row(
            "GET",
            "/api/v1/events/{code}/requests",
            "/api/v1/events/TEST-1-2/requests",
            Send::Plain,
            signed_in(401, 200),
        ),
        row(
            "POST",
            "/api/v1/events/{code}/requests",
            "/api/v1/events/TEST-1-1/requests",
            Send::Json(serde_json::json!({ "nation": "GE", "seats": 1, "priority": 1 })),
            [401, 409, 409, 403, 403, 409, 403],
        ),
        row(
            "POST",
            "/api/v1/requests/{id}/cancel",
            format!("/api/v1/requests/{request_id}/cancel"),
            Send::Json(serde_json::json!({})),
            [401, 200, 409, 403, 403, 409, 403],
        ),
        row(
            "POST",
            "/api/v1/events/{code}/allocate",
            "/api/v1/events/TEST-1-2/allocate",
            Send::Json(serde_json::json!({})),
            staff_only(401, 200),
        ),
        row(
            "POST",
            "/api/v1/allocations/{year}",
            format!("/api/v1/allocations/{year}"),
            Send::Json(serde_json::json!({})),
            staff_only(401, 200),
        ),
        row(
            "PUT",
            "/api/v1/budgets",
            "/api/v1/budgets",
            Send::Json(serde_json::json!({ "nation": "GE", "year": year, "area": "", "seats": 5 })),
            staff_only(401, 204),
        ),
        row(
            "GET",
            "/api/v1/requests/{id}/nominations",
            format!("/api/v1/requests/{request_id}/nominations"),
            Send::Plain,
            [401, 200, 200, 403, 404, 200, 403],
        ),
        row(
            "POST",
            "/api/v1/requests/{id}/nominations",
            format!("/api/v1/requests/{request_id}/nominations"),
            Send::Json(serde_json::json!({ "name": "", "email": "x@example.org" })),
            [401, 422, 422, 403, 404, 422, 403],
        ),
        row("GET", "/api/v1/events/{code}/feedback", "/api/v1/events/TEST-1-1/feedback", Send::Plain, all(200)),
        row(
            "POST",
            "/api/v1/events/{code}/feedback",
            "/api/v1/events/TEST-1-1/feedback",
            Send::Json(serde_json::json!({ "role": "participant", "body": "", "marking": "UNCLASSIFIED" })),
            [422, 422, 422, 422, 422, 422, 422],
        ),
        // Programmes: GE-IPAP-2004 is a historical, agreed, public programme.
        row("GET", "/api/v1/programmes", "/api/v1/programmes", Send::Plain, all(200)),
        row(
            "POST",
            "/api/v1/programmes",
            "/api/v1/programmes",
            Send::Json(serde_json::json!({ "nation": "GE", "kind": "x" })),
            [401, 403, 422, 403, 403, 422, 403],
        ),
        row("GET", "/api/v1/programmes/{code}", "/api/v1/programmes/GE-IPAP-2004", Send::Plain, all(200)),
        row(
            "PUT",
            "/api/v1/programmes/{code}",
            "/api/v1/programmes/GE-IPAP-2004",
            Send::Json(serde_json::json!({})),
            signed_in(401, 409),
        ),
        row(
            "POST",
            "/api/v1/programmes/{code}/objectives",
            "/api/v1/programmes/GE-IPAP-2004/objectives",
            Send::Json(serde_json::json!({ "title": "t" })),
            signed_in(401, 409),
        ),
        row(
            "POST",
            "/api/v1/programmes/{code}/goals",
            "/api/v1/programmes/GE-IPAP-2004/goals",
            Send::Json(serde_json::json!({ "title": "t" })),
            signed_in(401, 409),
        ),
        row(
            "POST",
            "/api/v1/programmes/{code}/supports",
            "/api/v1/programmes/GE-IPAP-2004/supports",
            Send::Json(serde_json::json!({})),
            signed_in(401, 409),
        ),
        row(
            "POST",
            "/api/v1/programmes/{code}/work-plan",
            "/api/v1/programmes/GE-IPAP-2004/work-plan",
            Send::Json(serde_json::json!({})),
            [401, 403, 422, 403, 403, 422, 403],
        ),
        row(
            "POST",
            "/api/v1/programmes/{code}/steps",
            "/api/v1/programmes/GE-IPAP-2004/steps",
            Send::Json(serde_json::json!({ "step": "submit" })),
            signed_in(401, 409),
        ),
        row(
            "GET",
            "/api/v1/programmes/{code}/changes",
            "/api/v1/programmes/GE-IPAP-2004/changes",
            Send::Plain,
            all(200),
        ),
        // Staff amend the agreed programme; Georgia's officer then finds a draft, not
        // agreed, version to amend.
        row(
            "POST",
            "/api/v1/programmes/{code}/amend",
            "/api/v1/programmes/GE-IPAP-2004/amend",
            Send::Json(serde_json::json!({})),
            [401, 403, 201, 403, 403, 409, 403],
        ),
        // Meetings, rules and operations through the API.
        row("GET", "/api/v1/rules/resolve", "/api/v1/rules/resolve?rule=members&at=2020-01-01", Send::Plain, all(200)),
        row("GET", "/api/v1/meetings", "/api/v1/meetings", Send::Plain, all(200)),
        row(
            "POST",
            "/api/v1/meetings",
            "/api/v1/meetings",
            Send::Json(serde_json::json!({})),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        row("GET", "/api/v1/meetings/{id}", "/api/v1/meetings/1", Send::Plain, all(200)),
        row(
            "PUT",
            "/api/v1/meetings/{id}",
            "/api/v1/meetings/1",
            Send::Json(serde_json::json!({})),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        row(
            "POST",
            "/api/v1/meetings/{id}/entries",
            "/api/v1/meetings/1/entries",
            Send::Json(serde_json::json!({})),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        row(
            "POST",
            "/api/v1/meetings/{id}/actions",
            "/api/v1/meetings/1/actions",
            Send::Json(serde_json::json!({})),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        row(
            "POST",
            "/api/v1/meetings/{id}/documents",
            "/api/v1/meetings/1/documents",
            Send::Json(serde_json::json!({ "document": 999999 })),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        row(
            "POST",
            "/api/v1/action-items/{id}/status",
            "/api/v1/action-items/999999/status",
            Send::Json(serde_json::json!({ "status": "done" })),
            all(404),
        ),
        row("GET", "/api/v1/operations", "/api/v1/operations", Send::Plain, all(200)),
        row("GET", "/api/v1/operations/{code}", "/api/v1/operations/KFOR", Send::Plain, all(200)),
        row(
            "GET",
            "/api/v1/operations/{code}/contributors",
            "/api/v1/operations/KFOR/contributors?at=2020-01-01",
            Send::Plain,
            all(200),
        ),
        row(
            "POST",
            "/api/v1/operations/{code}/contributions",
            "/api/v1/operations/KFOR/contributions",
            Send::Json(serde_json::json!({ "nation": "GE", "kind": "x" })),
            [401, 422, 422, 403, 403, 422, 403],
        ),
        row(
            "POST",
            "/api/v1/contributions/{id}/status",
            "/api/v1/contributions/999999/status",
            Send::Json(serde_json::json!({ "status": "deployed" })),
            all(404),
        ),
        row("GET", "/api/v1/nations/{code}/contributions", "/api/v1/nations/GE/contributions", Send::Plain, all(200)),
        row(
            "POST",
            "/api/v1/operations/{code}/requirements",
            "/api/v1/operations/KFOR/requirements",
            Send::Json(serde_json::json!({})),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        row("GET", "/api/v1/postings", "/api/v1/postings", Send::Plain, all(200)),
        row(
            "POST",
            "/api/v1/postings",
            "/api/v1/postings",
            Send::Json(serde_json::json!({ "nation": "GE" })),
            [401, 422, 422, 403, 403, 403, 403],
        ),
        // Assessments through the API.
        row(
            "POST",
            "/api/v1/parp-goals",
            "/api/v1/parp-goals",
            Send::Json(parp_goal.clone()),
            [401, 403, 409, 403, 403, 409, 403],
        ),
        row(
            "POST",
            "/api/v1/indicators",
            "/api/v1/indicators",
            Send::Json(unknown_goal),
            [401, 422, 422, 422, 422, 422, 422],
        ),
        row("GET", "/api/v1/reviews", "/api/v1/reviews?year=2026", Send::Plain, all(200)),
        row(
            "POST",
            "/api/v1/reviews",
            "/api/v1/reviews",
            Send::Json(survey.clone()),
            [401, 403, 409, 403, 403, 409, 403],
        ),
        row(
            "GET",
            "/api/v1/reviews/{id}",
            format!("/api/v1/reviews/{review}"),
            Send::Plain,
            [404, 200, 200, 200, 200, 200, 200],
        ),
        row(
            "POST",
            "/api/v1/reviews/{id}/parts",
            format!("/api/v1/reviews/{review}/parts"),
            Send::Json(serde_json::json!({ "part": "self_assessment", "text": "Our view" })),
            [404, 403, 422, 403, 403, 200, 403],
        ),
        row(
            "POST",
            "/api/v1/reviews/{id}/measurements",
            format!("/api/v1/reviews/{review}/measurements"),
            Send::Json(serde_json::json!({ "indicator": 999999, "date": "2026-01-01", "value": 1 })),
            [404, 403, 422, 403, 403, 422, 403],
        ),
        row(
            "POST",
            "/api/v1/reviews/{id}/steps",
            format!("/api/v1/reviews/{review}/steps"),
            Send::Json(serde_json::json!({ "step": "approve" })),
            [404, 403, 403, 409, 403, 403, 403],
        ),
        row(
            "POST",
            "/api/v1/reviews/{id}/correct",
            format!("/api/v1/reviews/{review}/correct"),
            Send::Json(serde_json::json!({})),
            [404, 403, 409, 403, 403, 409, 403],
        ),
        row("GET", "/api/v1/progress/{nation}", "/api/v1/progress/GE?year=2026", Send::Plain, all(200)),
        row("GET", "/api/v1/progress", "/api/v1/progress?year=2026", Send::Plain, all(200)),
        row("GET", "/api/v1/units", "/api/v1/units", Send::Plain, all(200)),
        row("POST", "/api/v1/units", "/api/v1/units", Send::Json(unit), [401, 201, 201, 403, 403, 201, 403]),
        row(
            "POST",
            "/api/v1/units/{id}/steps",
            "/api/v1/units/999999/steps",
            Send::Json(serde_json::json!({ "step": "SEL1", "date": "2026-01-01", "evaluator": "E" })),
            all(404),
        ),
        row("GET", "/api/v1/data-quality", "/api/v1/data-quality?year=2026", Send::Plain, all(200)),
        // Last: it ends the sessions used above.
        row("POST", "/sign-out", "/sign-out", Send::Form(vec![]), signed_in(403, 303)),
    ];

    let missing: Vec<String> = entente::http::route_list()
        .into_iter()
        .filter(|(method, path)| !rows.iter().any(|r| r.method == method && r.route == path))
        .map(|(method, path)| format!("{method} {path}"))
        .collect();
    assert!(missing.is_empty(), "routes without a row in the authorization matrix: {missing:?}");

    let mut wrong = Vec::new();
    for r in &rows {
        for (who, creds) in credentials.iter().enumerate() {
            let status = app.send(request(r, creds)).await.status.as_u16();
            if status != r.expect[who] {
                wrong.push(format!("{} {} as {}: expected {}, got {status}", r.method, r.uri, WHO[who], r.expect[who]));
            }
        }
    }
    assert!(wrong.is_empty(), "{} unexpected answers:\n{}", wrong.len(), wrong.join("\n"));
}

/// Every unsafe route refuses, for every role, a session's change without its CSRF token
/// and any change made with a read-only token: both are checked where the caller is
/// built, so no handler can forget them.
async fn no_change_without_csrf_or_with_a_read_only_token(app: TestApp) {
    let people: [(Role, Affiliation); 6] = [
        (Role::Admin, Affiliation::AllianceStaff),
        (Role::Staff, Affiliation::AllianceStaff),
        (Role::Approver, Affiliation::AllianceStaff),
        (Role::MemberDelegate, Affiliation::Nation("NO".parse().unwrap())),
        (Role::PartnerOfficer, Affiliation::Nation("GE".parse().unwrap())),
        (Role::Analyst, Affiliation::AllianceStaff),
    ];
    let unsafe_routes: Vec<(String, String)> =
        entente::http::route_list().into_iter().filter(|(method, _)| method != "GET").collect();
    assert!(unsafe_routes.len() >= 10, "{unsafe_routes:?}");
    let concrete = |path: &str| path.replace("{id}", "1").replace("{token}", "t");
    let before = app.audit_actions().await.len();
    let mut wrong = Vec::new();
    for (role, affiliation) in people {
        let email =
            app.user(&format!("{}@example.org", role.as_str()), role, affiliation, Classification::Restricted).await;
        let session = app.sign_in(&email, PASSWORD).await.unwrap();
        let read_only = app.token(&email, false).await;
        let after_sign_in = app.audit_actions().await.len();
        for (method, path) in &unsafe_routes {
            let uri = concrete(path);
            let (content_type, body) = multipart(&[("title", "T"), ("marking", "UNCLASSIFIED")], "m.pdf", &pdf("m"));
            let without_csrf = Request::builder()
                .method(method.as_str())
                .uri(&uri)
                .header(header::COOKIE, format!("entente_session={}", session.cookie))
                .header(header::CONTENT_TYPE, &content_type)
                .body(Body::from(body.clone()))
                .unwrap();
            let status = app.send(without_csrf).await.status.as_u16();
            if status != 403 {
                wrong.push(format!("{method} {uri} as {} without CSRF: {status}", role.as_str()));
            }
            let with_read_only_token = Request::builder()
                .method(method.as_str())
                .uri(&uri)
                .header(header::AUTHORIZATION, format!("Bearer {read_only}"))
                .header(header::CONTENT_TYPE, &content_type)
                .body(Body::from(body))
                .unwrap();
            let status = app.send(with_read_only_token).await.status.as_u16();
            if status != 403 {
                wrong.push(format!("{method} {uri} as {} with a read-only token: {status}", role.as_str()));
            }
        }
        let written: Vec<_> = app.audit_actions().await.split_off(after_sign_in);
        assert!(
            written.iter().all(|(_, action)| action.starts_with("refused.")),
            "a refused change wrote nothing but the record of its refusal: {written:?}"
        );
    }
    assert!(app.audit_actions().await.len() > before);
    assert!(wrong.is_empty(), "{} changes were not refused:\n{}", wrong.len(), wrong.join("\n"));
}

fn request(r: &Row, creds: &Credentials) -> Request<Body> {
    let api = r.uri.starts_with("/api/");
    let mut builder =
        Request::builder().method(r.method).uri(&r.uri).extension(axum::extract::ConnectInfo(creds.address));
    if api {
        if let Some(token) = &creds.token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
    } else if let Some(session) = &creds.session {
        builder = builder.header(header::COOKIE, format!("entente_session={}", session.cookie));
    }
    let csrf = creds.session.as_ref().map_or("", |s| s.csrf.as_str());
    match &r.send {
        Send::Plain => builder.body(Body::empty()).unwrap(),
        Send::Form(fields) => {
            let mut fields = fields.clone();
            fields.push(("csrf", csrf));
            builder.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(form(&fields)).unwrap()
        }
        Send::Json(body) => builder
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", csrf)
            .body(Body::from(body.to_string()))
            .unwrap(),
        Send::Upload => {
            let fields = [("title", "Matrix"), ("marking", "UNCLASSIFIED"), ("csrf", csrf)];
            let (content_type, body) = multipart(&fields, "m.pdf", &pdf("matrix"));
            builder.header(header::CONTENT_TYPE, content_type).body(Body::from(body)).unwrap()
        }
    }
}
