//! The menu's pages: search (`/menu`), an activity with who may take part (`/activities/{code}`),
//! an event with its calendar file (`/events/{code}`, `/events/{code}.ics`), the council's
//! decisions (`/decisions`), and the calendar feeds.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use entente_core::eligibility::Eligibility;
use entente_core::{NationCode, Standing};

use super::listing::Listing;
use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::service::ServiceError;
use crate::service::ical::{CalendarEvent, calendar};
use crate::store::events::{EventFilter, StoredEvent};

struct Hit {
    code: String,
    year: i32,
    title: String,
    area: String,
    kind: String,
    open_to: String,
    verdict: Option<(bool, String)>,
}

#[derive(Template)]
#[template(path = "menu.html")]
struct MenuPage {
    chrome: Chrome,
    q: String,
    year: String,
    area: String,
    kind: String,
    language: String,
    month: String,
    at: String,
    mine: bool,
    my_nation: Option<String>,
    areas: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    hits: Vec<Hit>,
    total: usize,
    pager: super::listing::Pager,
    error: Option<String>,
    may_edit: bool,
}

use super::form::own_nation;

/// Why-sentences in the page's language (the core's English sentence where a language
/// has none).
fn because(lang: crate::http::i18n::Lang, answer: &Eligibility) -> String {
    let sentences: Vec<String> = answer
        .reasons
        .iter()
        .map(|r| {
            let mut values = r.values();
            // A policy is named by its title in the page's language.
            if let Some(french) = values.iter().find(|(k, _)| *k == "title_fr").map(|(_, v)| v.clone())
                && let Some(title) = values.iter_mut().find(|(k, _)| *k == "title")
            {
                title.1 = lang.pick(&title.1, &french).to_owned();
            }
            lang.try_t_with(&format!("elig-{}", r.kind()), &values).unwrap_or_else(|| r.to_string())
        })
        .collect();
    sentences.join(&lang.t("reasons-separator"))
}

/// Who an activity is open to, in words: members only, all partners, or framework codes.
fn audience(lang: crate::http::i18n::Lang, open_to: &str) -> String {
    match open_to {
        "MEMBERS" | "PARTNERS" => lang.t(&format!("open-to-{}", open_to.to_ascii_lowercase())),
        codes => codes.replace(';', ", "),
    }
}

/// A provider's name (a nation's, an organisation's or an alliance body's), with its code.
fn provider_name(
    lang: crate::http::i18n::Lang,
    registry: &entente_core::Registry,
    catalogue: &crate::service::menu::Catalogue,
    code: &str,
) -> String {
    let nation =
        code.parse::<NationCode>().ok().and_then(|n| registry.nation(n)).map(|n| lang.pick(&n.name_en, &n.name_fr));
    let organisation =
        || registry.organisations().find(|o| o.code.as_str() == code).map(|o| lang.pick(&o.name_en, &o.name_fr));
    let body = || catalogue.bodies.iter().find(|b| b.code == code).map(|b| lang.pick(&b.name_en, &b.name_fr));
    match nation.or_else(organisation).or_else(body) {
        Some(name) => format!("{name} ({code})"),
        None => code.to_owned(),
    }
}

