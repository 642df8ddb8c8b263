//! Assessments: PARP goals, indicators, review periods and their versions, measurements,
//! and units declared to the pool of forces with their evaluation steps.

use super::{StoreError, Tx, with_tx};

/// A partnership goal of the Planning and Review Process.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredParpGoal {
    /// Row id.
    pub id: i64,
    /// The partner.
    pub nation: String,
    /// The even year it was agreed in.
    pub round_year: i64,
    /// Code, such as `PG-GE-2026-03`.
    pub code: String,
    /// Title.
    pub title: String,
    /// Marking.
    pub marking: String,
}

/// An indicator as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredIndicator {
    /// Row id.
    pub id: i64,
    /// The nation whose progress it measures.
    pub nation: String,
    /// The programme goal it belongs to.
    pub programme_goal_id: Option<i64>,
    /// The PARP goal it belongs to.
    pub parp_goal_id: Option<i64>,
    /// Title.
    pub title: String,
    /// Unit of its values.
    pub unit: String,
    /// Direction's code.
    pub direction: String,
    /// Baseline value.
    pub baseline: f64,
    /// Baseline day.
    pub baseline_date: String,
    /// Target value.
    pub target: f64,
    /// Target day.
    pub target_date: String,
    /// Marking.
    pub marking: String,
}

/// A review period (one version of it) as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredReview {
    /// Row id.
    pub id: i64,
    /// The partner.
    pub nation: String,
    /// `programme` or `parp`.
    pub cycle: String,
    /// The programme reviewed; empty for the PARP.
    pub programme_code: String,
    /// Year.
    pub year: i64,
    /// Stage's code.
    pub stage: String,
    /// Version, from 1.
    pub version: i64,
    /// The approved version it corrects.
    pub predecessor_id: Option<i64>,
    /// Status's code.
    pub status: String,
    /// Deadline day.
    pub deadline: String,
    /// The partner's self-assessment.
    pub self_assessment: String,
    /// The staff's assessment.
    pub staff_assessment: String,
    /// The approver's comments when returning it.
    pub comments: String,
    /// Marking.
    pub marking: String,
    /// Who approved it.
    pub approved_by: String,
    /// Last change.
    pub updated_at: String,
    /// A correction of it exists.
    pub superseded: bool,
}

/// A measurement as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredMeasurement {
    /// Row id.
    pub id: i64,
    /// The review version it was recorded in.
    pub review_id: i64,
    /// The indicator.
    pub indicator_id: i64,
    /// Day measured.
    pub measured_on: String,
    /// Value.
    pub value: f64,
    /// Judgement's code, or empty.
    pub judgement: String,
    /// Note.
    pub note: String,
    /// Evidence: a document's id.
    pub evidence_document_id: Option<i64>,
}

/// A measurement as a roll-up reads it: with its indicator, and its review's year,
/// nation and marking (whoever may not read the review does not count its figures).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MeasuredValue {
    /// The indicator.
    pub indicator_id: i64,
    /// The review's year.
    pub year: i64,
    /// The review's nation.
    pub nation: String,
    /// The review's marking.
    pub marking: String,
    /// Day measured.
    pub measured_on: String,
    /// Value.
    pub value: f64,
    /// Judgement's code, or empty.
    pub judgement: String,
}

/// A programme goal with where it sits, as a roll-up reads it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GoalPlace {
    /// The goal.
    pub goal_id: i64,
    /// Its title.
    pub goal_title: String,
    /// Its objective.
    pub objective_id: i64,
    /// The objective's title.
    pub objective_title: String,
    /// The programme's code.
    pub programme_code: String,
    /// The programme's title.
    pub programme_title: String,
    /// The programme's status.
    pub programme_status: String,
    /// The programme's marking.
    pub programme_marking: String,
    /// The partner.
    pub nation: String,
}

/// A unit declared to the pool of forces.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredUnit {
    /// Row id.
    pub id: i64,
    /// The declaring nation.
    pub nation: String,
    /// Name.
    pub name: String,
    /// Type (infantry company, engineer platoon, ...).
    pub unit_type: String,
    /// Personnel.
    pub size: i64,
    /// Day declared.
    pub declared_on: String,
    /// Marking.
    pub marking: String,
}

