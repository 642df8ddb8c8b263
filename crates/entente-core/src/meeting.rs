//! Dialogue meetings: their format and level, the checks on their times, and action items.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::event::EventTime;
use crate::operation::coded_enum;

coded_enum!(
    /// How a meeting gathers its participants.
    MeetingFormat {
        /// The alliance with one partner ("+1").
        Bilateral = "bilateral",
        /// The alliance with a framework's partners (NATO+7 with the Mediterranean Dialogue).
        Framework = "framework",
        /// A "+n" meeting on one theme with whoever is concerned.
        Flexible = "flexible",
        /// The council, with or without partners.
        Council = "council",
        /// Consultations with a country without a formal programme.
        Consultation = "consultation",
    }
);

coded_enum!(
    /// At what level a meeting sits.
    MeetingLevel {
        /// Working level (experts, officials).
        Working = "working",
        /// Ambassadors.
        Ambassadors = "ambassadors",
        /// Ministers (foreign or defence).
        Ministers = "ministers",
        /// Heads of state and government (a summit).
        HeadsOfState = "heads_of_state",
    }
);

coded_enum!(
    /// Where an action item stands.
    ActionStatus {
        /// To do.
        Open = "open",
        /// Done.
        Done = "done",
        /// Dropped.
        Cancelled = "cancelled",
    }
);

/// The instant a meeting's time stands for, in UTC: a whole day counts from its midnight at
/// the meeting's place.
pub fn instant(time: EventTime, zone: Tz) -> Option<chrono::DateTime<chrono::Utc>> {
    let local: NaiveDateTime = match time {
        EventTime::Day(day) => day.and_hms_opt(0, 0, 0)?,
        EventTime::At(at) => at,
    };
    zone.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&chrono::Utc))
}

/// Why a meeting's times do not make a meeting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimesRefused {
    /// The end comes before the start.
    #[error("the meeting ends ({end}) before it starts ({start})")]
    EndsBeforeStart {
        /// The start as typed.
        start: String,
        /// The end as typed.
        end: String,
    },
    /// A local time that does not exist at the place (skipped by a clock change).
    #[error("{0} does not exist in the meeting's time zone")]
    NoSuchTime(String),
}

/// Checks that a meeting ends no earlier than it starts: two times of day compare as
/// instants at the place; a whole-day end may be the start's day.
pub fn check_times(start: EventTime, end: EventTime, zone: Tz) -> Result<(), TimesRefused> {
    let at = |t: EventTime| instant(t, zone).ok_or_else(|| TimesRefused::NoSuchTime(t.to_string()));
    let (from, to) = (at(start)?, at(end)?);
    let ends_before = match (start, end) {
        (EventTime::At(_), EventTime::At(_)) => to <= from,
        _ => end.day() < start.day(),
    };
    if ends_before {
        return Err(TimesRefused::EndsBeforeStart { start: start.to_string(), end: end.to_string() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> EventTime {
        EventTime::parse("starts", text).unwrap()
    }

    #[test]
    fn a_meeting_that_ends_before_it_starts_is_refused() {
        let brussels: Tz = "Europe/Brussels".parse().unwrap();
        assert!(check_times(at("2027-03-01T10:00"), at("2027-03-01T12:00"), brussels).is_ok());
        assert!(matches!(
            check_times(at("2027-03-01T10:00"), at("2027-03-01T09:00"), brussels),
            Err(TimesRefused::EndsBeforeStart { .. })
        ));
        assert!(check_times(at("2027-03-01T10:00"), at("2027-03-01T10:00"), brussels).is_err());
        assert!(check_times(at("2027-03-01"), at("2027-03-01"), brussels).is_ok(), "a one-day meeting");
        assert!(check_times(at("2027-03-02"), at("2027-03-01"), brussels).is_err());
        assert!(matches!(
            check_times(at("2027-03-28T02:30"), at("2027-03-28T04:00"), brussels),
            Err(TimesRefused::NoSuchTime(_))
        ));
    }

    #[test]
    fn codes_read_back() {
        for format in MeetingFormat::ALL {
            assert_eq!(MeetingFormat::parse(format.as_str()), Some(*format));
        }
        assert_eq!(MeetingLevel::parse("heads_of_state"), Some(MeetingLevel::HeadsOfState));
        assert_eq!(ActionStatus::codes(), "open, done, cancelled");
    }
}
