//! Who may take part in a menu activity on a day, and why: the registry's answer for the
//! nation that day, the eligibility policies in force (data, each with an effective
//! interval) and the council's case-by-case decisions. One judgement ([`Grounds::judge`])
//! serves a single answer with its reasons and the whole matrix of a menu, so the two
//! never disagree.
//!
//! The order of the rules:
//! 1. a suspension in force that covers the activity closes it, whatever the frameworks;
//! 2. a member of the alliance takes part in every activity;
//! 3. a `MEMBERS` activity is closed to everyone else;
//! 4. under an `all_partners` policy (Berlin, 2011), a partner takes part in every activity
//!    open to `PARTNERS` or to any partnership framework;
//! 5. under a `framework_participants` or `all_partners` policy, a participant of one of the
//!    activity's frameworks (or any partner, for `PARTNERS`) takes part;
//! 6. under a `case_by_case` policy (from 1998), a council decision that opens the activity
//!    to the nation lets it take part;
//! 7. otherwise the nation may not, and the reasons say what is missing.

mod reasons;
#[cfg(test)]
mod tests;

pub use reasons::Reason;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use crate::codes::{ActivityCode, AreaCode, FrameworkCode, NationCode};
use crate::menu::{Activity, Invalid, OpenTo};
use crate::registry::{FrameworkKind, Registry};
use crate::status::{NationStatus, Standing};

/// What an eligibility policy lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyRule {
    /// An activity open to a framework is open to that framework's participants.
    FrameworkParticipants,
    /// A country outside the activity's frameworks takes part under a council decision.
    CaseByCase,
    /// One menu for all partners: open to any partnership framework is open to every partner.
    AllPartners,
    /// A council decision may suspend a nation's practical cooperation.
    Suspensions,
}

impl PolicyRule {
    /// Every rule.
    pub const ALL: [PolicyRule; 4] =
        [PolicyRule::FrameworkParticipants, PolicyRule::CaseByCase, PolicyRule::AllPartners, PolicyRule::Suspensions];

    /// The rule's code.
    pub fn as_str(&self) -> &'static str {
        match self {
            PolicyRule::FrameworkParticipants => "framework_participants",
            PolicyRule::CaseByCase => "case_by_case",
            PolicyRule::AllPartners => "all_partners",
            PolicyRule::Suspensions => "suspensions",
        }
    }

    /// Reads a rule's code.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// Checks an effective interval: `to`, when given, is not before `from`.
pub fn check_interval(from: NaiveDate, to: Option<NaiveDate>) -> Result<(), Invalid> {
    match to {
        Some(to) if to < from => Err(Invalid::new("to", format!("{to} is before the start, {from}"))),
        _ => Ok(()),
    }
}

fn in_force(from: NaiveDate, to: Option<NaiveDate>, day: NaiveDate) -> bool {
    from <= day && to.is_none_or(|to| day <= to)
}

/// An eligibility policy, with its effective interval (both days included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// Its code, such as `BERLIN_2011`.
    pub code: String,
    /// What it lets through.
    pub rule: PolicyRule,
    /// First day in force.
    pub from: NaiveDate,
    /// Last day in force, if it ended.
    pub to: Option<NaiveDate>,
    /// English title.
    pub title_en: String,
    /// French title.
    pub title_fr: String,
    /// The public source.
    pub source: String,
}

impl Policy {
    /// Whether it is in force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        in_force(self.from, self.to, day)
    }
}

/// Opens an activity to a nation outside its frameworks, or suspends a nation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Opens the scope to the nations.
    Opens,
    /// Suspends the nations' practical cooperation within the scope.
    Suspends,
}

impl DecisionKind {
    /// The kind's code.
    pub fn as_str(&self) -> &'static str {
        match self {
            DecisionKind::Opens => "opens",
            DecisionKind::Suspends => "suspends",
        }
    }

    /// Reads a kind's code.
    pub fn parse(text: &str) -> Option<Self> {
        [DecisionKind::Opens, DecisionKind::Suspends].into_iter().find(|k| k.as_str() == text)
    }
}

/// What a council decision covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The whole menu.
    Menu,
    /// Every activity of an area.
    Area(AreaCode),
    /// One activity (by code, in every year's menu).
    Activity(ActivityCode),
    /// An operation: a decision accepting the nations' contributions to it. It opens
    /// nothing on the menu.
    Operation(crate::operation::OperationCode),
}

