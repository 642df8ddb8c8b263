//! A person in a real browser (headless Chromium over WebDriver): picks a date and reads
//! that day's partners; a partner officer signs in, sees her nation's restricted document
//! and not another partner's (not listed, not counted, not found by its address), and
//! signs out.

use std::process::{Child, Command, Stdio};

use fantoccini::{ClientBuilder, Locator};

use crate::support::TestApp;

/// Chromedriver, killed when the test ends however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts chromedriver and returns once it says it is listening (it prints a line then).
async fn start_driver() -> (Driver, u16) {
    let port = free_port();
    let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let mut child = Command::new(&binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("`{binary}` is needed for the browser test (Debian package chromium-driver): {e}"));
    let stdout = child.stdout.take().unwrap();
    let driver = Driver(child);
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    // Keep draining its output after the ready line, so it never writes to a closed pipe.
    std::thread::spawn(move || {
        use std::io::BufRead;
        let mut ready_tx = Some(ready_tx);
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("started successfully")
                && let Some(tx) = ready_tx.take()
            {
                let _ = tx.send(());
            }
        }
    });
    assert!(ready_rx.await.is_ok(), "chromedriver exited before it was ready on port {port}");
    (driver, port)
}

/// One browser for every scenario: it is started once.
#[tokio::test]
async fn a_person_uses_entente_in_a_browser() {
    let app = TestApp::sqlite().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = app.router.clone();
    tokio::spawn(async move { axum::serve(listener, router).await });

    let (_driver, port) = start_driver().await;
    let mut capabilities = serde_json::Map::new();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a headless Chromium session");

    let base = format!("http://{address}");
    let partners = picks_a_date_and_reads_that_days_partners(&client, &base).await;
    let officer = a_partner_officer_sees_her_nations_documents_only(&app, &client, &base).await;
    let lists = sorts_and_filters_a_list(&client, &base).await;
    let malta = staff_propose_maltas_withdrawal_and_an_approver_approves(&app, &client, &base).await;
    let menu = a_partner_officer_searches_the_menu_for_her_nation(&app, &client, &base).await;
    let form = staff_publish_an_activity_with_the_form(&client, &base).await;
    let seats = a_partner_officer_plans_requests_and_nominates(&app, &client, &base).await;
    let meeting = staff_organise_a_flexible_meeting_from_a_rule(&client, &base).await;
    let review =
        a_partner_officer_drafts_a_self_assessment_and_an_approver_returns_then_approves(&app, &client, &base).await;
    let accessible = every_page_passes_axe_core(&app, &client, &base).await;
    client.close().await.unwrap();
    partners.unwrap();
    officer.unwrap();
    lists.unwrap();
    malta.unwrap();
    menu.unwrap();
    form.unwrap();
    seats.unwrap();
    meeting.unwrap();
    review.unwrap();
    accessible.unwrap();
}

async fn sorts_and_filters_a_list(client: &fantoccini::Client, base: &str) -> Outcome {
    client.goto(&format!("{base}/nations?lang=en")).await?;
    // Sorting by code, then the other way, by following the header's link.
    client.find(Locator::Css("table.nations-list thead th:nth-child(2) a.sort")).await?.click().await?;
    client.wait().for_url(&format!("{base}/nations?lang=en&sort=code").parse()?).await?;
    let first = client.find(Locator::Css("table.nations-list tbody tr")).await?.attr("data-nation").await?;
    client.find(Locator::Css("table.nations-list thead th:nth-child(2) a.sort")).await?.click().await?;
    client.wait().for_url(&format!("{base}/nations?lang=en&sort=-code").parse()?).await?;
    let last = client.find(Locator::Css("table.nations-list tbody tr")).await?.attr("data-nation").await?;
    let sorted = client.find(Locator::Css("table.nations-list thead th:nth-child(2)")).await?.attr("aria-sort").await?;
    // Filtering by name (accents ignored) and by standing.
    client.goto(&format!("{base}/nations")).await?;
    client.find(Locator::Id("filter-q")).await?.send_keys("suede").await?;
    client.find(Locator::Css("form.filters button[type=submit]")).await?.click().await?;
    client.wait().for_url(&format!("{base}/nations?q=suede").parse()?).await?;
    let found = client.find(Locator::Css("table.nations-list tbody")).await?.text().await?;
    client.goto(&format!("{base}/nations")).await?;
    let partner_link = client.find(Locator::XPath("//ul[@class='facets']//a[starts-with(., 'Partner')]")).await?;
    partner_link.click().await?;
    client.wait().for_url(&format!("{base}/nations?status=partner").parse()?).await?;
    let rows = client.find_all(Locator::Css("table.nations-list tbody tr")).await?;
    let mut standings = Vec::new();
    for row in &rows {
        standings.push(row.find(Locator::Css(".badge")).await?.text().await?);
    }
    assert_eq!(first.as_deref(), Some("AE"), "sorted by code: the United Arab Emirates first");
    assert_ne!(last, first, "then the other way");
    assert_eq!(sorted.as_deref(), Some("descending"));
    assert!(found.contains("Sweden"), "{found}");
    assert!(!standings.is_empty() && standings.iter().all(|s| s == "Partner"), "{standings:?}");
    Ok(())
}

