//! `entente demo assessments`: a generated, clearly labelled set of assessments for every
//! partner, from a seed (the same seed gives the same set): a demo programme in execution
//! with 5 objectives, 20 goals and 60 indicators; two PARP goals with an indicator each;
//! five years of annual reviews (the past ones approved and locked, this year's a draft,
//! some of them late) with measurements, a few missing; and units declared to the pool of
//! forces at various steps, some certifications due for revalidation. Written in one
//! transaction with one audit event; nations that already have their demo set are left
//! as they are.

use chrono::{Datelike, NaiveDate};
use entente_core::assessment::{Direction, ReviewStatus};
use entente_core::{Action, Marking, Registry, Resource, Standing};
use serde_json::json;

use super::accounts::Actor;
use super::council::append;
use super::demo_menu::Seeded;
use super::{Db, ServiceError};
use crate::store::Tx;
use crate::store::assessments::{
    StoredIndicator, StoredMeasurement, StoredParpGoal, StoredReview, StoredStep, StoredUnit,
};
use crate::store::programmes::ProgrammeRow;

/// What a demo load added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct DemoSummary {
    /// Nations given a demo set.
    pub nations: usize,
    /// Programmes.
    pub programmes: usize,
    /// Goals (programme and PARP).
    pub goals: usize,
    /// Indicators.
    pub indicators: usize,
    /// Reviews.
    pub reviews: usize,
    /// Measurements.
    pub measurements: usize,
    /// Units declared.
    pub units: usize,
}

const OBJECTIVES: [&str; 5] = [
    "Democratic control of the armed forces",
    "Defence planning and budgeting",
    "Interoperability with allied forces",
    "Cyber defence and resilience",
    "Professional military education",
];
const GOAL_WORDS: [&str; 4] =
    ["legal framework", "institutions and staff", "training and exercises", "equipment and standards"];
const YEARS: i32 = 5;

impl Seeded {
    /// A number from `low` to `high`.
    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * (self.next() % 10_000) as f64 / 10_000.0
    }
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// Adds the demo set to every partner of `today` that has none; returns what was added.
pub async fn load(db: &Db, actor: &Actor, registry: &Registry, seed: u64) -> Result<DemoSummary, ServiceError> {
    // Demonstration data is the alliance staff's to load.
    let marking = Marking::public();
    actor.require(Action::Create, Resource::Evaluation { nation: None, marking: &marking, by_nato: true })?;
    let today = db.clock().today();
    let mut rng = Seeded(seed);
    let mut tx = db.write().await?;
    let mut summary = DemoSummary::default();
    let partners: Vec<String> = registry
        .statuses_at(today)
        .into_iter()
        .filter(|s| s.status == Standing::Partner)
        .map(|s| s.nation.to_string())
        .collect();
    for nation in &partners {
        if tx.programme(&format!("DEMO-{nation}-ITPP"), None, false).await?.is_some() {
            continue;
        }
        add_nation(&mut tx, &mut rng, nation, today, &mut summary).await?;
    }
    if summary.nations > 0 {
        append(&mut tx, &actor.label, "demo.assessments", json!({ "seed": seed, "added": summary })).await?;
    }
    tx.commit().await?;
    Ok(summary)
}

