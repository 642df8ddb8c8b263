//! `entente progress`, `entente report`, `entente review`, `entente indicator`,
//! `entente unit` and `entente data-quality`: assessments at the command line, through the
//! same services as the API. Reads act as the machine's operator; changes act for the
//! account named by `--as`, whose role and nation decide exactly as on the pages.

use std::path::Path;

use clap::Subcommand;

use super::proposals::acting_as;
use super::{Failure, outln};
use crate::http::api::assessments::{detail, review_dto};
use crate::http::i18n::Lang;
use crate::service::Services;
use crate::service::accounts::Actor;
use crate::service::assessments::{IndicatorInput, MeasurementInput, PartInput, ReviewInput, ReviewStepInput};
use crate::service::force_units::{StepInput, UnitInput};
use crate::service::progress::NationProgress;
use crate::service::{quality, reports};

/// `entente review ...`.
#[derive(Debug, Subcommand)]
pub(super) enum ReviewCommand {
    /// Lists the current version of each review.
    List {
        /// Only this nation's.
        #[arg(long)]
        nation: Option<String>,
        /// Only this year's.
        #[arg(long)]
        year: Option<i64>,
        /// `table` for people, `json` for scripts.
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
    },
    /// Prints a review with its indicators and measurements, as JSON.
    Show {
        /// The review's number.
        id: i64,
    },
    /// Opens a review period for a nation.
    Open {
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The partner.
        #[arg(long)]
        nation: String,
        /// `programme` or `parp`.
        #[arg(long)]
        cycle: String,
        /// The programme's code (a programme review).
        #[arg(long, default_value = "")]
        programme: String,
        /// Year.
        #[arg(long)]
        year: i64,
        /// `annual`, `survey`, `goals` or `assessment` (default: the cycle's only stage).
        #[arg(long, default_value = "")]
        stage: String,
        /// Deadline, YYYY-MM-DD.
        #[arg(long)]
        deadline: String,
    },
    /// Writes the self-assessment (`self_assessment`) or the staff's (`staff_assessment`).
    Write {
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The review's number.
        id: i64,
        /// Which part.
        #[arg(long)]
        part: String,
        /// The text.
        #[arg(long)]
        text: String,
    },
    /// Records a measurement.
    Measure {
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The review's number.
        id: i64,
        /// The indicator's number.
        #[arg(long)]
        indicator: i64,
        /// Day measured, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Value (0 or 1 for a milestone).
        #[arg(long)]
        value: f64,
        /// `on_track`, `at_risk`, `off_track` or `achieved` (default: the figures judge).
        #[arg(long, default_value = "")]
        judgement: String,
        /// Note.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Takes a workflow step: `submit`, `return` (with --comments) or `approve`.
    Step {
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The review's number.
        id: i64,
        /// The step.
        step: String,
        /// Comments (required to return).
        #[arg(long, default_value = "")]
        comments: String,
    },
    /// Corrects an approved review: a new draft version; the approved one is kept.
    Correct {
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The review's number.
        id: i64,
    },
}

/// `entente indicator ...`.
#[derive(Debug, Subcommand)]
pub(super) enum IndicatorCommand {
    /// Defines an indicator of a programme's goal (--goal) or of a PARP goal (--parp-goal).
    Add {
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The programme goal's number.
        #[arg(long, default_value_t = 0)]
        goal: i64,
        /// The PARP goal's number.
        #[arg(long, default_value_t = 0)]
        parp_goal: i64,
        /// Title.
        #[arg(long)]
        title: String,
        /// Unit.
        #[arg(long, default_value = "")]
        unit: String,
        /// `higher`, `lower` or `milestone`.
        #[arg(long)]
        direction: String,
        /// Baseline value.
        #[arg(long)]
        baseline: f64,
        /// Baseline day.
        #[arg(long)]
        baseline_date: String,
        /// Target value.
        #[arg(long)]
        target: f64,
        /// Target day.
        #[arg(long)]
        target_date: String,
    },
}

/// `entente unit ...`.
#[derive(Debug, Subcommand)]
pub(super) enum UnitCommand {
    /// Lists the units and where they stand, as JSON.
    List {
        /// Only those due for revalidation.
        #[arg(long)]
        due: bool,
    },
    /// Declares a unit to the pool of forces.
    Declare {
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The nation.
        #[arg(long)]
        nation: String,
        /// Name.
        #[arg(long)]
        name: String,
        /// Type.
        #[arg(long = "type")]
        unit_type: String,
        /// Personnel.
        #[arg(long)]
        size: i64,
        /// Day declared.
        #[arg(long)]
        declared: String,
    },
    /// Records an evaluation step (SEL1, NEL1, SEL2, NEL2, REVAL).
    Step {
        /// The account acting.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// The unit's number.
        id: i64,
        /// The step.
        step: String,
        /// Day it ended.
        #[arg(long)]
        date: String,
        /// Not passed.
        #[arg(long)]
        failed: bool,
        /// Evaluator.
        #[arg(long)]
        evaluator: String,
        /// Tasks passed.
        #[arg(long, default_value_t = 0)]
        tasks_passed: i64,
        /// Tasks evaluated.
        #[arg(long, default_value_t = 0)]
        tasks_total: i64,
    },
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "no data".into(), |v| format!("{:.0} %", v * 100.0))
}

