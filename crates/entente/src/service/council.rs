//! Eligibility policies and council decisions: read by anyone, policies kept by the
//! alliance's staff, decisions recorded by approvers and staff; every change audited. The
//! reference data (areas, alliance bodies, policies and decisions) is loaded on first start.

use std::collections::BTreeSet;

use super::menu::invalid;
use chrono::NaiveDate;
use entente_core::eligibility::{CouncilDecision, DecisionKind, Policy, PolicyRule, Scope, check_interval};
use entente_core::{Action, Registry, Resource, parse_day};
use serde_json::json;

use super::accounts::Actor;
use super::{Db, Reason, ServiceError};
use crate::store::menu::{AreaTable, StoredArea};
use crate::store::rules::{StoredDecision, StoredPolicy};
use crate::store::{LockKey, Tx};

const AREAS: &str = include_str!("../../../../data/areas.csv");
const BODIES: &str = include_str!("../../../../data/bodies.csv");
const POLICIES: &str = include_str!("../../../../data/policies.csv");
const DECISIONS: &str = include_str!("../../../../data/decisions.csv");

/// The policies and decisions eligibility rests on, as the core takes them.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Policies.
    pub policies: Vec<Policy>,
    /// Council decisions.
    pub decisions: Vec<CouncilDecision>,
}

/// A council decision as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct DecisionInput {
    /// The day it was taken (defaults to `from`).
    #[serde(default)]
    pub decided_on: String,
    /// `opens` or `suspends`.
    pub kind: String,
    /// Nation codes.
    pub nations: Vec<String>,
    /// `menu`, `area:CODE` or `activity:CODE`.
    pub scope: String,
    /// First day valid.
    pub from: String,
    /// Last day valid (empty: open-ended).
    #[serde(default)]
    pub to: String,
    /// Where it is recorded.
    pub reference: String,
}

/// A policy as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct PolicyInput {
    /// Its code.
    pub code: String,
    /// The rule.
    pub rule: String,
    /// First day in force.
    pub from: String,
    /// Last day in force (empty: open-ended).
    #[serde(default)]
    pub to: String,
    /// English title.
    pub title_en: String,
    /// French title.
    #[serde(default)]
    pub title_fr: String,
    /// Public source.
    #[serde(default)]
    pub source: String,
}

/// Policies and council decisions.
#[derive(Debug, Clone)]
pub struct CouncilService {
    db: Db,
}

/// A day typed as YYYY-MM-DD, or a refusal naming `field`.
pub(super) fn day(field: &str, text: &str) -> Result<NaiveDate, ServiceError> {
    parse_day(text.trim())
        .map_err(|_| ServiceError::Invalid { field: field.into(), reason: Reason::NotATime(text.into()) })
}

/// [`day`], or nothing when left empty.
pub(super) fn optional_day(field: &str, text: &str) -> Result<Option<NaiveDate>, ServiceError> {
    if text.trim().is_empty() { Ok(None) } else { day(field, text).map(Some) }
}

/// The core's policy from its stored row.
pub fn policy_of(row: &StoredPolicy) -> Result<Policy, ServiceError> {
    let corrupt = || ServiceError::Corrupt(format!("policy {}", row.code));
    Ok(Policy {
        code: row.code.clone(),
        rule: PolicyRule::parse(&row.rule).ok_or_else(corrupt)?,
        from: parse_day(&row.from_day).map_err(|_| corrupt())?,
        to: row.to_day.as_deref().map(parse_day).transpose().map_err(|_| corrupt())?,
        title_en: row.title_en.clone(),
        title_fr: row.title_fr.clone(),
        source: row.source.clone(),
    })
}

/// The core's decision from its stored row.
pub fn decision_of(row: &StoredDecision) -> Result<CouncilDecision, ServiceError> {
    let corrupt = || ServiceError::Corrupt(format!("council decision {}", row.id));
    Ok(CouncilDecision {
        id: row.id,
        date: parse_day(&row.decided_on).map_err(|_| corrupt())?,
        kind: DecisionKind::parse(&row.kind).ok_or_else(corrupt)?,
        nations: row.nations.iter().map(|n| n.parse().map_err(|_| corrupt())).collect::<Result<_, _>>()?,
        scope: Scope::parse(&row.scope).map_err(|_| corrupt())?,
        from: parse_day(&row.from_day).map_err(|_| corrupt())?,
        to: row.to_day.as_deref().map(parse_day).transpose().map_err(|_| corrupt())?,
        reference: row.reference.clone(),
    })
}

