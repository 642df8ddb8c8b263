//! Events: dated instances of a menu activity, in the local time of their place. An
//! [`Event`] is built only by [`EventDraft::check`], which names the field of every fault.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;

use crate::codes::{ActivityCode, EventCode};
use crate::menu::Invalid;

/// Where an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Scheduled, registration not yet open.
    Planned,
    /// Taking seat requests.
    Open,
    /// Registration closed.
    Closed,
    /// Took place.
    Held,
    /// Called off.
    Cancelled,
}

impl EventStatus {
    /// Every status.
    pub const ALL: [EventStatus; 5] =
        [EventStatus::Planned, EventStatus::Open, EventStatus::Closed, EventStatus::Held, EventStatus::Cancelled];

    /// The status's code.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventStatus::Planned => "planned",
            EventStatus::Open => "open",
            EventStatus::Closed => "closed",
            EventStatus::Held => "held",
            EventStatus::Cancelled => "cancelled",
        }
    }

    /// Reads a status's code.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// How an event's seats are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatMode {
    /// Each request answered as it comes.
    FirstCome,
    /// All requests answered together when registration closes.
    AtDeadline,
}

impl SeatMode {
    /// The mode's code.
    pub fn as_str(&self) -> &'static str {
        match self {
            SeatMode::FirstCome => "first_come",
            SeatMode::AtDeadline => "at_deadline",
        }
    }

    /// Reads a mode's code.
    pub fn parse(text: &str) -> Option<Self> {
        [SeatMode::FirstCome, SeatMode::AtDeadline].into_iter().find(|m| m.as_str() == text)
    }
}

/// When an event starts or ends: a local time at its place, or a whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventTime {
    /// A whole day.
    Day(NaiveDate),
    /// A local time.
    At(NaiveDateTime),
}

impl EventTime {
    /// Reads `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    pub fn parse(field: &'static str, text: &str) -> Result<Self, Invalid> {
        let text = text.trim();
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(EventTime::Day(day));
        }
        NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").map(EventTime::At).map_err(|_| {
            Invalid::new(field, format!("`{text}` is neither a day YYYY-MM-DD nor a local time YYYY-MM-DDTHH:MM"))
        })
    }

    /// The day it falls on.
    pub fn day(&self) -> NaiveDate {
        match self {
            EventTime::Day(day) => *day,
            EventTime::At(at) => at.date(),
        }
    }
}

impl fmt::Display for EventTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventTime::Day(day) => write!(f, "{}", day.format("%Y-%m-%d")),
            EventTime::At(at) => write!(f, "{}", at.format("%Y-%m-%dT%H:%M")),
        }
    }
}

/// A dated instance of an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its code.
    pub code: EventCode,
    /// The activity it is an instance of.
    pub activity: ActivityCode,
    /// When it starts, local to its place.
    pub start: EventTime,
    /// When it ends (the last day, for whole days).
    pub end: EventTime,
    /// The IANA time zone of its place.
    pub time_zone: Tz,
    /// Where.
    pub place: String,
    /// Seats in all.
    pub capacity: u32,
    /// The most seats one nation may have, if limited.
    pub quota: Option<u32>,
    /// The last day to ask for seats.
    pub deadline: NaiveDate,
    /// Where it stands.
    pub status: EventStatus,
    /// How seats are given.
    pub mode: SeatMode,
}

/// An event as typed, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct EventDraft<'a> {
    /// `code`.
    pub code: &'a str,
    /// `activity`.
    pub activity: &'a str,
    /// `start`.
    pub start: &'a str,
    /// `end`.
    pub end: &'a str,
    /// `time_zone`.
    pub time_zone: &'a str,
    /// `place`.
    pub place: &'a str,
    /// `capacity`.
    pub capacity: &'a str,
    /// `quota` (empty: no quota).
    pub quota: &'a str,
    /// `deadline`.
    pub deadline: &'a str,
    /// `status` (empty: planned).
    pub status: &'a str,
    /// `mode` (empty: first come).
    pub mode: &'a str,
}

