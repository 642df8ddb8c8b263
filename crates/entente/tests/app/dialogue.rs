//! Dialogue and operations end to end: the reference operations and meetings as loaded,
//! participant rules resolved on different days, meetings and their documents seen by
//! participants (and releasable readers) only, action items, the council-acceptance rule
//! for contributions, fill rates and the offer margin, and meetings in two time zones read
//! by an independent iCalendar parser.

use axum::http::StatusCode;
use entente_core::{Affiliation, Classification, Role};
use serde_json::json;

use crate::seats::{officer_token, staff_token};
use crate::support::{TestApp, on_both_backends, pdf};

fn codes(list: &serde_json::Value, key: &str) -> Vec<String> {
    list.as_array().unwrap().iter().map(|c| c[key].as_str().unwrap().to_owned()).collect()
}

on_both_backends!(the_reference_operations_and_meetings_are_loaded_with_their_sources);

async fn the_reference_operations_and_meetings_are_loaded_with_their_sources(app: TestApp) {
    let sfor = app.get_json("/api/v1/operations/SFOR/contributors?at=2000-01-01").await;
    let nations = codes(&sfor, "nation");
    assert_eq!(nations.len(), 18, "{nations:?}");
    assert!(nations.contains(&"AR".to_owned()) && nations.contains(&"CL".to_owned()), "Argentina and Chile");
    assert!(
        sfor.as_array()
            .unwrap()
            .iter()
            .all(|c| c["dates_assumed"] == true && !c["source"].as_str().unwrap().is_empty())
    );

    let kfor = codes(&app.get_json("/api/v1/operations/KFOR/contributors?at=2020-01-01").await, "nation");
    assert_eq!(kfor, ["AM", "AT", "CH", "FI", "IE", "MD", "SE", "UA"], "the 2017 contributors, Ukraine until 2022");
    let kfor_1999 = app.get_json("/api/v1/operations/KFOR/contributors?at=1999-07-01").await;
    let argentina: Vec<_> = kfor_1999.as_array().unwrap().iter().filter(|c| c["nation"] == "AR").collect();
    assert_eq!(argentina[0]["kind"], "medical");

    let isaf = app.get_json("/api/v1/operations/ISAF/contributors?at=2010-01-01").await;
    let japan: Vec<_> =
        isaf.as_array().unwrap().iter().filter(|c| c["nation"] == "JP").map(|c| c["kind"].clone()).collect();
    assert_eq!(japan, [json!("funding"), json!("liaison")], "no combat role");
    assert_eq!(app.get_json("/api/v1/operations").await.as_array().unwrap().len(), 16);

    let meetings = app.get_json("/api/v1/meetings").await;
    let items = meetings["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let chicago = items.iter().find(|m| m["place"] == "Chicago").unwrap();
    assert_eq!(chicago["rule"], "members + operation:ISAF");
    let detail = app.get_json(&format!("/api/v1/meetings/{}", chicago["id"])).await;
    let participants = detail["participants"].as_array().unwrap();
    for code in ["US", "JP", "GE", "AU"] {
        assert!(participants.contains(&json!(code)), "{code} at the ISAF meeting in Chicago");
    }
    let piracy = items.iter().find(|m| m["format"] == "flexible").unwrap();
    assert_eq!((piracy["rule"].as_str(), piracy["recorded_date"].as_str()), (Some(""), Some("2011-09")));
    assert!(piracy["participants_text"].as_str().unwrap().contains("47 nations"));
}

on_both_backends!(a_rule_resolves_to_what_the_registry_says_that_day);

async fn a_rule_resolves_to_what_the_registry_says_that_day(app: TestApp) {
    let resolve = |rule: &str, at: &str| {
        format!(
            "/api/v1/rules/resolve?rule={}&at={at}",
            rule.replace('+', "%2B").replace(' ', "%20").replace('&', "%26")
        )
    };
    let members_2023 = app.get_json(&resolve("members", "2023-06-01")).await;
    let partners_2023 = app.get_json(&resolve("partners", "2023-06-01")).await;
    let members_2024 = app.get_json(&resolve("members", "2024-06-01")).await;
    let partners_2024 = app.get_json(&resolve("partners", "2024-06-01")).await;
    let has = |v: &serde_json::Value, code: &str| v["participants"].as_array().unwrap().contains(&json!(code));
    assert!(!has(&members_2023, "SE") && has(&partners_2023, "SE"), "Sweden a partner in 2023");
    assert!(has(&members_2024, "SE") && !has(&partners_2024, "SE"), "a member from 7 March 2024");
    let nato_7 = app.get_json(&resolve("members + framework:MD", "2020-01-01")).await;
    assert!(has(&nato_7, "MA") && has(&nato_7, "US") && !has(&nato_7, "GE"));
    let sorted = nato_7["participants"].as_array().unwrap().clone();
    let mut again = sorted.clone();
    again.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    assert_eq!(sorted, again);

    let unknown = app.get(&resolve("members + framework:XYZ", "2020-01-01")).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.json()["field"], "rule");
    let detail = unknown.json()["detail"].as_str().unwrap_or_default().to_owned() + &unknown.text();
    assert!(detail.contains("position 11") && detail.contains("XYZ"), "{detail}");
    let broken = app.get(&resolve("members +", "2020-01-01")).await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(broken.text().contains("position 10"), "{}", broken.text());
}