async fn sign_in_as(client: &fantoccini::Client, base: &str, email: &str) -> Outcome {
    client.goto(&format!("{base}/sign-in")).await?;
    client.find(Locator::Id("email")).await?.send_keys(email).await?;
    client.find(Locator::Id("password")).await?.send_keys(crate::support::PASSWORD).await?;
    client.find(Locator::Css("main form button[type=submit]")).await?.click().await?;
    client.wait().for_url(&format!("{base}/documents").parse()?).await?;
    Ok(())
}

async fn sign_out(client: &fantoccini::Client, base: &str) -> Outcome {
    client.find(Locator::Css(".who form button[type=submit]")).await?.click().await?;
    client.wait().for_url(&format!("{base}/").parse()?).await?;
    Ok(())
}

async fn staff_propose_maltas_withdrawal_and_an_approver_approves(
    app: &TestApp,
    client: &fantoccini::Client,
    base: &str,
) -> Outcome {
    use entente_core::{Affiliation, Classification, Role};
    let approver =
        app.user("approver@example.org", Role::Approver, Affiliation::AllianceStaff, Classification::Restricted).await;
    sign_in_as(client, base, "staff@example.org").await?;
    client.goto(&format!("{base}/registry/proposals")).await?;
    client.find(Locator::Id("p-nation")).await?.send_keys("mt").await?;
    client.find(Locator::Id("p-framework")).await?.send_keys("PFP").await?;
    // The date field takes the day as the browser's locale writes it: set it directly.
    client.execute("document.getElementById('p-day').value = '2030-01-01';", vec![]).await?;
    client.find(Locator::Id("p-reason")).await?.send_keys("Malta's letter of withdrawal").await?;
    client.find(Locator::Id("p-source")).await?.send_keys("https://www.nato.int/").await?;
    client.find(Locator::Css("#propose-form button[type=submit]")).await?.click().await?;
    let made = client.wait().for_element(Locator::Id("flash")).await?.text().await?;
    let pending = client.find(Locator::Id("proposal-status")).await?.text().await?;
    let mut proposal_url = client.current_url().await?;
    // Without its `?flash=`, so that the flash after approving is the approval's.
    proposal_url.set_query(None);
    let staff_may_approve = client.find(Locator::Id("approve-form")).await.is_ok();
    sign_out(client, base).await?;

    sign_in_as(client, base, &approver).await?;
    client.goto(proposal_url.as_str()).await?;
    client.find(Locator::Css("#approve-form button[type=submit]")).await?.click().await?;
    let approved_url = format!("{proposal_url}?flash=proposal-approved");
    client.wait().for_url(&approved_url.parse()?).await?;
    let approved = client.find(Locator::Id("proposal-status")).await?.text().await?;
    sign_out(client, base).await?;

    client.goto(&format!("{base}/frameworks/PFP?at=2029-12-31")).await?;
    let before = client.find(Locator::Css("table.participants")).await?.text().await?;
    client.goto(&format!("{base}/frameworks/PFP?at=2030-01-01")).await?;
    let after = client.find(Locator::Css("table.participants")).await?.text().await?;

    assert!(made.contains("proposal is recorded"), "{made}");
    assert_eq!(pending, "pending");
    assert!(!staff_may_approve, "staff see no approval form");
    assert_eq!(approved, "approved");
    assert!(before.contains("Malta"), "{before}");
    assert!(!after.contains("Malta"), "the framework page on that date no longer lists Malta: {after}");
    Ok(())
}