/// Checks a policy as typed.
pub fn check_policy(input: &PolicyInput) -> Result<StoredPolicy, ServiceError> {
    let code: entente_core::AreaCode = input
        .code
        .trim()
        .parse()
        .map_err(|e| ServiceError::Invalid { field: "code".into(), reason: Reason::Code(e) })?;
    let rule = PolicyRule::parse(input.rule.trim()).ok_or_else(|| ServiceError::Invalid {
        field: "rule".into(),
        reason: Reason::NotOneOf(input.rule.clone(), "framework_participants, case_by_case, all_partners, suspensions"),
    })?;
    let from = day("from", &input.from)?;
    let to = optional_day("to", &input.to)?;
    check_interval(from, to).map_err(invalid)?;
    let title_en = entente_core::menu::check_text("title_en", &input.title_en, true, 300).map_err(invalid)?;
    let title_fr = entente_core::menu::check_text("title_fr", &input.title_fr, false, 300).map_err(invalid)?;
    let source = entente_core::menu::check_text("source", &input.source, false, 1000).map_err(invalid)?;
    Ok(StoredPolicy {
        code: code.to_string(),
        rule: rule.as_str().into(),
        from_day: from.to_string(),
        to_day: to.map(|d| d.to_string()),
        title_fr: if title_fr.is_empty() { title_en.clone() } else { title_fr },
        title_en,
        source,
    })
}

/// Checks a decision as typed against the registry and the menu's areas.
pub fn check_decision(
    input: &DecisionInput,
    registry: &Registry,
    areas: &[StoredArea],
) -> Result<StoredDecision, ServiceError> {
    let kind = DecisionKind::parse(input.kind.trim()).ok_or_else(|| ServiceError::Invalid {
        field: "kind".into(),
        reason: Reason::NotOneOf(input.kind.clone(), "opens, suspends"),
    })?;
    let mut nations = BTreeSet::new();
    for text in &input.nations {
        nations.insert(super::menu::nation_field(registry, "nation", text)?.to_string());
    }
    if nations.is_empty() {
        return Err(ServiceError::Invalid { field: "nation".into(), reason: Reason::Required });
    }
    let scope = Scope::parse(&input.scope).map_err(invalid)?;
    if let Scope::Area(area) = &scope
        && !areas.iter().any(|a| a.code == area.as_str())
    {
        return Err(ServiceError::Invalid {
            field: "scope".into(),
            reason: Reason::Inconsistent(format!("unknown area `{area}`")),
        });
    }
    let from = day("from", &input.from)?;
    let to = optional_day("to", &input.to)?;
    check_interval(from, to).map_err(invalid)?;
    let decided_on = optional_day("decided_on", &input.decided_on)?.unwrap_or(from);
    let reference = entente_core::menu::check_text("reference", &input.reference, true, 500).map_err(invalid)?;
    Ok(StoredDecision {
        id: 0,
        decided_on: decided_on.to_string(),
        kind: kind.as_str().into(),
        scope: scope.to_string(),
        from_day: from.to_string(),
        to_day: to.map(|d| d.to_string()),
        reference,
        recorded_by: None,
        recorded_at: String::new(),
        nations: nations.into_iter().collect(),
    })
}

/// The records of an embedded reference file.
pub(super) fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes()).records().filter_map(Result::ok).collect()
}

/// The reference policies, as typed.
fn reference_policies() -> Vec<PolicyInput> {
    csv_rows(POLICIES)
        .iter()
        .map(|r| PolicyInput {
            code: r[0].into(),
            rule: r[1].into(),
            from: r[2].into(),
            to: r[3].into(),
            title_en: r[4].into(),
            title_fr: r[5].into(),
            source: r[6].into(),
        })
        .collect()
}

