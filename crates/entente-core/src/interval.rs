//! Intervals between partial-date bounds, and the one rule for asking whether an interval is
//! in force on a given day.
//!
//! # The rule
//!
//! A bound stands for the **first day of the period its date names**: `1995-02` stands for
//! 1 Feb 1995, `2005` for 1 Jan 2005. The start is inclusive and the end exclusive, so a
//! nation that leaves a framework on the day it joins the alliance (`left` = accession day)
//! is a member that day and no longer a partner. An interval with no end is still in force.
//!
//! A bound whose day is not known at all, only that it had happened **by** a date (the date
//! of the source that attests it, written `by 2024-07-03`), stands for that date: the
//! interval is counted from the first day it is attested, or until the first day its end
//! is attested. The answer is then not certain, and says so: [`Interval::is_certain_on`] is
//! false whenever the day falls within the period of an imprecise or uncertain bound, or
//! before a `by` bound that could already have happened.
//!
//! The rule is the same for every question (status on a day, participants, changes), so
//! answers agree with each other.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::partial_date::{DateError, DateWords, PartialDate};

/// One end of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    /// It happened on this (possibly partial, possibly uncertain) date.
    On(PartialDate),
    /// It happened on an unknown date, known only to have happened by this one.
    By(PartialDate),
}

impl Bound {
    /// The date the bound carries.
    pub fn date(&self) -> PartialDate {
        match self {
            Bound::On(date) | Bound::By(date) => *date,
        }
    }

    /// The day the bound stands for under the module's rule.
    pub fn day(&self) -> NaiveDate {
        self.date().first_day()
    }

    /// Whether the bound is one exact, certain day.
    pub fn is_exact(&self) -> bool {
        matches!(self, Bound::On(date) if date.is_exact())
    }

    /// The bound as a reader expects it: `Feb 1995`, `by Jul 2024 (date unknown)`.
    pub fn human(&self) -> String {
        self.human_in(&DateWords::ENGLISH)
    }

    /// The bound in a language's words.
    pub fn human_in(&self, words: &DateWords) -> String {
        match self {
            Bound::On(date) => date.human_in(words),
            Bound::By(date) => format!("{} {}", words.by, date.human_in(words)),
        }
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::On(date) => write!(f, "{date}"),
            Bound::By(date) => write!(f, "by {date}"),
        }
    }
}

impl FromStr for Bound {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.strip_prefix("by ") {
            Some(date) => Ok(Bound::By(date.parse()?)),
            None => Ok(Bound::On(text.parse()?)),
        }
    }
}

impl serde::Serialize for Bound {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A span of time from a start bound to an optional end bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    start: Bound,
    end: Option<Bound>,
}

/// Why two bounds do not make an interval.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the end `{end}` is before the start `{start}`")]
pub struct EndBeforeStart {
    /// The start as written.
    pub start: String,
    /// The end as written.
    pub end: String,
}

impl Interval {
    /// An interval; the end, as counted (its first day), may not come before the start as
    /// counted. An interval in force on no day (`1999-06-12` to `1999-06`, counted from
    /// 1 June) is refused too: it would report a departure from something never joined.
    pub fn new(start: Bound, end: Option<Bound>) -> Result<Self, EndBeforeStart> {
        if let Some(end) = end
            && end.day() < start.day()
        {
            return Err(EndBeforeStart { start: start.to_string(), end: end.to_string() });
        }
        Ok(Self { start, end })
    }

    /// An interval from `start` that has not ended.
    pub fn since(start: Bound) -> Self {
        Self { start, end: None }
    }

    /// Where the interval starts.
    pub fn start(&self) -> Bound {
        self.start
    }

    /// Where the interval ends, if it has.
    pub fn end(&self) -> Option<Bound> {
        self.end
    }

    /// The first day counted as in force.
    pub fn start_day(&self) -> NaiveDate {
        self.start.day()
    }

    /// The first day no longer counted as in force, if any.
    pub fn end_day(&self) -> Option<NaiveDate> {
        self.end.map(|end| end.day())
    }

