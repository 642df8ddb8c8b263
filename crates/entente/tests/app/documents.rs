//! Documents: what each caller may see, in lists, counts, details and downloads, and what
//! an upload must be.

use axum::http::StatusCode;
use entente_core::{Affiliation, Classification, Role};

use crate::support::{TestApp, on_both_backends, pdf};

on_both_backends!(
    a_partner_officer_sees_her_nations_documents_and_no_other_partners,
    uploads_are_checked_before_anything_is_stored,
    an_officer_writes_only_her_own_nations_documents,
);

/// Georgia's and Ukraine's restricted documents (each released to its own nation), a PfP-released one and a public one;
/// returns their ids in that order.
async fn four_documents(app: &TestApp) -> [i64; 4] {
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let token = app.token(&staff, true).await;
    let mut ids = [0; 4];
    let documents = [
        ("Georgia programme notes", "RESTRICTED REL TO GE", "GE"),
        ("Ukraine liaison report", "RESTRICTED REL TO UA", "UA"),
        ("PfP course calendar", "UNCLASSIFIED REL TO PFP", ""),
        ("Public overview", "PUBLIC", ""),
    ];
    for (i, (title, marking, owner)) in documents.into_iter().enumerate() {
        let answer = app
            .upload(&token, &[("title", title), ("marking", marking), ("owner", owner)], "doc.pdf", &pdf(title))
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        ids[i] = answer.json()["id"].as_i64().unwrap();
    }
    ids
}

