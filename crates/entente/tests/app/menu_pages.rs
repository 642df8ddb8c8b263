//! The menu's forms as staff and a council secretary use them in a browser without
//! JavaScript: an activity, an event, a council decision and a policy created and edited
//! through the pages; a refusal shown next to the field it names with what was typed kept,
//! and nothing stored; other roles refused; two menus compared on a page.

use axum::http::StatusCode;
use entente_core::{Affiliation, Classification, Role};

use crate::support::{PASSWORD, Session, TestApp, on_both_backends};

on_both_backends!(staff_keep_the_menu_through_its_pages, a_council_secretary_records_a_decision_on_the_page);

async fn signed_in(app: &TestApp, role: Role) -> Session {
    let email = format!("{}@example.org", role.as_str());
    app.user(&email, role, Affiliation::AllianceStaff, Classification::Restricted).await;
    app.sign_in(&email, PASSWORD).await.unwrap()
}

fn location(answer: &crate::support::Answer) -> String {
    answer.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

const ACTIVITY: [(&str, &str); 10] = [
    ("code", "CYB-7001"),
    ("year", "2026"),
    ("title_en", "Cyber defence course"),
    ("title_fr", "Cours de cyberdéfense"),
    ("area", "CYBER"),
    ("kind", "course"),
    ("provider", "EE"),
    ("languages", "en"),
    ("marking", "PUBLIC"),
    ("open_to", "PARTNERS"),
];

/// A form's fields with some changed, and the session's CSRF token.
fn with<'a>(fields: &[(&'a str, &'a str)], changes: &[(&'a str, &'a str)], csrf: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> =
        fields.iter().map(|(k, v)| (*k, changes.iter().find(|(c, _)| c == k).map_or(*v, |(_, n)| *n))).collect();
    all.push(("csrf", csrf));
    all
}

