//! Nominations (the officers a nation sends on its seats) and feedback after an event.
//!
//! A nomination's name, rank, position and email are personal data: only the nation's own
//! people and the organising staff read them, the audit trail records that a nomination was
//! made but never the person, and they are purged a configurable time after the event.

use chrono::Duration;
use entente_core::{Action, Marking, Registry};
use serde_json::json;

use super::accounts::Actor;
use super::council::append;
use super::documents::{check_long_text, check_text, is_framework_of};
use super::seats::{all_seats, event_context, seats_resource};
use super::{Db, Reason, ServiceError};
use crate::store::seats::{NominationRow, StoredFeedback, StoredNomination, StoredRequest};

/// A participant as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NominationInput {
    /// Full name (required).
    pub name: String,
    /// Rank.
    pub rank: String,
    /// Position.
    pub position: String,
    /// Email (required).
    pub email: String,
}

/// A feedback report as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FeedbackInput {
    /// `participant` or `organiser`.
    pub role: String,
    /// The report.
    pub body: String,
    /// Its marking, such as `UNCLASSIFIED` or `RESTRICTED REL TO GE`.
    pub marking: String,
}

/// A feedback report as `authorize()` judges it: a marked record, like a document.
fn report_record(marking: &Marking) -> entente_core::Resource<'_> {
    static STAFF: entente_core::Affiliation = entente_core::Affiliation::AllianceStaff;
    entente_core::Resource::Record(entente_core::Record {
        kind: entente_core::RecordKind::Document,
        marking,
        originator: &STAFF,
        subject: None,
        lifecycle: entente_core::Lifecycle::Unmanaged,
    })
}

/// Whether the caller's nation was given seats on the event (the organising staff count
/// as participants of every event).
async fn participated(
    tx: &mut crate::store::Tx,
    actor: &Actor,
    ctx: &super::seats::EventContext,
) -> Result<bool, ServiceError> {
    let entente_core::Caller::User(principal) = &actor.caller else { return Ok(false) };
    let entente_core::Affiliation::Nation(nation) = principal.affiliation else {
        return Ok(actor.require(Action::Allocate, all_seats(&ctx.marking)).is_ok());
    };
    let requests = tx.seat_requests(ctx.event.id).await?;
    Ok(requests.iter().any(|r| r.nation == nation.as_str() && r.status != "cancelled" && r.seats_allocated > 0))
}

/// Nominations and feedback.
#[derive(Debug, Clone)]
pub struct NominationService {
    db: Db,
}

fn invalid(field: &str, reason: Reason) -> ServiceError {
    ServiceError::Invalid { field: field.to_owned(), reason }
}

/// The longest name, rank, position or email kept.
const LONGEST: usize = 200;

/// Checks a participant: a name, an email of one `@` with text on both sides, nothing
/// overlong or with control characters.
fn checked(input: &NominationInput) -> Result<NominationInput, ServiceError> {
    let clean = |field: &str, value: &str| -> Result<String, ServiceError> {
        let value = value.trim();
        check_text(field, value, LONGEST)?;
        Ok(value.to_owned())
    };
    let name = clean("name", &input.name)?;
    if name.is_empty() {
        return Err(invalid("name", Reason::Required));
    }
    let email = clean("email", &input.email)?;
    // A plain address: letters, digits and `.+-_'` before the `@`, a dotted domain after.
    let local_ok = |c: char| c.is_alphanumeric() || ".+-_'".contains(c);
    let domain_ok = |c: char| c.is_alphanumeric() || ".-".contains(c);
    let well_formed = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.chars().all(local_ok)
                && domain.chars().all(domain_ok)
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        }
        None => false,
    };
    if email.is_empty() {
        return Err(invalid("email", Reason::Required));
    }
    if !well_formed || email.contains(char::is_whitespace) {
        return Err(invalid("email", Reason::NotAnEmail(email)));
    }
    Ok(NominationInput {
        name,
        rank: clean("rank", &input.rank)?,
        position: clean("position", &input.position)?,
        email,
    })
}