    /// Whether the interval is in force on `day`, under the module's rule.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start_day() <= day && self.end_day().is_none_or(|end| day < end)
    }

    /// Whether the answer of [`Interval::contains`] for `day` is certain: false when the
    /// day lies within the period of an imprecise or uncertain bound, or on the near side
    /// of a `by` bound (the event may already have happened).
    pub fn is_certain_on(&self, day: NaiveDate) -> bool {
        let start_certain = match self.start {
            Bound::On(date) => date.is_exact() || !date.covers(day),
            Bound::By(date) => day >= date.first_day(),
        };
        let end_certain = match self.end {
            None => true,
            Some(Bound::On(date)) => date.is_exact() || !date.covers(day),
            Some(Bound::By(date)) => day >= date.first_day(),
        };
        start_certain && end_certain
    }

    /// Whether the two intervals share a day under the rule.
    pub fn overlaps(&self, other: &Interval) -> bool {
        let starts_before_other_ends = other.end_day().is_none_or(|end| self.start_day() < end);
        let other_starts_before_self_ends = self.end_day().is_none_or(|end| other.start_day() < end);
        starts_before_other_ends && other_starts_before_self_ends
    }

    /// The interval as a reader expects it: `Feb 1995 – Oct 1996`, `May 1994 – today`.
    pub fn human(&self) -> String {
        self.human_in(&DateWords::ENGLISH)
    }

    /// The interval in a language's words.
    pub fn human_in(&self, words: &DateWords) -> String {
        match self.end {
            Some(end) => format!("{} – {}", self.start.human_in(words), end.human_in(words)),
            None => format!("{} – {}", self.start.human_in(words), words.present),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::partial_date::tests::any_partial_date;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        crate::partial_date::parse_day(text).unwrap()
    }

    fn interval(start: &str, end: Option<&str>) -> Interval {
        Interval::new(start.parse().unwrap(), end.map(|e| e.parse().unwrap())).unwrap()
    }

    #[test]
    fn start_is_inclusive_and_end_exclusive() {
        let sweden_pfp = interval("1994-05-09", Some("2024-03-07"));
        assert!(!sweden_pfp.contains(day("1994-05-08")));
        assert!(sweden_pfp.contains(day("1994-05-09")));
        assert!(sweden_pfp.contains(day("2024-03-06")));
        assert!(!sweden_pfp.contains(day("2024-03-07")));
    }

    #[test]
    fn a_partial_bound_stands_for_the_first_day_of_its_period() {
        let egypt_md = interval("1995-02", None);
        assert!(!egypt_md.contains(day("1995-01-31")));
        assert!(egypt_md.contains(day("1995-02-01")));
        assert!(!egypt_md.is_certain_on(day("1995-02-14")), "inside the month of a month bound");
        assert!(egypt_md.is_certain_on(day("1995-03-01")));
        let year_end = interval("2001", Some("2005"));
        assert!(year_end.contains(day("2004-12-31")));
        assert!(!year_end.contains(day("2005-01-01")));
    }

    #[test]
    fn a_by_bound_counts_from_the_attested_date_and_is_uncertain_before_it() {
        let suspended = interval("1994-06-22", Some("by 2024-07-03"));
        assert!(suspended.contains(day("2010-01-01")));
        assert!(!suspended.is_certain_on(day("2010-01-01")));
        assert!(!suspended.contains(day("2024-07-03")));
        assert!(suspended.is_certain_on(day("2024-07-03")));
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let err = Interval::new("2010-01-01".parse().unwrap(), Some("2009-12-31".parse().unwrap()));
        assert_eq!(err.unwrap_err().to_string(), "the end `2009-12-31` is before the start `2010-01-01`");
        let empty = Interval::new("2014-03-31".parse().unwrap(), Some("2014-03".parse().unwrap()));
        assert!(empty.is_err(), "counted from 1 March, the end comes before the start: in force on no day");
        assert!(Interval::new("1999-06".parse().unwrap(), Some("1999-06-12".parse().unwrap())).is_ok());
    }

    #[test]
    fn leaving_and_rejoining_do_not_overlap() {
        let first = interval("1995-04-26", Some("1996-10-27"));
        let second = interval("2008-04-03", None);
        assert!(!first.overlaps(&second));
        assert!(first.overlaps(&interval("1996-10-26", None)));
        assert!(!first.overlaps(&interval("1996-10-27", None)), "an end is exclusive");
    }

    fn any_bound() -> impl Strategy<Value = Bound> {
        (any_partial_date(), any::<bool>()).prop_map(|(d, by)| if by { Bound::By(d) } else { Bound::On(d) })
    }

    fn any_interval() -> impl Strategy<Value = Interval> {
        (any_bound(), proptest::option::of(any_bound()))
            .prop_filter_map("end before start", |(s, e)| Interval::new(s, e).ok())
    }

    fn any_day() -> impl Strategy<Value = NaiveDate> {
        (0i64..200 * 366).prop_map(|n| NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(n as u64))
    }

    proptest! {
        #[test]
        fn bounds_round_trip_as_text(bound in any_bound()) {
            prop_assert_eq!(bound.to_string().parse::<Bound>().unwrap(), bound);
        }

        #[test]
        fn contains_agrees_with_the_bound_days(i in any_interval(), d in any_day()) {
            let expected = i.start_day() <= d && i.end_day().is_none_or(|e| d < e);
            prop_assert_eq!(i.contains(d), expected);
        }

        #[test]
        fn overlap_is_symmetric_and_matches_a_shared_day(a in any_interval(), b in any_interval(), d in any_day()) {
            prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
            if a.contains(d) && b.contains(d) {
                prop_assert!(a.overlaps(&b));
            }
        }

        #[test]
        fn exact_bounds_give_certain_answers(s in any_day(), len in 1u64..20_000, d in any_day()) {
            let start = Bound::On(PartialDate::from_naive(s));
            let end = Bound::On(PartialDate::from_naive(s + chrono::Days::new(len)));
            prop_assert!(Interval::new(start, Some(end)).unwrap().is_certain_on(d));
        }
    }
}
