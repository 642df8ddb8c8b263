//! A whole year's `at_deadline` events allocated at once, under each nation's yearly budget
//! of sponsored seats.
//!
//! ## The model
//!
//! Variables: `x_r`, the seats given to request `r` (an integer, `0 <= x_r <= seats_r`;
//! `x_r = 0` for a nation not eligible on the event's dates). Maximise `sum w(p_r) x_r`,
//! with `w` = 3, 2, 1 for priorities 1, 2, 3 ([`super::weight`]), subject to:
//!
//! - capacity: for each event `e`, `sum_{r on e} x_r <= capacity_e`;
//! - quota: for each event `e` and nation `n`, `sum_{r of n on e} x_r <= quota_e`;
//! - budgets: for each nation `n` with an overall budget, `sum_{r of n} x_r <= B_n`; with a
//!   budget for area `a`, `sum_{r of n on events of a} x_r <= B_{n,a}`.
//!
//! This is a minimum-cost flow (so its linear relaxation has an integral optimum):
//! source -> nation (capacity `B_n`) -> nation's area (`B_{n,a}`) -> event's nation (one
//! arc per request: capacity `seats_r`, cost `-w(p_r)`) -> event (`quota_e`) -> sink
//! (`capacity_e`), solved exactly by [`super::flow`].
//!
//! ## Keeping the single-event rule where budgets do not bind
//!
//! 1. Every event is allocated by [`super::allocate_event`]. If no budget is exceeded, that
//!    is the answer: with budgets slack the events are independent, and the single-event
//!    rule gives each an allocation of greatest weight (its constraints, capacity over
//!    per-nation quotas, form a laminar matroid, on which giving seats in order of weight
//!    is optimal).
//! 2. Otherwise the flow gives an optimum `x*`. The nations whose budget is exceeded take
//!    their seats from `x*` and are fixed; every event is allocated again by the
//!    single-event rule for the nations not fixed, around the fixed seats. Repeat until no
//!    budget is exceeded.
//!
//! Each round's total weight is at least `x*`'s (on each event, the rule is optimal for
//! the nations not fixed, and `x*` restricted to them is one of its choices), so once no
//! budget is exceeded the result is optimal. Each round fixes at least one more nation, and
//! with every nation fixed the result is `x*` itself, so it ends.

use std::collections::{BTreeMap, BTreeSet};

use super::flow::{Network, UNLIMITED};
use super::{Answer, SeatAsk, Seats, Why, allocate_with, weight};
use crate::codes::NationCode;

/// One event of the year, with its requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearEvent {
    /// The event's id.
    pub id: i64,
    /// The area of its activity (budgets may be per area).
    pub area: String,
    /// Its seats.
    pub seats: Seats,
    /// Its requests.
    pub asks: Vec<SeatAsk>,
}

/// A nation's yearly budget of sponsored seats, overall or for one area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// The nation.
    pub nation: NationCode,
    /// The area, or none for all areas together.
    pub area: Option<String>,
    /// Seats.
    pub seats: u32,
}

/// The year's answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearAllocation {
    /// For each event (in the order given), its answers (in the order of its requests).
    pub answers: Vec<Vec<Answer>>,
    /// Seats given, weighted by priority.
    pub value: u64,
    /// The nations whose seats the flow decided (their budgets bound).
    pub fixed: BTreeSet<NationCode>,
    /// Rounds of the single-event rule run.
    pub rounds: usize,
}

/// The optimum of the model alone: its value and the seats of each request (per event, in
/// the order of its requests).
pub fn optimum(events: &[YearEvent], budgets: &[Budget]) -> (u64, Vec<Vec<u32>>) {
    let mut network = Network::new(2);
    let (source, sink) = (0, 1);
    let mut nation_node: BTreeMap<NationCode, usize> = BTreeMap::new();
    let mut area_node: BTreeMap<(NationCode, &str), usize> = BTreeMap::new();
    // Where one budget is given twice, the smaller binds.
    let mut overall: BTreeMap<NationCode, u32> = BTreeMap::new();
    let mut by_area: BTreeMap<(NationCode, &str), u32> = BTreeMap::new();
    for b in budgets {
        let slot = match b.area.as_deref() {
            None => overall.entry(b.nation).or_insert(u32::MAX),
            Some(area) => by_area.entry((b.nation, area)).or_insert(u32::MAX),
        };
        *slot = (*slot).min(b.seats);
    }
    let mut request_arcs: Vec<Vec<Option<usize>>> = Vec::with_capacity(events.len());
    for event in events {
        let event_node = network.add_node();
        network.add_arc(event_node, sink, i64::from(event.seats.capacity), 0);
        let mut event_nation: BTreeMap<NationCode, usize> = BTreeMap::new();
        let mut arcs = Vec::with_capacity(event.asks.len());
        for ask in &event.asks {
            if !ask.eligible || ask.seats == 0 {
                arcs.push(None);
                continue;
            }
            let n = ask.nation;
            let nation = *nation_node.entry(n).or_insert_with(|| {
                let node = network.add_node();
                network.add_arc(source, node, overall.get(&n).map_or(UNLIMITED, |&b| i64::from(b)), 0);
                node
            });
            let area = *area_node.entry((n, event.area.as_str())).or_insert_with(|| {
                let node = network.add_node();
                let cap = by_area.get(&(n, event.area.as_str())).map_or(UNLIMITED, |&b| i64::from(b));
                network.add_arc(nation, node, cap, 0);
                node
            });
            let seat_node = *event_nation.entry(n).or_insert_with(|| {
                let node = network.add_node();
                network.add_arc(node, event_node, event.seats.quota.map_or(UNLIMITED, i64::from), 0);
                node
            });
            arcs.push(Some(network.add_arc(area, seat_node, i64::from(ask.seats), -(weight(ask.priority) as i64))));
        }
        request_arcs.push(arcs);
    }
    let cost = network.min_cost_flow(source, sink);
    let seats = request_arcs
        .iter()
        .map(|arcs| arcs.iter().map(|a| a.map_or(0, |a| network.flow(a) as u32)).collect())
        .collect();
    (cost.unsigned_abs(), seats)
}

