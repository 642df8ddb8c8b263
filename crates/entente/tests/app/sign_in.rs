//! Sign-in under attack: the throttle per email and address with a growing wait, the
//! bounded password-hashing gate, credentials that end with a password change, and the
//! session a browser held before signing in as someone else.

use axum::http::{Request, StatusCode, header};
use chrono::Duration;
use entente::service::ServiceError;
use entente::service::accounts::{Actor, Credential};

use crate::support::{PASSWORD, TestApp, form, on_both_backends};

on_both_backends!(
    the_wait_grows_with_each_failure_and_is_told_in_retry_after,
    an_unknown_email_is_throttled_exactly_like_a_known_one,
    nobody_can_lock_an_account_from_another_address,
    a_full_hashing_gate_answers_503_and_counts_no_attempt,
    tokens_end_with_a_password_change_and_with_a_disabled_account,
    a_token_cannot_mint_tokens,
    signing_in_as_someone_else_ends_the_previous_session,
    a_stolen_session_cannot_guess_the_password_faster_than_sign_in,
);

/// The address pages see in these tests, which run without a socket.
const ADDRESS: &str = "unknown";

async fn sign_in(app: &TestApp, email: &str, password: &str, address: &str) -> Result<(), ServiceError> {
    app.services.accounts.sign_in(email, password, address, None).await.map(|_| ())
}

async fn the_wait_grows_with_each_failure_and_is_told_in_retry_after(app: TestApp) {
    let email = app.officer("GE").await;
    for _ in 0..5 {
        assert!(matches!(
            sign_in(&app, &email, "wrong password here", ADDRESS).await,
            Err(ServiceError::Unauthenticated(_))
        ));
    }
    // Through the page: 429 with the wait in seconds.
    let answer = app.sign_in(&email, PASSWORD).await.unwrap_err();
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = answer.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry_after), "{retry_after}");
    assert!(answer.text().contains("try again in"), "{}", answer.text());

    let mut waits = Vec::new();
    for _ in 0..4 {
        let Err(ServiceError::Throttled { retry_after }) = sign_in(&app, &email, "wrong", ADDRESS).await else {
            panic!("throttled")
        };
        waits.push(retry_after);
        app.clock.advance(Duration::seconds(i64::try_from(retry_after).unwrap()));
        assert!(matches!(sign_in(&app, &email, "wrong again", ADDRESS).await, Err(ServiceError::Unauthenticated(_))));
    }
    assert_eq!(waits, [30, 60, 120, 240], "each failure doubles the wait");
    // Waiting out the last delay, the right password works and forgets the failures.
    app.clock.advance(Duration::minutes(8));
    sign_in(&app, &email, PASSWORD, ADDRESS).await.unwrap();
    assert!(matches!(sign_in(&app, &email, "wrong", ADDRESS).await, Err(ServiceError::Unauthenticated(_))));
}

async fn an_unknown_email_is_throttled_exactly_like_a_known_one(app: TestApp) {
    let known = app.officer("GE").await;
    let mut answers = Vec::new();
    for email in [known.as_str(), "nobody@example.org"] {
        let mut statuses = Vec::new();
        for _ in 0..6 {
            let answer = app.sign_in(email, "wrong password here").await.unwrap_err();
            statuses.push((answer.status, answer.headers.get(header::RETRY_AFTER).is_some()));
        }
        answers.push(statuses);
    }
    assert_eq!(answers[0], answers[1], "the same answers, whether the email has an account or not");
    assert_eq!(answers[0][5], (StatusCode::TOO_MANY_REQUESTS, true));
}

async fn nobody_can_lock_an_account_from_another_address(app: TestApp) {
    let email = app.officer("GE").await;
    for _ in 0..10 {
        let _ = sign_in(&app, &email, "attacker's guess", "198.51.100.66").await;
    }
    assert!(matches!(sign_in(&app, &email, PASSWORD, "198.51.100.66").await, Err(ServiceError::Throttled { .. })));
    sign_in(&app, &email, PASSWORD, ADDRESS).await.expect("the owner, from her own address, is not locked out");
}

