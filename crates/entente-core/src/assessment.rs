//! Regular assessments: indicators with a baseline and a target, measurements of them in
//! review periods, the review workflow (draft -> submitted -> returned or approved, and an
//! approved period locked, corrected only by a new version), and the roll-up of progress
//! from indicators to goals, objectives, programmes, nations and frameworks
//! ([`rollup`]). Force evaluations are in [`crate::force_evaluation`].

pub mod rollup;

use chrono::NaiveDate;

use crate::authz::{Affiliation, Lifecycle, Principal};
use crate::operation::coded_enum;

coded_enum!(
    /// Which way an indicator's value should move.
    Direction {
        /// More is better (a share of units trained).
        Higher = "higher",
        /// Less is better (a response time).
        Lower = "lower",
        /// Done or not: 0 or 1.
        Milestone = "milestone",
    }
);

coded_enum!(
    /// A reviewer's judgement of an indicator in a period.
    Judgement {
        /// On course to reach the target in time.
        OnTrack = "on_track",
        /// Behind, but recoverable.
        AtRisk = "at_risk",
        /// Will not reach the target in time without a change.
        OffTrack = "off_track",
        /// The target is reached.
        Achieved = "achieved",
    }
);

coded_enum!(
    /// What a review cycle reviews.
    CycleKind {
        /// A tailored programme's annual review.
        Programme = "programme",
        /// The Planning and Review Process's two-year round.
        Parp = "parp",
    }
);

coded_enum!(
    /// A stage of a review: the annual review of a programme, or one of the PARP round's
    /// three (the survey, the goals agreed in even years, the assessment in odd years).
    Stage {
        /// A programme's annual review.
        Annual = "annual",
        /// The partner answers the PARP survey.
        Survey = "survey",
        /// Partnership goals are agreed (even-numbered years).
        Goals = "goals",
        /// Staff assess progress (odd-numbered years).
        Assessment = "assessment",
    }
);

coded_enum!(
    /// Where a review stands.
    ReviewStatus {
        /// Being written by the partner's officer and the staff.
        Draft = "draft",
        /// Put to an approver.
        Submitted = "submitted",
        /// Sent back by an approver with comments; written again.
        Returned = "returned",
        /// Approved: locked. A correction is a new version.
        Approved = "approved",
    }
);

coded_enum!(
    /// A step of the review workflow.
    ReviewStep {
        /// Put to an approver.
        Submit = "submit",
        /// Sent back with comments.
        Return = "return",
        /// Approved and locked.
        Approve = "approve",
    }
);

coded_enum!(
    /// A written part of a review, and who writes it.
    ReviewPart {
        /// The partner's self-assessment, by her nation's officers.
        SelfAssessment = "self_assessment",
        /// The assessment, by the alliance's staff.
        StaffAssessment = "staff_assessment",
    }
);

impl ReviewStatus {
    /// The lifecycle `authorize()` judges the review by: returned reviews are drafts again,
    /// approved ones agreed (and so locked).
    pub fn lifecycle(&self) -> Lifecycle {
        match self {
            ReviewStatus::Draft | ReviewStatus::Returned => Lifecycle::Draft,
            ReviewStatus::Submitted => Lifecycle::Submitted,
            ReviewStatus::Approved => Lifecycle::Agreed,
        }
    }

    /// Where a step leads from here, or `None` when the step does not apply.
    pub fn after(&self, step: ReviewStep) -> Option<ReviewStatus> {
        match (self, step) {
            (ReviewStatus::Draft | ReviewStatus::Returned, ReviewStep::Submit) => Some(ReviewStatus::Submitted),
            (ReviewStatus::Submitted, ReviewStep::Return) => Some(ReviewStatus::Returned),
            (ReviewStatus::Submitted, ReviewStep::Approve) => Some(ReviewStatus::Approved),
            _ => None,
        }
    }

    /// Whether the review is finished for its deadline's purpose.
    pub fn is_done(&self) -> bool {
        *self == ReviewStatus::Approved
    }

    /// Whether a review in this state with `deadline` is overdue on `today`: past its
    /// deadline and not approved.
    pub fn is_overdue(&self, deadline: NaiveDate, today: NaiveDate) -> bool {
        !self.is_done() && deadline < today
    }
}

impl ReviewPart {
    /// Whether `principal` writes this part: the self-assessment is the partner's (her
    /// nation's officers), the assessment the alliance staff's. `authorize()` has already
    /// said whether she may change the review at all.
    pub fn is_written_by(&self, principal: &Principal) -> bool {
        match self {
            ReviewPart::SelfAssessment => matches!(principal.affiliation, Affiliation::Nation(_)),
            ReviewPart::StaffAssessment => principal.affiliation == Affiliation::AllianceStaff,
        }
    }
}

impl Stage {
    /// The stages a cycle of `kind` has in `year`: a programme's annual review; the PARP's
    /// survey, then goals in even years or the assessment in odd years.
    pub fn of(kind: CycleKind, year: i32) -> &'static [Stage] {
        match kind {
            CycleKind::Programme => &[Stage::Annual],
            CycleKind::Parp if year % 2 == 0 => &[Stage::Survey, Stage::Goals],
            CycleKind::Parp => &[Stage::Survey, Stage::Assessment],
        }
    }
}

