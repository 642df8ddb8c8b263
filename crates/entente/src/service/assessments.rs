//! Regular assessments: PARP goals, indicators with their baseline and target, review
//! periods (a programme's annual review, the PARP round's stages) with their workflow, and
//! the measurements recorded in them. The partner's officer writes the self-assessment,
//! staff the assessment; an approver returns a submitted review with comments or approves
//! it; an approved review is locked, and a correction is a new version that keeps the old.

use chrono::{Datelike, NaiveDate};
use entente_core::assessment::{
    CycleKind, Direction, Indicator, IndicatorRefused, Judgement, ReviewPart, ReviewStatus, ReviewStep, Stage,
};
use entente_core::{
    Action, Affiliation, Caller, Lifecycle, Marking, NationCode, Record, RecordKind, Registry, Resource,
};
use serde_json::json;

use super::accounts::Actor;
use super::council::append;
use super::documents::{check_long_text, check_text, invalid, is_framework_of, visible};
use super::menu::nation_field;
use super::programmes::day;
use super::{Db, Reason, ServiceError};
use crate::store::assessments::{StoredIndicator, StoredMeasurement, StoredParpGoal, StoredReview};
use crate::store::{LockKey, Tx};

/// A PARP goal as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ParpGoalInput {
    /// The partner.
    pub nation: String,
    /// The even year the goal is agreed in.
    pub round_year: i64,
    /// Code, such as `PG-GE-2026-03`.
    pub code: String,
    /// Title.
    pub title: String,
    /// Marking (default `UNCLASSIFIED REL TO` the nation).
    pub marking: String,
}

/// An indicator as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct IndicatorInput {
    /// The programme goal it belongs to (its number), or 0.
    pub goal: i64,
    /// The PARP goal it belongs to (its number), or 0.
    pub parp_goal: i64,
    /// Title.
    pub title: String,
    /// Unit of its values (`%`, `days`, ...).
    pub unit: String,
    /// `higher`, `lower` or `milestone`.
    pub direction: String,
    /// Value at the start.
    pub baseline: f64,
    /// Day of the baseline, YYYY-MM-DD.
    pub baseline_date: String,
    /// Value aimed at.
    pub target: f64,
    /// Day the target is to be reached, YYYY-MM-DD.
    pub target_date: String,
    /// Marking (default: the goal's).
    pub marking: String,
}

/// A review period opened for a nation.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReviewInput {
    /// The partner.
    pub nation: String,
    /// `programme` or `parp`.
    pub cycle: String,
    /// The programme's code (for a programme's review).
    pub programme: String,
    /// Year.
    pub year: i64,
    /// `annual` (a programme), or `survey`, `goals` (even years), `assessment` (odd years).
    pub stage: String,
    /// Deadline, YYYY-MM-DD.
    pub deadline: String,
    /// Marking (default `UNCLASSIFIED REL TO` the nation).
    pub marking: String,
}

/// A measurement as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MeasurementInput {
    /// The indicator's number.
    pub indicator: i64,
    /// Day measured, YYYY-MM-DD.
    pub date: String,
    /// Value (0 or 1 for a milestone).
    pub value: f64,
    /// `on_track`, `at_risk`, `off_track`, `achieved`, or empty to let the figures judge.
    pub judgement: String,
    /// Note.
    pub note: String,
    /// Evidence: a document's number.
    pub evidence: Option<i64>,
}

/// A written part of a review.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PartInput {
    /// `self_assessment` (the partner's) or `staff_assessment` (the staff's).
    pub part: String,
    /// The text.
    pub text: String,
}

/// A workflow step.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReviewStepInput {
    /// `submit`, `return` or `approve`.
    pub step: String,
    /// Comments (required to return).
    pub comments: String,
}

/// What the caller may do with a review.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewActions {
    /// Write the self-assessment.
    pub write_self: bool,
    /// Write the staff's assessment.
    pub write_staff: bool,
    /// Record measurements.
    pub measure: bool,
    /// Submit it.
    pub submit: bool,
    /// Return or approve it.
    pub decide: bool,
    /// Correct it (a new version).
    pub correct: bool,
}

