//! The reasons given with an eligibility answer: the rule that decided, the policy it rests
//! on, and for a no, everything that is missing. Each reason is data (pages translate it)
//! and has an English sentence (the API and the CLI).

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Basis, CouncilDecision, Policy, Standpoint};
use crate::codes::{FrameworkCode, NationCode};
use crate::menu::{Activity, OpenTo};

/// One reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The nation is a member that day.
    Member { nation: NationCode, day: NaiveDate },
    /// A policy applied.
    Policy { code: String, title: String, title_fr: String, from: NaiveDate },
    /// The nation takes part in one of the activity's frameworks.
    Participant { nation: NationCode, framework: FrameworkCode, day: NaiveDate },
    /// The nation is a partner that day.
    Partner { nation: NationCode, day: NaiveDate },
    /// A council decision opened the activity to the nation.
    OpenedBy { decision: i64, reference: String, from: NaiveDate },
    /// A council decision suspended the nation's practical cooperation.
    Suspended { decision: i64, reference: String, from: NaiveDate },
    /// The activity is for members only.
    MembersOnly,
    /// The nation takes part in none of the activity's frameworks.
    NotParticipant { nation: NationCode, frameworks: Vec<FrameworkCode>, day: NaiveDate },
    /// The nation is not a partner that day.
    NotPartner { nation: NationCode, day: NaiveDate },
    /// No council decision opens the activity to the nation.
    NoDecision,
    /// No policy in force lets the council open activities case by case.
    NoCaseByCase { day: NaiveDate },
    /// No policy in force opens activities to partners at all.
    NoPolicy { day: NaiveDate },
}

impl Reason {
    /// The reason's kind, as its serialised `kind` and its message key (`elig-KIND`) say it.
    pub fn kind(&self) -> &'static str {
        match self {
            Reason::Member { .. } => "member",
            Reason::Policy { .. } => "policy",
            Reason::Participant { .. } => "participant",
            Reason::Partner { .. } => "partner",
            Reason::OpenedBy { .. } => "opened_by",
            Reason::Suspended { .. } => "suspended",
            Reason::MembersOnly => "members_only",
            Reason::NotParticipant { .. } => "not_participant",
            Reason::NotPartner { .. } => "not_partner",
            Reason::NoDecision => "no_decision",
            Reason::NoCaseByCase { .. } => "no_case_by_case",
            Reason::NoPolicy { .. } => "no_policy",
        }
    }

    /// The values a sentence about it names, by name.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        match self {
            Reason::Member { nation, day } | Reason::Partner { nation, day } | Reason::NotPartner { nation, day } => {
                vec![("nation", nation.to_string()), ("day", day.to_string())]
            }
            Reason::Policy { code, title, title_fr, from } => vec![
                ("code", code.clone()),
                ("title", title.clone()),
                ("title_fr", title_fr.clone()),
                ("from", from.to_string()),
            ],
            Reason::Participant { nation, framework, day } => {
                vec![("nation", nation.to_string()), ("framework", framework.to_string()), ("day", day.to_string())]
            }
            Reason::OpenedBy { decision, reference, from } | Reason::Suspended { decision, reference, from } => {
                vec![("decision", decision.to_string()), ("reference", reference.clone()), ("from", from.to_string())]
            }
            Reason::NotParticipant { nation, frameworks, day } => {
                let codes: Vec<&str> = frameworks.iter().map(FrameworkCode::as_str).collect();
                vec![("nation", nation.to_string()), ("frameworks", codes.join(", ")), ("day", day.to_string())]
            }
            Reason::NoCaseByCase { day } | Reason::NoPolicy { day } => vec![("day", day.to_string())],
            Reason::MembersOnly | Reason::NoDecision => Vec::new(),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Member { nation, day } => {
                write!(f, "{nation} is a member of the alliance on {day}; members take part in every activity")
            }
            Reason::Policy { code, title, from, .. } => {
                write!(f, "policy {code} applies: {title} (in force from {from})")
            }
            Reason::Participant { nation, framework, day } => {
                write!(f, "{nation} is a {framework} participant on {day}")
            }
            Reason::Partner { nation, day } => write!(f, "{nation} is a partner on {day}"),
            Reason::OpenedBy { decision, reference, from } => {
                write!(f, "opened by council decision {decision} ({reference}), valid from {from}")
            }
            Reason::Suspended { decision, reference, from } => write!(
                f,
                "practical cooperation suspended by council decision {decision} ({reference}) from {from}, whatever the frameworks"
            ),
            Reason::MembersOnly => f.write_str("open to members of the alliance only"),
            Reason::NotParticipant { nation, frameworks, day } => {
                let codes: Vec<&str> = frameworks.iter().map(FrameworkCode::as_str).collect();
                write!(f, "{nation} is not a {} participant on {day}", codes.join(" or "))
            }
            Reason::NotPartner { nation, day } => write!(f, "{nation} is not a partner on {day}"),
            Reason::NoDecision => f.write_str("no council decision covers it"),
            Reason::NoCaseByCase { day } => {
                write!(f, "no policy in force on {day} lets the council open an activity case by case")
            }
            Reason::NoPolicy { day } => write!(f, "no eligibility policy opens activities to partners on {day}"),
        }
    }
}

