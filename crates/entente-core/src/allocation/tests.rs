use std::collections::BTreeMap;

use proptest::prelude::*;

use super::year::{Budget, YearEvent, allocate_year, optimum};
use super::*;

const NATIONS: [&str; 5] = ["GE", "UA", "MD", "JO", "TN"];

fn nation(code: &str) -> NationCode {
    code.parse().expect("a nation code")
}

fn ask(id: i64, code: &str, seats: u32, priority: Priority) -> SeatAsk {
    SeatAsk { id, nation: nation(code), seats, priority, order: id as u64, eligible: true }
}

#[test]
fn the_issues_example_six_seats_seven_asked_at_priority_one_one_per_nation_first() {
    // Five nations ask at priority 1: GE asks three seats, first; the others one or two.
    let asks = [ask(1, "GE", 3, 1), ask(2, "UA", 1, 1), ask(3, "MD", 1, 1), ask(4, "JO", 1, 1), ask(5, "TN", 1, 1)];
    let answers = allocate_event(Seats { capacity: 6, quota: None }, &asks);
    let granted: Vec<u32> = answers.iter().map(|a| a.granted).collect();
    // One seat each first (five), then GE's second: its third came last.
    assert_eq!(granted, vec![2, 1, 1, 1, 1]);
    assert_eq!(answers[0].why, Why::Spread { capacity: 6, priority: 1, asked: 7, seat: 3 });
    assert!(answers[1..].iter().all(|a| a.why == Why::Full));
}

#[test]
fn priority_one_seats_go_before_any_priority_two_seat_and_the_reason_says_so() {
    let asks = [ask(1, "GE", 2, 2), ask(2, "UA", 2, 1), ask(3, "MD", 2, 1)];
    let answers = allocate_event(Seats { capacity: 4, quota: None }, &asks);
    assert_eq!(answers.iter().map(|a| a.granted).collect::<Vec<_>>(), vec![0, 2, 2]);
    assert_eq!(answers[0].why, Why::HigherPriority { capacity: 4, priority: 2, asked_ahead: 4 });
}

#[test]
fn a_quota_stops_a_nation_and_leaves_the_seat_to_the_next() {
    let asks = [ask(1, "GE", 3, 1), ask(2, "UA", 3, 2)];
    let answers = allocate_event(Seats { capacity: 5, quota: Some(2) }, &asks);
    assert_eq!(answers.iter().map(|a| a.granted).collect::<Vec<_>>(), vec![2, 2]);
    assert_eq!(answers[0].why, Why::Quota { quota: 2 });
}

#[test]
fn first_come_gives_what_is_left_and_says_why_not_more() {
    let seats = Seats { capacity: 5, quota: Some(3) };
    let a = ask(1, "GE", 2, 1);
    assert_eq!(first_come(&a, seats, 4, 0).granted, 1);
    assert_eq!(first_come(&a, seats, 4, 0).why, Why::Taken { capacity: 5 });
    assert_eq!(first_come(&a, seats, 0, 2).why, Why::Quota { quota: 3 });
    assert_eq!(first_come(&a, seats, 0, 0).why, Why::Full);
    let ineligible = SeatAsk { eligible: false, ..a };
    assert_eq!(first_come(&ineligible, seats, 0, 0), Answer { id: 1, asked: 2, granted: 0, why: Why::NotEligible });
}

#[test]
fn a_year_under_a_binding_budget_gives_the_seats_where_they_weigh_most() {
    // GE may be sponsored for one seat in the year and asks at priority 1 on both events;
    // on the first UA asks too: GE's seat goes to the second, UA's to the first.
    let events = vec![
        YearEvent {
            id: 10,
            area: "CYBER".into(),
            seats: Seats { capacity: 1, quota: None },
            asks: vec![ask(1, "GE", 1, 1), ask(2, "UA", 1, 2)],
        },
        YearEvent {
            id: 11,
            area: "CYBER".into(),
            seats: Seats { capacity: 1, quota: None },
            asks: vec![ask(3, "GE", 1, 1)],
        },
    ];
    let budgets = [Budget { nation: nation("GE"), area: None, seats: 1 }];
    let year = allocate_year(&events, &budgets);
    let granted: Vec<Vec<u32>> = year.answers.iter().map(|a| a.iter().map(|a| a.granted).collect()).collect();
    assert_eq!(granted, vec![vec![0, 1], vec![1]]);
    assert_eq!(year.value, 2 + 3);
    assert_eq!(year.answers[0][0].why, Why::Budget { area: None, seats: 1 });
}

