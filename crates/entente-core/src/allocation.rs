//! Giving an event's seats to the nations that asked for them.
//!
//! - [`first_come`] answers one request as it comes: what is left of the capacity and of
//!   the nation's quota, up to what was asked.
//! - [`allocate_event`] answers all of an event's requests together, by one rule:
//!   **priority first** (every priority-1 seat that can be given is given before any
//!   priority-2 seat, and so on); **then spread** (within one priority, no nation gets its
//!   (k+1)-th seat on the event while another nation asking at that priority has fewer
//!   than k+1 seats and could take one); remaining ties go to the nation whose first
//!   request at that priority came earlier.
//! - [`year::allocate_year`] answers every request of a year's events together, under each
//!   nation's yearly budget of sponsored seats, exactly (see that module for the model).
//!
//! Every answer carries why it is not more ([`Why`]), so a coordinator can read why her
//! second seat went elsewhere. Pure and deterministic: the same requests in the same order
//! always get the same answers.

pub mod flow;
pub mod sample;
#[cfg(test)]
mod tests;
pub mod year;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::codes::NationCode;

/// How much a request matters to the nation: 1 is highest, 3 lowest.
pub type Priority = u8;

/// The priorities, highest first.
pub const PRIORITIES: [Priority; 3] = [1, 2, 3];

/// What one priority's seat is worth when a whole year's seats are weighed together.
pub fn weight(priority: Priority) -> u64 {
    match priority {
        1 => 3,
        2 => 2,
        _ => 1,
    }
}

/// One nation's request for seats on an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatAsk {
    /// The request's id (its answer carries it back).
    pub id: i64,
    /// The nation asking.
    pub nation: NationCode,
    /// Seats asked for.
    pub seats: u32,
    /// 1 (highest) to 3.
    pub priority: Priority,
    /// When it was asked: smaller is earlier. Ties in the rule go to the earlier request.
    pub order: u64,
    /// Whether the nation may take part in the event on its dates.
    pub eligible: bool,
}

/// An event's seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seats {
    /// Seats in all.
    pub capacity: u32,
    /// The most seats one nation may have, if limited.
    pub quota: Option<u32>,
}

/// Why a request got fewer seats than it asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Why {
    /// Every seat asked for was given.
    Full,
    /// The nation may not take part in the event on its dates.
    NotEligible,
    /// The nation has as many seats on the event as its quota allows.
    Quota {
        /// The quota.
        quota: u32,
    },
    /// Higher-priority requests took every seat.
    HigherPriority {
        /// Seats there were to give.
        capacity: u32,
        /// The request's priority.
        priority: Priority,
        /// Seats asked for at higher priorities.
        asked_ahead: u32,
    },
    /// The seats ran out within the request's own priority, after one seat per nation, then
    /// two, and so on.
    Spread {
        /// Seats there were to give.
        capacity: u32,
        /// The request's priority.
        priority: Priority,
        /// Seats asked for at that priority and above.
        asked: u32,
        /// Which of the nation's seats came too late (its second, third, ...).
        seat: u32,
    },
    /// Every seat was taken when the request came (first come, first served).
    Taken {
        /// Seats there were to give.
        capacity: u32,
    },
    /// The nation's yearly budget of sponsored seats was spent where it weighed more.
    Budget {
        /// The area the budget is for; none for the nation's overall budget.
        area: Option<String>,
        /// The budget.
        seats: u32,
    },
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The request's id.
    pub id: i64,
    /// Seats asked for.
    pub asked: u32,
    /// Seats given.
    pub granted: u32,
    /// Why not more.
    pub why: Why,
}

impl Answer {
    /// Whether every seat asked for was given.
    pub fn is_full(&self) -> bool {
        self.granted == self.asked
    }
}

/// Seats for a request answered as it comes (`first_come`): up to what is left of the
/// event's capacity and of the nation's quota. `taken` is seats already given on the
/// event, `taken_by_nation` those given to the asking nation.
pub fn first_come(ask: &SeatAsk, seats: Seats, taken: u32, taken_by_nation: u32) -> Answer {
    let answer = |granted, why| Answer { id: ask.id, asked: ask.seats, granted, why };
    if !ask.eligible {
        return answer(0, Why::NotEligible);
    }
    let free = seats.capacity.saturating_sub(taken);
    let quota_room = seats.quota.map_or(u32::MAX, |q| q.saturating_sub(taken_by_nation));
    let granted = ask.seats.min(free).min(quota_room);
    if granted == ask.seats {
        answer(granted, Why::Full)
    } else if quota_room < free {
        answer(granted, Why::Quota { quota: seats.quota.unwrap_or(0) })
    } else {
        answer(granted, Why::Taken { capacity: seats.capacity })
    }
}

