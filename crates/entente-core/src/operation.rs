//! Operations led by the alliance and what partners bring to them: contributions with their
//! lifecycle and the council's acceptance of non-members, force generation (requirements,
//! offers against them, fill rates) and the checks on dates and sizes.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::interval::Interval;

/// An operation's code: its short name upper-cased without spaces (`KFOR`, `NTM-I`,
/// `OCEANSHIELD`): 2 to 32 capitals, digits, `-`, `_` or `.`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct OperationCode(String);

impl OperationCode {
    /// Reads a code as written; `None` when malformed.
    pub fn parse(text: &str) -> Option<Self> {
        let valid = (2..=32).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-_.".contains(&b))
            && text.as_bytes()[0].is_ascii_alphanumeric();
        valid.then(|| Self(text.to_owned()))
    }

    /// The code of an operation from its short name: `Ocean Shield` gives `OCEANSHIELD`.
    pub fn from_short_name(name: &str) -> Option<Self> {
        Self::parse(&name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase())
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OperationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's code.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Reads a code.
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }

            /// Every code, for messages.
            pub fn codes() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}
pub(crate) use coded_enum;

coded_enum!(
    /// Where an operation stands.
    OperationPhase {
        /// The council consults on it.
        Consultation = "consultation",
        /// Being planned; forces generated.
        Planning = "planning",
        /// Under way (or, with an end date, carried out).
        Execution = "execution",
    }
);

coded_enum!(
    /// What a contribution is.
    ContributionKind {
        /// Troops.
        Troops = "troops",
        /// Ships, aircraft, equipment.
        Assets = "assets",
        /// Money.
        Funding = "funding",
        /// Medical support.
        Medical = "medical",
        /// Liaison officers.
        Liaison = "liaison",
        /// Anything else (transit, lines of communication, support roles).
        Other = "other",
    }
);

coded_enum!(
    /// Where a contribution stands.
    ContributionStatus {
        /// Offered by the nation.
        Offered = "offered",
        /// Accepted: by the council for a non-member.
        Accepted = "accepted",
        /// In theatre.
        Deployed = "deployed",
        /// Withdrawn (an offer withdrawn, or forces brought home).
        Withdrawn = "withdrawn",
    }
);

/// Why a contribution cannot move to the status asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StepRefused {
    /// Not a step of the lifecycle.
    #[error("a contribution goes from {from} to {allowed}, not to {to}")]
    NotNext {
        /// Its status.
        from: &'static str,
        /// The one asked.
        to: &'static str,
        /// The ones allowed.
        allowed: &'static str,
    },
    /// A non-member's contribution is accepted only by a council decision.
    #[error("a non-member's contribution is accepted only with the council's decision: give the decision")]
    NeedsCouncilDecision,
}

impl ContributionStatus {
    /// The statuses it may move to.
    pub fn next(&self) -> &'static [ContributionStatus] {
        use ContributionStatus::*;
        match self {
            Offered => &[Accepted, Withdrawn],
            Accepted => &[Deployed, Withdrawn],
            Deployed => &[Withdrawn],
            Withdrawn => &[],
        }
    }

    /// Whether the contribution may move to `to`: a member's by the staff's word, a
    /// non-member's acceptance only with a council decision (`decided`).
    pub fn step(&self, to: ContributionStatus, member: bool, decided: bool) -> Result<(), StepRefused> {
        if !self.next().contains(&to) {
            let allowed = match self {
                ContributionStatus::Offered => "accepted or withdrawn",
                ContributionStatus::Accepted => "deployed or withdrawn",
                ContributionStatus::Deployed => "withdrawn",
                ContributionStatus::Withdrawn => "nothing (it is final)",
            };
            return Err(StepRefused::NotNext { from: self.as_str(), to: to.as_str(), allowed });
        }
        if to == ContributionStatus::Accepted && !member && !decided {
            return Err(StepRefused::NeedsCouncilDecision);
        }
        Ok(())
    }
}