impl Scope {
    /// Reads `menu`, `area:CODE` or `activity:CODE` (codes are checked by the caller).
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let text = text.trim();
        let bad = |why: String| Invalid::new("scope", why);
        match text.split_once(':') {
            None if text == "menu" => Ok(Scope::Menu),
            Some(("area", code)) => code.parse().map(Scope::Area).map_err(|e: crate::CodeError| bad(e.to_string())),
            Some(("activity", code)) => {
                code.parse().map(Scope::Activity).map_err(|e: crate::CodeError| bad(e.to_string()))
            }
            Some(("operation", code)) => crate::operation::OperationCode::parse(code)
                .map(Scope::Operation)
                .ok_or_else(|| bad(format!("`{code}` is not an operation code"))),
            _ => Err(bad(format!("`{text}`: give menu, area:CODE, activity:CODE or operation:CODE"))),
        }
    }

    /// Whether it covers `activity`.
    pub fn covers(&self, activity: &Activity) -> bool {
        match self {
            Scope::Menu => true,
            Scope::Area(area) => &activity.area == area,
            Scope::Activity(code) => &activity.code == code,
            Scope::Operation(_) => false,
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Menu => f.write_str("menu"),
            Scope::Area(code) => write!(f, "area:{code}"),
            Scope::Activity(code) => write!(f, "activity:{code}"),
            Scope::Operation(code) => write!(f, "operation:{code}"),
        }
    }
}

/// A council decision on who may take part, with its validity (both days included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilDecision {
    /// Its number.
    pub id: i64,
    /// The day it was taken.
    pub date: NaiveDate,
    /// Opens or suspends.
    pub kind: DecisionKind,
    /// The nations it concerns.
    pub nations: BTreeSet<NationCode>,
    /// What it covers.
    pub scope: Scope,
    /// First day valid.
    pub from: NaiveDate,
    /// Last day valid, if limited.
    pub to: Option<NaiveDate>,
    /// Where it is recorded.
    pub reference: String,
}

impl CouncilDecision {
    /// Whether it is valid on `day`.
    pub fn in_force(&self, day: NaiveDate) -> bool {
        in_force(self.from, self.to, day)
    }
}

/// What an answer rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis<'a> {
    /// A member of the alliance.
    Member,
    /// Suspended by this decision.
    Suspended(&'a CouncilDecision),
    /// A `MEMBERS` activity, and the nation is not a member.
    MembersOnly,
    /// A partner, under a one-menu policy.
    AllPartners(&'a Policy),
    /// A participant of this framework of the activity's, under this policy.
    Participant(&'a Policy, &'a FrameworkCode),
    /// A partner, for an activity open to `PARTNERS`, under this policy.
    Partner(&'a Policy),
    /// Opened to the nation by this decision, under this policy.
    OpenedBy(&'a Policy, &'a CouncilDecision),
    /// Nothing lets the nation take part.
    NotCovered,
}

impl Basis<'_> {
    /// Whether the nation may take part.
    pub fn is_eligible(&self) -> bool {
        !matches!(self, Basis::Suspended(_) | Basis::MembersOnly | Basis::NotCovered)
    }
}

/// A yes or no with the reasons for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    /// Whether the nation may take part.
    pub eligible: bool,
    /// Why, first the rule that decided.
    pub reasons: Vec<Reason>,
}

/// The policies of each rule in force on a day (the first of each, by start).
#[derive(Debug, Clone, Copy, Default)]
struct InForce<'a> {
    framework_participants: Option<&'a Policy>,
    case_by_case: Option<&'a Policy>,
    all_partners: Option<&'a Policy>,
    suspensions: Option<&'a Policy>,
}

/// A nation as the rules see it on one day.
#[derive(Debug, Clone)]
pub struct Standpoint<'a> {
    nation: NationCode,
    day: NaiveDate,
    status: Option<NationStatus>,
    in_force: InForce<'a>,
    opens: Vec<&'a CouncilDecision>,
    suspends: Vec<&'a CouncilDecision>,
}

impl Standpoint<'_> {
    /// The activities this nation's decisions in force name one by one: of an activity's
    /// code, the judgement looks at nothing else (its area and audience decide the rest).
    pub fn named_activities(&self) -> Vec<&ActivityCode> {
        self.opens
            .iter()
            .chain(&self.suspends)
            .filter_map(|d| match &d.scope {
                Scope::Activity(code) => Some(code),
                _ => None,
            })
            .collect()
    }

    /// The nation's standing that day, if it has one.
    pub fn standing(&self) -> Option<Standing> {
        self.status.as_ref().map(|s| s.status)
    }

    /// The nation.
    pub fn nation(&self) -> NationCode {
        self.nation
    }
}

/// Everything eligibility rests on: the registry, the policies and the council decisions.
#[derive(Debug, Clone, Copy)]
pub struct Grounds<'a> {
    /// The registry.
    pub registry: &'a Registry,
    /// The eligibility policies.
    pub policies: &'a [Policy],
    /// The council decisions.
    pub decisions: &'a [CouncilDecision],
}

