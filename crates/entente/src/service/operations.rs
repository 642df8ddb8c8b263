//! Operations led by the alliance and the partners' part in them: contributions (offered by
//! a nation or the staff, accepted, deployed, withdrawn; a non-member's accepted only with
//! a council decision), force generation (requirements and the offers against them, with
//! fill rates) and liaison officers posted to headquarters. The reference operations and
//! their known partner contributors are loaded once, each with its source.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use entente_core::operation::{
    self, ContributionKind, ContributionStatus, Fill, OperationCode, OperationPhase, StepRefused,
};
use entente_core::participant_rule::Operations;
use entente_core::{Action, Bound, Interval, NationCode, Registry, Resource, Standing};
use serde_json::json;

use super::accounts::Actor;
use super::council::{append, csv_rows, day, optional_day};
use super::documents::{check_long_text, check_text, invalid};
use super::menu::nation_field;
use super::{Db, Reason, ServiceError};
use crate::store::Tx;
use crate::store::operations::{StoredContribution, StoredOperation, StoredPosting, StoredRequirement};

const OPERATIONS: &str = include_str!("../../../../data/operations.csv");
const CONTRIBUTIONS: &str = include_str!("../../../../data/contributions.csv");

/// A contribution as typed: an offer, by the nation's officers or the staff.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ContributionInput {
    /// The contributing nation (ISO alpha-2).
    pub nation: String,
    /// `troops`, `assets`, `funding`, `medical`, `liaison` or `other`.
    pub kind: String,
    /// How many (people, assets) or how much; optional unless offered against a requirement.
    pub size: Option<i64>,
    /// First day, YYYY-MM-DD.
    pub starts: String,
    /// First day no longer in force, YYYY-MM-DD (empty: open).
    pub ends: String,
    /// The force requirement it is offered against, if any.
    pub requirement: Option<i64>,
    /// A remark.
    pub note: String,
}

/// A force requirement as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RequirementInput {
    /// The capability required (an infantry company, a frigate, a field hospital).
    pub capability: String,
    /// How many.
    pub quantity: i64,
    /// First day, YYYY-MM-DD.
    pub starts: String,
    /// First day no longer needed, YYYY-MM-DD (empty: open).
    pub ends: String,
}

/// A liaison posting as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PostingInput {
    /// The officer's nation.
    pub nation: String,
    /// The officer's name.
    pub officer: String,
    /// The headquarters (SHAPE, JFC Naples, KFOR HQ Pristina, ...).
    pub headquarters: String,
    /// The operation served, if any.
    pub operation: String,
    /// First day, YYYY-MM-DD.
    pub starts: String,
    /// First day no longer posted, YYYY-MM-DD (empty: open).
    pub ends: String,
}

/// A requirement with the offers against it and how far they fill it.
#[derive(Debug, Clone)]
pub struct RequirementView {
    /// The requirement.
    pub requirement: StoredRequirement,
    /// Its fill.
    pub fill: Fill,
}

/// An operation with everything the caller may see of it.
#[derive(Debug, Clone)]
pub struct OperationView {
    /// The operation.
    pub operation: StoredOperation,
    /// Its contributions, by nation.
    pub contributions: Vec<StoredContribution>,
    /// Its requirements with their fills.
    pub requirements: Vec<RequirementView>,
    /// The requirements together.
    pub fill: Fill,
    /// The liaison postings to it the caller may read.
    pub postings: Vec<StoredPosting>,
}

/// Who contributed to which operation, when: what participant rules resolve `operation:`
/// terms against.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    codes: BTreeSet<String>,
    spans: BTreeMap<String, Vec<(NationCode, Interval)>>,
}

impl Operations for Roster {
    fn exists(&self, code: &str) -> bool {
        self.codes.contains(code)
    }

    fn contributors(&self, code: &str, day: NaiveDate) -> BTreeSet<NationCode> {
        self.spans
            .get(code)
            .into_iter()
            .flatten()
            .filter(|(_, period)| period.contains(day))
            .map(|(nation, _)| *nation)
            .collect()
    }
}

