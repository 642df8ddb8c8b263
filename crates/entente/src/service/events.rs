//! Events: dated instances of a year's activity, created and edited by the alliance's
//! staff, imported all-or-nothing, read by whoever may read their activity.

use entente_core::event::{Event, EventDraft};
use entente_core::menu::Invalid;
use entente_core::{Action, Caller, Marking, Registry, authorize};
use serde_json::json;

use super::accounts::Actor;
use super::council::append;
use super::documents::is_framework_of;
use super::menu::{activity_record, invalid};
use super::registry_file::RowProblem;
use super::{Db, Reason, ServiceError};
use crate::store::Tx;
use crate::store::events::{EventFilter, EventRow, StoredEvent};

/// An event as typed (the columns of `entente events import`).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EventInput {
    /// Code.
    pub code: String,
    /// The activity's code.
    pub activity: String,
    /// `YYYY-MM-DDTHH:MM` local, or a day.
    pub start: String,
    /// Same form as `start`.
    pub end: String,
    /// IANA time zone.
    pub time_zone: String,
    /// Place.
    pub place: String,
    /// Seats.
    pub capacity: String,
    /// Per-nation quota (empty: none).
    pub quota: String,
    /// Registration deadline (a day).
    pub deadline: String,
    /// `planned` (default), `open`, `closed`, `held` or `cancelled`.
    pub status: String,
    /// `first_come` (default) or `at_deadline`.
    pub mode: String,
}

impl EventInput {
    pub(super) fn draft(&self) -> EventDraft<'_> {
        EventDraft {
            code: &self.code,
            activity: &self.activity,
            start: &self.start,
            end: &self.end,
            time_zone: &self.time_zone,
            place: &self.place,
            capacity: &self.capacity,
            quota: &self.quota,
            deadline: &self.deadline,
            status: &self.status,
            mode: &self.mode,
        }
    }
}

/// The input that makes `event` again.
pub fn input_of(event: &StoredEvent) -> EventInput {
    EventInput {
        code: event.code.clone(),
        activity: event.activity_code.clone(),
        start: event.starts.clone(),
        end: event.ends.clone(),
        time_zone: event.time_zone.clone(),
        place: event.place.clone(),
        capacity: event.capacity.to_string(),
        quota: event.quota.map(|q| q.to_string()).unwrap_or_default(),
        deadline: event.deadline.clone(),
        status: event.status.clone(),
        mode: event.mode.clone(),
    }
}

/// The marking an event shares with its activity.
pub fn marking_of(event: &StoredEvent, registry: &Registry) -> Result<Marking, ServiceError> {
    Marking::parse(&event.marking, |c| is_framework_of(registry, c))
        .map_err(|e| ServiceError::Corrupt(format!("event {}: {e}", event.code)))
}

/// Events.
#[derive(Debug, Clone)]
pub struct EventService {
    db: Db,
}

/// Checks `input` and finds its activity (in the menu of the year it starts, else the
/// latest menu holding the code) in `tx`. Bad input is the inner error; a failing database
/// the outer one.
pub(super) async fn checked(
    tx: &mut Tx,
    registry: &Registry,
    input: &EventInput,
) -> Result<Result<(Event, EventRow, Marking), Invalid>, ServiceError> {
    let event = match input.draft().check() {
        Ok(event) => event,
        Err(e) => return Ok(Err(e)),
    };
    let year = i64::from(chrono::Datelike::year(&event.start.day()));
    let found = match tx.activity(event.activity.as_str(), Some(year)).await? {
        Some(row) => Some(row),
        None => tx.activity(event.activity.as_str(), None).await?,
    };
    let Some(activity) = found else {
        return Ok(Err(Invalid::new("activity", format!("unknown activity `{}`", event.activity))));
    };
    let marking = Marking::parse(&activity.marking, |c| is_framework_of(registry, c))
        .map_err(|e| ServiceError::Corrupt(format!("activity {}: {e}", activity.code)))?;
    let row = event_row(&event, activity.id);
    Ok(Ok((event, row, marking)))
}

/// The row that stores `event`, an instance of the activity with row id `activity_id`.
pub(super) fn event_row(event: &Event, activity_id: i64) -> EventRow {
    EventRow {
        code: event.code.to_string(),
        activity_id,
        starts: event.start.to_string(),
        ends: event.end.to_string(),
        start_day: event.start.day().to_string(),
        end_day: event.end.day().to_string(),
        time_zone: event.time_zone.name().to_owned(),
        place: event.place.clone(),
        capacity: i64::from(event.capacity),
        quota: event.quota.map(i64::from),
        deadline: event.deadline.to_string(),
        status: event.status.as_str().into(),
        mode: event.mode.as_str().into(),
    }
}

