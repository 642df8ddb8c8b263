//! Tailored programmes: made and edited as drafts by the staff and the partner's own
//! officers, submitted, agreed once the council's decision and the partner's acceptance are
//! both recorded, executed year by year through work plans, amended by new versions, and
//! closed. The reference dataset's programme documents are loaded as historical programmes.

use std::collections::BTreeMap;

use entente_core::programme::{self, Agreement, Content, Difference, ProgrammeKind, ProgrammeStatus, Step};
use entente_core::{Action, Affiliation, Lifecycle, Marking, NationCode, Record, RecordKind, Registry, Resource};
use serde_json::json;

use super::accounts::Actor;
use super::council::append;
use super::documents::is_framework_of;
use super::{Db, Reason, ServiceError};
use crate::store::Tx;
use crate::store::programmes::{ProgrammeRow, StoredItem, StoredProgramme};

const PROGRAMME_DOCUMENTS: &str = include_str!("../../../../data/programme_documents.csv");

/// A programme as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ProgrammeInput {
    /// The partner (fixed once made).
    pub nation: String,
    /// `ipp`, `ipap`, `ipcp`, `anp`, `itpp`, `annual_package` or `dcb_package` (fixed).
    pub kind: String,
    /// Title.
    pub title: String,
    /// First day, YYYY-MM-DD.
    pub starts: String,
    /// Last day, YYYY-MM-DD (default: the kind's usual length, an ITPP four years).
    pub ends: String,
    /// Marking (default `UNCLASSIFIED REL TO` the nation).
    pub marking: String,
}

/// A work-plan item as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct WorkPlanInput {
    /// Year.
    pub year: i64,
    /// The goal it serves.
    pub goal: i64,
    /// The activity's or event's code.
    pub item: String,
    /// 1 (highest) to 3.
    pub priority: i64,
}

/// A goal with what supports it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct GoalView {
    /// Its number.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Supporting activity and event codes.
    pub supports: Vec<String>,
}

/// An objective with its goals.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ObjectiveView {
    /// Its number.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Goals.
    pub goals: Vec<GoalView>,
}

/// A programme version with its tree and work plans.
#[derive(Debug, Clone)]
pub struct ProgrammeView {
    /// The version.
    pub programme: StoredProgramme,
    /// Objectives, in order.
    pub objectives: Vec<ObjectiveView>,
    /// Work-plan items, by year and priority.
    pub work_plan: Vec<StoredItem>,
    /// Every version's number and status.
    pub versions: Vec<(i64, String)>,
}

/// Programmes.
#[derive(Debug, Clone)]
pub struct ProgrammeService {
    db: Db,
}

fn invalid(field: &str, reason: Reason) -> ServiceError {
    ServiceError::Invalid { field: field.to_owned(), reason }
}

fn status_of(p: &StoredProgramme) -> Result<ProgrammeStatus, ServiceError> {
    ProgrammeStatus::parse(&p.status).ok_or_else(|| ServiceError::Corrupt(format!("programme {}: status", p.code)))
}

/// The record `authorize()` judges a programme as, in the lifecycle state `lifecycle`.
fn record<'a>(marking: &'a Marking, nation: Option<NationCode>, lifecycle: Lifecycle) -> Resource<'a> {
    static STAFF: Affiliation = Affiliation::AllianceStaff;
    Resource::Record(Record { kind: RecordKind::Programme, marking, originator: &STAFF, subject: nation, lifecycle })
}

fn marking_of(p: &StoredProgramme, registry: &Registry) -> Result<Marking, ServiceError> {
    Marking::parse(&p.marking, |c| is_framework_of(registry, c))
        .map_err(|e| ServiceError::Corrupt(format!("programme {}: {e}", p.code)))
}

fn nation_of(p: &StoredProgramme) -> Option<NationCode> {
    p.nation.parse().ok()
}

/// A day typed as YYYY-MM-DD, or a refusal naming `field`.
pub(super) fn day(field: &str, text: &str) -> Result<chrono::NaiveDate, ServiceError> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(field, Reason::NotADate(text.trim().to_owned())))
}

