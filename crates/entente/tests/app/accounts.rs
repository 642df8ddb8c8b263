//! Accounts: signing in and out, throttling, sessions, tokens and CSRF protection.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use entente::service::accounts::Credential;
use entente_core::{Affiliation, Classification, Role};

use crate::support::{PASSWORD, TestApp, on_both_backends, set_cookie};

on_both_backends!(
    a_user_signs_in_and_out,
    an_unknown_email_and_a_wrong_password_get_the_same_answer,
    repeated_failures_are_throttled,
    a_session_id_planted_before_sign_in_is_never_used,
    forms_without_the_csrf_token_change_nothing,
    tokens_are_read_only_or_read_write_and_can_be_revoked,
    bad_credentials_are_problems,
    an_administrator_manages_users_and_a_disabled_user_is_signed_out,
    the_setup_link_creates_the_first_administrator_once,
    a_user_changes_her_own_password,
);

async fn a_user_signs_in_and_out(app: TestApp) {
    let email = app.officer("GE").await;
    let session = app.sign_in(&email, PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.text()));
    let me = app.get_with("/api/v1/me", &session).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    assert_eq!(me.json()["affiliation"], "nation GE");
    let page = app.get_with("/", &session).await.text();
    assert!(page.contains("id=\"signed-in-as\""), "the header shows who is signed in");
    let out = app.post_form("/sign-out", Some(&session), &[("csrf", &session.csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get_with("/api/v1/me", &session).await.status, StatusCode::UNAUTHORIZED, "the session ended");
    let actions = app.audit_actions().await;
    assert!(actions.iter().any(|(_, a)| a == "auth.sign_in") && actions.iter().any(|(_, a)| a == "auth.sign_out"));
}

async fn an_unknown_email_and_a_wrong_password_get_the_same_answer(app: TestApp) {
    let email = app.officer("GE").await;
    let wrong_password = app.sign_in(&email, "not the password at all").await.unwrap_err();
    let unknown_email = app.sign_in("nobody@example.org", PASSWORD).await.unwrap_err();
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_email.status, StatusCode::UNAUTHORIZED);
    let message = |html: String| html.lines().find(|l| l.contains("role=\"alert\"")).unwrap_or_default().to_owned();
    assert_eq!(message(wrong_password.text()), message(unknown_email.text()));
    assert!(message(wrong_password.text()).contains("Wrong email or password"));
    let failures = app.audit_actions().await.into_iter().filter(|(_, a)| a == "auth.sign_in_failed").count();
    assert_eq!(failures, 2, "failed sign-ins are audited");
}

async fn repeated_failures_are_throttled(app: TestApp) {
    let email = app.officer("GE").await;
    for _ in 0..5 {
        assert_eq!(app.sign_in(&email, "wrong password here").await.unwrap_err().status, StatusCode::UNAUTHORIZED);
    }
    let throttled = app.sign_in(&email, PASSWORD).await.unwrap_err();
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(throttled.text().contains("Too many failed sign-ins"));
}

async fn a_session_id_planted_before_sign_in_is_never_used(app: TestApp) {
    let email = app.officer("GE").await;
    let page = app.get("/sign-in").await;
    let csrf_cookie = set_cookie(&page, "entente_sign_in_csrf").unwrap();
    let planted = "attacker-chosen-session-id";
    let request = Request::post("/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("entente_sign_in_csrf={csrf_cookie}; entente_session={planted}"))
        .body(crate::support::form(&[
            ("csrf", &crate::support::csrf_in(&page.text())),
            ("email", &email),
            ("password", PASSWORD),
        ]))
        .unwrap();
    let answer = app.send(request).await;
    let issued = set_cookie(&answer, "entente_session").unwrap();
    assert_ne!(issued, planted, "a fresh id is issued at sign-in");
    let cookie_header = answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("entente_session="))
        .unwrap();
    assert!(cookie_header.contains("HttpOnly") && cookie_header.contains("SameSite=Lax"), "{cookie_header}");
    let planted_session = crate::support::Session { cookie: planted.into(), csrf: String::new() };
    assert_eq!(app.get_with("/api/v1/me", &planted_session).await.status, StatusCode::UNAUTHORIZED);
}

