//! Force evaluations: units a nation declares to the pool of forces, their evaluation
//! steps (the nation's self-evaluations, NATO's evaluations), certification and its
//! expiry, and the units due for revalidation.

use chrono::NaiveDate;
use entente_core::force_evaluation::{self, EvaluationStep, StepRefused, Taken};
use entente_core::{Action, Marking, NationCode, Registry, Resource};
use serde_json::json;

use super::accounts::Actor;
use super::assessments::parse_marking;
use super::council::append;
use super::documents::{check_long_text, check_text, invalid, is_framework_of};
use super::menu::nation_field;
use super::programmes::day;
use super::{Db, Reason, ServiceError};
use crate::store::assessments::{StoredStep, StoredUnit};

/// A unit as declared.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct UnitInput {
    /// The declaring nation.
    pub nation: String,
    /// Name.
    pub name: String,
    /// Type (infantry company, engineer platoon, ...).
    pub unit_type: String,
    /// Personnel.
    pub size: i64,
    /// Day declared, YYYY-MM-DD.
    pub declared_on: String,
    /// Marking (default `UNCLASSIFIED REL TO` the nation).
    pub marking: String,
}

/// An evaluation step as recorded.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StepInput {
    /// `SEL1`, `NEL1`, `SEL2`, `NEL2` or `REVAL`.
    pub step: String,
    /// Day it ended, YYYY-MM-DD.
    pub date: String,
    /// Whether the unit passed.
    pub passed: bool,
    /// Evaluator (team or officer).
    pub evaluator: String,
    /// Results by area, one "area: result" per line.
    pub areas: String,
    /// Tasks passed.
    pub tasks_passed: i64,
    /// Tasks evaluated.
    pub tasks_total: i64,
}

/// A unit with its steps and where it stands.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct UnitView {
    /// Its number.
    pub id: i64,
    /// The declaring nation.
    pub nation: String,
    /// Name.
    pub name: String,
    /// Type.
    pub unit_type: String,
    /// Personnel.
    pub size: i64,
    /// Day declared.
    pub declared_on: String,
    /// Marking.
    pub marking: String,
    /// The last step passed, or null.
    pub passed: Option<String>,
    /// Certified on, or null.
    pub certified_on: Option<String>,
    /// Certification's expiry, or null.
    pub expires_on: Option<String>,
    /// Due for revalidation (lapsed or lapsing within six months).
    pub due_for_revalidation: bool,
    /// Steps in the order taken.
    pub steps: Vec<StepView>,
}

/// A step as shown.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StepView {
    /// `SEL1` ... `REVAL`.
    pub step: String,
    /// Day.
    pub date: String,
    /// Passed.
    pub passed: bool,
    /// Evaluator.
    pub evaluator: String,
    /// Results by area.
    pub areas: String,
    /// Tasks passed.
    pub tasks_passed: i64,
    /// Tasks evaluated.
    pub tasks_total: i64,
}

/// Force evaluations.
#[derive(Debug, Clone)]
pub struct ForceService {
    db: Db,
}

fn resource(marking: &Marking, nation: NationCode, by_nato: bool) -> Resource<'_> {
    Resource::Evaluation { nation: Some(nation), marking, by_nato }
}

fn taken_of(steps: &[StoredStep]) -> Result<Vec<Taken>, ServiceError> {
    steps
        .iter()
        .map(|s| {
            let bad = || ServiceError::Corrupt(format!("evaluation step {}", s.id));
            Ok(Taken {
                step: EvaluationStep::parse(&s.step).ok_or_else(bad)?,
                date: s.taken_on.parse().map_err(|_| bad())?,
                passed: s.passed,
            })
        })
        .collect()
}

fn view(unit: StoredUnit, steps: &[StoredStep], today: NaiveDate) -> Result<UnitView, ServiceError> {
    let standing = force_evaluation::standing(&taken_of(steps)?);
    Ok(UnitView {
        id: unit.id,
        nation: unit.nation,
        name: unit.name,
        unit_type: unit.unit_type,
        size: unit.size,
        declared_on: unit.declared_on,
        marking: unit.marking,
        passed: standing.passed.map(|s| s.as_str().to_owned()),
        certified_on: standing.certified_on.map(|d| d.to_string()),
        expires_on: standing.expires_on.map(|d| d.to_string()),
        due_for_revalidation: standing.expires_on.is_some_and(|e| force_evaluation::due_for_revalidation(e, today)),
        steps: steps
            .iter()
            .map(|s| StepView {
                step: s.step.clone(),
                date: s.taken_on.clone(),
                passed: s.passed,
                evaluator: s.evaluator.clone(),
                areas: s.areas.clone(),
                tasks_passed: s.tasks_passed,
                tasks_total: s.tasks_total,
            })
            .collect(),
    })
}

fn step_refused(e: StepRefused) -> ServiceError {
    let field = e.field();
    let reason = match e {
        StepRefused::OutOfOrder { step, needs } => Reason::StepOutOfOrder(step.into(), needs.into()),
        StepRefused::BeforePrevious { date, before } => {
            Reason::StepBeforePrevious(date.to_string(), before.to_string())
        }
        StepRefused::NotCertified => Reason::NotCertified,
    };
    invalid(field, reason)
}