/// Refuses a day outside the registry's span (1949 to 2200).
fn in_range(field: &str, day: chrono::NaiveDate) -> Result<(), ServiceError> {
    let year = i64::from(chrono::Datelike::year(&day));
    if (1949..=2200).contains(&year) {
        Ok(())
    } else {
        Err(invalid(field, Reason::OutOfRange { min: 1949, max: 2200 }))
    }
}

fn title(field: &str, text: &str) -> Result<String, ServiceError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(field, Reason::Required));
    }
    if text.chars().count() > 300 {
        return Err(invalid(field, Reason::TooLong(300)));
    }
    super::documents::check_text(field, text, 300)?;
    Ok(text.to_owned())
}

/// A version's tree, read into views.
async fn tree(tx: &mut Tx, programme_id: i64) -> Result<Vec<ObjectiveView>, ServiceError> {
    let rows = tx.programme_tree(programme_id).await?;
    let mut supports: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (goal, code) in tx.programme_supports(programme_id).await? {
        supports.entry(goal).or_default().push(code);
    }
    let mut out: Vec<ObjectiveView> = Vec::new();
    for row in rows {
        if out.last().is_none_or(|o| o.id != row.objective_id) {
            out.push(ObjectiveView { id: row.objective_id, title: row.objective_title.clone(), goals: Vec::new() });
        }
        if let (Some(id), Some(title), Some(last)) = (row.goal_id, row.goal_title, out.last_mut()) {
            last.goals.push(GoalView { id, title, supports: supports.remove(&id).unwrap_or_default() });
        }
    }
    Ok(out)
}

fn content(p: &StoredProgramme, objectives: &[ObjectiveView]) -> Content {
    Content {
        title: p.title.clone(),
        kind: p.kind.clone(),
        starts: p.starts.clone(),
        ends: p.ends.clone(),
        marking: p.marking.clone(),
        objectives: objectives
            .iter()
            .map(|o| programme::Objective {
                title: o.title.clone(),
                goals: o
                    .goals
                    .iter()
                    .map(|g| programme::Goal { title: g.title.clone(), supports: g.supports.iter().cloned().collect() })
                    .collect(),
            })
            .collect(),
    }
}

/// Loads the reference dataset's programme documents (IPAPs, DCB packages, ITPPs) as
/// historical programmes, unless some are stored; returns how many. Runs in the unit that
/// loads the rest of the reference data, under its lock.
pub(super) async fn load_reference_programmes(tx: &mut Tx) -> Result<u64, ServiceError> {
    if tx.has_historical_programmes().await? {
        return Ok(0);
    }
    let mut reader = csv::Reader::from_reader(PROGRAMME_DOCUMENTS.as_bytes());
    let mut loaded: u64 = 0;
    for record in reader.records() {
        let record = record.map_err(|e| ServiceError::Corrupt(format!("programme_documents.csv: {e}")))?;
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        let (nation, name, document, date, note, source) = (field(0), field(1), field(2), field(3), field(4), field(5));
        let (kind, status) = match document.as_str() {
            "IPAP (programme)" => (ProgrammeKind::Ipap, ProgrammeStatus::Agreed),
            "DCB package" => (ProgrammeKind::DcbPackage, ProgrammeStatus::Agreed),
            "ITPP" => (ProgrammeKind::Itpp, ProgrammeStatus::InExecution),
            "ITPP (planned)" => (ProgrammeKind::Itpp, ProgrammeStatus::Draft),
            other => return Err(ServiceError::Corrupt(format!("programme_documents.csv: document `{other}`"))),
        };
        let year = if date.len() >= 4 { date[..4].to_owned() } else { "UNDATED".to_owned() };
        let row = ProgrammeRow {
            code: format!("{nation}-{}-{year}", code_word(kind)),
            version: 1,
            nation: nation.clone(),
            kind: kind.as_str().into(),
            title: format!("{name}: {document}"),
            starts: date,
            ends: String::new(),
            status: status.as_str().into(),
            marking: "PUBLIC".into(),
            predecessor_id: None,
            historical: true,
            note,
            source,
        };
        tx.insert_programme(&row).await?;
        loaded += 1;
    }
    Ok(loaded)
}

