//! Registry changes through proposals: staff or a member delegate propose a change with
//! its reason and source; an approver (never the proposer) approves it, and only then is
//! it applied, in one unit of work with its audit event, or returns it with a comment.

use std::sync::Arc;

use entente_core::proposal::{ChangeError, Proposed, RegistryChange, apply};
use entente_core::{Action, Bound, Lifecycle, Registry, Resource};

use super::accounts::Actor;
use super::documents::check_text;
use super::integrity::{Subject, append};
use super::registry::RegistryService;
use super::{Reason, ServiceError};
use crate::store::LockKey;
use crate::store::audit::AuditRecord;
use crate::store::proposals::{NewProposal, StoredProposal};

/// A proposal as asked for: exactly one of `start` (a participation begins), `end` (the
/// one in force that day ends) or the two names (a nation is renamed).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ProposalInput {
    /// The nation's code (any case).
    pub nation: String,
    /// The framework's code (any case), for a start or an end.
    #[serde(default)]
    pub framework: Option<String>,
    /// When the participation begins (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or `by YYYY-MM-DD`).
    #[serde(default)]
    pub start: Option<String>,
    /// The first day the participation in force then no longer holds.
    #[serde(default)]
    pub end: Option<String>,
    /// The nation's new English name.
    #[serde(default)]
    pub name_en: Option<String>,
    /// The nation's new French name.
    #[serde(default)]
    pub name_fr: Option<String>,
    /// Why the change is made.
    pub reason: String,
    /// The public source that attests it.
    pub source: String,
}

/// The longest text a proposal or a decision keeps, in characters.
const MAX_TEXT_CHARS: usize = 1000;

