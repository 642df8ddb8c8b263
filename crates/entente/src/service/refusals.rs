//! How many refused attempts of one actor the audit trail records: a few a minute. Beyond,
//! they are counted, and the next one recorded carries the count, so a flood of refused
//! requests (anonymous posts without a CSRF token, a throttled password guesser) costs the
//! trail a handful of events a minute, not one a request. Kept in each process's memory:
//! with several processes, each records its own few.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Events recorded per actor per window.
pub const RECORDED_PER_WINDOW: u32 = 10;
/// The window.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Actors remembered at once; beyond, windows that have ended are forgotten.
const REMEMBERED: usize = 10_000;

/// Whether to record a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Record it, saying how many of this actor's refusals were left out before it.
    Record {
        /// Refusals not recorded since the last one that was.
        left_out: u32,
    },
    /// Leave it out (it is counted).
    Drop,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    recorded: u32,
    left_out: u32,
}

/// Refusals recorded per actor and window.
#[derive(Debug, Default)]
pub struct RefusalLimiter {
    windows: Mutex<HashMap<String, Window>>,
}

impl RefusalLimiter {
    /// Whether `actor`'s refusal at `now` is recorded.
    pub fn admit(&self, actor: &str, now: Instant) -> Admission {
        let Ok(mut windows) = self.windows.lock() else {
            return Admission::Record { left_out: 0 };
        };
        if windows.len() >= REMEMBERED && !windows.contains_key(actor) {
            windows.retain(|_, w| now.duration_since(w.started) < WINDOW);
        }
        let window = windows.entry(actor.to_owned()).or_insert(Window { started: now, recorded: 0, left_out: 0 });
        if now.duration_since(window.started) >= WINDOW {
            window.started = now;
            window.recorded = 0;
        }
        if window.recorded >= RECORDED_PER_WINDOW {
            window.left_out = window.left_out.saturating_add(1);
            return Admission::Drop;
        }
        window.recorded += 1;
        let left_out = std::mem::take(&mut window.left_out);
        Admission::Record { left_out }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flood_is_recorded_a_few_times_a_minute_with_the_count_left_out() {
        let limiter = RefusalLimiter::default();
        let start = Instant::now();
        let admitted = (0..100).filter(|_| limiter.admit("anonymous@192.0.2.1", start) != Admission::Drop).count();
        assert_eq!(admitted, RECORDED_PER_WINDOW as usize);
        assert_eq!(limiter.admit("anonymous@192.0.2.2", start), Admission::Record { left_out: 0 }, "per actor");
        let later = start + WINDOW;
        assert_eq!(limiter.admit("anonymous@192.0.2.1", later), Admission::Record { left_out: 90 });
        assert_eq!(limiter.admit("anonymous@192.0.2.1", later), Admission::Record { left_out: 0 });
    }
}