/// `GET /menu`: search the menu.
pub async fn search(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let listing = Listing::new("/menu", &params, &["q", "year", "area", "kind", "language", "month", "at", "mine"])?;
    let lang = ctx.lang;
    let registry = ctx.registry()?.clone();
    let page = listing.page()?;
    let my_nation = own_nation(&ctx.actor.caller);
    let mine = listing.filter("mine").is_some() && my_nation.is_some();
    let mut api_params = params.clone();
    api_params.remove("mine");
    if mine && let Some(n) = my_nation {
        api_params.insert("nation".into(), n.to_string());
    }
    let catalogue = state.services.menu.catalogue().await?;
    let (found, error) =
        match crate::http::api::menu::menu_query(&ctx, &state, &api_params, page, super::listing::PER_PAGE) {
            Ok(query) => match state.services.menu.search(&ctx.actor.caller, &registry, &query).await {
                Ok(found) => (Some(found), None),
                Err(ServiceError::Invalid { field, reason }) => (None, Some(format!("{field}: {reason}"))),
                Err(e) => return Err(e.into()),
            },
            Err(e) => (None, Some(e.to_string())),
        };
    let area_name = |code: &str| {
        catalogue
            .areas
            .iter()
            .find(|a| a.code == code)
            .map(|a| lang.pick(&a.name_en, &a.name_fr).to_owned())
            .unwrap_or_default()
    };
    let (hits, total) = match &found {
        Some(found) => (
            found
                .hits
                .iter()
                .map(|h| Hit {
                    code: h.activity.code.to_string(),
                    year: h.activity.year,
                    title: lang
                        .pick(
                            &h.activity.title_en,
                            if h.activity.title_fr.is_empty() { &h.activity.title_en } else { &h.activity.title_fr },
                        )
                        .to_owned(),
                    area: area_name(h.activity.area.as_str()),
                    kind: lang.t(&format!("kind-{}", h.activity.kind.as_str())),
                    open_to: audience(lang, &h.activity.open_to.to_string()),
                    verdict: h.eligibility.as_ref().map(|e| (e.eligible, because(lang, e))),
                })
                .collect(),
            found.total,
        ),
        None => (Vec::new(), 0),
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let text = |name: &str| listing.filter(name).unwrap_or_default().to_owned();
    let page = MenuPage {
        chrome: Chrome::new(&ctx, &state),
        q: text("q"),
        year: text("year"),
        area: text("area"),
        kind: text("kind"),
        language: text("language"),
        month: text("month"),
        at: listing.filter("at").map_or_else(|| state.today().to_string(), str::to_owned),
        mine,
        my_nation: my_nation.and_then(|n| registry.nation(n)).map(|n| lang.pick(&n.name_en, &n.name_fr).to_owned()),
        areas: catalogue.areas.iter().map(|a| (a.code.clone(), lang.pick(&a.name_en, &a.name_fr).to_owned())).collect(),
        kinds: entente_core::menu::ActivityKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), lang.t(&format!("kind-{}", k.as_str()))))
            .collect(),
        pager: listing.pager(page, total),
        hits,
        total,
        error,
        may_edit: state.services.menu.may_edit(&ctx.actor.caller),
    };
    Ok(render(status, &page))
}

