//! The ecosystem's conventions, as a client would check them: NUL bytes refused, problem
//! documents for every API error, caching with ETags, compression, canonical paths, `Link`
//! headers, CSV that spreadsheets read safely, and doubt said where the registry has it.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use entente_core::{Affiliation, Classification, Role};

use crate::support::{PASSWORD, TestApp, multipart, on_both_backends, pdf};

on_both_backends!(
    nul_bytes_are_refused_everywhere_never_a_server_error,
    every_api_error_is_a_problem_document,
    registry_reads_are_cached_by_etag_and_the_rest_is_not_stored,
    answers_are_compressed_when_asked_and_paths_are_canonical,
    paged_lists_link_to_their_neighbours_and_bad_pages_are_refused,
    a_head_on_a_download_is_not_a_download,
    csv_exports_are_safe_for_spreadsheets_and_keep_every_source,
    doubt_is_said_and_impossible_intervals_are_refused,
);

async fn analyst(app: &TestApp) -> String {
    let email =
        app.user("analyst@example.org", Role::Analyst, Affiliation::AllianceStaff, Classification::Restricted).await;
    app.token(&email, true).await
}

async fn nul_bytes_are_refused_everywhere_never_a_server_error(app: TestApp) {
    let token = analyst(&app).await;
    let audit = app.get_bearer("/api/v1/audit?actor=a%00b", &token).await;
    assert_eq!(audit.status, StatusCode::BAD_REQUEST, "{}", audit.text());
    assert_eq!(audit.content_type, "application/problem+json");
    let page = app.get("/nations?q=%00").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);

    let sign_in =
        app.post_pre_session("/sign-in", "/sign-in", &[("email", "a\0@example.org"), ("password", "x")]).await;
    assert_eq!(sign_in.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", sign_in.text());

    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let staff_token = app.token(&staff, true).await;
    let upload = app.upload(&staff_token, &[("title", "a\0b"), ("marking", "PUBLIC")], "n.pdf", &pdf("n")).await;
    assert_eq!(upload.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", upload.text());
    assert_eq!(upload.json()["field"], "title");
    let named =
        app.upload(&staff_token, &[("title", "t"), ("marking", "PUBLIC")], "evil\u{202e}fdp.exe.pdf", &pdf("n")).await;
    assert_eq!(named.status, StatusCode::UNPROCESSABLE_ENTITY, "a bidirectional override in a file name");
    assert_eq!(named.json()["field"], "file");

    let session = app.sign_in(&staff, PASSWORD).await.unwrap();
    let minted = app
        .post_form("/account/tokens", Some(&session), &[("csrf", &session.csrf), ("name", "x\0"), ("days", "5")])
        .await;
    assert_eq!(minted.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn every_api_error_is_a_problem_document(app: TestApp) {
    let problem = |answer: &crate::support::Answer, status: StatusCode| {
        assert_eq!(answer.status, status, "{}", answer.text());
        assert_eq!(answer.content_type, "application/problem+json", "{status}: {}", answer.text());
        assert_eq!(answer.json()["status"], status.as_u16());
    };
    let wrong_method = app.send(Request::delete("/api/v1/nations").body(Body::empty()).unwrap()).await;
    problem(&wrong_method, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.headers.contains_key(header::ALLOW));
    problem(&app.get("/api/v1/no-such-thing").await, StatusCode::NOT_FOUND);
    let anonymous = app.get("/api/v1/me").await;
    problem(&anonymous, StatusCode::UNAUTHORIZED);
    assert!(anonymous.headers[header::WWW_AUTHENTICATE].to_str().unwrap().starts_with("Bearer"));

    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let token = app.token(&staff, true).await;
    let broken = Request::post("/api/v1/documents")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body(Body::from("--x\r\nnot a part"))
        .unwrap();
    let broken = app.send(broken).await;
    assert!(broken.status.is_client_error(), "{}", broken.text());
    assert_eq!(broken.content_type, "application/problem+json");

    // An anonymous upload is refused before its body is read.
    let (content_type, body) = multipart(&[("title", "t"), ("marking", "PUBLIC")], "n.pdf", &pdf("n"));
    let anonymous_upload =
        Request::post("/api/v1/documents").header(header::CONTENT_TYPE, content_type).body(Body::from(body)).unwrap();
    problem(&app.send(anonymous_upload).await, StatusCode::UNAUTHORIZED);
}

async fn registry_reads_are_cached_by_etag_and_the_rest_is_not_stored(app: TestApp) {
    let first = app.get("/api/v1/nations/SE").await;
    assert_eq!(first.status, StatusCode::OK);
    let first = app.get("/api/v1/nations/SE").await;
    let etag = first.headers[header::ETAG].to_str().unwrap().to_owned();
    assert_eq!(first.headers[header::CACHE_CONTROL], "public, no-cache");
    let again = Request::get("/api/v1/nations/SE").header(header::IF_NONE_MATCH, &etag).body(Body::empty()).unwrap();
    let again = app.send(again).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    // An import makes a new revision, and the old tag no longer matches.
    let import = entente::service::registry::REFERENCE_DATASET.replace("Sweden,Suède", "Sweden,La Suède");
    app.services
        .registry
        .import(import.as_bytes(), entente::service::registry_file::FileFormat::Csv, "cli:test")
        .await
        .unwrap();
    let after = Request::get("/api/v1/nations/SE").header(header::IF_NONE_MATCH, &etag).body(Body::empty()).unwrap();
    assert_eq!(app.send(after).await.status, StatusCode::OK);

    assert_eq!(app.get("/").await.headers[header::CACHE_CONTROL], "no-store");
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let session = app.sign_in(&staff, PASSWORD).await.unwrap();
    assert_eq!(app.get_with("/account", &session).await.headers[header::CACHE_CONTROL], "no-store");
}

async fn answers_are_compressed_when_asked_and_paths_are_canonical(app: TestApp) {
    for encoding in ["gzip", "br"] {
        let request = Request::get("/api/v1/registry/status?at=2020-01-01")
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap();
        let answer = app.send(request).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.headers[header::CONTENT_ENCODING], encoding);
    }
    let plain = app.get("/api/v1/registry/status?at=2020-01-01").await;
    assert!(!plain.headers.contains_key(header::CONTENT_ENCODING), "only when asked");
    let page = app.send(Request::get("/").header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap()).await;
    assert!(!page.headers.contains_key(header::CONTENT_ENCODING), "pages carry CSRF tokens: never compressed (BREACH)");

    let slash = app.get("/nations/?q=se").await;
    assert_eq!(slash.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(slash.headers[header::LOCATION], "/nations?q=se");
    let api_slash = app.get("/api/v1/frameworks/").await;
    assert_eq!(api_slash.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(api_slash.headers[header::LOCATION], "/api/v1/frameworks");
    let elsewhere = app.get("//evil.example/").await;
    assert!(
        elsewhere.headers.get(header::LOCATION).is_none_or(|l| !l.to_str().unwrap().starts_with("//")),
        "never a redirect to another host"
    );
}

async fn paged_lists_link_to_their_neighbours_and_bad_pages_are_refused(app: TestApp) {
    let first = app.get("/api/v1/nations?per_page=10").await;
    let link = first.headers[header::LINK].to_str().unwrap().to_owned();
    assert_eq!(link, "</api/v1/nations?per_page=10&page=2>; rel=\"next\"");
    let second = app.get("/api/v1/nations?per_page=10&page=2").await;
    let link = second.headers[header::LINK].to_str().unwrap().to_owned();
    assert!(link.contains("page=3>; rel=\"next\"") && link.contains("page=1>; rel=\"prev\""), "{link}");

    let overflow = app.get("/api/v1/nations?page=18446744073709551616").await;
    assert_eq!(overflow.status, StatusCode::BAD_REQUEST);
    assert_eq!(overflow.json()["parameter"], "page");
    let token = analyst(&app).await;
    assert_eq!(app.get_bearer("/api/v1/audit?page=99999999999999", &token).await.status, StatusCode::BAD_REQUEST);
    for bad in ["from=yesterday", "to=2026-13-45"] {
        let answer = app.get_bearer(&format!("/api/v1/audit?{bad}"), &token).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{bad}: {}", answer.text());
        assert_eq!(answer.json()["parameter"], bad.split('=').next().unwrap());
    }
    assert_eq!(app.get_bearer("/api/v1/audit?from=&to=", &token).await.status, StatusCode::OK, "empty means none");
}

async fn a_head_on_a_download_is_not_a_download(app: TestApp) {
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let token = app.token(&staff, true).await;
    let uploaded = app
        .upload(&token, &[("title", "Été notes"), ("marking", "RESTRICTED")], "Compte rendu été.pdf", &pdf("n"))
        .await;
    let id = uploaded.json()["id"].as_i64().unwrap();
    let uri = format!("/api/v1/documents/{id}/content");
    let head =
        Request::head(&uri).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
    let head = app.send(head).await;
    assert_eq!(head.status, StatusCode::OK);
    let downloads =
        || async { app.audit_actions().await.into_iter().filter(|(_, action)| action == "document.download").count() };
    assert_eq!(downloads().await, 0, "a HEAD is not a download");
    let got = app.get_bearer(&uri, &token).await;
    assert_eq!(downloads().await, 1);
    assert_eq!(got.headers[header::CACHE_CONTROL], "no-store", "a marked file is never kept");
    let disposition = got.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains("filename*=UTF-8''Compte%20rendu%20%C3%A9t%C3%A9.pdf"), "{disposition}");
}

async fn csv_exports_are_safe_for_spreadsheets_and_keep_every_source(app: TestApp) {
    let risky = entente::service::registry::REFERENCE_DATASET.replacen(
        "Programme of bilateral practical cooperation",
        "=HYPERLINK(\"http://evil.example\") Programme of bilateral practical cooperation",
        1,
    );
    let csv = entente::service::registry_file::FileFormat::Csv;
    app.services.registry.import(risky.as_bytes(), csv, "cli:test").await.unwrap();
    let exported = String::from_utf8(app.services.registry.export(csv).await.unwrap()).unwrap();
    assert!(exported.contains(",\"'=HYPERLINK("), "a formula is neutralised");
    assert!(exported.contains("\r\n") && !exported.replace("\r\n", "").contains('\n'), "RFC 4180 line endings");
    let pfp = exported.lines().find(|l| l.starts_with("framework,PFP,")).unwrap();
    assert!(pfp.ends_with("milestones: Brussels Summit 10-11 Jan 1994"), "the framework keeps its source: {pfp}");
    // Imported again, the file is the same registry.
    app.services.registry.import(exported.as_bytes(), csv, "cli:test").await.unwrap();
    assert_eq!(String::from_utf8(app.services.registry.export(csv).await.unwrap()).unwrap(), exported);

    let token = analyst(&app).await;
    let audit = app.get_bearer("/api/v1/audit?format=csv", &token).await;
    assert!(audit.text().starts_with("seq,at,actor,action,detail,hash\r\n"));
}

async fn doubt_is_said_and_impossible_intervals_are_refused(app: TestApp) {
    let china = app.get_json("/api/v1/nations/CN?at=2014-03-30").await;
    assert_eq!(china["status"], serde_json::Value::Null);
    assert_eq!(china["certain"], false, "China may already have been in dialogue before the source's date");
    assert_eq!(app.get_json("/api/v1/nations/CN?at=2014-04-01").await["certain"], true);

    // In force on no day: counted from 1 March, the end comes before the start.
    let impossible = format!(
        "{}participation,IN,PFP,,,,2014-03-31,2014-03,left,,test source\n",
        entente::service::registry::REFERENCE_DATASET
    );
    let refused = app
        .services
        .registry
        .import(impossible.as_bytes(), entente::service::registry_file::FileFormat::Csv, "cli:test")
        .await;
    let Err(entente::service::ServiceError::InvalidFile(problems)) = refused else { panic!("{refused:?}") };
    assert!(problems.iter().any(|p| p.reason.contains("before the start")), "{problems:?}");
}
