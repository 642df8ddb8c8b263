use chrono::NaiveDate;

use super::*;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn share_trained() -> Indicator {
    Indicator {
        direction: Direction::Higher,
        baseline: 20.0,
        baseline_date: day("2024-01-01"),
        target: 60.0,
        target_date: day("2028-01-01"),
    }
}

#[test]
fn a_target_date_before_the_baseline_is_refused_naming_the_field() {
    let wrong = Indicator { target_date: day("2023-06-01"), ..share_trained() };
    let refused = wrong.check().unwrap_err();
    assert_eq!(refused.field(), "target_date");
    assert!(refused.to_string().contains("2023-06-01"), "{refused}");
}

#[test]
fn a_milestone_is_zero_or_one() {
    let milestone = Indicator { direction: Direction::Milestone, baseline: 0.0, target: 1.0, ..share_trained() };
    assert!(milestone.check().is_ok());
    let refused = milestone.check_measurement(day("2025-01-01"), 0.5).unwrap_err();
    assert_eq!(refused.field(), "value");
    assert!(milestone.check_measurement(day("2025-01-01"), 1.0).is_ok());
}

#[test]
fn a_lower_is_better_target_must_be_lower() {
    let response = Indicator { direction: Direction::Lower, baseline: 48.0, target: 12.0, ..share_trained() };
    assert!(response.check().is_ok());
    assert_eq!(response.progress_of(30.0), 0.5);
    let wrong = Indicator { target: 50.0, ..response };
    assert_eq!(wrong.check().unwrap_err().field(), "target");
}

#[test]
fn a_measurement_outside_the_period_is_refused() {
    let refused = share_trained().check_measurement(day("2029-03-01"), 50.0).unwrap_err();
    assert_eq!(refused.field(), "date");
    assert!(share_trained().check_measurement(day("2026-03-01"), 50.0).is_ok());
}

#[test]
fn progress_is_clamped_between_baseline_and_target() {
    let i = share_trained();
    assert_eq!(i.progress_of(10.0), 0.0);
    assert_eq!(i.progress_of(40.0), 0.5);
    assert_eq!(i.progress_of(90.0), 1.0);
}

#[test]
fn the_figures_judge_against_the_straight_line() {
    let i = share_trained();
    // Half the period gone.
    let halfway = day("2026-01-01");
    assert_eq!(i.judge(halfway, 0.45), Judgement::OnTrack);
    assert_eq!(i.judge(halfway, 0.30), Judgement::AtRisk);
    assert_eq!(i.judge(halfway, 0.10), Judgement::OffTrack);
    assert_eq!(i.judge(halfway, 1.0), Judgement::Achieved);
}

#[test]
fn the_workflow_goes_draft_submitted_returned_submitted_approved() {
    let mut status = ReviewStatus::Draft;
    for (step, expected) in [
        (ReviewStep::Submit, ReviewStatus::Submitted),
        (ReviewStep::Return, ReviewStatus::Returned),
        (ReviewStep::Submit, ReviewStatus::Submitted),
        (ReviewStep::Approve, ReviewStatus::Approved),
    ] {
        status = status.after(step).unwrap();
        assert_eq!(status, expected);
    }
    assert_eq!(status.lifecycle(), Lifecycle::Agreed);
    for step in ReviewStep::ALL {
        assert_eq!(status.after(*step), None, "an approved review is locked");
    }
    assert_eq!(ReviewStatus::Draft.after(ReviewStep::Approve), None);
}

#[test]
fn the_parp_round_has_goals_in_even_years_and_an_assessment_in_odd_years() {
    assert_eq!(Stage::of(CycleKind::Parp, 2026), &[Stage::Survey, Stage::Goals]);
    assert_eq!(Stage::of(CycleKind::Parp, 2027), &[Stage::Survey, Stage::Assessment]);
    assert_eq!(Stage::of(CycleKind::Programme, 2027), &[Stage::Annual]);
}

#[test]
fn a_review_is_overdue_past_its_deadline_until_approved() {
    let (deadline, after) = (day("2026-11-01"), day("2026-11-02"));
    assert!(ReviewStatus::Submitted.is_overdue(deadline, after));
    assert!(!ReviewStatus::Draft.is_overdue(deadline, deadline), "due that day, not yet overdue");
    assert!(!ReviewStatus::Approved.is_overdue(deadline, after));
}