/// The kind as programme codes spell it: `ITPP`, `IPAP`, `DCB`, `ANNUAL`.
fn code_word(kind: ProgrammeKind) -> String {
    kind.as_str().to_ascii_uppercase().replace("_PACKAGE", "")
}

/// What `authorize()` is asked for a lifecycle step.
fn step_action(step: Step) -> Action {
    match step {
        Step::Submit => Action::Submit,
        Step::Return | Step::CouncilDecision => Action::Approve,
        Step::PartnerAcceptance => Action::Agree,
        Step::Execute | Step::Close => Action::Administer,
    }
}

/// What the caller may do with a programme version, for pages to offer.
#[derive(Debug, Clone, Default)]
pub struct ProgrammeActions {
    /// The lifecycle steps she may take now.
    pub steps: Vec<Step>,
    /// Whether she may edit the draft's tree.
    pub edit: bool,
    /// Whether she may add to its work plans.
    pub plan: bool,
    /// Whether she may amend it.
    pub amend: bool,
}

impl ProgrammeService {
    /// What the caller may do with `view`'s version: only the latest version is acted on,
    /// and each answer is the one the change itself would get.
    pub fn actions(
        &self,
        actor: &Actor,
        registry: &Registry,
        view: &ProgrammeView,
    ) -> Result<ProgrammeActions, ServiceError> {
        let p = &view.programme;
        if view.versions.last().is_none_or(|(v, _)| *v != p.version) {
            return Ok(ProgrammeActions::default());
        }
        let marking = marking_of(p, registry)?;
        let status = status_of(p)?;
        let allowed = |action, lifecycle| actor.require(action, record(&marking, nation_of(p), lifecycle)).is_ok();
        let agreement =
            Agreement { council: !p.council_decision.is_empty(), partner: !p.partner_accepted_by.is_empty() };
        let steps = Step::ALL
            .into_iter()
            .filter(|s| programme::take(status, agreement, *s).is_ok() && allowed(step_action(*s), status.lifecycle()))
            .collect();
        Ok(ProgrammeActions {
            steps,
            edit: status == ProgrammeStatus::Draft && allowed(Action::Update, status.lifecycle()),
            plan: status.work_plan_open() && allowed(Action::Update, Lifecycle::Draft),
            amend: status.amendable() && allowed(Action::Create, Lifecycle::Draft),
        })
    }

    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Whether the caller may start a programme for some nation (staff) or her own.
    pub fn may_create(&self, actor: &Actor, nation: Option<NationCode>) -> bool {
        let marking = Marking::parse("UNCLASSIFIED", |_| false).unwrap_or_else(|_| Marking::public());
        actor.require(Action::Create, record(&marking, nation, Lifecycle::Draft)).is_ok()
    }

