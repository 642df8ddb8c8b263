//! Regular assessments end to end: indicators and their refusals, the review workflow
//! (draft, submitted, returned, approved and locked, corrected by a new version) and who
//! may take each step, on both backends; concurrent approvals and corrections; progress
//! rolled up with missing data shown as missing; the world map's colours on three days;
//! the demo set; and the yearly workbook read by an independent reader (openpyxl).

use entente_core::{Affiliation, Classification, Role};
use serde_json::json;

use crate::seats::{officer_token, staff_token};
use crate::support::{TestApp, on_both_backends};

async fn approver_token(app: &TestApp, email: &str) -> String {
    let email = app.user(email, Role::Approver, Affiliation::AllianceStaff, Classification::Restricted).await;
    app.token(&email, true).await
}

/// Georgia's PARP goal with two indicators (one a milestone) and her PARP survey of 2026;
/// returns (review, indicator, milestone).
async fn georgias_parp(app: &TestApp, staff: &str) -> (i64, i64, i64) {
    let goal = json!({ "nation": "GE", "round_year": 2026, "code": "PG-GE-1", "title": "Deployable forces" });
    let goal = app.post_json("/api/v1/parp-goals", staff, &goal).await;
    assert_eq!(goal.status, 201, "{}", goal.text());
    let goal = goal.json()["id"].as_i64().unwrap();
    let indicator = json!({ "parp_goal": goal, "title": "Units declared", "unit": "units", "direction": "higher",
        "baseline": 2, "baseline_date": "2024-01-01", "target": 12, "target_date": "2028-12-31" });
    let indicator = app.post_json("/api/v1/indicators", staff, &indicator).await;
    assert_eq!(indicator.status, 201, "{}", indicator.text());
    let milestone = json!({ "parp_goal": goal, "title": "Doctrine adopted", "direction": "milestone",
        "baseline": 0, "baseline_date": "2024-01-01", "target": 1, "target_date": "2028-12-31" });
    let milestone = app.post_json("/api/v1/indicators", staff, &milestone).await;
    assert_eq!(milestone.status, 201, "{}", milestone.text());
    let survey = json!({ "nation": "GE", "cycle": "parp", "year": 2026, "stage": "survey", "deadline": "2026-12-01" });
    let review = app.post_json("/api/v1/reviews", staff, &survey).await;
    assert_eq!(review.status, 201, "{}", review.text());
    (
        review.json()["id"].as_i64().unwrap(),
        indicator.json()["id"].as_i64().unwrap(),
        milestone.json()["id"].as_i64().unwrap(),
    )
}

on_both_backends!(bad_indicators_and_measurements_are_refused_naming_the_field);

