//! Seat requests end to end through the API: first come and at the deadline, the refusals
//! (another nation, above the quota, not eligible, after the deadline), a cancelled seat
//! going to the waitlist at once, who sees which requests, and 200 simultaneous requests for
//! the last seats never overbooking, on both backends and from two processes.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::Datelike;
use entente_core::{Affiliation, Classification, Role};
use serde_json::{Value, json};

use crate::support::{TestApp, on_both_backends};

/// Next year: every day of it is after the tests' clock.
pub fn next_year() -> i32 {
    chrono::Utc::now().year() + 1
}

/// A staff account's write token.
pub async fn staff_token(app: &TestApp) -> String {
    let email =
        app.user("seats.staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    app.token(&email, true).await
}

/// A partner officer's write token.
pub async fn officer_token(app: &TestApp, nation: &str) -> String {
    let email = app.officer(nation).await;
    app.token(&email, true).await
}

/// An activity open to partners next year, and an event of it with `capacity` seats, a
/// quota and a mode; registration closes on 1 February.
pub async fn event(app: &TestApp, token: &str, code: &str, capacity: u32, quota: Option<u32>, mode: &str) {
    let year = next_year();
    let activity = json!({ "code": code, "year": year.to_string(), "title_en": format!("{code} course"),
        "area": "CYBER", "kind": "course", "marking": "PUBLIC", "open_to": "PARTNERS", "languages": "en" });
    let answer = app.post_json("/api/v1/activities", token, &activity).await;
    assert!(matches!(answer.status, StatusCode::CREATED | StatusCode::CONFLICT), "{}", answer.text());
    let body = json!({ "code": format!("{code}-1"), "activity": code, "start": format!("{year}-03-02"),
        "end": format!("{year}-03-06"), "time_zone": "Europe/Brussels", "place": "Brussels",
        "capacity": capacity.to_string(), "quota": quota.map(|q| q.to_string()).unwrap_or_default(),
        "deadline": format!("{year}-02-01"), "status": "open", "mode": mode });
    let answer = app.post_json("/api/v1/events", token, &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
}

async fn ask(app: &TestApp, token: &str, event: &str, nation: &str, seats: u32, priority: u32) -> (StatusCode, Value) {
    let body = json!({ "nation": nation, "seats": seats, "priority": priority });
    let answer = app.post_json(&format!("/api/v1/events/{event}/requests"), token, &body).await;
    let json = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
    (answer.status, json)
}

on_both_backends!(a_first_come_event_answers_at_once_and_refuses_with_the_reason);

async fn a_first_come_event_answers_at_once_and_refuses_with_the_reason(app: TestApp) {
    let staff = staff_token(&app).await;
    let georgia = officer_token(&app, "GE").await;
    event(&app, &staff, "SEAT-FC", 3, Some(2), "first_come").await;

    let (status, first) = ask(&app, &georgia, "SEAT-FC-1", "GE", 2, 1).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!((first["status"].as_str(), first["seats_allocated"].as_i64()), (Some("allocated"), Some(2)));
    assert_eq!(first["reason"], "allocated: every seat asked for is given (2)");

    // Another nation's officer may not ask for Ukraine; more than the quota; a bad priority.
    let (status, refused) = ask(&app, &georgia, "SEAT-FC-1", "UA", 1, 1).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, refused) = ask(&app, &staff, "SEAT-FC-1", "UA", 3, 1).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["field"], "seats", "{refused}");
    assert!(refused["detail"].as_str().unwrap().contains("quota of 2"), "{refused}");
    let (status, refused) = ask(&app, &staff, "SEAT-FC-1", "UA", 1, 4).await;
    assert_eq!((status, refused["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("priority")));
    // Russia: cooperation suspended since 2014, so not eligible on the event's dates.
    let (status, refused) = ask(&app, &staff, "SEAT-FC-1", "RU", 1, 1).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused["detail"].as_str().unwrap().starts_with("RU may not take part"), "{refused}");

    // One seat left: Ukraine gets one of two, Moldova none.
    let (_, ukraine) = ask(&app, &staff, "SEAT-FC-1", "UA", 2, 2).await;
    assert_eq!((ukraine["status"].as_str(), ukraine["seats_allocated"].as_i64()), (Some("allocated"), Some(1)));
    assert_eq!(ukraine["reason"], "allocated 1 of 2: all 3 seats were taken when the request came");
    let (_, moldova) = ask(&app, &staff, "SEAT-FC-1", "MD", 1, 1).await;
    assert_eq!((moldova["status"].as_str(), moldova["seats_allocated"].as_i64()), (Some("waitlisted"), Some(0)));

    // Who sees what: Georgia's officer her own request, staff every one, a visitor none.
    let mine = app.get_bearer("/api/v1/events/SEAT-FC-1/requests", &georgia).await.json();
    assert_eq!(mine.as_array().unwrap().iter().map(|r| r["nation"].as_str().unwrap()).collect::<Vec<_>>(), ["GE"]);
    let all = app.get_bearer("/api/v1/events/SEAT-FC-1/requests", &staff).await.json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    assert_eq!(app.get("/api/v1/events/SEAT-FC-1/requests").await.status, StatusCode::UNAUTHORIZED);

    // Georgia cancels: her two seats go at once to the waitlist, in order.
    let id = first["id"].as_i64().unwrap();
    let cancelled = app.post_json(&format!("/api/v1/requests/{id}/cancel"), &georgia, &json!({})).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text());
    let all = app.get_bearer("/api/v1/events/SEAT-FC-1/requests", &staff).await.json();
    let given: Vec<(&str, i64, &str)> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["nation"].as_str().unwrap(), r["seats_allocated"].as_i64().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(given, [("GE", 0, "cancelled"), ("UA", 2, "allocated"), ("MD", 1, "allocated")]);

    // The capacity cannot drop below the seats given; raising it serves the waitlist at once.
    let put = |capacity: &str| {
        let year = next_year();
        let body = json!({ "code": "SEAT-FC-1", "activity": "SEAT-FC", "start": format!("{year}-03-02"),
            "end": format!("{year}-03-06"), "time_zone": "Europe/Brussels", "place": "Brussels", "capacity": capacity,
            "quota": "2", "deadline": format!("{year}-02-01"), "status": "open", "mode": "first_come" });
        axum::http::Request::put("/api/v1/events/SEAT-FC-1")
            .header("authorization", format!("Bearer {staff}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap()
    };
    let lowered = app.send(put("2")).await;
    assert_eq!(
        (lowered.status, lowered.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("capacity"))
    );
    let (_, jordan) = ask(&app, &staff, "SEAT-FC-1", "JO", 1, 3).await;
    assert_eq!(jordan["status"], "waitlisted");
    assert_eq!(app.send(put("4")).await.status, StatusCode::OK);
    let all = app.get_bearer("/api/v1/events/SEAT-FC-1/requests", &staff).await.json();
    let jordan = all.as_array().unwrap().iter().find(|r| r["nation"] == "JO").unwrap();
    assert_eq!((jordan["status"].as_str(), jordan["seats_allocated"].as_i64()), (Some("allocated"), Some(1)));

    // After the deadline: refused, nothing stored.
    let deadline = chrono::NaiveDate::from_ymd_opt(next_year(), 2, 1).unwrap();
    app.clock.advance(chrono::Duration::days((deadline - chrono::Utc::now().date_naive()).num_days() + 1));
    // (Tokens last 30 days: a fresh one.)
    let staff = app.token("seats.staff@example.org", true).await;
    let (status, refused) = ask(&app, &staff, "SEAT-FC-1", "JO", 1, 1).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(refused["detail"].as_str().unwrap().contains("registration closed"), "{refused}");
    assert_eq!(app.get_bearer("/api/v1/events/SEAT-FC-1/requests", &staff).await.json().as_array().unwrap().len(), 4);

    let actions = app.audit_actions().await;
    assert_eq!(actions.iter().filter(|(_, a)| a == "seat_request.create").count(), 4);
    assert!(actions.iter().any(|(_, a)| a == "seat_request.cancel"));
}

on_both_backends!(an_at_deadline_event_gives_seats_by_priority_then_one_per_nation);

async fn an_at_deadline_event_gives_seats_by_priority_then_one_per_nation(app: TestApp) {
    let staff = staff_token(&app).await;
    event(&app, &staff, "SEAT-AD", 6, None, "at_deadline").await;
    // Seven priority-1 seats asked for six: Georgia first, with three.
    for (nation, seats) in [("GE", 3), ("UA", 1), ("MD", 1), ("JO", 1), ("TN", 1)] {
        let (status, answer) = ask(&app, &staff, "SEAT-AD-1", nation, seats, 1).await;
        assert_eq!((status, answer["status"].as_str()), (StatusCode::CREATED, Some("requested")), "{answer}");
    }
    let (_, late) = ask(&app, &staff, "SEAT-AD-1", "AM", 1, 2).await;
    // A partner officer may not allocate.
    let georgia = officer_token(&app, "GE").await;
    let refused = app.post_json("/api/v1/events/SEAT-AD-1/allocate", &georgia, &json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let answer = app.post_json("/api/v1/events/SEAT-AD-1/allocate", &staff, &json!({})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let rows = answer.json();
    let by_nation = |n: &str| rows.as_array().unwrap().iter().find(|r| r["nation"] == n).unwrap().clone();
    assert_eq!(by_nation("GE")["seats_allocated"], 2);
    assert_eq!(
        by_nation("GE")["reason"],
        "allocated 2 of 3: 6 seats, 7 seats asked at priority 1 or higher, one per nation first: your seat no. 3 came too late"
    );
    assert_eq!(by_nation("AM")["status"], "waitlisted");
    assert!(by_nation("AM")["reason"].as_str().unwrap().contains("higher priorities"), "{}", by_nation("AM"));
    assert_eq!(late["priority"], 2);

    // Tunisia cancels: the seat goes at once to Georgia's third (priority 1 before Armenia's 2).
    let tunisia = by_nation("TN")["id"].as_i64().unwrap();
    assert_eq!(
        app.post_json(&format!("/api/v1/requests/{tunisia}/cancel"), &staff, &json!({})).await.status,
        StatusCode::OK
    );
    let rows = app.get_bearer("/api/v1/events/SEAT-AD-1/requests", &staff).await.json();
    let ge = rows.as_array().unwrap().iter().find(|r| r["nation"] == "GE").unwrap();
    assert_eq!(ge["seats_allocated"], 3);
    assert!(app.audit_actions().await.iter().any(|(_, a)| a == "event.allocate"));
}

/// 200 requests at once for an event's last 10 seats, half through each of two application
/// instances with their own pools (two `entente serve` processes, to the database).
async fn two_hundred_requests_for_the_last_seats_never_overbook(app: TestApp) {
    let staff = staff_token(&app).await;
    event(&app, &staff, "SEAT-RUSH", 12, Some(1), "first_come").await;
    // Two seats already gone.
    for nation in ["GE", "UA"] {
        assert_eq!(ask(&app, &staff, "SEAT-RUSH-1", nation, 1, 1).await.0, StatusCode::CREATED);
    }
    let second = app.second_process().await;
    let routers = [app.router.clone(), second.router(entente::http::Options::default())];
    let partners = [
        "MD", "AM", "AZ", "KZ", "BA", "RS", "JO", "TN", "IL", "MR", "AU", "JP", "KR", "NZ", "MN", "IQ", "CO", "CH",
        "AT", "IE",
    ];
    let token = Arc::new(staff);
    let mut tasks = Vec::new();
    for i in 0..200 {
        let router = routers[i % 2].clone();
        let token = Arc::clone(&token);
        let nation = partners[i % partners.len()];
        tasks.push(tokio::spawn(async move {
            use tower::ServiceExt;
            let body = json!({ "nation": nation, "seats": 1, "priority": 1 }).to_string();
            let request = axum::http::Request::post("/api/v1/events/SEAT-RUSH-1/requests")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body))
                .unwrap();
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null))
        }));
    }
    let mut allocated = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "every request is answered: {body}");
        match body["status"].as_str() {
            Some("allocated") => allocated += body["seats_allocated"].as_i64().unwrap(),
            Some("waitlisted") => assert_eq!(body["seats_allocated"], 0),
            other => panic!("unexpected status {other:?}"),
        }
    }
    assert_eq!(allocated, 10, "exactly the 10 seats left are given");
    let rows = app.get_bearer("/api/v1/events/SEAT-RUSH-1/requests", &token).await.json();
    let total: i64 = rows.as_array().unwrap().iter().map(|r| r["seats_allocated"].as_i64().unwrap()).sum();
    assert_eq!((rows.as_array().unwrap().len(), total), (202, 12));
    // The quota of one per nation held too.
    let mut per_nation = std::collections::BTreeMap::<String, i64>::new();
    for r in rows.as_array().unwrap() {
        *per_nation.entry(r["nation"].as_str().unwrap().to_owned()).or_default() +=
            r["seats_allocated"].as_i64().unwrap();
    }
    assert!(per_nation.values().all(|&n| n <= 1), "{per_nation:?}");
    second.services.db.close().await;
}

