//! Dates known to a year, a month or a day, with an optional uncertainty flag.
//!
//! The text form follows EDTF level 1 (ISO 8601-2): `2005`, `1995-02`, `1995-02-14`, and a
//! trailing `?` for an uncertain date (`2004-12?`). Parsing and printing round-trip
//! exactly, so `1995-02` is never silently turned into `1995-02-01`.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// The earliest year the registry can speak of: the alliance's founding treaty is 1949, but
/// older dates (a nation's history) are allowed; four-digit years keep the text form simple.
const MIN_YEAR: i32 = 1000;
const MAX_YEAR: i32 = 9999;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// Only the year.
    Year,
    /// Year and month.
    Month,
    /// The exact day.
    Day,
}

/// A calendar date known to a year, a month or a day, possibly uncertain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
    uncertain: bool,
}

/// Why a text is not a partial date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text does not have the shape `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (with optional `?`).
    #[error("`{0}` is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by `?`")]
    Shape(String),
    /// The text has the right shape but names no real day or month.
    #[error("`{0}` is not a real calendar date")]
    OutOfRange(String),
}

impl PartialDate {
    /// A date known only to the year.
    pub fn year(year: i32) -> Result<Self, DateError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DateError::OutOfRange(year.to_string()));
        }
        Ok(Self { year, month: None, day: None, uncertain: false })
    }

    /// A date known to the month.
    pub fn month(year: i32, month: u32) -> Result<Self, DateError> {
        let mut date = Self::year(year)?;
        if !(1..=12).contains(&month) {
            return Err(DateError::OutOfRange(format!("{year:04}-{month:02}")));
        }
        date.month = Some(month);
        Ok(date)
    }

    /// A date known to the day.
    pub fn day(year: i32, month: u32, day: u32) -> Result<Self, DateError> {
        let mut date = Self::month(year, month)?;
        if NaiveDate::from_ymd_opt(year, month, day).is_none() {
            return Err(DateError::OutOfRange(format!("{year:04}-{month:02}-{day:02}")));
        }
        date.day = Some(day);
        Ok(date)
    }

    /// An exact day from a calendar date.
    pub fn from_naive(date: NaiveDate) -> Self {
        Self { year: date.year(), month: Some(date.month()), day: Some(date.day()), uncertain: false }
    }

    /// The same date, flagged as uncertain (or not).
    #[must_use]
    pub fn with_uncertain(mut self, uncertain: bool) -> Self {
        self.uncertain = uncertain;
        self
    }

    /// How much of the date is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (_, Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            (None, None) => Precision::Year,
        }
    }

    /// Whether the source doubts the date.
    pub fn is_uncertain(&self) -> bool {
        self.uncertain
    }

    /// Whether this is one exact, certain day.
    pub fn is_exact(&self) -> bool {
        self.precision() == Precision::Day && !self.uncertain
    }

    /// The first day of the period the date names (1 Feb 1995 for `1995-02`).
    pub fn first_day(&self) -> NaiveDate {
        let month = self.month.unwrap_or(1);
        let day = self.day.unwrap_or(1);
        // The constructors checked that this day exists.
        NaiveDate::from_ymd_opt(self.year, month, day).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the period the date names (28 Feb 1995 for `1995-02`).
    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => next_month_start(self.year, m).and_then(|d| d.pred_opt()),
            (None, _) => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .unwrap_or(NaiveDate::MAX)
    }

    /// Whether `day` falls within the period this date names.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.first_day() <= day && day <= self.last_day()
    }

    /// The date as a reader expects it, keeping its precision: `1995`, `Feb 1995`,
    /// `14 Feb 1995`, with `(uncertain)` where the source doubts it.
    pub fn human(&self) -> String {
        self.human_in(&DateWords::ENGLISH)
    }

    /// The date in a language's words: `14 févr. 1995 (incertain)`.
    pub fn human_in(&self, words: &DateWords) -> String {
        let month = |m: u32| words.months.get(m.saturating_sub(1) as usize).copied().unwrap_or("?");
        let text = match (self.month, self.day) {
            (Some(m), Some(1)) => format!("{} {} {}", words.first_day, month(m), self.year),
            (Some(m), Some(d)) => format!("{d} {} {}", month(m), self.year),
            (Some(m), None) => format!("{} {}", month(m), self.year),
            (None, _) => self.year.to_string(),
        };
        if self.uncertain { format!("{text} ({})", words.uncertain) } else { text }
    }
}

/// The words a language writes dates with: the interface supplies them from its message
/// catalogue, so that the core stays free of any translation machinery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWords<'a> {
    /// Abbreviated month names, January first.
    pub months: [&'a str; 12],
    /// The first day of a month: `1`, or `1er` in French.
    pub first_day: &'a str,
    /// Said of a date its source doubts: `uncertain`.
    pub uncertain: &'a str,
    /// Before a date an event is known only to have happened by: `date unknown, by`.
    pub by: &'a str,
    /// The open end of an interval: `present`.
    pub present: &'a str,
}

