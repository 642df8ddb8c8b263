//! `entente token issue`: a personal API token for an account, for scripts and load tests.

use super::Failure;
use super::outln;
use crate::service::Services;
use crate::service::accounts::Actor;

pub(super) async fn issue(services: &Services, email: &str, can_write: bool, days: i64) -> Result<(), Failure> {
    let secret = services.accounts.issue_token_for(&Actor::operator(), email, can_write, days).await?;
    outln!(
        "issued a {} token for {} that expires in {days} days; it is shown once:",
        if can_write { "read-write" } else { "read-only" },
        email.trim().to_lowercase()
    );
    outln!("{secret}");
    Ok(())
}
