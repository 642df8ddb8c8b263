//! Dialogue meetings in every format: their participants (a rule resolved on the meeting's
//! day, names, or both), agenda, outcomes, action items and documents, and their place in
//! calendars. Participants see their meetings; others see what the marking releases to
//! them. The reference meetings are loaded as historical meetings.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use chrono_tz::Tz;
use entente_core::event::EventTime;
use entente_core::meeting::{self, ActionStatus, MeetingFormat, MeetingLevel};
use entente_core::participant_rule::{Party, Rule};
use entente_core::{Action, Affiliation, Caller, Marking, Registry, Resource};
use serde_json::json;

use super::accounts::Actor;
use super::council::append;
use super::documents::{Document, check_long_text, check_text, invalid, is_framework_of};
use super::ical::CalendarEvent;
use super::operations::{Roster, roster};
use super::{Db, Reason, ServiceError};
use crate::store::Tx;
use crate::store::meetings::{StoredAction, StoredMeeting};

const MEETINGS: &str = include_str!("../../../../data/meetings.csv");

/// The most meetings a page lists.
pub const PAGE_SIZE: i64 = 50;

/// A meeting as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MeetingInput {
    /// Title.
    pub title: String,
    /// `bilateral`, `framework`, `flexible`, `council` or `consultation`.
    pub format: String,
    /// `working`, `ambassadors`, `ministers` or `heads_of_state`.
    pub level: String,
    /// Local start at the place: YYYY-MM-DD or YYYY-MM-DDTHH:MM.
    pub starts: String,
    /// Local end at the place (default: the start's day).
    pub ends: String,
    /// IANA time zone of the place (default Europe/Brussels).
    pub time_zone: String,
    /// Place.
    pub place: String,
    /// Chair.
    pub chair: String,
    /// Participant rule, such as `members + framework:MD`.
    pub rule: String,
    /// Participants by name: codes separated by commas or spaces (`GE, UA, org:EU`).
    pub names: String,
    /// Marking (default `UNCLASSIFIED`).
    pub marking: String,
}

/// An action item as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActionInput {
    /// What is to be done.
    pub title: String,
    /// A participant's code or an account's email.
    pub owner: String,
    /// Due day, YYYY-MM-DD.
    pub due: String,
}

/// A meeting with everything the caller may see of it.
#[derive(Debug, Clone)]
pub struct MeetingView {
    /// The meeting.
    pub meeting: StoredMeeting,
    /// Its marking.
    pub marking: Marking,
    /// The resolved participants: (kind, code), by code.
    pub participants: Vec<(String, String)>,
    /// Agenda items, in order.
    pub agenda: Vec<String>,
    /// Outcomes, in order.
    pub outcomes: Vec<String>,
    /// Action items, by due day.
    pub actions: Vec<StoredAction>,
    /// The attached documents the caller may read.
    pub documents: Vec<Document>,
    /// Whether the caller's nation or organisation takes part.
    pub participant: bool,
}

/// A page of meetings and the cursor of the next.
#[derive(Debug, Clone)]
pub struct MeetingPage {
    /// The meetings, newest first.
    pub items: Vec<StoredMeeting>,
    /// Pass as `after` for the next page.
    pub next: Option<i64>,
}

/// Which meetings a calendar feed holds.
#[derive(Debug, Clone)]
pub enum Feed {
    /// The meetings a nation takes part in.
    Nation(String),
    /// The meetings whose rule names a framework.
    Framework(String),
    /// A user's: her nation's or organisation's meetings, and her action items (hers by
    /// email, or her nation's).
    User {
        /// Her email.
        email: String,
    },
}

/// Meeting use cases.
#[derive(Debug)]
pub struct MeetingService {
    db: Db,
}

fn corrupt(what: &str) -> ServiceError {
    ServiceError::Corrupt(what.to_owned())
}

/// The caller's own party, if she works for a nation or an organisation.
fn party_of(caller: &Caller) -> Option<(&'static str, String)> {
    match caller {
        Caller::User(p) => match &p.affiliation {
            Affiliation::Nation(n) => Some(("nation", n.to_string())),
            Affiliation::Organisation(o) => Some(("organisation", o.to_string())),
            Affiliation::AllianceStaff => None,
        },
        Caller::Anonymous => None,
    }
}

