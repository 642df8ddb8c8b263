//! Seat requests and their answers: a nation asks for seats on an event, with a priority;
//! `first_come` events answer at once, `at_deadline` events all together when registration
//! closes (or on `entente allocate`); a whole year's `at_deadline` events can be allocated
//! at once under the nations' yearly budgets. A cancelled seat goes to the waitlist at once.
//!
//! Seat accounting never overbooks: every change reads and writes an event's seats in one
//! unit of work that holds the event's row (SQLite's write lock, PostgreSQL's row lock), and
//! the database itself refuses more seats taken than the event's capacity.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entente_core::allocation::year::{Budget, YearEvent, allocate_year};
use entente_core::allocation::{Answer, SeatAsk, Seats, Why, allocate_event, first_come};
use entente_core::event::SeatMode;
use entente_core::menu::Activity;
use entente_core::{Action, Marking, NationCode, Registry, Resource};
use serde_json::json;

use super::accounts::Actor;
use super::council::{Rules, append, rules_in};
use super::documents::is_framework_of;
use super::events::marking_of;
use super::menu::{activity_of, grounds};
use super::{Db, Reason, ServiceError};
use crate::store::Tx;
use crate::store::events::StoredEvent;
use crate::store::seats::{RequestAnswer, RequestRow, StoredBudget, StoredRequest};

/// A request as typed: the API's JSON, the CLI's flags, the page's form.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RequestInput {
    /// The nation asking (a partner officer may only ask for her own).
    pub nation: String,
    /// Seats asked for, at least 1.
    pub seats: i64,
    /// 1 (highest) to 3.
    pub priority: i64,
}

/// A request and its answer.
#[derive(Debug, Clone)]
pub struct RequestView {
    /// The request.
    pub request: StoredRequest,
    /// The event's registration deadline.
    pub deadline: String,
}

/// One request's answer in an allocation run.
#[derive(Debug, Clone)]
pub struct Allocated {
    /// The event's code.
    pub event: String,
    /// The request as it now stands.
    pub request: StoredRequest,
    /// The event's deadline.
    pub deadline: String,
}

/// Seat requests and allocation.
#[derive(Debug, Clone)]
pub struct SeatService {
    db: Db,
}

fn invalid(field: &str, reason: Reason) -> ServiceError {
    ServiceError::Invalid { field: field.to_owned(), reason }
}

/// The resource a nation's seats on an event are, for `authorize()`.
pub fn seats_resource(nation: NationCode, marking: &Marking, personal: bool) -> Resource<'_> {
    Resource::Seats { nation: Some(nation), marking, personal }
}

/// Every nation's seats on an event marked `marking`: what the organisers allocate.
pub fn all_seats(marking: &Marking) -> Resource<'_> {
    Resource::Seats { nation: None, marking, personal: false }
}

fn nation_of(request: &StoredRequest) -> Result<NationCode, ServiceError> {
    request.nation.parse().map_err(|_| ServiceError::Corrupt(format!("seat request {}: nation", request.id)))
}

fn day(text: &str) -> Result<NaiveDate, ServiceError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ServiceError::Corrupt(format!("day `{text}`")))
}

/// An event, its marking, its activity and how it gives seats; refused as not found when
/// the caller may not read it.
pub(super) struct EventContext {
    pub event: StoredEvent,
    pub marking: Marking,
    pub activity: Activity,
    pub mode: SeatMode,
}

pub(super) async fn event_context(
    tx: &mut Tx,
    actor: &Actor,
    registry: &Registry,
    code: &str,
    lock: bool,
) -> Result<EventContext, ServiceError> {
    let not_found = || ServiceError::NotFound { kind: "event", code: code.to_owned() };
    let event = tx.event(code, lock).await?.ok_or_else(not_found)?;
    let marking = marking_of(&event, registry)?;
    if actor.require(Action::Read, super::menu::activity_record(&marking)).is_err() {
        return Err(not_found());
    }
    let row = tx.activity(&event.activity_code, Some(event.activity_year)).await?.ok_or_else(not_found)?;
    let activity = activity_of(&row, registry)?;
    let mode = SeatMode::parse(&event.mode).ok_or_else(|| ServiceError::Corrupt(format!("event {code}: mode")))?;
    Ok(EventContext { event, marking, activity, mode })
}