/// axe-core's script (from the npm registry, installed by scripts/test.sh).
fn axe_core() -> String {
    let path = std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
        format!("{}/../../target/axe-core/node_modules/axe-core/axe.min.js", env!("CARGO_MANIFEST_DIR"))
    });
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("axe-core is needed at {path} (scripts/test.sh installs it from npm): {e}"))
}

/// The serious and critical violations axe-core finds on the page the browser shows.
async fn axe_violations(client: &fantoccini::Client, axe: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    client.execute(axe, vec![]).await?;
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
               .filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))));",
            vec![],
        )
        .await?;
    Ok(found
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect())
}

/// Staff add an activity with the form: a bad audience is refused next to its field (the
/// refused form passes axe-core too), corrected, and the activity's page opens.
async fn staff_organise_a_flexible_meeting_from_a_rule(client: &fantoccini::Client, base: &str) -> Outcome {
    sign_in_as(client, base, "staff@example.org").await?;
    client.goto(&format!("{base}/meetings?lang=en")).await?;
    client.find(Locator::Id("new-meeting")).await?.click().await?;
    client.wait().for_element(Locator::Id("record-form")).await?;
    client.find(Locator::Id("f-title")).await?.send_keys("Counter-piracy in the Indian Ocean").await?;
    client.find(Locator::Css("#f-format option[value=flexible]")).await?.click().await?;
    client.find(Locator::Css("#f-level option[value=working]")).await?.click().await?;
    client.find(Locator::Id("f-starts")).await?.send_keys("2011-09-20T10:00").await?;
    client.find(Locator::Id("f-rule")).await?.send_keys("members + operation:OCEANSHIELD + nation:JP + org:EU").await?;
    client.find(Locator::Css("#record-form button[type=submit]")).await?.click().await?;
    while !client.current_url().await?.as_str().contains("flash=meeting-saved") {}
    let rule = client.find(Locator::Id("meeting-rule")).await?.text().await?;
    let heading = client.find(Locator::Id("participants-heading")).await?.text().await?;
    let list = client.find(Locator::Id("participant-list")).await?.text().await?;
    sign_out(client, base).await?;
    assert_eq!(rule, "members + operation:OCEANSHIELD + nation:JP + org:EU");
    // 28 members on 20 September 2011, Japan and the European Union (Colombia joined the
    // operation only in 2015).
    assert_eq!(heading, "30 participants", "{list}");
    assert!(list.contains("Japan") && list.contains("European Union") && !list.contains("Colombia"), "{list}");
    Ok(())
}

async fn staff_publish_an_activity_with_the_form(client: &fantoccini::Client, base: &str) -> Outcome {
    sign_in_as(client, base, "staff@example.org").await?;
    client.goto(&format!("{base}/menu?lang=en")).await?;
    client.find(Locator::Id("new-activity")).await?.click().await?;
    client.wait().for_element(Locator::Id("record-form")).await?;
    client.find(Locator::Id("f-code")).await?.send_keys("BRW-FORM").await?;
    client.find(Locator::Id("f-title_en")).await?.send_keys("Naval mine countermeasures course").await?;
    client.find(Locator::Css("#f-area option[value=MARITIME]")).await?.click().await?;
    client.find(Locator::Css("#f-kind option[value=course]")).await?.click().await?;
    let open_to = client.find(Locator::Id("f-open_to")).await?;
    open_to.clear().await?;
    open_to.send_keys("NOBODY").await?;
    client.find(Locator::Css("#record-form button[type=submit]")).await?.click().await?;
    let error = client.wait().for_element(Locator::Id("f-open_to-error")).await?.text().await?;
    let kept = client.find(Locator::Id("f-title_en")).await?.prop("value").await?;
    let violations = axe_violations(client, &axe_core()).await?;
    let open_to = client.find(Locator::Id("f-open_to")).await?;
    open_to.clear().await?;
    open_to.send_keys("PARTNERS").await?;
    client.find(Locator::Css("#record-form button[type=submit]")).await?.click().await?;
    while !client.current_url().await?.path().starts_with("/activities/BRW-FORM") {}
    let title = client.wait().for_element(Locator::Css("main h1")).await?.text().await?;
    let flash = client.find(Locator::Css(".flash")).await?.text().await?;
    sign_out(client, base).await?;
    assert!(error.contains("NOBODY"), "the reason names the value: {error}");
    assert_eq!(kept.as_deref(), Some("Naval mine countermeasures course"), "what was typed is kept");
    assert!(violations.is_empty(), "the refused form: {violations:?}");
    assert_eq!(title, "Naval mine countermeasures course");
    assert!(flash.contains("activity is saved"), "{flash}");
    Ok(())
}

