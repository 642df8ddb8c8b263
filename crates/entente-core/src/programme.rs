//! Tailored programmes: a partner's strategic objectives, the partnership goals under them
//! and the activities and events that support each goal; their lifecycle (draft ->
//! submitted -> agreed, once both the council's decision and the partner's acceptance are
//! recorded -> in execution -> closed); and what an amendment changes against the last
//! agreed version, field by field and item by item.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::authz::Lifecycle;

/// Kinds of programme, after NATO's history of partnership documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeKind {
    /// Individual Partnership Programme (Partnership for Peace, from 1994).
    Ipp,
    /// Individual Partnership Action Plan (from 2002).
    Ipap,
    /// Individual Partnership and Cooperation Programme (from 2011).
    Ipcp,
    /// Annual National Programme (Georgia and Ukraine, from 2009).
    Anp,
    /// Individually Tailored Partnership Programme (from 2021; four years).
    Itpp,
    /// Annual package: the Individual Tailored Cooperation Package of Activities of partners
    /// across the globe (from 2008).
    AnnualPackage,
    /// Defence Capacity Building package (from 2014).
    DcbPackage,
}

impl ProgrammeKind {
    /// Every kind.
    pub const ALL: [ProgrammeKind; 7] = [
        ProgrammeKind::Ipp,
        ProgrammeKind::Ipap,
        ProgrammeKind::Ipcp,
        ProgrammeKind::Anp,
        ProgrammeKind::Itpp,
        ProgrammeKind::AnnualPackage,
        ProgrammeKind::DcbPackage,
    ];

    /// The kind's code.
    pub fn as_str(&self) -> &'static str {
        match self {
            ProgrammeKind::Ipp => "ipp",
            ProgrammeKind::Ipap => "ipap",
            ProgrammeKind::Ipcp => "ipcp",
            ProgrammeKind::Anp => "anp",
            ProgrammeKind::Itpp => "itpp",
            ProgrammeKind::AnnualPackage => "annual_package",
            ProgrammeKind::DcbPackage => "dcb_package",
        }
    }

    /// Reads a kind's code.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// How many years a programme of the kind usually runs (an ITPP four).
    pub fn usual_years(&self) -> u32 {
        match self {
            ProgrammeKind::Itpp => 4,
            ProgrammeKind::Anp | ProgrammeKind::AnnualPackage => 1,
            ProgrammeKind::Ipp | ProgrammeKind::Ipap | ProgrammeKind::Ipcp | ProgrammeKind::DcbPackage => 2,
        }
    }
}

/// Where a programme stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeStatus {
    /// Being written by staff and the partner.
    Draft,
    /// Put forward for the council's decision and the partner's acceptance.
    Submitted,
    /// Both recorded: no longer edited, only amended by a new version.
    Agreed,
    /// Being carried out, year by year.
    InExecution,
    /// Over.
    Closed,
}

impl ProgrammeStatus {
    /// Every status.
    pub const ALL: [ProgrammeStatus; 5] = [
        ProgrammeStatus::Draft,
        ProgrammeStatus::Submitted,
        ProgrammeStatus::Agreed,
        ProgrammeStatus::InExecution,
        ProgrammeStatus::Closed,
    ];

    /// The status's code.
    pub fn as_str(&self) -> &'static str {
        match self {
            ProgrammeStatus::Draft => "draft",
            ProgrammeStatus::Submitted => "submitted",
            ProgrammeStatus::Agreed => "agreed",
            ProgrammeStatus::InExecution => "in_execution",
            ProgrammeStatus::Closed => "closed",
        }
    }

    /// Reads a status's code.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The state `authorize()` judges changes by.
    pub fn lifecycle(&self) -> Lifecycle {
        match self {
            ProgrammeStatus::Draft => Lifecycle::Draft,
            ProgrammeStatus::Submitted => Lifecycle::Submitted,
            ProgrammeStatus::Agreed | ProgrammeStatus::InExecution => Lifecycle::Agreed,
            ProgrammeStatus::Closed => Lifecycle::Closed,
        }
    }

    /// Whether its yearly work plans may change: while it is written, and while it is
    /// carried out; not while the council and the partner weigh it, nor once closed.
    pub fn work_plan_open(&self) -> bool {
        matches!(self, ProgrammeStatus::Draft | ProgrammeStatus::Agreed | ProgrammeStatus::InExecution)
    }

    /// Whether it may be amended (only an agreed version is).
    pub fn amendable(&self) -> bool {
        matches!(self, ProgrammeStatus::Agreed | ProgrammeStatus::InExecution)
    }
}

