//! A realistic year of seat requests, generated from a seed: for the benchmarks, the
//! comparison with an independent solver, and demonstrations. The same seed always gives
//! the same year.

use super::year::{Budget, YearEvent};
use super::{SeatAsk, Seats};
use crate::codes::NationCode;

/// The shape of a generated year.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Events.
    pub events: usize,
    /// Nations asking.
    pub nations: usize,
    /// Requests in all.
    pub requests: usize,
    /// One nation in this many has yearly budgets that bind.
    pub budget_every: usize,
    /// The seed.
    pub seed: u64,
}

impl Shape {
    /// The benchmark: 1,400 events, 100 nations, 30,000 requests, budgets that bind
    /// for a third of the nations.
    pub const YEAR: Shape = Shape { events: 1_400, nations: 100, requests: 30_000, budget_every: 3, seed: 2026 };
}

/// The areas events are spread over.
pub const AREAS: [&str; 8] =
    ["CYBER", "CBRN", "CIMIC", "LOGISTICS", "MEDICAL", "DEFENCE_REFORM", "LANGUAGE", "MARITIME"];

/// A small deterministic generator (xorshift64*): no dependency, the same on every machine.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Nation codes to ask with: the first `n` assigned ISO codes made of two letters.
fn nations(n: usize) -> Vec<NationCode> {
    let mut out = Vec::with_capacity(n);
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            if out.len() == n {
                return out;
            }
            if let Ok(code) = std::str::from_utf8(&[a, b]).unwrap_or("").parse() {
                out.push(code);
            }
        }
    }
    out
}

/// A year of `shape`: events with their requests, and the budgets.
pub fn year(shape: Shape) -> (Vec<YearEvent>, Vec<Budget>) {
    let mut dice = Dice(shape.seed.max(1));
    let nations = nations(shape.nations);
    let mut events: Vec<YearEvent> = (0..shape.events)
        .map(|e| {
            let quota = match dice.below(4) {
                0 => None,
                q => Some(q as u32 + 1),
            };
            YearEvent {
                id: e as i64 + 1,
                area: AREAS[dice.below(AREAS.len())].to_owned(),
                seats: Seats { capacity: 8 + dice.below(25) as u32, quota },
                asks: Vec::new(),
            }
        })
        .collect();
    let mut asked_by = vec![0u32; nations.len()];
    for r in 0..shape.requests {
        let e = dice.below(events.len());
        let n = dice.below(nations.len());
        let priority = match dice.below(10) {
            0..=2 => 1,
            3..=6 => 2,
            _ => 3,
        };
        let seats = 1 + dice.below(3) as u32;
        asked_by[n] += seats;
        events[e].asks.push(SeatAsk {
            id: r as i64 + 1,
            nation: nations[n],
            seats,
            priority,
            order: r as u64,
            eligible: dice.below(20) != 0,
        });
    }
    // Every `budget_every`-th nation is sponsored for a third of the seats it asks for; one
    // in two of those also for at most a quarter of its seats in one area.
    let mut budgets = Vec::new();
    for (n, nation) in nations.iter().enumerate().filter(|(n, _)| n % shape.budget_every.max(1) == 0) {
        budgets.push(Budget { nation: *nation, area: None, seats: asked_by[n] / 3 });
        if n % 2 == 0 {
            budgets.push(Budget {
                nation: *nation,
                area: Some(AREAS[n % AREAS.len()].to_owned()),
                seats: asked_by[n] / (4 * AREAS.len() as u32),
            });
        }
    }
    (events, budgets)
}
