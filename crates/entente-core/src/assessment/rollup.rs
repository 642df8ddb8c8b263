//! Rolling progress up from indicators to goals, objectives, programmes, nations and
//! frameworks.
//!
//! The rule (also in `docs/assessments.md`):
//!
//! - An **indicator**'s progress is how far its latest measurement has come from the
//!   baseline to the target, from 0 to 1 ([`Indicator::progress_of`]); with no measurement
//!   it is *missing*, never 0. Its status is the reviewer's judgement when one was recorded,
//!   else the one the figures give ([`Indicator::judge`]).
//! - Any **whole** (a goal, an objective, a programme, a nation, a framework) is the plain
//!   mean of its parts that have a value; parts without one are left out and counted as
//!   missing. A whole whose parts all miss is missing. So a whole never reports more (or
//!   less) progress than its best (or worst) part, and missing data never pulls it down.
//! - A whole's status is its parts' median status (the worse of the two middle ones for an
//!   even count), ranked achieved, on track, at risk, off track: one lagging indicator
//!   among sixty does not put a programme at risk, half of them do. It is *achieved* only
//!   when every part is known and achieved (else a median "achieved" reads "on track").
//! - Each level also counts the indicators under it and how many were measured, so a page
//!   can say "3 of 5 indicators measured" beside the figure.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Indicator, Judgement};

/// Progress of an indicator or of a whole.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    /// From 0 to 1; `None` where no part has data.
    pub value: Option<f64>,
    /// The status; `None` where no part has data.
    pub status: Option<Judgement>,
    /// Indicators under it with a measurement.
    pub measured: usize,
    /// Indicators under it.
    pub indicators: usize,
}

/// An indicator's latest measurement in the period asked about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latest {
    /// Its date.
    pub date: NaiveDate,
    /// Its value.
    pub value: f64,
    /// The reviewer's judgement, if one was recorded.
    pub judgement: Option<Judgement>,
}

impl Progress {
    /// Nothing known, over no indicators: the roll-up of no parts.
    pub const EMPTY: Progress = Progress { value: None, status: None, measured: 0, indicators: 0 };
}

/// An indicator's progress from its latest measurement, if any.
pub fn indicator(definition: &Indicator, latest: Option<Latest>) -> Progress {
    match latest {
        None => Progress { value: None, status: None, measured: 0, indicators: 1 },
        Some(latest) => {
            let value = definition.progress_of(latest.value);
            let status = latest.judgement.unwrap_or_else(|| definition.judge(latest.date, value));
            Progress { value: Some(value), status: Some(status), measured: 1, indicators: 1 }
        }
    }
}

/// How bad a status is, for "the worst part's".
fn badness(status: Judgement) -> u8 {
    match status {
        Judgement::Achieved => 0,
        Judgement::OnTrack => 1,
        Judgement::AtRisk => 2,
        Judgement::OffTrack => 3,
    }
}

/// A whole's progress from its parts' (the rule above).
pub fn combine(parts: &[Progress]) -> Progress {
    let known: Vec<f64> = parts.iter().filter_map(|p| p.value).collect();
    let value = if known.is_empty() { None } else { Some(known.iter().sum::<f64>() / known.len() as f64) };
    let mut statuses: Vec<Judgement> = parts.iter().filter_map(|p| p.status).collect();
    statuses.sort_by_key(|s| badness(*s));
    let median = statuses.get(statuses.len() / 2).copied();
    let all_achieved = !parts.is_empty() && parts.iter().all(|p| p.status == Some(Judgement::Achieved));
    let status = match median {
        Some(Judgement::Achieved) if !all_achieved => Some(Judgement::OnTrack),
        other => other,
    };
    Progress {
        // A mean can stray above its largest part by a rounding step; the rule says it may not.
        value: value.map(|v| v.clamp(min_of(&known), max_of(&known))),
        status,
        measured: parts.iter().map(|p| p.measured).sum(),
        indicators: parts.iter().map(|p| p.indicators).sum(),
    }
}

fn min_of(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max_of(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// The change in progress from one period to another; missing where either is.
pub fn change(from: &Progress, to: &Progress) -> Option<f64> {
    Some(to.value? - from.value?)
}

#[cfg(test)]
mod tests;