impl<'a> Grounds<'a> {
    fn in_force(&self, day: NaiveDate) -> InForce<'a> {
        let mut out = InForce::default();
        for policy in self.policies.iter().filter(|p| p.in_force(day)) {
            let slot = match policy.rule {
                PolicyRule::FrameworkParticipants => &mut out.framework_participants,
                PolicyRule::CaseByCase => &mut out.case_by_case,
                PolicyRule::AllPartners => &mut out.all_partners,
                PolicyRule::Suspensions => &mut out.suspensions,
            };
            if slot.is_none_or(|earlier| policy.from < earlier.from) {
                *slot = Some(policy);
            }
        }
        out
    }

    fn standpoint_with(
        &self,
        in_force: InForce<'a>,
        status: Option<NationStatus>,
        nation: NationCode,
        day: NaiveDate,
    ) -> Standpoint<'a> {
        let concerning = self.decisions.iter().filter(|d| d.nations.contains(&nation) && d.in_force(day));
        let (suspends, opens): (Vec<_>, Vec<_>) = concerning.partition(|d| d.kind == DecisionKind::Suspends);
        Standpoint { nation, day, status, in_force, opens, suspends }
    }

    /// How the rules see `nation` on `day`.
    pub fn standpoint(&self, nation: NationCode, day: NaiveDate) -> Standpoint<'a> {
        self.standpoint_with(self.in_force(day), self.registry.status_at(nation, day), nation, day)
    }

    /// Whether `activity` is open to any partnership framework (or to `PARTNERS`).
    pub fn open_to_partners(&self, activity: &Activity) -> bool {
        match &activity.open_to {
            OpenTo::Members => false,
            OpenTo::Partners => true,
            OpenTo::Frameworks(codes) => {
                codes.iter().any(|c| self.registry.framework(c).is_some_and(|f| f.kind == FrameworkKind::Partnership))
            }
        }
    }

    /// The rule that decides whether the nation of `seen` may take part in `activity`.
    pub fn judge<'s>(&self, seen: &Standpoint<'a>, activity: &'s Activity, open_to_partners: bool) -> Basis<'s>
    where
        'a: 's,
    {
        if seen.in_force.suspensions.is_some()
            && let Some(decision) = seen.suspends.iter().find(|d| d.scope.covers(activity))
        {
            return Basis::Suspended(decision);
        }
        let standing = seen.standing();
        if standing == Some(Standing::Member) {
            return Basis::Member;
        }
        if activity.open_to == OpenTo::Members {
            return Basis::MembersOnly;
        }
        let is_partner = standing == Some(Standing::Partner);
        if let Some(policy) = seen.in_force.all_partners.filter(|_| is_partner && open_to_partners) {
            return Basis::AllPartners(policy);
        }
        if let Some(policy) = seen.in_force.framework_participants.or(seen.in_force.all_partners) {
            match &activity.open_to {
                OpenTo::Partners if is_partner => return Basis::Partner(policy),
                OpenTo::Frameworks(codes) => {
                    let frameworks = seen.status.as_ref().map(|s| s.frameworks.as_slice()).unwrap_or_default();
                    if let Some(framework) = codes.iter().find(|c| frameworks.contains(c)) {
                        return Basis::Participant(policy, framework);
                    }
                }
                _ => {}
            }
        }
        if let Some(policy) = seen.in_force.case_by_case
            && let Some(decision) = seen.opens.iter().find(|d| d.scope.covers(activity))
        {
            return Basis::OpenedBy(policy, decision);
        }
        Basis::NotCovered
    }

    /// Whether `nation` may take part in `activity` on `day`, and why.
    pub fn eligibility(&self, nation: NationCode, activity: &Activity, day: NaiveDate) -> Eligibility {
        let seen = self.standpoint(nation, day);
        let basis = self.judge(&seen, activity, self.open_to_partners(activity));
        Eligibility {
            eligible: basis.is_eligible(),
            reasons: reasons::explain(&seen, activity, basis, self.open_to_partners(activity)),
        }
    }

    /// For every nation with a status on `day`, the indices in `activities` of those it may
    /// take part in.
    pub fn matrix(&self, activities: &[Activity], day: NaiveDate) -> Vec<MatrixRow> {
        let in_force = self.in_force(day);
        let open_to_partners: Vec<bool> = activities.iter().map(|a| self.open_to_partners(a)).collect();
        self.registry
            .statuses_at(day)
            .into_iter()
            .map(|status| {
                let nation = status.nation;
                let standing = status.status;
                let seen = self.standpoint_with(in_force, Some(status), nation, day);
                let eligible = activities
                    .iter()
                    .zip(&open_to_partners)
                    .enumerate()
                    .filter(|(_, (activity, open))| self.judge(&seen, activity, **open).is_eligible())
                    .map(|(i, _)| i)
                    .collect();
                MatrixRow { nation, standing, eligible }
            })
            .collect()
    }
}

/// One nation's row of the eligibility matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    /// The nation.
    pub nation: NationCode,
    /// Its standing that day.
    pub standing: Standing,
    /// The indices of the activities it may take part in.
    pub eligible: Vec<usize>,
}