struct WhoRow {
    code: String,
    name: String,
    standing: String,
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage {
    chrome: Chrome,
    code: String,
    year: i32,
    title: String,
    description: String,
    area: String,
    kind: String,
    provider: String,
    languages: String,
    marking: String,
    open_to: String,
    generated: bool,
    at: String,
    yours: Option<(String, bool, String)>,
    eligible: Vec<WhoRow>,
    not_eligible: usize,
    events: Vec<EventRow>,
    may_edit: bool,
    plans: Vec<super::seats::WorkPlanChoice>,
}

struct EventRow {
    code: String,
    start: String,
    place: String,
    status: String,
}

/// `GET /activities/{code}?year=&at=`: the activity, its events, who may take part.
pub async fn activity(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> PageResult {
    let listing = Listing::new(&format!("/activities/{code}"), &params, &["year", "at"])?;
    let lang = ctx.lang;
    let registry = ctx.registry()?.clone();
    let year = listing.filter("year").and_then(|y| y.parse::<i64>().ok());
    let (row, activity) =
        state.services.menu.get(&ctx.actor.caller, &registry, &code.to_ascii_uppercase(), year).await?;
    let at = listing.filter("at").and_then(|d| entente_core::parse_day(d).ok()).unwrap_or_else(|| state.today());
    let rules = state.services.menu.rules().await?;
    let grounds = crate::service::menu::grounds(&registry, &rules);
    let matrix = grounds.matrix(std::slice::from_ref(&activity), at);
    let name_of =
        |n: NationCode| registry.nation(n).map(|x| lang.pick(&x.name_en, &x.name_fr).to_owned()).unwrap_or_default();
    let mut eligible: Vec<WhoRow> = matrix
        .iter()
        .filter(|r| !r.eligible.is_empty())
        .map(|r| WhoRow {
            code: r.nation.to_string(),
            name: name_of(r.nation),
            standing: lang.t(&format!("standing-{}", r.standing.as_str())),
        })
        .collect();
    eligible.sort_by(|a, b| entente_core::text::collate(&a.name, &b.name));
    let not_eligible = matrix.iter().filter(|r| r.eligible.is_empty() && r.standing != Standing::Member).count();
    let yours = own_nation(&ctx.actor.caller).map(|n| {
        let answer = grounds.eligibility(n, &activity, at);
        (name_of(n), answer.eligible, because(lang, &answer))
    });
    let filter = EventFilter { activity_id: Some(row.id), ..EventFilter::default() };
    let events = state.services.events.list(&ctx.actor.caller, &registry, filter).await?;
    let catalogue = state.services.menu.catalogue().await?;
    let area = catalogue
        .areas
        .iter()
        .find(|a| a.code == row.area)
        .map(|a| lang.pick(&a.name_en, &a.name_fr).to_owned())
        .unwrap_or_default();
    // "Add to my work plan": the caller's nation's programmes whose plans are open.
    let plans = match own_nation(&ctx.actor.caller) {
        Some(n) => super::seats::work_plan_choices(&state, &ctx, &registry, n.as_str()).await?,
        None => Vec::new(),
    };
    let page = ActivityPage {
        plans,
        may_edit: state.services.menu.may_change(&ctx.actor.caller, &activity.marking),
        chrome: Chrome::new(&ctx, &state).marked([&activity.marking]),
        code: row.code.clone(),
        year: activity.year,
        title: lang.pick(&row.title_en, if row.title_fr.is_empty() { &row.title_en } else { &row.title_fr }).to_owned(),
        description: lang
            .pick(
                &row.description_en,
                if row.description_fr.is_empty() { &row.description_en } else { &row.description_fr },
            )
            .to_owned(),
        area,
        kind: lang.t(&format!("kind-{}", row.kind)),
        provider: provider_name(lang, &registry, &catalogue, &row.provider),
        languages: row.languages.replace(';', ", "),
        marking: row.marking.clone(),
        open_to: audience(lang, &row.open_to),
        generated: row.generated,
        at: at.to_string(),
        yours,
        eligible,
        not_eligible,
        events: events
            .iter()
            .map(|e| EventRow {
                code: e.code.clone(),
                start: e.starts.replace('T', " "),
                place: e.place.clone(),
                status: lang.t(&format!("event-status-{}", e.status)),
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    chrome: Chrome,
    event: StoredEvent,
    title: String,
    status: String,
    mode: String,
    selected: Option<bool>,
    may_edit: bool,
    seats: super::seats::SeatPanel,
}

/// `GET /events/{code}` (the page) and `GET /events/{code}.ics` (its calendar file).
pub async fn event(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    let registry = ctx.registry()?.clone();
    if let Some(code) = code.strip_suffix(".ics") {
        let event = state.services.events.get(&ctx.actor.caller, &registry, code).await?;
        return Ok(ics_response(&state, &event.code.clone(), &[event], Some(&format!("{}.ics", code))));
    }
    let event = state.services.events.get(&ctx.actor.caller, &registry, &code).await?;
    let marking = crate::service::events::marking_of(&event, &registry)?;
    let lang = ctx.lang;
    let selected =
        if ctx.user.is_some() { Some(state.services.events.is_selected(&ctx.actor, event.id).await?) } else { None };
    let seats = super::seats::panel(&ctx, &state, &registry, &event, &marking).await?;
    let page = EventPage {
        seats,
        may_edit: state.services.menu.may_change(&ctx.actor.caller, &marking),
        chrome: Chrome::new(&ctx, &state).marked([&marking]),
        title: lang
            .pick(&event.title_en, if event.title_fr.is_empty() { &event.title_en } else { &event.title_fr })
            .to_owned(),
        status: lang.t(&format!("event-status-{}", event.status)),
        mode: lang.t(&format!("seat-mode-{}", event.mode)),
        selected,
        event,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /events/{code}/calendar`: adds the event to (or, with `remove`, takes it off) the
/// user's own calendar.
pub async fn select(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    axum::Form(fields): axum::Form<std::collections::HashMap<String, String>>,
) -> PageResult {
    let registry = ctx.registry()?.clone();
    let remove = fields.contains_key("remove");
    state.services.events.select(&ctx.actor, &registry, &code, !remove).await?;
    let flash = if remove { "calendar-removed" } else { "calendar-added" };
    Ok(Redirect::to(&format!("/events/{code}?flash={flash}")).into_response())
}

fn ics_response(state: &AppState, name: &str, events: &[StoredEvent], download: Option<&str>) -> Response {
    ics_of(state, name, event_items(events), download)
}

/// Events as calendar items.
fn event_items(events: &[StoredEvent]) -> Vec<CalendarEvent> {
    events
        .iter()
        .filter_map(|e| {
            Some(CalendarEvent {
                uid: format!("{}@entente", e.code),
                summary: e.title_en.clone(),
                description: format!("{} ({})", e.activity_code, e.activity_year),
                location: e.place.clone(),
                start: entente_core::event::EventTime::parse("start", &e.starts).ok()?,
                end: entente_core::event::EventTime::parse("end", &e.ends).ok()?,
                time_zone: e.time_zone.parse().ok()?,
                url: format!("/events/{}", e.code),
                cancelled: e.status == "cancelled",
            })
        })
        .collect()
}

/// A calendar file of `items`.
fn ics_of(state: &AppState, name: &str, items: Vec<CalendarEvent>, download: Option<&str>) -> Response {
    let body = calendar(name, &items, state.services.db.clock().now());
    let mut response = ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response();
    if let Some(file) = download
        && let Ok(value) = header::HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
    {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn feed_name(file: &str) -> Result<&str, ServiceError> {
    file.strip_suffix(".ics").ok_or(ServiceError::NotFound { kind: "calendar", code: file.to_owned() })
}

/// `GET /calendar/areas/{code}.ics`: an area's events, as the caller may see them.
pub async fn area_feed(ctx: CallerContext, State(state): State<AppState>, Path(file): Path<String>) -> PageResult {
    let area = feed_name(&file)?.to_ascii_uppercase();
    let catalogue = state.services.menu.catalogue().await?;
    if !catalogue.areas.iter().any(|a| a.code == area) {
        return Err(ServiceError::NotFound { kind: "area", code: area }.into());
    }
    let filter = EventFilter { area: Some(area.clone()), ..EventFilter::default() };
    let events = state.services.events.list(&ctx.actor.caller, ctx.registry()?, filter).await?;
    Ok(ics_response(&state, &format!("Entente: {area}"), &events, None))
}

/// `GET /calendar/nations/{code}.ics`: the events a nation may attend.
pub async fn nation_feed(ctx: CallerContext, State(state): State<AppState>, Path(file): Path<String>) -> PageResult {
    let code = feed_name(&file)?;
    let registry = ctx.registry()?.clone();
    let nation = crate::service::menu::nation_field(&registry, "nation", code)
        .map_err(|_| ServiceError::NotFound { kind: "nation", code: code.to_owned() })?;
    let events = state.services.events.eligible_for(&ctx.actor.caller, &registry, nation).await?;
    let mut items = event_items(&events);
    let feed = crate::service::meetings::Feed::Nation(nation.to_string());
    items.extend(state.services.meetings.calendar(&ctx.actor, &registry, &feed).await?);
    Ok(ics_of(&state, &format!("Entente: {nation}"), items, None))
}

/// `GET /calendar/frameworks/{code}.ics`: the meetings whose participant rule names a
/// framework, as the caller may see them.
pub async fn framework_feed(ctx: CallerContext, State(state): State<AppState>, Path(file): Path<String>) -> PageResult {
    let code = feed_name(&file)?.to_ascii_uppercase();
    let registry = ctx.registry()?.clone();
    if !crate::service::documents::is_framework_of(&registry, &code) {
        return Err(ServiceError::NotFound { kind: "framework", code }.into());
    }
    let feed = crate::service::meetings::Feed::Framework(code.clone());
    let items = state.services.meetings.calendar(&ctx.actor, &registry, &feed).await?;
    Ok(ics_of(&state, &format!("Entente: {code}"), items, None))
}

/// `GET /calendar/users/{token}.ics`: a user's own selection, as she may see it.
pub async fn user_feed(State(state): State<AppState>, Path(file): Path<String>) -> PageResult {
    let token = feed_name(&file)?;
    let not_found = || ServiceError::NotFound { kind: "calendar", code: "private feed".into() };
    let user_id = state.services.events.feed_owner(token).await?.ok_or_else(not_found)?;
    let user = state.services.accounts.user(user_id).await?;
    if !user.active {
        return Err(not_found().into());
    }
    let registry = state.services.registry.snapshot().await?;
    let actor = crate::service::accounts::Actor::user(&user, &registry, state.today());
    let filter = EventFilter { selected_by: Some(user_id), ..EventFilter::default() };
    let events = state.services.events.list(&actor.caller, &registry, filter).await?;
    let mut items = event_items(&events);
    let feed = crate::service::meetings::Feed::User { email: user.email.clone() };
    items.extend(state.services.meetings.calendar(&actor, &registry, &feed).await?);
    Ok(ics_of(&state, "Entente: my events", items, None))
}

#[derive(Template)]
#[template(path = "calendar_token.html")]
struct TokenPage {
    chrome: Chrome,
    url: String,
}

/// `POST /account/calendar`: makes a new private feed address (the old one stops working).
pub async fn new_feed(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    let token = state.services.events.new_feed_token(&ctx.actor).await?;
    let page = TokenPage { chrome: Chrome::new(&ctx, &state), url: format!("/calendar/users/{token}.ics") };
    Ok(render(StatusCode::OK, &page))
}

struct DecisionRow {
    id: i64,
    decided_on: String,
    kind: String,
    nations: String,
    scope: String,
    validity: String,
    reference: String,
}

#[derive(Template)]
#[template(path = "decisions.html")]
struct DecisionsPage {
    chrome: Chrome,
    decisions: Vec<DecisionRow>,
    policies: Vec<crate::store::rules::StoredPolicy>,
    may_record: bool,
    may_edit_policies: bool,
}

/// `GET /decisions`: the council's decisions and the eligibility policies.
pub async fn decisions(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    let lang = ctx.lang;
    let rows = state.services.council.decisions(&ctx.actor).await?;
    let policies = state.services.council.policies(&ctx.actor).await?;
    let page = DecisionsPage {
        may_record: state.services.council.may_record(&ctx.actor),
        may_edit_policies: state.services.council.may_edit_policies(&ctx.actor),
        chrome: Chrome::new(&ctx, &state),
        decisions: rows
            .into_iter()
            .map(|d| DecisionRow {
                id: d.id,
                decided_on: d.decided_on,
                kind: lang.t(&format!("decision-kind-{}", d.kind)),
                nations: d.nations.join(", "),
                scope: d.scope,
                validity: format!("{} – {}", d.from_day, d.to_day.unwrap_or_default()),
                reference: d.reference,
            })
            .collect(),
        policies,
    };
    Ok(render(StatusCode::OK, &page))
}
