//! Force evaluations under the Operational Capabilities Concept: a partner declares a unit
//! to the pool of forces; it goes through two levels, each a self-evaluation then a NATO
//! evaluation (SEL1, NEL1, SEL2, NEL2), and a passed NEL2 certifies it ("combat ready")
//! for three years, after which it must be revalidated by a new NATO evaluation.

use chrono::{Months, NaiveDate};

use crate::operation::coded_enum;

coded_enum!(
    /// An evaluation step, in the order they are taken.
    EvaluationStep {
        /// Level 1 self-evaluation, by the nation.
        Sel1 = "SEL1",
        /// Level 1 NATO evaluation.
        Nel1 = "NEL1",
        /// Level 2 self-evaluation, by the nation.
        Sel2 = "SEL2",
        /// Level 2 NATO evaluation: passed, it certifies the unit.
        Nel2 = "NEL2",
        /// A NATO evaluation renewing a certification.
        Revalidation = "REVAL",
    }
);

/// How long a certification holds.
pub const CERTIFICATION_MONTHS: u32 = 36;
/// How long before its expiry a certification is listed as due for revalidation.
pub const DUE_WITHIN_MONTHS: u32 = 6;

impl EvaluationStep {
    /// Whether NATO's evaluators (the alliance's staff) record it, rather than the nation.
    pub fn by_nato(&self) -> bool {
        !matches!(self, EvaluationStep::Sel1 | EvaluationStep::Sel2)
    }
}

/// A step as recorded: which, when, and whether it was passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    /// The step.
    pub step: EvaluationStep,
    /// When it ended.
    pub date: NaiveDate,
    /// Whether the unit passed.
    pub passed: bool,
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepRefused {
    /// The step is not the next one.
    #[error("step: {step} comes after {needs} is passed")]
    OutOfOrder {
        /// The step asked for.
        step: &'static str,
        /// What must be passed first.
        needs: &'static str,
    },
    /// Dated before the previous step or the declaration.
    #[error("date: {date} is before {before}")]
    BeforePrevious {
        /// The date given.
        date: NaiveDate,
        /// The date it must not precede.
        before: NaiveDate,
    },
    /// A revalidation of a unit never certified.
    #[error("step: REVAL renews a certification; the unit has none")]
    NotCertified,
}

impl StepRefused {
    /// The field the refusal names.
    pub fn field(&self) -> &'static str {
        match self {
            StepRefused::BeforePrevious { .. } => "date",
            _ => "step",
        }
    }
}

/// Where a unit stands after its steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// The last step passed, if any.
    pub passed: Option<EvaluationStep>,
    /// Certified on (the last NEL2 or revalidation passed).
    pub certified_on: Option<NaiveDate>,
    /// When the certification lapses.
    pub expires_on: Option<NaiveDate>,
}

/// Where a unit declared on `declared` stands after `steps` (in the order taken).
pub fn standing(steps: &[Taken]) -> Standing {
    let mut passed = None;
    let mut certified_on = None;
    for taken in steps.iter().filter(|t| t.passed) {
        passed = Some(taken.step);
        if matches!(taken.step, EvaluationStep::Nel2 | EvaluationStep::Revalidation) {
            certified_on = Some(taken.date);
        }
    }
    let expires_on = certified_on.and_then(|d| d.checked_add_months(Months::new(CERTIFICATION_MONTHS)));
    Standing { passed, certified_on, expires_on }
}

/// Checks the next step: in order (a failed step is taken again), dated on or after the
/// previous step and the declaration; a revalidation only of a certified unit.
pub fn check_step(declared: NaiveDate, steps: &[Taken], next: Taken) -> Result<(), StepRefused> {
    let last_date = steps.last().map_or(declared, |t| t.date);
    if next.date < last_date {
        return Err(StepRefused::BeforePrevious { date: next.date, before: last_date });
    }
    let passed = standing(steps).passed;
    let needs = match next.step {
        EvaluationStep::Sel1 => None,
        EvaluationStep::Nel1 => Some(EvaluationStep::Sel1),
        EvaluationStep::Sel2 => Some(EvaluationStep::Nel1),
        EvaluationStep::Nel2 => Some(EvaluationStep::Sel2),
        EvaluationStep::Revalidation => {
            return if standing(steps).certified_on.is_some() { Ok(()) } else { Err(StepRefused::NotCertified) };
        }
    };
    let in_order = match needs {
        // The first step, or taken again after failing it.
        None => passed.is_none(),
        Some(needed) => passed == Some(needed),
    };
    if in_order {
        Ok(())
    } else {
        Err(StepRefused::OutOfOrder { step: next.step.as_str(), needs: needs.map_or("nothing", |n| n.as_str()) })
    }
}

/// Whether a certification expiring on `expires_on` is due for revalidation on `today`
/// (lapsed, or lapsing within [`DUE_WITHIN_MONTHS`]).
pub fn due_for_revalidation(expires_on: NaiveDate, today: NaiveDate) -> bool {
    today.checked_add_months(Months::new(DUE_WITHIN_MONTHS)).is_none_or(|horizon| expires_on <= horizon)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn taken(step: EvaluationStep, date: &str, passed: bool) -> Taken {
        Taken { step, date: day(date), passed }
    }

    #[test]
    fn two_levels_each_self_then_nato_certify_a_unit_for_three_years() {
        let declared = day("2022-01-10");
        let mut steps = vec![];
        for (step, date) in [
            (EvaluationStep::Sel1, "2022-03-01"),
            (EvaluationStep::Nel1, "2022-06-01"),
            (EvaluationStep::Sel2, "2023-02-01"),
            (EvaluationStep::Nel2, "2023-05-15"),
        ] {
            let next = taken(step, date, true);
            check_step(declared, &steps, next).unwrap();
            steps.push(next);
        }
        let standing = standing(&steps);
        assert_eq!(standing.certified_on, Some(day("2023-05-15")));
        assert_eq!(standing.expires_on, Some(day("2026-05-15")));
        assert!(!due_for_revalidation(day("2026-05-15"), day("2025-06-01")));
        assert!(due_for_revalidation(day("2026-05-15"), day("2026-01-01")));
    }

    #[test]
    fn steps_are_taken_in_order_and_a_failed_one_again() {
        let declared = day("2022-01-10");
        let refused = check_step(declared, &[], taken(EvaluationStep::Nel1, "2022-02-01", true)).unwrap_err();
        assert_eq!(refused.field(), "step");
        let failed = [taken(EvaluationStep::Sel1, "2022-02-01", false)];
        assert!(check_step(declared, &failed, taken(EvaluationStep::Sel1, "2022-03-01", true)).is_ok());
        assert!(check_step(declared, &failed, taken(EvaluationStep::Nel1, "2022-03-01", true)).is_err());
        let early = check_step(declared, &failed, taken(EvaluationStep::Sel1, "2022-01-01", true)).unwrap_err();
        assert_eq!(early.field(), "date");
        assert_eq!(
            check_step(declared, &[], taken(EvaluationStep::Revalidation, "2022-03-01", true)),
            Err(StepRefused::NotCertified)
        );
    }

    #[test]
    fn only_self_evaluations_are_the_nations() {
        assert!(!EvaluationStep::Sel1.by_nato());
        assert!(EvaluationStep::Nel2.by_nato());
        assert!(EvaluationStep::Revalidation.by_nato());
    }
}
