//! The cooperation menu end to end: eligibility across NATO's partnership history through the
//! API, bad input refused naming the field with nothing stored, an all-or-nothing import,
//! search in both languages, and a calendar feed read by an independent parser.

use axum::http::StatusCode;
use entente_core::{Affiliation, Classification, Role};

use crate::support::{TestApp, on_both_backends};

/// A staff account's write token.
async fn staff(app: &TestApp) -> String {
    let email =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    app.token(&email, true).await
}

async fn activity(app: &TestApp, token: &str, code: &str, year: &str, title_fr: &str, open_to: &str) {
    let body = serde_json::json!({ "code": code, "year": year, "title_en": format!("{code} defence course"),
        "title_fr": title_fr, "area": "DEF_REFORM", "kind": "course", "marking": "PUBLIC", "open_to": open_to,
        "languages": "en;fr" });
    let answer = app.post_json("/api/v1/activities", token, &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
}

async fn eligible(app: &TestApp, code: &str, nation: &str, at: &str) -> (bool, Vec<String>) {
    let body = app.get_json(&format!("/api/v1/activities/{code}/eligibility?nation={nation}&at={at}")).await;
    let reasons = body["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_owned()).collect();
    (body["eligible"].as_bool().unwrap(), reasons)
}

on_both_backends!(eligibility_follows_the_history_of_partnership_policy);

async fn eligibility_follows_the_history_of_partnership_policy(app: TestApp) {
    let token = staff(&app).await;
    activity(&app, &token, "PFP-COURSE", "2005", "", "PFP").await;
    activity(&app, &token, "NAC-ONLY", "2005", "", "MEMBERS").await;

    // Before 1998: Morocco, a Mediterranean Dialogue country, cannot be let into a PfP course.
    let (ok, reasons) = eligible(&app, "PFP-COURSE", "MA", "1996-06-01").await;
    assert!(!ok);
    assert!(reasons.contains(&"MA is not a PFP participant on 1996-06-01".to_owned()), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.starts_with("no policy in force on 1996-06-01 lets the council")), "{reasons:?}");

    // 1998 to 2011: only a council decision opens it, and only within its validity.
    let (ok, reasons) = eligible(&app, "PFP-COURSE", "MA", "2005-06-01").await;
    assert!(!ok);
    assert!(reasons.contains(&"no council decision covers it".to_owned()), "{reasons:?}");
    let decision = serde_json::json!({ "kind": "opens", "nations": ["MA"], "scope": "activity:PFP-COURSE",
        "from": "2004-01-01", "to": "2006-12-31", "reference": "PO(2004)12" });
    let recorded = app.post_json("/api/v1/decisions", &token, &decision).await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.text());
    let (ok, reasons) = eligible(&app, "PFP-COURSE", "MA", "2005-06-01").await;
    assert!(ok, "{reasons:?}");
    assert!(reasons[0].starts_with("opened by council decision") && reasons[0].contains("PO(2004)12"), "{reasons:?}");
    assert!(!eligible(&app, "PFP-COURSE", "MA", "2008-06-01").await.0, "outside the decision's validity");
    assert!(eligible(&app, "PFP-COURSE", "SE", "2005-06-01").await.0, "a PfP participant");

    // After Berlin (15 April 2011): one menu for all partners; members-only stays closed.
    assert!(!eligible(&app, "PFP-COURSE", "MA", "2011-04-14").await.0);
    let (ok, reasons) = eligible(&app, "PFP-COURSE", "MA", "2011-04-15").await;
    assert!(ok, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.starts_with("policy BERLIN_2011 applies")), "{reasons:?}");
    assert_eq!(
        eligible(&app, "NAC-ONLY", "MA", "2012-01-01").await,
        (false, vec!["open to members of the alliance only".to_owned()])
    );

    // A partner that became a member (Poland, 12 March 1999).
    assert!(!eligible(&app, "NAC-ONLY", "PL", "1998-06-01").await.0);
    let (ok, reasons) = eligible(&app, "NAC-ONLY", "PL", "1999-03-12").await;
    assert!(ok && reasons[0].starts_with("PL is a member of the alliance"), "{reasons:?}");

    // The suspension of practical cooperation with Russia from 1 April 2014, in the reference data.
    assert!(eligible(&app, "PFP-COURSE", "RU", "2012-01-01").await.0);
    let (ok, reasons) = eligible(&app, "PFP-COURSE", "RU", "2015-01-01").await;
    assert!(!ok);
    assert!(reasons[0].starts_with("practical cooperation suspended by council decision"), "{reasons:?}");

    // The whole menu's matrix says the same.
    let matrix = app.get_json("/api/v1/menus/2005/eligibility?at=2015-01-01").await;
    let row = |code: &str| matrix["nations"].as_array().unwrap().iter().find(|n| n["nation"] == code).cloned().unwrap();
    assert_eq!(row("RU")["eligible_count"], 0);
    assert_eq!(row("MA")["eligible"], serde_json::json!(["PFP-COURSE"]));
    assert_eq!(row("NO")["eligible_count"], 2);
}

