//! The registry through the JSON API.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{TestApp, on_both_backends};

on_both_backends!(
    the_alliance_has_32_members_in_march_2024,
    sweden_is_a_partner_then_a_member,
    malta_left_and_rejoined_the_partnership_for_peace,
    bad_dates_are_refused_with_a_problem_naming_the_parameter,
    unknown_codes_are_not_found,
    a_nation_has_a_timeline_and_changes_are_listed,
    nations_are_searched_and_paginated,
    health_and_metrics_answer,
);

fn nations_with(body: &Value, status: &str) -> Vec<String> {
    body["nations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["status"] == status)
        .map(|n| n["nation"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_alliance_has_32_members_in_march_2024(app: TestApp) {
    let body = app.get_json("/api/v1/registry/status?at=2024-03-07").await;
    assert_eq!(nations_with(&body, "member").len(), 32);
    assert_eq!(body["at"], "2024-03-07");
    let before = app.get_json("/api/v1/registry/status?at=2024-03-06").await;
    assert_eq!(nations_with(&before, "member").len(), 31);
    let founding = app.get_json("/api/v1/registry/status?at=1949-04-04").await;
    assert_eq!(nations_with(&founding, "member").len(), 12);
}

async fn sweden_is_a_partner_then_a_member(app: TestApp) {
    let in_2020 = app.get_json("/api/v1/nations/SE?at=2020-01-01").await;
    assert_eq!(in_2020["status"]["status"], "partner");
    let frameworks: Vec<&str> =
        in_2020["status"]["frameworks"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(frameworks.contains(&"PFP"), "{frameworks:?}");
    let in_2024 = app.get_json("/api/v1/nations/SE?at=2024-03-07").await;
    assert_eq!(in_2024["status"]["status"], "member");
    assert_eq!(in_2024["name_fr"], "Suède");
}

async fn malta_left_and_rejoined_the_partnership_for_peace(app: TestApp) {
    let participants = |body: Value| -> Vec<String> {
        body["participants"].as_array().unwrap().iter().map(|p| p["nation"].as_str().unwrap().to_owned()).collect()
    };
    let in_2009 = participants(app.get_json("/api/v1/frameworks/PFP/participants?at=2009-01-01").await);
    assert!(in_2009.contains(&"MT".to_owned()));
    let in_2000 = participants(app.get_json("/api/v1/frameworks/PFP/participants?at=2000-01-01").await);
    assert!(!in_2000.contains(&"MT".to_owned()));
    assert!(in_2000.contains(&"AT".to_owned()), "Austria joined in 1995");
}

async fn bad_dates_are_refused_with_a_problem_naming_the_parameter(app: TestApp) {
    for (uri, parameter, value) in [
        ("/api/v1/registry/status?at=2008-13-01", "at", Some("2008-13-01")),
        ("/api/v1/registry/status?at=yesterday", "at", Some("yesterday")),
        ("/api/v1/registry/status", "at", None),
        ("/api/v1/frameworks/PFP/participants?at=2008-02-30", "at", Some("2008-02-30")),
        ("/api/v1/registry/changes?from=2008-01-01", "to", None),
        ("/api/v1/registry/changes?from=2009-01-01&to=2008-01-01", "to", Some("2008-01-01")),
        ("/api/v1/nations?per_page=0", "per_page", Some("0")),
    ] {
        let answer = app.get(uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(answer.content_type, "application/problem+json", "{uri}");
        let problem = answer.json();
        assert_eq!(problem["status"], 400);
        assert_eq!(problem["parameter"], parameter, "{uri}");
        if value == Some("yesterday") {
            assert_eq!(problem["detail"], "query parameter `at`: `yesterday` is not a day written YYYY-MM-DD");
        }
        match value {
            Some(value) => {
                assert_eq!(problem["value"], value, "{uri}");
                assert!(problem["detail"].as_str().unwrap().contains(value), "{uri}: {problem}");
            }
            None => assert!(problem.get("value").is_none()),
        }
    }
}

async fn unknown_codes_are_not_found(app: TestApp) {
    for uri in [
        "/api/v1/nations/XX",
        "/api/v1/nations/s3",
        "/api/v1/nations/ZW/timeline",
        "/api/v1/frameworks/NOPE/participants?at=2008-01-01",
    ] {
        let answer = app.get(uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(answer.content_type, "application/problem+json");
        assert_eq!(answer.json()["status"], 404);
    }
}

async fn a_nation_has_a_timeline_and_changes_are_listed(app: TestApp) {
    let malta = app.get_json("/api/v1/nations/MT/timeline").await;
    let pfp: Vec<&Value> = malta["entries"].as_array().unwrap().iter().filter(|e| e["framework"] == "PFP").collect();
    assert_eq!(pfp.len(), 2, "Malta left and re-joined: {malta}");
    assert_eq!(pfp[0]["end"], "1996-10-27");
    assert_eq!(pfp[0]["end_reason"], "left");
    let egypt = app.get_json("/api/v1/nations/EG/timeline").await;
    assert_eq!(egypt["entries"][0]["start"], "1995-02", "precision is kept");
    assert_eq!(egypt["entries"][0]["text"], "Feb 1995 – present");
    let russia = app.get_json("/api/v1/nations/RU/timeline").await;
    let suspended = russia["entries"].as_array().unwrap().iter().find(|e| e["framework"] == "PFP").unwrap();
    assert_eq!(suspended["end"], "2014-04-01", "practical cooperation suspended by the foreign ministers");
    assert_eq!(suspended["end_reason"], "suspended");
    let eapc = russia["entries"].as_array().unwrap().iter().find(|e| e["framework"] == "EAPC").unwrap();
    assert_eq!(eapc["end"], "by 2022-06-29", "an unknown end date is not invented");

    let changes = app.get_json("/api/v1/registry/changes?from=2023-12-31&to=2024-12-31").await;
    let sweden: Vec<(String, String, String)> = changes["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["nation"] == "SE")
        .map(|c| {
            let what = c["framework"].as_str().unwrap_or("membership").to_owned();
            (c["day"].as_str().unwrap().to_owned(), what, c["movement"].as_str().unwrap().to_owned())
        })
        .collect();
    assert!(sweden.contains(&("2024-03-07".into(), "membership".into(), "joined".into())), "{sweden:?}");
    assert!(sweden.contains(&("2024-03-07".into(), "PFP".into(), "left".into())), "{sweden:?}");
}

async fn nations_are_searched_and_paginated(app: TestApp) {
    let found = app.get_json("/api/v1/nations?q=su").await;
    let codes: Vec<&str> = found["items"].as_array().unwrap().iter().map(|n| n["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"SE") && codes.contains(&"CH"), "Suède and Suisse match in French: {codes:?}");
    let first = app.get_json("/api/v1/nations?per_page=10").await;
    let second = app.get_json("/api/v1/nations?per_page=10&page=2").await;
    assert_eq!(first["items"].as_array().unwrap().len(), 10);
    assert_eq!(first["total"], second["total"]);
    assert_ne!(first["items"][0]["code"], second["items"][0]["code"]);
    let frameworks = app.get_json("/api/v1/frameworks").await;
    let codes: Vec<&str> =
        frameworks["items"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    for code in ["PFP", "EAPC", "NACC", "MD", "ICI", "PATG", "EOP", "DIALOGUE"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}

async fn health_and_metrics_answer(app: TestApp) {
    let health = app.get_json("/healthz").await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database"], app.services.db.backend());
    app.get("/api/v1/nations/SE").await;
    app.get("/api/v1/nations/XX").await;
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status, StatusCode::OK);
    let text = metrics.text();
    let labels = "route=\"/api/v1/nations/{code}\",method=\"GET\"";
    assert!(text.contains(&format!("entente_http_requests_total{{{labels},status=\"200\"}} 1")), "{text}");
    assert!(text.contains(&format!("entente_http_requests_total{{{labels},status=\"404\"}} 1")), "{text}");
    assert!(text.contains(&format!("entente_http_request_duration_seconds_count{{{labels}}} 2")), "{text}");
    for series in [
        "entente_registry_revision 1",
        "entente_build_info{version=",
        "entente_db_pool_connections ",
        "entente_registry_snapshot_age_seconds ",
        "process_resident_memory_bytes ",
        "entente_connections_open ",
    ] {
        assert!(text.contains(series), "{series} in {text}");
    }
    promtool_accepts(&text);

    // From another address: refused, unless allowed or holding the token.
    let from = |address: [u8; 4], token: Option<&str>| {
        let mut request = axum::http::Request::get("/metrics")
            .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((address, 4000))));
        if let Some(token) = token {
            request = request.header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"));
        }
        request.body(axum::body::Body::empty()).unwrap()
    };
    assert_eq!(app.send(from([127, 0, 0, 1], None)).await.status, StatusCode::OK);
    assert_eq!(app.send(from([203, 0, 113, 9], None)).await.status, StatusCode::FORBIDDEN);
    // Behind a proxy on this machine not declared trusted, a forwarded client is not local.
    let mut proxied = from([127, 0, 0, 1], None);
    proxied.headers_mut().insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
    assert_eq!(app.send(proxied).await.status, StatusCode::FORBIDDEN);
    let access = entente::config::MetricsAccess {
        allow: vec!["10.0.0.0/8".to_owned().try_into().unwrap()],
        token: Some("scraper-secret".into()),
    };
    let app = app.with_options(entente::http::Options { metrics: access, ..Default::default() });
    assert_eq!(app.send(from([10, 1, 2, 3], None)).await.status, StatusCode::OK);
    assert_eq!(app.send(from([203, 0, 113, 9], Some("scraper-secret"))).await.status, StatusCode::OK);
    assert_eq!(app.send(from([203, 0, 113, 9], Some("wrong"))).await.status, StatusCode::FORBIDDEN);
}

/// `promtool check metrics` on `text`: required under CI (the test script installs it).
fn promtool_accepts(text: &str) {
    use std::io::Write;
    let child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("promtool is not installed ({e}); the metrics format was not checked by it");
            return;
        }
        Err(e) => panic!("promtool is needed under CI=true (Debian package prometheus): {e}"),
    };
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && said.trim().is_empty(), "promtool: {said}");
}