fn policy(p: &Policy) -> Reason {
    Reason::Policy { code: p.code.clone(), title: p.title_en.clone(), title_fr: p.title_fr.clone(), from: p.from }
}

fn decision_of(d: &CouncilDecision, suspended: bool) -> Reason {
    let (decision, reference, from) = (d.id, d.reference.clone(), d.from);
    if suspended {
        Reason::Suspended { decision, reference, from }
    } else {
        Reason::OpenedBy { decision, reference, from }
    }
}

/// The reasons for `basis`.
pub(super) fn explain(
    seen: &Standpoint<'_>,
    activity: &Activity,
    basis: Basis<'_>,
    open_to_partners: bool,
) -> Vec<Reason> {
    let (nation, day) = (seen.nation, seen.day);
    match basis {
        Basis::Member => vec![Reason::Member { nation, day }],
        Basis::Suspended(d) => {
            let mut out = vec![decision_of(d, true)];
            out.extend(seen.in_force.suspensions.map(policy));
            out
        }
        Basis::MembersOnly => vec![Reason::MembersOnly],
        Basis::AllPartners(p) => vec![Reason::Partner { nation, day }, policy(p)],
        Basis::Partner(p) => vec![Reason::Partner { nation, day }, policy(p)],
        Basis::Participant(p, framework) => {
            vec![Reason::Participant { nation, framework: framework.clone(), day }, policy(p)]
        }
        Basis::OpenedBy(p, d) => vec![decision_of(d, false), policy(p)],
        Basis::NotCovered => missing(seen, activity, open_to_partners),
    }
}

/// What a nation lacks to take part.
fn missing(seen: &Standpoint<'_>, activity: &Activity, open_to_partners: bool) -> Vec<Reason> {
    let (nation, day) = (seen.nation, seen.day);
    let rules = seen.in_force;
    let mut out = Vec::new();
    let framework_rule = rules.framework_participants.or(rules.all_partners);
    if framework_rule.is_none() {
        out.push(Reason::NoPolicy { day });
    }
    let berlin = rules.all_partners.filter(|_| open_to_partners);
    if let Some(p) = berlin {
        out.push(Reason::NotPartner { nation, day });
        out.push(policy(p));
    }
    match &activity.open_to {
        OpenTo::Frameworks(codes) if framework_rule.is_some() => {
            out.push(Reason::NotParticipant { nation, frameworks: codes.iter().cloned().collect(), day });
        }
        OpenTo::Partners if berlin.is_none() && framework_rule.is_some() => {
            out.push(Reason::NotPartner { nation, day })
        }
        _ => {}
    }
    match rules.case_by_case {
        Some(p) => {
            out.push(Reason::NoDecision);
            if berlin.is_none() {
                out.push(policy(p));
            }
        }
        None => out.push(Reason::NoCaseByCase { day }),
    }
    out
}
