//! Progress rolled up from indicators to goals, objectives, programmes, nations and
//! frameworks for a year, by the rule of [`entente_core::assessment::rollup`]: the latest
//! measurement of each indicator up to the year's end (from current review versions), the
//! mean of known parts at each level, missing data shown as missing. Only what the caller
//! may read goes in: the figures of records she may not see are not counted either.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use entente_core::assessment::Judgement;
use entente_core::assessment::rollup::{self, Latest, Progress};
use entente_core::{Action, FrameworkCode, Lifecycle, Marking, Registry};
use serde::Serialize;

use super::accounts::Actor;
use super::assessments::{definition_of, parse_marking, record};
use super::{Db, ServiceError};
use crate::store::assessments::{GoalPlace, MeasuredValue, StoredIndicator, StoredParpGoal};

/// An indicator's progress.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IndicatorProgress {
    /// Its number.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Unit.
    pub unit: String,
    /// `higher`, `lower` or `milestone`.
    pub direction: String,
    /// Baseline value.
    pub baseline: f64,
    /// Target value.
    pub target: f64,
    /// Target day.
    pub target_date: String,
    /// The latest value measured up to the year's end, or null.
    pub value: Option<f64>,
    /// Its day, or null.
    pub measured_on: Option<String>,
    /// From 0 to 1, or null where not measured.
    pub progress: Option<f64>,
    /// `on_track`, `at_risk`, `off_track`, `achieved`, or null.
    pub status: Option<String>,
}

/// A goal's progress.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GoalProgress {
    /// Its number (a programme goal's or a PARP goal's).
    pub id: i64,
    /// A PARP goal's code; empty for a programme's goal.
    pub code: String,
    /// Title.
    pub title: String,
    /// Its objective's title (empty for a PARP goal).
    pub objective: String,
    /// From 0 to 1, or null where no data.
    pub progress: Option<f64>,
    /// `on_track`, `at_risk`, `off_track`, `achieved`, or null.
    pub status: Option<String>,
    /// Indicators measured.
    pub measured: usize,
    /// Indicators.
    pub indicators: usize,
    /// Its indicators.
    pub indicator_progress: Vec<IndicatorProgress>,
}

/// An objective's progress.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ObjectiveProgress {
    /// Title.
    pub title: String,
    /// From 0 to 1, or null where no data.
    pub progress: Option<f64>,
    /// Status, or null.
    pub status: Option<String>,
}

/// A programme's progress.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgrammeProgress {
    /// Code.
    pub code: String,
    /// Title.
    pub title: String,
    /// Where the programme stands (draft, agreed, in execution, ...).
    pub programme_status: String,
    /// From 0 to 1, or null where no data.
    pub progress: Option<f64>,
    /// Status, or null.
    pub status: Option<String>,
    /// Indicators measured.
    pub measured: usize,
    /// Indicators.
    pub indicators: usize,
    /// Its objectives.
    pub objectives: Vec<ObjectiveProgress>,
    /// Its goals.
    pub goals: Vec<GoalProgress>,
}

/// The PARP's part of a nation's progress.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParpProgress {
    /// From 0 to 1, or null where no data.
    pub progress: Option<f64>,
    /// Status, or null.
    pub status: Option<String>,
    /// Its goals.
    pub goals: Vec<GoalProgress>,
}

/// A nation's progress in a year (the contract of `entente progress --format json`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NationProgress {
    /// The nation.
    pub nation: String,
    /// The year.
    pub year: i64,
    /// From 0 to 1, or null where no data.
    pub progress: Option<f64>,
    /// Status, or null.
    pub status: Option<String>,
    /// Indicators measured.
    pub measured: usize,
    /// Indicators.
    pub indicators: usize,
    /// The progress a year before, or null.
    pub previous: Option<f64>,
    /// The change since, or null where either is missing.
    pub change: Option<f64>,
    /// Programmes.
    pub programmes: Vec<ProgrammeProgress>,
    /// The PARP.
    pub parp: ParpProgress,
    /// The highest marking of the records the figures rest on (for banners), or null.
    pub marking: Option<String>,
}

impl NationProgress {
    /// The roll-up of the whole nation.
    pub fn rolled(&self) -> Progress {
        Progress {
            value: self.progress,
            status: self.status.as_deref().and_then(Judgement::parse),
            measured: self.measured,
            indicators: self.indicators,
        }
    }
}

fn status_text(p: &Progress) -> Option<String> {
    p.status.map(|s| s.as_str().to_owned())
}

/// Everything a roll-up reads, for one nation or all.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Programme goals with their place.
    pub places: Vec<GoalPlace>,
    /// PARP goals.
    pub parp_goals: Vec<StoredParpGoal>,
    /// Indicators the caller may read.
    pub indicators: Vec<StoredIndicator>,
    /// Measurements up to the year, by indicator then day.
    pub values: Vec<MeasuredValue>,
}