impl EventService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Creates an event; a code already taken is a conflict.
    pub async fn create(
        &self,
        actor: &Actor,
        registry: &Registry,
        input: &EventInput,
    ) -> Result<StoredEvent, ServiceError> {
        actor.require(Action::Create, activity_record(&Marking::public()))?;
        let mut tx = self.db.write().await?;
        let (event, row, marking) = checked(&mut tx, registry, input).await?.map_err(invalid)?;
        actor.require(Action::Create, activity_record(&marking))?;
        if tx.event(event.code.as_str(), false).await?.is_some() {
            return Err(ServiceError::Conflict(Reason::Inconsistent(format!(
                "an event {} exists already",
                event.code
            ))));
        }
        let id = tx.insert_event(&row).await?;
        append(&mut tx, &actor.label, "event.create", json!({ "id": id, "after": input })).await?;
        let stored = tx.event(event.code.as_str(), false).await?.ok_or(ServiceError::Corrupt("event".into()))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Edits an event (its code stays).
    pub async fn update(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        input: &EventInput,
    ) -> Result<StoredEvent, ServiceError> {
        let mut tx = self.db.write().await?;
        let not_found = || ServiceError::NotFound { kind: "event", code: code.to_owned() };
        let before = tx.event(code, true).await?.ok_or_else(not_found)?;
        actor.require(Action::Update, activity_record(&marking_of(&before, registry)?))?;
        // The code stays; an edit that names no activity keeps the event's.
        let activity =
            if input.activity.trim().is_empty() { before.activity_code.clone() } else { input.activity.clone() };
        let input = EventInput { code: before.code.clone(), activity, ..input.clone() };
        let (_, row, marking) = checked(&mut tx, registry, &input).await?.map_err(invalid)?;
        actor.require(Action::Update, activity_record(&marking))?;
        // Seats already given stay given: the capacity cannot drop below them.
        let given: i64 = tx
            .seat_requests(before.id)
            .await?
            .iter()
            .filter(|r| r.status != "cancelled")
            .map(|r| r.seats_allocated)
            .sum();
        if row.capacity < given {
            return Err(ServiceError::Invalid { field: "capacity".into(), reason: Reason::BelowSeatsGiven(given) });
        }
        tx.update_event(before.id, &row).await?;
        // More seats, or a looser quota, serve the waitlist at once.
        if row.status != "cancelled" {
            let ctx = super::seats::event_context(&mut tx, actor, registry, code, false).await?;
            let answered = row.mode == "first_come" || tx.event_allocated(before.id).await?;
            if answered {
                super::seats::promote(&mut tx, registry, &ctx).await?;
            }
        }
        append(
            &mut tx,
            &actor.label,
            "event.update",
            json!({
                "id": before.id, "before": input_of(&before), "after": input
            }),
        )
        .await?;
        let stored = tx.event(code, false).await?.ok_or_else(not_found)?;
        tx.commit().await?;
        Ok(stored)
    }

    /// An event the actor may edit (the edit form asks); hidden ones are not found.
    pub async fn editable(&self, actor: &Actor, registry: &Registry, code: &str) -> Result<StoredEvent, ServiceError> {
        let event = self.get(&actor.caller, registry, code).await?;
        actor.require(Action::Update, activity_record(&marking_of(&event, registry)?))?;
        Ok(event)
    }

    /// One event, if the caller may read its activity.
    pub async fn get(&self, caller: &Caller, registry: &Registry, code: &str) -> Result<StoredEvent, ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "event", code: code.to_owned() };
        let event = self.db.read().await?.event(code, false).await?.ok_or_else(not_found)?;
        if !authorize(caller, Action::Read, activity_record(&marking_of(&event, registry)?)).is_allowed() {
            return Err(not_found());
        }
        Ok(event)
    }

    /// The events matching `filter` that the caller may read.
    pub async fn list(
        &self,
        caller: &Caller,
        registry: &Registry,
        mut filter: EventFilter,
    ) -> Result<Vec<StoredEvent>, ServiceError> {
        filter.classifications = super::menu::readable_classifications(caller);
        let rows = self.db.read().await?.events(&filter).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            if authorize(caller, Action::Read, activity_record(&marking_of(&row, registry)?)).is_allowed() {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// Imports events all-or-nothing: every bad row is reported, and nothing is stored
    /// unless every row is good.
    pub async fn import(&self, actor: &Actor, registry: &Registry, bytes: &[u8]) -> Result<usize, ServiceError> {
        actor.require(Action::Create, activity_record(&Marking::public()))?;
        let rows = read_rows(bytes)?;
        let mut tx = self.db.write().await?;
        let mut problems = Vec::new();
        let mut good = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (line, input) in &rows {
            let location = format!("line {line}");
            match checked(&mut tx, registry, input).await? {
                Err(e) => problems.push(RowProblem { location, field: Some(e.field.into()), reason: e.reason }),
                Ok((event, row, marking)) => {
                    if !authorize(&actor.caller, Action::Create, activity_record(&marking)).is_allowed() {
                        problems.push(RowProblem {
                            location,
                            field: Some("activity".into()),
                            reason: "not yours to schedule".into(),
                        });
                    } else if !seen.insert(event.code.to_string()) {
                        problems.push(RowProblem {
                            location,
                            field: Some("code".into()),
                            reason: format!("{} appears twice in the file", event.code),
                        });
                    } else {
                        good.push((location, row));
                    }
                }
            }
        }
        let codes: Vec<String> = good.iter().map(|(_, r)| r.code.clone()).collect();
        for taken in tx.existing_event_codes(&codes).await? {
            if let Some((location, _)) = good.iter().find(|(_, r)| r.code == taken) {
                problems.push(RowProblem {
                    location: location.clone(),
                    field: Some("code".into()),
                    reason: format!("an event {taken} exists already"),
                });
            }
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.location.trim_start_matches("line ").parse::<usize>().unwrap_or(0));
            return Err(ServiceError::InvalidFile(problems));
        }
        for (_, row) in &good {
            tx.insert_event(row).await?;
        }
        append(&mut tx, &actor.label, "event.import", json!({ "events": good.len(), "codes": codes })).await?;
        tx.commit().await?;
        Ok(good.len())
    }

    /// Adds an event to, or takes it off, the user's own calendar.
    pub async fn select(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        selected: bool,
    ) -> Result<(), ServiceError> {
        let user = actor.user_id();
        if user <= 0 {
            return Err(ServiceError::Unauthenticated(super::SignInProblem::SignInFirst));
        }
        let event = self.get(&actor.caller, registry, code).await?;
        let mut tx = self.db.write().await?;
        tx.select_event(user, event.id, selected).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether the user chose the event for her calendar.
    pub async fn is_selected(&self, actor: &Actor, event_id: i64) -> Result<bool, ServiceError> {
        Ok(actor.user_id() > 0 && self.db.read().await?.is_selected(actor.user_id(), event_id).await?)
    }
}

/// The columns of an events file.
pub const EVENT_COLUMNS: [&str; 10] =
    ["code", "activity", "start", "end", "time_zone", "place", "capacity", "quota", "deadline", "mode"];

fn read_rows(bytes: &[u8]) -> Result<Vec<(usize, EventInput)>, ServiceError> {
    let problem = |location: String, reason: String| {
        ServiceError::InvalidFile(vec![RowProblem { location, field: None, reason }])
    };
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader.headers().map_err(|e| problem("line 1".into(), e.to_string()))?.clone();
    let index = |name: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == name);
    let missing: Vec<&str> = EVENT_COLUMNS.iter().copied().filter(|c| index(c).is_none() && *c != "mode").collect();
    if !missing.is_empty() {
        return Err(problem("line 1".into(), format!("missing columns: {}", missing.join(", "))));
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| problem(format!("line {line}"), e.to_string()))?;
        let cell = |name: &str| {
            index(name)
                .and_then(|i| record.get(i))
                .map(|c| super::spreadsheet::restore(c.trim()).to_owned())
                .unwrap_or_default()
        };
        out.push((
            line,
            EventInput {
                code: cell("code"),
                activity: cell("activity"),
                start: cell("start"),
                end: cell("end"),
                time_zone: cell("time_zone"),
                place: cell("place"),
                capacity: cell("capacity"),
                quota: cell("quota"),
                deadline: cell("deadline"),
                status: cell("status"),
                mode: cell("mode"),
            },
        ));
    }
    Ok(out)
}