fn print_text(p: &NationProgress) -> Result<(), Failure> {
    outln!(
        "{} {}: {} ({}), {} of {} indicators measured",
        p.nation,
        p.year,
        percent(p.progress),
        p.status.as_deref().unwrap_or("no data"),
        p.measured,
        p.indicators
    );
    for programme in &p.programmes {
        outln!(
            "  {} {}: {} ({})",
            programme.code,
            programme.title,
            percent(programme.progress),
            programme.status.as_deref().unwrap_or("no data")
        );
        for goal in &programme.goals {
            outln!("    {}: {} ({})", goal.title, percent(goal.progress), goal.status.as_deref().unwrap_or("no data"));
        }
    }
    if !p.parp.goals.is_empty() {
        outln!("  PARP: {} ({})", percent(p.parp.progress), p.parp.status.as_deref().unwrap_or("no data"));
        for goal in &p.parp.goals {
            outln!(
                "    {} {}: {} ({})",
                goal.code,
                goal.title,
                percent(goal.progress),
                goal.status.as_deref().unwrap_or("no data")
            );
        }
    }
    Ok(())
}

async fn nation_progress(services: &Services, nation: &str, year: i64) -> Result<NationProgress, Failure> {
    let registry = services.registry.snapshot().await?;
    let code = crate::service::menu::nation_field(&registry, "nation", nation)?;
    Ok(services.progress.nation(&Actor::operator(), &registry, code.as_str(), year).await?)
}

/// `entente progress --nation CODE --year Y [--format json]`.
pub(super) async fn progress(services: &Services, nation: &str, year: i64, json: bool) -> Result<(), Failure> {
    let p = nation_progress(services, nation, year).await?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&p)?);
    } else {
        print_text(&p)?;
    }
    Ok(())
}

/// `entente report --nation CODE --year Y --format xlsx|html --output FILE`.
pub(super) async fn report(
    services: &Services,
    nation: &str,
    year: i64,
    format: &str,
    output: &Path,
) -> Result<(), Failure> {
    let p = nation_progress(services, nation, year).await?;
    let registry = services.registry.snapshot().await?;
    let bytes = if format == "xlsx" {
        let name = registry
            .nation(p.nation.parse().map_err(|_| anyhow::anyhow!("nation"))?)
            .map_or(p.nation.clone(), |n| n.name_en.clone());
        reports::workbook(&p, &name)?
    } else {
        crate::http::web::report_file(&p, &registry, Lang::En, services.db.clock().today())?.into_bytes()
    };
    std::fs::write(output, &bytes).map_err(|e| anyhow::anyhow!("--output {}: {e}", output.display()))?;
    outln!("wrote {} ({} bytes): {} {} at {}", output.display(), bytes.len(), p.nation, year, percent(p.progress));
    Ok(())
}

/// `entente data-quality --year Y`.
pub(super) async fn data_quality(services: &Services, year: i64, json: bool) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let today = services.db.clock().today();
    let findings = quality::findings(services, &Actor::operator(), &registry, year, today).await?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&findings)?);
    } else {
        for f in findings {
            outln!("{:<28} {:<3} {} {}", f.kind, f.nation, f.subject, f.date);
        }
    }
    Ok(())
}

