//! Why `authorize()` said no: the rule, the action and what it was to be done to. Pages
//! and the API show it ("only an approver may agree a programme"); the application
//! translates it from [`Rule::code`], [`crate::Action::as_str`] and [`Target::code`].

use std::fmt;

use super::{Action, Lifecycle};

/// The rule that refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Only the council secretariat records approvals and agreements.
    OnlyApprover,
    /// Only the alliance's staff (or administrators) do this.
    OnlyStaff,
    /// Only staff, administrators and member delegations propose registry changes.
    OnlyStaffOrDelegates,
    /// Only administrators manage accounts.
    OnlyAdmin,
    /// Only staff and the officers of the nation a record concerns change it.
    OnlyConcernedNation,
    /// The record's state does not allow it.
    WrongState(Lifecycle),
    /// Nobody makes a record they could not then read.
    WouldNotSee,
    /// Only the alliance's administrators and analysts cleared RESTRICTED read the trail.
    AuditReaders,
    /// The audit trail is only ever appended to.
    AppendOnly,
    /// Nobody decides on their own proposal.
    OwnProposal,
}

impl Rule {
    /// A stable code, for translations and API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::OnlyApprover => "only-approver",
            Rule::OnlyStaff => "only-staff",
            Rule::OnlyStaffOrDelegates => "only-staff-or-delegates",
            Rule::OnlyAdmin => "only-admin",
            Rule::OnlyConcernedNation => "only-concerned-nation",
            Rule::WrongState(_) => "wrong-state",
            Rule::WouldNotSee => "would-not-see",
            Rule::AuditReaders => "audit-readers",
            Rule::AppendOnly => "append-only",
            Rule::OwnProposal => "own-proposal",
        }
    }
}

/// What the action was to be done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// The registry.
    Registry,
    /// A document.
    Document,
    /// A programme.
    Programme,
    /// A council decision.
    CouncilDecision,
    /// User accounts.
    Users,
    /// One's own account.
    OwnAccount,
    /// The audit trail.
    AuditTrail,
    /// A proposed change to the registry.
    Proposal,
    /// A menu activity or its events.
    Activity,
    /// The eligibility policies.
    Policy,
    /// A nation's seat requests and nominations.
    Seats,
    /// A meeting, its action items and documents.
    Meeting,
    /// An operation and the contributions to it.
    Operation,
    /// Liaison officers' postings.
    Posting,
    /// An assessment: a review, its indicators and measurements.
    Assessment,
    /// A unit declared to the pool of forces and its evaluations.
    Evaluation,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 16] = [
        Target::Registry,
        Target::Document,
        Target::Programme,
        Target::CouncilDecision,
        Target::Users,
        Target::OwnAccount,
        Target::AuditTrail,
        Target::Proposal,
        Target::Activity,
        Target::Policy,
        Target::Seats,
        Target::Meeting,
        Target::Operation,
        Target::Posting,
        Target::Assessment,
        Target::Evaluation,
    ];

    /// A stable code, for translations.
    pub fn code(&self) -> &'static str {
        match self {
            Target::Registry => "registry",
            Target::Document => "document",
            Target::Programme => "programme",
            Target::CouncilDecision => "council-decision",
            Target::Users => "users",
            Target::OwnAccount => "own-account",
            Target::AuditTrail => "audit-trail",
            Target::Proposal => "proposal",
            Target::Activity => "activity",
            Target::Policy => "policy",
            Target::Seats => "seats",
            Target::Meeting => "meeting",
            Target::Operation => "operation",
            Target::Posting => "posting",
            Target::Assessment => "assessment",
            Target::Evaluation => "evaluation",
        }
    }

    fn english(&self) -> &'static str {
        match self {
            Target::Registry => "the registry",
            Target::Document => "a document",
            Target::Programme => "a programme",
            Target::CouncilDecision => "a council decision",
            Target::Users => "user accounts",
            Target::OwnAccount => "this account",
            Target::Proposal => "a proposal",
            Target::AuditTrail => "the audit trail",
            Target::Activity => "a menu activity",
            Target::Policy => "the eligibility policies",
            Target::Seats => "a nation's seat requests",
            Target::Meeting => "a meeting",
            Target::Operation => "an operation's contributions",
            Target::Posting => "liaison postings",
            Target::Assessment => "an assessment",
            Target::Evaluation => "a unit's evaluations",
        }
    }
}

/// A refusal: which rule refused which action on what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Refusal {
    /// The rule.
    pub rule: Rule,
    /// The action refused.
    pub action: Action,
    /// What it was to be done to.
    pub target: Target,
}

impl fmt::Display for Refusal {
    /// The reason in English, as the API gives it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (action, target) = (self.action.as_str(), self.target.english());
        match self.rule {
            Rule::OnlyApprover => write!(f, "only an approver may {action} {target}"),
            Rule::OnlyStaff => write!(f, "only the alliance's staff may {action} {target}"),
            Rule::OnlyStaffOrDelegates => {
                write!(f, "only the alliance's staff and member delegations may {action} {target}")
            }
            Rule::OnlyAdmin => write!(f, "only an administrator may {action} {target}"),
            Rule::OnlyConcernedNation => {
                write!(f, "only the alliance's staff and the officers of the nation it concerns may {action} {target}")
            }
            Rule::WrongState(state) => write!(f, "you may not {action} {target} that is {}", state.as_str()),
            Rule::WouldNotSee => write!(f, "you may not {action} {target} that you would not be allowed to read"),
            Rule::AuditReaders => {
                write!(f, "only the alliance's administrators and analysts cleared RESTRICTED may {action} {target}")
            }
            Rule::AppendOnly => write!(f, "nobody may {action} {target}: it is only ever appended to"),
            Rule::OwnProposal => write!(f, "nobody may {action} {target} they made themselves: another approver must"),
        }
    }
}