async fn staff_keep_the_menu_through_its_pages(app: TestApp) {
    let staff = signed_in(&app, Role::Staff).await;
    let form = app.get_with("/activities/new?lang=fr", &staff).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("Titre en anglais"), "the form speaks French: {}", form.text());

    // An unknown area: the form comes back with the reason next to the area, what was
    // typed kept, and no activity stored.
    let refused =
        app.post_form("/activities", Some(&staff), &with(&ACTIVITY, &[("area", "ASTROLOGY")], &staff.csrf)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text();
    assert!(page.contains(r#"id="f-area-error""#), "{page}");
    assert!(page.contains("ASTROLOGY"), "the reason names the value: {page}");
    assert!(page.contains(r#"value="Cyber defence course""#), "what was typed is kept: {page}");
    assert_eq!(app.get("/api/v1/activities/CYB-7001").await.status, StatusCode::NOT_FOUND);

    let created = app.post_form("/activities", Some(&staff), &with(&ACTIVITY, &[], &staff.csrf)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    assert_eq!(location(&created), "/activities/CYB-7001?year=2026&flash=activity-saved");
    let shown = app.get_with("/activities/CYB-7001?year=2026", &staff).await.text();
    assert!(shown.contains("Cyber defence course") && shown.contains(r#"id="edit-activity""#), "{shown}");

    // The edit form shows the activity as stored; the code and year stay.
    let edit = app.get_with("/activities/CYB-7001/edit?year=2026", &staff).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.text().contains(r#"value="Cours de cyberdéfense""#), "{}", edit.text());
    let saved = app
        .post_form(
            "/activities/CYB-7001/edit",
            Some(&staff),
            &with(&ACTIVITY, &[("title_en", "Advanced cyber defence course"), ("open_to", "PFP;MD")], &staff.csrf),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let stored = app.get_json("/api/v1/activities/CYB-7001?year=2026").await;
    assert_eq!(stored["title_en"], "Advanced cyber defence course");
    assert_eq!(stored["open_to"], "MD;PFP", "framework codes in order");

    // An event: one that ends before it starts is refused at its end; a good one is kept.
    let event = [
        ("code", "CYB-7001-1"),
        ("activity", "CYB-7001"),
        ("start", "2026-09-14T09:00"),
        ("end", "2026-09-18T17:00"),
        ("time_zone", "Europe/Tallinn"),
        ("place", "Tallinn"),
        ("capacity", "24"),
        ("quota", "2"),
        ("deadline", "2026-08-01"),
        ("status", "open"),
        ("mode", "at_deadline"),
    ];
    assert_eq!(app.get_with("/events/new?activity=CYB-7001", &staff).await.status, StatusCode::OK);
    let backwards =
        app.post_form("/events", Some(&staff), &with(&event, &[("end", "2026-09-13T17:00")], &staff.csrf)).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.text().contains(r#"id="f-end-error""#), "{}", backwards.text());
    assert_eq!(app.get("/api/v1/events/CYB-7001-1").await.status, StatusCode::NOT_FOUND);
    let scheduled = app.post_form("/events", Some(&staff), &with(&event, &[], &staff.csrf)).await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER, "{}", scheduled.text());
    let moved =
        app.post_form("/events/CYB-7001-1/edit", Some(&staff), &with(&event, &[("place", "Tartu")], &staff.csrf)).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.text());
    let page = app.get_with("/events/CYB-7001-1", &staff).await.text();
    assert!(page.contains("Tartu") && page.contains(r#"id="edit-event""#), "{page}");

    // A quota above the capacity is refused at the quota, and the event keeps its place.
    let refused =
        app.post_form("/events/CYB-7001-1/edit", Some(&staff), &with(&event, &[("quota", "40")], &staff.csrf)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains(r#"id="f-quota-error""#), "{}", refused.text());
    assert_eq!(app.get_json("/api/v1/events/CYB-7001-1").await["place"], "Tartu");

    let actions: Vec<String> = app.audit_actions().await.into_iter().map(|(_, action)| action).collect();
    for action in ["activity.create", "activity.update", "event.create", "event.update"] {
        assert!(actions.iter().any(|a| a == action), "{action} is audited: {actions:?}");
    }

    // A partner officer is offered no form and may post none.
    let officer = app.officer("GE").await;
    let officer = app.sign_in(&officer, PASSWORD).await.unwrap();
    assert_eq!(app.get_with("/activities/new", &officer).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get_with("/activities/CYB-7001/edit?year=2026", &officer).await.status, StatusCode::FORBIDDEN);
    let page = app.get_with("/activities/CYB-7001?year=2026", &officer).await.text();
    assert!(!page.contains(r#"id="edit-activity""#), "{page}");
    let posted =
        app.post_form("/activities", Some(&officer), &with(&ACTIVITY, &[("code", "CYB-7002")], &officer.csrf)).await;
    assert_eq!(posted.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/activities/CYB-7002").await.status, StatusCode::NOT_FOUND);
}

async fn a_council_secretary_records_a_decision_on_the_page(app: TestApp) {
    let approver = signed_in(&app, Role::Approver).await;
    let page = app.get_with("/decisions", &approver).await.text();
    assert!(page.contains(r#"id="new-decision""#), "{page}");
    assert_eq!(app.get_with("/decisions/new", &approver).await.status, StatusCode::OK);
    let decision = [
        ("kind", "opens"),
        ("nations", "AU, JP"),
        ("scope", "area:CYBER"),
        ("decided_on", "2026-03-02"),
        ("from", "2026-03-02"),
        ("to", "2027-03-01"),
        ("reference", "PO(2026)0042"),
    ];
    let unknown =
        app.post_form("/decisions", Some(&approver), &with(&decision, &[("nations", "AU, XX")], &approver.csrf)).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text().contains(r#"id="f-nations-error""#), "{}", unknown.text());
    let backwards =
        app.post_form("/decisions", Some(&approver), &with(&decision, &[("to", "2025-01-01")], &approver.csrf)).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.text().contains(r#"id="f-to-error""#), "{}", backwards.text());
    let before = app.get_json("/api/v1/decisions").await.as_array().unwrap().len();
    let recorded = app.post_form("/decisions", Some(&approver), &with(&decision, &[], &approver.csrf)).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.text());
    let decisions = app.get_json("/api/v1/decisions").await;
    assert_eq!(decisions.as_array().unwrap().len(), before + 1);
    let listed = app.get("/decisions").await.text();
    assert!(listed.contains("PO(2026)0042") && listed.contains("AU, JP"), "{listed}");

    // The policies are staff's: an approver edits none.
    assert_eq!(app.get_with("/policies/BERLIN_2011/edit", &approver).await.status, StatusCode::FORBIDDEN);
    let staff = signed_in(&app, Role::Staff).await;
    let edit = app.get_with("/policies/BERLIN_2011/edit", &staff).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.text().contains(r#"value="2011-04-15""#), "{}", edit.text());
    let policy = [
        ("code", "BERLIN_2011"),
        ("editing", "1"),
        ("rule", "all_partners"),
        ("from", "2011-04-15"),
        ("to", ""),
        ("title_en", "Berlin partnership policy: one menu for all partners"),
        ("title_fr", "Politique de partenariat de Berlin"),
        ("source", "https://www.nato.int/cps/en/natohq/topics_84336.htm"),
    ];
    let backwards =
        app.post_form("/policies", Some(&staff), &with(&policy, &[("to", "2010-01-01")], &staff.csrf)).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.text().contains(r#"id="f-to-error""#), "{}", backwards.text());
    let saved = app.post_form("/policies", Some(&staff), &with(&policy, &[], &staff.csrf)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    let policies = app.get_json("/api/v1/policies").await;
    let berlin = policies.as_array().unwrap().iter().find(|p| p["code"] == "BERLIN_2011").unwrap().clone();
    assert_eq!(berlin["title_en"], "Berlin partnership policy: one menu for all partners");

    // The new-policy form does not replace a policy in force unawares.
    let fresh: Vec<(&str, &str)> = policy.iter().filter(|(k, _)| *k != "editing").copied().collect();
    let taken = app.post_form("/policies", Some(&staff), &with(&fresh, &[], &staff.csrf)).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert!(taken.text().contains(r#"id="form-error""#), "{}", taken.text());
}

#[tokio::test]
async fn two_menus_are_compared_on_a_page() {
    let app = TestApp::sqlite().await;
    let staff = signed_in(&app, Role::Staff).await;
    let menus: [&[(&str, &str)]; 4] = [
        &[("year", "2025"), ("open_to", "PFP")],
        &[("year", "2025"), ("code", "OLD-0001")],
        &[],
        &[("code", "NEW-0001")],
    ];
    for changes in menus {
        let answer = app.post_form("/activities", Some(&staff), &with(&ACTIVITY, changes, &staff.csrf)).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    }

    let changed = app.get("/menu/compare?from=2025&to=2026").await;
    assert_eq!(changed.status, StatusCode::OK);
    let text = changed.text();
    assert!(text.contains(r#"<tr data-code="CYB-7001">"#), "{text}");
    assert!(text.contains("<del>PFP</del>") && text.contains("<ins>PARTNERS</ins>"), "{text}");
    let added = app.get("/menu/compare?from=2025&to=2026&show=added").await.text();
    assert!(added.contains(r#"data-code="NEW-0001""#) && !added.contains(r#"data-code="OLD-0001""#), "{added}");
    let removed = app.get("/menu/compare?from=2025&to=2026&show=removed&lang=fr").await.text();
    assert!(removed.contains(r#"data-code="OLD-0001""#) && removed.contains("Retirées (1)"), "{removed}");
    assert_eq!(app.get("/menu/compare?show=everything").await.status, StatusCode::BAD_REQUEST);
    // A year without a menu is still the one the form shows as chosen.
    let empty = app.get("/menu/compare?from=2019&to=2026&show=added").await.text();
    assert!(empty.contains(r#"<option value="2019" selected>"#), "{empty}");
    assert!(empty.contains("Added (2)"), "{empty}");
}
