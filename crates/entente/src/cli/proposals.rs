//! `entente registry propose|approve|return`: registry changes through proposals, acted
//! for the account named by `--as`, whose role decides exactly as on the pages.

use super::Failure;
use super::outln;
use crate::service::Services;
use crate::service::accounts::Actor;
use crate::service::proposals::ProposalInput;

/// The account the action is taken for; a disabled account acts for nobody.
pub(super) async fn acting_as(services: &Services, email: &str) -> Result<Actor, Failure> {
    let user = services.accounts.user_by_email(email).await?;
    if !user.active {
        return Err(anyhow::anyhow!("--as: the account `{}` is disabled", user.email).into());
    }
    let registry = services.registry.snapshot().await?;
    let mut actor = Actor::user(&user, &registry, services.db.clock().today());
    // The trail tells an action taken at the command line from one taken in a session.
    let operator = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    actor.label = format!("{} (cli:{operator})", actor.label);
    Ok(actor)
}

pub(super) async fn propose(services: &Services, email: &str, input: ProposalInput) -> Result<(), Failure> {
    let actor = acting_as(services, email).await?;
    let id = services.registry.propose(&actor, &input).await?;
    outln!("{id}");
    Ok(())
}

pub(super) async fn approve(services: &Services, email: &str, id: i64) -> Result<(), Failure> {
    let actor = acting_as(services, email).await?;
    let decided = services.registry.approve(&actor, id).await?;
    outln!(
        "proposal {} approved and applied: {} {} {}",
        decided.id,
        decided.kind,
        decided.nation,
        decided.framework.unwrap_or_default()
    );
    Ok(())
}

pub(super) async fn return_proposal(services: &Services, email: &str, id: i64, comment: &str) -> Result<(), Failure> {
    let actor = acting_as(services, email).await?;
    let decided = services.registry.return_proposal(&actor, id, comment).await?;
    outln!("proposal {} returned to {}", decided.id, decided.proposed_by_name);
    Ok(())
}