/// The latest measurement of each indicator dated in `year` or before.
fn latest_by_indicator(values: &[MeasuredValue], year: i64) -> HashMap<i64, Latest> {
    let mut out = HashMap::new();
    for v in values {
        let Ok(date) = v.measured_on.parse::<NaiveDate>() else { continue };
        if i64::from(date.year()) > year {
            continue;
        }
        let newer = out.get(&v.indicator_id).is_none_or(|l: &Latest| l.date <= date);
        if newer {
            out.insert(v.indicator_id, Latest { date, value: v.value, judgement: Judgement::parse(&v.judgement) });
        }
    }
    out
}

fn indicator_progress(
    indicator: &StoredIndicator,
    latest: Option<Latest>,
) -> Result<(IndicatorProgress, Progress), ServiceError> {
    let definition = definition_of(indicator)?;
    let progress = rollup::indicator(&definition, latest);
    Ok((
        IndicatorProgress {
            id: indicator.id,
            title: indicator.title.clone(),
            unit: indicator.unit.clone(),
            direction: indicator.direction.clone(),
            baseline: indicator.baseline,
            target: indicator.target,
            target_date: indicator.target_date.clone(),
            value: latest.map(|l| l.value),
            measured_on: latest.map(|l| l.date.to_string()),
            progress: progress.value,
            status: status_text(&progress),
        },
        progress,
    ))
}

fn goal_progress(
    id: i64,
    code: &str,
    title: &str,
    objective: &str,
    indicators: &[&StoredIndicator],
    latest: &HashMap<i64, Latest>,
) -> Result<(GoalProgress, Progress), ServiceError> {
    let mut list = Vec::with_capacity(indicators.len());
    let mut parts = Vec::with_capacity(indicators.len());
    for indicator in indicators {
        let (shown, progress) = indicator_progress(indicator, latest.get(&indicator.id).copied())?;
        list.push(shown);
        parts.push(progress);
    }
    let whole = rollup::combine(&parts);
    Ok((
        GoalProgress {
            id,
            code: code.to_owned(),
            title: title.to_owned(),
            objective: objective.to_owned(),
            progress: whole.value,
            status: status_text(&whole),
            measured: whole.measured,
            indicators: whole.indicators,
            indicator_progress: list,
        },
        whole,
    ))
}

/// An objective's title and its goals' progress this year and the year before.
type ObjectiveParts = (String, Vec<Progress>, Vec<Progress>);