impl EventDraft<'_> {
    /// The event, or the first fault found, with its field.
    pub fn check(&self) -> Result<Event, Invalid> {
        let code: EventCode =
            self.code.trim().parse().map_err(|e: crate::CodeError| Invalid::new("code", e.to_string()))?;
        let activity: ActivityCode =
            self.activity.trim().parse().map_err(|e: crate::CodeError| Invalid::new("activity", e.to_string()))?;
        let time_zone: Tz = self.time_zone.trim().parse().map_err(|_| {
            Invalid::new(
                "time_zone",
                format!("`{}` is not an IANA time zone such as Europe/Brussels", self.time_zone.trim()),
            )
        })?;
        let start = EventTime::parse("start", self.start)?;
        let end = EventTime::parse("end", self.end)?;
        match (start, end) {
            (EventTime::Day(_), EventTime::Day(_)) | (EventTime::At(_), EventTime::At(_)) => {}
            _ => return Err(Invalid::new("end", "give start and end both as days or both as local times")),
        }
        if end < start {
            return Err(Invalid::new("end", format!("{end} is before the start, {start}")));
        }
        if let EventTime::At(at) = start
            && time_zone.from_local_datetime(&at).earliest().is_none()
        {
            return Err(Invalid::new("start", format!("{at} does not exist in {time_zone} (the clocks skip it)")));
        }
        let capacity = parse_count("capacity", self.capacity)?;
        let quota = match self.quota.trim() {
            "" => None,
            text => Some(parse_count("quota", text)?),
        };
        if let Some(q) = quota.filter(|q| *q > capacity) {
            return Err(Invalid::new("quota", format!("{q} is above the capacity, {capacity}")));
        }
        let deadline = NaiveDate::parse_from_str(self.deadline.trim(), "%Y-%m-%d")
            .map_err(|_| Invalid::new("deadline", format!("`{}` is not a day YYYY-MM-DD", self.deadline.trim())))?;
        if deadline > start.day() {
            return Err(Invalid::new("deadline", format!("{deadline} is after the event starts, {}", start.day())));
        }
        let status = match self.status.trim() {
            "" => EventStatus::Planned,
            text => EventStatus::parse(text).ok_or_else(|| {
                Invalid::new("status", format!("`{text}`: give planned, open, closed, held or cancelled"))
            })?,
        };
        let mode = match self.mode.trim() {
            "" => SeatMode::FirstCome,
            text => SeatMode::parse(text)
                .ok_or_else(|| Invalid::new("mode", format!("`{text}`: give first_come or at_deadline")))?,
        };
        let place = crate::menu::check_text("place", self.place, true, 200)?;
        Ok(Event { code, activity, start, end, time_zone, place, capacity, quota, deadline, status, mode })
    }
}

fn parse_count(field: &'static str, text: &str) -> Result<u32, Invalid> {
    let text = text.trim();
    match text.parse::<i64>() {
        Ok(n) if n < 0 => Err(Invalid::new(field, format!("{n} is negative"))),
        Ok(n) if n > 100_000 => Err(Invalid::new(field, format!("{n} is more than 100000"))),
        Ok(n) => Ok(n as u32),
        Err(_) => Err(Invalid::new(field, format!("`{text}` is not a whole number"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> EventDraft<'static> {
        EventDraft {
            code: "CYB-0001-1",
            activity: "CYB-0001",
            start: "2026-03-09T09:00",
            end: "2026-03-13T17:00",
            time_zone: "Europe/Berlin",
            place: "Oberammergau",
            capacity: "24",
            quota: "2",
            deadline: "2026-02-01",
            ..EventDraft::default()
        }
    }

    #[test]
    fn a_good_event_is_built() {
        let Ok(event) = draft().check() else { panic!("good draft refused") };
        assert_eq!(event.capacity, 24);
        assert_eq!(event.quota, Some(2));
        assert_eq!(event.status, EventStatus::Planned);
        assert_eq!(event.mode, SeatMode::FirstCome);
        assert_eq!(event.time_zone, chrono_tz::Europe::Berlin);
    }

    #[test]
    fn each_fault_names_its_field() {
        let cases: [(&str, EventDraft<'static>); 8] = [
            ("end", EventDraft { end: "2026-03-08T09:00", ..draft() }),
            ("capacity", EventDraft { capacity: "-1", ..draft() }),
            ("quota", EventDraft { quota: "25", ..draft() }),
            ("time_zone", EventDraft { time_zone: "Europe/Atlantis", ..draft() }),
            ("end", EventDraft { end: "2026-03-13", ..draft() }),
            ("deadline", EventDraft { deadline: "2026-04-01", ..draft() }),
            ("mode", EventDraft { mode: "lottery", ..draft() }),
            (
                "start",
                EventDraft { start: "2026-03-29T02:30", end: "2026-03-29T05:00", deadline: "2026-03-01", ..draft() },
            ),
        ];
        for (field, bad) in cases {
            match bad.check() {
                Err(e) => assert_eq!(e.field, field, "{e}"),
                Ok(_) => panic!("accepted a bad {field}"),
            }
        }
    }

    #[test]
    fn whole_day_events_may_start_and_end_on_one_day() {
        let one_day = EventDraft { start: "2026-03-09", end: "2026-03-09", ..draft() };
        assert!(one_day.check().is_ok());
    }
}