fn invalid(field: &str, reason: Reason) -> ServiceError {
    ServiceError::Invalid { field: field.to_owned(), reason }
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl ProposalInput {
    /// The change it asks for, or the first field at fault.
    pub fn to_proposed(&self) -> Result<Proposed, ServiceError> {
        // Whatever is approved is published: no control characters, nothing unbounded.
        let texts = [
            ("nation", Some(&self.nation)),
            ("framework", self.framework.as_ref()),
            ("start", self.start.as_ref()),
            ("end", self.end.as_ref()),
            ("name_en", self.name_en.as_ref()),
            ("name_fr", self.name_fr.as_ref()),
            ("reason", Some(&self.reason)),
            ("source", Some(&self.source)),
        ];
        for (field, text) in texts {
            if let Some(text) = text {
                check_text(field, text, MAX_TEXT_CHARS)?;
            }
        }
        let nation = self.nation.trim().to_uppercase();
        if nation.is_empty() {
            return Err(invalid("nation", Reason::Required));
        }
        let nation = nation.parse().map_err(|e| invalid("nation", Reason::Code(e)))?;
        let framework = || -> Result<_, ServiceError> {
            let code = given(&self.framework).ok_or_else(|| invalid("framework", Reason::Required))?;
            code.to_uppercase().parse().map_err(|e| invalid("framework", Reason::Code(e)))
        };
        let bound = |field: &str, text: &str| -> Result<Bound, ServiceError> {
            text.parse().map_err(|_| invalid(field, Reason::NotADate(text.to_owned())))
        };
        let names = (given(&self.name_en), given(&self.name_fr));
        let change = match (given(&self.start), given(&self.end), names) {
            (Some(start), None, (None, None)) => {
                RegistryChange::Begin { nation, framework: framework()?, start: bound("start", start)? }
            }
            (None, Some(end), (None, None)) => {
                RegistryChange::End { nation, framework: framework()?, end: bound("end", end)? }
            }
            (None, None, (Some(en), Some(fr))) => {
                RegistryChange::Rename { nation, name_en: en.to_owned(), name_fr: fr.to_owned() }
            }
            (None, None, (Some(_), None)) => return Err(invalid("name_fr", Reason::Required)),
            (None, None, (None, Some(_))) => return Err(invalid("name_en", Reason::Required)),
            (None, None, _) => return Err(invalid("start", Reason::OneChange)),
            // Two kinds of change at once: the field named is one that was given.
            (Some(_), Some(_), _) => return Err(invalid("end", Reason::OneChange)),
            _ => return Err(invalid("name_en", Reason::OneChange)),
        };
        Ok(Proposed { change, reason: self.reason.trim().to_owned(), source: self.source.trim().to_owned() })
    }
}

/// The change a stored proposal asks for.
fn stored_change(p: &StoredProposal) -> Result<Proposed, ServiceError> {
    let input = ProposalInput {
        nation: p.nation.clone(),
        framework: p.framework.clone(),
        start: (p.kind == "begin").then(|| p.day.clone()).flatten(),
        end: (p.kind == "end").then(|| p.day.clone()).flatten(),
        name_en: p.name_en.clone(),
        name_fr: p.name_fr.clone(),
        reason: p.reason.clone(),
        source: p.source.clone(),
    };
    input.to_proposed().map_err(|e| ServiceError::Corrupt(format!("proposal {}: {e}", p.id)))
}

fn inconsistent(error: ChangeError) -> ServiceError {
    invalid(error.field, Reason::Inconsistent(error.reason))
}

/// Refuses, before any lock is taken, a caller who could decide on no proposal at all.
fn may_decide_some(actor: &Actor) -> Result<(), ServiceError> {
    actor.require(Action::Approve, Resource::Proposal { proposed_by: -1, state: Lifecycle::Submitted })
}

fn state_of(p: &StoredProposal) -> Lifecycle {
    if p.status == "pending" { Lifecycle::Submitted } else { Lifecycle::Closed }
}

impl RegistryService {
    /// Records a proposal after checking it against today's registry; returns its id.
    pub async fn propose(&self, actor: &Actor, input: &ProposalInput) -> Result<i64, ServiceError> {
        let me = actor.user_id();
        actor.require(Action::Create, Resource::Proposal { proposed_by: me, state: Lifecycle::Submitted })?;
        let proposed = input.to_proposed()?;
        apply(&*self.snapshot().await?, &proposed).map_err(inconsistent)?;
        let (framework, day, name_en, name_fr) = match &proposed.change {
            RegistryChange::Begin { framework, start, .. } => {
                (Some(framework.to_string()), Some(start.to_string()), None, None)
            }
            RegistryChange::End { framework, end, .. } => {
                (Some(framework.to_string()), Some(end.to_string()), None, None)
            }
            RegistryChange::Rename { name_en, name_fr, .. } => {
                (None, None, Some(name_en.clone()), Some(name_fr.clone()))
            }
        };
        let new = NewProposal {
            kind: proposed.change.kind(),
            nation: proposed.change.nation().to_string(),
            framework,
            day,
            name_en,
            name_fr,
            reason: proposed.reason.clone(),
            source: proposed.source.clone(),
            proposed_by: me,
        };
        let mut tx = self.db().write().await?;
        let id = tx.insert_proposal(&new).await?;
        let detail = serde_json::json!({ "id": id, "kind": new.kind, "nation": new.nation, "framework": new.framework,
            "day": new.day, "name_en": new.name_en, "name_fr": new.name_fr, "reason": new.reason, "source": new.source });
        tx.append_audit(&AuditRecord { actor: actor.label.clone(), action: "registry.propose".into(), detail }).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Approves a pending proposal and applies it to the registry as it is now, in one unit
    /// with its audit event; a proposal the registry has meanwhile made inconsistent is
    /// refused with the reason, and nothing is applied.
    pub async fn approve(&self, actor: &Actor, id: i64) -> Result<StoredProposal, ServiceError> {
        may_decide_some(actor)?;
        let mut tx = self.db().write().await?;
        // The registry first, then the proposal: the order every registry change takes.
        tx.lock(LockKey::Registry).await?;
        let proposal = tx.proposal(id, true).await?.ok_or_else(|| not_found(id))?;
        actor.require(
            Action::Approve,
            Resource::Proposal { proposed_by: proposal.proposed_by, state: state_of(&proposal) },
        )?;
        let (_, parts) = tx.load_registry().await?;
        let registry =
            Registry::new(parts).map_err(|e| ServiceError::Corrupt(format!("{} problems in the registry", e.len())))?;
        let after = apply(&registry, &stored_change(&proposal)?).map_err(|e| {
            ServiceError::Conflict(Reason::Inconsistent(format!("the registry has changed since it was proposed: {e}")))
        })?;
        let revision = tx.replace_registry(&after.to_parts()).await?;
        tx.decide_proposal(id, "approved", actor.user_id(), "").await?;
        let detail = serde_json::json!({ "id": id, "kind": proposal.kind, "nation": proposal.nation,
            "framework": proposal.framework, "day": proposal.day, "revision": revision });
        let record = AuditRecord { actor: actor.label.clone(), action: "registry.approve".into(), detail };
        append(&mut tx, &record, &[Subject::Registry]).await?;
        let decided = tx.proposal(id, false).await?.ok_or_else(|| not_found(id))?;
        tx.commit().await?;
        self.remember_applied(revision, &Arc::new(after))?;
        Ok(decided)
    }

    /// Returns a pending proposal to its author with a comment; nothing is applied.
    pub async fn return_proposal(&self, actor: &Actor, id: i64, comment: &str) -> Result<StoredProposal, ServiceError> {
        may_decide_some(actor)?;
        let mut tx = self.db().write().await?;
        let proposal = tx.proposal(id, true).await?.ok_or_else(|| not_found(id))?;
        actor.require(
            Action::Approve,
            Resource::Proposal { proposed_by: proposal.proposed_by, state: state_of(&proposal) },
        )?;
        check_text("comment", comment, MAX_TEXT_CHARS)?;
        if comment.trim().is_empty() {
            return Err(invalid("comment", Reason::Required));
        }
        tx.decide_proposal(id, "returned", actor.user_id(), comment.trim()).await?;
        let detail = serde_json::json!({ "id": id, "kind": proposal.kind, "nation": proposal.nation, "comment": comment.trim() });
        tx.append_audit(&AuditRecord { actor: actor.label.clone(), action: "registry.return".into(), detail }).await?;
        let decided = tx.proposal(id, false).await?.ok_or_else(|| not_found(id))?;
        tx.commit().await?;
        Ok(decided)
    }

    /// One proposal.
    pub async fn proposal(&self, actor: &Actor, id: i64) -> Result<StoredProposal, ServiceError> {
        let proposal = self.db().read().await?.proposal(id, false).await?.ok_or_else(|| not_found(id))?;
        actor.require(
            Action::Read,
            Resource::Proposal { proposed_by: proposal.proposed_by, state: state_of(&proposal) },
        )?;
        Ok(proposal)
    }

    /// How many proposals there are in each status.
    pub async fn proposal_counts(&self, actor: &Actor) -> Result<Vec<(String, i64)>, ServiceError> {
        actor.require(Action::Read, Resource::Proposal { proposed_by: 0, state: Lifecycle::Submitted })?;
        Ok(self.db().read().await?.proposal_counts().await?)
    }

    /// A page of proposals with `status` (`pending`, `approved`, `returned`; any when `None`).
    pub async fn proposals(
        &self,
        actor: &Actor,
        status: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<StoredProposal>, i64), ServiceError> {
        actor.require(Action::Read, Resource::Proposal { proposed_by: 0, state: Lifecycle::Submitted })?;
        if let Some(status) = status.filter(|s| !["pending", "approved", "returned"].contains(s)) {
            return Err(invalid("status", Reason::NotOneOf(status.to_owned(), "pending, approved, returned")));
        }
        Ok(self.db().read().await?.proposals(status, limit, offset).await?)
    }
}

fn not_found(id: i64) -> ServiceError {
    ServiceError::NotFound { kind: "proposal", code: id.to_string() }
}