/// An indicator in a review with the measurement recorded in it, if any.
#[derive(Debug, Clone)]
pub struct MeasuredIndicator {
    /// The indicator.
    pub indicator: StoredIndicator,
    /// Its goal's title.
    pub goal: String,
    /// The measurement in this version.
    pub measurement: Option<StoredMeasurement>,
}

/// A review version with everything the caller may see of it.
#[derive(Debug, Clone)]
pub struct ReviewView {
    /// The version.
    pub review: StoredReview,
    /// Every version of the period: (id, version, status).
    pub versions: Vec<(i64, i64, String)>,
    /// Its indicators and measurements.
    pub indicators: Vec<MeasuredIndicator>,
    /// Past its deadline and not approved.
    pub overdue: bool,
    /// What the caller may do.
    pub actions: ReviewActions,
}

/// Assessments.
#[derive(Debug, Clone)]
pub struct AssessmentService {
    db: Db,
}

/// The record `authorize()` judges an assessment as.
pub(super) fn record<'a>(marking: &'a Marking, nation: Option<NationCode>, lifecycle: Lifecycle) -> Resource<'a> {
    static STAFF: Affiliation = Affiliation::AllianceStaff;
    Resource::Record(Record { kind: RecordKind::Assessment, marking, originator: &STAFF, subject: nation, lifecycle })
}

fn corrupt(what: String) -> ServiceError {
    ServiceError::Corrupt(what)
}

/// A stored marking, read (for the page's banner).
pub fn marking_text(registry: &Registry, text: &str) -> Result<Marking, ServiceError> {
    parse_marking(registry, text, "record")
}

pub(super) fn parse_marking(registry: &Registry, text: &str, what: &str) -> Result<Marking, ServiceError> {
    Marking::parse(text, |c| is_framework_of(registry, c)).map_err(|e| corrupt(format!("{what}: {e}")))
}

/// A typed marking, or the default: releasable to the nation only.
fn typed_marking(registry: &Registry, text: &str, nation: NationCode) -> Result<Marking, ServiceError> {
    let default = format!("UNCLASSIFIED REL TO {nation}");
    let text = if text.trim().is_empty() { default.as_str() } else { text.trim() };
    Marking::parse(text, |c| is_framework_of(registry, c)).map_err(|e| invalid("marking", Reason::Marking(e)))
}

fn known_nation(registry: &Registry, text: &str) -> Result<NationCode, ServiceError> {
    nation_field(registry, "nation", text)
}

fn year_in_range(field: &str, year: i64) -> Result<(), ServiceError> {
    if (1994..=2200).contains(&year) {
        Ok(())
    } else {
        Err(invalid(field, Reason::OutOfRange { min: 1994, max: 2200 }))
    }
}

fn number(value: f64) -> String {
    format!("{value}")
}

/// An indicator's refusal as the service's error, naming its field.
pub(super) fn refused(e: IndicatorRefused) -> ServiceError {
    let field = e.field();
    let reason = match e {
        IndicatorRefused::TargetBeforeBaseline { baseline, target } => {
            Reason::TargetBeforeBaseline(baseline.to_string(), target.to_string())
        }
        IndicatorRefused::NotAMilestoneValue { value, .. } => Reason::NotAMilestoneValue(number(value)),
        IndicatorRefused::NotFinite { field } => Reason::NotANumber(field.to_owned()),
        IndicatorRefused::TargetNotBetter { baseline, target, better } => {
            Reason::TargetNotBetter { baseline: number(baseline), target: number(target), better: better.to_owned() }
        }
        IndicatorRefused::OutsidePeriod { date, from, to } => {
            Reason::OutsideIndicatorPeriod(date.to_string(), from.to_string(), to.to_string())
        }
    };
    invalid(field, reason)
}