/// The reference council decisions, as typed.
fn reference_decisions() -> Vec<DecisionInput> {
    csv_rows(DECISIONS)
        .iter()
        .map(|r| DecisionInput {
            decided_on: r[0].into(),
            kind: r[1].into(),
            nations: r[2].split(';').map(str::to_owned).collect(),
            scope: r[3].into(),
            from: r[4].into(),
            to: r[5].into(),
            reference: r[6].into(),
        })
        .collect()
}

fn coded_names(text: &str) -> Vec<StoredArea> {
    csv_rows(text)
        .iter()
        .map(|r| StoredArea {
            code: r[0].to_owned(),
            name_en: r[1].to_owned(),
            name_fr: r[2].to_owned(),
            source: r[3].to_owned(),
        })
        .collect()
}

impl CouncilService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Loads the menu's reference data into a database that lacks it: areas and bodies
    /// (new codes only), the policies and decisions when none are stored yet, and the
    /// historical programmes when none are stored. Several
    /// processes starting at once load it once: the checks and loads share one unit under
    /// the registry's lock.
    pub async fn ensure_reference(&self, registry: &Registry) -> Result<(), ServiceError> {
        let mut tx = self.db.write().await?;
        tx.lock(LockKey::Registry).await?;
        let areas = tx.insert_areas(AreaTable::Areas, &coded_names(AREAS)).await?;
        let bodies = tx.insert_areas(AreaTable::Bodies, &coded_names(BODIES)).await?;
        let mut policies = 0;
        let mut decisions = 0;
        if tx.policies().await?.is_empty() {
            for input in reference_policies() {
                tx.upsert_policy(&check_policy(&input)?).await?;
                policies += 1;
            }
        }
        if tx.decision_count().await? == 0 {
            let known = tx.areas(AreaTable::Areas).await?;
            for input in reference_decisions() {
                tx.insert_decision(&check_decision(&input, registry, &known)?).await?;
                decisions += 1;
            }
        }
        let programmes = super::programmes::load_reference_programmes(&mut tx).await?;
        let (operations, contributions) = super::operations::load_reference_operations(&mut tx, registry).await?;
        let meetings = super::meetings::load_reference_meetings(&mut tx, registry).await?;
        if areas + bodies + policies + decisions + programmes + (operations + meetings) as u64 > 0 {
            append(
                &mut tx,
                "system:reference-dataset",
                "menu.reference",
                json!({
                    "areas": areas, "bodies": bodies, "policies": policies, "decisions": decisions,
                    "programmes": programmes, "operations": operations, "contributions": contributions,
                    "meetings": meetings
                }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The policies and decisions, as the core takes them.
    pub async fn rules(&self) -> Result<Rules, ServiceError> {
        let mut tx = self.db.read().await?;
        let rules = rules_in(&mut tx).await?;
        tx.commit().await?;
        Ok(rules)
    }

    /// Refuses unless the actor may record council decisions (the decision form asks).
    pub fn check_recorder(&self, actor: &Actor) -> Result<(), ServiceError> {
        actor.require(Action::Create, Resource::CouncilDecisions)
    }

    /// Refuses unless the actor may edit the eligibility policies (the policy form asks).
    pub fn check_policy_editor(&self, actor: &Actor) -> Result<(), ServiceError> {
        actor.require(Action::Update, Resource::Policies)
    }

    /// Whether the actor may record decisions: the decisions page offers the form to those
    /// who may.
    pub fn may_record(&self, actor: &Actor) -> bool {
        self.check_recorder(actor).is_ok()
    }

    /// Whether the actor may edit the policies: the decisions page offers the forms to
    /// those who may.
    pub fn may_edit_policies(&self, actor: &Actor) -> bool {
        self.check_policy_editor(actor).is_ok()
    }

    /// Every policy.
    pub async fn policies(&self, actor: &Actor) -> Result<Vec<StoredPolicy>, ServiceError> {
        actor.require(Action::Read, Resource::Policies)?;
        Ok(self.db.read().await?.policies().await?)
    }

    /// Every council decision, latest first.
    pub async fn decisions(&self, actor: &Actor) -> Result<Vec<StoredDecision>, ServiceError> {
        actor.require(Action::Read, Resource::CouncilDecisions)?;
        Ok(self.db.read().await?.decisions().await?)
    }

    /// Records a council decision; returns its number.
    pub async fn add_decision(
        &self,
        actor: &Actor,
        registry: &Registry,
        input: &DecisionInput,
    ) -> Result<i64, ServiceError> {
        actor.require(Action::Create, Resource::CouncilDecisions)?;
        let mut tx = self.db.write().await?;
        let areas = tx.areas(AreaTable::Areas).await?;
        let mut decision = check_decision(input, registry, &areas)?;
        if let Ok(Scope::Activity(code)) = Scope::parse(&decision.scope)
            && tx.activity(code.as_str(), None).await?.is_none()
        {
            return Err(ServiceError::Invalid {
                field: "scope".into(),
                reason: Reason::Inconsistent(format!("unknown activity `{code}`")),
            });
        }
        decision.recorded_by = Some(actor.user_id()).filter(|id| *id > 0);
        let id = tx.insert_decision(&decision).await?;
        append(
            &mut tx,
            &actor.label,
            "decision.create",
            json!({
                "id": id, "after": { "kind": decision.kind, "nations": decision.nations, "scope": decision.scope,
                    "from": decision.from_day, "to": decision.to_day, "decided_on": decision.decided_on,
                    "reference": decision.reference }
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Creates or replaces a policy; returns whether it was new.
    pub async fn save_policy(&self, actor: &Actor, input: &PolicyInput) -> Result<bool, ServiceError> {
        self.store_policy(actor, input, false).await
    }

    /// Creates a policy; a code already taken is a conflict (a new-policy form must not
    /// replace a policy in force unawares).
    pub async fn create_policy(&self, actor: &Actor, input: &PolicyInput) -> Result<(), ServiceError> {
        self.store_policy(actor, input, true).await.map(|_| ())
    }

    async fn store_policy(&self, actor: &Actor, input: &PolicyInput, only_new: bool) -> Result<bool, ServiceError> {
        actor.require(Action::Update, Resource::Policies)?;
        let policy = check_policy(input)?;
        let mut tx = self.db.write().await?;
        let before = tx.policies().await?.into_iter().find(|p| p.code == policy.code);
        if only_new && before.is_some() {
            return Err(ServiceError::Conflict(Reason::Inconsistent(format!(
                "a policy {} exists already",
                policy.code
            ))));
        }
        let created = tx.upsert_policy(&policy).await?;
        append(
            &mut tx,
            &actor.label,
            if created { "policy.create" } else { "policy.update" },
            json!({
                "code": policy.code, "before": before, "after": policy
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }
}

/// The policies and decisions as `tx` sees them.
pub async fn rules_in(tx: &mut Tx) -> Result<Rules, ServiceError> {
    let policies = tx.policies().await?.iter().map(policy_of).collect::<Result<_, _>>()?;
    let decisions = tx.decisions().await?.iter().map(decision_of).collect::<Result<_, _>>()?;
    Ok(Rules { policies, decisions })
}

/// Appends a menu change to the audit trail.
pub(super) async fn append(
    tx: &mut Tx,
    actor: &str,
    action: &str,
    detail: serde_json::Value,
) -> Result<(), ServiceError> {
    let record = crate::store::audit::AuditRecord { actor: actor.to_owned(), action: action.to_owned(), detail };
    super::integrity::append(tx, &record, &[]).await
}

/// The reference areas and alliance bodies, as embedded in the binary.
pub fn reference_catalogue() -> super::menu::Catalogue {
    super::menu::Catalogue { areas: coded_names(AREAS), bodies: coded_names(BODIES) }
}

/// The reference policies and decisions, as the core takes them (numbered from 1).
pub fn reference_rules(registry: &Registry) -> Result<Rules, ServiceError> {
    let policies = reference_policies().iter().map(|p| policy_of(&check_policy(p)?)).collect::<Result<_, _>>()?;
    let areas = coded_names(AREAS);
    let mut decisions = Vec::new();
    for (i, input) in reference_decisions().iter().enumerate() {
        let stored = StoredDecision { id: i as i64 + 1, ..check_decision(input, registry, &areas)? };
        decisions.push(decision_of(&stored)?);
    }
    Ok(Rules { policies, decisions })
}