/// A step in a programme's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Draft -> submitted.
    Submit,
    /// Submitted, back to draft for more work.
    Return,
    /// The council's decision, recorded on a submitted programme.
    CouncilDecision,
    /// The partner's acceptance, recorded on a submitted programme.
    PartnerAcceptance,
    /// Agreed -> in execution.
    Execute,
    /// Agreed or in execution -> closed.
    Close,
}

impl Step {
    /// Every step.
    pub const ALL: [Step; 6] =
        [Step::Submit, Step::CouncilDecision, Step::PartnerAcceptance, Step::Return, Step::Execute, Step::Close];

    /// The step's code.
    pub fn as_str(&self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::Return => "return",
            Step::CouncilDecision => "council_decision",
            Step::PartnerAcceptance => "partner_acceptance",
            Step::Execute => "execute",
            Step::Close => "close",
        }
    }

    /// Reads a step's code.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// What a programme's agreement needs, and has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Agreement {
    /// The council's decision is recorded.
    pub council: bool,
    /// The partner's acceptance is recorded.
    pub partner: bool,
}

/// A step that cannot be taken from where the programme stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a programme that is {} cannot take the step `{}`", .status.as_str(), .step.as_str())]
pub struct WrongStep {
    /// Where it stands.
    pub status: ProgrammeStatus,
    /// The step asked for.
    pub step: Step,
}

/// Where a step leads, and what is then recorded of the agreement.
pub fn take(
    status: ProgrammeStatus,
    agreement: Agreement,
    step: Step,
) -> Result<(ProgrammeStatus, Agreement), WrongStep> {
    use ProgrammeStatus as S;
    let wrong = Err(WrongStep { status, step });
    match (status, step) {
        (S::Draft, Step::Submit) => Ok((S::Submitted, Agreement::default())),
        (S::Submitted, Step::Return) => Ok((S::Draft, Agreement::default())),
        (S::Submitted, Step::CouncilDecision) if !agreement.council => {
            let now = Agreement { council: true, ..agreement };
            Ok((if now.partner { S::Agreed } else { S::Submitted }, now))
        }
        (S::Submitted, Step::PartnerAcceptance) if !agreement.partner => {
            let now = Agreement { partner: true, ..agreement };
            Ok((if now.council { S::Agreed } else { S::Submitted }, now))
        }
        (S::Agreed, Step::Execute) => Ok((S::InExecution, agreement)),
        (S::InExecution, Step::Close) => Ok((S::Closed, agreement)),
        _ => wrong,
    }
}

/// A programme's substance, as an amendment compares it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Content {
    /// Title.
    pub title: String,
    /// Kind's code.
    pub kind: String,
    /// First day.
    pub starts: String,
    /// Last day.
    pub ends: String,
    /// Marking.
    pub marking: String,
    /// Strategic objectives, in order.
    pub objectives: Vec<Objective>,
}

/// A strategic objective and its partnership goals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Objective {
    /// Title.
    pub title: String,
    /// Goals, in order.
    pub goals: Vec<Goal>,
}

/// A partnership goal and what supports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Goal {
    /// Title.
    pub title: String,
    /// Codes of the supporting activities and events.
    pub supports: BTreeSet<String>,
}

/// One difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// Where: `title`, `objective 2`, `objective 2 / goal 1`, `objective 2 / goal 1 / support`.
    pub path: String,
    /// What it was, if it was.
    pub before: Option<String>,
    /// What it is, if it is.
    pub after: Option<String>,
}