/// An indicator's definition from its stored row.
pub fn definition_of(row: &StoredIndicator) -> Result<Indicator, ServiceError> {
    let bad = || corrupt(format!("indicator {}", row.id));
    Ok(Indicator {
        direction: Direction::parse(&row.direction).ok_or_else(bad)?,
        baseline: row.baseline,
        baseline_date: row.baseline_date.parse().map_err(|_| bad())?,
        target: row.target,
        target_date: row.target_date.parse().map_err(|_| bad())?,
    })
}

pub(super) fn status_of(review: &StoredReview) -> Result<ReviewStatus, ServiceError> {
    ReviewStatus::parse(&review.status).ok_or_else(|| corrupt(format!("review {}: status", review.id)))
}

fn nation_of(text: &str) -> Option<NationCode> {
    text.parse().ok()
}

fn review_record<'a>(marking: &'a Marking, review: &StoredReview) -> Result<Resource<'a>, ServiceError> {
    Ok(record(marking, nation_of(&review.nation), status_of(review)?.lifecycle()))
}

/// Refuses an anonymous caller before her input is read: who may make what is decided
/// once the input names the nation, but a stranger is told to sign in first.
pub(super) fn signed_in(actor: &Actor) -> Result<(), ServiceError> {
    actor.require(Action::Read, Resource::OwnAccount)
}

/// Whether a review is past its deadline on `today` and not approved.
pub fn is_overdue(review: &StoredReview, today: NaiveDate) -> bool {
    match (ReviewStatus::parse(&review.status), review.deadline.parse::<NaiveDate>()) {
        (Some(status), Ok(deadline)) => status.is_overdue(deadline, today),
        _ => false,
    }
}