    /// Starts a programme: a draft, version 1.
    pub async fn create(
        &self,
        actor: &Actor,
        registry: &Registry,
        input: &ProgrammeInput,
    ) -> Result<StoredProgramme, ServiceError> {
        let nation: NationCode = input
            .nation
            .trim()
            .to_ascii_uppercase()
            .parse()
            .map_err(|_| invalid("nation", Reason::UnknownNation(input.nation.trim().to_owned())))?;
        // Whether the caller may start this nation's programme at all, before the details.
        let provisional = Marking::parse(&format!("UNCLASSIFIED REL TO {nation}"), |_| false)
            .map_err(|e| invalid("nation", Reason::Marking(e)))?;
        actor.require(Action::Create, record(&provisional, Some(nation), Lifecycle::Draft))?;
        let kind = ProgrammeKind::parse(input.kind.trim()).ok_or_else(|| {
            invalid(
                "kind",
                Reason::NotOneOf(
                    input.kind.trim().to_owned(),
                    "ipp, ipap, ipcp, anp, itpp, annual_package, dcb_package",
                ),
            )
        })?;
        let marking_text = if input.marking.trim().is_empty() {
            format!("UNCLASSIFIED REL TO {nation}")
        } else {
            input.marking.trim().to_owned()
        };
        let marking = Marking::parse(&marking_text, |c| is_framework_of(registry, c))
            .map_err(|e| invalid("marking", Reason::Marking(e)))?;
        if actor.require(Action::Read, record(&marking, Some(nation), Lifecycle::Draft)).is_err() {
            return Err(invalid("marking", Reason::WouldNotRead(marking_text)));
        }
        actor.require(Action::Create, record(&marking, Some(nation), Lifecycle::Draft))?;
        let title = title("title", &input.title)?;
        let starts = day("starts", &input.starts)?;
        in_range("starts", starts)?;
        // Programmes are for partners: a member on the first day has none.
        let standing = registry.status_at(nation, starts).map(|s| s.status);
        if standing == Some(entente_core::Standing::Member) {
            return Err(invalid("nation", Reason::NotAPartner(nation.to_string(), starts.to_string())));
        }
        let ends = if input.ends.trim().is_empty() {
            let years = i32::try_from(kind.usual_years()).unwrap_or(1);
            chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&starts) + years, 1, 1)
                .and_then(|d| d.pred_opt())
                .unwrap_or(starts)
        } else {
            day("ends", &input.ends)?
        };
        if ends < starts {
            return Err(invalid("ends", Reason::Inconsistent(format!("{ends} is before the start {starts}"))));
        }
        let code = format!(
            "{nation}-{}-{}",
            kind.as_str().to_ascii_uppercase().replace("_PACKAGE", ""),
            chrono::Datelike::year(&starts)
        );
        let mut tx = self.db.write().await?;
        if tx.programme(&code, None, true).await?.is_some() {
            return Err(ServiceError::Conflict(Reason::ProgrammeExists(code)));
        }
        let row = ProgrammeRow {
            code: code.clone(),
            version: 1,
            nation: nation.to_string(),
            kind: kind.as_str().into(),
            title,
            starts: starts.to_string(),
            ends: ends.to_string(),
            status: ProgrammeStatus::Draft.as_str().into(),
            marking: marking.to_text(|c| is_framework_of(registry, c)),
            predecessor_id: None,
            historical: false,
            note: String::new(),
            source: String::new(),
        };
        let id = tx.insert_programme(&row).await?;
        append(
            &mut tx,
            &actor.label,
            "programme.create",
            json!({ "id": id, "code": code, "nation": row.nation, "kind": row.kind }),
        )
        .await?;
        let stored = tx.programme(&code, None, false).await?.ok_or(ServiceError::Corrupt("programme".into()))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// The programmes the caller may read (latest versions), of `nation` if given, with
    /// `status` if given.
    pub async fn list(
        &self,
        actor: &Actor,
        registry: &Registry,
        nation: Option<&str>,
        status: Option<&str>,
    ) -> Result<Vec<StoredProgramme>, ServiceError> {
        let mut tx = self.db.read().await?;
        let all = tx.programmes(nation).await?;
        tx.commit().await?;
        let mut out = Vec::new();
        for p in all {
            if status.is_some_and(|s| s != p.status) {
                continue;
            }
            let marking = marking_of(&p, registry)?;
            if actor.require(Action::Read, record(&marking, nation_of(&p), status_of(&p)?.lifecycle())).is_ok() {
                out.push(p);
            }
        }
        Ok(out)
    }

    /// A programme (its latest version, or `version`), with its tree and work plans.
    pub async fn get(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        version: Option<i64>,
    ) -> Result<ProgrammeView, ServiceError> {
        let mut tx = self.db.read().await?;
        let view = self.view(&mut tx, actor, registry, code, version).await?;
        tx.commit().await?;
        Ok(view)
    }

    async fn view(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        version: Option<i64>,
    ) -> Result<ProgrammeView, ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "programme", code: code.to_owned() };
        let programme = tx.programme(code, version, false).await?.ok_or_else(not_found)?;
        let marking = marking_of(&programme, registry)?;
        actor
            .require(Action::Read, record(&marking, nation_of(&programme), status_of(&programme)?.lifecycle()))
            .map_err(|e| if matches!(e, ServiceError::NotFound { .. }) { not_found() } else { e })?;
        let objectives = tree(tx, programme.id).await?;
        let work_plan = tx.work_plan(programme.id).await?;
        let versions = tx.programme_versions(code).await?.into_iter().map(|v| (v.version, v.status)).collect();
        Ok(ProgrammeView { programme, objectives, work_plan, versions })
    }

    /// Opens a write unit on a programme's latest version, refused unless `action` is
    /// allowed on it in its state.
    async fn for_change(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        action: Action,
        lifecycle: Option<Lifecycle>,
    ) -> Result<(Tx, StoredProgramme), ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "programme", code: code.to_owned() };
        let mut tx = self.db.write().await?;
        let programme = tx.programme(code, None, true).await?.ok_or_else(not_found)?;
        let marking = marking_of(&programme, registry)?;
        if actor.require(Action::Read, record(&marking, nation_of(&programme), Lifecycle::Unmanaged)).is_err() {
            return Err(not_found());
        }
        let state = lifecycle.unwrap_or(status_of(&programme)?.lifecycle());
        actor.require(action, record(&marking, nation_of(&programme), state))?;
        Ok((tx, programme))
    }

    /// Edits a draft's title, period and marking.
    pub async fn update(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        input: &ProgrammeInput,
    ) -> Result<StoredProgramme, ServiceError> {
        let (mut tx, before) = self.for_change(actor, registry, code, Action::Update, None).await?;
        let title = title("title", &input.title)?;
        let starts = day("starts", &input.starts)?;
        in_range("starts", starts)?;
        // An edit that leaves the last day empty keeps the programme's.
        let ends = if input.ends.trim().is_empty() { day("ends", &before.ends)? } else { day("ends", &input.ends)? };
        in_range("ends", ends)?;
        if ends < starts {
            return Err(invalid("ends", Reason::Inconsistent(format!("{ends} is before the start {starts}"))));
        }
        let marking_text =
            if input.marking.trim().is_empty() { before.marking.clone() } else { input.marking.trim().to_owned() };
        let marking = Marking::parse(&marking_text, |c| is_framework_of(registry, c))
            .map_err(|e| invalid("marking", Reason::Marking(e)))?;
        if actor.require(Action::Read, record(&marking, nation_of(&before), Lifecycle::Draft)).is_err() {
            return Err(invalid("marking", Reason::WouldNotRead(marking_text)));
        }
        actor.require(Action::Update, record(&marking, nation_of(&before), Lifecycle::Draft))?;
        let marking = marking.to_text(|c| is_framework_of(registry, c));
        tx.update_programme(before.id, &title, &starts.to_string(), &ends.to_string(), &marking).await?;
        append(
            &mut tx,
            &actor.label,
            "programme.update",
            json!({ "code": code, "version": before.version,
                    "before": { "title": before.title, "starts": before.starts, "ends": before.ends, "marking": before.marking },
                    "after": { "title": title, "starts": starts.to_string(), "ends": ends.to_string(), "marking": marking } }),
        )
        .await?;
        let stored = tx.programme(code, None, false).await?.ok_or(ServiceError::Corrupt("programme".into()))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Adds an objective to a draft; returns its number.
    pub async fn add_objective(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        text: &str,
    ) -> Result<i64, ServiceError> {
        let (mut tx, p) = self.for_change(actor, registry, code, Action::Update, None).await?;
        let text = title("title", text)?;
        let id = tx.insert_objective(p.id, &text).await?;
        append(
            &mut tx,
            &actor.label,
            "programme.objective",
            json!({ "code": code, "version": p.version, "id": id, "title": text }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a goal under one of a draft's objectives; returns its number.
    pub async fn add_goal(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        objective: i64,
        text: &str,
    ) -> Result<i64, ServiceError> {
        let (mut tx, p) = self.for_change(actor, registry, code, Action::Update, None).await?;
        let text = title("title", text)?;
        if !tree(&mut tx, p.id).await?.iter().any(|o| o.id == objective) {
            return Err(invalid("objective", Reason::NotOneOf(objective.to_string(), "this programme's objectives")));
        }
        let id = tx.insert_goal(objective, &text).await?;
        append(
            &mut tx,
            &actor.label,
            "programme.goal",
            json!({ "code": code, "version": p.version, "objective": objective, "id": id, "title": text }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Names a menu activity or an event supporting one of a draft's goals.
    pub async fn add_support(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        goal: i64,
        item: &str,
    ) -> Result<(), ServiceError> {
        let (mut tx, p) = self.for_change(actor, registry, code, Action::Update, None).await?;
        let item = self.known_item(&mut tx, item).await?;
        if !tree(&mut tx, p.id).await?.iter().flat_map(|o| &o.goals).any(|g| g.id == goal) {
            return Err(invalid("goal", Reason::NotOneOf(goal.to_string(), "this programme's goals")));
        }
        tx.insert_support(goal, &item).await?;
        append(
            &mut tx,
            &actor.label,
            "programme.support",
            json!({ "code": code, "version": p.version, "goal": goal, "item": item }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// `item` if it names an activity or an event, upper-cased.
    async fn known_item(&self, tx: &mut Tx, item: &str) -> Result<String, ServiceError> {
        let item = item.trim().to_ascii_uppercase();
        let event = tx.event(&item, false).await?;
        if event.as_ref().is_some_and(|e| e.status == "cancelled") {
            return Err(invalid("item", Reason::NotTakingRequests("cancelled".into())));
        }
        if event.is_some() || tx.activity(&item, None).await?.is_some() {
            Ok(item)
        } else {
            Err(invalid("item", Reason::Inconsistent(format!("no activity or event `{item}`"))))
        }
    }

    /// Puts an activity or event on a year's work plan, under a goal, with a priority. The
    /// work plan is how an agreed programme is carried out, so it changes until the
    /// programme is closed.
    pub async fn add_to_work_plan(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        input: &WorkPlanInput,
    ) -> Result<(), ServiceError> {
        let WorkPlanInput { year, goal, ref item, priority } = *input;
        let (mut tx, p) = self.for_change(actor, registry, code, Action::Update, Some(Lifecycle::Draft)).await?;
        let status = status_of(&p)?;
        if !status.work_plan_open() {
            return Err(ServiceError::Refused(entente_core::Refusal {
                rule: entente_core::Rule::WrongState(status.lifecycle()),
                action: Action::Update,
                target: entente_core::Target::Programme,
            }));
        }
        if !(1..=3).contains(&priority) {
            return Err(invalid("priority", Reason::OutOfRange { min: 1, max: 3 }));
        }
        // A year of the programme's period (historical programmes may lack one).
        let first = p.starts.get(..4).and_then(|y| y.parse::<i64>().ok()).unwrap_or(1949);
        let last = p.ends.get(..4).and_then(|y| y.parse::<i64>().ok()).unwrap_or(2200);
        if !(first..=last).contains(&year) {
            return Err(invalid("year", Reason::OutOfRange { min: first, max: last }));
        }
        let item = self.known_item(&mut tx, item).await?;
        if !tree(&mut tx, p.id).await?.iter().flat_map(|o| &o.goals).any(|g| g.id == goal) {
            return Err(invalid("goal", Reason::NotOneOf(goal.to_string(), "this programme's goals")));
        }
        if !tx.insert_work_plan_item(p.id, year, goal, &item, priority).await? {
            return Err(ServiceError::Conflict(Reason::Inconsistent(format!(
                "{item} is on the {year} work plan already"
            ))));
        }
        append(
            &mut tx,
            &actor.label,
            "work_plan.add",
            json!({ "code": code, "year": year, "goal": goal, "item": item, "priority": priority }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes a lifecycle step. The council's decision needs its reference.
    pub async fn step(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        step: Step,
        reference: &str,
    ) -> Result<StoredProgramme, ServiceError> {
        let (mut tx, p) = self.for_change(actor, registry, code, step_action(step), None).await?;
        let before = status_of(&p)?;
        let agreement =
            Agreement { council: !p.council_decision.is_empty(), partner: !p.partner_accepted_by.is_empty() };
        let (after, agreement) = programme::take(before, agreement, step)
            .map_err(|e| ServiceError::Conflict(Reason::Inconsistent(e.to_string())))?;
        let council = match step {
            Step::CouncilDecision => {
                let reference = reference.trim();
                if reference.is_empty() {
                    return Err(invalid("reference", Reason::Required));
                }
                reference.to_owned()
            }
            _ if agreement.council => p.council_decision.clone(),
            _ => String::new(),
        };
        let partner = match step {
            Step::PartnerAcceptance => actor.label.clone(),
            _ if agreement.partner => p.partner_accepted_by.clone(),
            _ => String::new(),
        };
        tx.set_programme_status(p.id, after.as_str(), &council, &partner).await?;
        append(
            &mut tx,
            &actor.label,
            &format!("programme.{}", step.as_str()),
            json!({ "code": code, "version": p.version, "before": before.as_str(), "after": after.as_str(), "reference": council }),
        )
        .await?;
        let stored = tx.programme(code, None, false).await?.ok_or(ServiceError::Corrupt("programme".into()))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// Starts an amendment: a new draft version copying the agreed one, its tree and work
    /// plans.
    pub async fn amend(&self, actor: &Actor, registry: &Registry, code: &str) -> Result<StoredProgramme, ServiceError> {
        let (mut tx, p) = self.for_change(actor, registry, code, Action::Create, Some(Lifecycle::Draft)).await?;
        if !status_of(&p)?.amendable() {
            return Err(ServiceError::Conflict(Reason::Inconsistent(format!(
                "only an agreed programme is amended; this one is {}",
                p.status
            ))));
        }
        let row = ProgrammeRow {
            code: p.code.clone(),
            version: p.version + 1,
            nation: p.nation.clone(),
            kind: p.kind.clone(),
            title: p.title.clone(),
            starts: p.starts.clone(),
            ends: p.ends.clone(),
            status: ProgrammeStatus::Draft.as_str().into(),
            marking: p.marking.clone(),
            predecessor_id: Some(p.id),
            historical: false,
            note: p.note.clone(),
            source: p.source.clone(),
        };
        let id = tx.insert_programme(&row).await?;
        let mut goals: BTreeMap<i64, i64> = BTreeMap::new();
        for objective in tree(&mut tx, p.id).await? {
            let new_objective = tx.insert_objective(id, &objective.title).await?;
            for goal in objective.goals {
                let new_goal = tx.insert_goal(new_objective, &goal.title).await?;
                goals.insert(goal.id, new_goal);
                for support in goal.supports {
                    tx.insert_support(new_goal, &support).await?;
                }
            }
        }
        for item in tx.work_plan(p.id).await? {
            if let Some(goal) = goals.get(&item.goal_id) {
                tx.insert_work_plan_item(id, item.year, *goal, &item.code, item.priority).await?;
            }
        }
        // Indicators follow their goals into the new version, with their measurements.
        for (old_goal, new_goal) in &goals {
            tx.move_indicators(*old_goal, *new_goal).await?;
        }
        append(
            &mut tx,
            &actor.label,
            "programme.amend",
            json!({ "code": code, "version": row.version, "amends": p.version }),
        )
        .await?;
        let stored = tx.programme(code, None, false).await?.ok_or(ServiceError::Corrupt("programme".into()))?;
        tx.commit().await?;
        Ok(stored)
    }

    /// What the latest version changes against the last agreed one (none if there is no
    /// earlier agreed version), with the two version numbers.
    pub async fn changes(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
    ) -> Result<(Option<(i64, i64)>, Vec<Difference>), ServiceError> {
        let mut tx = self.db.read().await?;
        let latest = self.view(&mut tx, actor, registry, code, None).await?;
        let versions = tx.programme_versions(code).await?;
        let agreed = versions.iter().rev().find(|v| {
            v.version < latest.programme.version && matches!(v.status.as_str(), "agreed" | "in_execution" | "closed")
        });
        let Some(agreed) = agreed else {
            tx.commit().await?;
            return Ok((None, Vec::new()));
        };
        let earlier = self.view(&mut tx, actor, registry, code, Some(agreed.version)).await?;
        tx.commit().await?;
        let changes = programme::diff(
            &content(&earlier.programme, &earlier.objectives),
            &content(&latest.programme, &latest.objectives),
        );
        Ok((Some((earlier.programme.version, latest.programme.version)), changes))
    }
}