/// An evaluation step as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredStep {
    /// Row id.
    pub id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Step's code.
    pub step: String,
    /// Day it ended.
    pub taken_on: String,
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

const INDICATOR: &str = "select id, nation, programme_goal_id, parp_goal_id, title, unit, direction, baseline, \
     baseline_date, target, target_date, marking from indicators";
const REVIEW: &str = "select id, nation, cycle, programme_code, year, stage, version, predecessor_id, status, \
     deadline, self_assessment, staff_assessment, comments, marking, approved_by, updated_at, superseded from reviews";
const MEASUREMENT: &str =
    "select id, review_id, indicator_id, measured_on, value, judgement, note, evidence_document_id from measurements";
const UNIT: &str = "select id, nation, name, unit_type, size, declared_on, marking from force_units";
const STEP: &str =
    "select id, unit_id, step, taken_on, passed, evaluator, areas, tasks_passed, tasks_total from evaluation_steps";

impl Tx {
    /// Stores a PARP goal; returns its id.
    pub async fn insert_parp_goal(&mut self, row: &StoredParpGoal) -> Result<i64, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into parp_goals (nation, round_year, code, title, marking) values ($1, $2, $3, $4, $5) returning id")
            .bind(&row.nation).bind(row.round_year).bind(&row.code).bind(&row.title).bind(&row.marking)
            .fetch_one(conn).await?))
    }

    /// The PARP goals of `nation` (or every nation's), by nation and code.
    pub async fn parp_goals(&mut self, nation: Option<&str>) -> Result<Vec<StoredParpGoal>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select id, nation, round_year, code, title, marking from parp_goals where ($1 is null or nation = $1) \
             order by nation, code")
            .bind(nation).fetch_all(conn).await?))
    }

    /// One PARP goal.
    pub async fn parp_goal(&mut self, id: i64) -> Result<Option<StoredParpGoal>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select id, nation, round_year, code, title, marking from parp_goals where id = $1")
            .bind(id).fetch_optional(conn).await?))
    }

    /// Stores an indicator; returns its id.
    pub async fn insert_indicator(&mut self, row: &StoredIndicator) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into indicators (nation, programme_goal_id, parp_goal_id, title, unit, direction, baseline, \
             baseline_date, target, target_date, marking, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id")
            .bind(&row.nation).bind(row.programme_goal_id).bind(row.parp_goal_id).bind(&row.title).bind(&row.unit)
            .bind(&row.direction).bind(row.baseline).bind(&row.baseline_date).bind(row.target)
            .bind(&row.target_date).bind(&row.marking).bind(now)
            .fetch_one(conn).await?))
    }

    /// Moves the indicators of a programme goal to the goal that replaces it in a new version.
    pub async fn move_indicators(&mut self, from_goal: i64, to_goal: i64) -> Result<(), StoreError> {
        with_tx!(self, conn => {
            sqlx::query("update indicators set programme_goal_id = $1 where programme_goal_id = $2")
                .bind(to_goal).bind(from_goal).execute(conn).await?;
            Ok(())
        })
    }

    /// One indicator.
    pub async fn indicator(&mut self, id: i64) -> Result<Option<StoredIndicator>, StoreError> {
        let sql = format!("{INDICATOR} where id = $1");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?))
    }

    /// The indicators of `nation` (or every nation's), by id.
    pub async fn indicators(&mut self, nation: Option<&str>) -> Result<Vec<StoredIndicator>, StoreError> {
        let sql = format!("{INDICATOR} where ($1 is null or nation = $1) order by id");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(nation).fetch_all(conn).await?))
    }

    /// The goals of the latest version of every programme that is not historical, of
    /// `nation` (or every nation's), with their objective and programme.
    pub async fn goal_places(&mut self, nation: Option<&str>) -> Result<Vec<GoalPlace>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select g.id as goal_id, g.title as goal_title, o.id as objective_id, o.title as objective_title, \
             p.code as programme_code, p.title as programme_title, p.status as programme_status, \
             p.marking as programme_marking, p.nation \
             from programme_goals g join programme_objectives o on o.id = g.objective_id \
             join programmes p on p.id = o.programme_id \
             where not p.historical and ($1 is null or p.nation = $1) \
             and p.version = (select max(version) from programmes q where q.code = p.code) \
             order by p.nation, p.code, o.position, g.position")
            .bind(nation).fetch_all(conn).await?))
    }

    /// One programme goal with where it sits (whatever the programme's version).
    pub async fn goal_place(&mut self, goal_id: i64) -> Result<Option<GoalPlace>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select g.id as goal_id, g.title as goal_title, o.id as objective_id, o.title as objective_title, \
             p.code as programme_code, p.title as programme_title, p.status as programme_status, \
             p.marking as programme_marking, p.nation \
             from programme_goals g join programme_objectives o on o.id = g.objective_id \
             join programmes p on p.id = o.programme_id where g.id = $1")
            .bind(goal_id).fetch_optional(conn).await?))
    }

    /// Stores a review version; returns its id.
    pub async fn insert_review(&mut self, row: &StoredReview) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into reviews (nation, cycle, programme_code, year, stage, version, predecessor_id, status, \
             deadline, self_assessment, staff_assessment, comments, marking, approved_by, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) returning id")
            .bind(&row.nation).bind(&row.cycle).bind(&row.programme_code).bind(row.year).bind(&row.stage)
            .bind(row.version).bind(row.predecessor_id).bind(&row.status).bind(&row.deadline)
            .bind(&row.self_assessment).bind(&row.staff_assessment).bind(&row.comments).bind(&row.marking)
            .bind(&row.approved_by).bind(now)
            .fetch_one(conn).await?))
    }

    /// One review version, locked until the unit ends when `lock`.
    pub async fn review(&mut self, id: i64, lock: bool) -> Result<Option<StoredReview>, StoreError> {
        let sql = format!("{REVIEW} where id = $1{}", if lock { self.for_update() } else { "" });
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?))
    }

    /// The review versions of a period (nation, cycle, programme, year, stage), oldest first.
    pub async fn review_versions(&mut self, review: &StoredReview) -> Result<Vec<StoredReview>, StoreError> {
        let sql = format!(
            "{REVIEW} where nation = $1 and cycle = $2 and programme_code = $3 and year = $4 and stage = $5 \
             order by version"
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(&review.nation).bind(&review.cycle)
            .bind(&review.programme_code).bind(review.year).bind(&review.stage).fetch_all(conn).await?))
    }

    /// The current version of every review period, of `nation` and `year` when given,
    /// by deadline.
    pub async fn reviews(&mut self, nation: Option<&str>, year: Option<i64>) -> Result<Vec<StoredReview>, StoreError> {
        let sql = format!(
            "{REVIEW} where not superseded and ($1 is null or nation = $1) and ($2 is null or year = $2) \
             order by deadline, nation, id"
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(nation).bind(year).fetch_all(conn).await?))
    }

    /// Changes a review version's text and status.
    pub async fn update_review(&mut self, row: &StoredReview) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("update reviews set status = $1, self_assessment = $2, staff_assessment = $3, comments = $4, \
                         approved_by = $5, deadline = $6, superseded = $7, updated_at = $8 where id = $9")
                .bind(&row.status).bind(&row.self_assessment).bind(&row.staff_assessment).bind(&row.comments)
                .bind(&row.approved_by).bind(&row.deadline).bind(row.superseded).bind(now).bind(row.id)
                .execute(conn).await?;
            Ok(())
        })
    }

    /// Records a measurement in a review version, replacing the one of the same indicator.
    pub async fn upsert_measurement(&mut self, row: &StoredMeasurement) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into measurements (review_id, indicator_id, measured_on, value, judgement, note, \
             evidence_document_id, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8) \
             on conflict (review_id, indicator_id) do update set measured_on = excluded.measured_on, \
             value = excluded.value, judgement = excluded.judgement, note = excluded.note, \
             evidence_document_id = excluded.evidence_document_id, recorded_at = excluded.recorded_at returning id")
            .bind(row.review_id).bind(row.indicator_id).bind(&row.measured_on).bind(row.value).bind(&row.judgement)
            .bind(&row.note).bind(row.evidence_document_id).bind(now)
            .fetch_one(conn).await?))
    }

    /// The measurements of a review version, by indicator.
    pub async fn measurements_of_review(&mut self, review_id: i64) -> Result<Vec<StoredMeasurement>, StoreError> {
        let sql = format!("{MEASUREMENT} where review_id = $1 order by indicator_id");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(review_id).fetch_all(conn).await?))
    }

    /// Copies a review version's measurements into another (a correction starts from them).
    pub async fn copy_measurements(&mut self, from: i64, to: i64) -> Result<(), StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => {
            sqlx::query("insert into measurements (review_id, indicator_id, measured_on, value, judgement, note, \
                         evidence_document_id, recorded_at) select $1, indicator_id, measured_on, value, judgement, \
                         note, evidence_document_id, $2 from measurements where review_id = $3")
                .bind(to).bind(now).bind(from).execute(conn).await?;
            Ok(())
        })
    }

    /// The measurements of current review versions dated up to `last_day`, of `nation` (or
    /// every nation's), by indicator then day.
    pub async fn measured_values(
        &mut self,
        nation: Option<&str>,
        last_day: &str,
    ) -> Result<Vec<MeasuredValue>, StoreError> {
        with_tx!(self, conn => Ok(sqlx::query_as(
            "select m.indicator_id, r.year, r.nation, r.marking, m.measured_on, m.value, m.judgement \
             from measurements m join reviews r on r.id = m.review_id where not r.superseded \
             and m.measured_on <= $2 and ($1 is null or r.nation = $1) order by m.indicator_id, m.measured_on, r.year")
            .bind(nation).bind(last_day).fetch_all(conn).await?))
    }

    /// Declares a unit; returns its id.
    pub async fn insert_unit(&mut self, row: &StoredUnit) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into force_units (nation, name, unit_type, size, declared_on, marking, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7) returning id")
            .bind(&row.nation).bind(&row.name).bind(&row.unit_type).bind(row.size).bind(&row.declared_on)
            .bind(&row.marking).bind(now).fetch_one(conn).await?))
    }

    /// One unit, locked until the unit of work ends when `lock`.
    pub async fn unit(&mut self, id: i64, lock: bool) -> Result<Option<StoredUnit>, StoreError> {
        let sql = format!("{UNIT} where id = $1{}", if lock { self.for_update() } else { "" });
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(id).fetch_optional(conn).await?))
    }

    /// The units of `nation` (or every nation's), by nation and id.
    pub async fn units(&mut self, nation: Option<&str>) -> Result<Vec<StoredUnit>, StoreError> {
        let sql = format!("{UNIT} where ($1 is null or nation = $1) order by nation, id");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(nation).fetch_all(conn).await?))
    }

    /// Records an evaluation step; returns its id.
    pub async fn insert_step(&mut self, row: &StoredStep) -> Result<i64, StoreError> {
        let now = self.now_text();
        with_tx!(self, conn => Ok(sqlx::query_scalar(
            "insert into evaluation_steps (unit_id, step, taken_on, passed, evaluator, areas, tasks_passed, \
             tasks_total, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id")
            .bind(row.unit_id).bind(&row.step).bind(&row.taken_on).bind(row.passed).bind(&row.evaluator)
            .bind(&row.areas).bind(row.tasks_passed).bind(row.tasks_total).bind(now).fetch_one(conn).await?))
    }

    /// The steps of every unit of `nation` (or every nation's), by unit then order taken.
    pub async fn steps(&mut self, nation: Option<&str>) -> Result<Vec<StoredStep>, StoreError> {
        let sql = format!(
            "{STEP} where unit_id in (select id from force_units where $1 is null or nation = $1) order by unit_id, id"
        );
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(nation).fetch_all(conn).await?))
    }

    /// The steps of one unit, in the order taken.
    pub async fn steps_of_unit(&mut self, unit_id: i64) -> Result<Vec<StoredStep>, StoreError> {
        let sql = format!("{STEP} where unit_id = $1 order by id");
        with_tx!(self, conn => Ok(sqlx::query_as(&sql).bind(unit_id).fetch_all(conn).await?))
    }
}
