//! The audit trail: verifying its hash chain, and reading it (admins and analysts only).

use std::path::Path;

use entente_core::audit::{AuditEvent, ChainBreak, verify_chain};
use entente_core::checkpoint::{Checkpoint, CheckpointBreak, RowDrift};
use entente_core::{Action, Resource};

use super::accounts::Actor;
use super::refusals::{Admission, RefusalLimiter};
use super::{Db, ServiceError};
pub use crate::store::audit::AuditFilter;
use crate::store::audit::AuditRecord;

/// What `entente audit verify` found.
#[derive(Debug)]
pub struct Verification {
    /// The chain: its length, or its first broken link.
    pub chain: Result<i64, ChainBreak>,
    /// Each checkpoint given, in order: whether the trail still extends it.
    pub checkpoints: Vec<Result<(), CheckpointBreak>>,
    /// Rows changed, added or deleted outside Entente.
    pub drift: Vec<RowDrift>,
}

impl Verification {
    /// Whether nothing was found wrong.
    pub fn is_intact(&self) -> bool {
        self.chain.is_ok() && self.checkpoints.iter().all(Result::is_ok) && self.drift.is_empty()
    }
}

/// Audit use cases.
#[derive(Debug)]
pub struct AuditService {
    db: Db,
    refusals: RefusalLimiter,
}

impl AuditService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db, refusals: RefusalLimiter::default() }
    }

    /// Checks the whole chain: the number of intact events, or the first broken link.
    pub async fn verify(&self) -> Result<Result<i64, ChainBreak>, ServiceError> {
        let (events, head_seq, head_hash) = self.db.read().await?.audit_chain().await?;
        Ok(verify_chain(events, head_seq, &head_hash))
    }

    /// Signs a checkpoint of the trail's head with the key at `key_path` (created on first
    /// use). A broken trail is not signed.
    pub async fn checkpoint(&self, key_path: &Path) -> Result<Checkpoint, ServiceError> {
        let key = super::integrity::signing_key(key_path, true).map_err(|e| ServiceError::Corrupt(e.to_string()))?;
        let mut tx = self.db.read().await?;
        let made_at = crate::store::timestamp(tx.now());
        let (events, head_seq, head_hash) = tx.audit_chain().await?;
        tx.commit().await?;
        if let Err(broken) = verify_chain(events, head_seq, &head_hash) {
            return Err(ServiceError::Corrupt(format!("the audit trail is broken, so it is not signed: {broken}")));
        }
        Ok(Checkpoint::sign(head_seq, &head_hash, &made_at, &key))
    }

    /// Checks the chain, then each checkpoint against it (with the key at `key_path`), then
    /// every pinned row against the digest the trail last recorded for it.
    pub async fn verify_all(&self, key_path: &Path, checkpoints: &[Checkpoint]) -> Result<Verification, ServiceError> {
        let mut tx = self.db.read().await?;
        let (events, head_seq, head_hash) = tx.audit_chain().await?;
        let current = super::integrity::all_digests(&mut tx).await?;
        tx.commit().await?;
        let chain = verify_chain(events.iter().cloned(), head_seq, &head_hash);
        let checked = if checkpoints.is_empty() {
            Vec::new()
        } else {
            let key = super::integrity::signing_key(key_path, false)
                .map_err(|e| ServiceError::Corrupt(e.to_string()))?
                .verifying_key();
            checkpoints.iter().map(|c| entente_core::checkpoint::check(c, &events, &key)).collect()
        };
        let drift = entente_core::checkpoint::row_drift(&events, &current);
        Ok(Verification { chain, checkpoints: checked, drift })
    }

    /// Records the digest of every row once, in a database whose trail has none yet (one
    /// made before digests existed), so that later edits outside Entente are found.
    pub async fn ensure_row_baseline(&self) -> Result<(), ServiceError> {
        let mut tx = self.db.write().await?;
        tx.lock(crate::store::LockKey::Registry).await?;
        if tx.audit_has_digests().await? {
            return Ok(());
        }
        let digests = super::integrity::all_digests(&mut tx).await?;
        if digests.is_empty() {
            return Ok(());
        }
        let record = AuditRecord {
            actor: "system:baseline".into(),
            action: "audit.baseline".into(),
            detail: serde_json::json!({ "rows": digests.len() }),
        };
        tx.append_audit_with_digests(&record, &digests).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a refused attempt (a change refused by `authorize()`, a bad CSRF token or a
    /// read-only token, a throttled sign-in) in its own unit of work: the attempt changed
    /// nothing, but who tried what is for the auditors to see. `throttled` picks the action.
    pub async fn record_refusal(
        &self,
        actor: &str,
        throttled: bool,
        mut detail: serde_json::Value,
    ) -> Result<(), ServiceError> {
        // A flood of refused requests must not flood the trail (nor queue every honest
        // write behind it): each actor (an anonymous one by address) has a few events a
        // minute; the next event recorded says how many were left out meanwhile.
        match self.refusals.admit(actor, std::time::Instant::now()) {
            Admission::Drop => return Ok(()),
            Admission::Record { left_out: 0 } => {}
            Admission::Record { left_out } => detail["left_out_before"] = left_out.into(),
        }
        let mut tx = self.db.write().await?;
        let action = if throttled { "refused.throttled" } else { "refused.forbidden" };
        tx.append_audit(&AuditRecord { actor: actor.to_owned(), action: action.into(), detail }).await?;
        tx.commit().await?;
        Ok(())
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

    /// The users a page of events names as actors (`user:ID <email>`), for saying who
    /// they are; read with the trail's own permission, in one query.
    pub async fn actors_of(
        &self,
        actor: &Actor,
        events: &[AuditEvent],
    ) -> Result<Vec<super::accounts::User>, ServiceError> {
        actor.require(Action::Read, Resource::AuditTrail)?;
        let mut ids: Vec<i64> = events.iter().filter_map(|e| actor_id(&e.actor)).collect();
        ids.sort_unstable();
        ids.dedup();
        let rows = self.db.read().await?.users_by_ids(&ids).await?;
        rows.into_iter().map(super::accounts::User::try_from).collect()
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
        let mut writer = super::spreadsheet::writer(Vec::new());
        let failed = |e: csv::Error| ServiceError::Corrupt(e.to_string());
        super::spreadsheet::write_row(&mut writer, ["seq", "at", "actor", "action", "detail", "hash"])
            .map_err(failed)?;
        for e in &events {
            super::spreadsheet::write_row(
                &mut writer,
                [&e.seq.to_string(), &e.at, &e.actor, &e.action, &e.detail, &e.hash],
            )
            .map_err(failed)?;
        }
        let bytes = writer.into_inner().map_err(|e| ServiceError::Corrupt(e.to_string()))?;
        Ok(bytes)
    }
}

/// The user id of an actor label `user:ID <email>`.
pub fn actor_id(label: &str) -> Option<i64> {
    label.strip_prefix("user:")?.split(' ').next()?.parse().ok()
}
