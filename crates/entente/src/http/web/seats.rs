//! Seats on the pages: the event page's panel (ask for seats, the caller's requests with
//! their answers, nominees, cancel, add the event to a work plan, feedback), the staff's
//! allocation board, and a nation's "my seats" list. The services decide; these handlers
//! lay out what they answer.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use entente_core::{Action, Caller, Marking, Registry};

use super::form::{Typed, own_nation};
use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::http::i18n::Lang;
use crate::http::seat_words::answer_text;
use crate::service::ServiceError;
use crate::service::nominations::{FeedbackInput, NominationInput};
use crate::service::programmes::WorkPlanInput;
use crate::service::seats::{RequestInput, all_seats, seats_resource};
use crate::store::events::StoredEvent;
use crate::store::programmes::StoredProgramme;
use crate::store::seats::{StoredFeedback, StoredNomination, StoredRequest};

/// A request as a row of the pages.
#[derive(Debug, Clone)]
pub struct RequestLine {
    /// Its number.
    pub id: i64,
    /// The event's code.
    pub event: String,
    /// The nation.
    pub nation: String,
    /// Seats asked.
    pub seats: i64,
    /// Seats given.
    pub allocated: i64,
    /// Priority.
    pub priority: i64,
    /// Status code (for the badge's class).
    pub status: String,
    /// Status in words.
    pub status_label: String,
    /// The answer in words.
    pub answer: String,
    /// Names of the nominees the caller may read.
    pub nominees: Vec<String>,
    /// Whether the caller may cancel it and name participants.
    pub may_change: bool,
}

fn line(r: StoredRequest, lang: Lang, nominees: Vec<String>, may_change: bool) -> RequestLine {
    RequestLine {
        answer: answer_text(&r.status, r.seats, r.seats_allocated, &r.reason, &r.deadline, lang),
        status_label: lang.t(&format!("seat-status-{}", r.status)),
        id: r.id,
        event: r.event_code,
        nation: r.nation,
        seats: r.seats,
        allocated: r.seats_allocated,
        priority: r.priority,
        status: r.status,
        nominees,
        may_change,
    }
}

/// The nominees' names by request; purged ones say so.
fn names_by_request(nominations: Vec<StoredNomination>, lang: Lang) -> BTreeMap<i64, Vec<String>> {
    let mut names: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for n in nominations {
        names.entry(n.request_id).or_default().push(n.name.unwrap_or_else(|| lang.t("nomination-purged")));
    }
    names
}

/// A programme to which the event may be added, with its goals.
#[derive(Debug, Clone)]
pub struct WorkPlanChoice {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Goals: (number, "objective / goal").
    pub goals: Vec<(i64, String)>,
}

/// What the event page shows of seats.
#[derive(Debug, Clone, Default)]
pub struct SeatPanel {
    /// The caller may ask for seats: for her nation (fixed) or, for the staff, any.
    pub may_request: bool,
    /// The nation she asks for, if fixed.
    pub own_nation: Option<String>,
    /// The requests the caller may see.
    pub requests: Vec<RequestLine>,
    /// Whether the allocation board link shows.
    pub may_board: bool,
    /// Programmes the event may be added to.
    pub programmes: Vec<WorkPlanChoice>,
    /// The event's year, for the work plan.
    pub year: String,
    /// Feedback the caller may read.
    pub feedback: Vec<StoredFeedback>,
    /// Whether the caller may file the organiser's report.
    pub organiser: bool,
    /// Whether the event has started (feedback comes after).
    pub started: bool,
}

