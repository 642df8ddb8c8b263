//! Health: whether the database answers, for load balancers and monitoring.

use super::{Db, ServiceError};

/// Health checks.
#[derive(Debug)]
pub struct HealthService {
    db: Db,
}

impl HealthService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Checks that the database answers; returns its backend's name.
    pub async fn health(&self) -> Result<&'static str, ServiceError> {
        let mut tx = self.db.read().await?;
        tx.registry_revision().await?;
        tx.commit().await?;
        Ok(self.db.backend())
    }
}