async fn a_partner_officer_sees_her_nations_documents_and_no_other_partners(app: TestApp) {
    let [georgia, ukraine, pfp, public] = four_documents(&app).await;
    let officer = app.officer("GE").await;
    let token = app.token(&officer, false).await;
    let listed = app.get_bearer("/api/v1/documents", &token).await.json();
    let titles: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|d| d["title"].as_str().unwrap()).collect();
    assert_eq!(titles, vec!["Public overview", "PfP course calendar", "Georgia programme notes"]);
    assert_eq!(listed["total"], 3, "the count leaks nothing either");
    assert_eq!(
        app.get_bearer(&format!("/api/v1/documents/{georgia}"), &token).await.json()["marking"],
        "RESTRICTED REL TO GE"
    );
    for uri in [format!("/api/v1/documents/{ukraine}"), format!("/api/v1/documents/{ukraine}/content")] {
        assert_eq!(app.get_bearer(&uri, &token).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let download = app.get_bearer(&format!("/api/v1/documents/{georgia}/content"), &token).await;
    assert_eq!(download.body, pdf("Georgia programme notes"));
    assert!(app.audit_actions().await.iter().any(|(_, a)| a == "document.download"));

    // Anonymous visitors see the public document only; Ukraine's officer sees Ukraine's.
    let anonymous = app.get("/api/v1/documents").await.json();
    assert_eq!(anonymous["total"], 1);
    assert_eq!(app.get(&format!("/api/v1/documents/{pfp}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/documents/{public}")).await.status, StatusCode::OK);
    let ukrainian = app.token(&app.officer("UA").await, false).await;
    assert_eq!(app.get_bearer(&format!("/api/v1/documents/{ukraine}"), &ukrainian).await.status, StatusCode::OK);
    assert_eq!(app.get_bearer(&format!("/api/v1/documents/{georgia}"), &ukrainian).await.status, StatusCode::NOT_FOUND);
}

/// Form fields, file name, bytes, expected status and a phrase the problem must contain.
type UploadCase<'a> = (Vec<(&'a str, &'a str)>, &'a str, Vec<u8>, StatusCode, &'a str);

async fn uploads_are_checked_before_anything_is_stored(app: TestApp) {
    let officer = app.officer("GE").await;
    let token = app.token(&officer, true).await;
    let ok_fields = [("title", "Notes"), ("marking", "RESTRICTED REL TO GE"), ("owner", "GE")];
    let too_large = vec![b'%'; 10 * 1024 * 1024 + 1];
    let mut big_pdf = b"%PDF-1.4\n".to_vec();
    big_pdf.extend(&too_large);
    let cases: Vec<UploadCase> = vec![
        (ok_fields.to_vec(), "big.pdf", big_pdf, StatusCode::PAYLOAD_TOO_LARGE, "larger than the limit"),
        (
            ok_fields.to_vec(),
            "script.sh",
            b"#!/bin/sh\n".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not an accepted type",
        ),
        (
            ok_fields.to_vec(),
            "fake.pdf",
            b"MZ\x90\x00".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "does not contain what",
        ),
        (
            vec![("title", "Notes"), ("marking", "SECRET REL TO GE"), ("owner", "GE")],
            "notes.pdf",
            pdf("x"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown classification `SECRET`",
        ),
        (
            vec![("title", "Notes"), ("marking", "RESTRICTED REL TO GE, XX"), ("owner", "GE")],
            "notes.pdf",
            pdf("x"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown code `XX` in REL TO",
        ),
    ];
    for (fields, filename, bytes, status, message) in cases {
        let answer = app.upload(&token, &fields, filename, &bytes).await;
        assert_eq!(answer.status, status, "{filename}: {}", answer.text());
        assert!(answer.json()["detail"].as_str().unwrap().contains(message), "{}", answer.text());
    }
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let listed = app.get_bearer("/api/v1/documents", &app.token(&staff, false).await).await.json();
    assert_eq!(listed["total"], 0, "nothing was stored");
}

async fn an_officer_writes_only_her_own_nations_documents(app: TestApp) {
    let token = app.token(&app.officer("GE").await, true).await;
    let for_ukraine = [("title", "Notes"), ("marking", "RESTRICTED REL TO PFP"), ("owner", "UA")];
    let answer = app.upload(&token, &for_ukraine, "notes.pdf", &pdf("x")).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text());
    let analyst =
        app.user("analyst@example.org", Role::Analyst, Affiliation::AllianceStaff, Classification::Restricted).await;
    let answer = app
        .upload(&app.token(&analyst, true).await, &[("title", "A"), ("marking", "UNCLASSIFIED")], "a.pdf", &pdf("x"))
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "analysts only read");
}

/// A row the SQL filter admits but `authorize()` then hides (here a release to nobody, which
/// the service refuses to read) neither moves the cursor back nor ends the paging early.
#[tokio::test]
async fn a_hidden_row_does_not_end_the_paging() {
    let app = TestApp::sqlite().await;
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let token = app.token(&staff, true).await;
    let mut ids = Vec::new();
    for title in ["older", "newer"] {
        let answer = app.upload(&token, &[("title", title), ("marking", "UNCLASSIFIED")], "d.pdf", &pdf(title)).await;
        ids.push(answer.json()["id"].as_i64().unwrap());
    }
    let mut conn =
        <sqlx::SqliteConnection as sqlx::Connection>::connect(&app.application.config.database_url).await.unwrap();
    sqlx::query("update documents set releasable_to = 'listed' where id = $1")
        .bind(ids[1])
        .execute(&mut conn)
        .await
        .unwrap();

    let first = app.get_bearer("/api/v1/documents?per_page=1", &token).await.json();
    assert_eq!(first["items"].as_array().unwrap().len(), 0, "the unreadable document is hidden: {first}");
    assert_eq!(first["next_after"], ids[1], "the cursor passes the hidden row: {first}");
    let second = app.get_bearer(&format!("/api/v1/documents?per_page=1&after={}", ids[1]), &token).await.json();
    assert_eq!(second["items"][0]["id"], ids[0], "{second}");
}

on_both_backends!(documents_are_edited_replaced_withdrawn_searched_and_sorted);

/// A document's title and links change, its file is replaced (the old one kept and
/// listed), it is withdrawn (kept, no longer listed); lists search titles ignoring case
/// and accents, filter by marking, nation and framework, and sort by title.
async fn documents_are_edited_replaced_withdrawn_searched_and_sorted(app: TestApp) {
    use serde_json::json;
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let token = app.token(&staff, true).await;
    let mut ids = Vec::new();
    for (title, marking, owner) in [
        ("Compte rendu de la réunion", "UNCLASSIFIED", "GE"),
        ("Annual review", "RESTRICTED REL TO GE", "GE"),
        ("Budget notes", "RESTRICTED MEMBERS ONLY", "UA"),
    ] {
        let answer =
            app.upload(&token, &[("title", title), ("marking", marking), ("owner", owner)], "a.pdf", &pdf(title)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text());
        ids.push(answer.json()["id"].as_i64().unwrap());
    }
    let request = |method: &str, uri: String, body: serde_json::Value| {
        axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap()
    };
    let edited = app
        .send(request(
            "PATCH",
            format!("/api/v1/documents/{}", ids[1]),
            json!({ "title": "Annual review 2026", "frameworks": ["pfp"] }),
        ))
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text());
    assert_eq!(edited.json()["title"], "Annual review 2026");
    assert_eq!(edited.json()["frameworks"], json!(["PFP"]));
    let blank = app.send(request("PATCH", format!("/api/v1/documents/{}", ids[1]), json!({ "title": " " }))).await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);

    let (content_type, body) = crate::support::multipart(&[], "v2.pdf", &pdf("second"));
    let replaced = app
        .send(
            axum::http::Request::put(format!("/api/v1/documents/{}/content", ids[1]))
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", content_type)
                .body(axum::body::Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.text());
    assert_eq!(replaced.json()["filename"], "v2.pdf");
    let history = app.get_bearer(&format!("/api/v1/documents/{}/versions", ids[1]), &token).await.json();
    assert_eq!(history["version"], 2);
    assert_eq!(history["versions"][0]["filename"], "a.pdf", "the old file is kept and listed");

    // Search and filters.
    let found = app.get_bearer("/api/v1/documents?q=REUNION", &token).await.json();
    assert_eq!(found["total"], 1, "case and accents ignored: {found}");
    let restricted = app.get_bearer("/api/v1/documents?classification=restricted", &token).await.json();
    assert_eq!(restricted["total"], 2);
    let ukraine = app.get_bearer("/api/v1/documents?nation=ua", &token).await.json();
    assert_eq!(ukraine["items"][0]["title"], "Budget notes");
    let pfp = app.get_bearer("/api/v1/documents?framework=PFP", &token).await.json();
    assert_eq!(pfp["total"], 1);
    let bad = app.get_bearer("/api/v1/documents?classification=SECRET", &token).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("classification"), "{}", bad.text());

    let session = app.sign_in(&staff, crate::support::PASSWORD).await.unwrap();
    let by_title = app.get_with("/documents?sort=title", &session).await.text();
    let at = |title: &str| by_title.find(title).unwrap_or_else(|| panic!("{title} listed"));
    assert!(
        at("Annual review 2026") < at("Budget notes") && at("Budget notes") < at("Compte rendu"),
        "sorted by title"
    );
    assert!(by_title.contains("id=\"marking-top\"") && by_title.contains("RESTRICTED"), "the highest marking shown");
    let bad_sort = app.get_with("/documents?sort=size", &session).await;
    assert_eq!(bad_sort.status, StatusCode::BAD_REQUEST);

    // Withdrawn: kept, readable by its address, no longer listed nor changeable.
    let page = app
        .post_form(
            &format!("/documents/{}/withdraw", ids[2]),
            Some(&session),
            &[("reason", ""), ("csrf", &session.csrf)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
    assert!(page.text().contains("withdraw-reason-error"), "the error is next to its field");
    let withdrawn = app
        .post_form(
            &format!("/documents/{}/withdraw", ids[2]),
            Some(&session),
            &[("reason", "Superseded"), ("csrf", &session.csrf)],
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    let listed = app.get_bearer("/api/v1/documents", &token).await.json();
    assert_eq!(listed["total"], 2, "no longer listed: {listed}");
    let kept = app.get_with(&format!("/documents/{}", ids[2]), &session).await.text();
    assert!(kept.contains("id=\"withdrawn\"") && kept.contains("Superseded"));
    let again = app.send(request("PATCH", format!("/api/v1/documents/{}", ids[2]), json!({ "title": "New" }))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Who may change what: Georgia's officer edits Georgia's document, not Ukraine's.
    let officer = app.officer("GE").await;
    let officer_token = app.token(&officer, true).await;
    let mine = app
        .send(
            axum::http::Request::builder()
                .method("PATCH")
                .uri(format!("/api/v1/documents/{}", ids[0]))
                .header("authorization", format!("Bearer {officer_token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(json!({ "title": "Compte rendu (corrigé)" }).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text());
    let actions: Vec<String> = app.audit_actions().await.into_iter().map(|(_, a)| a).collect();
    for action in ["document.update", "document.replace", "document.withdraw"] {
        assert!(actions.iter().any(|a| a == action), "{action} audited");
    }
    assert_eq!(app.services.audit.verify().await.unwrap().map(|_| ()), Ok(()));
}

on_both_backends!(concurrent_changes_to_one_document_queue_and_never_clash);

/// Replacements and withdrawals of one document at once: every replacement keeps the file
/// before it (no two claim one version), and of two withdrawals one is recorded and the
/// other refused, as is any change after it.
async fn concurrent_changes_to_one_document_queue_and_never_clash(app: TestApp) {
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let token = app.token(&staff, true).await;
    let uploaded = app.upload(&token, &[("title", "Notes"), ("marking", "UNCLASSIFIED")], "a.pdf", &pdf("a")).await;
    let id = uploaded.json()["id"].as_i64().unwrap();
    let replace = |n: usize| {
        let (content_type, body) = crate::support::multipart(&[], &format!("v{n}.pdf"), &pdf(&format!("v{n}")));
        let request = axum::http::Request::put(format!("/api/v1/documents/{id}/content"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", content_type)
            .body(axum::body::Body::from(body))
            .unwrap();
        Box::pin(app.send(request))
    };
    let replaced: Vec<crate::support::Answer> =
        crate::foundation::futures_join_all((0..6).map(replace).collect::<Vec<_>>()).await;
    assert!(
        replaced.iter().all(|a| a.status == StatusCode::OK),
        "{:?}",
        replaced.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    let history = app.get_bearer(&format!("/api/v1/documents/{id}/versions"), &token).await.json();
    assert_eq!(history["version"], 7);
    assert_eq!(history["versions"].as_array().unwrap().len(), 6, "every earlier file kept once");

    let withdraw = || {
        let request = axum::http::Request::post(format!("/api/v1/documents/{id}/withdraw"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(r#"{"reason":"Superseded"}"#))
            .unwrap();
        Box::pin(app.send(request))
    };
    let withdrawals: Vec<crate::support::Answer> =
        crate::foundation::futures_join_all(vec![withdraw(), withdraw(), withdraw()]).await;
    let statuses: Vec<u16> = withdrawals.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 204).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 2, "{statuses:?}");
    let events = app.audit_actions().await.into_iter().filter(|(_, a)| a == "document.withdraw").count();
    assert_eq!(events, 1);
    assert_eq!(app.services.audit.verify().await.unwrap().map(|_| ()), Ok(()));
}