/// axe-core (from the npm registry, installed by scripts/test.sh) over every page: no
/// serious or critical violation.
async fn every_page_passes_axe_core(app: &TestApp, client: &fantoccini::Client, base: &str) -> Outcome {
    use entente_core::{Affiliation, Classification, Role};
    let axe = axe_core();
    sign_in_as(client, base, "staff@example.org").await?;
    let pages = [
        "/",
        "/?lang=fr",
        "/nations",
        "/nations?q=suede&lang=fr",
        "/nations/MT",
        "/frameworks",
        "/frameworks/PFP",
        "/frameworks/MD?lang=fr",
        "/registry/changes",
        "/registry/proposals",
        "/registry/proposals/1",
        "/documents",
        "/documents/new",
        "/documents/1",
        "/menu?q=maritime",
        "/menu?q=maritime&lang=fr",
        "/activities/BRW-OPEN",
        "/activities/BRW-CLOSED?lang=fr",
        "/events/BRW-OPEN-1",
        "/decisions",
        "/menu/compare",
        "/activities/new",
        "/activities/new?lang=fr",
        "/activities/BRW-OPEN/edit",
        "/events/new?activity=BRW-OPEN",
        "/events/BRW-OPEN-1/edit?lang=fr",
        "/decisions/new",
        "/policies/new",
        "/policies/BERLIN_2011/edit?lang=fr",
        "/meetings",
        "/meetings?rule=members%20%2B%20framework%3AMD&at=2020-01-01&lang=fr",
        "/meetings/new",
        "/meetings/3?lang=fr",
        "/operations",
        "/operations/KFOR",
        "/operations/ISAF?lang=fr",
        "/nations/JP",
        "/events/BRW-OPEN-1/board",
        "/events/BRW-SEATS-1?lang=fr",
        "/programmes",
        "/programmes?status=agreed&lang=fr",
        "/programmes/GE-IPAP-2004",
        "/programmes/new",
        "/assessments?year=2026",
        "/assessments?year=2026&lang=fr",
        "/reviews/1",
        "/reviews/2?lang=fr",
        "/progress/GE?year=2026",
        "/progress/GE?year=2026&lang=fr",
        "/map?at=2004-06-01",
        "/map?at=2024-06-01&lang=fr",
        "/units",
        "/data-quality?year=2026&lang=fr",
        "/account",
        "/design",
        "/api",
        "/nations?sort=colour",
        "/no-such-page",
    ];
    let admin =
        app.user("admin@example.org", Role::Admin, Affiliation::AllianceStaff, Classification::Restricted).await;
    let admin_pages =
        ["/audit", "/audit?action=refused.&lang=fr", "/admin/users", "/registry/proposals?status=approved"];
    let mut violations = Vec::new();
    let everyone = pages.iter().map(|p| (false, *p)).chain(admin_pages.iter().map(|p| (true, *p)));
    let mut signed_in_as_admin = false;
    for (for_admin, page) in everyone {
        if for_admin && !signed_in_as_admin {
            sign_out(client, base).await?;
            sign_in_as(client, base, &admin).await?;
            signed_in_as_admin = true;
        }
        client.goto(&format!("{base}{page}")).await?;
        violations.extend(axe_violations(client, &axe).await?.into_iter().map(|v| format!("{page}: {v}")));
    }
    sign_out(client, base).await?;
    assert!(violations.is_empty(), "axe-core found serious or critical violations:\n{}", violations.join("\n"));
    Ok(())
}

type Outcome = Result<(), Box<dyn std::error::Error>>;