async fn add_nation(
    tx: &mut Tx,
    rng: &mut Seeded,
    nation: &str,
    today: NaiveDate,
    summary: &mut DemoSummary,
) -> Result<(), ServiceError> {
    let year = today.year();
    let first = year - (YEARS - 1);
    let marking = format!("UNCLASSIFIED REL TO {nation}");
    let code = format!("DEMO-{nation}-ITPP");
    let programme = tx
        .insert_programme(&ProgrammeRow {
            code: code.clone(),
            version: 1,
            nation: nation.to_owned(),
            kind: "itpp".into(),
            title: format!("{nation}: tailored partnership programme (demo, generated)"),
            starts: day(first, 1, 1).to_string(),
            ends: day(year + 1, 12, 31).to_string(),
            status: "in_execution".into(),
            marking: marking.clone(),
            predecessor_id: None,
            historical: false,
            note: "Generated for demonstration by `entente demo assessments`; not real data.".into(),
            source: String::new(),
        })
        .await?;
    summary.nations += 1;
    summary.programmes += 1;
    // How fast this nation moves: some lag, some lead.
    let pace = rng.between(0.35, 1.25);
    let baseline_date = day(first, 1, 1);
    let target_date = day(year + 1, 12, 31);
    let mut indicators: Vec<(StoredIndicator, f64)> = Vec::new();
    for objective_title in OBJECTIVES {
        let objective = tx.insert_objective(programme, &format!("{objective_title} (demo)")).await?;
        for words in GOAL_WORDS {
            let goal = tx.insert_goal(objective, &format!("{objective_title}: {words}")).await?;
            summary.goals += 1;
            for n in 1..=3 {
                let indicator = demo_indicator(rng, nation, &marking, baseline_date, target_date, words, n);
                let id = tx
                    .insert_indicator(&StoredIndicator { programme_goal_id: Some(goal), ..indicator.clone() })
                    .await?;
                indicators.push((
                    StoredIndicator { id, programme_goal_id: Some(goal), ..indicator },
                    pace * rng.between(0.7, 1.3),
                ));
                summary.indicators += 1;
            }
        }
    }
    let round = year - year.rem_euclid(2);
    let mut parp_indicators = Vec::new();
    for (n, title) in [(1, "Deployable forces declared to the pool"), (2, "Defence budget planning to NATO standards")]
    {
        let goal = StoredParpGoal {
            id: 0,
            nation: nation.to_owned(),
            round_year: i64::from(round),
            code: format!("DEMO-PG-{nation}-{n}"),
            title: format!("{title} (demo)"),
            marking: marking.clone(),
        };
        let goal_id = tx.insert_parp_goal(&goal).await?;
        summary.goals += 1;
        let indicator = demo_indicator(rng, nation, &marking, baseline_date, target_date, "PARP", n);
        let id = tx.insert_indicator(&StoredIndicator { parp_goal_id: Some(goal_id), ..indicator.clone() }).await?;
        parp_indicators.push((StoredIndicator { id, parp_goal_id: Some(goal_id), ..indicator }, pace));
        summary.indicators += 1;
    }
    let late = rng.below(5) == 0;
    for (t, y) in (first..=year).enumerate() {
        let current = y == year;
        let status = if current { ReviewStatus::Draft } else { ReviewStatus::Approved };
        let deadline = if current && late { day(y, 11, 1) } else { day(y, 12, 15) };
        let review = demo_review(nation, "programme", &code, y, "annual", status, deadline, &marking);
        let review_id = tx.insert_review(&review).await?;
        summary.reviews += 1;
        let measured_on = if current { today.min(day(y, 11, 15)).max(baseline_date) } else { day(y, 11, 30) };
        let elapsed = (t + 1) as f64 / f64::from(YEARS + 1);
        for (indicator, speed) in &indicators {
            // About one measurement in nine is missing: shown as missing, not as zero.
            if rng.below(9) == 0 {
                continue;
            }
            let share = (speed * elapsed + rng.between(-0.08, 0.08)).clamp(0.0, 1.0);
            tx.upsert_measurement(&demo_measurement(review_id, indicator, measured_on, share)).await?;
            summary.measurements += 1;
        }
        if current {
            let parp = demo_review(
                nation,
                "parp",
                "",
                y,
                if y % 2 == 0 { "goals" } else { "assessment" },
                ReviewStatus::Draft,
                day(y, 12, 1),
                &marking,
            );
            let parp_id = tx.insert_review(&parp).await?;
            summary.reviews += 1;
            for (indicator, speed) in &parp_indicators {
                let share = (speed * elapsed).clamp(0.0, 1.0);
                tx.upsert_measurement(&demo_measurement(parp_id, indicator, measured_on, share)).await?;
                summary.measurements += 1;
            }
        }
    }
    // One nation in three has declared a unit: some certified three years ago, now due.
    if rng.below(3) == 0 {
        let declared = day(year - 4, 3, 1);
        let unit = StoredUnit {
            id: 0,
            nation: nation.to_owned(),
            name: format!("{nation} light infantry company (demo)"),
            unit_type: "light infantry company".into(),
            size: 120 + rng.below(80) as i64,
            declared_on: declared.to_string(),
            marking,
        };
        let unit_id = tx.insert_unit(&unit).await?;
        summary.units += 1;
        let reached = 1 + rng.below(4);
        let steps = [
            ("SEL1", day(year - 4, 6, 1)),
            ("NEL1", day(year - 4, 10, 1)),
            ("SEL2", day(year - 3, 5, 1)),
            ("NEL2", day(year - 3, 11, 20)),
        ];
        for (step, date) in steps.iter().take(reached) {
            let total = 40 + rng.below(40) as i64;
            tx.insert_step(&StoredStep {
                id: 0,
                unit_id,
                step: (*step).into(),
                taken_on: date.to_string(),
                passed: true,
                evaluator: if step.starts_with('S') {
                    format!("{nation} evaluation team")
                } else {
                    "NATO evaluation team (demo)".into()
                },
                areas: "command and control: satisfactory\nforce protection: satisfactory".into(),
                tasks_passed: total - rng.below(4) as i64,
                tasks_total: total,
            })
            .await?;
        }
    }
    Ok(())
}