fn an_event() -> impl Strategy<Value = (Seats, Vec<SeatAsk>)> {
    let seats = (0u32..10, proptest::option::of(1u32..4)).prop_map(|(capacity, quota)| Seats { capacity, quota });
    let asks = proptest::collection::vec((0usize..5, 1u32..4, 1u8..=3, proptest::bool::weighted(0.9)), 0..9);
    (seats, asks).prop_map(|(seats, asks)| {
        let asks = asks
            .into_iter()
            .enumerate()
            .map(|(i, (n, s, p, eligible))| SeatAsk {
                id: i as i64,
                nation: nation(NATIONS[n]),
                seats: s,
                priority: p,
                // Orders not in the order of the list, to test the tie rule.
                order: ((i * 7) % 11) as u64,
                eligible,
            })
            .collect();
        (seats, asks)
    })
}

fn held(asks: &[SeatAsk], answers: &[Answer]) -> BTreeMap<NationCode, u32> {
    let mut held = BTreeMap::new();
    for (ask, answer) in asks.iter().zip(answers) {
        *held.entry(ask.nation).or_default() += answer.granted;
    }
    held
}

/// The best value over every way to give seats (tiny instances only).
fn brute_force(events: &[YearEvent], budgets: &[Budget]) -> u64 {
    let all: Vec<(usize, &SeatAsk)> =
        events.iter().enumerate().flat_map(|(e, ev)| ev.asks.iter().map(move |a| (e, a))).collect();
    let mut grant = vec![0u32; all.len()];
    let mut best = 0;
    loop {
        let feasible = {
            let mut per_event = vec![0u32; events.len()];
            let mut per_event_nation: BTreeMap<(usize, NationCode), u32> = BTreeMap::new();
            let mut per_budget: BTreeMap<(NationCode, Option<&str>), u32> = BTreeMap::new();
            for (&(e, a), &g) in all.iter().zip(&grant) {
                per_event[e] += g;
                *per_event_nation.entry((e, a.nation)).or_default() += g;
                *per_budget.entry((a.nation, None)).or_default() += g;
                *per_budget.entry((a.nation, Some(events[e].area.as_str()))).or_default() += g;
            }
            all.iter().zip(&grant).all(|(&(_, a), &g)| a.eligible || g == 0)
                && per_event.iter().enumerate().all(|(e, &used)| used <= events[e].seats.capacity)
                && per_event_nation.iter().all(|(&(e, _), &used)| events[e].seats.quota.is_none_or(|q| used <= q))
                && budgets
                    .iter()
                    .all(|b| per_budget.get(&(b.nation, b.area.as_deref())).copied().unwrap_or(0) <= b.seats)
        };
        if feasible {
            let value = all.iter().zip(&grant).map(|(&(_, a), &g)| u64::from(g) * weight(a.priority)).sum();
            best = best.max(value);
        }
        // The next vector of grants, like an odometer.
        let mut i = 0;
        loop {
            if i == grant.len() {
                return best;
            }
            if grant[i] < all[i].1.seats {
                grant[i] += 1;
                break;
            }
            grant[i] = 0;
            i += 1;
        }
    }
}

fn a_small_year() -> impl Strategy<Value = (Vec<YearEvent>, Vec<Budget>)> {
    let event = (
        0u32..4,
        proptest::option::of(1u32..3),
        0usize..2,
        proptest::collection::vec((0usize..3, 1u32..3, 1u8..=3, proptest::bool::weighted(0.9)), 0..3),
    );
    let events = proptest::collection::vec(event, 1..4);
    let budgets = proptest::collection::vec((0usize..3, proptest::option::of(0usize..2), 0u32..3), 0..4);
    (events, budgets).prop_map(|(events, budgets)| {
        let areas = ["CYBER", "CBRN"];
        let mut id = 0;
        let events = events
            .into_iter()
            .enumerate()
            .map(|(e, (capacity, quota, area, asks))| YearEvent {
                id: e as i64,
                area: areas[area].into(),
                seats: Seats { capacity, quota },
                asks: asks
                    .into_iter()
                    .map(|(n, seats, priority, eligible)| {
                        id += 1;
                        SeatAsk { id, nation: nation(NATIONS[n]), seats, priority, order: id as u64, eligible }
                    })
                    .collect(),
            })
            .collect();
        let budgets = budgets
            .into_iter()
            .map(|(n, area, seats)| Budget {
                nation: nation(NATIONS[n]),
                area: area.map(|a| areas[a].to_owned()),
                seats,
            })
            .collect();
        (events, budgets)
    })
}