/// Answers all of an event's requests together, by the rule of the module's summary.
/// Answers come in the order of `asks`.
pub fn allocate_event(seats: Seats, asks: &[SeatAsk]) -> Vec<Answer> {
    allocate_with(seats, asks, &BTreeMap::new())
}

/// [`allocate_event`], where the nations in `held` already hold that many seats on the
/// event, given elsewhere: they count toward capacity, and toward the nation's quota and
/// spread. (A whole year's allocation fixes some nations' seats this way.)
pub(crate) fn allocate_with(seats: Seats, asks: &[SeatAsk], held: &BTreeMap<NationCode, u32>) -> Vec<Answer> {
    let mut granted = vec![0u32; asks.len()];
    let mut by_nation: BTreeMap<NationCode, u32> = held.clone();
    let mut left = seats.capacity.saturating_sub(held.values().sum());
    // The first priority that found no seat left, if one did.
    let mut gone_before: Option<Priority> = None;
    for priority in PRIORITIES {
        if left == 0 {
            gone_before = Some(priority);
            break;
        }
        // This priority's eligible requests, earliest first; a nation's key is its first.
        let mut open: Vec<usize> =
            (0..asks.len()).filter(|&i| asks[i].priority == priority && asks[i].eligible).collect();
        open.sort_by_key(|&i| (asks[i].order, i));
        let mut first_ask: BTreeMap<NationCode, (u64, usize)> = BTreeMap::new();
        for &i in &open {
            first_ask.entry(asks[i].nation).or_insert((asks[i].order, i));
        }
        while left > 0 {
            // The nation with the fewest seats that can take one more; ties to the earlier.
            let room = |n: &NationCode| seats.quota.is_none_or(|q| by_nation.get(n).copied().unwrap_or(0) < q);
            let next =
                open.iter().copied().filter(|&i| granted[i] < asks[i].seats && room(&asks[i].nation)).min_by_key(
                    |&i| {
                        let n = asks[i].nation;
                        (by_nation.get(&n).copied().unwrap_or(0), first_ask[&n], asks[i].order, i)
                    },
                );
            let Some(i) = next else { break };
            granted[i] += 1;
            *by_nation.entry(asks[i].nation).or_default() += 1;
            left -= 1;
        }
    }
    let asked_up_to =
        |p: Priority| -> u32 { asks.iter().filter(|a| a.eligible && a.priority <= p).map(|a| a.seats).sum() };
    asks.iter()
        .zip(granted)
        .map(|(ask, granted)| {
            let held_now = by_nation.get(&ask.nation).copied().unwrap_or(0);
            let why = if !ask.eligible {
                Why::NotEligible
            } else if granted == ask.seats {
                Why::Full
            } else if seats.quota.is_some_and(|q| held_now >= q) {
                Why::Quota { quota: seats.quota.unwrap_or(0) }
            } else if gone_before.is_some_and(|p| p <= ask.priority) {
                Why::HigherPriority {
                    capacity: seats.capacity,
                    priority: ask.priority,
                    asked_ahead: asked_up_to(ask.priority - 1),
                }
            } else {
                Why::Spread {
                    capacity: seats.capacity,
                    priority: ask.priority,
                    asked: asked_up_to(ask.priority),
                    seat: held_now + 1,
                }
            };
            Answer { id: ask.id, asked: ask.seats, granted, why }
        })
        .collect()
}

/// The value of a set of answers: seats given, weighted by priority ([`weight`]).
pub fn value(asks: &[SeatAsk], answers: &[Answer]) -> u64 {
    let priority: BTreeMap<i64, Priority> = asks.iter().map(|a| (a.id, a.priority)).collect();
    answers.iter().map(|a| u64::from(a.granted) * weight(priority.get(&a.id).copied().unwrap_or(3))).sum()
}