on_both_backends!(participants_see_their_meetings_and_documents_others_do_not);

async fn participants_see_their_meetings_and_documents_others_do_not(app: TestApp) {
    let staff = staff_token(&app).await;
    let georgia = officer_token(&app, "GE").await;
    let ukraine = officer_token(&app, "UA").await;
    let norway_email = app
        .user(
            "delegate.no@example.org",
            Role::MemberDelegate,
            Affiliation::Nation("NO".parse().unwrap()),
            Classification::Restricted,
        )
        .await;
    let norway = app.token(&norway_email, true).await;

    // Nothing stored for a meeting that ends before it starts.
    let bad = json!({ "title": "NATO-Georgia", "format": "bilateral", "level": "ambassadors",
        "starts": "2027-03-01T10:00", "ends": "2027-03-01T09:00", "names": "GE", "marking": "UNCLASSIFIED MEMBERS ONLY" });
    let refused = app.post_json("/api/v1/meetings", &staff, &bad).await;
    assert_eq!((refused.status, refused.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("ends")));
    assert_eq!(app.get_json("/api/v1/meetings").await["items"].as_array().unwrap().len(), 3);

    let good = json!({ "title": "NATO-Georgia Commission", "format": "bilateral", "level": "ambassadors",
        "starts": "2027-03-01T10:00", "ends": "2027-03-01T12:00", "rule": "members + nation:GE",
        "marking": "UNCLASSIFIED MEMBERS ONLY" });
    assert_eq!(
        app.post_json("/api/v1/meetings", &georgia, &good).await.status,
        StatusCode::FORBIDDEN,
        "staff organise"
    );
    let created = app.post_json("/api/v1/meetings", &staff, &good).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let id = created.json()["id"].as_i64().unwrap();
    let uri = format!("/api/v1/meetings/{id}");

    let upload = app
        .upload(&staff, &[("title", "Georgia briefing"), ("marking", "UNCLASSIFIED REL TO GE")], "b.pdf", &pdf("x"))
        .await;
    assert_eq!(upload.status, StatusCode::CREATED, "{}", upload.text());
    let document = upload.json()["id"].as_i64().unwrap();
    let attached = app.post_json(&format!("{uri}/documents"), &staff, &json!({ "document": document })).await;
    assert_eq!(attached.status, StatusCode::NO_CONTENT, "{}", attached.text());

    let as_georgia = app.get_bearer(&uri, &georgia).await;
    assert_eq!(as_georgia.status, StatusCode::OK, "a participant sees a members-only meeting");
    assert_eq!(as_georgia.json()["documents"][0]["title"], "Georgia briefing");
    assert_eq!(app.get_bearer(&uri, &norway).await.status, StatusCode::OK, "members read it");
    assert_eq!(app.get_bearer(&uri, &ukraine).await.status, StatusCode::NOT_FOUND, "not a participant");
    assert_eq!(app.get(&uri).await.status, StatusCode::NOT_FOUND);
    let ukraine_list = app.get_bearer("/api/v1/meetings", &ukraine).await.json();
    assert!(ukraine_list["items"].as_array().unwrap().iter().all(|m| m["id"] != id));
    assert_eq!(app.get_bearer(&format!("/api/v1/documents/{document}"), &ukraine).await.status, StatusCode::NOT_FOUND);

    // Action items need an owner that is a participant or an account.
    let action = |owner: &str| json!({ "title": "Send the reform plan", "owner": owner, "due": "2027-04-01" });
    let missing = app.post_json(&format!("{uri}/actions"), &staff, &action("")).await;
    assert_eq!((missing.status, missing.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("owner")));
    let outsider = app.post_json(&format!("{uri}/actions"), &staff, &action("UA")).await;
    assert_eq!(outsider.status, StatusCode::UNPROCESSABLE_ENTITY, "Ukraine does not take part");
    let added = app.post_json(&format!("{uri}/actions"), &staff, &action("GE")).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    assert_eq!(app.get_bearer(&uri, &georgia).await.json()["actions"][0]["owner"], "GE");
}

