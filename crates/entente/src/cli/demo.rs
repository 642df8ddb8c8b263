//! `entente serve --demo`: one account per role and a few marked documents, so that a
//! newcomer can try each role. Passwords are new at every start and printed once.

use entente_core::{Affiliation, Classification, Role};

use super::Failure;
use crate::service::Services;
use crate::service::accounts::{Actor, NewUser};
use crate::service::documents::Upload;
use crate::service::secrets::random_secret;

/// The demo accounts: email, role, affiliation (nation code or staff), clearance.
const ACCOUNTS: [(&str, &str, Role, Option<&str>, Classification); 7] = [
    ("admin@demo.invalid", "Ada Admin", Role::Admin, None, Classification::Restricted),
    ("staff@demo.invalid", "Sam Staff", Role::Staff, None, Classification::Restricted),
    ("approver@demo.invalid", "Abe Approver", Role::Approver, None, Classification::Restricted),
    (
        "delegate.no@demo.invalid",
        "Nora Delegate (Norway)",
        Role::MemberDelegate,
        Some("NO"),
        Classification::Restricted,
    ),
    ("officer.ge@demo.invalid", "Nino Officer (Georgia)", Role::PartnerOfficer, Some("GE"), Classification::Restricted),
    (
        "officer.ua@demo.invalid",
        "Oksana Officer (Ukraine)",
        Role::PartnerOfficer,
        Some("UA"),
        Classification::Restricted,
    ),
    ("analyst@demo.invalid", "Ana Analyst", Role::Analyst, None, Classification::Restricted),
];

/// A minimal valid PDF with one line of text.
fn demo_pdf(text: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
         3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n\
         4 0 obj<</Length 60>>stream\nBT /F1 14 Tf 72 770 Td ({text}) Tj ET\nendstream endobj\n\
         5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    .into_bytes()
}

/// Creates (or resets) the demo accounts and adds demo documents to an installation that
/// has none. Returns each account's email, role and password.
pub(super) async fn seed(services: &Services) -> Result<Vec<(String, String, String)>, Failure> {
    let mut printed = Vec::new();
    let mut users = Vec::new();
    for (email, name, role, nation, clearance) in ACCOUNTS {
        let password = random_secret().map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let affiliation = match nation {
            Some(code) => Affiliation::Nation(code.parse().map_err(|e| anyhow::anyhow!("{e}"))?),
            None => Affiliation::AllianceStaff,
        };
        let new = NewUser {
            email: email.into(),
            display_name: name.into(),
            role,
            affiliation,
            clearance,
            password: password.clone(),
        };
        users.push(services.accounts.ensure_demo_user(new).await?);
        printed.push((email.to_owned(), role.as_str().to_owned(), password));
    }
    let registry = services.registry.snapshot().await?;
    if services
        .documents
        .list(&Actor::operator().caller, &registry, &Default::default(), None, 1)
        .await?
        .items
        .is_empty()
    {
        let documents = [
            (4, "Georgia: notes for the annual programme review", "RESTRICTED REL TO GE", "GE"),
            (5, "Ukraine: liaison office report", "RESTRICTED REL TO UA", "UA"),
            (1, "Partnership for Peace: course calendar", "UNCLASSIFIED REL TO PFP", ""),
            (1, "Partnership Cooperation Menu: public overview", "PUBLIC", ""),
        ];
        for (uploader, title, marking, owner) in documents {
            let actor = Actor::user(&users[uploader], &registry, services.db.clock().today());
            let upload = Upload {
                title: title.into(),
                filename: format!(
                    "{}.pdf",
                    title.split(':').next().unwrap_or("document").to_lowercase().replace(' ', "-")
                ),
                bytes: demo_pdf(title),
                marking: marking.into(),
                owner: (!owner.is_empty()).then(|| owner.to_owned()),
                nations: owner.split(',').map(str::to_owned).collect(),
                frameworks: Vec::new(),
            };
            services.documents.upload(&actor, &registry, upload).await?;
        }
    }
    // A generated menu for this year, once: about the size of NATO's (some 1,400 activities).
    let year = chrono::Datelike::year(&services.db.clock().today());
    if !services.menu.years().await?.iter().any(|(y, _)| *y == i64::from(year)) {
        services.menu.load_demo(&Actor::operator(), &registry, year, 1400, 1).await?;
    }
    seats_and_programme(services, &users, year + 1).await?;
    // Every partner's generated assessments, once (the same seed as `entente demo assessments`).
    crate::service::demo_assessments::load(&services.db, &Actor::operator(), &registry, 1).await?;
    Ok(printed)
}