/// A partner officer adds an event to her work plan, asks for two seats, names an officer,
/// and, once registration has closed and the seats are allocated, reads the answer.
async fn a_partner_officer_plans_requests_and_nominates(
    app: &TestApp,
    client: &fantoccini::Client,
    base: &str,
) -> Outcome {
    let year = crate::seats::next_year();
    let staff = app.token("staff@example.org", true).await;
    crate::seats::event(app, &staff, "BRW-SEATS", 3, None, "at_deadline").await;
    let officer = app.services.accounts.user_by_email("officer.ge@example.org").await.unwrap().email;
    let georgia = app.token(&officer, true).await;
    let programme = serde_json::json!({ "nation": "GE", "kind": "itpp", "title": "Georgia ITPP", "starts": format!("{year}-01-01") });
    let created = app.post_json("/api/v1/programmes", &georgia, &programme).await;
    let code = created.json()["code"].as_str().unwrap().to_owned();
    let objective = app
        .post_json(
            &format!("/api/v1/programmes/{code}/objectives"),
            &georgia,
            &serde_json::json!({ "title": "Maritime security" }),
        )
        .await;
    let goal = serde_json::json!({ "objective": objective.json()["id"], "title": "Harbour protection" });
    assert_eq!(app.post_json(&format!("/api/v1/programmes/{code}/goals"), &georgia, &goal).await.status, 201);

    sign_in_as(client, base, &officer).await?;
    client.goto(&format!("{base}/events/BRW-SEATS-1?lang=en")).await?;
    client.find(Locator::Id("work-plan-submit")).await?.click().await?;
    while !client.current_url().await?.as_str().contains("flash=work-plan-added") {}
    let seats = client.find(Locator::Id("r-seats")).await?;
    seats.clear().await?;
    seats.send_keys("2").await?;
    client.find(Locator::Css("#r-priority option[value='1']")).await?.click().await?;
    client.find(Locator::Id("request-submit")).await?.click().await?;
    while !client.current_url().await?.as_str().contains("flash=seats-requested") {}
    let asked = client.find(Locator::Id("seat-requests")).await?.text().await?;
    client.find(Locator::Css("details.request-actions summary")).await?.click().await?;
    client.find(Locator::Css("form[id^=nominate-] input[name=name]")).await?.send_keys("Nino Beridze").await?;
    client.find(Locator::Css("form[id^=nominate-] input[name=email]")).await?.send_keys("nino@mod.gov.ge").await?;
    client.find(Locator::Css("form[id^=nominate-] button[type=submit]")).await?.click().await?;
    while !client.current_url().await?.as_str().contains("flash=nominated") {}
    let named = client.find(Locator::Id("seat-requests")).await?.text().await?;
    let violations = axe_violations(client, &axe_core()).await?;
    sign_out(client, base).await?;

    // Two more nations ask at priority 1 for the three seats; registration closes and the
    // server allocates (as its scheduler does).
    for (nation, seats) in [("UA", 1), ("MD", 2)] {
        let body = serde_json::json!({ "nation": nation, "seats": seats, "priority": 1 });
        assert_eq!(app.post_json("/api/v1/events/BRW-SEATS-1/requests", &staff, &body).await.status, 201);
    }
    let deadline = chrono::NaiveDate::from_ymd_opt(year, 2, 1).unwrap();
    app.clock.advance(chrono::Duration::days((deadline - chrono::Utc::now().date_naive()).num_days() + 1));
    let registry = app.services.registry.snapshot().await.unwrap();
    assert_eq!(app.services.seats.allocate_due(&registry).await.unwrap(), ["BRW-SEATS-1"]);

    sign_in_as(client, base, &officer).await?;
    client.goto(&format!("{base}/my/seats?lang=en")).await?;
    let answer = client.find(Locator::Id("my-seats")).await?.text().await?;
    client.goto(&format!("{base}/programmes/{code}?lang=en")).await?;
    let plan = client.find(Locator::Id("work-plan-items")).await?.text().await?;
    sign_out(client, base).await?;
    assert!(asked.contains("requested: seats are given when registration closes"), "{asked}");
    assert!(named.contains("Nino Beridze"), "{named}");
    assert!(violations.is_empty(), "the event page with its seats: {violations:?}");
    assert!(
        answer.contains("allocated 1 of 2: 3 seats, 5 seats asked at priority 1 or higher, one per nation first: your seat no. 2 came too late"),
        "{answer}"
    );
    assert!(answer.contains("Nino Beridze"), "{answer}");
    assert!(plan.contains("BRW-SEATS-1") && plan.contains("Harbour protection"), "{plan}");
    Ok(())
}