/// An indicator's definition, as checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indicator {
    /// Which way it should move.
    pub direction: Direction,
    /// Value at the start.
    pub baseline: f64,
    /// When the baseline was measured.
    pub baseline_date: NaiveDate,
    /// Value aimed at.
    pub target: f64,
    /// When the target is to be reached.
    pub target_date: NaiveDate,
}

/// Why an indicator or a measurement is refused; each names its field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndicatorRefused {
    /// The target date is not after the baseline date.
    #[error("target_date: {target} is not after the baseline date {baseline}")]
    TargetBeforeBaseline {
        /// The baseline date.
        baseline: NaiveDate,
        /// The target date.
        target: NaiveDate,
    },
    /// A milestone's baseline or target, or a measurement of one, that is not 0 or 1.
    #[error("{field}: a milestone is 0 (not done) or 1 (done), not {value}")]
    NotAMilestoneValue {
        /// The field.
        field: &'static str,
        /// The value given.
        value: f64,
    },
    /// A number that is not finite.
    #[error("{field}: not a number")]
    NotFinite {
        /// The field.
        field: &'static str,
    },
    /// A target that is no change from the baseline, or a change the wrong way.
    #[error("target: {target} is not {better} than the baseline {baseline}")]
    TargetNotBetter {
        /// The baseline.
        baseline: f64,
        /// The target.
        target: f64,
        /// "higher" or "lower".
        better: &'static str,
    },
    /// A measurement dated outside the indicator's period.
    #[error("date: {date} is outside the indicator's period {from} to {to}")]
    OutsidePeriod {
        /// The date given.
        date: NaiveDate,
        /// The baseline date.
        from: NaiveDate,
        /// The target date.
        to: NaiveDate,
    },
}

impl IndicatorRefused {
    /// The field the refusal names.
    pub fn field(&self) -> &'static str {
        match self {
            IndicatorRefused::TargetBeforeBaseline { .. } => "target_date",
            IndicatorRefused::NotAMilestoneValue { field, .. } | IndicatorRefused::NotFinite { field } => field,
            IndicatorRefused::TargetNotBetter { .. } => "target",
            IndicatorRefused::OutsidePeriod { .. } => "date",
        }
    }
}

impl Indicator {
    /// Checks a definition: the target date after the baseline's, a milestone from 0 to 1,
    /// and a target better than the baseline in the indicator's direction.
    pub fn check(&self) -> Result<(), IndicatorRefused> {
        for (field, value) in [("baseline", self.baseline), ("target", self.target)] {
            self.check_value(field, value)?;
        }
        if self.target_date <= self.baseline_date {
            return Err(IndicatorRefused::TargetBeforeBaseline {
                baseline: self.baseline_date,
                target: self.target_date,
            });
        }
        let better = match self.direction {
            Direction::Higher | Direction::Milestone => self.target > self.baseline,
            Direction::Lower => self.target < self.baseline,
        };
        if !better {
            let word = if self.direction == Direction::Lower { "lower" } else { "higher" };
            return Err(IndicatorRefused::TargetNotBetter {
                baseline: self.baseline,
                target: self.target,
                better: word,
            });
        }
        Ok(())
    }

    /// Checks a value of the indicator's kind: finite, and 0 or 1 for a milestone.
    pub fn check_value(&self, field: &'static str, value: f64) -> Result<(), IndicatorRefused> {
        if !value.is_finite() {
            return Err(IndicatorRefused::NotFinite { field });
        }
        if self.direction == Direction::Milestone && value != 0.0 && value != 1.0 {
            return Err(IndicatorRefused::NotAMilestoneValue { field, value });
        }
        Ok(())
    }

    /// Checks a measurement: a value of the right kind, dated within the indicator's period.
    pub fn check_measurement(&self, date: NaiveDate, value: f64) -> Result<(), IndicatorRefused> {
        self.check_value("value", value)?;
        if date < self.baseline_date || date > self.target_date {
            return Err(IndicatorRefused::OutsidePeriod { date, from: self.baseline_date, to: self.target_date });
        }
        Ok(())
    }

    /// How far a value has come from the baseline to the target, from 0 to 1: a value
    /// worse than the baseline counts as 0, one beyond the target as 1.
    pub fn progress_of(&self, value: f64) -> f64 {
        let span = self.target - self.baseline;
        let share = if span == 0.0 { 0.0 } else { (value - self.baseline) / span };
        share.clamp(0.0, 1.0)
    }

    /// The share of the indicator's period gone by on `day`, from 0 to 1.
    pub fn elapsed(&self, day: NaiveDate) -> f64 {
        let whole = (self.target_date - self.baseline_date).num_days() as f64;
        let gone = (day - self.baseline_date).num_days() as f64;
        if whole <= 0.0 { 1.0 } else { (gone / whole).clamp(0.0, 1.0) }
    }

    /// The judgement the figures alone give on `day` at `progress`: achieved at the
    /// target; on track within a tenth of the straight line from baseline to target; at
    /// risk within three tenths; off track beyond.
    pub fn judge(&self, day: NaiveDate, progress: f64) -> Judgement {
        if progress >= 1.0 {
            return Judgement::Achieved;
        }
        let expected = self.elapsed(day);
        if progress >= expected - 0.1 {
            Judgement::OnTrack
        } else if progress >= expected - 0.3 {
            Judgement::AtRisk
        } else {
            Judgement::OffTrack
        }
    }
}

#[cfg(test)]
mod tests;