async fn bad_indicators_and_measurements_are_refused_naming_the_field(app: TestApp) {
    let staff = staff_token(&app).await;
    let (review, indicator, milestone) = georgias_parp(&app, &staff).await;
    let goal = app.get_json("/api/v1/progress/GE?year=2026").await;
    assert_eq!(goal["parp"]["goals"].as_array().unwrap().len(), 0, "an anonymous caller sees no REL TO GE goal");
    let officer = officer_token(&app, "GE").await;
    let session = app.sign_in("officer.ge@example.org", crate::support::PASSWORD).await.unwrap();
    let before = app.audit_actions().await.len();
    let backwards = json!({ "parp_goal": 1, "title": "T", "direction": "higher", "baseline": 1,
        "baseline_date": "2026-01-01", "target": 5, "target_date": "2025-01-01" });
    let refused = app.post_json("/api/v1/indicators", &staff, &backwards).await;
    assert_eq!(
        (refused.status.as_u16(), refused.json()["field"].as_str()),
        (422, Some("target_date")),
        "{}",
        refused.text()
    );
    let worse = json!({ "parp_goal": 1, "title": "T", "direction": "lower", "baseline": 10,
        "baseline_date": "2024-01-01", "target": 20, "target_date": "2028-01-01" });
    let refused = app.post_json("/api/v1/indicators", &staff, &worse).await;
    assert_eq!(refused.json()["field"], "target", "{}", refused.text());
    // On the page: the form comes back with the reason beside the date, in French, and
    // what was typed is kept.
    let page = app
        .post_form(
            "/indicators?lang=fr",
            Some(&session),
            &[
                ("csrf", &session.csrf),
                ("parp_goal", "1"),
                ("title", "Cyber staff trained"),
                ("direction", "higher"),
                ("baseline", "10"),
                ("baseline_date", "2026-01-01"),
                ("target", "50"),
                ("target_date", "2025-01-01"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    let html = page.text();
    assert!(html.contains("value=\"Cyber staff trained\""), "what was typed is kept");
    let date_field = html.split("id=\"f-target_date\"").nth(1).unwrap();
    assert!(
        date_field
            .starts_with(" name=\"target_date\" type=\"date\" value=\"2025-01-01\" required aria-invalid=\"true\""),
        "{date_field}"
    );
    assert!(html.contains("n’est pas postérieure à la date de référence 2026-01-01"), "the reason in French");

    let measure =
        |indicator: i64, date: &str, value: f64| json!({ "indicator": indicator, "date": date, "value": value });
    let uri = format!("/api/v1/reviews/{review}/measurements");
    let outside = app.post_json(&uri, &officer, &measure(indicator, "2030-01-01", 5.0)).await;
    assert_eq!((outside.status.as_u16(), outside.json()["field"].as_str()), (422, Some("date")), "{}", outside.text());
    let half_done = app.post_json(&uri, &officer, &measure(milestone, "2026-06-01", 0.5)).await;
    assert_eq!((half_done.status.as_u16(), half_done.json()["field"].as_str()), (422, Some("value")));
    assert!(half_done.json()["detail"].as_str().unwrap().contains("milestone"), "{}", half_done.text());
    assert_eq!(app.audit_actions().await.len(), before, "refused input changes nothing");
    let detail = app.get_bearer(&format!("/api/v1/reviews/{review}"), &officer).await.json();
    assert_eq!(detail["measurements"].as_array().unwrap().len(), 0);

    // Another partner's officer does not learn the review exists, nor Georgia's goal: a
    // hidden goal gets the answer of one that does not exist.
    let ukraine = officer_token(&app, "UA").await;
    assert_eq!(app.get_bearer(&format!("/api/v1/reviews/{review}"), &ukraine).await.status, 404);
    assert_eq!(app.post_json(&uri, &ukraine, &measure(indicator, "2026-06-01", 5.0)).await.status, 404);
    let on_goal = |goal: i64| {
        json!({ "parp_goal": goal, "title": "T", "direction": "higher", "baseline": 1,
        "baseline_date": "2024-01-01", "target": 5, "target_date": "2028-01-01" })
    };
    let hidden = app.post_json("/api/v1/indicators", &ukraine, &on_goal(1)).await;
    let missing = app.post_json("/api/v1/indicators", &ukraine, &on_goal(999_999)).await;
    assert_eq!(
        (hidden.status, hidden.json()["detail"].as_str().map(|d| d.replace("1 ", "N "))),
        (missing.status, missing.json()["detail"].as_str().map(|d| d.replace("999999 ", "N ")))
    );

    // An indicator released to all, measured in Georgia's review (released to Georgia): a
    // Ukrainian officer sees the indicator, not the figure.
    let open = json!({ "parp_goal": 1, "title": "Public indicator", "direction": "higher", "baseline": 0,
        "baseline_date": "2024-01-01", "target": 10, "target_date": "2028-01-01", "marking": "UNCLASSIFIED" });
    let open = app.post_json("/api/v1/indicators", &staff, &open).await.json()["id"].as_i64().unwrap();
    assert_eq!(app.post_json(&uri, &officer, &measure(open, "2026-06-01", 5.0)).await.status, 201);
    let seen_by_georgia = app.get_bearer("/api/v1/progress/GE?year=2026", &officer).await.json();
    assert_eq!(seen_by_georgia["progress"], 0.5);
    assert_eq!(seen_by_georgia["marking"], "UNCLASSIFIED REL TO GE");
    let seen_by_ukraine = app.get_bearer("/api/v1/progress/GE?year=2026", &ukraine).await.json();
    assert!(seen_by_ukraine["progress"].is_null(), "{seen_by_ukraine}");

    // An approver who works for a nation does not judge assessments.
    let approver = app
        .user(
            "approver.ge@example.org",
            Role::Approver,
            Affiliation::Nation("GE".parse().unwrap()),
            Classification::Restricted,
        )
        .await;
    let approver = app.token(&approver, true).await;
    let steps = format!("/api/v1/reviews/{review}/steps");
    assert_eq!(app.post_json(&steps, &officer, &json!({ "step": "submit" })).await.status, 200);
    assert_eq!(app.post_json(&steps, &approver, &json!({ "step": "approve" })).await.status, 403);
}

on_both_backends!(a_review_is_drafted_returned_corrected_approved_locked_and_versioned);

async fn a_review_is_drafted_returned_corrected_approved_locked_and_versioned(app: TestApp) {
    let staff = staff_token(&app).await;
    let (review, indicator, milestone) = georgias_parp(&app, &staff).await;
    let officer = officer_token(&app, "GE").await;
    let approver = approver_token(&app, "approver.reviews@example.org").await;
    let at = |path: &str| format!("/api/v1/reviews/{review}{path}");
    let step = |name: &str, comments: &str| json!({ "step": name, "comments": comments });

    let own = app
        .post_json(&at("/parts"), &officer, &json!({ "part": "self_assessment", "text": "Two units declared." }))
        .await;
    assert_eq!(own.status, 200, "{}", own.text());
    let not_hers = app.post_json(&at("/parts"), &officer, &json!({ "part": "staff_assessment", "text": "x" })).await;
    assert_eq!((not_hers.status.as_u16(), not_hers.json()["field"].as_str()), (422, Some("part")));
    let staffs =
        app.post_json(&at("/parts"), &staff, &json!({ "part": "staff_assessment", "text": "Behind plan." })).await;
    assert_eq!(staffs.status, 200);
    let measured = app
        .post_json(&at("/measurements"), &officer, &json!({ "indicator": indicator, "date": "2026-06-01", "value": 4 }))
        .await;
    assert_eq!(measured.status, 201, "{}", measured.text());

    // Only an approver decides, and only what was submitted.
    assert_eq!(app.post_json(&at("/steps"), &officer, &step("approve", "")).await.status, 403);
    assert_eq!(app.post_json(&at("/steps"), &approver, &step("approve", "")).await.status, 409);
    assert_eq!(app.post_json(&at("/steps"), &officer, &step("submit", "")).await.status, 200);
    assert_eq!(app.post_json(&at("/steps"), &officer, &step("approve", "")).await.status, 403);
    let silent = app.post_json(&at("/steps"), &approver, &step("return", "")).await;
    assert_eq!((silent.status.as_u16(), silent.json()["field"].as_str()), (422, Some("comments")));
    let returned = app.post_json(&at("/steps"), &approver, &step("return", "Say which units.")).await;
    assert_eq!(returned.json()["status"], "returned", "{}", returned.text());
    assert_eq!(returned.json()["comments"], "Say which units.");

    // She corrects and submits again; the approver approves: locked.
    let corrected = json!({ "part": "self_assessment", "text": "Two light infantry companies declared." });
    assert_eq!(app.post_json(&at("/parts"), &officer, &corrected).await.status, 200);
    assert_eq!(app.post_json(&at("/steps"), &officer, &step("submit", "")).await.status, 200);
    let approved = app.post_json(&at("/steps"), &approver, &step("approve", "Thank you.")).await;
    assert_eq!(
        (approved.json()["status"].as_str(), approved.json()["locked"].as_bool()),
        (Some("approved"), Some(true))
    );

    // A locked review refuses every edit with 409, and nothing changes.
    let edit = app
        .post_json(&at("/measurements"), &officer, &json!({ "indicator": indicator, "date": "2026-07-01", "value": 9 }))
        .await;
    assert_eq!(edit.status, 409, "{}", edit.text());
    assert_eq!(
        app.post_json(&at("/parts"), &officer, &json!({ "part": "self_assessment", "text": "x" })).await.status,
        409
    );
    assert_eq!(app.post_json(&at("/steps"), &approver, &step("return", "late")).await.status, 409);
    let locked = app.get_bearer(&at(""), &officer).await.json();
    assert_eq!(locked["measurements"][0]["value"], 4.0);
    assert_eq!(locked["review"]["self_assessment"], "Two light infantry companies declared.");

    // A correction is a new version; the approved one is kept as it was.
    let v2 = app.post_json(&at("/correct"), &officer, &json!({})).await;
    assert_eq!(v2.status, 201, "{}", v2.text());
    let v2 = v2.json();
    assert_eq!(
        (v2["version"].as_i64(), v2["status"].as_str(), v2["corrects"].as_i64()),
        (Some(2), Some("draft"), Some(review))
    );
    let v2_id = v2["id"].as_i64().unwrap();
    assert_eq!(app.post_json(&at("/correct"), &officer, &json!({})).await.status, 409, "corrected once");
    let more = json!({ "indicator": milestone, "date": "2026-08-01", "value": 1 });
    assert_eq!(app.post_json(&format!("/api/v1/reviews/{v2_id}/measurements"), &officer, &more).await.status, 201);
    let old = app.get_bearer(&at(""), &staff).await.json();
    assert_eq!(
        (old["review"]["status"].as_str(), old["review"]["superseded"].as_bool()),
        (Some("approved"), Some(true))
    );
    assert_eq!(old["measurements"].as_array().unwrap().len(), 1, "the approved version keeps what it had");
    let current = app.get_bearer("/api/v1/reviews?nation=GE", &staff).await.json();
    let ids: Vec<i64> = current.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [v2_id], "lists show the current version");
    let versions = app.get_bearer(&format!("/api/v1/reviews/{v2_id}"), &staff).await.json();
    assert_eq!(versions["versions"].as_array().unwrap().len(), 2);

    // Progress: the indicator at 4 of 2 -> 12 is 20 %, the milestone done; the goal is their mean.
    let progress = app.get_bearer("/api/v1/progress/GE?year=2026", &officer).await.json();
    let goal = &progress["parp"]["goals"][0];
    let values: Vec<f64> =
        goal["indicator_progress"].as_array().unwrap().iter().map(|i| i["progress"].as_f64().unwrap()).collect();
    assert_eq!(values, [0.2, 1.0]);
    assert!((goal["progress"].as_f64().unwrap() - 0.6).abs() < 1e-9, "{goal}");
    assert_eq!(progress["progress"], goal["progress"], "the PARP is Georgia's only part");

    let actions: Vec<String> = app.audit_actions().await.into_iter().map(|(_, a)| a).collect();
    for expected in [
        "parp_goal.create",
        "indicator.create",
        "review.open",
        "review.write",
        "measurement.record",
        "review.step",
        "review.correct",
    ] {
        assert!(actions.iter().any(|a| a == expected), "{expected} is in the audit trail");
    }
}

/// Sends every (uri, token, body) at once, each from its own task; their statuses in order.
async fn all_at_once(app: &TestApp, requests: Vec<(String, String, serde_json::Value)>) -> Vec<u16> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(uri, token, body)| {
            let router = app.router.clone();
            tokio::spawn(async move {
                use tower::ServiceExt;
                let request = axum::http::Request::post(&uri)
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(body.to_string()))
                    .unwrap();
                router.oneshot(request).await.unwrap().status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

on_both_backends!(concurrent_approvals_and_corrections_take_effect_once);

async fn concurrent_approvals_and_corrections_take_effect_once(app: TestApp) {
    let staff = staff_token(&app).await;
    let (review, _, _) = georgias_parp(&app, &staff).await;
    let officer = officer_token(&app, "GE").await;
    let first = approver_token(&app, "approver.one@example.org").await;
    let second = approver_token(&app, "approver.two@example.org").await;
    let uri = format!("/api/v1/reviews/{review}/steps");
    assert_eq!(app.post_json(&uri, &officer, &json!({ "step": "submit" })).await.status, 200);
    // Two approvers, ten clicks each, half returning and half approving: exactly one wins.
    let decisions = (0..20)
        .map(|n| {
            let token = if n % 2 == 0 { first.clone() } else { second.clone() };
            let body =
                if n % 4 < 2 { json!({ "step": "approve" }) } else { json!({ "step": "return", "comments": "again" }) };
            (uri.clone(), token, body)
        })
        .collect();
    let statuses = all_at_once(&app, decisions).await;
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 19, "{statuses:?}");
    let steps = app.audit_actions().await.into_iter().filter(|(_, a)| a == "review.step").count();
    assert_eq!(steps, 2, "the submission and the one decision");

    let status = app.get_bearer(&format!("/api/v1/reviews/{review}"), &staff).await.json()["review"]["status"].clone();
    if status == "returned" {
        assert_eq!(app.post_json(&uri, &officer, &json!({ "step": "submit" })).await.status, 200);
        assert_eq!(app.post_json(&uri, &first, &json!({ "step": "approve" })).await.status, 200);
    }
    // Ten corrections at once, from the officer and the staff: one new version.
    let correct = format!("/api/v1/reviews/{review}/correct");
    let corrections = (0..10)
        .map(|n| (correct.clone(), if n % 2 == 0 { officer.clone() } else { staff.clone() }, json!({})))
        .collect();
    let statuses = all_at_once(&app, corrections).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    let versions = app.get_bearer(&format!("/api/v1/reviews/{review}"), &staff).await.json()["versions"].clone();
    assert_eq!(versions.as_array().unwrap().len(), 2, "{versions}");
}

on_both_backends!(force_evaluations_go_in_order_and_certify_for_three_years);

async fn force_evaluations_go_in_order_and_certify_for_three_years(app: TestApp) {
    let staff = staff_token(&app).await;
    let officer = officer_token(&app, "GE").await;
    let unit = json!({ "nation": "GE", "name": "Light infantry company", "unit_type": "infantry", "size": 120,
        "declared_on": "2022-01-10" });
    let unit = app.post_json("/api/v1/units", &officer, &unit).await;
    assert_eq!(unit.status, 201, "{}", unit.text());
    let uri = format!("/api/v1/units/{}/steps", unit.json()["id"]);
    let step = |name: &str, date: &str| {
        json!({ "step": name, "date": date, "evaluator": "team", "passed": true,
        "tasks_passed": 40, "tasks_total": 42 })
    };
    let early = app.post_json(&uri, &officer, &step("SEL2", "2022-03-01")).await;
    assert_eq!((early.status.as_u16(), early.json()["field"].as_str()), (422, Some("step")), "{}", early.text());
    assert_eq!(app.post_json(&uri, &officer, &step("SEL1", "2022-03-01")).await.status, 201);
    assert_eq!(app.post_json(&uri, &officer, &step("NEL1", "2022-06-01")).await.status, 403, "NATO evaluates");
    assert_eq!(app.post_json(&uri, &staff, &step("NEL1", "2022-06-01")).await.status, 201);
    let before = app.post_json(&uri, &officer, &step("SEL2", "2022-05-01")).await;
    assert_eq!(before.json()["field"], "date", "{}", before.text());
    assert_eq!(app.post_json(&uri, &officer, &step("SEL2", "2023-02-01")).await.status, 201);
    let certified = app.post_json(&uri, &staff, &step("NEL2", "2023-05-15")).await;
    assert_eq!(certified.json()["certified_on"], "2023-05-15", "{}", certified.text());
    assert_eq!(certified.json()["expires_on"], "2026-05-15");
    let due = app.get_bearer("/api/v1/units?due=true", &staff).await.json();
    let lapsed = chrono::Utc::now().date_naive() >= "2025-11-15".parse::<chrono::NaiveDate>().unwrap();
    assert_eq!(due.as_array().unwrap().len(), usize::from(lapsed), "due within six months of 2026-05-15");
}

#[tokio::test]
async fn the_map_colours_each_nation_by_its_standing_on_the_day() {
    let app = TestApp::sqlite().await;
    let class_of = |svg: &str, code: &str| -> String {
        let at = svg.find(&format!("data-nation=\"{code}\"")).unwrap_or_else(|| panic!("no shape for {code}"));
        let rest = &svg[at..];
        let start = rest.find("class=\"").unwrap() + 7;
        rest[start..].split(['"', ' ']).next().unwrap().to_owned()
    };
    let mut seen = Vec::new();
    for day in ["1998-01-01", "2004-06-01", "2024-06-01"] {
        let answer = app.get(&format!("/map.svg?at={day}")).await;
        assert_eq!(answer.status, 200);
        let svg = answer.text();
        assert!(svg.starts_with("<svg") && svg.contains("<title"), "an SVG with its text alternative");
        seen.push(["EE", "SE", "FI", "US", "IN", "AQ"].map(|c| class_of(&svg, c)));
    }
    // Estonia a partner, then a member from 29 March 2004; Sweden and Finland partners until
    // they joined (2024 and 2023); India in dialogue in 2024; Antarctica nothing.
    assert_eq!(seen[0], ["partner", "partner", "partner", "member", "none", "none"]);
    assert_eq!(seen[1], ["member", "partner", "partner", "member", "none", "none"]);
    assert_eq!(seen[2], ["member", "member", "member", "member", "dialogue", "none"]);
    let bad = app.get("/map.svg?at=2004-13-01").await;
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("at"), "{}", bad.text());
    let page = app.get("/map?at=2004-06-01").await.text();
    assert!(page.contains("href=\"/nations/EE?at=2004-06-01\""), "each country links to its nation page");
}

on_both_backends!(the_demo_set_rolls_up_and_the_workbook_opens_in_openpyxl);

async fn the_demo_set_rolls_up_and_the_workbook_opens_in_openpyxl(app: TestApp) {
    let registry = app.services.registry.snapshot().await.unwrap();
    let operator = entente::service::accounts::Actor::operator();
    let added = entente::service::demo_assessments::load(&app.services.db, &operator, &registry, 7).await.unwrap();
    assert!(added.nations > 20, "{added:?}");
    assert_eq!(added.indicators, added.nations * 62, "60 programme and 2 PARP indicators each");
    let again = entente::service::demo_assessments::load(&app.services.db, &operator, &registry, 7).await.unwrap();
    assert_eq!(again.nations, 0, "a second load adds nothing");

    let staff = staff_token(&app).await;
    let year = chrono::Datelike::year(&chrono::Utc::now()).to_string();
    let overview = app.get_bearer(&format!("/api/v1/progress?year={year}"), &staff).await.json();
    let nations = overview["nations"].as_array().unwrap();
    assert_eq!(nations.len(), added.nations);
    for n in nations {
        let p = n["progress"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p), "{n}");
        assert!(n["measured"].as_u64().unwrap() <= n["indicators"].as_u64().unwrap());
    }
    let anonymous = app.get_json(&format!("/api/v1/progress?year={year}")).await;
    assert_eq!(anonymous["nations"].as_array().unwrap().len(), 0, "REL TO each nation: no figures for strangers");

    let workbook = app.get_bearer(&format!("/reports/GE/{year}.xlsx"), &staff).await;
    assert_eq!(workbook.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ge.xlsx");
    std::fs::write(&path, &workbook.body).unwrap();
    let script = r#"
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
assert book.sheetnames == ["Summary", "DEMO-GE-ITPP", "PARP"], book.sheetnames
summary = book["Summary"]
assert summary["A1"].value == "Nation" and "GE" in summary["B1"].value, summary["B1"].value
sheet = book["DEMO-GE-ITPP"]
header = [c.value for c in sheet[1]]
assert header[:3] == ["Objective", "Goal", "Indicator"] and header[10] == "Progress", header
rows = list(sheet.iter_rows(min_row=2, values_only=True))
assert len(rows) == 60, len(rows)
for row in rows:
    assert row[10] is None or 0 <= row[10] <= 1, row
    assert (row[10] is None) == (row[11] == "no data"), row
print(len(rows), sum(1 for r in rows if r[10] is None))
"#;
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().unwrap();
    assert!(out.status.success(), "openpyxl: {}", String::from_utf8_lossy(&out.stderr));

    let report = app.get_bearer(&format!("/reports/GE/{year}"), &staff).await;
    assert_eq!(report.status, 200);
    assert!(report.text().contains("Georgia") && report.text().contains("DEMO-GE-ITPP"));
    let findings = app.get_bearer(&format!("/api/v1/data-quality?year={year}"), &staff).await.json();
    let kinds: Vec<&str> = findings.as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"programme_without_work_plan"), "{kinds:?}");
}
