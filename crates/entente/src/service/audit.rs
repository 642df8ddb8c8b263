//! The audit trail: verifying its hash chain, and reading it (admins and analysts only).

use entente_core::audit::{AuditEvent, ChainBreak, verify_chain};
use entente_core::{Action, Resource};

use super::ServiceError;
use super::accounts::Actor;
use crate::store::Store;
use crate::store::audit::{AuditFilter, AuditRecord};

/// Audit use cases.
#[derive(Debug)]
pub struct AuditService {
    store: Store,
}

impl AuditService {
    /// A service over `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Checks the whole chain: the number of intact events, or the first broken link.
    pub async fn verify(&self) -> Result<Result<i64, ChainBreak>, ServiceError> {
        let (events, head_seq, head_hash) = self.store.audit_chain().await?;
        Ok(verify_chain(events, head_seq, &head_hash))
    }

    /// One page of events matching `filter`, newest first, with the total.
    pub async fn list(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditEvent>, i64), ServiceError> {
        actor.require(Action::Read, Resource::AuditTrail, "the audit trail")?;
        Ok(self.store.list_audit(filter, limit, offset).await?)
    }

    /// Every event matching `filter`, newest first, as CSV; the export itself is audited.
    pub async fn export_csv(&self, actor: &Actor, filter: &AuditFilter) -> Result<Vec<u8>, ServiceError> {
        actor.require(Action::Read, Resource::AuditTrail, "the audit trail")?;
        let (events, _) = self.store.list_audit(filter, i64::MAX, 0).await?;
        let mut writer = csv::Writer::from_writer(Vec::new());
        let failed = |e: csv::Error| ServiceError::Corrupt(e.to_string());
        writer.write_record(["seq", "at", "actor", "action", "detail", "hash"]).map_err(failed)?;
        for e in &events {
            writer
                .write_record([&e.seq.to_string(), &e.at, &e.actor, &e.action, &e.detail, &e.hash])
                .map_err(failed)?;
        }
        let bytes = writer.into_inner().map_err(|e| ServiceError::Corrupt(e.to_string()))?;
        let audit = AuditRecord {
            actor: actor.label.clone(),
            action: "audit.export".into(),
            detail: serde_json::json!({ "events": events.len(), "actor": filter.actor, "action": filter.action,
                                        "from": filter.from, "to": filter.to }),
        };
        self.store.record_audit(&audit).await?;
        Ok(bytes)
    }
}