/// Whether a contribution counts as contributing on `day`: it was accepted at some point
/// (an offer never accepted contributes nothing, even once withdrawn) and its period holds
/// the day.
pub fn contributing_on(accepted: bool, period: &Interval, day: NaiveDate) -> bool {
    accepted && period.contains(day)
}

/// Why a contribution's or requirement's dates do not fit the operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutsideOperation {
    /// Starts before the operation.
    #[error("starts on {start}, before the operation began on {operation_start}")]
    StartsBefore {
        /// The day asked.
        start: NaiveDate,
        /// The operation's first day.
        operation_start: NaiveDate,
    },
    /// Runs past the operation's end (or starts after it).
    #[error("runs to {end}, after the operation ended on {operation_end}")]
    EndsAfter {
        /// The day asked.
        end: NaiveDate,
        /// The operation's end.
        operation_end: NaiveDate,
    },
}

/// Checks that `[start, end)` lies within the operation's period. Ends are exclusive, as
/// everywhere in the registry; an open end within an ended operation is refused.
pub fn within_operation(
    operation: &Interval,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Result<(), OutsideOperation> {
    let operation_start = operation.start_day();
    if start < operation_start {
        return Err(OutsideOperation::StartsBefore { start, operation_start });
    }
    if let Some(operation_end) = operation.end_day() {
        let last = end.unwrap_or(NaiveDate::MAX);
        if last > operation_end || start >= operation_end {
            return Err(OutsideOperation::EndsAfter { end: end.unwrap_or(start), operation_end });
        }
    }
    Ok(())
}

/// How far a requirement is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Fill {
    /// What is required.
    pub required: i64,
    /// Offered and not withdrawn (pledged), accepted and deployed included.
    pub pledged: i64,
    /// Accepted or deployed.
    pub filled: i64,
}

impl Fill {
    /// The share filled, from 0 to 1 (more than enough counts as full).
    pub fn rate(&self) -> f64 {
        if self.required <= 0 { 1.0 } else { self.filled.min(self.required) as f64 / self.required as f64 }
    }

    /// Still needed, counting every pledge.
    pub fn remaining(&self) -> i64 {
        (self.required - self.pledged).max(0)
    }
}

/// A requirement's fill from the offers against it: (quantity, status) pairs.
pub fn fill(required: i64, offers: &[(i64, ContributionStatus)]) -> Fill {
    let mut pledged = 0;
    let mut filled = 0;
    for (quantity, status) in offers {
        match status {
            ContributionStatus::Offered => pledged += quantity,
            ContributionStatus::Accepted | ContributionStatus::Deployed => {
                pledged += quantity;
                filled += quantity;
            }
            ContributionStatus::Withdrawn => {}
        }
    }
    Fill { required, pledged, filled }
}

/// An operation's fill: the requirements together, each counted up to its own quantity
/// (ten surplus ships do not make up for missing helicopters).
pub fn operation_fill(fills: &[Fill]) -> Fill {
    Fill {
        required: fills.iter().map(|f| f.required).sum(),
        pledged: fills.iter().map(|f| f.pledged.min(f.required)).sum(),
        filled: fills.iter().map(|f| f.filled.min(f.required)).sum(),
    }
}

/// An offer larger than the requirement's remaining need beyond the margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{offered} offered, but only {remaining} still needed (at most {allowed} with the {margin_percent}% margin)")]
pub struct OfferTooLarge {
    /// The offer.
    pub offered: i64,
    /// Still needed.
    pub remaining: i64,
    /// The most accepted.
    pub allowed: i64,
    /// The margin.
    pub margin_percent: u32,
}