/// Operation use cases.
#[derive(Debug)]
pub struct OperationService {
    db: Db,
    offer_margin_percent: u32,
}

fn corrupt(what: &str) -> ServiceError {
    ServiceError::Corrupt(what.to_owned())
}

/// A stored bound (`1999-06-12`, `2005`, `by 2017-02-28`) read back.
pub fn bound_of(text: &str) -> Result<Bound, ServiceError> {
    text.parse().map_err(|_| corrupt(&format!("date `{text}`")))
}

/// A stored period read back.
pub fn period_of(starts: &str, ends: &str) -> Result<Interval, ServiceError> {
    let end = if ends.is_empty() { None } else { Some(bound_of(ends)?) };
    Interval::new(bound_of(starts)?, end).map_err(|e| corrupt(&e.to_string()))
}

/// The dates typed, checked: the end after the start and both within the operation.
fn dates_within(
    operation: &StoredOperation,
    starts: &str,
    ends: &str,
) -> Result<(NaiveDate, Option<NaiveDate>), ServiceError> {
    let start = day("starts", starts)?;
    let end = optional_day("ends", ends)?;
    if let Some(end) = end.filter(|end| *end <= start) {
        return Err(invalid("ends", Reason::EndsBeforeStart(start.to_string(), end.to_string())));
    }
    let period = period_of(&operation.starts, &operation.ends)?;
    operation::within_operation(&period, start, end).map_err(|e| {
        let field = if matches!(e, operation::OutsideOperation::StartsBefore { .. }) { "starts" } else { "ends" };
        invalid(field, Reason::OutsideOperation(e.to_string()))
    })?;
    Ok((start, end))
}

/// Loads the reference operations and their partner contributors into a database that has
/// no operation yet; returns how many operations and contributions were stored. A
/// contribution of a nation the registry does not hold is left out.
pub(super) async fn load_reference_operations(
    tx: &mut Tx,
    registry: &Registry,
) -> Result<(usize, usize), ServiceError> {
    if tx.operation_count().await? > 0 {
        return Ok((0, 0));
    }
    let mut operations = 0;
    for row in csv_rows(OPERATIONS) {
        let code =
            OperationCode::from_short_name(&row[1]).ok_or_else(|| corrupt(&format!("operation `{}`", &row[1])))?;
        let stored = StoredOperation {
            code: code.to_string(),
            name: row[0].to_owned(),
            kind: row[2].to_owned(),
            region: row[3].to_owned(),
            mandate: row[6].to_owned(),
            starts: row[4].to_owned(),
            ends: row[5].to_owned(),
            phase: OperationPhase::Execution.as_str().into(),
            historical: true,
            note: join_note(&row[7], &row[8]),
            source: row[9].to_owned(),
        };
        period_of(&stored.starts, &stored.ends)?;
        tx.insert_operation(&stored).await?;
        operations += 1;
    }
    let mut contributions = 0;
    for row in csv_rows(CONTRIBUTIONS) {
        let Some(nation) = row[1].parse::<NationCode>().ok().filter(|n| registry.nation(*n).is_some()) else {
            continue;
        };
        let stored = StoredContribution {
            id: 0,
            operation: row[0].to_owned(),
            nation: nation.to_string(),
            kind: ContributionKind::parse(&row[2]).ok_or_else(|| corrupt(&row[2]))?.as_str().into(),
            size: row[3].parse().ok(),
            starts: row[4].to_owned(),
            ends: row[5].to_owned(),
            dates_assumed: &row[6] == "yes",
            status: ContributionStatus::parse(&row[7]).ok_or_else(|| corrupt(&row[7]))?.as_str().into(),
            accepted: true,
            council_decision_id: None,
            requirement_id: None,
            historical: true,
            note: row[8].to_owned(),
            source: row[9].to_owned(),
        };
        period_of(&stored.starts, &stored.ends)?;
        tx.insert_contribution(&stored).await?;
        contributions += 1;
    }
    Ok((operations, contributions))
}

fn join_note(contributors: &str, note: &str) -> String {
    match (contributors.is_empty(), note.is_empty()) {
        (true, _) => note.to_owned(),
        (false, true) => format!("Partner contributors: {contributors}"),
        (false, false) => format!("{note}. Partner contributors: {contributors}"),
    }
}