async fn picks_a_date_and_reads_that_days_partners(client: &fantoccini::Client, base: &str) -> Outcome {
    client.goto(&format!("{base}/")).await?;
    let form = client.form(Locator::Css("form.date")).await?;
    form.set_by_name("at", "2000-01-01").await?;
    client.find(Locator::Css("form.date button[type=submit]")).await?.click().await?;
    client.wait().for_url(&format!("{base}/?at=2000-01-01").parse()?).await?;
    let heading = client.find(Locator::Css("h1")).await?.text().await?;
    let pfp_2000 = client.find(Locator::Css("#framework-PFP")).await?.text().await?;

    let form = client.form(Locator::Css("form.date")).await?;
    form.set_by_name("at", "2009-01-01").await?;
    client.find(Locator::Css("form.date button[type=submit]")).await?.click().await?;
    client.wait().for_url(&format!("{base}/?at=2009-01-01").parse()?).await?;
    let pfp_2009 = client.find(Locator::Css("#framework-PFP")).await?.text().await?;
    let members = client.find(Locator::Css("#member-count")).await?.text().await?;

    assert_eq!(heading, "Partners on 1 Jan 2000");
    assert!(pfp_2000.contains("Austria") && !pfp_2000.contains("Malta"), "{pfp_2000}");
    assert!(pfp_2009.contains("Malta"), "Malta re-joined in 2008: {pfp_2009}");
    assert!(!pfp_2009.contains("Poland"), "Poland is a member by then");
    assert_eq!(members, "26");

    // The language switch turns the same page into French, and the choice stays.
    client.find(Locator::Css("nav.languages a[lang=fr]")).await?.click().await?;
    let french_heading = client.find(Locator::Css("h1")).await?.text().await?;
    let french_pfp = client.find(Locator::Css("#framework-PFP")).await?.text().await?;
    client.goto(&format!("{base}/frameworks")).await?;
    let french_list = client.find(Locator::Css("h1")).await?.text().await?;
    client.find(Locator::Css("nav.languages a[lang=en]")).await?.click().await?;
    let english_again = client.find(Locator::Css("h1")).await?.text().await?;
    assert_eq!(french_heading, "Partenaires au 1er janv. 2009");
    assert!(french_pfp.contains("Partenariat pour la paix") && french_pfp.contains("Autriche"), "{french_pfp}");
    assert_eq!(french_list, "Cadres");
    assert_eq!(english_again, "Frameworks");
    Ok(())
}

async fn a_partner_officer_sees_her_nations_documents_only(
    app: &TestApp,
    client: &fantoccini::Client,
    base: &str,
) -> Outcome {
    use entente_core::{Affiliation, Classification, Role};
    let staff =
        app.user("staff@example.org", Role::Staff, Affiliation::AllianceStaff, Classification::Restricted).await;
    let token = app.token(&staff, true).await;
    let mut ids = Vec::new();
    for (title, marking, owner) in [
        ("Georgia programme notes", "RESTRICTED REL TO GE", "GE"),
        ("Ukraine liaison report", "RESTRICTED REL TO UA", "UA"),
    ] {
        let answer = app
            .upload(
                &token,
                &[("title", title), ("marking", marking), ("owner", owner)],
                "d.pdf",
                &crate::support::pdf(title),
            )
            .await;
        ids.push(answer.json()["id"].as_i64().unwrap());
    }
    let officer = app.officer("GE").await;

    client.goto(&format!("{base}/")).await?;
    client.find(Locator::Id("sign-in-link")).await?.click().await?;
    client.wait().for_url(&format!("{base}/sign-in").parse()?).await?;
    client.find(Locator::Id("email")).await?.send_keys(&officer).await?;
    client.find(Locator::Id("password")).await?.send_keys(crate::support::PASSWORD).await?;
    client.find(Locator::Css("main form button[type=submit]")).await?.click().await?;
    client.wait().for_url(&format!("{base}/documents").parse()?).await?;
    let listed = client.find(Locator::Css("table.documents")).await?.text().await?;
    let count = client.find(Locator::Id("document-count")).await?.text().await?;

    client.goto(&format!("{base}/documents/{}", ids[0])).await?;
    let marking = client.find(Locator::Id("marking")).await?.text().await?;
    client.goto(&format!("{base}/documents/{}", ids[1])).await?;
    let other = client.find(Locator::Css("h1")).await?.text().await?;

    // Sign out from another page, so that arriving at the home page shows the sign-out is done.
    client.goto(&format!("{base}/documents")).await?;
    client.find(Locator::Css(".who form button[type=submit]")).await?.click().await?;
    client.wait().for_url(&format!("{base}/").parse()?).await?;
    let signed_out = client.find(Locator::Id("sign-in-link")).await?.text().await?;

    assert!(listed.contains("Georgia programme notes"), "{listed}");
    assert!(!listed.contains("Ukraine"), "another partner's document is not listed: {listed}");
    assert_eq!(count, "1", "nor counted");
    assert_eq!(marking, "RESTRICTED REL TO GE");
    assert_eq!(other, "Not found", "nor found by its address");
    assert_eq!(signed_out, "Sign in");
    Ok(())
}

