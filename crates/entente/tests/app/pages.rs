//! The web pages, read as a person would: what they say, not how they are built.

use axum::http::StatusCode;

use crate::support::{TestApp, on_both_backends};

on_both_backends!(
    the_home_page_lists_partners_by_framework_on_a_date,
    a_nation_page_draws_its_timeline_and_keeps_precision,
    a_framework_page_lists_its_participants,
    a_bad_date_on_a_page_is_explained,
    the_nation_search_finds_by_name,
    unknown_pages_are_not_found,
    the_status_list_downloads_as_csv,
);

/// The HTML of the section for one framework on the home page.
fn section<'a>(html: &'a str, framework: &str) -> &'a str {
    let start = html.find(&format!("id=\"framework-{framework}\"")).unwrap_or_else(|| panic!("no {framework} section"));
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

async fn the_home_page_lists_partners_by_framework_on_a_date(app: TestApp) {
    let page = app.get("/?at=2020-01-01").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("Partners on <time datetime=\"2020-01-01\">1 Jan 2020</time>"), "{html}");
    assert!(section(&html, "PFP").contains(">Sweden</a>"));
    assert!(section(&html, "MD").contains(">Egypt</a>"));
    assert!(!section(&html, "PFP").contains(">Norway</a>"), "members are not partners");
    assert!(html.contains("<span id=\"member-count\">29</span>"), "29 members on 1 Jan 2020");
    let older = app.get("/?at=2000-01-01").await.text();
    assert!(!section(&older, "PFP").contains(">Malta</a>"));
    assert!(!older.contains("id=\"framework-EOP\""), "no EOP before 2014");
}

async fn a_nation_page_draws_its_timeline_and_keeps_precision(app: TestApp) {
    let page = app.get("/nations/EG").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("<h1>Egypt"), "{html}");
    assert!(html.contains("Égypte"));
    assert!(html.contains("<svg"), "the timeline is drawn");
    assert!(html.contains("Feb 1995 – present"), "a month stays a month");
    assert!(!html.contains("1 Feb 1995"), "and is never shown as a day");
    let sweden = app.get("/nations/SE").await.text();
    assert!(sweden.contains("Member of the alliance"));
    assert!(sweden.contains("9 May 1994 – 7 Mar 2024"));
    assert!(sweden.contains("<strong id=\"status-today\">member</strong>"));
}

async fn a_framework_page_lists_its_participants(app: TestApp) {
    let html = app.get("/frameworks/ICI?at=2010-01-01").await.text();
    for nation in ["Bahrain", "Kuwait", "Qatar", "United Arab Emirates"] {
        assert!(html.contains(&format!(">{nation}</a>")), "{nation} missing");
    }
    assert!(html.contains("Dec 2004 (uncertain)"), "Kuwait's doubtful date is shown as such");
    assert_eq!(app.get("/frameworks/NOPE").await.status, StatusCode::NOT_FOUND);
}

async fn a_bad_date_on_a_page_is_explained(app: TestApp) {
    let page = app.get("/?at=2008-13-01").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let html = page.text();
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("Date: `2008-13-01` is not a real calendar date"), "{html}");
    assert!(html.contains("value=\"2008-13-01\""), "the input is kept for correction");
}

async fn the_nation_search_finds_by_name(app: TestApp) {
    let html = app.get("/nations?q=malt").await.text();
    assert!(html.contains("href=\"/nations/MT\""));
    assert!(html.contains("One nation found."), "{html}");
}