async fn a_full_hashing_gate_answers_503_and_counts_no_attempt(app: TestApp) {
    let email = app.officer("GE").await;
    let held = app.services.passwords.hold_every_slot().await;
    let page = app.get("/sign-in").await;
    let cookie = crate::support::set_cookie(&page, "entente_sign_in_csrf").unwrap();
    let request = Request::post("/sign-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("entente_sign_in_csrf={cookie}"))
        .body(form(&[("csrf", &crate::support::csrf_in(&page.text())), ("email", &email), ("password", PASSWORD)]))
        .unwrap();
    let busy = app.send(request).await;
    assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE, "{}", busy.text());
    assert_eq!(busy.headers[header::RETRY_AFTER], "1");
    // A new user cannot be hashed either, and nothing is half-written.
    let officer = app.services.accounts.user_by_email(&email).await.unwrap();
    let change =
        app.services.accounts.change_password(&officer, Credential::Session, PASSWORD, "another long one").await;
    assert!(matches!(change, Err(ServiceError::Busy)), "{change:?}");
    drop(held);
    for _ in 0..5 {
        assert!(matches!(
            sign_in(&app, &email, "wrong password", ADDRESS).await,
            Err(ServiceError::Unauthenticated(_))
        ));
    }
    assert!(
        matches!(sign_in(&app, &email, PASSWORD, ADDRESS).await, Err(ServiceError::Throttled { .. })),
        "the busy answer counted no failure: five were still free"
    );
    let (in_flight, peak) = app.services.passwords.in_flight();
    assert_eq!(in_flight, 0);
    assert!(peak <= 8, "never more than the configured hashes at once: {peak}");
}

async fn tokens_end_with_a_password_change_and_with_a_disabled_account(app: TestApp) {
    let email = app.officer("GE").await;
    let token = app.token(&email, false).await;
    assert_eq!(app.get_bearer("/api/v1/me", &token).await.status, StatusCode::OK);
    let user = app.services.accounts.user_by_email(&email).await.unwrap();
    app.services.accounts.change_password(&user, Credential::Session, PASSWORD, "a brand new password").await.unwrap();
    let refused = app.get_bearer("/api/v1/me", &token).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "the token ended with the password");
    assert!(refused.headers[header::WWW_AUTHENTICATE].to_str().unwrap().starts_with("Bearer"));

    let token = app.token(&email, false).await;
    let operator = Actor::operator();
    app.services.accounts.update_user(&operator, user.id, None, Some(false)).await.unwrap();
    app.services.accounts.update_user(&operator, user.id, None, Some(true)).await.unwrap();
    assert_eq!(
        app.get_bearer("/api/v1/me", &token).await.status,
        StatusCode::UNAUTHORIZED,
        "re-enabling the account does not revive its tokens"
    );
}

async fn a_token_cannot_mint_tokens(app: TestApp) {
    let email = app.officer("GE").await;
    let token = app.token(&email, true).await;
    let request = Request::post("/account/tokens")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form(&[("name", "minted"), ("days", "30"), ("can_write", "on")]))
        .unwrap();
    let answer = app.send(request).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text());
    let user = app.services.accounts.user_by_email(&email).await.unwrap();
    assert_eq!(app.services.accounts.tokens(&user).await.unwrap().len(), 1, "no token was minted");
}

async fn signing_in_as_someone_else_ends_the_previous_session(app: TestApp) {
    let first = app.officer("GE").await;
    let second = app.officer("UA").await;
    let earlier = app.sign_in(&first, PASSWORD).await.unwrap();
    let fields = [("csrf", earlier.csrf.as_str()), ("email", second.as_str()), ("password", PASSWORD)];
    let answer = app.post_form("/sign-in", Some(&earlier), &fields).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(app.get_with("/api/v1/me", &earlier).await.status, StatusCode::UNAUTHORIZED, "the first session ended");
}

async fn a_stolen_session_cannot_guess_the_password_faster_than_sign_in(app: TestApp) {
    let email = app.officer("GE").await;
    let user = app.services.accounts.user_by_email(&email).await.unwrap();
    let change = |current: &'static str| {
        let accounts = &app.services.accounts;
        let user = user.clone();
        async move { accounts.change_password(&user, Credential::Session, current, "a brand new password").await }
    };
    for _ in 0..5 {
        assert!(matches!(change("a wrong guess").await, Err(ServiceError::Invalid { .. })));
    }
    assert!(matches!(change(PASSWORD).await, Err(ServiceError::Throttled { .. })), "the sixth guess waits");
}