/// Next year's demo: a course with two events (seats as asked for, and all at once when
/// registration closes), a few nations' requests, and Georgia's draft ITPP with a goal the
/// events serve, so that each role sees seats and a programme at work. Once.
async fn seats_and_programme(
    services: &Services,
    users: &[crate::service::accounts::User],
    year: i32,
) -> Result<(), Failure> {
    use crate::service::events::EventInput;
    use crate::service::menu::ActivityInput;
    use crate::service::programmes::ProgrammeInput;
    use crate::service::seats::RequestInput;
    let registry = services.registry.snapshot().await?;
    let operator = Actor::operator();
    if services.events.get(&operator.caller, &registry, &format!("DEMO-SEATS-{year}-1")).await.is_ok() {
        return Ok(());
    }
    let code = format!("DEMO-SEATS-{year}");
    let activity = ActivityInput {
        code: code.clone(),
        year: year.to_string(),
        title_en: "Cyber defence staff course (demo)".into(),
        title_fr: "Cours d'état-major de cyberdéfense (démo)".into(),
        area: "CYBER".into(),
        kind: "course".into(),
        marking: "PUBLIC".into(),
        open_to: "PARTNERS".into(),
        languages: "en;fr".into(),
        ..ActivityInput::default()
    };
    services.menu.create(&operator, &registry, &activity).await?;
    for (n, mode, capacity) in [(1, "first_come", "6"), (2, "at_deadline", "4")] {
        let event = EventInput {
            code: format!("{code}-{n}"),
            activity: code.clone(),
            start: format!("{year}-0{}-06T09:00", 2 + n),
            end: format!("{year}-0{}-10T17:00", 2 + n),
            time_zone: "Europe/Brussels".into(),
            place: "Mons".into(),
            capacity: capacity.into(),
            quota: "2".into(),
            deadline: format!("{year}-0{}-15", n),
            status: "open".into(),
            mode: mode.into(),
        };
        services.events.create(&operator, &registry, &event).await?;
    }
    let staff = Actor::user(&users[1], &registry, services.db.clock().today());
    for (event, nation, seats, priority) in
        [(1, "UA", 2, 1), (1, "MD", 1, 2), (2, "UA", 2, 1), (2, "JO", 2, 1), (2, "TN", 1, 2)]
    {
        let input = RequestInput { nation: nation.into(), seats, priority };
        services.seats.request(&staff, &registry, &format!("{code}-{event}"), &input).await?;
    }
    let georgia = Actor::user(&users[4], &registry, services.db.clock().today());
    let itpp = ProgrammeInput {
        nation: "GE".into(),
        kind: "itpp".into(),
        title: "Georgia: Individually Tailored Partnership Programme (demo)".into(),
        starts: format!("{year}-01-01"),
        ..ProgrammeInput::default()
    };
    let programme = services.programmes.create(&georgia, &registry, &itpp).await?;
    let objective = services.programmes.add_objective(&georgia, &registry, &programme.code, "Cyber resilience").await?;
    let goal = services
        .programmes
        .add_goal(&georgia, &registry, &programme.code, objective, "A national cyber incident response capability")
        .await?;
    services.programmes.add_support(&georgia, &registry, &programme.code, goal, &code).await?;
    Ok(())
}