pub(super) async fn review(services: &Services, command: ReviewCommand) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let today = services.db.clock().today();
    let assessments = &services.assessments;
    match command {
        ReviewCommand::List { nation, year, format } => {
            let nation = nation.map(|n| n.to_ascii_uppercase());
            let list = assessments.list(&Actor::operator(), &registry, nation.as_deref(), year).await?;
            if format == "json" {
                let rows: Vec<_> = list.into_iter().map(review_dto).collect();
                outln!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for r in list {
                    outln!(
                        "{:<5} {:<3} {:<9} {:<18} {} {:<10} v{} {:<9} due {}",
                        r.id,
                        r.nation,
                        r.cycle,
                        r.programme_code,
                        r.year,
                        r.stage,
                        r.version,
                        r.status,
                        r.deadline
                    );
                }
            }
        }
        ReviewCommand::Show { id } => {
            let view = assessments.get(&Actor::operator(), &registry, id, today).await?;
            outln!("{}", serde_json::to_string_pretty(&detail(view))?);
        }
        ReviewCommand::Open { as_email, nation, cycle, programme, year, stage, deadline } => {
            let actor = acting_as(services, &as_email).await?;
            let input = ReviewInput { nation, cycle, programme, year, stage, deadline, marking: String::new() };
            let r = assessments.open_review(&actor, &registry, &input).await?;
            outln!("opened review {} ({} {} {} {})", r.id, r.nation, r.cycle, r.year, r.stage);
        }
        ReviewCommand::Write { as_email, id, part, text } => {
            let actor = acting_as(services, &as_email).await?;
            assessments.write_part(&actor, &registry, id, &PartInput { part, text }).await?;
            outln!("review {id}: saved");
        }
        ReviewCommand::Measure { as_email, id, indicator, date, value, judgement, note } => {
            let actor = acting_as(services, &as_email).await?;
            let input = MeasurementInput { indicator, date, value, judgement, note, evidence: None };
            let m = assessments.measure(&actor, &registry, id, &input).await?;
            outln!("review {id}: indicator {} = {} on {}", m.indicator_id, m.value, m.measured_on);
        }
        ReviewCommand::Step { as_email, id, step, comments } => {
            let actor = acting_as(services, &as_email).await?;
            let r = assessments.step(&actor, &registry, id, &ReviewStepInput { step, comments }).await?;
            outln!("review {id}: {}", r.status);
        }
        ReviewCommand::Correct { as_email, id } => {
            let actor = acting_as(services, &as_email).await?;
            let r = assessments.correct(&actor, &registry, id).await?;
            outln!("review {id} is corrected by review {} (version {})", r.id, r.version);
        }
    }
    Ok(())
}

pub(super) async fn indicator(services: &Services, command: IndicatorCommand) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let IndicatorCommand::Add {
        as_email,
        goal,
        parp_goal,
        title,
        unit,
        direction,
        baseline,
        baseline_date,
        target,
        target_date,
    } = command;
    let actor = acting_as(services, &as_email).await?;
    let input = IndicatorInput {
        goal,
        parp_goal,
        title,
        unit,
        direction,
        baseline,
        baseline_date,
        target,
        target_date,
        marking: String::new(),
    };
    let i = services.assessments.create_indicator(&actor, &registry, &input).await?;
    outln!("indicator {} of {}: {}", i.id, i.nation, i.title);
    Ok(())
}

pub(super) async fn unit(services: &Services, command: UnitCommand) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let today = services.db.clock().today();
    match command {
        UnitCommand::List { due } => {
            let list = services.forces.list(&Actor::operator(), &registry, None, today).await?;
            let list: Vec<_> = list.into_iter().filter(|u| !due || u.due_for_revalidation).collect();
            outln!("{}", serde_json::to_string_pretty(&list)?);
        }
        UnitCommand::Declare { as_email, nation, name, unit_type, size, declared } => {
            let actor = acting_as(services, &as_email).await?;
            let input = UnitInput { nation, name, unit_type, size, declared_on: declared, marking: String::new() };
            let u = services.forces.declare(&actor, &registry, &input, today).await?;
            outln!("unit {} declared by {}", u.id, u.nation);
        }
        UnitCommand::Step { as_email, id, step, date, failed, evaluator, tasks_passed, tasks_total } => {
            let actor = acting_as(services, &as_email).await?;
            let input =
                StepInput { step, date, passed: !failed, evaluator, areas: String::new(), tasks_passed, tasks_total };
            let u = services.forces.record_step(&actor, &registry, id, &input, today).await?;
            match (&u.certified_on, &u.expires_on) {
                (Some(on), Some(until)) => outln!("unit {id}: certified on {on}, valid until {until}"),
                _ => outln!("unit {id}: last step passed {}", u.passed.as_deref().unwrap_or("none")),
            }
        }
    }
    Ok(())
}

/// `entente demo assessments [--seed N]`.
pub(super) async fn demo(services: &Services, seed: u64) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let added = crate::service::demo_assessments::load(&services.db, &Actor::operator(), &registry, seed).await?;
    if added.nations == 0 {
        outln!("every partner has its demo assessments already; nothing was added");
    } else {
        outln!(
            "added demo assessments (generated, seed {seed}) for {} partners: {} programmes, {} goals, {} indicators, {} reviews, {} measurements, {} units",
            added.nations,
            added.programmes,
            added.goals,
            added.indicators,
            added.reviews,
            added.measurements,
            added.units
        );
    }
    Ok(())
}