/// `nation` or `organisation`, as stored.
pub fn kind_of(party: &Party) -> &'static str {
    match party {
        Party::Nation(_) => "nation",
        Party::Organisation(_) => "organisation",
    }
}

/// Reads a rule and checks it against the registry and the operations on record; a fault
/// names its position.
pub fn check_rule(text: &str, registry: &Registry, roster: &Roster) -> Result<Rule, ServiceError> {
    let rule = Rule::parse(text).map_err(|e| invalid("rule", Reason::BadRule(e.position, e.problem.to_string())))?;
    rule.check(registry, roster).map_err(|e| invalid("rule", Reason::BadRule(e.position, e.problem.to_string())))?;
    Ok(rule)
}

/// Reads participants named one by one: `GE`, `nation:AU`, `org:EU`; a bare code is a
/// nation when the registry knows one by it, else an organisation.
fn named_parties(text: &str, registry: &Registry) -> Result<BTreeSet<Party>, ServiceError> {
    let mut out = BTreeSet::new();
    for word in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()) {
        let upper = word.to_ascii_uppercase();
        let (kind, code) = match word.split_once(':') {
            Some((kind, code)) => (kind.to_ascii_lowercase(), code.to_ascii_uppercase()),
            None => (String::new(), upper.clone()),
        };
        let nation = code.parse().ok().filter(|n| registry.nation(*n).is_some());
        let organisation = code.parse().ok().filter(|o| registry.organisation(o).is_some());
        let party = match (kind.as_str(), nation, organisation) {
            ("" | "nation", Some(n), _) => Party::Nation(n),
            ("" | "org", _, Some(o)) => Party::Organisation(o),
            _ => return Err(invalid("names", Reason::UnknownNation(word.to_owned()))),
        };
        out.insert(party);
    }
    Ok(out)
}

/// A checked meeting, ready to store, with its participants resolved.
struct Checked {
    row: StoredMeeting,
    marking: Marking,
    parties: BTreeSet<Party>,
}

fn check_meeting(input: &MeetingInput, registry: &Registry, roster: &Roster) -> Result<Checked, ServiceError> {
    let title = input.title.trim();
    if title.is_empty() {
        return Err(invalid("title", Reason::Required));
    }
    check_text("title", title, 300)?;
    for (field, value) in [("place", &input.place), ("chair", &input.chair)] {
        check_text(field, value.trim(), 300)?;
    }
    let format = MeetingFormat::parse(input.format.trim())
        .ok_or_else(|| invalid("format", Reason::NotOneOf(input.format.trim().to_owned(), FORMATS)))?;
    let level = MeetingLevel::parse(input.level.trim())
        .ok_or_else(|| invalid("level", Reason::NotOneOf(input.level.trim().to_owned(), LEVELS)))?;
    let zone_text = if input.time_zone.trim().is_empty() { "Europe/Brussels" } else { input.time_zone.trim() };
    let zone: Tz =
        zone_text.parse().map_err(|_| invalid("time_zone", Reason::UnknownTimeZone(zone_text.to_owned())))?;
    let start = EventTime::parse("starts", &input.starts)
        .map_err(|_| invalid("starts", Reason::NotATime(input.starts.trim().to_owned())))?;
    let end = if input.ends.trim().is_empty() {
        EventTime::Day(start.day())
    } else {
        EventTime::parse("ends", &input.ends)
            .map_err(|_| invalid("ends", Reason::NotATime(input.ends.trim().to_owned())))?
    };
    meeting::check_times(start, end, zone).map_err(|e| match e {
        meeting::TimesRefused::EndsBeforeStart { start, end } => invalid("ends", Reason::EndsBeforeStart(start, end)),
        meeting::TimesRefused::NoSuchTime(t) => invalid("starts", Reason::NotATime(t)),
    })?;
    let day = start.day();
    let rule_text = input.rule.trim();
    let named = named_parties(&input.names, registry)?;
    let mut parties = named.clone();
    let rule = if rule_text.is_empty() { None } else { Some(check_rule(rule_text, registry, roster)?) };
    if let Some(rule) = &rule {
        parties.extend(rule.resolve(registry, roster, day));
    }
    if rule.is_none() && parties.is_empty() {
        return Err(invalid("rule", Reason::Required));
    }
    let marking_text = if input.marking.trim().is_empty() { "UNCLASSIFIED" } else { input.marking.trim() };
    let marking = Marking::parse(marking_text, |c| is_framework_of(registry, c))
        .map_err(|e| invalid("marking", Reason::Marking(e)))?;
    let names = named
        .iter()
        .map(|p| match p {
            Party::Nation(n) => n.to_string(),
            Party::Organisation(o) => format!("org:{o}"),
        })
        .collect::<Vec<_>>()
        .join(" ");
    let row = StoredMeeting {
        id: 0,
        title: title.to_owned(),
        format: format.as_str().into(),
        level: level.as_str().into(),
        starts: start.to_string(),
        ends: end.to_string(),
        time_zone: zone.name().to_owned(),
        resolved_on: day.to_string(),
        place: input.place.trim().to_owned(),
        chair: input.chair.trim().to_owned(),
        rule: rule.map(|r| r.to_string()).unwrap_or_default(),
        names,
        participants_text: String::new(),
        marking: marking.to_text(|c| is_framework_of(registry, c)),
        historical: false,
        recorded_date: String::new(),
        note: String::new(),
        source: String::new(),
    };
    Ok(Checked { row, marking, parties })
}