/// The event page's seat panel for this caller.
pub async fn panel(
    ctx: &CallerContext,
    state: &AppState,
    registry: &Registry,
    event: &StoredEvent,
    marking: &Marking,
) -> Result<SeatPanel, ServiceError> {
    let caller = &ctx.actor.caller;
    if matches!(caller, Caller::Anonymous) {
        return Ok(SeatPanel::default());
    }
    let own = own_nation(caller);
    let organiser = entente_core::authorize(caller, Action::Allocate, all_seats(marking)).is_allowed();
    let may_request = organiser
        || own.is_some_and(|n| {
            entente_core::authorize(caller, Action::Create, seats_resource(n, marking, false)).is_allowed()
        });
    let (requests, _) = state.services.seats.requests(&ctx.actor, registry, &event.code).await?;
    let nominations = state.services.nominations.of_requests(&ctx.actor, registry, &requests).await?;
    let mut names = names_by_request(nominations, ctx.lang);
    let lines = requests
        .into_iter()
        .map(|r| {
            let may_change = r.nation.parse().is_ok_and(|n| {
                entente_core::authorize(caller, Action::Update, seats_resource(n, marking, true)).is_allowed()
            });
            let nominees = names.remove(&r.id).unwrap_or_default();
            line(r, ctx.lang, nominees, may_change)
        })
        .collect();
    let programmes = match own {
        Some(n) => work_plan_choices(state, ctx, registry, &n.to_string()).await?,
        None => Vec::new(),
    };
    let feedback = state.services.nominations.feedback(&ctx.actor, registry, &event.code).await?;
    Ok(SeatPanel {
        may_request,
        own_nation: own.map(|n| n.to_string()),
        requests: lines,
        may_board: organiser,
        programmes,
        year: event.starts.get(..4).unwrap_or_default().to_owned(),
        feedback,
        organiser,
        started: state.today().to_string().as_str() >= event.starts.get(..10).unwrap_or_default(),
    })
}

/// The nation's programmes whose work plans are open, with their goals.
pub(super) async fn work_plan_choices(
    state: &AppState,
    ctx: &CallerContext,
    registry: &Registry,
    nation: &str,
) -> Result<Vec<WorkPlanChoice>, ServiceError> {
    let programmes: Vec<StoredProgramme> =
        state.services.programmes.list(&ctx.actor, registry, Some(nation), None).await?;
    let mut out = Vec::new();
    for p in programmes.into_iter().filter(|p| p.status != "closed" && !p.historical) {
        let view = state.services.programmes.get(&ctx.actor, registry, &p.code, None).await?;
        let goals: Vec<(i64, String)> = view
            .objectives
            .iter()
            .flat_map(|o| o.goals.iter().map(move |g| (g.id, format!("{} / {}", o.title, g.title))))
            .collect();
        if !goals.is_empty() {
            out.push(WorkPlanChoice { code: p.code, title: p.title, goals });
        }
    }
    Ok(out)
}

/// Where to send the browser back to: the event named in the form, if it is a code.
fn back_to_event(fields: &Typed, flash: &str) -> String {
    let event = fields.get("event");
    if event.parse::<entente_core::EventCode>().is_ok() {
        format!("/events/{event}?flash={flash}#seats")
    } else {
        format!("/my/seats?flash={flash}")
    }
}

/// `POST /events/{code}/requests`: asks for seats.
pub async fn request(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Form(raw): Form<HashMap<String, String>>,
) -> PageResult {
    let fields = Typed(raw);
    let registry = ctx.registry()?.clone();
    let nation = match own_nation(&ctx.actor.caller) {
        Some(n) if fields.get("nation").is_empty() => n.to_string(),
        _ => fields.get("nation").to_ascii_uppercase(),
    };
    let input = RequestInput { nation, seats: fields.number("seats")?, priority: fields.number("priority")? };
    state.services.seats.request(&ctx.actor, &registry, &code, &input).await?;
    Ok(Redirect::to(&format!("/events/{code}?flash=seats-requested#seats")).into_response())
}

/// `POST /requests/{id}/nominations`: names a participant.
pub async fn nominate(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(raw): Form<HashMap<String, String>>,
) -> PageResult {
    let fields = Typed(raw);
    let registry = ctx.registry()?.clone();
    let input = NominationInput {
        name: fields.get("name"),
        rank: fields.get("rank"),
        position: fields.get("position"),
        email: fields.get("email"),
    };
    state.services.nominations.nominate(&ctx.actor, &registry, id, &input).await?;
    Ok(Redirect::to(&back_to_event(&fields, "nominated")).into_response())
}

/// `POST /requests/{id}/cancel`: cancels a request; its seats go to the waitlist.
pub async fn cancel(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(raw): Form<HashMap<String, String>>,
) -> PageResult {
    let fields = Typed(raw);
    let registry = ctx.registry()?.clone();
    state.services.seats.cancel(&ctx.actor, &registry, id).await?;
    Ok(Redirect::to(&back_to_event(&fields, "request-cancelled")).into_response())
}

/// `POST /events/{code}/work-plan`: puts the event on a year's work plan.
pub async fn add_to_work_plan(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Form(raw): Form<HashMap<String, String>>,
) -> PageResult {
    let fields = Typed(raw);
    let registry = ctx.registry()?.clone();
    let input = WorkPlanInput {
        year: fields.number("year")?,
        goal: fields.number("goal")?,
        item: code.clone(),
        priority: fields.number("priority")?,
    };
    state.services.programmes.add_to_work_plan(&ctx.actor, &registry, &fields.get("programme"), &input).await?;
    Ok(Redirect::to(&format!("/events/{code}?flash=work-plan-added#seats")).into_response())
}