/// Checks an offer of `offered` against a requirement's fill: it may exceed the remaining
/// need by `margin_percent` of the whole requirement, rounded up.
pub fn check_offer(fill: &Fill, offered: i64, margin_percent: u32) -> Result<(), OfferTooLarge> {
    let margin = (fill.required * i64::from(margin_percent) + 99) / 100;
    let allowed = fill.remaining() + margin;
    if offered > allowed {
        return Err(OfferTooLarge { offered, remaining: fill.remaining(), allowed, margin_percent });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_day;
    use ContributionStatus::*;

    fn day(text: &str) -> NaiveDate {
        parse_day(text).unwrap()
    }

    #[test]
    fn codes_are_short_names_upper_cased_without_spaces() {
        assert_eq!(OperationCode::from_short_name("Ocean Shield").unwrap().as_str(), "OCEANSHIELD");
        assert_eq!(OperationCode::from_short_name("NTM-I").unwrap().as_str(), "NTM-I");
        assert_eq!(OperationCode::from_short_name("KFOR").unwrap().as_str(), "KFOR");
        assert!(OperationCode::parse("kfor").is_none());
        assert!(OperationCode::parse("K").is_none());
    }

    #[test]
    fn a_non_member_is_accepted_only_with_a_council_decision() {
        assert_eq!(Offered.step(Accepted, false, false), Err(StepRefused::NeedsCouncilDecision));
        assert_eq!(Offered.step(Accepted, false, true), Ok(()));
        assert_eq!(Offered.step(Accepted, true, false), Ok(()), "a member's needs no decision");
        assert!(matches!(Offered.step(Deployed, true, true), Err(StepRefused::NotNext { .. })));
        assert!(matches!(Withdrawn.step(Accepted, true, true), Err(StepRefused::NotNext { .. })));
        assert_eq!(Deployed.step(Withdrawn, false, false), Ok(()));
    }

    #[test]
    fn fill_rates_count_accepted_offers_up_to_the_requirement() {
        let f = fill(10, &[(4, Accepted), (3, Deployed), (2, Offered), (5, Withdrawn)]);
        assert_eq!((f.filled, f.pledged, f.remaining()), (7, 9, 1));
        assert!((f.rate() - 0.7).abs() < 1e-9);
        let over = fill(2, &[(5, Deployed)]);
        assert!((over.rate() - 1.0).abs() < 1e-9);
        let both = operation_fill(&[f, over, fill(8, &[])]);
        assert_eq!((both.required, both.filled), (20, 9));
        assert!((both.rate() - 0.45).abs() < 1e-9);
    }

    #[test]
    fn an_offer_may_exceed_the_need_by_the_margin_only() {
        let f = fill(100, &[(95, Accepted)]);
        assert_eq!(check_offer(&f, 15, 10), Ok(()));
        let refused = check_offer(&f, 16, 10).unwrap_err();
        assert_eq!((refused.remaining, refused.allowed), (5, 15));
        assert!(check_offer(&fill(3, &[]), 4, 0).is_err());
        assert!(check_offer(&fill(3, &[]), 4, 1).is_ok(), "a margin rounds up to one");
    }

    #[test]
    fn contributions_lie_within_the_operation() {
        let sfor: Interval = Interval::new("1996-12-21".parse().unwrap(), Some("2004-12-02".parse().unwrap())).unwrap();
        assert!(within_operation(&sfor, day("1997-01-01"), Some(day("2004-12-02"))).is_ok());
        assert!(matches!(within_operation(&sfor, day("1996-12-20"), None), Err(OutsideOperation::StartsBefore { .. })));
        assert!(matches!(within_operation(&sfor, day("1997-01-01"), None), Err(OutsideOperation::EndsAfter { .. })));
        assert!(within_operation(&sfor, day("2004-12-02"), Some(day("2004-12-02"))).is_err());
        let kfor = Interval::since("1999-06-12".parse().unwrap());
        assert!(within_operation(&kfor, day("2020-01-01"), None).is_ok());
    }

    #[test]
    fn only_accepted_contributions_count_and_only_within_their_period() {
        let period = Interval::new("2003-08-11".parse().unwrap(), Some("2014-12-28".parse().unwrap())).unwrap();
        assert!(contributing_on(true, &period, day("2010-01-01")));
        assert!(!contributing_on(false, &period, day("2010-01-01")));
        assert!(!contributing_on(true, &period, day("2014-12-28")));
    }
}
