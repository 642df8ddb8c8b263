//! Tailored programmes end to end through the API: a partner officer and the staff build a
//! draft (objectives, goals, supports, a work plan), submit it; the council's decision and
//! the partner's acceptance agree it; nobody edits the agreed version (409); an amendment is
//! a new version whose changes are listed; historical programmes come from the reference
//! data.

use axum::http::StatusCode;
use serde_json::json;

use crate::seats::{event, next_year, officer_token, staff_token};
use crate::support::{TestApp, on_both_backends};

on_both_backends!(a_programme_is_built_agreed_executed_and_amended);

async fn a_programme_is_built_agreed_executed_and_amended(app: TestApp) {
    let staff = staff_token(&app).await;
    let georgia = officer_token(&app, "GE").await;
    let ukraine = officer_token(&app, "UA").await;
    let approver_email = app
        .user(
            "approver@example.org",
            entente_core::Role::Approver,
            entente_core::Affiliation::AllianceStaff,
            entente_core::Classification::Restricted,
        )
        .await;
    let approver = app.token(&approver_email, true).await;
    event(&app, &staff, "PRG-CYB", 20, None, "first_come").await;
    let year = next_year();

    // Ukraine's officer may not start Georgia's programme; Georgia's may.
    let input = json!({ "nation": "GE", "kind": "itpp", "title": "Georgia ITPP", "starts": format!("{year}-01-01") });
    assert_eq!(app.post_json("/api/v1/programmes", &ukraine, &input).await.status, StatusCode::FORBIDDEN);
    let created = app.post_json("/api/v1/programmes", &georgia, &input).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let code = created.json()["code"].as_str().unwrap().to_owned();
    assert_eq!(created.json()["ends"], format!("{}-12-31", year + 3), "an ITPP runs four years");
    let uri = |path: &str| format!("/api/v1/programmes/{code}{path}");

    let objective = app.post_json(&uri("/objectives"), &georgia, &json!({ "title": "Cyber resilience" })).await;
    assert_eq!(objective.status, StatusCode::CREATED, "{}", objective.text());
    let objective = objective.json()["id"].as_i64().unwrap();
    let goal =
        app.post_json(&uri("/goals"), &staff, &json!({ "objective": objective, "title": "A national CERT" })).await;
    let goal = goal.json()["id"].as_i64().unwrap();
    let support = app.post_json(&uri("/supports"), &georgia, &json!({ "goal": goal, "item": "PRG-CYB-1" })).await;
    assert_eq!(support.status, StatusCode::NO_CONTENT, "{}", support.text());
    let unknown = app.post_json(&uri("/supports"), &georgia, &json!({ "goal": goal, "item": "NOPE-1" })).await;
    assert_eq!((unknown.status, unknown.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("item")));
    let item = json!({ "year": year, "goal": goal, "item": "PRG-CYB-1", "priority": 1 });
    assert_eq!(app.post_json(&uri("/work-plan"), &georgia, &item).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.post_json(&uri("/work-plan"), &georgia, &item).await.status, StatusCode::CONFLICT, "once a year");

    // Submitted, then agreed only once both the council and the partner have said yes.
    let step = |s: &str, reference: &str| json!({ "step": s, "reference": reference });
    assert_eq!(app.post_json(&uri("/steps"), &georgia, &step("submit", "")).await.json()["status"], "submitted");
    let refused = app.post_json(&uri("/steps"), &georgia, &step("council_decision", "PO(2027)0001")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "only an approver records the council's decision");
    let decided = app.post_json(&uri("/steps"), &approver, &step("council_decision", "PO(2027)0001")).await;
    assert_eq!(decided.json()["status"], "submitted", "{}", decided.text());
    let on_her_behalf = app.post_json(&uri("/steps"), &approver, &step("partner_acceptance", "")).await;
    assert_eq!(on_her_behalf.status, StatusCode::FORBIDDEN, "the partner's acceptance is hers alone");
    let accepted = app.post_json(&uri("/steps"), &georgia, &step("partner_acceptance", "")).await;
    assert_eq!(accepted.json()["status"], "agreed", "{}", accepted.text());

    // Nobody edits the agreed version.
    let edit = json!({ "title": "Changed", "starts": format!("{year}-01-01"), "ends": format!("{}-12-31", year + 3) });
    let request = axum::http::Request::put(uri(""))
        .header("authorization", format!("Bearer {staff}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(edit.to_string()))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::CONFLICT);
    let more = app.post_json(&uri("/objectives"), &georgia, &json!({ "title": "More" })).await;
    assert_eq!(more.status, StatusCode::CONFLICT);

    // Executed, then amended: version 2, a draft; its changes against version 1.
    assert_eq!(app.post_json(&uri("/steps"), &staff, &step("execute", "")).await.json()["status"], "in_execution");
    let amended = app.post_json(&uri("/amend"), &georgia, &json!({})).await;
    assert_eq!(
        (amended.status, amended.json()["version"].as_i64()),
        (StatusCode::CREATED, Some(2)),
        "{}",
        amended.text()
    );
    let shown = app.get_bearer(&uri(""), &georgia).await.json();
    assert_eq!(shown["objectives"][0]["goals"][0]["supports"][0], "PRG-CYB-1");
    let new_goal = shown["objectives"][0]["goals"][0]["id"].as_i64().unwrap();
    app.post_json(&uri("/objectives"), &georgia, &json!({ "title": "Interoperability" })).await;
    let support = app.post_json(&uri("/supports"), &georgia, &json!({ "goal": new_goal, "item": "PRG-CYB" })).await;
    assert_eq!(support.status, StatusCode::NO_CONTENT);
    let changes = app.get_bearer(&uri("/changes"), &georgia).await.json();
    assert_eq!((changes["from_version"].as_i64(), changes["to_version"].as_i64()), (Some(1), Some(2)));
    let listed: Vec<String> = changes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} {} {}", c["path"].as_str().unwrap(), c["before"], c["after"]))
        .collect();
    assert_eq!(listed, ["objective 1 / goal 1 / support null \"PRG-CYB\"", "objective 2 null \"Interoperability\""]);

    // From the pages: the activity's page offers Georgia's plan; its form adds the activity.
    let session = app.sign_in("officer.ge@example.org", crate::support::PASSWORD).await.unwrap();
    // The programme page offers Georgia the steps she may take on the draft, and no other.
    let programme_page = app.get_with(&format!("/programmes/{code}"), &session).await.text();
    assert!(programme_page.contains("id=\"step-submit\"") && programme_page.contains("id=\"add-objective\""));
    assert!(!programme_page.contains("id=\"step-council_decision\"") && !programme_page.contains("id=\"amend\""));
    let page = app.get_with("/activities/PRG-CYB?lang=fr", &session).await.text();
    assert!(page.contains(&format!("id=\"work-plan-{code}\"")), "the activity page offers the work plan");
    let year_text = year.to_string();
    let goal_text = new_goal.to_string();
    let added = app
        .post_form(
            &format!("/programmes/{code}/work-plan"),
            Some(&session),
            &[
                ("csrf", &session.csrf),
                ("item", "PRG-CYB"),
                ("goal", &goal_text),
                ("year", &year_text),
                ("priority", "2"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
    let plan = app.get_bearer(&uri(""), &georgia).await.json()["work_plan"].clone();
    assert!(plan.as_array().unwrap().iter().any(|i| i["item"] == "PRG-CYB" && i["priority"] == 2), "{plan}");

    // Ukraine does not see Georgia's programme (marked releasable to Georgia).
    assert_eq!(app.get_bearer(&uri(""), &ukraine).await.status, StatusCode::NOT_FOUND);
    let actions = app.audit_actions().await;
    for action in [
        "programme.create",
        "programme.submit",
        "programme.council_decision",
        "programme.partner_acceptance",
        "programme.amend",
        "work_plan.add",
    ] {
        assert!(actions.iter().any(|(_, a)| a == action), "{action} is audited");
    }
}

/// The reference data's programme documents are historical programmes.
#[tokio::test]
async fn historical_programmes_come_from_the_reference_data() {
    let app = TestApp::sqlite().await;
    let list = app.get_json("/api/v1/programmes?nation=GE").await;
    let codes: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["GE-DCB-2014", "GE-IPAP-2004"]);
    let japan = app.get_json("/api/v1/programmes/JP-ITPP-2023").await;
    assert_eq!((japan["status"].as_str(), japan["historical"].as_bool()), (Some("in_execution"), Some(true)));
    assert!(japan["source"].as_str().unwrap().contains("nato.int"));
}
