use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

use super::*;
use crate::assessment::Direction;

fn any_status() -> impl Strategy<Value = Option<Judgement>> {
    proptest::option::of(proptest::sample::select(Judgement::ALL.to_vec()))
}

/// A part as a roll-up sees it: a value with a status, or missing.
fn any_part() -> impl Strategy<Value = Progress> {
    (proptest::option::of(0.0f64..=1.0), any_status(), 1usize..20).prop_map(|(value, status, indicators)| match value {
        Some(v) => Progress {
            value: Some(v),
            status: Some(status.unwrap_or(Judgement::OnTrack)),
            measured: indicators.min(3),
            indicators,
        },
        None => Progress { value: None, status: None, measured: 0, indicators },
    })
}

fn any_indicator() -> impl Strategy<Value = Indicator> {
    (proptest::sample::select(Direction::ALL.to_vec()), -1000.0f64..1000.0, 0.001f64..1000.0, 1i64..4000).prop_map(
        |(direction, baseline, step, days)| {
            let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
            let (baseline, target) = match direction {
                Direction::Milestone => (0.0, 1.0),
                Direction::Higher => (baseline, baseline + step),
                Direction::Lower => (baseline, baseline - step),
            };
            Indicator { direction, baseline, baseline_date: start, target, target_date: start + Duration::days(days) }
        },
    )
}

proptest! {
    #[test]
    fn a_whole_never_reports_more_progress_than_its_best_part_nor_less_than_its_worst(parts in proptest::collection::vec(any_part(), 0..12)) {
        let whole = combine(&parts);
        let known: Vec<f64> = parts.iter().filter_map(|p| p.value).collect();
        match whole.value {
            None => prop_assert!(known.is_empty(), "missing although {} parts are known", known.len()),
            Some(v) => {
                prop_assert!(known.iter().any(|k| *k >= v), "{v} above every part {known:?}");
                prop_assert!(known.iter().any(|k| *k <= v), "{v} below every part {known:?}");
                prop_assert!((0.0..=1.0).contains(&v));
            }
        }
    }

    #[test]
    fn missing_data_is_shown_as_missing_and_never_counts_as_zero(parts in proptest::collection::vec(any_part(), 0..12), missing in 1usize..5) {
        let before = combine(&parts);
        let mut more = parts.clone();
        more.extend(std::iter::repeat_n(Progress { value: None, status: None, measured: 0, indicators: 1 }, missing));
        let after = combine(&more);
        prop_assert_eq!(after.value, before.value, "adding parts without data moved the figure");
        prop_assert_eq!(after.measured, before.measured);
        prop_assert_eq!(after.indicators, before.indicators + missing);
        let all_missing = combine(&vec![Progress { value: None, status: None, measured: 0, indicators: 1 }; missing]);
        prop_assert_eq!(all_missing.value, None);
        prop_assert_eq!(all_missing.status, None);
    }

    #[test]
    fn a_whole_status_lies_between_its_best_and_worst_parts(parts in proptest::collection::vec(any_part(), 1..12)) {
        let known: Vec<u8> = parts.iter().filter_map(|p| p.status).map(badness).collect();
        match combine(&parts).status {
            None => prop_assert!(known.is_empty()),
            Some(status) => {
                let b = badness(status);
                // Never worse than the worst part, nor better than the best; an "achieved"
                // over parts not all achieved reads "on track".
                let (best, worst) = (*known.iter().min().unwrap_or(&0), *known.iter().max().unwrap_or(&0));
                prop_assert!(best <= b && b <= worst.max(1), "{status:?} outside the parts' {known:?}");
            }
        }
    }

    #[test]
    fn a_whole_is_achieved_only_when_every_part_is(parts in proptest::collection::vec(any_part(), 0..12)) {
        if combine(&parts).status == Some(Judgement::Achieved) {
            prop_assert!(parts.iter().all(|p| p.status == Some(Judgement::Achieved)));
        }
    }

    #[test]
    fn rolling_up_in_stages_stays_within_the_indicators(groups in proptest::collection::vec(proptest::collection::vec(any_part(), 0..6), 0..6)) {
        // Goals from indicators, then a programme from goals: still within the leaves.
        let goals: Vec<Progress> = groups.iter().map(|g| combine(g)).collect();
        let programme = combine(&goals);
        let leaves: Vec<f64> = groups.iter().flatten().filter_map(|p| p.value).collect();
        if let Some(v) = programme.value {
            prop_assert!(leaves.iter().any(|k| *k >= v) && leaves.iter().any(|k| *k <= v));
        } else {
            prop_assert!(leaves.is_empty());
        }
    }

    #[test]
    fn an_indicator_moves_only_towards_its_target(indicator in any_indicator(), a in -2000.0f64..2000.0, b in -2000.0f64..2000.0) {
        let (pa, pb) = (indicator.progress_of(a), indicator.progress_of(b));
        prop_assert!((0.0..=1.0).contains(&pa));
        // A value better in the indicator's direction never shows less progress.
        let a_is_better = match indicator.direction { Direction::Lower => a <= b, _ => a >= b };
        if a_is_better {
            prop_assert!(pa >= pb, "{a} better than {b} but {pa} < {pb}");
        }
        prop_assert_eq!(indicator.progress_of(indicator.target), 1.0);
        prop_assert_eq!(indicator.progress_of(indicator.baseline), 0.0);
    }
}

#[test]
fn an_unmeasured_indicator_is_missing_not_zero() {
    let definition = Indicator {
        direction: Direction::Higher,
        baseline: 0.0,
        baseline_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        target: 10.0,
        target_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    };
    let missing = indicator(&definition, None);
    assert_eq!(missing.value, None);
    let measured = indicator(
        &definition,
        Some(Latest { date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), value: 5.0, judgement: None }),
    );
    assert_eq!(measured.value, Some(0.5));
    let goal = combine(&[missing, measured]);
    assert_eq!(goal.value, Some(0.5), "the missing indicator is left out, not taken as 0");
    assert_eq!((goal.measured, goal.indicators), (1, 2));
    assert_eq!(change(&missing, &measured), None);
}