const FORMATS: &str = "bilateral, framework, flexible, council, consultation";
const LEVELS: &str = "working, ambassadors, ministers, heads_of_state";

async fn store_parties(tx: &mut Tx, id: i64, parties: &BTreeSet<Party>) -> Result<(), ServiceError> {
    let rows: Vec<(&str, String)> = parties.iter().map(|p| (kind_of(p), p.code().to_owned())).collect();
    tx.set_participants(id, &rows).await?;
    Ok(())
}

/// Loads the reference meetings into a database that has none; returns how many. A
/// participants text that is a rule (or names "the nations contributing to" an operation)
/// becomes one; otherwise the words are kept as given.
pub(super) async fn load_reference_meetings(tx: &mut Tx, registry: &Registry) -> Result<usize, ServiceError> {
    if !tx.meetings_page(None, None, 1).await?.is_empty() {
        return Ok(0);
    }
    let roster = roster(tx).await?;
    let mut count = 0;
    for row in csv::Reader::from_reader(MEETINGS.as_bytes()).records().filter_map(Result::ok) {
        let recorded = row[0].to_owned();
        let first_day: entente_core::Bound = recorded.parse().map_err(|_| corrupt(&recorded))?;
        let day = first_day.day();
        let level = match &row[3] {
            "heads of state and government" => "heads_of_state",
            other => other,
        };
        let place = row[4].to_owned();
        let zone = [("Berlin", "Europe/Berlin"), ("Chicago", "America/Chicago"), ("Brussels", "Europe/Brussels")]
            .iter()
            .find(|(city, _)| place.contains(city))
            .map_or("Europe/Brussels", |(_, zone)| zone);
        let as_rule = row[5].replace("the nations contributing to ", "operation:");
        let rule = Rule::parse(&as_rule).ok().filter(|r| r.check(registry, &roster).is_ok());
        let parties = rule.as_ref().map(|r| r.resolve(registry, &roster, day)).unwrap_or_default();
        let stored = StoredMeeting {
            id: 0,
            title: row[1].to_owned(),
            format: MeetingFormat::parse(&row[2]).ok_or_else(|| corrupt(&row[2]))?.as_str().into(),
            level: MeetingLevel::parse(level).ok_or_else(|| corrupt(level))?.as_str().into(),
            starts: day.to_string(),
            ends: day.to_string(),
            time_zone: zone.to_owned(),
            resolved_on: day.to_string(),
            place,
            chair: String::new(),
            rule: rule.as_ref().map(|r| r.to_string()).unwrap_or_default(),
            names: String::new(),
            participants_text: if rule.is_some() { String::new() } else { row[5].to_owned() },
            marking: "PUBLIC".into(),
            historical: true,
            recorded_date: recorded,
            note: row[6].to_owned(),
            source: row[7].to_owned(),
        };
        let id = tx.insert_meeting(&stored).await?;
        store_parties(tx, id, &parties).await?;
        count += 1;
    }
    Ok(count)
}