proptest! {
    /// Never above capacity or quota, never a seat to a nation not eligible, never more than
    /// asked; and the same requests always get the same answers.
    #[test]
    fn an_allocation_never_overbooks_and_is_deterministic((seats, asks) in an_event()) {
        let answers = allocate_event(seats, &asks);
        prop_assert_eq!(&answers, &allocate_event(seats, &asks));
        prop_assert!(answers.iter().map(|a| a.granted).sum::<u32>() <= seats.capacity);
        for (ask, answer) in asks.iter().zip(&answers) {
            prop_assert!(answer.granted <= ask.seats);
            prop_assert!(ask.eligible || answer.granted == 0);
            prop_assert_eq!(answer.is_full(), answer.why == Why::Full || (!ask.eligible && answer.granted == ask.seats));
        }
        if let Some(quota) = seats.quota {
            prop_assert!(held(&asks, &answers).values().all(|&h| h <= quota));
        }
    }

    /// Priority first, then spread, then the earlier request.
    #[test]
    fn the_fairness_rule_holds((seats, asks) in an_event()) {
        let answers = allocate_event(seats, &asks);
        let held = held(&asks, &answers);
        let first_at = |n: NationCode, p: Priority| asks.iter().filter(|a| a.nation == n && a.priority == p && a.eligible).map(|a| a.order).min();
        for (ask, answer) in asks.iter().zip(&answers) {
            let mine = held[&ask.nation];
            let could_take_one = ask.eligible && !answer.is_full() && seats.quota.is_none_or(|q| mine < q);
            if !could_take_one {
                continue;
            }
            // Every seat is given, and none at a lower priority.
            prop_assert_eq!(answers.iter().map(|a| a.granted).sum::<u32>(), seats.capacity);
            for (other, theirs) in asks.iter().zip(&answers) {
                if other.priority > ask.priority {
                    prop_assert_eq!(theirs.granted, 0, "a priority-{} seat went before a priority-{} one", other.priority, ask.priority);
                }
                // No nation holding a seat at this priority has two more than this one, nor
                // one more unless it asked first.
                if other.priority == ask.priority && theirs.granted > 0 && other.nation != ask.nation {
                    let them = held[&other.nation];
                    prop_assert!(them <= mine + 1, "{} has {} seats while {} has {}", other.nation, them, ask.nation, mine);
                    if them == mine + 1 {
                        prop_assert!(first_at(other.nation, ask.priority) < first_at(ask.nation, ask.priority));
                    }
                }
            }
        }
    }

    /// One event's allocation is the best there is by weight.
    #[test]
    fn one_events_allocation_is_optimal((seats, asks) in an_event().prop_filter("small", |(_, a)| a.len() <= 6)) {
        let answers = allocate_event(seats, &asks);
        let event = YearEvent { id: 1, area: "CYBER".into(), seats, asks: asks.clone() };
        prop_assert_eq!(value(&asks, &answers), brute_force(&[event], &[]));
    }

    /// A year's allocation respects every budget and reaches the exhaustive optimum, and the
    /// flow alone reaches it too.
    #[test]
    fn a_years_allocation_is_optimal_under_budgets((events, budgets) in a_small_year()) {
        let year = allocate_year(&events, &budgets);
        let best = brute_force(&events, &budgets);
        prop_assert_eq!(year.value, best);
        prop_assert_eq!(optimum(&events, &budgets).0, best);
        let mut used: BTreeMap<(NationCode, Option<String>), u32> = BTreeMap::new();
        for (event, answers) in events.iter().zip(&year.answers) {
            prop_assert!(answers.iter().map(|a| a.granted).sum::<u32>() <= event.seats.capacity);
            for (ask, answer) in event.asks.iter().zip(answers) {
                prop_assert!(ask.eligible || answer.granted == 0);
                *used.entry((ask.nation, None)).or_default() += answer.granted;
                *used.entry((ask.nation, Some(event.area.clone()))).or_default() += answer.granted;
            }
            if let Some(q) = event.seats.quota {
                prop_assert!(held(&event.asks, answers).values().all(|&h| h <= q));
            }
        }
        for b in &budgets {
            prop_assert!(used.get(&(b.nation, b.area.clone())).copied().unwrap_or(0) <= b.seats);
        }
    }

    /// Where no budget binds, a year's allocation is each event's single-event allocation.
    #[test]
    fn without_binding_budgets_a_year_keeps_the_single_event_rule((events, _) in a_small_year()) {
        let budgets: Vec<Budget> = NATIONS.iter().map(|n| Budget { nation: nation(n), area: None, seats: 1_000 }).collect();
        let year = allocate_year(&events, &budgets);
        for (event, answers) in events.iter().zip(&year.answers) {
            prop_assert_eq!(answers, &allocate_event(event.seats, &event.asks));
        }
    }
}
