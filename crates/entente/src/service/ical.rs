//! iCalendar (RFC 5545) feeds of events. Timed events keep their place's wall-clock time
//! with a `TZID`, and each zone used gets a `VTIMEZONE` with its real transitions over the
//! years the events span (worked out from the IANA database), so any client shows the
//! right instant; whole-day events are `VALUE=DATE`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use entente_core::event::EventTime;

/// One event of a feed.
#[derive(Debug, Clone)]
pub struct CalendarEvent {
    /// A stable unique id.
    pub uid: String,
    /// Title.
    pub summary: String,
    /// Description.
    pub description: String,
    /// Place.
    pub location: String,
    /// Start, local to `time_zone`.
    pub start: EventTime,
    /// End (the last day, for whole days).
    pub end: EventTime,
    /// The place's zone.
    pub time_zone: Tz,
    /// The event's page.
    pub url: String,
    /// Called off.
    pub cancelled: bool,
}

/// Escapes a TEXT value.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn local(at: NaiveDateTime) -> String {
    at.format("%Y%m%dT%H%M%S").to_string()
}

fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
}

/// The zone's offsets (UTC offset, whether daylight saving, abbreviation) at `at`.
fn observance(tz: Tz, at: DateTime<Utc>) -> (i32, bool, String) {
    let o = tz.offset_from_utc_datetime(&at.naive_utc());
    (o.fix().local_minus_utc(), o.dst_offset() != Duration::zero(), o.abbreviation().unwrap_or("").to_owned())
}

/// The VTIMEZONE of `tz` over `years`: the observance in force at the first year's start,
/// then every transition, found by stepping a day at a time and narrowing to the minute.
fn vtimezone(out: &mut String, tz: Tz, years: &BTreeSet<i32>) {
    let (Some(first), Some(last)) = (years.first(), years.last()) else { return };
    let start = Utc.with_ymd_and_hms(*first, 1, 1, 0, 0, 0).single().unwrap_or_default();
    let end = Utc.with_ymd_and_hms(*last + 1, 1, 1, 0, 0, 0).single().unwrap_or_default();
    line(out, "BEGIN:VTIMEZONE");
    line(out, &format!("TZID:{}", tz.name()));
    let mut current = observance(tz, start);
    let component = |out: &mut String, at: DateTime<Utc>, from: i32, to: &(i32, bool, String)| {
        let kind = if to.1 { "DAYLIGHT" } else { "STANDARD" };
        line(out, &format!("BEGIN:{kind}"));
        line(out, &format!("DTSTART:{}", local(at.naive_utc() + Duration::seconds(i64::from(from)))));
        line(out, &format!("TZOFFSETFROM:{}", offset(from)));
        line(out, &format!("TZOFFSETTO:{}", offset(to.0)));
        if !to.2.is_empty() {
            line(out, &format!("TZNAME:{}", text(&to.2)));
        }
        line(out, &format!("END:{kind}"));
    };
    component(out, start, current.0, &current);
    let mut day = start;
    while day < end {
        let next = day + Duration::days(1);
        let then = observance(tz, next);
        if then != current {
            // Narrow to the second of the change.
            let (mut lo, mut hi) = (day, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if observance(tz, mid) == current { lo = mid } else { hi = mid }
            }
            component(out, hi, current.0, &then);
            current = then;
        }
        day = next;
    }
    line(out, "END:VTIMEZONE");
}

fn years_of(event: &CalendarEvent) -> [i32; 2] {
    [event.start.day().year(), event.end.day().year()]
}

/// A whole calendar named `name`, stamped `now`.
pub fn calendar(name: &str, events: &[CalendarEvent], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Entente//Partnership cooperation menu//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    let mut zones: BTreeMap<&str, (Tz, BTreeSet<i32>)> = BTreeMap::new();
    for event in events.iter().filter(|e| matches!(e.start, EventTime::At(_))) {
        let entry = zones.entry(event.time_zone.name()).or_insert((event.time_zone, BTreeSet::new()));
        entry.1.extend(years_of(event));
    }
    for (tz, years) in zones.values() {
        vtimezone(&mut out, *tz, years);
    }
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for event in events {
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", text(&event.uid)));
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        match (event.start, event.end) {
            (EventTime::At(start), EventTime::At(end)) => {
                line(&mut out, &format!("DTSTART;TZID={}:{}", event.time_zone.name(), local(start)));
                line(&mut out, &format!("DTEND;TZID={}:{}", event.time_zone.name(), local(end)));
            }
            (start, end) => {
                let next = end.day().succ_opt().unwrap_or(end.day());
                line(&mut out, &format!("DTSTART;VALUE=DATE:{}", day_text(start.day())));
                line(&mut out, &format!("DTEND;VALUE=DATE:{}", day_text(next)));
            }
        }
        line(&mut out, &format!("SUMMARY:{}", text(&event.summary)));
        if !event.description.is_empty() {
            line(&mut out, &format!("DESCRIPTION:{}", text(&event.description)));
        }
        line(&mut out, &format!("LOCATION:{}", text(&event.location)));
        line(&mut out, &format!("URL:{}", event.url));
        line(&mut out, if event.cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" });
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn day_text(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(start: &str, end: &str, zone: Tz) -> CalendarEvent {
        let parse = |t: &str| EventTime::parse("start", t).unwrap();
        CalendarEvent {
            uid: "E-1@entente".into(),
            summary: "Cyber defence; course, part 1".into(),
            description: String::new(),
            location: "Oberammergau".into(),
            start: parse(start),
            end: parse(end),
            time_zone: zone,
            url: "https://example.org/events/E-1".into(),
            cancelled: false,
        }
    }

    #[test]
    fn a_timed_event_keeps_its_zone_with_both_of_the_years_transitions() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let ics = calendar("Test", &[event("2026-03-09T09:00", "2026-03-13T17:00", chrono_tz::Europe::Berlin)], now);
        assert!(ics.contains("DTSTART;TZID=Europe/Berlin:20260309T090000\r\n"), "{ics}");
        assert!(ics.contains("SUMMARY:Cyber defence\\; course\\, part 1\r\n"));
        // Summer time begins at 02:00 local on the last Sunday of March, ends at 03:00 in October.
        assert!(
            ics.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"),
            "{ics}"
        );
        assert!(
            ics.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"),
            "{ics}"
        );
        assert!(ics.lines().all(|l| l.len() <= 75));
    }

    #[test]
    fn a_whole_day_event_ends_the_day_after_its_last_day() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let ics = calendar("Test", &[event("2026-05-04", "2026-05-06", chrono_tz::UTC)], now);
        assert!(ics.contains("DTSTART;VALUE=DATE:20260504\r\nDTEND;VALUE=DATE:20260507\r\n"), "{ics}");
        assert!(!ics.contains("VTIMEZONE"));
    }
}