/// Whether `nation` may take part on the event's first and last days, and if not, why.
fn eligibility(
    registry: &Registry,
    rules: &Rules,
    activity: &Activity,
    event: &StoredEvent,
    nation: NationCode,
) -> Result<Result<(), String>, ServiceError> {
    let grounds = grounds(registry, rules);
    for text in [&event.starts, &event.ends] {
        let answer = grounds.eligibility(nation, activity, day(&text[..10.min(text.len())])?);
        if !answer.eligible {
            let why: Vec<String> = answer.reasons.iter().map(ToString::to_string).collect();
            return Ok(Err(why.join("; ")));
        }
    }
    Ok(Ok(()))
}

fn status_of(answer: &Answer) -> &'static str {
    if answer.granted > 0 { "allocated" } else { "waitlisted" }
}

fn answer_row(answer: &Answer) -> Result<RequestAnswer, ServiceError> {
    Ok(RequestAnswer {
        id: answer.id,
        seats_allocated: i64::from(answer.granted),
        status: status_of(answer).into(),
        reason: serde_json::to_string(&answer.why).map_err(|e| ServiceError::Corrupt(e.to_string()))?,
    })
}

fn seats_of(event: &StoredEvent) -> Seats {
    Seats {
        capacity: u32::try_from(event.capacity).unwrap_or(0),
        quota: event.quota.map(|q| u32::try_from(q).unwrap_or(0)),
    }
}

/// The asks the core allocates: the requests not cancelled, with their eligibility.
fn asks_of(
    requests: &[StoredRequest],
    mut eligible: impl FnMut(NationCode) -> Result<bool, ServiceError>,
) -> Result<Vec<SeatAsk>, ServiceError> {
    let mut asks = Vec::with_capacity(requests.len());
    for r in requests.iter().filter(|r| r.status != "cancelled") {
        let nation = nation_of(r)?;
        asks.push(SeatAsk {
            id: r.id,
            nation,
            seats: u32::try_from(r.seats).unwrap_or(0),
            priority: u8::try_from(r.priority).unwrap_or(3),
            order: u64::try_from(r.id).unwrap_or(0),
            eligible: eligible(nation)?,
        });
    }
    Ok(asks)
}