/// Who contributed to which operation, as stored.
pub(super) async fn roster(tx: &mut Tx) -> Result<Roster, ServiceError> {
    let mut roster = Roster::default();
    for op in tx.operations().await? {
        roster.codes.insert(op.code);
    }
    for c in tx.contributions(None, None).await? {
        if !c.accepted {
            continue;
        }
        let nation = c.nation.parse().map_err(|_| corrupt(&c.nation))?;
        roster.spans.entry(c.operation.clone()).or_default().push((nation, period_of(&c.starts, &c.ends)?));
    }
    Ok(roster)
}

impl OperationService {
    /// A service over `db`, refusing offers beyond `offer_margin_percent` of a requirement.
    pub fn new(db: Db, offer_margin_percent: u32) -> Self {
        Self { db, offer_margin_percent }
    }

    /// Whether the caller keeps operations (adds requirements, accepts, deploys).
    pub fn may_manage(&self, actor: &Actor) -> bool {
        actor.require(Action::Update, Resource::Operations { nation: None }).is_ok()
    }

    /// Whether the caller may offer `nation`'s contribution.
    pub fn may_offer(&self, actor: &Actor, nation: Option<NationCode>) -> bool {
        actor.require(Action::Create, Resource::Operations { nation }).is_ok()
    }

    /// Every operation.
    pub async fn list(&self, actor: &Actor) -> Result<Vec<StoredOperation>, ServiceError> {
        actor.require(Action::Read, Resource::Operations { nation: None })?;
        let mut tx = self.db.read().await?;
        let all = tx.operations().await?;
        tx.commit().await?;
        Ok(all)
    }

    /// Who contributed to which operation when, for resolving participant rules.
    pub async fn roster(&self) -> Result<Roster, ServiceError> {
        let mut tx = self.db.read().await?;
        let roster = roster(&mut tx).await?;
        tx.commit().await?;
        Ok(roster)
    }

    /// An operation with its contributions, requirements and fills, and the postings the
    /// caller may read.
    pub async fn get(&self, actor: &Actor, code: &str) -> Result<OperationView, ServiceError> {
        actor.require(Action::Read, Resource::Operations { nation: None })?;
        let mut tx = self.db.read().await?;
        let operation = tx
            .operation(code, false)
            .await?
            .ok_or_else(|| ServiceError::NotFound { kind: "operation", code: code.to_owned() })?;
        let contributions = tx.contributions(Some(code), None).await?;
        let requirements = tx.requirements(code).await?;
        let postings = tx.postings(None, Some(code)).await?;
        tx.commit().await?;
        let requirements: Vec<RequirementView> = requirements
            .into_iter()
            .map(|requirement| {
                let fill = fill_of(&requirement, &contributions);
                RequirementView { requirement, fill }
            })
            .collect();
        let fill = operation::operation_fill(&requirements.iter().map(|r| r.fill).collect::<Vec<_>>());
        let postings = postings.into_iter().filter(|p| may_read_posting(actor, &p.nation)).collect();
        Ok(OperationView { operation, contributions, requirements, fill, postings })
    }