on_both_backends!(two_hundred_requests_for_the_last_seats_never_overbook);

on_both_backends!(nominees_are_named_kept_from_other_nations_and_purged_after_the_event);

async fn nominees_are_named_kept_from_other_nations_and_purged_after_the_event(app: TestApp) {
    let staff = staff_token(&app).await;
    let georgia = officer_token(&app, "GE").await;
    let ukraine = officer_token(&app, "UA").await;
    event(&app, &staff, "SEAT-NOM", 10, None, "first_come").await;
    let (_, request) = ask(&app, &georgia, "SEAT-NOM-1", "GE", 2, 1).await;
    let id = request["id"].as_i64().unwrap();
    let uri = format!("/api/v1/requests/{id}/nominations");
    let nino =
        json!({ "name": "Nino Beridze", "rank": "Major", "position": "Staff officer", "email": "nino@mod.gov.ge" });
    let named = app.post_json(&uri, &georgia, &nino).await;
    assert_eq!(named.status, StatusCode::CREATED, "{}", named.text());

    // The same person again (whatever the case of her email), no name, a malformed email.
    let again = app.post_json(&uri, &georgia, &json!({ "name": "N. Beridze", "email": "NINO@mod.gov.ge" })).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text());
    let nameless = app.post_json(&uri, &georgia, &json!({ "name": " ", "email": "a@b.ge" })).await;
    assert_eq!((nameless.status, nameless.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")));
    let malformed = app.post_json(&uri, &georgia, &json!({ "name": "Giorgi", "email": "giorgi@" })).await;
    assert_eq!(
        (malformed.status, malformed.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("email"))
    );

    // Georgia and the staff read the name; Ukraine does not learn the request exists.
    assert_eq!(app.get_bearer(&uri, &georgia).await.json()[0]["name"], "Nino Beridze");
    assert_eq!(app.get_bearer(&uri, &staff).await.json()[0]["email"], "nino@mod.gov.ge");
    assert_eq!(app.get_bearer(&uri, &ukraine).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post_json(&uri, &ukraine, &nino).await.status, StatusCode::NOT_FOUND);

    // Invisible characters do not make another person; two seats given, two people at most.
    let hidden = json!({ "name": "Nino", "email": "nino\u{200b}@mod.gov.ge" });
    let refused = app.post_json(&uri, &georgia, &hidden).await;
    assert_eq!((refused.status, refused.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("email")));
    let second = json!({ "name": "Giorgi Kapanadze", "email": "giorgi@mod.gov.ge" });
    assert_eq!(app.post_json(&uri, &georgia, &second).await.status, StatusCode::CREATED);
    let third = json!({ "name": "Levan", "email": "levan@mod.gov.ge" });
    assert_eq!(app.post_json(&uri, &georgia, &third).await.status, StatusCode::CONFLICT);
    // A cancelled request takes its participants with it.
    let (_, other) = ask(&app, &georgia, "SEAT-NOM-1", "GE", 1, 2).await;
    let other_uri = format!("/api/v1/requests/{}/nominations", other["id"]);
    assert_eq!(app.post_json(&other_uri, &georgia, &third).await.status, StatusCode::CREATED);
    app.post_json(&format!("/api/v1/requests/{}/cancel", other["id"]), &georgia, &json!({})).await;
    assert_eq!(app.get_bearer(&other_uri, &georgia).await.json()[0]["status"], "cancelled");

    // Georgia confirms Nino; attendance is the organisers' to record, once the event starts.
    let nino_id = app.get_bearer(&uri, &georgia).await.json()[0]["id"].as_i64().unwrap();
    let status = |s: &str| json!({ "status": s });
    let nino_uri = format!("/api/v1/nominations/{nino_id}/status");
    assert_eq!(app.post_json(&nino_uri, &georgia, &status("confirmed")).await.json()["status"], "confirmed");
    assert_eq!(app.post_json(&nino_uri, &georgia, &status("attended")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post_json(&nino_uri, &staff, &status("attended")).await.status, StatusCode::CONFLICT, "not started");
    assert_eq!(app.post_json(&nino_uri, &ukraine, &status("cancelled")).await.status, StatusCode::NOT_FOUND);

    // Feedback comes after the event has started.
    let early = json!({ "role": "participant", "body": "Useful exercise.", "marking": "UNCLASSIFIED REL TO GE" });
    assert_eq!(
        app.post_json("/api/v1/events/SEAT-NOM-1/feedback", &georgia, &early).await.status,
        StatusCode::CONFLICT
    );
    let start = chrono::NaiveDate::from_ymd_opt(next_year(), 3, 2).unwrap();
    app.clock.advance(chrono::Duration::days((start - chrono::Utc::now().date_naive()).num_days()));
    let (georgia, ukraine, staff) = (
        app.token("officer.ge@example.org", true).await,
        app.token("officer.ua@example.org", true).await,
        app.token("seats.staff@example.org", true).await,
    );
    assert_eq!(app.post_json(&nino_uri, &staff, &status("attended")).await.json()["status"], "attended");
    // Georgia's report, released to Georgia only, is not Ukraine's to read; Ukraine, given
    // no seat, files no participant's report; a NUL byte is refused.
    let feedback = json!({ "role": "participant", "body": "Useful exercise.", "marking": "UNCLASSIFIED REL TO GE" });
    let filed = app.post_json("/api/v1/events/SEAT-NOM-1/feedback", &georgia, &feedback).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.text());
    let organiser = json!({ "role": "organiser", "body": "Ran well.", "marking": "UNCLASSIFIED" });
    assert_eq!(
        app.post_json("/api/v1/events/SEAT-NOM-1/feedback", &georgia, &organiser).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_bearer("/api/v1/events/SEAT-NOM-1/feedback", &georgia).await.json().as_array().unwrap().len(),
        1
    );
    assert_eq!(
        app.get_bearer("/api/v1/events/SEAT-NOM-1/feedback", &ukraine).await.json().as_array().unwrap().len(),
        0
    );

    let nul = json!({ "role": "participant", "body": "x\u{0}y", "marking": "UNCLASSIFIED" });
    let refused = app.post_json("/api/v1/events/SEAT-NOM-1/feedback", &georgia, &nul).await;
    assert_eq!((refused.status, refused.json()["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("body")));
    let stranger = json!({ "role": "participant", "body": "Seen from afar.", "marking": "UNCLASSIFIED" });
    assert_eq!(
        app.post_json("/api/v1/events/SEAT-NOM-1/feedback", &ukraine, &stranger).await.status,
        StatusCode::CONFLICT
    );

    // Ninety days after the event, the personal data goes; the purge is audited.
    let operator = entente::service::accounts::Actor::operator();
    assert_eq!(app.services.nominations.purge(&operator, 90).await.unwrap(), 0);
    app.clock.advance(chrono::Duration::days(4 + 92));
    assert_eq!(app.services.nominations.purge(&operator, 90).await.unwrap(), 3, "every nomination to the event");
    let staff = app.token("seats.staff@example.org", true).await;
    let purged = app.get_bearer(&uri, &staff).await.json();
    assert_eq!((purged[0]["name"].clone(), purged[0]["email"].clone()), (Value::Null, Value::Null));
    assert!(purged[0]["purged_at"].is_string());
    let actions = app.audit_actions().await;
    assert!(actions.iter().any(|(_, a)| a == "nomination.purge"));
    assert!(actions.iter().any(|(_, a)| a == "nomination.create"));
}

/// Two `entente serve` processes on one PostgreSQL database, 200 requests at once for an
/// event's last 10 seats, half to each: exactly 10 are given, each request is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_never_overbook() {
    if crate::support::postgres_skipped() {
        return;
    }
    let app = TestApp::postgres().await;
    let staff = staff_token(&app).await;
    event(&app, &staff, "SEAT-PROC", 10, None, "first_come").await;
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| crate::foundation::start_server(&app.url, dir.path()));
        let b = scope.spawn(|| crate::foundation::start_server(&app.url, dir.path()));
        (a.join().unwrap(), b.join().unwrap())
    });
    let partners = [
        "GE", "UA", "MD", "AM", "AZ", "KZ", "BA", "RS", "JO", "TN", "IL", "MR", "AU", "JP", "KR", "NZ", "MN", "IQ",
        "CO", "CH",
    ];
    let statuses: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..200)
            .map(|i| {
                let address = if i % 2 == 0 { a.address.clone() } else { b.address.clone() };
                let body = json!({ "nation": partners[i % partners.len()], "seats": 1, "priority": 1 }).to_string();
                let staff = staff.clone();
                scope.spawn(move || {
                    use std::io::{Read, Write};
                    let mut stream = std::net::TcpStream::connect(&address).unwrap();
                    write!(
                        stream,
                        "POST /api/v1/events/SEAT-PROC-1/requests HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {staff}\r\n\
                         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .unwrap();
                    let mut answer = String::new();
                    stream.read_to_string(&mut answer).unwrap();
                    answer
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    drop((a, b));
    let created = statuses.iter().filter(|s| s.starts_with("HTTP/1.1 201")).count();
    assert_eq!(
        created,
        200,
        "every request is answered: {:?}",
        statuses.iter().find(|s| !s.starts_with("HTTP/1.1 201"))
    );
    let rows = app.get_bearer("/api/v1/events/SEAT-PROC-1/requests", &staff).await.json();
    let given: i64 = rows.as_array().unwrap().iter().map(|r| r["seats_allocated"].as_i64().unwrap()).sum();
    let allocated = rows.as_array().unwrap().iter().filter(|r| r["status"] == "allocated").count();
    assert_eq!((rows.as_array().unwrap().len(), given, allocated), (200, 10, 10));
}

on_both_backends!(a_years_allocation_keeps_earlier_answers_and_spends_what_is_left_of_budgets);

async fn a_years_allocation_keeps_earlier_answers_and_spends_what_is_left_of_budgets(app: TestApp) {
    let staff = staff_token(&app).await;
    let year = next_year();
    event(&app, &staff, "SEAT-Y1", 5, None, "at_deadline").await;
    event(&app, &staff, "SEAT-Y2", 5, None, "at_deadline").await;
    for (event, nation, seats) in [("SEAT-Y1-1", "GE", 2), ("SEAT-Y2-1", "GE", 2), ("SEAT-Y2-1", "UA", 1)] {
        assert_eq!(ask(&app, &staff, event, nation, seats, 1).await.0, StatusCode::CREATED);
    }
    // The first event is allocated on its own; Georgia's two seats there stand.
    assert_eq!(app.post_json("/api/v1/events/SEAT-Y1-1/allocate", &staff, &json!({})).await.status, StatusCode::OK);
    let budget = json!({ "nation": "GE", "year": year, "area": "", "seats": 3 });
    let request = axum::http::Request::put("/api/v1/budgets")
        .header("authorization", format!("Bearer {staff}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(budget.to_string()))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::NO_CONTENT);

    let answer = app.post_json(&format!("/api/v1/allocations/{year}"), &staff, &json!({})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let rows = answer.json()["requests"].clone();
    let events: std::collections::BTreeSet<&str> =
        rows.as_array().unwrap().iter().map(|r| r["event"].as_str().unwrap()).collect();
    assert_eq!(events.into_iter().collect::<Vec<_>>(), ["SEAT-Y2-1"], "the allocated event is left as it was");
    let georgia = rows.as_array().unwrap().iter().find(|r| r["nation"] == "GE").unwrap();
    assert_eq!(georgia["seats_allocated"], 1, "3 sponsored seats, 2 already given: {georgia}");
    assert!(georgia["reason"].as_str().unwrap().contains("yearly budget"), "{georgia}");
    let first = app.get_bearer("/api/v1/events/SEAT-Y1-1/requests", &staff).await.json();
    assert_eq!(first[0]["seats_allocated"], 2);
}