/// A Georgian officer searches the menu, keeps what Georgia may take part in, and reads why
/// a members-only activity is closed to it.
async fn a_partner_officer_searches_the_menu_for_her_nation(
    app: &TestApp,
    client: &fantoccini::Client,
    base: &str,
) -> Outcome {
    let staff = app.services.accounts.user_by_email("staff@example.org").await.unwrap();
    let token = app.token(&staff.email, true).await;
    for (code, title, open_to) in [
        ("BRW-OPEN", "Maritime security course", "PARTNERS"),
        ("BRW-CLOSED", "Maritime security for members", "MEMBERS"),
    ] {
        let body = serde_json::json!({ "code": code, "year": "2026", "title_en": title, "area": "MARITIME",
            "kind": "course", "marking": "PUBLIC", "open_to": open_to });
        assert_eq!(app.post_json("/api/v1/activities", &token, &body).await.status, 201);
    }
    let event = serde_json::json!({ "code": "BRW-OPEN-1", "activity": "BRW-OPEN", "start": "2026-09-07T09:00",
        "end": "2026-09-11T17:00", "time_zone": "Europe/Athens", "place": "Souda Bay", "capacity": "24",
        "deadline": "2026-08-01" });
    assert_eq!(app.post_json("/api/v1/events", &token, &event).await.status, 201);
    let officer = app.services.accounts.user_by_email("officer.ge@example.org").await.map(|u| u.email);
    let officer = match officer {
        Ok(email) => email,
        Err(_) => app.officer("GE").await,
    };
    sign_in_as(client, base, &officer).await?;
    client.goto(&format!("{base}/menu?lang=en&q=zzz")).await?;
    let search = client.find(Locator::Id("q")).await?;
    search.clear().await?;
    search.send_keys("maritime").await?;
    client.find(Locator::Css("form.filters button[type=submit]")).await?.click().await?;
    // The page with results replaces the empty one: wait for it, not for a fixed time.
    let everything = client.wait().for_element(Locator::Id("menu-results")).await?.text().await?;
    client.find(Locator::Id("mine")).await?.click().await?;
    client.find(Locator::Css("form.filters button[type=submit]")).await?.click().await?;
    while !client.current_url().await?.as_str().contains("mine=on") {}
    let mine = client.find(Locator::Id("menu-results")).await?.text().await?;
    client.goto(&format!("{base}/activities/BRW-CLOSED?lang=en")).await?;
    let why = client.find(Locator::Id("your-nation")).await?.text().await?;
    sign_out(client, base).await?;
    assert!(everything.contains("BRW-OPEN") && everything.contains("BRW-CLOSED"), "{everything}");
    assert!(mine.contains("BRW-OPEN") && !mine.contains("BRW-CLOSED"), "open to Georgia only: {mine}");
    assert!(why.contains("Georgia: no") && why.contains("open to members of the alliance only"), "{why}");
    Ok(())
}