/// One nation's progress in `year` from `inputs` (already limited to that nation and to
/// what the caller may read).
pub fn assemble(nation: &str, year: i64, inputs: &Inputs) -> Result<NationProgress, ServiceError> {
    let latest = latest_by_indicator(&inputs.values, year);
    let before = latest_by_indicator(&inputs.values, year - 1);
    let mut by_programme_goal: HashMap<i64, Vec<&StoredIndicator>> = HashMap::new();
    let mut by_parp_goal: HashMap<i64, Vec<&StoredIndicator>> = HashMap::new();
    for indicator in &inputs.indicators {
        match (indicator.programme_goal_id, indicator.parp_goal_id) {
            (Some(goal), _) => by_programme_goal.entry(goal).or_default().push(indicator),
            (None, Some(goal)) => by_parp_goal.entry(goal).or_default().push(indicator),
            (None, None) => {}
        }
    }
    let empty = Vec::new();
    // Programmes in the order the places come (by code, objective, goal).
    let mut programmes: Vec<ProgrammeProgress> = Vec::new();
    let mut programme_parts: Vec<(Progress, Progress)> = Vec::new();
    let mut objective_parts: BTreeMap<(String, i64), ObjectiveParts> = BTreeMap::new();
    let mut goal_parts: BTreeMap<String, (Vec<Progress>, Vec<Progress>)> = BTreeMap::new();
    for place in inputs.places.iter().filter(|p| p.nation == nation) {
        if programmes.last().is_none_or(|p| p.code != place.programme_code) {
            programmes.push(ProgrammeProgress {
                code: place.programme_code.clone(),
                title: place.programme_title.clone(),
                programme_status: place.programme_status.clone(),
                progress: None,
                status: None,
                measured: 0,
                indicators: 0,
                objectives: Vec::new(),
                goals: Vec::new(),
            });
        }
        let indicators = by_programme_goal.get(&place.goal_id).unwrap_or(&empty);
        let (goal, now) =
            goal_progress(place.goal_id, "", &place.goal_title, &place.objective_title, indicators, &latest)?;
        let (_, then) = goal_progress(place.goal_id, "", "", "", indicators, &before)?;
        let entry = objective_parts
            .entry((place.programme_code.clone(), place.objective_id))
            .or_insert_with(|| (place.objective_title.clone(), Vec::new(), Vec::new()));
        entry.1.push(now);
        entry.2.push(then);
        goal_parts.entry(place.programme_code.clone()).or_default();
        if let Some(programme) = programmes.last_mut() {
            programme.goals.push(goal);
        }
    }
    for ((code, _), (title, now, then)) in &objective_parts {
        let (whole, earlier) = (rollup::combine(now), rollup::combine(then));
        if let Some(programme) = programmes.iter_mut().find(|p| &p.code == code) {
            programme.objectives.push(ObjectiveProgress {
                title: title.clone(),
                progress: whole.value,
                status: status_text(&whole),
            });
        }
        let parts = goal_parts.entry(code.clone()).or_default();
        parts.0.push(whole);
        parts.1.push(earlier);
    }
    for programme in &mut programmes {
        let (now, then) = goal_parts.get(&programme.code).cloned().unwrap_or_default();
        let (whole, earlier) = (rollup::combine(&now), rollup::combine(&then));
        programme.progress = whole.value;
        programme.status = status_text(&whole);
        programme.measured = whole.measured;
        programme.indicators = whole.indicators;
        programme_parts.push((whole, earlier));
    }
    let mut parp_goals = Vec::new();
    let (mut parp_now, mut parp_then) = (Vec::new(), Vec::new());
    for goal in inputs.parp_goals.iter().filter(|g| g.nation == nation) {
        let indicators = by_parp_goal.get(&goal.id).unwrap_or(&empty);
        let (shown, now) = goal_progress(goal.id, &goal.code, &goal.title, "", indicators, &latest)?;
        let (_, then) = goal_progress(goal.id, "", "", "", indicators, &before)?;
        parp_goals.push(shown);
        parp_now.push(now);
        parp_then.push(then);
    }
    let (parp, parp_before) = (rollup::combine(&parp_now), rollup::combine(&parp_then));
    let mut now: Vec<Progress> = programme_parts.iter().map(|(n, _)| *n).collect();
    let mut then: Vec<Progress> = programme_parts.iter().map(|(_, t)| *t).collect();
    if !parp_goals.is_empty() {
        now.push(parp);
        then.push(parp_before);
    }
    let (whole, earlier) = (rollup::combine(&now), rollup::combine(&then));
    Ok(NationProgress {
        nation: nation.to_owned(),
        year,
        progress: whole.value,
        status: status_text(&whole),
        measured: whole.measured,
        indicators: whole.indicators,
        previous: earlier.value,
        change: rollup::change(&earlier, &whole),
        programmes,
        parp: ParpProgress { progress: parp.value, status: status_text(&parp), goals: parp_goals },
        marking: None,
    })
}

/// A framework's progress: its partners' on the year's last day.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FrameworkProgress {
    /// The framework.
    pub framework: String,
    /// From 0 to 1, or null where no data.
    pub progress: Option<f64>,
    /// Status, or null.
    pub status: Option<String>,
    /// Partners with progress data.
    pub nations: Vec<(String, Option<f64>)>,
}

/// Progress.
#[derive(Debug, Clone)]
pub struct ProgressService {
    db: Db,
}