impl MeetingService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Whether the caller organises meetings.
    pub fn may_organise(&self, actor: &Actor) -> bool {
        actor.require(Action::Create, Resource::Meeting { marking: &Marking::public(), participant: false }).is_ok()
    }

    /// Resolves a rule on `at`: the rule as read, and the participants sorted by code.
    pub async fn resolve_rule(
        &self,
        registry: &Registry,
        text: &str,
        at: NaiveDate,
    ) -> Result<(Rule, Vec<Party>), ServiceError> {
        let mut tx = self.db.read().await?;
        let roster = roster(&mut tx).await?;
        tx.commit().await?;
        let rule = check_rule(text, registry, &roster)?;
        let parties = rule.resolve(registry, &roster, at).into_iter().collect();
        Ok((rule, parties))
    }

    /// Organises a meeting.
    pub async fn create(
        &self,
        actor: &Actor,
        registry: &Registry,
        input: &MeetingInput,
    ) -> Result<StoredMeeting, ServiceError> {
        actor.require(Action::Create, Resource::Meeting { marking: &Marking::public(), participant: false })?;
        let mut tx = self.db.write().await?;
        let roster = roster(&mut tx).await?;
        let checked = check_meeting(input, registry, &roster)?;
        actor.require(Action::Create, Resource::Meeting { marking: &checked.marking, participant: false })?;
        let id = tx.insert_meeting(&checked.row).await?;
        store_parties(&mut tx, id, &checked.parties).await?;
        append(
            &mut tx,
            &actor.label,
            "meeting.create",
            json!({ "id": id, "title": checked.row.title, "format": checked.row.format, "rule": checked.row.rule,
                    "participants": checked.parties.len() }),
        )
        .await?;
        let stored = tx.meeting(id, false).await?.ok_or_else(|| corrupt("meeting"))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Changes a meeting; its participants are resolved again.
    pub async fn update(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        input: &MeetingInput,
    ) -> Result<StoredMeeting, ServiceError> {
        let (mut tx, current, _) = self.for_change(actor, registry, id).await?;
        let roster = roster(&mut tx).await?;
        let checked = check_meeting(input, registry, &roster)?;
        actor
            .require(Action::Update, Resource::Meeting { marking: &checked.marking, participant: false })
            .map_err(|_| invalid("marking", Reason::WouldNotRead(checked.row.marking.clone())))?;
        tx.update_meeting(&StoredMeeting { id, ..checked.row.clone() }).await?;
        store_parties(&mut tx, id, &checked.parties).await?;
        append(
            &mut tx,
            &actor.label,
            "meeting.update",
            json!({ "id": id, "title": checked.row.title, "rule": checked.row.rule, "was_rule": current.rule,
                    "participants": checked.parties.len() }),
        )
        .await?;
        let stored = tx.meeting(id, false).await?.ok_or_else(|| corrupt("meeting"))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Opens a write unit on a meeting the caller may see and change.
    async fn for_change(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
    ) -> Result<(Tx, StoredMeeting, Marking), ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "meeting", code: id.to_string() };
        let mut tx = self.db.write().await?;
        let meeting = tx.meeting(id, true).await?.ok_or_else(not_found)?;
        let marking = marking_of(&meeting, registry)?;
        let participant = self.is_participant(&mut tx, &actor.caller, id).await?;
        let resource = Resource::Meeting { marking: &marking, participant };
        actor.require(Action::Read, resource).map_err(|_| not_found())?;
        actor.require(Action::Update, resource)?;
        Ok((tx, meeting, marking))
    }

    /// Open action items past their due day that the caller may see (their meeting is
    /// visible to her): (item, meeting title), by due day.
    pub async fn overdue_actions(
        &self,
        actor: &Actor,
        registry: &Registry,
        today: NaiveDate,
    ) -> Result<Vec<(StoredAction, String)>, ServiceError> {
        let mut tx = self.db.read().await?;
        let rows = tx.overdue_actions(&today.to_string()).await?;
        let mine = match party_of(&actor.caller) {
            Some((kind, code)) => tx.meeting_ids_of_party(kind, &code).await?,
            None => Vec::new(),
        };
        tx.commit().await?;
        let mut out = Vec::new();
        for (action, title, marking) in rows {
            let marking = Marking::parse(&marking, |c| is_framework_of(registry, c))
                .map_err(|e| corrupt(&format!("meeting {}: {e}", action.meeting_id)))?;
            let participant = mine.contains(&action.meeting_id);
            if actor.require(Action::Read, Resource::Meeting { marking: &marking, participant }).is_ok() {
                out.push((action, title));
            }
        }
        Ok(out)
    }

    async fn is_participant(&self, tx: &mut Tx, caller: &Caller, id: i64) -> Result<bool, ServiceError> {
        Ok(match party_of(caller) {
            Some((kind, code)) => tx.meeting_ids_of_party(kind, &code).await?.contains(&id),
            None => false,
        })
    }

    /// Adds an agenda item (`agenda`) or an outcome (`outcome`).
    pub async fn add_entry(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        section: &str,
        text: &str,
    ) -> Result<(), ServiceError> {
        let (mut tx, _, _) = self.for_change(actor, registry, id).await?;
        if !matches!(section, "agenda" | "outcome") {
            return Err(invalid("section", Reason::NotOneOf(section.to_owned(), "agenda, outcome")));
        }
        let text = text.trim();
        if text.is_empty() {
            return Err(invalid("text", Reason::Required));
        }
        check_long_text("text", text, 4000)?;
        let entry = tx.insert_entry(id, section, text).await?;
        append(&mut tx, &actor.label, "meeting.entry", json!({ "meeting": id, "section": section, "id": entry }))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds an action item: its owner is a participant (by code) or an account (by email).
    pub async fn add_action(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        input: &ActionInput,
    ) -> Result<StoredAction, ServiceError> {
        let (mut tx, _, _) = self.for_change(actor, registry, id).await?;
        let title = input.title.trim();
        if title.is_empty() {
            return Err(invalid("title", Reason::Required));
        }
        check_text("title", title, 500)?;
        let owner_text = input.owner.trim();
        if owner_text.is_empty() {
            return Err(invalid("owner", Reason::Required));
        }
        check_text("owner", owner_text, 320)?;
        let due = entente_core::parse_day(input.due.trim())
            .map_err(|_| invalid("due", Reason::NotATime(input.due.trim().to_owned())))?;
        let owner = if owner_text.contains('@') {
            let email = owner_text.to_lowercase();
            tx.user_by_email(&email)
                .await?
                .ok_or_else(|| invalid("owner", Reason::UnknownOwner(owner_text.to_owned())))?;
            email
        } else {
            let code = owner_text.to_ascii_uppercase();
            let participants = tx.participants(id).await?;
            if !participants.iter().any(|(_, c)| *c == code) {
                return Err(invalid("owner", Reason::UnknownOwner(owner_text.to_owned())));
            }
            code
        };
        let action = tx.insert_action(id, title, &owner, &due.to_string()).await?;
        append(&mut tx, &actor.label, "meeting.action", json!({ "meeting": id, "id": action, "due": due.to_string() }))
            .await?;
        let stored = tx.action(action, false).await?.ok_or_else(|| corrupt("action item"))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Sets an action item's status.
    pub async fn set_action_status(
        &self,
        actor: &Actor,
        registry: &Registry,
        action_id: i64,
        status: &str,
    ) -> Result<StoredAction, ServiceError> {
        let status = ActionStatus::parse(status.trim())
            .ok_or_else(|| invalid("status", Reason::NotOneOf(status.trim().to_owned(), "open, done, cancelled")))?;
        let meeting_id = {
            let mut tx = self.db.read().await?;
            let action = tx.action(action_id, false).await?;
            tx.commit().await?;
            action
                .ok_or_else(|| ServiceError::NotFound { kind: "action item", code: action_id.to_string() })?
                .meeting_id
        };
        let (mut tx, _, _) = self.for_change(actor, registry, meeting_id).await?;
        tx.set_action_status(action_id, status.as_str()).await?;
        append(
            &mut tx,
            &actor.label,
            "meeting.action_status",
            json!({ "meeting": meeting_id, "id": action_id, "status": status.as_str() }),
        )
        .await?;
        let stored = tx.action(action_id, false).await?.ok_or_else(|| corrupt("action item"))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Attaches a document the caller may read.
    pub async fn attach_document(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        document_id: i64,
    ) -> Result<(), ServiceError> {
        let (mut tx, _, _) = self.for_change(actor, registry, id).await?;
        let stored = tx
            .document(document_id)
            .await?
            .and_then(|d| super::documents::visible(&actor.caller, registry, d))
            .ok_or_else(|| invalid("document", Reason::NotANumber(document_id.to_string())))?;
        tx.attach_document(id, stored.id).await?;
        append(&mut tx, &actor.label, "meeting.document", json!({ "meeting": id, "document": stored.id })).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A meeting with its participants, agenda, outcomes, action items and the documents
    /// the caller may read.
    pub async fn get(&self, actor: &Actor, registry: &Registry, id: i64) -> Result<MeetingView, ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "meeting", code: id.to_string() };
        let mut tx = self.db.read().await?;
        let meeting = tx.meeting(id, false).await?.ok_or_else(not_found)?;
        let marking = marking_of(&meeting, registry)?;
        let participant = self.is_participant(&mut tx, &actor.caller, id).await?;
        actor.require(Action::Read, Resource::Meeting { marking: &marking, participant }).map_err(|e| match e {
            ServiceError::NotFound { .. } => not_found(),
            other => other,
        })?;
        let participants = tx.participants(id).await?;
        let entries = tx.entries(id).await?;
        let actions = tx.actions(id).await?;
        let mut documents = Vec::new();
        for document_id in tx.meeting_document_ids(id).await? {
            if let Some(d) =
                tx.document(document_id).await?.and_then(|d| super::documents::visible(&actor.caller, registry, d))
            {
                documents.push(d);
            }
        }
        tx.commit().await?;
        let section = |name: &str| entries.iter().filter(|e| e.section == name).map(|e| e.text.clone()).collect();
        Ok(MeetingView {
            agenda: section("agenda"),
            outcomes: section("outcome"),
            meeting,
            marking,
            participants,
            actions,
            documents,
            participant,
        })
    }

    /// A page of the meetings the caller may see, newest first, resolved on or after `from`
    /// when given, after the meeting `after`.
    pub async fn list(
        &self,
        actor: &Actor,
        registry: &Registry,
        from: Option<NaiveDate>,
        after: Option<i64>,
    ) -> Result<MeetingPage, ServiceError> {
        let mut tx = self.db.read().await?;
        let mine: BTreeSet<i64> = match party_of(&actor.caller) {
            Some((kind, code)) => tx.meeting_ids_of_party(kind, &code).await?.into_iter().collect(),
            None => BTreeSet::new(),
        };
        let from = from.map(|d| d.to_string());
        let mut cursor = match after {
            Some(id) => tx.meeting(id, false).await?.map(|m| (m.resolved_on, m.id)),
            None => None,
        };
        let mut items = Vec::new();
        // Rows the caller may not see are skipped; read on until the page is full.
        loop {
            let batch = tx
                .meetings_page(from.as_deref(), cursor.as_ref().map(|(d, i)| (d.as_str(), *i)), PAGE_SIZE + 1)
                .await?;
            let exhausted = batch.len() as i64 <= PAGE_SIZE;
            for meeting in batch {
                cursor = Some((meeting.resolved_on.clone(), meeting.id));
                if visible(actor, registry, &meeting, mine.contains(&meeting.id)) {
                    items.push(meeting);
                    if items.len() as i64 == PAGE_SIZE + 1 {
                        break;
                    }
                }
            }
            if exhausted || items.len() as i64 > PAGE_SIZE {
                break;
            }
        }
        tx.commit().await?;
        let next = if items.len() as i64 > PAGE_SIZE {
            items.truncate(PAGE_SIZE as usize);
            items.last().map(|m| m.id)
        } else {
            None
        };
        Ok(MeetingPage { items, next })
    }

    /// The meetings a nation or organisation takes part in that the caller may see.
    pub async fn of_party(
        &self,
        actor: &Actor,
        registry: &Registry,
        kind: &str,
        code: &str,
    ) -> Result<Vec<StoredMeeting>, ServiceError> {
        let mut tx = self.db.read().await?;
        let meetings = tx.meetings_of_party(kind, code).await?;
        let mine: BTreeSet<i64> = match party_of(&actor.caller) {
            Some((k, c)) => tx.meeting_ids_of_party(k, &c).await?.into_iter().collect(),
            None => BTreeSet::new(),
        };
        tx.commit().await?;
        Ok(meetings.into_iter().filter(|m| visible(actor, registry, m, mine.contains(&m.id))).collect())
    }

    /// A feed's meetings (and, for a user, her action items' due days) as calendar items.
    pub async fn calendar(
        &self,
        actor: &Actor,
        registry: &Registry,
        feed: &Feed,
    ) -> Result<Vec<CalendarEvent>, ServiceError> {
        let mut tx = self.db.read().await?;
        let mine: BTreeSet<i64> = match party_of(&actor.caller) {
            Some((k, c)) => tx.meeting_ids_of_party(k, &c).await?.into_iter().collect(),
            None => BTreeSet::new(),
        };
        let (meetings, actions) = match feed {
            Feed::Nation(code) => (tx.meetings_of_party("nation", code).await?, Vec::new()),
            Feed::Framework(code) => {
                let term = format!("framework:{code}");
                let all = tx.all_meetings().await?;
                (
                    all.into_iter().filter(|m| m.rule.split(|c: char| " ()".contains(c)).any(|t| t == term)).collect(),
                    Vec::new(),
                )
            }
            Feed::User { email } => {
                let (meetings, mut owners) = match party_of(&actor.caller) {
                    Some((kind, code)) => (tx.meetings_of_party(kind, &code).await?, vec![code]),
                    None => (Vec::new(), Vec::new()),
                };
                owners.push(email.clone());
                (meetings, tx.actions_owned_by(&owners).await?)
            }
        };
        let mut items = Vec::new();
        // Each meeting's title if the caller may see it, `None` if not: read once per meeting.
        let mut seen: std::collections::BTreeMap<i64, Option<String>> = std::collections::BTreeMap::new();
        for m in &meetings {
            let shown = visible(actor, registry, m, mine.contains(&m.id));
            if shown {
                items.push(calendar_item(m)?);
            }
            seen.insert(m.id, shown.then(|| m.title.clone()));
        }
        for a in actions.into_iter().filter(|a| a.status == ActionStatus::Open.as_str()) {
            if let std::collections::btree_map::Entry::Vacant(slot) = seen.entry(a.meeting_id) {
                let m = tx.meeting(a.meeting_id, false).await?;
                slot.insert(m.filter(|m| visible(actor, registry, m, mine.contains(&m.id))).map(|m| m.title));
            }
            let Some(Some(title)) = seen.get(&a.meeting_id).cloned() else { continue };
            let due = EventTime::Day(entente_core::parse_day(&a.due).map_err(|_| corrupt(&a.due))?);
            items.push(CalendarEvent {
                uid: format!("action-{}@entente", a.id),
                summary: format!("Action due: {}", a.title),
                description: format!("From the meeting \"{title}\"; owner {}", a.owner),
                location: String::new(),
                start: due,
                end: due,
                time_zone: chrono_tz::UTC,
                url: format!("/meetings/{}", a.meeting_id),
                cancelled: false,
            });
        }
        tx.commit().await?;
        Ok(items)
    }
}

fn calendar_item(m: &StoredMeeting) -> Result<CalendarEvent, ServiceError> {
    Ok(CalendarEvent {
        uid: format!("meeting-{}@entente", m.id),
        summary: m.title.clone(),
        description: format!("{} meeting, {} level", m.format, m.level.replace('_', " ")),
        location: m.place.clone(),
        start: EventTime::parse("starts", &m.starts).map_err(|_| corrupt(&m.starts))?,
        end: EventTime::parse("ends", &m.ends).map_err(|_| corrupt(&m.ends))?,
        time_zone: m.time_zone.parse().map_err(|_| corrupt(&m.time_zone))?,
        url: format!("/meetings/{}", m.id),
        cancelled: false,
    })
}

/// A meeting's marking read back with today's framework codes.
pub fn marking_of(meeting: &StoredMeeting, registry: &Registry) -> Result<Marking, ServiceError> {
    Marking::parse(&meeting.marking, |c| is_framework_of(registry, c)).map_err(|_| corrupt(&meeting.marking))
}

fn visible(actor: &Actor, registry: &Registry, meeting: &StoredMeeting, participant: bool) -> bool {
    marking_of(meeting, registry)
        .is_ok_and(|marking| actor.require(Action::Read, Resource::Meeting { marking: &marking, participant }).is_ok())
}