impl AssessmentService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Whether the caller opens reviews for any nation (the alliance's staff).
    pub fn may_open(&self, actor: &Actor) -> bool {
        actor.require(Action::Create, record(&Marking::public(), None, Lifecycle::Draft)).is_ok()
    }

    /// Whether the caller defines indicators and PARP goals for `nation`.
    pub fn may_define(&self, actor: &Actor, nation: NationCode) -> bool {
        actor.require(Action::Create, record(&Marking::public(), Some(nation), Lifecycle::Unmanaged)).is_ok()
    }

    /// Agrees a PARP goal.
    pub async fn create_parp_goal(
        &self,
        actor: &Actor,
        registry: &Registry,
        input: &ParpGoalInput,
    ) -> Result<StoredParpGoal, ServiceError> {
        signed_in(actor)?;
        let nation = known_nation(registry, &input.nation)?;
        year_in_range("round_year", input.round_year)?;
        if input.round_year % 2 != 0 {
            return Err(invalid("round_year", Reason::Inconsistent("goals are agreed in even-numbered years".into())));
        }
        let code = input.code.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(invalid("code", Reason::Required));
        }
        check_text("code", &code, 40)?;
        let title = input.title.trim();
        if title.is_empty() {
            return Err(invalid("title", Reason::Required));
        }
        check_text("title", title, 300)?;
        let marking = typed_marking(registry, &input.marking, nation)?;
        actor.require(Action::Create, record(&marking, Some(nation), Lifecycle::Unmanaged))?;
        let mut tx = self.db.write().await?;
        // Two agreements of one code at once: the second waits, then finds the first.
        tx.lock(LockKey::Assessments(nation.as_str())).await?;
        if tx.parp_goals(Some(nation.as_str())).await?.iter().any(|g| g.code == code) {
            return Err(ServiceError::Conflict(Reason::ParpGoalExists(code)));
        }
        let mut row = StoredParpGoal {
            id: 0,
            nation: nation.to_string(),
            round_year: input.round_year,
            code,
            title: title.to_owned(),
            marking: marking.to_text(|c| is_framework_of(registry, c)),
        };
        row.id = tx.insert_parp_goal(&row).await?;
        append(
            &mut tx,
            &actor.label,
            "parp_goal.create",
            json!({ "id": row.id, "nation": row.nation, "code": row.code }),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Defines an indicator of a programme's goal or of a PARP goal.
    pub async fn create_indicator(
        &self,
        actor: &Actor,
        registry: &Registry,
        input: &IndicatorInput,
    ) -> Result<StoredIndicator, ServiceError> {
        signed_in(actor)?;
        let title = input.title.trim();
        if title.is_empty() {
            return Err(invalid("title", Reason::Required));
        }
        check_text("title", title, 300)?;
        check_text("unit", input.unit.trim(), 40)?;
        let direction = Direction::parse(input.direction.trim()).ok_or_else(|| {
            invalid("direction", Reason::NotOneOf(input.direction.trim().into(), "higher, lower, milestone"))
        })?;
        let definition = Indicator {
            direction,
            baseline: input.baseline,
            baseline_date: day("baseline_date", &input.baseline_date)?,
            target: input.target,
            target_date: day("target_date", &input.target_date)?,
        };
        definition.check().map_err(refused)?;
        let mut tx = self.db.write().await?;
        // The goal decides the nation and the default marking.
        // A goal that does not exist and one the caller may not read get the same answer.
        let (field, id) =
            if input.parp_goal > 0 && input.goal == 0 { ("parp_goal", input.parp_goal) } else { ("goal", input.goal) };
        let no_goal = || invalid(field, Reason::Inconsistent(format!("no goal {id} that you may read")));
        let (nation, goal_marking, programme_goal_id, parp_goal_id) = match (input.goal, input.parp_goal) {
            (goal, 0) if goal > 0 => {
                let place = tx.goal_place(goal).await?.ok_or_else(no_goal)?;
                (place.nation, place.programme_marking, Some(goal), None)
            }
            (0, parp) if parp > 0 => {
                let goal = tx.parp_goal(parp).await?.ok_or_else(no_goal)?;
                (goal.nation, goal.marking, None, Some(parp))
            }
            _ => return Err(invalid("goal", Reason::Inconsistent("give either a goal or a PARP goal".into()))),
        };
        let goal_marking = parse_marking(registry, &goal_marking, "goal")?;
        let nation_code = nation_of(&nation);
        actor.require(Action::Read, record(&goal_marking, nation_code, Lifecycle::Unmanaged)).map_err(|_| no_goal())?;
        let marking = if input.marking.trim().is_empty() {
            goal_marking
        } else {
            Marking::parse(input.marking.trim(), |c| is_framework_of(registry, c))
                .map_err(|e| invalid("marking", Reason::Marking(e)))?
        };
        actor.require(Action::Create, record(&marking, nation_code, Lifecycle::Unmanaged))?;
        let mut row = StoredIndicator {
            id: 0,
            nation,
            programme_goal_id,
            parp_goal_id,
            title: title.to_owned(),
            unit: input.unit.trim().to_owned(),
            direction: direction.as_str().to_owned(),
            baseline: definition.baseline,
            baseline_date: definition.baseline_date.to_string(),
            target: definition.target,
            target_date: definition.target_date.to_string(),
            marking: marking.to_text(|c| is_framework_of(registry, c)),
        };
        row.id = tx.insert_indicator(&row).await?;
        append(
            &mut tx,
            &actor.label,
            "indicator.create",
            json!({ "id": row.id, "nation": row.nation, "goal": programme_goal_id, "parp_goal": parp_goal_id,
                    "title": row.title, "direction": row.direction, "baseline": row.baseline, "target": row.target }),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Opens a review period for a nation.
    pub async fn open_review(
        &self,
        actor: &Actor,
        registry: &Registry,
        input: &ReviewInput,
    ) -> Result<StoredReview, ServiceError> {
        signed_in(actor)?;
        let nation = known_nation(registry, &input.nation)?;
        let cycle = CycleKind::parse(input.cycle.trim())
            .ok_or_else(|| invalid("cycle", Reason::NotOneOf(input.cycle.trim().into(), "programme, parp")))?;
        year_in_range("year", input.year)?;
        let year =
            i32::try_from(input.year).map_err(|_| invalid("year", Reason::OutOfRange { min: 1994, max: 2200 }))?;
        let stages = Stage::of(cycle, year);
        let stage = if input.stage.trim().is_empty() && stages.len() == 1 {
            stages[0]
        } else {
            Stage::parse(input.stage.trim()).filter(|s| stages.contains(s)).ok_or_else(|| {
                let allowed = stages.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                invalid(
                    "stage",
                    Reason::Inconsistent(format!("the {} cycle of {year} has the stages {allowed}", cycle.as_str())),
                )
            })?
        };
        let deadline = day("deadline", &input.deadline)?;
        let marking = typed_marking(registry, &input.marking, nation)?;
        actor.require(Action::Create, record(&marking, Some(nation), Lifecycle::Draft))?;
        let mut tx = self.db.write().await?;
        // Two openings of one period at once: the second waits, then finds the first.
        tx.lock(LockKey::Assessments(nation.as_str())).await?;
        let programme_code = match cycle {
            CycleKind::Parp => String::new(),
            CycleKind::Programme => {
                let code = input.programme.trim().to_ascii_uppercase();
                let no_programme =
                    || invalid("programme", Reason::Inconsistent(format!("{nation} has no programme `{code}`")));
                let programme = tx.programme(&code, None, false).await?.ok_or_else(no_programme)?;
                let marking = parse_marking(registry, &programme.marking, "programme")?;
                // A programme the caller may not read is answered as one that does not exist.
                let readable =
                    actor.require(Action::Read, record(&marking, Some(nation), Lifecycle::Unmanaged)).is_ok();
                if programme.nation != nation.as_str() || programme.historical || !readable {
                    return Err(no_programme());
                }
                programme.code
            }
        };
        let mut row = StoredReview {
            id: 0,
            nation: nation.to_string(),
            cycle: cycle.as_str().into(),
            programme_code,
            year: input.year,
            stage: stage.as_str().into(),
            version: 1,
            predecessor_id: None,
            status: ReviewStatus::Draft.as_str().into(),
            deadline: deadline.to_string(),
            self_assessment: String::new(),
            staff_assessment: String::new(),
            comments: String::new(),
            marking: marking.to_text(|c| is_framework_of(registry, c)),
            approved_by: String::new(),
            updated_at: String::new(),
            superseded: false,
        };
        if !tx.review_versions(&row).await?.is_empty() {
            return Err(ServiceError::Conflict(Reason::Inconsistent(format!(
                "{nation} already has the {} {} review of {}",
                row.cycle, row.stage, row.year
            ))));
        }
        row.id = tx.insert_review(&row).await?;
        append(
            &mut tx,
            &actor.label,
            "review.open",
            json!({ "id": row.id, "nation": row.nation, "cycle": row.cycle, "programme": row.programme_code,
                    "year": row.year, "stage": row.stage, "deadline": row.deadline }),
        )
        .await?;
        let stored = tx.review(row.id, false).await?.ok_or_else(|| corrupt("review".into()))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// The current versions of the review periods the caller may read, of `nation` and
    /// `year` when given.
    pub async fn list(
        &self,
        actor: &Actor,
        registry: &Registry,
        nation: Option<&str>,
        year: Option<i64>,
    ) -> Result<Vec<StoredReview>, ServiceError> {
        let mut tx = self.db.read().await?;
        let all = tx.reviews(nation, year).await?;
        tx.commit().await?;
        let mut out = Vec::new();
        for review in all {
            let marking = parse_marking(registry, &review.marking, "review")?;
            if actor.require(Action::Read, review_record(&marking, &review)?).is_ok() {
                out.push(review);
            }
        }
        Ok(out)
    }

    /// A review version with its indicators, measurements and the caller's actions.
    pub async fn get(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        today: NaiveDate,
    ) -> Result<ReviewView, ServiceError> {
        let mut tx = self.db.read().await?;
        let not_found = || ServiceError::NotFound { kind: "review", code: id.to_string() };
        let review = tx.review(id, false).await?.ok_or_else(not_found)?;
        let marking = parse_marking(registry, &review.marking, "review")?;
        actor.require(Action::Read, review_record(&marking, &review)?).map_err(|_| not_found())?;
        let versions = tx.review_versions(&review).await?.into_iter().map(|v| (v.id, v.version, v.status)).collect();
        let indicators = self.in_scope(&mut tx, actor, registry, &review).await?;
        let measured = tx.measurements_of_review(review.id).await?;
        tx.commit().await?;
        let indicators = indicators
            .into_iter()
            .map(|(indicator, goal)| {
                let measurement = measured.iter().find(|m| m.indicator_id == indicator.id).cloned();
                MeasuredIndicator { indicator, goal, measurement }
            })
            .collect();
        let actions = self.actions(actor, &marking, &review)?;
        Ok(ReviewView { overdue: is_overdue(&review, today), review, versions, indicators, actions })
    }

    /// What the caller may do with a review version.
    pub fn actions(
        &self,
        actor: &Actor,
        marking: &Marking,
        review: &StoredReview,
    ) -> Result<ReviewActions, ServiceError> {
        let resource = review_record(marking, review)?;
        let allowed = |action| actor.require(action, resource).is_ok();
        let principal = match &actor.caller {
            Caller::User(p) => Some(p),
            Caller::Anonymous => None,
        };
        let writes = |part: ReviewPart| allowed(Action::Update) && principal.is_some_and(|p| part.is_written_by(p));
        let current_approved = review.status == ReviewStatus::Approved.as_str() && !review.superseded;
        Ok(ReviewActions {
            write_self: writes(ReviewPart::SelfAssessment),
            write_staff: writes(ReviewPart::StaffAssessment),
            measure: allowed(Action::Update),
            submit: allowed(Action::Submit),
            decide: allowed(Action::Approve),
            correct: current_approved
                && actor.require(Action::Create, record(marking, nation_of(&review.nation), Lifecycle::Draft)).is_ok(),
        })
    }

    /// The indicators a review covers that the caller may read, with their goal's title: a
    /// programme's review, the indicators of that programme's goals; the PARP's, those of
    /// the nation's PARP goals.
    async fn in_scope(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        registry: &Registry,
        review: &StoredReview,
    ) -> Result<Vec<(StoredIndicator, String)>, ServiceError> {
        let indicators = tx.indicators(Some(&review.nation)).await?;
        let mut out = Vec::new();
        if review.cycle == CycleKind::Parp.as_str() {
            let goals = tx.parp_goals(Some(&review.nation)).await?;
            for indicator in indicators {
                if let Some(goal) = goals.iter().find(|g| Some(g.id) == indicator.parp_goal_id) {
                    out.push((indicator, format!("{} {}", goal.code, goal.title)));
                }
            }
        } else {
            let places = tx.goal_places(Some(&review.nation)).await?;
            for indicator in indicators {
                if let Some(place) = places.iter().find(|p| {
                    Some(p.goal_id) == indicator.programme_goal_id && p.programme_code == review.programme_code
                }) {
                    out.push((indicator, place.goal_title.clone()));
                }
            }
        }
        let mut readable = Vec::with_capacity(out.len());
        for (indicator, goal) in out {
            let marking = parse_marking(registry, &indicator.marking, "indicator")?;
            if actor.require(Action::Read, record(&marking, nation_of(&indicator.nation), Lifecycle::Unmanaged)).is_ok()
            {
                readable.push((indicator, goal));
            }
        }
        Ok(readable)
    }

    /// Opens a write unit on a review version the caller may read, refused unless `action`
    /// is allowed on it in its state (a locked review is a 409 naming its state).
    async fn for_change(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        action: Action,
    ) -> Result<(Tx, StoredReview, Marking), ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "review", code: id.to_string() };
        let mut tx = self.db.write().await?;
        let review = tx.review(id, true).await?.ok_or_else(not_found)?;
        let marking = parse_marking(registry, &review.marking, "review")?;
        actor.require(Action::Read, review_record(&marking, &review)?).map_err(|_| not_found())?;
        actor.require(action, review_record(&marking, &review)?)?;
        Ok((tx, review, marking))
    }

    /// Writes the self-assessment (the partner's officers) or the assessment (the staff).
    pub async fn write_part(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        input: &PartInput,
    ) -> Result<StoredReview, ServiceError> {
        let part = ReviewPart::parse(input.part.trim()).ok_or_else(|| {
            invalid("part", Reason::NotOneOf(input.part.trim().into(), "self_assessment, staff_assessment"))
        })?;
        check_long_text("text", &input.text, 20_000)?;
        let (mut tx, mut review, _) = self.for_change(actor, registry, id, Action::Update).await?;
        let writes = match &actor.caller {
            Caller::User(p) => part.is_written_by(p),
            Caller::Anonymous => false,
        };
        if !writes {
            let by = match part {
                ReviewPart::SelfAssessment => "the partner's officers",
                ReviewPart::StaffAssessment => "the alliance's staff",
            };
            return Err(invalid("part", Reason::NotYourPart(part.as_str().into(), by.into())));
        }
        let text = input.text.trim().to_owned();
        match part {
            ReviewPart::SelfAssessment => review.self_assessment = text,
            ReviewPart::StaffAssessment => review.staff_assessment = text,
        }
        tx.update_review(&review).await?;
        append(
            &mut tx,
            &actor.label,
            "review.write",
            json!({ "id": id, "part": part.as_str(), "characters": review_text_len(&review, part) }),
        )
        .await?;
        let stored = tx.review(id, false).await?.ok_or_else(|| corrupt("review".into()))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Records (or replaces) a measurement of an indicator the review covers.
    pub async fn measure(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        input: &MeasurementInput,
    ) -> Result<StoredMeasurement, ServiceError> {
        let (mut tx, review, _) = self.for_change(actor, registry, id, Action::Update).await?;
        let scope = self.in_scope(&mut tx, actor, registry, &review).await?;
        let indicator = scope.into_iter().map(|(i, _)| i).find(|i| i.id == input.indicator).ok_or_else(|| {
            invalid("indicator", Reason::Inconsistent(format!("review {id} has no indicator {}", input.indicator)))
        })?;
        let definition = definition_of(&indicator)?;
        let date = day("date", &input.date)?;
        definition.check_measurement(date, input.value).map_err(refused)?;
        let judgement = match input.judgement.trim() {
            "" => String::new(),
            text => Judgement::parse(text)
                .ok_or_else(|| {
                    invalid("judgement", Reason::NotOneOf(text.into(), "on_track, at_risk, off_track, achieved"))
                })?
                .as_str()
                .to_owned(),
        };
        check_long_text("note", &input.note, 4_000)?;
        if let Some(document) = input.evidence {
            let stored = tx.document(document).await?;
            if stored.and_then(|d| visible(&actor.caller, registry, d)).is_none() {
                return Err(invalid("evidence", Reason::Inconsistent(format!("no document {document}"))));
            }
        }
        let mut row = StoredMeasurement {
            id: 0,
            review_id: id,
            indicator_id: indicator.id,
            measured_on: date.to_string(),
            value: input.value,
            judgement,
            note: input.note.trim().to_owned(),
            evidence_document_id: input.evidence,
        };
        row.id = tx.upsert_measurement(&row).await?;
        append(
            &mut tx,
            &actor.label,
            "measurement.record",
            json!({ "review": id, "indicator": row.indicator_id, "date": row.measured_on, "value": row.value,
                    "judgement": row.judgement, "evidence": row.evidence_document_id }),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Takes a workflow step: submit (the partner or staff), return with comments or
    /// approve (an approver). Approving locks the review.
    pub async fn step(
        &self,
        actor: &Actor,
        registry: &Registry,
        id: i64,
        input: &ReviewStepInput,
    ) -> Result<StoredReview, ServiceError> {
        let step = ReviewStep::parse(input.step.trim())
            .ok_or_else(|| invalid("step", Reason::NotOneOf(input.step.trim().into(), "submit, return, approve")))?;
        let action = if step == ReviewStep::Submit { Action::Submit } else { Action::Approve };
        let (mut tx, mut review, _) = self.for_change(actor, registry, id, action).await?;
        let status = status_of(&review)?;
        let next = status
            .after(step)
            .ok_or_else(|| ServiceError::Conflict(Reason::ReviewStep(status.as_str().into(), step.as_str().into())))?;
        let comments = input.comments.trim();
        check_long_text("comments", comments, 4_000)?;
        if step == ReviewStep::Return && comments.is_empty() {
            return Err(invalid("comments", Reason::Required));
        }
        if step != ReviewStep::Submit {
            review.comments = comments.to_owned();
        }
        if step == ReviewStep::Approve {
            review.approved_by = actor.label.clone();
        }
        review.status = next.as_str().into();
        tx.update_review(&review).await?;
        append(
            &mut tx,
            &actor.label,
            "review.step",
            json!({ "id": id, "step": step.as_str(), "from": status.as_str(), "to": next.as_str(), "comments": comments }),
        )
        .await?;
        let stored = tx.review(id, false).await?.ok_or_else(|| corrupt("review".into()))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Corrects an approved review: a new draft version with the old one's texts and
    /// measurements; the approved version is kept, locked, and marked superseded.
    pub async fn correct(&self, actor: &Actor, registry: &Registry, id: i64) -> Result<StoredReview, ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "review", code: id.to_string() };
        let mut tx = self.db.write().await?;
        let mut old = tx.review(id, true).await?.ok_or_else(not_found)?;
        let marking = parse_marking(registry, &old.marking, "review")?;
        actor.require(Action::Read, review_record(&marking, &old)?).map_err(|_| not_found())?;
        actor.require(Action::Create, record(&marking, nation_of(&old.nation), Lifecycle::Draft))?;
        if old.status != ReviewStatus::Approved.as_str() || old.superseded {
            return Err(ServiceError::Conflict(Reason::NotCorrectable));
        }
        // A correction gets a month from today if the old deadline has passed.
        let today = tx.now().date_naive();
        let month_on = (today + chrono::Duration::days(30)).to_string();
        let deadline = if old.deadline < today.to_string() { month_on } else { old.deadline.clone() };
        let mut new = StoredReview {
            id: 0,
            deadline,
            version: old.version + 1,
            predecessor_id: Some(old.id),
            status: ReviewStatus::Draft.as_str().into(),
            comments: String::new(),
            approved_by: String::new(),
            ..old.clone()
        };
        new.id = tx.insert_review(&new).await?;
        tx.copy_measurements(old.id, new.id).await?;
        old.superseded = true;
        tx.update_review(&old).await?;
        append(
            &mut tx,
            &actor.label,
            "review.correct",
            json!({ "id": new.id, "corrects": old.id, "version": new.version, "nation": new.nation,
                    "year": new.year, "stage": new.stage }),
        )
        .await?;
        let stored = tx.review(new.id, false).await?.ok_or_else(|| corrupt("review".into()))?;
        tx.commit().await?;
        Ok(stored)
    }
}

fn review_text_len(review: &StoredReview, part: ReviewPart) -> usize {
    match part {
        ReviewPart::SelfAssessment => review.self_assessment.chars().count(),
        ReviewPart::StaffAssessment => review.staff_assessment.chars().count(),
    }
}

/// The year of a day, as stored years are.
pub fn year_of(day: NaiveDate) -> i64 {
    i64::from(day.year())
}