impl NominationService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Names a participant on a request's seats.
    pub async fn nominate(
        &self,
        actor: &Actor,
        registry: &Registry,
        request_id: i64,
        input: &NominationInput,
    ) -> Result<StoredNomination, ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "seat request", code: request_id.to_string() };
        let mut tx = self.db.write().await?;
        let request = tx.seat_request(request_id).await?.ok_or_else(not_found)?;
        let ctx = event_context(&mut tx, actor, registry, &request.event_code, true).await?;
        let nation = request.nation.parse().map_err(|_| ServiceError::Corrupt("seat request nation".into()))?;
        // Another nation's request is not even acknowledged; a visitor is asked to sign in.
        match actor.require(Action::Read, seats_resource(nation, &ctx.marking, false)) {
            Err(ServiceError::Refused(_) | ServiceError::NotFound { .. }) => return Err(not_found()),
            other => other?,
        }
        actor.require(Action::Create, seats_resource(nation, &ctx.marking, true))?;
        let input = checked(input)?;
        if request.status == "cancelled" {
            return Err(ServiceError::Conflict(Reason::RequestCancelled));
        }
        if matches!(ctx.event.status.as_str(), "held" | "cancelled") {
            return Err(ServiceError::Conflict(Reason::NotTakingRequests(ctx.event.status.clone())));
        }
        // Before the answer, as many people as seats asked; after it, as many as given.
        let named_at_most = if request.status == "requested" { request.seats } else { request.seats_allocated };
        if request.nominated >= named_at_most {
            return Err(ServiceError::Conflict(Reason::SeatsAllNamed(named_at_most)));
        }
        let row = NominationRow {
            request_id,
            event_id: request.event_id,
            person_key: input.email.to_lowercase(),
            name: input.name,
            rank: input.rank,
            position: input.position,
            email: input.email.clone(),
        };
        let Some(id) = tx.insert_nomination(&row).await? else {
            return Err(ServiceError::Conflict(Reason::AlreadyNominated(input.email)));
        };
        // Who was named stays out of the trail: it outlives the purge.
        append(
            &mut tx,
            &actor.label,
            "nomination.create",
            json!({ "id": id, "request": request_id, "event": request.event_code }),
        )
        .await?;
        let stored = tx.nominations(&[request_id]).await?.into_iter().find(|n| n.id == id);
        tx.commit().await?;
        stored.ok_or(ServiceError::Corrupt("nomination".into()))
    }

    /// Moves a nomination on: the nation confirms its participant (once the seat is given)
    /// or withdraws her; after the event has started, the organisers record whether she
    /// attended. Returns the nomination as it now stands.
    pub async fn set_status(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        status: &str,
    ) -> Result<StoredNomination, ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "nomination", code: id.to_string() };
        let mut tx = self.db.write().await?;
        let (request_id, before) = tx.nomination(id).await?.ok_or_else(not_found)?;
        let request = tx.seat_request(request_id).await?.ok_or_else(not_found)?;
        let ctx = event_context(&mut tx, actor, registry, &request.event_code, true).await?;
        let nation = request.nation.parse().map_err(|_| ServiceError::Corrupt("seat request nation".into()))?;
        match actor.require(Action::Read, seats_resource(nation, &ctx.marking, true)) {
            Err(ServiceError::Refused(_) | ServiceError::NotFound { .. }) => return Err(not_found()),
            other => other?,
        }
        let started = tx.now().date_naive().to_string().as_str() >= ctx.event.starts.get(..10).unwrap_or_default();
        let allowed_from: &[&str] = match status {
            // The nation's own step, for a seat actually given.
            "confirmed" => {
                actor.require(Action::Update, seats_resource(nation, &ctx.marking, true))?;
                if request.seats_allocated == 0 {
                    return Err(ServiceError::Conflict(Reason::SeatsAllNamed(0)));
                }
                &["nominated"]
            }
            "cancelled" => {
                actor.require(Action::Update, seats_resource(nation, &ctx.marking, true))?;
                &["nominated", "confirmed"]
            }
            // The organisers', once the event has started.
            "attended" | "no_show" => {
                actor.require(Action::Allocate, all_seats(&ctx.marking))?;
                if !started {
                    return Err(ServiceError::Conflict(Reason::EventNotStarted(ctx.event.starts.clone())));
                }
                &["nominated", "confirmed", "attended", "no_show"]
            }
            other => {
                return Err(invalid(
                    "status",
                    Reason::NotOneOf(other.to_owned(), "confirmed, cancelled, attended, no_show"),
                ));
            }
        };
        if !allowed_from.contains(&before.as_str()) {
            return Err(ServiceError::Conflict(Reason::Inconsistent(format!(
                "a nomination that is {before} cannot become {status}"
            ))));
        }
        tx.set_nomination_status(id, status).await?;
        append(&mut tx, &actor.label, "nomination.status", json!({ "id": id, "before": before, "after": status }))
            .await?;
        let stored = tx.nominations(&[request_id]).await?.into_iter().find(|n| n.id == id);
        tx.commit().await?;
        stored.ok_or(ServiceError::Corrupt("nomination".into()))
    }

    /// The nominations on a request, for those who may read its personal data.
    pub async fn nominations(
        &self,
        actor: &Actor,
        registry: &Registry,
        request_id: i64,
    ) -> Result<(StoredRequest, Vec<StoredNomination>), ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "seat request", code: request_id.to_string() };
        let mut tx = self.db.read().await?;
        let request = tx.seat_request(request_id).await?.ok_or_else(not_found)?;
        let ctx = event_context(&mut tx, actor, registry, &request.event_code, false).await?;
        let nation = request.nation.parse().map_err(|_| ServiceError::Corrupt("seat request nation".into()))?;
        match actor.require(Action::Read, seats_resource(nation, &ctx.marking, false)) {
            Err(ServiceError::Refused(_) | ServiceError::NotFound { .. }) => return Err(not_found()),
            other => other?,
        }
        actor.require(Action::Read, seats_resource(nation, &ctx.marking, true))?;
        let nominations = tx.nominations(&[request_id]).await?;
        tx.commit().await?;
        Ok((request, nominations))
    }

    /// The nominations on `requests` whose personal data the caller may read, in one query.
    pub async fn of_requests(
        &self,
        actor: &Actor,
        registry: &Registry,
        requests: &[StoredRequest],
    ) -> Result<Vec<StoredNomination>, ServiceError> {
        let mut readable = Vec::new();
        for r in requests {
            let Ok(nation) = r.nation.parse() else { continue };
            let marking = Marking::parse(&r.marking, |c| is_framework_of(registry, c))
                .map_err(|e| ServiceError::Corrupt(format!("seat request {}: {e}", r.id)))?;
            if actor.require(Action::Read, seats_resource(nation, &marking, true)).is_ok() {
                readable.push(r.id);
            }
        }
        let mut tx = self.db.read().await?;
        let list = tx.nominations(&readable).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// Erases the personal data of nominations to events that ended more than `days` days
    /// ago; returns how many. Audited, with the count only.
    pub async fn purge(&self, actor: &Actor, days: u32) -> Result<u64, ServiceError> {
        actor.require(Action::Administer, all_seats(&Marking::public()))?;
        let mut tx = self.db.write().await?;
        let before = (tx.now().date_naive() - Duration::days(i64::from(days))).to_string();
        let purged = tx.purge_nominations(&before).await?;
        if purged > 0 {
            append(
                &mut tx,
                &actor.label,
                "nomination.purge",
                json!({ "purged": purged, "events_ended_before": before }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(purged)
    }

    /// Files a feedback report on an event that has started: participants through their
    /// nation's officers, the organiser through the staff.
    pub async fn add_feedback(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        input: &FeedbackInput,
    ) -> Result<i64, ServiceError> {
        let mut tx = self.db.write().await?;
        let ctx = event_context(&mut tx, actor, registry, code, false).await?;
        if !matches!(input.role.as_str(), "participant" | "organiser") {
            return Err(invalid("role", Reason::NotOneOf(input.role.clone(), "participant, organiser")));
        }
        let body = input.body.trim();
        if body.is_empty() {
            return Err(invalid("body", Reason::Required));
        }
        check_long_text("body", body, 20_000)?;
        let marking = Marking::parse(input.marking.trim(), |c| is_framework_of(registry, c))
            .map_err(|e| invalid("marking", Reason::Marking(e)))?;
        if matches!(actor.caller, entente_core::Caller::Anonymous) {
            return Err(ServiceError::Unauthenticated(super::SignInProblem::SignInFirst));
        }
        // A report one could not read is refused, naming the marking (not hidden).
        if actor.require(Action::Read, report_record(&marking)).is_err() {
            return Err(invalid("marking", Reason::WouldNotRead(input.marking.trim().to_owned())));
        }
        // Feedback comes after the event has started: from the organiser (the staff), or
        // from a participating nation (one given seats on it, through its own people).
        let today = tx.now().date_naive().to_string();
        if today.as_str() < ctx.event.starts.get(..10).unwrap_or_default() {
            return Err(ServiceError::Conflict(Reason::EventNotStarted(ctx.event.starts.clone())));
        }
        if input.role == "organiser" {
            actor.require(Action::Allocate, all_seats(&ctx.marking))?;
        } else if !participated(&mut tx, actor, &ctx).await? {
            return Err(ServiceError::Conflict(Reason::NotAParticipant));
        }
        let id = tx
            .insert_feedback(
                ctx.event.id,
                Some(actor.user_id()).filter(|i| *i > 0),
                &input.role,
                &marking.to_text(|c| is_framework_of(registry, c)),
                body,
            )
            .await?;
        append(&mut tx, &actor.label, "feedback.create", json!({ "id": id, "event": code, "role": input.role }))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An event's feedback reports, those the caller may read.
    pub async fn feedback(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
    ) -> Result<Vec<StoredFeedback>, ServiceError> {
        let mut tx = self.db.read().await?;
        let ctx = event_context(&mut tx, actor, registry, code, false).await?;
        let all = tx.feedback(ctx.event.id).await?;
        tx.commit().await?;
        let mut readable = Vec::with_capacity(all.len());
        for report in all {
            let marking = Marking::parse(&report.marking, |c| is_framework_of(registry, c))
                .map_err(|e| ServiceError::Corrupt(format!("feedback {}: {e}", report.id)))?;
            if actor.require(Action::Read, report_record(&marking)).is_ok() {
                readable.push(report);
            }
        }
        Ok(readable)
    }
}