impl ForceService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Declares a unit to the pool of forces.
    pub async fn declare(
        &self,
        actor: &Actor,
        registry: &Registry,
        input: &UnitInput,
        today: NaiveDate,
    ) -> Result<UnitView, ServiceError> {
        super::assessments::signed_in(actor)?;
        let nation = nation_field(registry, "nation", &input.nation)?;
        for (field, value, max) in [("name", &input.name, 200), ("unit_type", &input.unit_type, 100)] {
            if value.trim().is_empty() {
                return Err(invalid(field, Reason::Required));
            }
            check_text(field, value.trim(), max)?;
        }
        if !(1..=100_000).contains(&input.size) {
            return Err(invalid("size", Reason::OutOfRange { min: 1, max: 100_000 }));
        }
        let declared = day("declared_on", &input.declared_on)?;
        let default = format!("UNCLASSIFIED REL TO {nation}");
        let marking_text = if input.marking.trim().is_empty() { default.as_str() } else { input.marking.trim() };
        let marking = Marking::parse(marking_text, |c| is_framework_of(registry, c))
            .map_err(|e| invalid("marking", Reason::Marking(e)))?;
        actor.require(Action::Create, resource(&marking, nation, false))?;
        let mut tx = self.db.write().await?;
        let mut row = StoredUnit {
            id: 0,
            nation: nation.to_string(),
            name: input.name.trim().to_owned(),
            unit_type: input.unit_type.trim().to_owned(),
            size: input.size,
            declared_on: declared.to_string(),
            marking: marking.to_text(|c| is_framework_of(registry, c)),
        };
        row.id = tx.insert_unit(&row).await?;
        append(&mut tx, &actor.label, "unit.declare", json!({ "id": row.id, "nation": row.nation, "name": row.name }))
            .await?;
        tx.commit().await?;
        view(row, &[], today)
    }

    /// Records an evaluation step: the nation's self-evaluations, NATO's evaluations (staff
    /// only), in order; a passed NEL2 certifies the unit for three years.
    pub async fn record_step(
        &self,
        actor: &Actor,
        registry: &Registry,
        unit_id: i64,
        input: &StepInput,
        today: NaiveDate,
    ) -> Result<UnitView, ServiceError> {
        let step = EvaluationStep::parse(input.step.trim().to_ascii_uppercase().as_str()).ok_or_else(|| {
            invalid("step", Reason::NotOneOf(input.step.trim().into(), "SEL1, NEL1, SEL2, NEL2, REVAL"))
        })?;
        let date = day("date", &input.date)?;
        if input.evaluator.trim().is_empty() {
            return Err(invalid("evaluator", Reason::Required));
        }
        check_text("evaluator", input.evaluator.trim(), 200)?;
        check_long_text("areas", &input.areas, 4_000)?;
        if input.tasks_passed < 0 || input.tasks_total < input.tasks_passed || input.tasks_total > 10_000 {
            return Err(invalid(
                "tasks_passed",
                Reason::OutOfRange { min: 0, max: input.tasks_total.clamp(0, 10_000) },
            ));
        }
        let not_found = || ServiceError::NotFound { kind: "unit", code: unit_id.to_string() };
        let mut tx = self.db.write().await?;
        let unit = tx.unit(unit_id, true).await?.ok_or_else(not_found)?;
        let marking = parse_marking(registry, &unit.marking, "unit")?;
        let nation: NationCode = unit.nation.parse().map_err(|_| ServiceError::Corrupt("unit nation".into()))?;
        actor.require(Action::Read, resource(&marking, nation, false)).map_err(|_| not_found())?;
        actor.require(Action::Update, resource(&marking, nation, step.by_nato()))?;
        let steps = tx.steps_of_unit(unit_id).await?;
        let declared: NaiveDate = unit.declared_on.parse().map_err(|_| ServiceError::Corrupt("unit day".into()))?;
        let next = Taken { step, date, passed: input.passed };
        force_evaluation::check_step(declared, &taken_of(&steps)?, next).map_err(step_refused)?;
        let row = StoredStep {
            id: 0,
            unit_id,
            step: step.as_str().into(),
            taken_on: date.to_string(),
            passed: input.passed,
            evaluator: input.evaluator.trim().into(),
            areas: input.areas.trim().into(),
            tasks_passed: input.tasks_passed,
            tasks_total: input.tasks_total,
        };
        tx.insert_step(&row).await?;
        append(
            &mut tx,
            &actor.label,
            "unit.step",
            json!({ "unit": unit_id, "step": row.step, "date": row.taken_on, "passed": row.passed,
                    "tasks": format!("{}/{}", row.tasks_passed, row.tasks_total) }),
        )
        .await?;
        let steps = tx.steps_of_unit(unit_id).await?;
        tx.commit().await?;
        view(unit, &steps, today)
    }

    /// The units the caller may read, of `nation` when given, with where they stand.
    pub async fn list(
        &self,
        actor: &Actor,
        registry: &Registry,
        nation: Option<&str>,
        today: NaiveDate,
    ) -> Result<Vec<UnitView>, ServiceError> {
        let mut tx = self.db.read().await?;
        let units = tx.units(nation).await?;
        let steps = tx.steps(nation).await?;
        tx.commit().await?;
        let mut out = Vec::new();
        for unit in units {
            let marking = parse_marking(registry, &unit.marking, "unit")?;
            let Ok(code) = unit.nation.parse::<NationCode>() else { continue };
            if actor.require(Action::Read, resource(&marking, code, false)).is_err() {
                continue;
            }
            let own: Vec<StoredStep> = steps.iter().filter(|s| s.unit_id == unit.id).cloned().collect();
            out.push(view(unit, &own, today)?);
        }
        Ok(out)
    }

    /// Whether the caller may declare a unit for `nation` (or, with none, any nation).
    pub fn may_declare(&self, actor: &Actor, nation: Option<NationCode>) -> bool {
        let marking = Marking::public();
        match nation {
            Some(n) => actor.require(Action::Create, resource(&marking, n, false)).is_ok(),
            None => actor
                .require(Action::Create, Resource::Evaluation { nation: None, marking: &marking, by_nato: true })
                .is_ok(),
        }
    }
}