on_both_backends!(a_non_members_contribution_is_accepted_only_by_the_council);

async fn a_non_members_contribution_is_accepted_only_by_the_council(app: TestApp) {
    let staff = staff_token(&app).await;
    let georgia = officer_token(&app, "GE").await;
    let ukraine = officer_token(&app, "UA").await;
    let approver_email =
        app.user("approver@example.org", Role::Approver, Affiliation::AllianceStaff, Classification::Restricted).await;
    let approver = app.token(&approver_email, true).await;

    let requirement = json!({ "capability": "Infantry company", "quantity": 10, "starts": "2027-01-01" });
    let created = app.post_json("/api/v1/operations/KFOR/requirements", &staff, &requirement).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let requirement = created.json()["id"].as_i64().unwrap();
    assert_eq!(
        app.post_json("/api/v1/operations/KFOR/requirements", &georgia, &json!({})).await.status,
        StatusCode::FORBIDDEN
    );

    let offer = |nation: &str, size: i64| json!({ "nation": nation, "kind": "troops", "size": size, "starts": "2027-02-01", "requirement": requirement });
    assert_eq!(
        app.post_json("/api/v1/operations/KFOR/contributions", &ukraine, &offer("GE", 6)).await.status,
        StatusCode::FORBIDDEN
    );
    let offered = app.post_json("/api/v1/operations/KFOR/contributions", &georgia, &offer("GE", 6)).await;
    assert_eq!((offered.status, offered.json()["status"].as_str()), (StatusCode::CREATED, Some("offered")));
    let id = offered.json()["id"].as_i64().unwrap();
    // 4 still needed, and a 10% margin of 10 is 1: 6 more is too many, 5 is not.
    let too_many = app.post_json("/api/v1/operations/KFOR/contributions", &ukraine, &offer("UA", 6)).await;
    assert_eq!((too_many.status, too_many.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("size")));
    let outside = json!({ "nation": "GE", "kind": "troops", "starts": "2010-01-01" });
    let refused = app.post_json("/api/v1/operations/SFOR/contributions", &georgia, &outside).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "SFOR ended in 2004: {}", refused.text());

    let status = |to: &str, decision: Option<i64>| json!({ "status": to, "council_decision": decision });
    let uri = format!("/api/v1/contributions/{id}/status");
    let undecided = app.post_json(&uri, &staff, &status("accepted", None)).await;
    assert_eq!(
        (undecided.status, undecided.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("council_decision")),
        "{}",
        undecided.text()
    );
    let decision = |nation: &str| {
        json!({ "kind": "opens", "nations": [nation], "scope": "operation:KFOR",
        "from": "2027-01-15", "reference": format!("PO(2027)00{nation}: the council accepts the contribution") })
    };
    let other = app.post_json("/api/v1/decisions", &approver, &decision("AM")).await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.text());
    let other = other.json()["id"].as_i64().unwrap();
    let wrong = app.post_json(&uri, &staff, &status("accepted", Some(other))).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "a decision about Armenia does not accept Georgia");
    let right = app.post_json("/api/v1/decisions", &approver, &decision("GE")).await.json()["id"].as_i64().unwrap();
    assert_eq!(app.post_json(&uri, &georgia, &status("accepted", Some(right))).await.status, StatusCode::FORBIDDEN);
    let accepted = app.post_json(&uri, &staff, &status("accepted", Some(right))).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text());
    assert_eq!(accepted.json()["council_decision"], right);
    let again = app.post_json(&uri, &staff, &status("accepted", Some(right))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // The reference contributions are kept as their sources give them.
    let sfor = app.get_json("/api/v1/operations/SFOR").await;
    let historical = sfor["contributions"][0]["id"].as_i64().unwrap();
    let kept =
        app.post_json(&format!("/api/v1/contributions/{historical}/status"), &staff, &status("withdrawn", None)).await;
    assert_eq!(kept.status, StatusCode::CONFLICT, "{}", kept.text());

    let kfor = app.get_json("/api/v1/operations/KFOR").await;
    let fill = &kfor["requirements"][0]["fill"];
    assert_eq!((fill["filled"].as_i64(), fill["rate"].as_f64()), (Some(6), Some(0.6)));
    assert_eq!(kfor["fill"]["rate"].as_f64(), Some(0.6));
    let on_day = codes(&app.get_json("/api/v1/operations/KFOR/contributors?at=2027-06-01").await, "nation");
    assert!(on_day.contains(&"GE".to_owned()));
    let page = app.get("/operations/KFOR").await.text();
    assert!(page.contains(&format!("/decisions#decision-{right}")), "the page links the decision");
    assert!(page.contains("<svg"), "the chart of contributions");
    let row = |code: &str, name: &str| page.find(&format!("<a href=\"/nations/{code}\">{name}</a>")).unwrap();
    assert!(row("AR", "Argentina") < row("AE", "United Arab Emirates"), "the table in the chart's order, by name");
}