/// `POST /events/{code}/feedback`: files a feedback report.
pub async fn add_feedback(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Form(raw): Form<HashMap<String, String>>,
) -> PageResult {
    let fields = Typed(raw);
    let registry = ctx.registry()?.clone();
    let input = FeedbackInput { role: fields.get("role"), body: fields.get("body"), marking: fields.get("marking") };
    state.services.nominations.add_feedback(&ctx.actor, &registry, &code, &input).await?;
    Ok(Redirect::to(&format!("/events/{code}?flash=feedback-filed#feedback")).into_response())
}

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    chrome: Chrome,
    event: StoredEvent,
    mode: String,
    title: String,
    requests: Vec<RequestLine>,
    given: i64,
    asked: i64,
    may_allocate: bool,
}

/// `GET /events/{code}/board`: every nation's requests and answers (the organising staff).
pub async fn board(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    let registry = ctx.registry()?.clone();
    let event = state.services.events.get(&ctx.actor.caller, &registry, &code).await?;
    let marking = crate::service::events::marking_of(&event, &registry)?;
    ctx.actor.require(Action::Allocate, all_seats(&marking))?;
    let (requests, _) = state.services.seats.requests(&ctx.actor, &registry, &code).await?;
    let nominations = state.services.nominations.of_requests(&ctx.actor, &registry, &requests).await?;
    let mut names = names_by_request(nominations, ctx.lang);
    let live = requests.iter().filter(|r| r.status != "cancelled");
    let (given, asked) = live.fold((0, 0), |(g, a), r| (g + r.seats_allocated, a + r.seats));
    let lines = requests
        .into_iter()
        .map(|r| {
            let nominees = names.remove(&r.id).unwrap_or_default();
            line(r, ctx.lang, nominees, true)
        })
        .collect();
    let page = BoardPage {
        chrome: Chrome::new(&ctx, &state).marked([&marking]),
        may_allocate: event.mode == "at_deadline",
        mode: ctx.lang.t(&format!("seat-mode-{}", event.mode)),
        title: ctx
            .lang
            .pick(&event.title_en, if event.title_fr.is_empty() { &event.title_en } else { &event.title_fr })
            .to_owned(),
        event,
        requests: lines,
        given,
        asked,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /events/{code}/allocate`: allocates an `at_deadline` event's seats now.
pub async fn allocate(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    let registry = ctx.registry()?.clone();
    state.services.seats.allocate(&ctx.actor, &registry, &code).await?;
    Ok(Redirect::to(&format!("/events/{code}/board?flash=allocated")).into_response())
}

#[derive(Template)]
#[template(path = "my_seats.html")]
struct MySeatsPage {
    chrome: Chrome,
    nation: String,
    requests: Vec<RequestLine>,
    page: i64,
    pages: i64,
}

/// `GET /my/seats`: the caller's nation's requests, latest first, with their answers and
/// nominees ("my nominations").
pub async fn mine(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let registry = ctx.registry()?.clone();
    ctx.signed_in()?;
    let Some(nation) = own_nation(&ctx.actor.caller) else {
        // The page lists one nation's requests: the staff use each event's board instead.
        return Err(ServiceError::Refused(entente_core::Refusal {
            rule: entente_core::Rule::OnlyConcernedNation,
            action: Action::Read,
            target: entente_core::Target::Seats,
        })
        .into());
    };
    let page = params.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let per_page = 50;
    let (requests, total) =
        state.services.seats.of_nation(&ctx.actor, &registry, nation, per_page, (page - 1) * per_page).await?;
    let nominations = state.services.nominations.of_requests(&ctx.actor, &registry, &requests).await?;
    let mut names = names_by_request(nominations, ctx.lang);
    let lines = requests
        .into_iter()
        .map(|r| {
            let nominees = names.remove(&r.id).unwrap_or_default();
            line(r, ctx.lang, nominees, true)
        })
        .collect();
    let page = MySeatsPage {
        chrome: Chrome::new(&ctx, &state),
        nation: nation.to_string(),
        requests: lines,
        page,
        pages: ((total + per_page - 1) / per_page).max(1),
    };
    Ok(render(StatusCode::OK, &page))
}