    /// The contributions in force on `at`: accepted at some point and dated over that day.
    pub async fn contributors(
        &self,
        actor: &Actor,
        code: &str,
        at: NaiveDate,
    ) -> Result<Vec<StoredContribution>, ServiceError> {
        let view = self.get(actor, code).await?;
        let mut out = Vec::new();
        for c in view.contributions {
            if operation::contributing_on(c.accepted, &period_of(&c.starts, &c.ends)?, at) {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// A nation's contributions to every operation.
    pub async fn of_nation(&self, actor: &Actor, nation: NationCode) -> Result<Vec<StoredContribution>, ServiceError> {
        actor.require(Action::Read, Resource::Operations { nation: Some(nation) })?;
        let mut tx = self.db.read().await?;
        let all = tx.contributions(None, Some(nation.as_str())).await?;
        tx.commit().await?;
        Ok(all)
    }

    /// Offers a contribution (status `offered`). Against a requirement, the offer may
    /// exceed the remaining need only by the configured margin; offers to one requirement
    /// queue behind each other, so two at once cannot both take the last of the need.
    pub async fn contribute(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        input: &ContributionInput,
    ) -> Result<StoredContribution, ServiceError> {
        let nation = nation_field(registry, "nation", &input.nation)?;
        actor.require(Action::Create, Resource::Operations { nation: Some(nation) })?;
        let kind = ContributionKind::parse(input.kind.trim())
            .ok_or_else(|| invalid("kind", Reason::NotOneOf(input.kind.trim().to_owned(), KINDS)))?;
        if input.size.is_some_and(|s| !(1..=1_000_000_000).contains(&s)) {
            return Err(invalid("size", Reason::OutOfRange { min: 1, max: 1_000_000_000 }));
        }
        check_long_text("note", &input.note, 2000)?;
        let mut tx = self.db.write().await?;
        let operation = tx
            .operation(code, true)
            .await?
            .ok_or_else(|| invalid("operation", Reason::UnknownOperation(code.to_owned())))?;
        let (start, end) = dates_within(&operation, &input.starts, &input.ends)?;
        if let Some(requirement_id) = input.requirement {
            let requirement = tx
                .requirement(requirement_id, true)
                .await?
                .filter(|r| r.operation == operation.code)
                .ok_or_else(|| invalid("requirement", Reason::NotANumber(requirement_id.to_string())))?;
            let size = input.size.ok_or_else(|| invalid("size", Reason::Required))?;
            let offers = tx.contributions(Some(code), None).await?;
            let fill = fill_of(&requirement, &offers);
            operation::check_offer(&fill, size, self.offer_margin_percent).map_err(|e| {
                invalid(
                    "size",
                    Reason::OfferTooLarge { offered: e.offered, remaining: e.remaining, allowed: e.allowed },
                )
            })?;
        }
        let row = StoredContribution {
            id: 0,
            operation: operation.code.clone(),
            nation: nation.to_string(),
            kind: kind.as_str().into(),
            size: input.size,
            starts: start.to_string(),
            ends: end.map(|d| d.to_string()).unwrap_or_default(),
            dates_assumed: false,
            status: ContributionStatus::Offered.as_str().into(),
            accepted: false,
            council_decision_id: None,
            requirement_id: input.requirement,
            historical: false,
            note: input.note.trim().to_owned(),
            source: String::new(),
        };
        let id = tx.insert_contribution(&row).await?;
        append(
            &mut tx,
            &actor.label,
            "operation.contribute",
            json!({ "id": id, "operation": row.operation, "nation": row.nation, "kind": row.kind, "size": row.size,
                    "requirement": row.requirement_id }),
        )
        .await?;
        let stored = tx.contribution(id, false).await?.ok_or_else(|| corrupt("contribution"))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Moves a contribution to `to`. Accepting a non-member's needs a council decision
    /// whose scope is this operation and whose nations include the contributor; the
    /// decision is linked. Withdrawing ends the period on `today` when it ran longer.
    pub async fn step(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        to: &str,
        council_decision: Option<i64>,
    ) -> Result<StoredContribution, ServiceError> {
        let to = ContributionStatus::parse(to.trim())
            .ok_or_else(|| invalid("status", Reason::NotOneOf(to.trim().to_owned(), STATUSES)))?;
        let not_found = || ServiceError::NotFound { kind: "contribution", code: id.to_string() };
        let mut tx = self.db.write().await?;
        let current = tx.contribution(id, true).await?.ok_or_else(not_found)?;
        let nation: NationCode = current.nation.parse().map_err(|_| corrupt(&current.nation))?;
        actor.require(step_action(to), Resource::Operations { nation: Some(nation) })?;
        let from = ContributionStatus::parse(&current.status).ok_or_else(|| corrupt(&current.status))?;
        if current.historical {
            return Err(ServiceError::Conflict(Reason::HistoricalRecord));
        }
        let today = tx.now().date_naive();
        let period = period_of(&current.starts, &current.ends)?;
        // Whether the nation is a member when the council would accept it: today.
        let member = registry.status_at(nation, today).is_some_and(|s| s.status == Standing::Member);
        let decision = match (to, council_decision) {
            (ContributionStatus::Accepted, Some(decision)) => {
                self.covering_decision(&mut tx, decision, nation, &current.operation).await?;
                Some(decision)
            }
            _ => current.council_decision_id,
        };
        from.step(to, member, decision.is_some()).map_err(|e| match e {
            StepRefused::NeedsCouncilDecision => invalid("council_decision", Reason::NeedsCouncilDecision),
            StepRefused::NotNext { .. } => {
                ServiceError::Conflict(Reason::ContributionStep(from.as_str().into(), to.as_str().into()))
            }
        })?;
        let accepted = current.accepted || to == ContributionStatus::Accepted;
        let ends = match to {
            ContributionStatus::Withdrawn if period.end_day().is_none_or(|end| end > today) => {
                today.max(period.start_day()).to_string()
            }
            _ => current.ends.clone(),
        };
        tx.set_contribution_status(id, to.as_str(), accepted, decision, &ends).await?;
        append(
            &mut tx,
            &actor.label,
            "operation.contribution_status",
            json!({ "id": id, "operation": current.operation, "nation": current.nation, "from": from.as_str(),
                    "to": to.as_str(), "council_decision": decision }),
        )
        .await?;
        let stored = tx.contribution(id, false).await?.ok_or_else(not_found)?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Refuses a decision that does not accept `nation`'s contribution to `operation`.
    async fn covering_decision(
        &self,
        tx: &mut Tx,
        decision: i64,
        nation: NationCode,
        operation: &str,
    ) -> Result<(), ServiceError> {
        let decisions = tx.decisions().await?;
        let covers = decisions.iter().find(|d| d.id == decision).is_some_and(|d| {
            d.kind == "opens"
                && d.scope == format!("operation:{operation}")
                && d.nations.iter().any(|n| n == nation.as_str())
        });
        if !covers {
            return Err(invalid(
                "council_decision",
                Reason::DecisionDoesNotCover(decision, nation.to_string(), operation.to_owned()),
            ));
        }
        Ok(())
    }

    /// The statuses the caller may move a contribution to, as `authorize()` and the
    /// lifecycle allow (the council's decision is asked for when accepting).
    pub fn next_steps(&self, actor: &Actor, contribution: &StoredContribution) -> Vec<ContributionStatus> {
        let (Some(from), Ok(nation)) =
            (ContributionStatus::parse(&contribution.status), contribution.nation.parse::<NationCode>())
        else {
            return Vec::new();
        };
        if contribution.historical {
            return Vec::new();
        }
        from.next()
            .iter()
            .copied()
            .filter(|to| actor.require(step_action(*to), Resource::Operations { nation: Some(nation) }).is_ok())
            .collect()
    }

    /// Adds a force requirement to an operation.
    pub async fn add_requirement(
        &self,
        actor: &Actor,
        code: &str,
        input: &RequirementInput,
    ) -> Result<StoredRequirement, ServiceError> {
        actor.require(Action::Update, Resource::Operations { nation: None })?;
        let capability = input.capability.trim();
        if capability.is_empty() {
            return Err(invalid("capability", Reason::Required));
        }
        check_text("capability", capability, 300)?;
        if !(1..=1_000_000).contains(&input.quantity) {
            return Err(invalid("quantity", Reason::OutOfRange { min: 1, max: 1_000_000 }));
        }
        let mut tx = self.db.write().await?;
        let operation = tx
            .operation(code, true)
            .await?
            .ok_or_else(|| ServiceError::NotFound { kind: "operation", code: code.to_owned() })?;
        let (start, end) = dates_within(&operation, &input.starts, &input.ends)?;
        let mut row = StoredRequirement {
            id: 0,
            operation: operation.code.clone(),
            capability: capability.to_owned(),
            quantity: input.quantity,
            starts: start.to_string(),
            ends: end.map(|d| d.to_string()).unwrap_or_default(),
        };
        row.id = tx.insert_requirement(&row).await?;
        append(
            &mut tx,
            &actor.label,
            "operation.requirement",
            json!({ "id": row.id, "operation": row.operation, "capability": row.capability, "quantity": row.quantity }),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Posts a liaison officer to a headquarters.
    pub async fn post(
        &self,
        actor: &Actor,
        registry: &Registry,
        input: &PostingInput,
    ) -> Result<StoredPosting, ServiceError> {
        let nation = nation_field(registry, "nation", &input.nation)?;
        actor.require(Action::Create, Resource::Postings { nation })?;
        let officer = input.officer.trim();
        let headquarters = input.headquarters.trim();
        for (field, value) in [("officer", officer), ("headquarters", headquarters)] {
            if value.is_empty() {
                return Err(invalid(field, Reason::Required));
            }
            check_text(field, value, 300)?;
        }
        let start = day("starts", &input.starts)?;
        let end = optional_day("ends", &input.ends)?;
        if let Some(end) = end.filter(|end| *end <= start) {
            return Err(invalid("ends", Reason::EndsBeforeStart(start.to_string(), end.to_string())));
        }
        let mut tx = self.db.write().await?;
        let operation = match input.operation.trim() {
            "" => None,
            code => {
                let code = code.to_ascii_uppercase();
                let op = tx
                    .operation(&code, false)
                    .await?
                    .ok_or_else(|| invalid("operation", Reason::UnknownOperation(code.clone())))?;
                dates_within(&op, &input.starts, &input.ends)?;
                Some(op.code)
            }
        };
        let mut row = StoredPosting {
            id: 0,
            nation: nation.to_string(),
            officer: officer.to_owned(),
            headquarters: headquarters.to_owned(),
            operation,
            starts: start.to_string(),
            ends: end.map(|d| d.to_string()).unwrap_or_default(),
        };
        row.id = tx.insert_posting(&row).await?;
        // The officer's name is personal data: the trail keeps the posting, not the name.
        append(
            &mut tx,
            &actor.label,
            "operation.posting",
            json!({ "id": row.id, "nation": row.nation, "headquarters": row.headquarters, "operation": row.operation }),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Who is posted where on `at`, of `nation` if given: the postings the caller may read.
    pub async fn posted_on(
        &self,
        actor: &Actor,
        nation: Option<NationCode>,
        at: NaiveDate,
    ) -> Result<Vec<StoredPosting>, ServiceError> {
        if let Some(nation) = nation {
            actor.require(Action::Read, Resource::Postings { nation })?;
        }
        let mut tx = self.db.read().await?;
        let all = tx.postings(nation.as_ref().map(NationCode::as_str), None).await?;
        tx.commit().await?;
        let mut out = Vec::new();
        for p in all {
            if may_read_posting(actor, &p.nation) && period_of(&p.starts, &p.ends)?.contains(at) {
                out.push(p);
            }
        }
        Ok(out)
    }
}

/// What moving a contribution to `to` is, for `authorize()`: accepting is the council's
/// approval, withdrawing a removal, deploying an update.
fn step_action(to: ContributionStatus) -> Action {
    match to {
        ContributionStatus::Withdrawn => Action::Delete,
        ContributionStatus::Accepted => Action::Approve,
        _ => Action::Update,
    }
}

const KINDS: &str = "troops, assets, funding, medical, liaison, other";
const STATUSES: &str = "offered, accepted, deployed, withdrawn";

fn may_read_posting(actor: &Actor, nation: &str) -> bool {
    nation.parse().is_ok_and(|nation| actor.require(Action::Read, Resource::Postings { nation }).is_ok())
}

/// A requirement's fill from the contributions offered against it.
fn fill_of(requirement: &StoredRequirement, contributions: &[StoredContribution]) -> Fill {
    let offers: Vec<(i64, ContributionStatus)> = contributions
        .iter()
        .filter(|c| c.requirement_id == Some(requirement.id))
        .filter_map(|c| Some((c.size.unwrap_or(0), ContributionStatus::parse(&c.status)?)))
        .collect();
    operation::fill(requirement.quantity, &offers)
}