async fn unknown_pages_are_not_found(app: TestApp) {
    assert_eq!(app.get("/nations/XX").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/no/such/page").await.status, StatusCode::NOT_FOUND);
}

async fn the_status_list_downloads_as_csv(app: TestApp) {
    let answer = app.get("/export/status.csv?at=2024-03-07").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/csv"));
    let text = answer.text();
    assert_eq!(text.lines().next(), Some("nation,name_en,status,frameworks,certain"));
    assert_eq!(text.lines().filter(|l| l.contains(",member,")).count(), 32);

    let participants = app.get("/export/frameworks/MD/participants.csv?at=2001-01-01").await;
    assert_eq!(participants.status, StatusCode::OK);
    let text = participants.text();
    assert_eq!(text.lines().next(), Some("nation,name_en,since,certain"));
    assert_eq!(text.lines().count(), 1 + 7, "seven Mediterranean Dialogue partners in 2001: {text}");
    assert!(text.contains("DZ,Algeria,2000-03-14,true"), "{text}");
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = TestApp::sqlite().await;
    let page = app.get("/").await;
    let csp = page.headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert_eq!(page.headers.get("x-content-type-options").unwrap(), "nosniff");
    assert!(page.headers.get("referrer-policy").is_some());
}

/// French follows `Accept-Language`, `?lang=` (remembered in a cookie) and the cookie;
/// `<html lang>` matches, refusals are French too, and English pages mark French names.
#[tokio::test]
async fn the_interface_speaks_french_when_asked() {
    use axum::body::Body;
    use axum::http::{Request, header};
    let app = TestApp::sqlite().await;
    let english = app.get("/nations/SE").await.text();
    assert!(english.contains("<html lang=\"en\">"), "{english}");
    assert!(english.contains("lang=\"fr\""), "the French name is marked as French on an English page");

    let request = Request::get("/frameworks").header(header::ACCEPT_LANGUAGE, "fr-BE,fr;q=0.9,en;q=0.5");
    let french = app.send(request.body(Body::empty()).unwrap()).await.text();
    assert!(french.contains("<html lang=\"fr\">"), "{french}");
    assert!(french.contains("Cadres et statuts de partenariat"), "{french}");

    let chosen = app.get("/nations?q=suede&lang=fr").await;
    assert!(chosen.text().contains("<html lang=\"fr\">"));
    let cookie = crate::support::set_cookie(&chosen, "entente_lang").unwrap();
    assert_eq!(cookie, "fr");
    let remembered = Request::get("/nations/SE").header(header::COOKIE, "entente_lang=fr");
    let remembered = app.send(remembered.body(Body::empty()).unwrap()).await.text();
    assert!(remembered.contains("<html lang=\"fr\">") && remembered.contains("membre"), "{remembered}");
    assert!(remembered.contains("<h1>Suède"), "French pages name nations in French: {remembered}");
    assert!(remembered.contains("lang=\"en\">Sweden<"), "and mark the English name as English");
    assert!(remembered.contains("mai 1994 – "), "dates are written in French: {remembered}");
    let switch = app.get("/frameworks/PFP?at=2020-01-01&lang=fr").await.text();
    assert!(
        switch.contains("href=\"/frameworks/PFP?at=2020-01-01&#38;lang=en\""),
        "a switch back to English: {switch}"
    );

    let missing = app.get("/nowhere?lang=fr").await;
    assert_eq!(missing.status, axum::http::StatusCode::NOT_FOUND);
    assert!(missing.text().contains("pas de page à cette adresse"), "{}", missing.text());
    let forged = Request::post("/sign-out?lang=fr")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::empty())
        .unwrap();
    let forged = app.send(forged).await;
    assert_eq!(forged.status, axum::http::StatusCode::FORBIDDEN);
    assert!(forged.text().contains("Le jeton de sécurité du formulaire manque"), "{}", forged.text());

    // The router's and the extractors' own refusals are pages in the language too.
    let malformed = app.get("/documents/not-a-number?lang=fr").await;
    assert_eq!(malformed.status, axum::http::StatusCode::BAD_REQUEST);
    assert!(malformed.text().contains("<html lang=\"fr\">"), "{}", malformed.text());
    assert!(malformed.text().contains("La requête n’a pas pu être comprise"), "{}", malformed.text());
    let wrong_method = app.get("/sign-out?lang=fr").await;
    assert_eq!(wrong_method.status, axum::http::StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.text().contains("n’accepte pas ce type de requête"), "{}", wrong_method.text());
    // A language switch never leads to another site.
    let elsewhere = app.get("//evil.example/x?lang=fr").await.text();
    assert!(!elsewhere.contains("href=\"//evil.example"), "{elsewhere}");
}

/// Codes are case-insensitive, search ignores accents, lists sort by name in the page's
/// language, and an unknown sort column or filter answers 400 naming it.
#[tokio::test]
async fn lists_sort_filter_and_forgive_case_and_accents() {
    let app = crate::support::TestApp::sqlite().await;
    let lower = app.get("/nations/se").await;
    assert_eq!(lower.status, axum::http::StatusCode::PERMANENT_REDIRECT);
    assert_eq!(lower.headers["location"], "/nations/SE");
    let framework = app.get("/frameworks/pfp?at=2009-01-01").await;
    assert_eq!(framework.headers["location"], "/frameworks/PFP?at=2009-01-01");
    assert_eq!(app.get_json("/api/v1/nations/se").await["code"], "SE", "the API answers any case too");

    let found = app.get("/nations?q=suede").await.text();
    assert!(found.contains("data-nation=\"SE\""), "suede finds Suède: {found}");
    let everyone = app.get("/nations?lang=fr").await.text();
    let at = |code: &str| everyone.find(&format!("data-nation=\"{code}\"")).unwrap();
    assert!(at("DK") < at("EG") && at("EG") < at("ES"), "Égypte among the E's, after Danemark, before Espagne");
    let by_code = app.get("/nations?sort=-code").await.text();
    assert!(by_code.find("data-nation=\"ZA\"").unwrap_or(0) < by_code.find("data-nation=\"AL\"").unwrap_or(usize::MAX));

    let bad_sort = app.get("/nations?sort=colour").await;
    assert_eq!(bad_sort.status, axum::http::StatusCode::BAD_REQUEST);
    assert!(bad_sort.text().contains("colour"), "{}", bad_sort.text());
    let bad_filter = app.get("/frameworks?shade=red").await;
    assert_eq!(bad_filter.status, axum::http::StatusCode::BAD_REQUEST);
    assert!(bad_filter.text().contains("shade"));
    let frameworks = app.get("/frameworks?kind=dialogue").await.text();
    assert!(!frameworks.contains("data-framework=\"PFP\""), "filtered by kind");

    let changes = app.get("/registry/changes?from=2023-12-31&to=2024-12-31").await.text();
    assert!(
        changes.contains("id=\"changes-members\"") && changes.contains("data-nation=\"SE\""),
        "Sweden joined in 2024"
    );
}