/// Georgia's officer drafts her self-assessment and a measurement and submits; an approver
/// returns it with comments; she reads them, corrects and submits again; the approver
/// approves, and the review is locked: no form is left to change it.
async fn a_partner_officer_drafts_a_self_assessment_and_an_approver_returns_then_approves(
    app: &TestApp,
    client: &fantoccini::Client,
    base: &str,
) -> Outcome {
    use entente_core::{Affiliation, Classification, Role};
    let staff = app.token("staff@example.org", true).await;
    let goal =
        serde_json::json!({ "nation": "GE", "round_year": 2026, "code": "PG-GE-7", "title": "Deployable forces" });
    let goal = app.post_json("/api/v1/parp-goals", &staff, &goal).await.json()["id"].clone();
    let indicator = serde_json::json!({ "parp_goal": goal, "title": "Units declared", "unit": "units",
        "direction": "higher", "baseline": 2, "baseline_date": "2024-01-01", "target": 12, "target_date": "2028-12-31" });
    assert_eq!(app.post_json("/api/v1/indicators", &staff, &indicator).await.status, 201);
    let survey = serde_json::json!({ "nation": "GE", "cycle": "parp", "year": 2026, "stage": "survey", "deadline": "2026-12-01" });
    let review = app.post_json("/api/v1/reviews", &staff, &survey).await.json()["id"].as_i64().unwrap();
    let page = format!("{base}/reviews/{review}?lang=en");
    let approver = app
        .user("approver.review@example.org", Role::Approver, Affiliation::AllianceStaff, Classification::Restricted)
        .await;

    sign_in_as(client, base, "officer.ge@example.org").await?;
    client.goto(&page).await?;
    client.find(Locator::Id("self-text")).await?.send_keys("Two units declared to the pool.").await?;
    save(client, "#self-assessment-form button[type=submit]", &page).await?;
    client.execute("document.getElementById('m-date').value = '2026-06-01';", vec![]).await?;
    client.find(Locator::Id("m-value")).await?.send_keys("4").await?;
    save(client, "#measurement-form button[type=submit]", &page).await?;
    let measured = client.find(Locator::Css("#measurements tbody tr td:nth-child(5)")).await?.text().await?;
    save(client, "#submit-review", &page).await?;
    let submitted = client.find(Locator::Id("review-status")).await?.attr("data-status").await?;
    sign_out(client, base).await?;

    sign_in_as(client, base, &approver).await?;
    client.goto(&page).await?;
    client.find(Locator::Id("decide-comments")).await?.send_keys("Name the two units, please.").await?;
    save(client, "#return-review", &page).await?;
    let returned = client.find(Locator::Id("review-status")).await?.attr("data-status").await?;
    sign_out(client, base).await?;

    sign_in_as(client, base, "officer.ge@example.org").await?;
    client.goto(&page).await?;
    let comments = client.find(Locator::Id("review-comments")).await?.text().await?;
    let text = client.find(Locator::Id("self-text")).await?;
    text.clear().await?;
    text.send_keys("Two light infantry companies declared to the pool.").await?;
    save(client, "#self-assessment-form button[type=submit]", &page).await?;
    save(client, "#submit-review", &page).await?;
    sign_out(client, base).await?;

    sign_in_as(client, base, &approver).await?;
    client.goto(&page).await?;
    save(client, "#approve-review", &page).await?;
    let approved = client.find(Locator::Id("review-status")).await?.attr("data-status").await?;
    let locked = client.find(Locator::Id("review-locked")).await?.text().await?;
    sign_out(client, base).await?;

    sign_in_as(client, base, "officer.ge@example.org").await?;
    client.goto(&page).await?;
    let final_text = client.find(Locator::Id("self-assessment-text")).await?.text().await?;
    let no_self_form = client.find(Locator::Id("self-assessment-form")).await.is_err();
    let no_measurement_form = client.find(Locator::Id("measurement-form")).await.is_err();
    let may_correct = client.find(Locator::Id("correct-review")).await.is_ok();
    sign_out(client, base).await?;

    assert!(measured.starts_with("4 units"), "{measured}");
    assert_eq!(
        (submitted.as_deref(), returned.as_deref(), approved.as_deref()),
        (Some("submitted"), Some("returned"), Some("approved"))
    );
    assert!(comments.contains("Name the two units"), "{comments}");
    assert_eq!(locked, "locked");
    assert_eq!(final_text, "Two light infantry companies declared to the pool.");
    assert!(no_self_form && no_measurement_form, "an approved review offers no edit");
    assert!(may_correct, "a correction (a new version) is offered instead");
    Ok(())
}

/// Presses a form's button, waits for the page the form leads to (its `flash=`), and
/// comes back to `page`, so that the next step never acts on the page that is going away.
async fn save(client: &fantoccini::Client, button: &str, page: &str) -> Outcome {
    client.find(Locator::Css(button)).await?.click().await?;
    let mut waited = 0;
    while !client.current_url().await?.as_str().contains("flash=review-saved") {
        waited += 1;
        assert!(waited < 10_000, "no answer to {button}");
    }
    client.goto(page).await?;
    Ok(())
}