impl ProgressService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// What a roll-up reads, for `nation` or every nation, limited to what the caller may
    /// read: the programmes' goals she may read, and the indicators she may read.
    pub async fn inputs(
        &self,
        actor: &Actor,
        registry: &Registry,
        nation: Option<&str>,
        year: i64,
    ) -> Result<Inputs, ServiceError> {
        let mut tx = self.db.read().await?;
        let places = tx.goal_places(nation).await?;
        let parp_goals = tx.parp_goals(nation).await?;
        let indicators = tx.indicators(nation).await?;
        let values = tx.measured_values(nation, &format!("{year:04}-12-31")).await?;
        tx.commit().await?;
        // Markings repeat: each is parsed and judged once.
        let mut readable: HashMap<(String, String), bool> = HashMap::new();
        let mut may_read = |marking: &str, nation: &str| -> Result<bool, ServiceError> {
            let key = (marking.to_owned(), nation.to_owned());
            if let Some(known) = readable.get(&key) {
                return Ok(*known);
            }
            let parsed = parse_marking(registry, marking, "assessment")?;
            let allowed =
                actor.require(Action::Read, record(&parsed, nation.parse().ok(), Lifecycle::Unmanaged)).is_ok();
            readable.insert(key, allowed);
            Ok(allowed)
        };
        let mut kept_places = Vec::with_capacity(places.len());
        for place in places {
            if may_read(&place.programme_marking, &place.nation)? {
                kept_places.push(place);
            }
        }
        let mut kept_goals = Vec::with_capacity(parp_goals.len());
        for goal in parp_goals {
            if may_read(&goal.marking, &goal.nation)? {
                kept_goals.push(goal);
            }
        }
        let mut kept_indicators = Vec::with_capacity(indicators.len());
        for indicator in indicators {
            if may_read(&indicator.marking, &indicator.nation)? {
                kept_indicators.push(indicator);
            }
        }
        let mut kept_values = Vec::with_capacity(values.len());
        for value in values {
            if may_read(&value.marking, &value.nation)? {
                kept_values.push(value);
            }
        }
        Ok(Inputs { places: kept_places, parp_goals: kept_goals, indicators: kept_indicators, values: kept_values })
    }

    /// A nation's progress in `year`.
    pub async fn nation(
        &self,
        actor: &Actor,
        registry: &Registry,
        nation: &str,
        year: i64,
    ) -> Result<NationProgress, ServiceError> {
        let inputs = self.inputs(actor, registry, Some(nation), year).await?;
        let mut progress = assemble(nation, year, &inputs)?;
        progress.marking = highest_marking(registry, &inputs)?.map(|m| m.to_string());
        Ok(progress)
    }

    /// Every nation's progress in `year` that has programmes or PARP goals the caller may
    /// read, by nation code.
    pub async fn all(
        &self,
        actor: &Actor,
        registry: &Registry,
        year: i64,
    ) -> Result<Vec<NationProgress>, ServiceError> {
        let inputs = self.inputs(actor, registry, None, year).await?;
        assemble_all(year, inputs)
    }

    /// Each framework's progress on the year's last day, from its partners'.
    pub fn frameworks(registry: &Registry, year: i64, nations: &[NationProgress]) -> Vec<FrameworkProgress> {
        let Some(day) = NaiveDate::from_ymd_opt(i32::try_from(year).unwrap_or(2000), 12, 31) else { return Vec::new() };
        let by_nation: HashMap<&str, &NationProgress> = nations.iter().map(|n| (n.nation.as_str(), n)).collect();
        registry
            .frameworks()
            .map(|framework| {
                let code: &FrameworkCode = &framework.code;
                let members: Vec<&NationProgress> = registry
                    .participants_at(code, day)
                    .iter()
                    .filter_map(|p| by_nation.get(p.nation.as_str()).copied())
                    .collect();
                let whole = rollup::combine(&members.iter().map(|n| n.rolled()).collect::<Vec<_>>());
                FrameworkProgress {
                    framework: code.to_string(),
                    progress: whole.value,
                    status: status_text(&whole),
                    nations: members.iter().map(|n| (n.nation.clone(), n.progress)).collect(),
                }
            })
            .collect()
    }
}

/// The highest marking among the records `inputs` holds, for a page's or a report's banner.
pub fn highest_marking(registry: &Registry, inputs: &Inputs) -> Result<Option<Marking>, ServiceError> {
    let texts: BTreeSet<&str> = inputs
        .places
        .iter()
        .map(|p| p.programme_marking.as_str())
        .chain(inputs.parp_goals.iter().map(|g| g.marking.as_str()))
        .chain(inputs.indicators.iter().map(|i| i.marking.as_str()))
        .chain(inputs.values.iter().map(|v| v.marking.as_str()))
        .collect();
    // The highest classification; at one classification, a limited release before "all".
    let rank = |m: &Marking| (m.classification(), !matches!(m.releasability(), entente_core::Releasability::All));
    let mut highest: Option<Marking> = None;
    for text in texts {
        let marking = parse_marking(registry, text, "assessment")?;
        if highest.as_ref().is_none_or(|h| rank(&marking) > rank(h)) {
            highest = Some(marking);
        }
    }
    Ok(highest)
}

/// Every nation's progress from inputs covering all of them: grouped by nation once, so
/// the work grows with the data, not with nations times data.
pub fn assemble_all(year: i64, inputs: Inputs) -> Result<Vec<NationProgress>, ServiceError> {
    let mut by_nation: BTreeMap<String, Inputs> = BTreeMap::new();
    let indicator_nation: HashMap<i64, String> = inputs.indicators.iter().map(|i| (i.id, i.nation.clone())).collect();
    for place in inputs.places {
        by_nation.entry(place.nation.clone()).or_default().places.push(place);
    }
    for goal in inputs.parp_goals {
        by_nation.entry(goal.nation.clone()).or_default().parp_goals.push(goal);
    }
    for indicator in inputs.indicators {
        by_nation.entry(indicator.nation.clone()).or_default().indicators.push(indicator);
    }
    for value in inputs.values {
        if let Some(nation) = indicator_nation.get(&value.indicator_id) {
            by_nation.entry(nation.clone()).or_default().values.push(value);
        }
    }
    by_nation.iter().map(|(nation, inputs)| assemble(nation, year, inputs)).collect()
}
