//! `entente audit verify`: checks the audit trail's hash chain.

use super::Failure;
use crate::service::Services;

pub(super) async fn verify(services: &Services) -> Result<(), Failure> {
    match services.audit.verify().await? {
        Ok(count) => {
            println!("the audit trail is intact: {count} events, every link verified");
            Ok(())
        }
        Err(broken) => {
            eprintln!("the audit trail is broken: {broken}");
            Err(Failure::Reported)
        }
    }
}
