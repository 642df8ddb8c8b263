//! Compares the at-deadline rule with first come, first served on the benchmark year (see
//! `allocation::sample`): every event's requests answered in the order they came, against
//! the rule (priority first, then one seat per nation before any second). Prints a Markdown
//! table for `docs/allocation.md`.
//!
//! `cargo run --release -p entente-core --example rule_vs_first_come`

use std::collections::{BTreeMap, BTreeSet};

use entente_core::NationCode;
use entente_core::allocation::sample::{Shape, year};
use entente_core::allocation::year::YearEvent;
use entente_core::allocation::{Answer, allocate_event, first_come, weight};

/// Seats given, priority-1 seats asked and given, nations with a seat on an event, and the
/// largest share one nation took of an oversubscribed event.
#[derive(Default)]
struct Tally {
    seats: u64,
    value: u64,
    p1_given: u64,
    p1_asked: u64,
    nation_places: u64,
    one_nation_twice_while_another_waits: u64,
}

fn tally(events: &[YearEvent], answers: &[Vec<Answer>]) -> Tally {
    let mut t = Tally::default();
    for (event, answers) in events.iter().zip(answers) {
        let mut held: BTreeMap<NationCode, u32> = BTreeMap::new();
        for (ask, answer) in event.asks.iter().zip(answers) {
            t.seats += u64::from(answer.granted);
            t.value += u64::from(answer.granted) * weight(ask.priority);
            if ask.priority == 1 && ask.eligible {
                t.p1_asked += u64::from(ask.seats);
                t.p1_given += u64::from(answer.granted);
            }
            *held.entry(ask.nation).or_default() += answer.granted;
        }
        t.nation_places += held.values().filter(|&&h| h > 0).count() as u64;
        // Within one priority: a nation given seats there holds two or more, while another
        // nation asking there got none at all.
        let unfair = [1u8, 2, 3].iter().any(|&p| {
            let at_p = || event.asks.iter().zip(answers).filter(move |(a, _)| a.priority == p && a.eligible);
            let doubled = at_p().any(|(a, g)| g.granted > 0 && held[&a.nation] >= 2);
            let shut_out: BTreeSet<NationCode> =
                at_p().filter(|(a, _)| held[&a.nation] == 0).map(|(a, _)| a.nation).collect();
            doubled && !shut_out.is_empty()
        });
        if unfair {
            t.one_nation_twice_while_another_waits += 1;
        }
    }
    t
}

fn main() {
    let (events, _) = year(Shape::YEAR);
    let rule: Vec<Vec<Answer>> = events.iter().map(|e| allocate_event(e.seats, &e.asks)).collect();
    let come: Vec<Vec<Answer>> = events
        .iter()
        .map(|e| {
            let mut order: Vec<usize> = (0..e.asks.len()).collect();
            order.sort_by_key(|&i| e.asks[i].order);
            let mut taken = 0;
            let mut by_nation: BTreeMap<NationCode, u32> = BTreeMap::new();
            let mut answers = vec![None; e.asks.len()];
            for i in order {
                let ask = &e.asks[i];
                let mine = by_nation.get(&ask.nation).copied().unwrap_or(0);
                let answer = first_come(ask, e.seats, taken, mine);
                taken += answer.granted;
                *by_nation.entry(ask.nation).or_default() += answer.granted;
                answers[i] = Some(answer);
            }
            answers.into_iter().flatten().collect()
        })
        .collect();
    let (r, c) = (tally(&events, &rule), tally(&events, &come));
    println!(
        "| over {} events, {} requests | first come | the rule |",
        events.len(),
        events.iter().map(|e| e.asks.len()).sum::<usize>()
    );
    println!("| --- | ---: | ---: |");
    println!("| seats given | {} | {} |", c.seats, r.seats);
    println!("| priority-1 seats given (of {} asked) | {} | {} |", r.p1_asked, c.p1_given, r.p1_given);
    println!("| value (seats weighted 3, 2, 1 by priority) | {} | {} |", c.value, r.value);
    println!("| nations with a seat, summed over events | {} | {} |", c.nation_places, r.nation_places);
    println!(
        "| events where, within one priority, a nation had two seats while another got none | {} | {} |",
        c.one_nation_twice_while_another_waits, r.one_nation_twice_while_another_waits
    );
}