impl EventService {
    /// The events the caller may read that `nation` may attend (eligible on each event's
    /// first day).
    pub async fn eligible_for(
        &self,
        caller: &Caller,
        registry: &Registry,
        nation: entente_core::NationCode,
    ) -> Result<Vec<StoredEvent>, ServiceError> {
        let events = self.list(caller, registry, EventFilter::default()).await?;
        let mut tx = self.db.read().await?;
        let rules = super::council::rules_in(&mut tx).await?;
        tx.commit().await?;
        let grounds = super::menu::grounds(registry, &rules);
        let mut out = Vec::new();
        for event in events {
            let day = entente_core::parse_day(event.starts.get(..10).unwrap_or(""))
                .map_err(|_| ServiceError::Corrupt(format!("event {}: start", event.code)))?;
            let activity = super::menu::audience_of(
                &event.activity_code,
                event.activity_year,
                &event.area,
                &event.open_to,
                registry,
            )?;
            if grounds.eligibility(nation, &activity, day).eligible {
                out.push(event);
            }
        }
        Ok(out)
    }

    /// The user whose private feed `token` opens, if any.
    pub async fn feed_owner(&self, token: &str) -> Result<Option<i64>, ServiceError> {
        let hash =
            hex::encode(sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), token.as_bytes())));
        Ok(self.db.read().await?.calendar_feed_user(&hash).await?)
    }

    /// Makes (or replaces) the signed-in user's private feed token; returns it, once.
    pub async fn new_feed_token(&self, actor: &Actor) -> Result<String, ServiceError> {
        let user = actor.user_id();
        if user <= 0 {
            return Err(ServiceError::Unauthenticated(super::SignInProblem::SignInFirst));
        }
        actor.require(Action::Update, entente_core::Resource::OwnAccount)?;
        let token = super::secrets::random_secret().map_err(|e| ServiceError::Corrupt(e.to_string()))?;
        let hash =
            hex::encode(sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), token.as_bytes())));
        let mut tx = self.db.write().await?;
        tx.set_calendar_feed(user, &hash).await?;
        append(&mut tx, &actor.label, "calendar.token", json!({ "user": user })).await?;
        tx.commit().await?;
        Ok(token)
    }
}
