//! `entente programme ...`: programmes at the command line, through the same services as
//! the API. Reads act as the machine's operator; changes act for the account named by
//! `--as`, whose role and nation decide exactly as on the pages.

use entente_core::programme::Step;

use super::proposals::acting_as;
use super::{Failure, outln};
use crate::http::api::programmes::{detail, dto};
use crate::service::Services;
use crate::service::accounts::Actor;
use crate::service::programmes::{ProgrammeInput, WorkPlanInput};

pub(super) async fn list(
    services: &Services,
    nation: Option<&str>,
    status: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let nation = nation.map(str::to_ascii_uppercase);
    let list = services.programmes.list(&Actor::operator(), &registry, nation.as_deref(), status).await?;
    if json {
        let rows: Vec<_> = list.into_iter().map(dto).collect();
        outln!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for p in list {
        outln!("{:<18} {:<3} {:<15} {:<13} v{:<3} {}", p.code, p.nation, p.kind, p.status, p.version, p.title);
    }
    Ok(())
}

pub(super) async fn show(services: &Services, code: &str, version: Option<i64>) -> Result<(), Failure> {
    let registry = services.registry.snapshot().await?;
    let view = services.programmes.get(&Actor::operator(), &registry, code, version).await?;
    outln!("{}", serde_json::to_string_pretty(&detail(view))?);
    Ok(())
}

pub(super) async fn create(services: &Services, email: &str, input: ProgrammeInput) -> Result<(), Failure> {
    let actor = acting_as(services, email).await?;
    let registry = services.registry.snapshot().await?;
    let p = services.programmes.create(&actor, &registry, &input).await?;
    outln!("{} (version {}, {}): {} to {}", p.code, p.version, p.status, p.starts, p.ends);
    Ok(())
}

/// What `entente programme add` adds to a draft, or to a year's work plan.
pub(super) enum Addition {
    /// A strategic objective.
    Objective { title: String },
    /// A partnership goal under an objective.
    Goal { objective: i64, title: String },
    /// A supporting activity or event under a goal.
    Support { goal: i64, item: String },
    /// A work-plan item.
    WorkPlan(WorkPlanInput),
}

pub(super) async fn add(services: &Services, email: &str, code: &str, addition: Addition) -> Result<(), Failure> {
    let actor = acting_as(services, email).await?;
    let registry = services.registry.snapshot().await?;
    let programmes = &services.programmes;
    match addition {
        Addition::Objective { title } => {
            let id = programmes.add_objective(&actor, &registry, code, &title).await?;
            outln!("objective {id}");
        }
        Addition::Goal { objective, title } => {
            let id = programmes.add_goal(&actor, &registry, code, objective, &title).await?;
            outln!("goal {id}");
        }
        Addition::Support { goal, item } => {
            programmes.add_support(&actor, &registry, code, goal, &item).await?;
            outln!("{item} supports goal {goal}");
        }
        Addition::WorkPlan(input) => {
            programmes.add_to_work_plan(&actor, &registry, code, &input).await?;
            outln!("{} is on the {} work plan, priority {}", input.item, input.year, input.priority);
        }
    }
    Ok(())
}

pub(super) async fn step(
    services: &Services,
    email: &str,
    code: &str,
    step: &str,
    reference: &str,
) -> Result<(), Failure> {
    let step = Step::parse(step).ok_or_else(|| {
        anyhow::anyhow!(
            "--step: `{step}` is not submit, return, council_decision, partner_acceptance, execute or close"
        )
    })?;
    let actor = acting_as(services, email).await?;
    let registry = services.registry.snapshot().await?;
    let p = services.programmes.step(&actor, &registry, code, step, reference).await?;
    outln!("{} version {}: {}", p.code, p.version, p.status);
    Ok(())
}

pub(super) async fn amend(services: &Services, email: &str, code: &str) -> Result<(), Failure> {
    let actor = acting_as(services, email).await?;
    let registry = services.registry.snapshot().await?;
    let p = services.programmes.amend(&actor, &registry, code).await?;
    outln!("{} version {} ({})", p.code, p.version, p.status);
    Ok(())
}