async fn forms_without_the_csrf_token_change_nothing(app: TestApp) {
    let email = app.officer("GE").await;
    let session = app.sign_in(&email, PASSWORD).await.unwrap();
    for csrf in ["", "forged-token"] {
        let answer =
            app.post_form("/account/tokens", Some(&session), &[("csrf", csrf), ("name", "x"), ("days", "30")]).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
    }
    let user = app.services.accounts.user_by_email(&email).await.unwrap();
    assert!(app.services.accounts.tokens(&user).await.unwrap().is_empty(), "no token was created");
    let answer = app
        .post_form("/account/tokens", Some(&session), &[("csrf", &session.csrf), ("name", "x"), ("days", "30")])
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.text().contains("id=\"new-token\""), "the new token is shown once");
    assert_eq!(app.services.accounts.tokens(&user).await.unwrap().len(), 1);
}

async fn tokens_are_read_only_or_read_write_and_can_be_revoked(app: TestApp) {
    let email = app.officer("GE").await;
    let read_only = app.token(&email, false).await;
    let read_write = app.token(&email, true).await;
    assert_eq!(app.get_bearer("/api/v1/me", &read_only).await.json()["can_write"], false);
    let fields = [("title", "Notes"), ("marking", "RESTRICTED"), ("owner", "GE")];
    let refused = app.upload(&read_only, &fields, "notes.pdf", &crate::support::pdf("x")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
    let created = app.upload(&read_write, &fields, "notes.pdf", &crate::support::pdf("x")).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let actions = app.audit_actions().await;
    assert!(
        actions.iter().any(|(actor, action)| action == "document.create" && actor.ends_with("via token")),
        "{actions:?}"
    );

    let user = app.services.accounts.user_by_email(&email).await.unwrap();
    let token_id = app.services.accounts.tokens(&user).await.unwrap()[0].id;
    app.services.accounts.revoke_token(&user, Credential::Session, token_id).await.unwrap();
    assert_eq!(app.get_bearer("/api/v1/me", &read_write).await.status, StatusCode::UNAUTHORIZED, "revoked");
}

async fn bad_credentials_are_problems(app: TestApp) {
    for authorization in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ent_not_a_real_token"] {
        let request =
            Request::get("/api/v1/me").header(header::AUTHORIZATION, authorization).body(Body::empty()).unwrap();
        let answer = app.send(request).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{authorization}");
        assert_eq!(answer.content_type, "application/problem+json");
        assert_eq!(answer.json()["status"], 401);
    }
    assert_eq!(app.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}

async fn an_administrator_manages_users_and_a_disabled_user_is_signed_out(app: TestApp) {
    let admin =
        app.user("admin@example.org", Role::Admin, Affiliation::AllianceStaff, Classification::Restricted).await;
    let officer = app.officer("UA").await;
    let officer_session = app.sign_in(&officer, PASSWORD).await.unwrap();
    let admin_session = app.sign_in(&admin, PASSWORD).await.unwrap();
    let page = app.get_with("/admin/users", &admin_session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("officer.ua@example.org"));
    assert_eq!(app.get_with("/admin/users", &officer_session).await.status, StatusCode::FORBIDDEN);

    let created = app
        .post_form(
            "/admin/users",
            Some(&admin_session),
            &[
                ("csrf", &admin_session.csrf),
                ("email", "analyst@example.org"),
                ("display_name", "Ana"),
                ("role", "analyst"),
                ("affiliation", "staff"),
                ("clearance", "UNCLASSIFIED"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::UNPROCESSABLE_ENTITY, "a short password is refused");
    assert!(created.text().contains("Password: must be at least 12 characters long"), "{}", created.text());

    let id = app.services.accounts.user_by_email(&officer).await.unwrap().id;
    let disabled = app
        .post_form(
            &format!("/admin/users/{id}"),
            Some(&admin_session),
            &[("csrf", &admin_session.csrf), ("active", "false")],
        )
        .await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get_with("/api/v1/me", &officer_session).await.status, StatusCode::UNAUTHORIZED);
    assert!(app.sign_in(&officer, PASSWORD).await.is_err(), "a disabled account cannot sign in");
}

async fn the_setup_link_creates_the_first_administrator_once(app: TestApp) {
    let options = entente::http::Options { setup_token: Some("one-time-token".into()), ..Default::default() };
    let app = app.with_options(options);
    assert_eq!(app.get("/setup/wrong-token").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/setup/one-time-token").await.status, StatusCode::OK);
    let fields = [("email", "first@example.org"), ("display_name", "First Admin"), ("password", PASSWORD)];
    let forged = app.post_form("/setup/one-time-token", None, &fields).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "a form without the setup page's CSRF token is refused");
    let created = app.post_pre_session("/setup/one-time-token", "/setup/one-time-token", &fields).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
    let admin = app.services.accounts.user_by_email("first@example.org").await.unwrap();
    assert_eq!(admin.role, Role::Admin);
    assert_eq!(app.get("/setup/one-time-token").await.status, StatusCode::NOT_FOUND, "the link works once");
    let again = app
        .post_pre_session(
            "/sign-in",
            "/setup/one-time-token",
            &[("email", "second@example.org"), ("display_name", "X"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(app.services.accounts.user_by_email("second@example.org").await.is_err());
}

async fn a_user_changes_her_own_password(app: TestApp) {
    let email = app.officer("GE").await;
    let session = app.sign_in(&email, PASSWORD).await.unwrap();
    let wrong = app
        .post_form(
            "/account/password",
            Some(&session),
            &[("csrf", &session.csrf), ("current_password", "nope"), ("new_password", "another long password")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().contains("Current password: is not your current password"), "{}", wrong.text());
    let french = app
        .post_form(
            "/account/password?lang=fr",
            Some(&session),
            &[("csrf", &session.csrf), ("current_password", "nope"), ("new_password", "another long password")],
        )
        .await;
    assert!(
        french.text().contains("Mot de passe actuel\u{a0}: n’est pas votre mot de passe actuel"),
        "the field and the reason in French: {}",
        french.text()
    );
    let changed = app
        .post_form(
            "/account/password",
            Some(&session),
            &[("csrf", &session.csrf), ("current_password", PASSWORD), ("new_password", "another long password")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_with("/api/v1/me", &session).await.status,
        StatusCode::UNAUTHORIZED,
        "sessions end with the old password"
    );
    assert!(app.sign_in(&email, PASSWORD).await.is_err());
    assert!(app.sign_in(&email, "another long password").await.is_ok());
}

/// The administrators' list of accounts sorts by name in the page's language, filters by
/// role and by name or email (accents ignored), and refuses an unknown role naming it.
#[tokio::test]
async fn the_accounts_list_sorts_and_filters() {
    let app = crate::support::TestApp::sqlite().await;
    let admin =
        app.user("admin@example.org", Role::Admin, Affiliation::AllianceStaff, Classification::Restricted).await;
    for (email, name, role) in [
        ("zoe@example.org", "Zoé Martin", Role::Analyst),
        ("eli@example.org", "Élodie Blanc", Role::Staff),
        ("bob@example.org", "Bob Durand", Role::Staff),
    ] {
        let new = entente::service::accounts::NewUser {
            email: email.into(),
            display_name: name.into(),
            role,
            affiliation: Affiliation::AllianceStaff,
            clearance: Classification::Unclassified,
            password: crate::support::PASSWORD.into(),
        };
        app.services.accounts.create_user(&entente::service::accounts::Actor::operator(), new).await.unwrap();
    }
    let session = app.sign_in(&admin, crate::support::PASSWORD).await.unwrap();
    let page = app.get_with("/admin/users", &session).await.text();
    let at = |html: &str, email: &str| html.find(&format!("data-user=\"{email}\"")).unwrap_or(usize::MAX);
    assert!(at(&page, "bob@example.org") < at(&page, "eli@example.org"), "Bob before Élodie");
    assert!(at(&page, "eli@example.org") < at(&page, "zoe@example.org"), "Élodie among the E's, before Zoé");
    let staff = app.get_with("/admin/users?role=staff", &session).await.text();
    assert!(at(&staff, "eli@example.org") != usize::MAX && at(&staff, "zoe@example.org") == usize::MAX);
    let found = app.get_with("/admin/users?q=elodie", &session).await.text();
    assert!(at(&found, "eli@example.org") != usize::MAX && at(&found, "bob@example.org") == usize::MAX);
    let bad = app.get_with("/admin/users?role=king", &session).await;
    assert_eq!(bad.status, axum::http::StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("king"));
}