/// What `after` changes against `before`: the fields, then objectives and goals matched by
/// position (a changed title shows as changed), then supports added and removed.
pub fn diff(before: &Content, after: &Content) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut field = |path: String, a: &str, b: &str| {
        if a != b {
            out.push(Difference { path, before: Some(a.to_owned()), after: Some(b.to_owned()) });
        }
    };
    field("title".into(), &before.title, &after.title);
    field("kind".into(), &before.kind, &after.kind);
    field("starts".into(), &before.starts, &after.starts);
    field("ends".into(), &before.ends, &after.ends);
    field("marking".into(), &before.marking, &after.marking);
    let longest = before.objectives.len().max(after.objectives.len());
    for i in 0..longest {
        let path = format!("objective {}", i + 1);
        let (a, b) = (before.objectives.get(i), after.objectives.get(i));
        let title = |o: Option<&Objective>| o.map(|o| o.title.clone());
        if title(a) != title(b) {
            out.push(Difference { path: path.clone(), before: title(a), after: title(b) });
        }
        let empty = Vec::new();
        let (ga, gb) = (a.map_or(&empty, |o| &o.goals), b.map_or(&empty, |o| &o.goals));
        for j in 0..ga.len().max(gb.len()) {
            let goal_path = format!("{path} / goal {}", j + 1);
            let (x, y) = (ga.get(j), gb.get(j));
            let title = |g: Option<&Goal>| g.map(|g| g.title.clone());
            if title(x) != title(y) {
                out.push(Difference { path: goal_path.clone(), before: title(x), after: title(y) });
            }
            let none = BTreeSet::new();
            let (sx, sy) = (x.map_or(&none, |g| &g.supports), y.map_or(&none, |g| &g.supports));
            for gone in sx.difference(sy) {
                out.push(Difference {
                    path: format!("{goal_path} / support"),
                    before: Some(gone.clone()),
                    after: None,
                });
            }
            for new in sy.difference(sx) {
                out.push(Difference { path: format!("{goal_path} / support"), before: None, after: Some(new.clone()) });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_programme_is_agreed_once_both_the_council_and_the_partner_have_said_yes() {
        let (s, a) = take(ProgrammeStatus::Draft, Agreement::default(), Step::Submit).unwrap();
        let (s, a) = take(s, a, Step::PartnerAcceptance).unwrap();
        assert_eq!(s, ProgrammeStatus::Submitted, "the council has not decided yet");
        assert!(take(s, a, Step::PartnerAcceptance).is_err(), "accepted once");
        let (s, a) = take(s, a, Step::CouncilDecision).unwrap();
        assert_eq!((s, a), (ProgrammeStatus::Agreed, Agreement { council: true, partner: true }));
        let (s, _) = take(s, a, Step::Execute).unwrap();
        assert_eq!(take(s, a, Step::Close).unwrap().0, ProgrammeStatus::Closed);
        let refused = take(ProgrammeStatus::Draft, a, Step::Execute).unwrap_err();
        assert_eq!(refused.to_string(), "a programme that is draft cannot take the step `execute`");
    }

    #[test]
    fn an_amendment_lists_its_changes_field_by_field_and_item_by_item() {
        let goal =
            |t: &str, s: &[&str]| Goal { title: t.into(), supports: s.iter().map(|c| (*c).to_owned()).collect() };
        let before = Content {
            title: "ITPP".into(),
            kind: "itpp".into(),
            starts: "2023-01-01".into(),
            ends: "2026-12-31".into(),
            marking: "UNCLASSIFIED REL TO GE".into(),
            objectives: vec![Objective {
                title: "Cyber defence".into(),
                goals: vec![goal("CERT", &["CYB-1", "CYB-2"])],
            }],
        };
        let mut after = before.clone();
        after.ends = "2027-12-31".into();
        after.objectives[0].goals[0].supports = ["CYB-2", "CYB-3"].iter().map(|c| (*c).to_owned()).collect();
        after.objectives.push(Objective { title: "Interoperability".into(), goals: vec![] });
        let changes = diff(&before, &after);
        let text: Vec<String> =
            changes.iter().map(|d| format!("{}: {:?} -> {:?}", d.path, d.before, d.after)).collect();
        assert_eq!(
            text,
            [
                "ends: Some(\"2026-12-31\") -> Some(\"2027-12-31\")",
                "objective 1 / goal 1 / support: Some(\"CYB-1\") -> None",
                "objective 1 / goal 1 / support: None -> Some(\"CYB-3\")",
                "objective 2: None -> Some(\"Interoperability\")",
            ]
        );
    }
}