on_both_backends!(bad_input_names_the_field_and_stores_nothing);

async fn bad_input_names_the_field_and_stores_nothing(app: TestApp) {
    let token = staff(&app).await;
    activity(&app, &token, "CYB-1", "2026", "Cours", "PARTNERS").await;
    let good = serde_json::json!({ "code": "CYB-1-1", "activity": "CYB-1", "start": "2026-03-09T09:00",
        "end": "2026-03-13T17:00", "time_zone": "Europe/Berlin", "place": "Oberammergau", "capacity": "20",
        "quota": "2", "deadline": "2026-02-01" });
    let with = |field: &str, value: &str| {
        let mut body = good.clone();
        body[field] = value.into();
        body
    };
    for (field, body) in [
        ("end", with("end", "2026-03-01T09:00")),
        ("capacity", with("capacity", "-3")),
        ("quota", with("quota", "25")),
        ("time_zone", with("time_zone", "Mars/Olympus")),
        ("activity", with("activity", "NOPE-1")),
    ] {
        let answer = app.post_json("/api/v1/events", &token, &body).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", answer.text());
        assert_eq!(answer.json()["field"], field, "{}", answer.text());
    }
    let bad_area = serde_json::json!({ "code": "X-1", "year": "2026", "title_en": "x", "area": "NOWHERE",
        "kind": "course", "open_to": "PARTNERS" });
    let answer = app.post_json("/api/v1/activities", &token, &bad_area).await;
    assert_eq!((answer.status, answer.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, "area".into()));
    let backwards = serde_json::json!({ "kind": "opens", "nations": ["JP"], "scope": "menu", "from": "2020-01-01",
        "to": "2019-01-01", "reference": "r" });
    let answer = app.post_json("/api/v1/decisions", &token, &backwards).await;
    assert_eq!((answer.status, answer.json()["field"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, "to".into()));
    assert_eq!(app.get_json("/api/v1/events").await["total"], 0, "nothing stored");
    assert_eq!(app.get_json("/api/v1/decisions").await.as_array().unwrap().len(), 1, "only the reference decision");

    // An import with bad rows changes nothing and reports every one.
    let registry = app.services.registry.snapshot().await.unwrap();
    let file = "code,year,title_en,title_fr,area,kind,provider,open_to,marking,description_en,description_fr\n\
                OK-1,2026,Fine,,CYBER,course,,PARTNERS,,,\n\
                BAD-1,2026,Bad area,,NOWHERE,course,,PARTNERS,,,\n\
                BAD-2,2026,Bad kind,,CYBER,lecture,,PARTNERS,,,\n\
                BAD-3,2026,Bad audience,,CYBER,course,,XYZ,,,\n";
    let actor = entente::service::accounts::Actor::operator();
    let refused = app
        .services
        .menu
        .import(&actor, &registry, file.as_bytes(), entente::service::menu_file::MenuFormat::Csv)
        .await;
    let Err(entente::service::ServiceError::InvalidFile(problems)) = refused else { panic!("accepted a bad file") };
    let located: Vec<(String, Option<String>)> = problems.into_iter().map(|p| (p.location, p.field)).collect();
    assert_eq!(
        located,
        [
            ("line 3".to_owned(), Some("area".to_owned())),
            ("line 4".to_owned(), Some("kind".to_owned())),
            ("line 5".to_owned(), Some("open_to".to_owned())),
        ]
    );
    assert_eq!(app.get_json("/api/v1/menus/2026").await["total"], 1, "OK-1 was not stored either");
}

on_both_backends!(the_menu_is_searched_in_both_languages);

async fn the_menu_is_searched_in_both_languages(app: TestApp) {
    let token = staff(&app).await;
    activity(&app, &token, "DEF-1", "2026", "Réforme de la défense", "PFP").await;
    activity(&app, &token, "DEF-2", "2026", "Gestion des crises", "MEMBERS").await;
    let codes = |body: serde_json::Value| -> Vec<String> {
        body["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(
        codes(app.get_json("/api/v1/activities?q=reforme").await),
        ["DEF-1"],
        "accents ignored, French titles searched"
    );
    assert_eq!(codes(app.get_json("/api/v1/activities?q=DEFENC").await).len(), 2, "English, as a prefix, any case");
    let georgia = app.get_json("/api/v1/activities?q=defence&nation=GE&at=2026-01-01").await;
    assert_eq!(codes(georgia.clone()), ["DEF-1"], "open to Georgia: not the members-only one");
    assert_eq!(georgia["items"][0]["eligible"], true);
    let bad = app.get("/api/v1/activities?area=NOWHERE").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_calendar_feed_is_read_by_an_independent_parser() {
    let app = TestApp::sqlite().await;
    let token = staff(&app).await;
    activity(&app, &token, "CAL-1", "2026", "", "PARTNERS").await;
    let event = serde_json::json!({ "code": "CAL-1-1", "activity": "CAL-1", "start": "2026-07-06T09:00",
        "end": "2026-07-10T17:00", "time_zone": "Europe/Berlin", "place": "Oberammergau, Germany", "capacity": "20",
        "deadline": "2026-06-01" });
    assert_eq!(app.post_json("/api/v1/events", &token, &event).await.status, StatusCode::CREATED);
    let feed = app.get("/calendar/areas/DEF_REFORM.ics").await;
    assert_eq!(feed.status, StatusCode::OK);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.ics");
    std::fs::write(&path, feed.text()).unwrap();
    let script = "import sys, icalendar\n\
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n\
        for e in cal.walk('VEVENT'):\n\
        \x20   print(e['UID'], e.decoded('DTSTART').astimezone(__import__('datetime').timezone.utc).isoformat(), e['LOCATION'])\n";
    let out = std::process::Command::new("python3").arg("-c").arg(script).arg(&path).output().unwrap();
    assert!(out.status.success(), "icalendar refused the feed: {}", String::from_utf8_lossy(&out.stderr));
    // 09:00 in Oberammergau in July (summer time, UTC+2) is 07:00 UTC.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "CAL-1-1@entente 2026-07-06T07:00:00+00:00 Oberammergau, Germany"
    );
    let one = app.get("/events/CAL-1-1.ics").await;
    assert!(one.text().contains("DTSTART;TZID=Europe/Berlin:20260706T090000"), "{}", one.text());
}

#[tokio::test]
async fn a_partner_officer_reads_why_in_her_language() {
    let app = TestApp::sqlite().await;
    let token = staff(&app).await;
    activity(&app, &token, "PFP-2005", "2005", "Cours PfP", "PFP").await;
    let officer = app.officer("GE").await;
    let session = app.sign_in(&officer, crate::support::PASSWORD).await.unwrap();
    let page = app.get_with("/activities/PFP-2005?lang=fr&at=2005-06-01", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("Géorgie\u{a0}: oui, car"), "{text}");
    assert!(text.contains("GE participe au cadre PFP le 2005-06-01"), "{text}");
    assert!(text.contains("Programmes de travail par cadre"), "the policy's French title: {text}");
    let closed = app.get_with("/activities/PFP-2005?lang=en&at=1990-01-01", &session).await.text();
    assert!(closed.contains("Georgia: no, because"), "{closed}");
}

on_both_backends!(a_search_for_what_a_nation_may_take_part_in_agrees_with_each_answer);

/// The search judges groups of alike hits at once: its answers, page by page, must be
/// those of asking about each activity alone, for every caller, nation and day.
async fn a_search_for_what_a_nation_may_take_part_in_agrees_with_each_answer(app: TestApp) {
    let token = staff(&app).await;
    let menu = [
        ("S-1", "PFP", "DEF_REFORM", "PUBLIC"),
        ("S-2", "PFP", "DEF_REFORM", "PUBLIC"),
        ("S-3", "MD", "DEF_REFORM", "PUBLIC"),
        ("S-4", "MEMBERS", "DEF_REFORM", "PUBLIC"),
        ("S-5", "PARTNERS", "CYBER", "PUBLIC"),
        ("S-6", "PFP", "DEF_REFORM", "RESTRICTED REL TO GE"),
        ("S-7", "ICI;MD", "CYBER", "UNCLASSIFIED"),
    ];
    for (code, open_to, area, marking) in menu {
        let body = serde_json::json!({ "code": code, "year": "2005", "title_en": format!("{code} defence course"),
            "area": area, "kind": "course", "marking": marking, "open_to": open_to });
        let answer = app.post_json("/api/v1/activities", &token, &body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
    }
    for (nations, scope) in [(["MA"], "activity:S-1"), (["AU"], "area:CYBER")] {
        let decision = serde_json::json!({ "kind": "opens", "nations": nations, "scope": scope,
            "from": "2004-01-01", "to": "2013-12-31", "reference": format!("PO {scope}") });
        assert_eq!(app.post_json("/api/v1/decisions", &token, &decision).await.status, StatusCode::CREATED);
    }
    let officer = app.officer("GE").await;
    let officer = app.token(&officer, false).await;
    let get = |uri: String, token: Option<String>| {
        let app = &app;
        async move {
            match token {
                Some(token) => app.get_bearer(&uri, &token).await,
                None => app.get(&uri).await,
            }
        }
    };
    for caller in [None, Some(officer.clone())] {
        let everything = get("/api/v1/activities?q=defence&per_page=200".into(), caller.clone()).await.json();
        let visible: Vec<String> =
            everything["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_owned()).collect();
        assert_eq!(visible.contains(&"S-6".to_owned()), caller.is_some(), "REL TO GE: {visible:?}");
        assert_eq!(visible.contains(&"S-7".to_owned()), caller.is_some(), "UNCLASSIFIED: {visible:?}");
        for nation in ["MA", "AU", "GE", "SE", "RU", "NO"] {
            for at in ["1996-06-01", "2005-06-01", "2012-01-01", "2015-01-01"] {
                let mut expected = Vec::new();
                for code in &visible {
                    let uri = format!("/api/v1/activities/{code}/eligibility?nation={nation}&at={at}");
                    let answer = get(uri, caller.clone()).await.json();
                    if answer["eligible"] == true {
                        expected.push(code.clone());
                    }
                }
                let (mut found, mut page, mut totals) = (Vec::new(), 1, Vec::new());
                loop {
                    let uri = format!("/api/v1/activities?q=defence&nation={nation}&at={at}&per_page=2&page={page}");
                    let body = get(uri, caller.clone()).await.json();
                    totals.push(body["total"].as_u64().unwrap() as usize);
                    let items = body["items"].as_array().unwrap().clone();
                    if items.is_empty() {
                        break;
                    }
                    for item in items {
                        assert_eq!(item["eligible"], true, "{item}");
                        found.push(item["code"].as_str().unwrap().to_owned());
                    }
                    page += 1;
                }
                found.sort();
                expected.sort();
                let who = if caller.is_some() { "the Georgian officer" } else { "an anonymous visitor" };
                assert_eq!(found, expected, "{nation} on {at}, as {who} sees the menu");
                assert!(
                    totals.iter().all(|t| *t == expected.len()),
                    "{nation} on {at}: every page's total counts the same hits: {totals:?}"
                );
            }
        }
    }
}