fn demo_indicator(
    rng: &mut Seeded,
    nation: &str,
    marking: &str,
    baseline_date: NaiveDate,
    target_date: NaiveDate,
    words: &str,
    n: usize,
) -> StoredIndicator {
    let (direction, unit, baseline, target) = match rng.below(6) {
        0 => (Direction::Milestone, "", 0.0, 1.0),
        1 => {
            let baseline = rng.between(30.0, 90.0).round();
            (Direction::Lower, "days", baseline, (baseline * rng.between(0.3, 0.6)).round())
        }
        _ => {
            let baseline = rng.between(5.0, 40.0).round();
            (Direction::Higher, "%", baseline, (baseline + rng.between(20.0, 55.0)).round().min(100.0))
        }
    };
    let title = match direction {
        Direction::Milestone => format!("{words}: milestone {n} reached"),
        Direction::Lower => format!("{words}: days to complete process {n}"),
        Direction::Higher => format!("{words}: share of target met ({n})"),
    };
    StoredIndicator {
        id: 0,
        nation: nation.to_owned(),
        programme_goal_id: None,
        parp_goal_id: None,
        title,
        unit: unit.into(),
        direction: direction.as_str().into(),
        baseline,
        baseline_date: baseline_date.to_string(),
        target,
        target_date: target_date.to_string(),
        marking: marking.to_owned(),
    }
}

fn demo_measurement(
    review_id: i64,
    indicator: &StoredIndicator,
    measured_on: NaiveDate,
    share: f64,
) -> StoredMeasurement {
    let value = if indicator.direction == Direction::Milestone.as_str() {
        if share >= 0.6 { 1.0 } else { 0.0 }
    } else {
        (indicator.baseline + (indicator.target - indicator.baseline) * share).round()
    };
    StoredMeasurement {
        id: 0,
        review_id,
        indicator_id: indicator.id,
        measured_on: measured_on.to_string(),
        value,
        judgement: String::new(),
        note: String::new(),
        evidence_document_id: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn demo_review(
    nation: &str,
    cycle: &str,
    programme: &str,
    year: i32,
    stage: &str,
    status: ReviewStatus,
    deadline: NaiveDate,
    marking: &str,
) -> StoredReview {
    let approved = status == ReviewStatus::Approved;
    StoredReview {
        id: 0,
        nation: nation.to_owned(),
        cycle: cycle.into(),
        programme_code: programme.into(),
        year: i64::from(year),
        stage: stage.into(),
        version: 1,
        predecessor_id: None,
        status: status.as_str().into(),
        deadline: deadline.to_string(),
        self_assessment: if approved { format!("{nation}'s self-assessment of {year} (demo).") } else { String::new() },
        staff_assessment: if approved { format!("Staff assessment of {year} (demo).") } else { String::new() },
        comments: String::new(),
        marking: marking.to_owned(),
        approved_by: if approved { "demo".into() } else { String::new() },
        updated_at: String::new(),
        superseded: false,
    }
}
