//! The audit trail: verifying its hash chain, and reading it (admins and analysts only).

use entente_core::audit::{AuditEvent, ChainBreak, verify_chain};
use entente_core::{Action, Resource};

use super::accounts::Actor;
use super::{Db, ServiceError};
pub use crate::store::audit::AuditFilter;
use crate::store::audit::AuditRecord;

/// Audit use cases.
#[derive(Debug)]
pub struct AuditService {
    db: Db,
}

impl AuditService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Checks the whole chain: the number of intact events, or the first broken link.
    pub async fn verify(&self) -> Result<Result<i64, ChainBreak>, ServiceError> {
        let (events, head_seq, head_hash) = self.db.read().await?.audit_chain().await?;
        Ok(verify_chain(events, head_seq, &head_hash))
    }

    /// Every event's actor and action, oldest first (for the operator and tests).
    pub async fn actions(&self) -> Result<Vec<(String, String)>, ServiceError> {
        Ok(self.db.read().await?.audit_actions().await?)
    }

    /// One page of events matching `filter`, newest first, with the total.
    pub async fn list(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditEvent>, i64), ServiceError> {
        actor.require(Action::Read, Resource::AuditTrail)?;
        Ok(self.db.read().await?.list_audit(filter, limit, offset).await?)
    }

    /// Every event matching `filter`, newest first, as CSV; the export itself is audited.
    pub async fn export_csv(&self, actor: &Actor, filter: &AuditFilter) -> Result<Vec<u8>, ServiceError> {
        actor.require(Action::Export, Resource::AuditTrail)?;
        let mut tx = self.db.write().await?;
        let (events, _) = tx.list_audit(filter, i64::MAX, 0).await?;
        let audit = AuditRecord {
            actor: actor.label.clone(),
            action: "audit.export".into(),
            detail: serde_json::json!({ "events": events.len(), "actor": filter.actor, "action": filter.action,
                                        "from": filter.from, "to": filter.to }),
        };
        tx.append_audit(&audit).await?;
        tx.commit().await?;
        // Written after the commit, so the database's write lock is not held meanwhile.
        let mut writer = csv::Writer::from_writer(Vec::new());
        let failed = |e: csv::Error| ServiceError::Corrupt(e.to_string());
        writer.write_record(["seq", "at", "actor", "action", "detail", "hash"]).map_err(failed)?;
        for e in &events {
            writer
                .write_record([&e.seq.to_string(), &e.at, &e.actor, &e.action, &e.detail, &e.hash])
                .map_err(failed)?;
        }
        let bytes = writer.into_inner().map_err(|e| ServiceError::Corrupt(e.to_string()))?;
        Ok(bytes)
    }
}