/// Allocates every event of the year, by the procedure of the module's summary.
pub fn allocate_year(events: &[YearEvent], budgets: &[Budget]) -> YearAllocation {
    let mut fixed: BTreeSet<NationCode> = BTreeSet::new();
    let mut best: Option<Vec<Vec<u32>>> = None;
    let mut rounds = 0;
    loop {
        rounds += 1;
        let answers: Vec<Vec<Answer>> = events
            .iter()
            .enumerate()
            .map(|(e, event)| allocate_around(event, &fixed, best.as_ref().map(|b| &b[e][..])))
            .collect();
        let over = exceeded(events, budgets, &answers);
        if over.is_empty() {
            let value = events.iter().zip(&answers).map(|(e, a)| super::value(&e.asks, a)).sum();
            let answers = explain_budgets(events, budgets, answers, &fixed);
            return YearAllocation { answers, value, fixed, rounds };
        }
        if best.is_none() {
            best = Some(optimum(events, budgets).1);
        }
        let before = fixed.len();
        fixed.extend(over);
        if fixed.len() == before {
            // Cannot happen (fixed nations hold the optimum's seats, within their budgets);
            // should it, every nation takes the optimum's seats, which end the loop.
            fixed.extend(events.iter().flat_map(|e| e.asks.iter().map(|a| a.nation)));
        }
    }
}

/// One event's answers: the fixed nations get the optimum's seats, the others the
/// single-event rule around them.
fn allocate_around(event: &YearEvent, fixed: &BTreeSet<NationCode>, optimum: Option<&[u32]>) -> Vec<Answer> {
    let Some(optimum) = optimum.filter(|_| !fixed.is_empty()) else {
        return super::allocate_event(event.seats, &event.asks);
    };
    let mut held: BTreeMap<NationCode, u32> = BTreeMap::new();
    let mut free_asks = Vec::new();
    for (ask, &x) in event.asks.iter().zip(optimum) {
        if fixed.contains(&ask.nation) {
            *held.entry(ask.nation).or_default() += x;
        } else {
            free_asks.push(ask.clone());
        }
    }
    let mut free = allocate_with(event.seats, &free_asks, &held).into_iter();
    event
        .asks
        .iter()
        .zip(optimum)
        .map(|(ask, &x)| {
            if fixed.contains(&ask.nation) {
                let why = if !ask.eligible {
                    Why::NotEligible
                } else if x == ask.seats {
                    Why::Full
                } else {
                    Why::Taken { capacity: event.seats.capacity }
                };
                Answer { id: ask.id, asked: ask.seats, granted: x, why }
            } else {
                free.next().unwrap_or(Answer { id: ask.id, asked: ask.seats, granted: 0, why: Why::NotEligible })
            }
        })
        .collect()
}

/// Seats given to each nation, overall and by area.
fn usage(events: &[YearEvent], answers: &[Vec<Answer>]) -> BTreeMap<(NationCode, Option<String>), u32> {
    let mut used = BTreeMap::new();
    for (event, answers) in events.iter().zip(answers) {
        for (ask, answer) in event.asks.iter().zip(answers) {
            *used.entry((ask.nation, None)).or_default() += answer.granted;
            *used.entry((ask.nation, Some(event.area.clone()))).or_default() += answer.granted;
        }
    }
    used
}

/// The nations given more than one of their budgets.
fn exceeded(events: &[YearEvent], budgets: &[Budget], answers: &[Vec<Answer>]) -> BTreeSet<NationCode> {
    let used = usage(events, answers);
    budgets
        .iter()
        .filter(|b| used.get(&(b.nation, b.area.clone())).copied().unwrap_or(0) > b.seats)
        .map(|b| b.nation)
        .collect()
}

/// A fixed nation's request that got less than it asked, where one of the nation's budgets
/// is spent, says so.
fn explain_budgets(
    events: &[YearEvent],
    budgets: &[Budget],
    mut answers: Vec<Vec<Answer>>,
    fixed: &BTreeSet<NationCode>,
) -> Vec<Vec<Answer>> {
    let used = usage(events, &answers);
    for (event, answers) in events.iter().zip(answers.iter_mut()) {
        for (ask, answer) in event.asks.iter().zip(answers.iter_mut()) {
            if answer.is_full() || !ask.eligible || !fixed.contains(&ask.nation) {
                continue;
            }
            let spent = budgets
                .iter()
                .filter(|b| b.nation == ask.nation && b.area.as_ref().is_none_or(|a| *a == event.area))
                .find(|b| used.get(&(b.nation, b.area.clone())).copied().unwrap_or(0) >= b.seats);
            if let Some(budget) = spent {
                answer.why = Why::Budget { area: budget.area.clone(), seats: budget.seats };
            }
        }
    }
    answers
}