impl DateWords<'static> {
    /// English, as the CLI and the API's `human` fields write dates.
    pub const ENGLISH: DateWords<'static> = DateWords {
        months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        first_day: "1",
        uncertain: "uncertain",
        by: "date unknown, by",
        present: "present",
    };
}

fn next_month_start(year: i32, month: u32) -> Option<NaiveDate> {
    if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        if self.uncertain {
            f.write_str("?")?;
        }
        Ok(())
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let shape = || DateError::Shape(text.to_owned());
        let (body, uncertain) = match text.strip_suffix('?') {
            Some(body) => (body, true),
            None => (text, false),
        };
        let parts: Vec<&str> = body.split('-').collect();
        let widths_ok = matches!(parts.as_slice(), [y] if y.len() == 4)
            || matches!(parts.as_slice(), [y, m] if y.len() == 4 && m.len() == 2)
            || matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2);
        if !widths_ok || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(shape());
        }
        let number = |p: &str| p.parse::<u32>().map_err(|_| shape());
        let year = i32::try_from(number(parts[0])?).map_err(|_| shape())?;
        let out_of_range = |_| DateError::OutOfRange(text.to_owned());
        let date = match parts.as_slice() {
            [_] => Self::year(year).map_err(out_of_range)?,
            [_, m] => Self::month(year, number(m)?).map_err(out_of_range)?,
            [_, m, d] => Self::day(year, number(m)?, number(d)?).map_err(out_of_range)?,
            _ => return Err(shape()),
        };
        Ok(date.with_uncertain(uncertain))
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Parses a query date: an exact calendar day written `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<NaiveDate, DateError> {
    let date: PartialDate = text.parse()?;
    if date.precision() != Precision::Day || date.is_uncertain() {
        return Err(DateError::Shape(text.to_owned()));
    }
    Ok(date.first_day())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_precision_when_printed() {
        for text in ["2005", "1995-02", "1995-02-14", "2004-12?", "1949?"] {
            let date: PartialDate = text.parse().unwrap();
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn reads_like_a_person_writes() {
        assert_eq!("1995-02".parse::<PartialDate>().unwrap().human(), "Feb 1995");
        assert_eq!("1995-02-14".parse::<PartialDate>().unwrap().human(), "14 Feb 1995");
        assert_eq!("2005".parse::<PartialDate>().unwrap().human(), "2005");
        assert_eq!("2004-12?".parse::<PartialDate>().unwrap().human(), "Dec 2004 (uncertain)");
    }

    #[test]
    fn periods_have_first_and_last_days() {
        let feb: PartialDate = "1996-02".parse().unwrap();
        assert_eq!(feb.first_day(), NaiveDate::from_ymd_opt(1996, 2, 1).unwrap());
        assert_eq!(feb.last_day(), NaiveDate::from_ymd_opt(1996, 2, 29).unwrap());
        let dec: PartialDate = "2005-12".parse().unwrap();
        assert_eq!(dec.last_day(), NaiveDate::from_ymd_opt(2005, 12, 31).unwrap());
        let year: PartialDate = "2005".parse().unwrap();
        assert_eq!(year.last_day(), NaiveDate::from_ymd_opt(2005, 12, 31).unwrap());
    }

    #[test]
    fn rejects_malformed_and_impossible_dates() {
        for text in ["", "95", "1995-2", "1995-02-1", "yesterday", "1995/02", "1995-02-14??", "+1995"] {
            assert!(matches!(text.parse::<PartialDate>(), Err(DateError::Shape(_))), "{text}");
        }
        for text in ["2008-13-01", "2008-13", "2023-02-29", "2008-00"] {
            assert!(matches!(text.parse::<PartialDate>(), Err(DateError::OutOfRange(_))), "{text}");
        }
    }

    #[test]
    fn query_days_must_be_exact() {
        assert!(parse_day("2008-01-01").is_ok());
        assert!(parse_day("2008-01").is_err());
        assert!(parse_day("2008-01-01?").is_err());
        assert!(parse_day("2008-13-01").is_err());
    }

    pub(crate) fn any_partial_date() -> impl Strategy<Value = PartialDate> {
        (1900i32..2100, 0u32..=12, 0u32..=31, any::<bool>()).prop_map(|(y, m, d, u)| {
            let date = match (m, d) {
                (0, _) => PartialDate::year(y),
                (m, 0) => PartialDate::month(y, m),
                (m, d) => PartialDate::day(y, m, d).or_else(|_| PartialDate::month(y, m)),
            };
            date.unwrap().with_uncertain(u)
        })
    }

    proptest! {
        #[test]
        fn text_round_trips(date in any_partial_date()) {
            let text = date.to_string();
            prop_assert_eq!(text.parse::<PartialDate>().unwrap(), date);
        }

        #[test]
        fn a_period_contains_its_own_first_and_last_day(date in any_partial_date()) {
            prop_assert!(date.first_day() <= date.last_day());
            prop_assert!(date.covers(date.first_day()));
            prop_assert!(date.covers(date.last_day()));
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,16}") {
            let _ = text.parse::<PartialDate>();
        }
    }
}