impl SeatService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Asks for seats on the event `code`. A `first_come` event answers at once.
    pub async fn request(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        input: &RequestInput,
    ) -> Result<RequestView, ServiceError> {
        let nation: NationCode = input
            .nation
            .trim()
            .parse()
            .map_err(|_| invalid("nation", Reason::UnknownNation(input.nation.trim().to_owned())))?;
        let mut tx = self.db.write().await?;
        // The event's row is held until the unit ends: requests for it queue here.
        let ctx = event_context(&mut tx, actor, registry, code, true).await?;
        actor.require(Action::Create, seats_resource(nation, &ctx.marking, false))?;
        if !(1..=3).contains(&input.priority) {
            return Err(invalid("priority", Reason::OutOfRange { min: 1, max: 3 }));
        }
        if input.seats < 1 || input.seats > ctx.event.capacity.max(1) {
            return Err(invalid("seats", Reason::OutOfRange { min: 1, max: ctx.event.capacity.max(1) }));
        }
        if let Some(quota) = ctx.event.quota.filter(|q| input.seats > *q) {
            return Err(invalid("seats", Reason::AboveQuota(quota)));
        }
        if !matches!(ctx.event.status.as_str(), "planned" | "open") {
            return Err(ServiceError::Conflict(Reason::NotTakingRequests(ctx.event.status.clone())));
        }
        let today = tx.now().date_naive();
        if today > day(&ctx.event.deadline)? {
            return Err(ServiceError::Conflict(Reason::DeadlinePassed(ctx.event.deadline.clone())));
        }
        let rules = rules_in(&mut tx).await?;
        if let Err(why) = eligibility(registry, &rules, &ctx.activity, &ctx.event, nation)? {
            return Err(ServiceError::Conflict(Reason::NotEligible(nation.to_string(), why)));
        }
        let mut row = RequestRow {
            event_id: ctx.event.id,
            nation: nation.to_string(),
            seats: input.seats,
            priority: input.priority,
            seats_allocated: 0,
            status: "requested".into(),
            reason: String::new(),
            requested_by: Some(actor.user_id()).filter(|id| *id > 0),
        };
        if ctx.mode == SeatMode::FirstCome {
            let requests = tx.seat_requests(ctx.event.id).await?;
            let held = |n: Option<&str>| -> u32 {
                requests
                    .iter()
                    .filter(|r| r.status != "cancelled" && n.is_none_or(|n| r.nation == n))
                    .map(|r| u32::try_from(r.seats_allocated).unwrap_or(0))
                    .sum()
            };
            let (taken, by_nation) = (held(None), held(Some(nation.as_str())));
            let ask = SeatAsk {
                id: 0,
                nation,
                seats: u32::try_from(input.seats).unwrap_or(0),
                priority: u8::try_from(input.priority).unwrap_or(3),
                order: 0,
                eligible: true,
            };
            let answer = first_come(&ask, seats_of(&ctx.event), taken, by_nation);
            let stored = answer_row(&answer)?;
            row.seats_allocated = stored.seats_allocated;
            row.status = stored.status;
            row.reason = stored.reason;
            tx.set_seats_taken(ctx.event.id, i64::from(taken + answer.granted)).await?;
        }
        let id = tx.insert_seat_request(&row).await?;
        append(
            &mut tx,
            &actor.label,
            "seat_request.create",
            json!({ "id": id, "event": code, "nation": row.nation, "seats": row.seats, "priority": row.priority,
                    "status": row.status, "seats_allocated": row.seats_allocated }),
        )
        .await?;
        let request = tx.seat_request(id).await?.ok_or(ServiceError::Corrupt("seat request".into()))?;
        tx.commit().await?;
        Ok(RequestView { request, deadline: ctx.event.deadline })
    }

    /// The event's requests the caller may see (all for the organising staff, her own
    /// nation's for a nation's officer), and the event's deadline.
    pub async fn requests(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
    ) -> Result<(Vec<StoredRequest>, String), ServiceError> {
        let mut tx = self.db.read().await?;
        let ctx = event_context(&mut tx, actor, registry, code, false).await?;
        let requests = tx.seat_requests(ctx.event.id).await?;
        tx.commit().await?;
        if let entente_core::Caller::Anonymous = actor.caller {
            return Err(ServiceError::Unauthenticated(super::SignInProblem::SignInFirst));
        }
        let mut visible = Vec::with_capacity(requests.len());
        for r in requests {
            if actor.require(Action::Read, seats_resource(nation_of(&r)?, &ctx.marking, false)).is_ok() {
                visible.push(r);
            }
        }
        Ok((visible, ctx.event.deadline))
    }

    /// A nation's requests the caller may see, latest first (one page), with how many
    /// there are.
    pub async fn of_nation(
        &self,
        actor: &Actor,
        registry: &Registry,
        nation: NationCode,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<StoredRequest>, i64), ServiceError> {
        actor.require(Action::Read, seats_resource(nation, &Marking::public(), false))?;
        let mut tx = self.db.read().await?;
        let (rows, total) = tx.seat_requests_of_nation(nation.as_str(), limit, offset).await?;
        tx.commit().await?;
        let mut visible = Vec::with_capacity(rows.len());
        for r in rows {
            let marking = Marking::parse(&r.marking, |c| is_framework_of(registry, c))
                .map_err(|e| ServiceError::Corrupt(format!("seat request {}: {e}", r.id)))?;
            if actor.require(Action::Read, seats_resource(nation, &marking, false)).is_ok() {
                visible.push(r);
            }
        }
        Ok((visible, total))
    }

    /// Cancels a request: its seats go to the waitlist at once.
    pub async fn cancel(&self, actor: &Actor, registry: &Registry, id: i64) -> Result<RequestView, ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "seat request", code: id.to_string() };
        let mut tx = self.db.write().await?;
        let request = tx.seat_request(id).await?.ok_or_else(not_found)?;
        let ctx = event_context(&mut tx, actor, registry, &request.event_code, true).await?;
        actor.require(Action::Update, seats_resource(nation_of(&request)?, &ctx.marking, false))?;
        if request.status == "cancelled" {
            return Err(ServiceError::Conflict(Reason::RequestCancelled));
        }
        if ctx.event.status == "held" {
            return Err(ServiceError::Conflict(Reason::NotTakingRequests(ctx.event.status.clone())));
        }
        let freed = request.seats_allocated;
        // Its participants go with it.
        tx.cancel_nominations(id).await?;
        tx.answer_seat_request(&RequestAnswer {
            id,
            seats_allocated: 0,
            status: "cancelled".into(),
            reason: String::new(),
        })
        .await?;
        let promoted = promote(&mut tx, registry, &ctx).await?;
        append(
            &mut tx,
            &actor.label,
            "seat_request.cancel",
            json!({ "id": id, "event": request.event_code, "freed": freed, "promoted": promoted }),
        )
        .await?;
        let request = tx.seat_request(id).await?.ok_or_else(not_found)?;
        tx.commit().await?;
        Ok(RequestView { request, deadline: ctx.event.deadline })
    }

    /// Allocates an `at_deadline` event's seats all at once, by the single-event rule.
    pub async fn allocate(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
    ) -> Result<Vec<Allocated>, ServiceError> {
        self.allocate_event(actor, registry, code, false).await
    }

    /// [`SeatService::allocate`]; with `once`, an event already allocated is left alone (two
    /// servers' schedulers may reach a due event together: the second finds it done).
    async fn allocate_event(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        once: bool,
    ) -> Result<Vec<Allocated>, ServiceError> {
        let mut tx = self.db.write().await?;
        let ctx = event_context(&mut tx, actor, registry, code, true).await?;
        if once && tx.event_allocated(ctx.event.id).await? {
            return Ok(Vec::new());
        }
        actor.require(Action::Allocate, all_seats(&ctx.marking))?;
        if ctx.mode != SeatMode::AtDeadline {
            return Err(ServiceError::Conflict(Reason::NotAtDeadline));
        }
        let rules = rules_in(&mut tx).await?;
        let requests = tx.seat_requests(ctx.event.id).await?;
        let mut verdicts: BTreeMap<NationCode, bool> = BTreeMap::new();
        let asks = asks_of(&requests, |nation| {
            if let Some(v) = verdicts.get(&nation) {
                return Ok(*v);
            }
            let v = eligibility(registry, &rules, &ctx.activity, &ctx.event, nation)?.is_ok();
            verdicts.insert(nation, v);
            Ok(v)
        })?;
        let answers = allocate_event(seats_of(&ctx.event), &asks);
        self.record(&mut tx, &ctx.event, &answers).await?;
        append(
            &mut tx,
            &actor.label,
            "event.allocate",
            json!({ "event": code, "requests": answers.len(), "seats": answers.iter().map(|a| a.granted).sum::<u32>() }),
        )
        .await?;
        let out = self.allocated(&mut tx, &ctx.event).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Allocates every `at_deadline` event starting in `year` not yet allocated at once,
    /// under the nations' budgets for the year (less the seats events already allocated
    /// gave). Returns the answers and the allocation's value.
    pub async fn allocate_year(
        &self,
        actor: &Actor,
        registry: &Registry,
        year: i64,
    ) -> Result<(Vec<Allocated>, u64), ServiceError> {
        // Asked first, so that a year without events is refused alike to those who may not.
        actor.require(Action::Allocate, all_seats(&Marking::public()))?;
        if !(1949..=2200).contains(&year) {
            return Err(invalid("year", Reason::OutOfRange { min: 1949, max: 2200 }));
        }
        let mut tx = self.db.write().await?;
        let all_events = tx.at_deadline_events_of_year(year).await?;
        // Events already allocated keep their answers (people may be named on those seats);
        // their seats count against the budgets of the run.
        let ids: Vec<i64> = all_events.iter().map(|e| e.id).collect();
        let done: std::collections::BTreeSet<i64> = tx.allocated_among(&ids).await?.into_iter().collect();
        let done_ids: Vec<i64> = done.iter().copied().collect();
        let area_of: BTreeMap<i64, String> = all_events.iter().map(|e| (e.id, e.area.clone())).collect();
        let mut held: BTreeMap<(String, String), i64> = BTreeMap::new();
        for r in tx.seat_requests_of_events(&done_ids).await?.iter().filter(|r| r.status != "cancelled") {
            *held.entry((r.nation.clone(), String::new())).or_default() += r.seats_allocated;
            let area = area_of.get(&r.event_id).cloned().unwrap_or_default();
            *held.entry((r.nation.clone(), area)).or_default() += r.seats_allocated;
        }
        let events: Vec<StoredEvent> = all_events.into_iter().filter(|e| !done.contains(&e.id)).collect();
        let rules = rules_in(&mut tx).await?;
        let menu: BTreeMap<(String, i64), Activity> = {
            let mut menu = BTreeMap::new();
            for y in [year - 1, year, year + 1] {
                for row in tx.menu(y).await? {
                    menu.insert((row.code.clone(), row.year), activity_of(&row, registry)?);
                }
            }
            menu
        };
        let mut contexts = Vec::with_capacity(events.len());
        for event in events {
            let marking = marking_of(&event, registry)?;
            actor.require(Action::Allocate, all_seats(&marking))?;
            let Some(activity) = menu.get(&(event.activity_code.clone(), event.activity_year)).cloned() else {
                return Err(ServiceError::Corrupt(format!("event {}: activity", event.code)));
            };
            contexts.push(EventContext { event, marking, activity, mode: SeatMode::AtDeadline });
        }
        let ids: Vec<i64> = contexts.iter().map(|c| c.event.id).collect();
        let mut requests: BTreeMap<i64, Vec<StoredRequest>> = BTreeMap::new();
        for r in tx.seat_requests_of_events(&ids).await? {
            requests.entry(r.event_id).or_default().push(r);
        }
        let mut year_events = Vec::with_capacity(contexts.len());
        for ctx in &contexts {
            let mine = requests.get(&ctx.event.id).map(Vec::as_slice).unwrap_or_default();
            let asks =
                asks_of(mine, |nation| Ok(eligibility(registry, &rules, &ctx.activity, &ctx.event, nation)?.is_ok()))?;
            year_events.push(YearEvent {
                id: ctx.event.id,
                area: ctx.event.area.clone(),
                seats: seats_of(&ctx.event),
                asks,
            });
        }
        let budgets: Vec<Budget> = tx
            .budgets(year)
            .await?
            .into_iter()
            .filter_map(|b| {
                let spent = held.get(&(b.nation.clone(), b.area.clone())).copied().unwrap_or(0);
                Some(Budget {
                    nation: b.nation.parse().ok()?,
                    area: Some(b.area).filter(|a| !a.is_empty()),
                    seats: u32::try_from((b.seats - spent).max(0)).unwrap_or(0),
                })
            })
            .collect();
        let result = allocate_year(&year_events, &budgets);
        let mut out = Vec::new();
        for (ctx, answers) in contexts.iter().zip(&result.answers) {
            self.record(&mut tx, &ctx.event, answers).await?;
        }
        append(
            &mut tx,
            &actor.label,
            "year.allocate",
            json!({ "year": year, "events": contexts.len(), "value": result.value,
                    "budgets_binding": result.fixed.iter().map(|n| n.to_string()).collect::<Vec<_>>() }),
        )
        .await?;
        let all = tx.seat_requests_of_events(&ids).await?;
        let deadlines: BTreeMap<i64, (&str, &str)> =
            contexts.iter().map(|c| (c.event.id, (c.event.code.as_str(), c.event.deadline.as_str()))).collect();
        for request in all {
            if let Some((code, deadline)) = deadlines.get(&request.event_id) {
                out.push(Allocated { event: (*code).to_owned(), deadline: (*deadline).to_owned(), request });
            }
        }
        tx.commit().await?;
        Ok((out, result.value))
    }

    /// Allocates every `at_deadline` event whose deadline has passed and whose seats are not
    /// yet allocated; returns their codes. Run by the server as days go by.
    pub async fn allocate_due(&self, registry: &Registry) -> Result<Vec<String>, ServiceError> {
        let mut tx = self.db.read().await?;
        let today = tx.now().date_naive().to_string();
        let due = tx.events_due_for_allocation(&today).await?;
        tx.commit().await?;
        let system = Actor::operator_named("scheduler");
        for code in &due {
            self.allocate_event(&system, registry, code, true).await?;
        }
        Ok(due)
    }

    /// Stores answers, and the seats taken on the event.
    async fn record(&self, tx: &mut Tx, event: &StoredEvent, answers: &[Answer]) -> Result<(), ServiceError> {
        for answer in answers {
            tx.answer_seat_request(&answer_row(answer)?).await?;
        }
        let taken: u32 = answers.iter().map(|a| a.granted).sum();
        tx.set_seats_taken(event.id, i64::from(taken)).await?;
        tx.mark_allocated(event.id).await?;
        Ok(())
    }

    async fn allocated(&self, tx: &mut Tx, event: &StoredEvent) -> Result<Vec<Allocated>, ServiceError> {
        Ok(tx
            .seat_requests(event.id)
            .await?
            .into_iter()
            .map(|request| Allocated { event: event.code.clone(), request, deadline: event.deadline.clone() })
            .collect())
    }

    /// Sets a nation's yearly budget of sponsored seats (area empty: every area).
    pub async fn set_budget(&self, actor: &Actor, budget: &StoredBudget) -> Result<(), ServiceError> {
        let nation: NationCode =
            budget.nation.parse().map_err(|_| invalid("nation", Reason::UnknownNation(budget.nation.clone())))?;
        actor.require(Action::Allocate, seats_resource(nation, &Marking::public(), false))?;
        if budget.seats < 0 || budget.seats > 100_000 {
            return Err(invalid("seats", Reason::OutOfRange { min: 0, max: 100_000 }));
        }
        if !(1949..=2200).contains(&budget.year) {
            return Err(invalid("year", Reason::OutOfRange { min: 1949, max: 2200 }));
        }
        let mut tx = self.db.write().await?;
        if !budget.area.is_empty()
            && !tx.areas(crate::store::menu::AreaTable::Areas).await?.iter().any(|a| a.code == budget.area)
        {
            return Err(invalid("area", Reason::NotOneOf(budget.area.clone(), "the areas of cooperation")));
        }
        tx.set_budget(budget).await?;
        append(&mut tx, &actor.label, "budget.set", json!(budget)).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Gives free seats to the waitlist, in order (priority first for `at_deadline`, then the
/// earlier request), within quotas and eligibility; records the seats taken. Returns the
/// ids of the requests that gained seats.
pub(super) async fn promote(tx: &mut Tx, registry: &Registry, ctx: &EventContext) -> Result<Vec<i64>, ServiceError> {
    let requests = tx.seat_requests(ctx.event.id).await?;
    // Before an at_deadline event is allocated, there is no waitlist yet.
    let waiting =
        |r: &&StoredRequest| r.status == "waitlisted" || (r.status == "allocated" && r.seats_allocated < r.seats);
    let mut taken: i64 = requests.iter().filter(|r| r.status != "cancelled").map(|r| r.seats_allocated).sum();
    let mut by_nation: BTreeMap<&str, i64> = BTreeMap::new();
    for r in requests.iter().filter(|r| r.status != "cancelled") {
        *by_nation.entry(r.nation.as_str()).or_default() += r.seats_allocated;
    }
    let mut queue: Vec<&StoredRequest> = requests.iter().filter(waiting).collect();
    if ctx.mode == SeatMode::AtDeadline {
        queue.sort_by_key(|r| (r.priority, r.id));
    }
    let rules = rules_in(tx).await?;
    let mut promoted = Vec::new();
    for r in queue {
        let free = ctx.event.capacity - taken;
        let quota_room =
            ctx.event.quota.map_or(i64::MAX, |q| q - by_nation.get(r.nation.as_str()).copied().unwrap_or(0));
        let more = (r.seats - r.seats_allocated).min(free).min(quota_room);
        if more <= 0 || eligibility(registry, &rules, &ctx.activity, &ctx.event, nation_of(r)?)?.is_err() {
            continue;
        }
        let granted = r.seats_allocated + more;
        let why = if granted == r.seats { Why::Full } else { Why::Taken { capacity: seats_of(&ctx.event).capacity } };
        let answer = Answer { id: r.id, asked: r.seats as u32, granted: granted as u32, why };
        tx.answer_seat_request(&answer_row(&answer)?).await?;
        taken += more;
        *by_nation.entry(r.nation.as_str()).or_default() += more;
        promoted.push(r.id);
    }
    tx.set_seats_taken(ctx.event.id, taken).await?;
    Ok(promoted)
}