#[tokio::test]
async fn meetings_in_two_time_zones_are_read_by_an_independent_parser() {
    let app = TestApp::sqlite().await;
    let staff = staff_token(&app).await;
    for (title, starts, zone) in
        [("Brussels", "2027-07-06T09:00", "Europe/Brussels"), ("New York", "2027-07-06T09:00", "America/New_York")]
    {
        let meeting = json!({ "title": title, "format": "framework", "level": "ambassadors", "starts": starts,
            "ends": "2027-07-06T11:00", "time_zone": zone, "place": title, "rule": "members + framework:MD",
            "marking": "PUBLIC" });
        assert_eq!(app.post_json("/api/v1/meetings", &staff, &meeting).await.status, StatusCode::CREATED);
    }
    let feed = app.get("/calendar/frameworks/MD.ics").await;
    assert_eq!(feed.status, StatusCode::OK);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.ics");
    std::fs::write(&path, feed.text()).unwrap();
    let script = "import sys, icalendar, datetime\n\
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
        for e in sorted(cal.walk('VEVENT'), key=lambda e: str(e['LOCATION'])):\n\
        \x20   print(e['LOCATION'], e.decoded('DTSTART').astimezone(datetime.timezone.utc).isoformat())\n";
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().unwrap();
    assert!(out.status.success(), "icalendar refused the feed: {}", String::from_utf8_lossy(&out.stderr));
    // 09:00 in Brussels in July is 07:00 UTC; 09:00 in New York is 13:00 UTC.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "Brussels 2027-07-06T07:00:00+00:00\nNew York 2027-07-06T13:00:00+00:00"
    );
    let morocco = app.get("/calendar/nations/MA.ics").await.text();
    assert!(morocco.contains("SUMMARY:Brussels") && morocco.contains("TZID=America/New_York"), "{morocco}");
}
