//! Data quality for the partnership staff: what is missing or late, found only among the
//! records the caller may read (each list comes from a service that asks `authorize()`).

use std::collections::HashSet;

use chrono::NaiveDate;
use entente_core::Registry;
use serde::Serialize;

use super::accounts::Actor;
use super::assessments::is_overdue;
use super::{ServiceError, Services};

/// One thing to look at.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Finding {
    /// `goal_without_indicators`, `indicator_not_measured`, `programme_without_work_plan`,
    /// `overdue_action_item`, `overdue_review` or `certification_expiring`.
    pub kind: String,
    /// The nation concerned, if any.
    pub nation: String,
    /// What it is about, in words (a title, a code).
    pub subject: String,
    /// The day that matters (a deadline, an expiry), if any.
    pub date: String,
    /// The page to fix it on.
    pub link: String,
}

/// Every kind of finding, in the order they are listed.
pub const KINDS: [&str; 6] = [
    "overdue_review",
    "overdue_action_item",
    "certification_expiring",
    "programme_without_work_plan",
    "goal_without_indicators",
    "indicator_not_measured",
];

fn finding(kind: &str, nation: &str, subject: String, date: String, link: String) -> Finding {
    Finding { kind: kind.to_owned(), nation: nation.to_owned(), subject, date, link }
}

/// What the caller should look at for `year`, on `today`.
pub async fn findings(
    services: &Services,
    actor: &Actor,
    registry: &Registry,
    year: i64,
    today: NaiveDate,
) -> Result<Vec<Finding>, ServiceError> {
    let mut out = Vec::new();
    for review in services.assessments.list(actor, registry, None, None).await? {
        if is_overdue(&review, today) {
            let subject = format!("{} {} {} ({})", review.cycle, review.programme_code, review.year, review.stage);
            out.push(finding(
                "overdue_review",
                &review.nation,
                subject,
                review.deadline,
                format!("/reviews/{}", review.id),
            ));
        }
    }
    for (action, meeting) in services.meetings.overdue_actions(actor, registry, today).await? {
        let subject = format!("{} ({meeting})", action.title);
        out.push(finding(
            "overdue_action_item",
            &action.owner,
            subject,
            action.due,
            format!("/meetings/{}", action.meeting_id),
        ));
    }
    for unit in services.forces.list(actor, registry, None, today).await? {
        if unit.due_for_revalidation {
            out.push(finding(
                "certification_expiring",
                &unit.nation,
                unit.name.clone(),
                unit.expires_on.clone().unwrap_or_default(),
                format!("/units#unit-{}", unit.id),
            ));
        }
    }
    let programmes = services.programmes.list(actor, registry, None, None).await?;
    let with_plan: HashSet<String> = {
        let mut tx = services.db.read().await?;
        let codes = tx.programmes_with_work_plan(year).await?;
        tx.commit().await?;
        codes.into_iter().collect()
    };
    for p in programmes.iter().filter(|p| !p.historical && matches!(p.status.as_str(), "agreed" | "in_execution")) {
        if !with_plan.contains(&p.code) {
            out.push(finding(
                "programme_without_work_plan",
                &p.nation,
                format!("{} {}", p.code, p.title),
                year.to_string(),
                format!("/programmes/{}", p.code),
            ));
        }
    }
    let inputs = services.progress.inputs(actor, registry, None, year).await?;
    let goals_with: HashSet<i64> = inputs.indicators.iter().filter_map(|i| i.programme_goal_id).collect();
    let parp_with: HashSet<i64> = inputs.indicators.iter().filter_map(|i| i.parp_goal_id).collect();
    for place in inputs.places.iter().filter(|p| !goals_with.contains(&p.goal_id)) {
        out.push(finding(
            "goal_without_indicators",
            &place.nation,
            format!("{}: {}", place.programme_code, place.goal_title),
            String::new(),
            format!("/programmes/{}", place.programme_code),
        ));
    }
    for goal in inputs.parp_goals.iter().filter(|g| !parp_with.contains(&g.id)) {
        out.push(finding(
            "goal_without_indicators",
            &goal.nation,
            format!("{}: {}", goal.code, goal.title),
            String::new(),
            format!("/progress/{}", goal.nation),
        ));
    }
    // "The last period": this year's or last year's reviews.
    let measured: HashSet<i64> = inputs.values.iter().filter(|v| v.year >= year - 1).map(|v| v.indicator_id).collect();
    for indicator in inputs.indicators.iter().filter(|i| !measured.contains(&i.id)) {
        out.push(finding(
            "indicator_not_measured",
            &indicator.nation,
            indicator.title.clone(),
            indicator.target_date.clone(),
            format!("/progress/{}?year={year}", indicator.nation),
        ));
    }
    Ok(out)
}
