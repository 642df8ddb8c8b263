//! `authorize()`: the one decision on who may do what. Pure: the caller's standing in the
//! registry (member or not, frameworks) is worked out beforehand and passed in, so the same
//! function serves pages, the API, exports, counts, searches and the CLI.
//!
//! Actions are verbs (read, export, create, update, delete, submit, approve, agree,
//! allocate, administer); records carry their marking, their originator (who made them),
//! the nation they concern and their place in a lifecycle. What anyone may read of a
//! record, including the nation it concerns, is decided by its marking alone. A refusal
//! says which rule refused, so pages and the API can tell the user why.

mod refusal;
#[cfg(test)]
mod tests;

pub use refusal::{Refusal, Rule, Target};

use std::collections::BTreeSet;

use crate::codes::{FrameworkCode, NationCode, OrganisationCode};
use crate::marking::{Classification, Marking, Releasability};

/// What a user may do, in broad strokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// System administrator: users, configuration, backups.
    Admin,
    /// The alliance's partnership staff.
    Staff,
    /// Council secretariat: records council decisions.
    Approver,
    /// A member nation's delegation.
    MemberDelegate,
    /// A partner nation's coordinator.
    PartnerOfficer,
    /// Researcher, auditor or other read-only user.
    Analyst,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::Staff, Role::Approver, Role::MemberDelegate, Role::PartnerOfficer, Role::Analyst];

    /// The role's code.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Approver => "approver",
            Role::MemberDelegate => "member_delegate",
            Role::PartnerOfficer => "partner_officer",
            Role::Analyst => "analyst",
        }
    }

    /// Reads a role's code.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// Whom a user works for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Affiliation {
    /// The alliance's own staff.
    AllianceStaff,
    /// A nation, member or partner.
    Nation(NationCode),
    /// An international organisation.
    Organisation(OrganisationCode),
}

/// A signed-in user, with their nation's standing on the day of the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user's id.
    pub user_id: i64,
    /// Their role.
    pub role: Role,
    /// Whom they work for.
    pub affiliation: Affiliation,
    /// The highest classification they may read.
    pub clearance: Classification,
    /// Whether their nation is a member of the alliance today.
    pub nation_is_member: bool,
    /// Their nation's frameworks today.
    pub nation_frameworks: BTreeSet<FrameworkCode>,
}

/// Who asks: a signed-in user or an anonymous visitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// Not signed in.
    Anonymous,
    /// Signed in.
    User(Principal),
}

/// What is to be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See, list, count, search, download.
    Read,
    /// Take away in bulk (CSV, JSON, calendar feeds).
    Export,
    /// Make a new record.
    Create,
    /// Change a record.
    Update,
    /// Remove or withdraw a record.
    Delete,
    /// Put a draft forward for decision.
    Submit,
    /// Record a council approval.
    Approve,
    /// Record an agreement (a programme's, a contribution's).
    Agree,
    /// Give out seats.
    Allocate,
    /// Manage accounts, configuration and imports.
    Administer,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 10] = [
        Action::Read,
        Action::Export,
        Action::Create,
        Action::Update,
        Action::Delete,
        Action::Submit,
        Action::Approve,
        Action::Agree,
        Action::Allocate,
        Action::Administer,
    ];

    /// The action's code, as refusals and messages name it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Export => "export",
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Submit => "submit",
            Action::Approve => "approve",
            Action::Agree => "agree",
            Action::Allocate => "allocate",
            Action::Administer => "administer",
        }
    }

    /// Whether the action only looks (safe with a read-only token).
    pub fn is_read(&self) -> bool {
        matches!(self, Action::Read | Action::Export)
    }
}

/// Where a record stands in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lifecycle {
    /// A record without a lifecycle, such as a document.
    Unmanaged,
    /// Being written.
    Draft,
    /// Put forward for decision.
    Submitted,
    /// Agreed or approved: no longer changed, only amended by a new version.
    Agreed,
    /// Finished.
    Closed,
}

impl Lifecycle {
    /// Every state.
    pub const ALL: [Lifecycle; 5] =
        [Lifecycle::Unmanaged, Lifecycle::Draft, Lifecycle::Submitted, Lifecycle::Agreed, Lifecycle::Closed];

    /// The state's code.
    pub fn as_str(&self) -> &'static str {
        match self {
            Lifecycle::Unmanaged => "unmanaged",
            Lifecycle::Draft => "draft",
            Lifecycle::Submitted => "submitted",
            Lifecycle::Agreed => "agreed",
            Lifecycle::Closed => "closed",
        }
    }

    fn is_editable(&self) -> bool {
        matches!(self, Lifecycle::Unmanaged | Lifecycle::Draft)
    }
}

/// What kind of marked record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// An uploaded document.
    Document,
    /// A partner's tailored programme.
    Programme,
    /// A council decision.
    CouncilDecision,
    /// A menu activity (its events share its marking).
    Activity,
    /// An assessment: a review of a nation's progress, its indicators and measurements.
    Assessment,
}

/// A marked record, as `authorize()` needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// What kind of record.
    pub kind: RecordKind,
    /// Its marking.
    pub marking: &'a Marking,
    /// Who made it.
    pub originator: &'a Affiliation,
    /// The nation it concerns, if any.
    pub subject: Option<NationCode>,
    /// Where it stands.
    pub lifecycle: Lifecycle,
}

/// What it is done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource<'a> {
    /// The public registry of nations, frameworks and memberships.
    Registry,
    /// A marked record.
    Record(Record<'a>),
    /// User accounts.
    Users,
    /// The caller's own account: password, tokens.
    OwnAccount,
    /// The audit trail.
    AuditTrail,
    /// A proposed change to the registry, with who proposed it and whether it is still
    /// awaiting a decision (`Submitted`) or decided (`Closed`).
    Proposal {
        /// The user who proposed it.
        proposed_by: i64,
        /// Its state.
        state: Lifecycle,
    },
    /// The eligibility policies: public, kept by the alliance's staff.
    Policies,
    /// The council's decisions on who may take part: public, recorded by the council
    /// secretariat (approvers) and the alliance's staff.
    CouncilDecisions,
    /// A nation's seat requests and nominations on an event marked `marking` (or, with no
    /// nation, every nation's: the allocation board). `personal`: the participants' names
    /// and contacts, which only the nation's own people and the organising staff see.
    Seats {
        /// The nation asking; none for all the event's requests together.
        nation: Option<NationCode>,
        /// The event's marking.
        marking: &'a Marking,
        /// Whether personal data is read or written.
        personal: bool,
    },
    /// A meeting (its agenda, outcomes, action items and documents), marked `marking`.
    /// Its participants read it whatever its releasability, cleared to its classification.
    Meeting {
        /// The meeting's marking.
        marking: &'a Marking,
        /// Whether the caller's nation or organisation takes part.
        participant: bool,
    },
    /// Operations and contributions to them: public facts; a nation offers and withdraws
    /// its own contributions, the staff keep the rest.
    Operations {
        /// The contributing nation, when the action concerns one.
        nation: Option<NationCode>,
    },
    /// Liaison officers' postings (names: personal data), of `nation`.
    Postings {
        /// The officers' nation.
        nation: NationCode,
    },
    /// A unit declared by `nation` to the pool of forces and its evaluations, marked
    /// `marking`; `by_nato`: a step NATO's evaluators record (not a self-evaluation).
    Evaluation {
        /// The declaring nation; none for "any nation's" (only the staff's then).
        nation: Option<NationCode>,
        /// The unit's marking.
        marking: &'a Marking,
        /// Whether the change is NATO's to record.
        by_nato: bool,
    },
}

impl Resource<'_> {
    /// What the resource is, for refusals.
    pub fn target(&self) -> Target {
        match self {
            Resource::Registry => Target::Registry,
            Resource::Record(record) => match record.kind {
                RecordKind::Document => Target::Document,
                RecordKind::Programme => Target::Programme,
                RecordKind::CouncilDecision => Target::CouncilDecision,
                RecordKind::Activity => Target::Activity,
                RecordKind::Assessment => Target::Assessment,
            },
            Resource::Users => Target::Users,
            Resource::OwnAccount => Target::OwnAccount,
            Resource::AuditTrail => Target::AuditTrail,
            Resource::Proposal { .. } => Target::Proposal,
            Resource::Policies => Target::Policy,
            Resource::CouncilDecisions => Target::CouncilDecision,
            Resource::Seats { .. } => Target::Seats,
            Resource::Meeting { .. } => Target::Meeting,
            Resource::Operations { .. } => Target::Operation,
            Resource::Postings { .. } => Target::Posting,
            Resource::Evaluation { .. } => Target::Evaluation,
        }
    }
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// Sign in first.
    Unauthenticated,
    /// Signed in, and may know the thing exists, but may not do this, for this reason.
    Forbidden(Refusal),
    /// Not releasable to the caller: answer as if it did not exist.
    Hidden,
}

impl Decision {
    /// Whether it is allowed.
    pub fn is_allowed(&self) -> bool {
        *self == Decision::Allow
    }
}

/// Decides whether `caller` may do `action` to `resource`.
pub fn authorize(caller: &Caller, action: Action, resource: Resource<'_>) -> Decision {
    let principal = match caller {
        Caller::Anonymous => return anonymous(action, resource),
        Caller::User(principal) => principal,
    };
    let refuse = |rule: Rule| Decision::Forbidden(Refusal { rule, action, target: resource.target() });
    let allow_if = |allowed: bool, rule: Rule| if allowed { Decision::Allow } else { refuse(rule) };
    let role = principal.role;
    match resource {
        Resource::OwnAccount => Decision::Allow,
        Resource::Registry => match action {
            Action::Read | Action::Export => Decision::Allow,
            // Registry changes are proposed, then approved by the council secretariat.
            Action::Submit => {
                allow_if(matches!(role, Role::Admin | Role::Staff | Role::MemberDelegate), Rule::OnlyStaffOrDelegates)
            }
            Action::Approve | Action::Agree => allow_if(role == Role::Approver, Rule::OnlyApprover),
            _ => allow_if(is_alliance_staff(principal, &[Role::Admin, Role::Staff]), Rule::OnlyStaff),
        },
        Resource::Users => allow_if(role == Role::Admin, Rule::OnlyAdmin),
        Resource::Policies => match action {
            Action::Read | Action::Export => Decision::Allow,
            _ => allow_if(is_alliance_staff(principal, &[Role::Admin, Role::Staff]), Rule::OnlyStaff),
        },
        Resource::CouncilDecisions => match action {
            Action::Read | Action::Export => Decision::Allow,
            _ => {
                allow_if(is_alliance_staff(principal, &[Role::Approver, Role::Staff, Role::Admin]), Rule::OnlyApprover)
            }
        },
        // Proposals are the alliance's deliberation: its staff (whatever their role) and the
        // members' delegations follow them. An approver of the alliance's staff decides on a
        // pending one, never on her own.
        Resource::Proposal { proposed_by, state } => {
            let delegate_of_a_member = role == Role::MemberDelegate
                && matches!(principal.affiliation, Affiliation::Nation(_))
                && principal.nation_is_member;
            let staff = principal.affiliation == Affiliation::AllianceStaff;
            match action {
                Action::Read | Action::Export => allow_if(staff || delegate_of_a_member, Rule::OnlyStaffOrDelegates),
                Action::Approve | Action::Agree if !(staff && role == Role::Approver) => refuse(Rule::OnlyApprover),
                Action::Approve | Action::Agree if proposed_by == principal.user_id => refuse(Rule::OwnProposal),
                Action::Approve | Action::Agree => allow_if(state == Lifecycle::Submitted, Rule::WrongState(state)),
                // An approver may propose too (the council secretariat records a decision it
                // took), but another approver decides.
                Action::Create | Action::Submit => allow_if(
                    delegate_of_a_member || is_alliance_staff(principal, &[Role::Admin, Role::Staff, Role::Approver]),
                    Rule::OnlyStaffOrDelegates,
                ),
                _ => refuse(Rule::AppendOnly),
            }
        }
        // The trail's details name every record changed, whatever its marking, so only the
        // alliance's own admins and analysts cleared to the highest level may read it.
        Resource::AuditTrail => match action {
            Action::Read | Action::Export => allow_if(
                is_alliance_staff(principal, &[Role::Admin, Role::Analyst])
                    && principal.clearance == Classification::Restricted,
                Rule::AuditReaders,
            ),
            _ => refuse(Rule::AppendOnly),
        },
        // A nation asks for seats and names its participants; the alliance's staff see every
        // nation's, organise and allocate. Nobody else sees them, so one nation never learns
        // whom another sends.
        Resource::Seats { nation, marking, personal } => {
            if !may_read(principal, marking) {
                return Decision::Hidden;
            }
            let own_nation = nation.is_some_and(|n| principal.affiliation == Affiliation::Nation(n));
            let organiser = is_alliance_staff(principal, &[Role::Staff, Role::Admin]);
            match action {
                Action::Read | Action::Export => allow_if(
                    own_nation || organiser || (!personal && principal.affiliation == Affiliation::AllianceStaff),
                    Rule::OnlyConcernedNation,
                ),
                Action::Create | Action::Update | Action::Delete | Action::Submit => allow_if(
                    organiser || (own_nation && matches!(role, Role::PartnerOfficer | Role::MemberDelegate)),
                    Rule::OnlyConcernedNation,
                ),
                Action::Allocate | Action::Administer => allow_if(organiser, Rule::OnlyStaff),
                Action::Approve | Action::Agree => refuse(Rule::OnlyStaff),
            }
        }
        Resource::Meeting { marking, participant } => {
            let readable =
                marking.classification() <= principal.clearance && (participant || may_read(principal, marking));
            if !readable {
                return if action == Action::Create { refuse(Rule::WouldNotSee) } else { Decision::Hidden };
            }
            match action {
                Action::Read | Action::Export => Decision::Allow,
                _ => allow_if(is_alliance_staff(principal, &[Role::Staff, Role::Admin]), Rule::OnlyStaff),
            }
        }
        Resource::Operations { nation } => {
            let organiser = is_alliance_staff(principal, &[Role::Staff, Role::Admin]);
            let own_nation = nation.is_some_and(|n| principal.affiliation == Affiliation::Nation(n))
                && matches!(role, Role::PartnerOfficer | Role::MemberDelegate);
            match action {
                Action::Read | Action::Export => Decision::Allow,
                // A nation offers its own contribution and withdraws it; accepting and
                // deploying are the alliance's.
                Action::Create | Action::Delete => allow_if(organiser || own_nation, Rule::OnlyConcernedNation),
                _ => allow_if(organiser, Rule::OnlyStaff),
            }
        }
        // Who is posted where names people: the alliance's staff and the officers' own
        // nation read it, the staff keep it.
        Resource::Postings { nation } => match action {
            Action::Read | Action::Export => allow_if(
                principal.affiliation == Affiliation::AllianceStaff
                    || principal.affiliation == Affiliation::Nation(nation),
                Rule::OnlyConcernedNation,
            ),
            _ => allow_if(is_alliance_staff(principal, &[Role::Staff, Role::Admin]), Rule::OnlyStaff),
        },
        // A nation declares its units and records its self-evaluations; NATO's evaluations
        // and certifications are the alliance staff's.
        Resource::Evaluation { nation, marking, by_nato } => {
            if !may_read(principal, marking) {
                return if action == Action::Create { refuse(Rule::WouldNotSee) } else { Decision::Hidden };
            }
            let organiser = is_alliance_staff(principal, &[Role::Staff, Role::Admin]);
            match action {
                Action::Read | Action::Export => Decision::Allow,
                Action::Create | Action::Update | Action::Delete | Action::Submit if by_nato => {
                    allow_if(organiser, Rule::OnlyStaff)
                }
                Action::Create | Action::Update | Action::Delete | Action::Submit => {
                    allow_if(organiser || may_edit(principal, nation), Rule::OnlyConcernedNation)
                }
                _ => refuse(Rule::OnlyStaff),
            }
        }
        Resource::Record(record) => {
            if !may_read(principal, record.marking) {
                // Making a record one could not read is refused outright, not hidden.
                return if action == Action::Create { refuse(Rule::WouldNotSee) } else { Decision::Hidden };
            }
            match action {
                Action::Read | Action::Export => Decision::Allow,
                Action::Create | Action::Update | Action::Delete | Action::Submit => {
                    let state_allows = match action {
                        Action::Submit => record.lifecycle == Lifecycle::Draft,
                        _ => record.lifecycle.is_editable(),
                    };
                    if !state_allows {
                        refuse(Rule::WrongState(record.lifecycle))
                    } else if record.kind == RecordKind::CouncilDecision {
                        allow_if(role == Role::Approver, Rule::OnlyApprover)
                    } else if record.kind == RecordKind::Activity {
                        // The menu is the alliance's: its staff (and administrators, who
                        // run imports) keep it.
                        allow_if(is_alliance_staff(principal, &[Role::Staff, Role::Admin]), Rule::OnlyStaff)
                    } else {
                        allow_if(may_edit(principal, record.subject), Rule::OnlyConcernedNation)
                    }
                }
                // A programme is agreed by the council (its decision, recorded by the council
                // secretariat) and by the partner (her acceptance, recorded by her own
                // officers): neither records the other's.
                Action::Agree if record.kind == RecordKind::Programme => {
                    let own_officer = matches!(role, Role::PartnerOfficer | Role::MemberDelegate)
                        && may_edit(principal, record.subject);
                    if !own_officer {
                        refuse(Rule::OnlyConcernedNation)
                    } else {
                        allow_if(record.lifecycle == Lifecycle::Submitted, Rule::WrongState(record.lifecycle))
                    }
                }
                Action::Approve | Action::Agree => {
                    // An assessment is judged by the alliance's own approvers, never by a
                    // nation's (whatever account a deployment gives one).
                    let judge = match record.kind {
                        RecordKind::Assessment => is_alliance_staff(principal, &[Role::Approver]),
                        _ => role == Role::Approver,
                    };
                    if !judge {
                        refuse(Rule::OnlyApprover)
                    } else {
                        allow_if(record.lifecycle == Lifecycle::Submitted, Rule::WrongState(record.lifecycle))
                    }
                }
                Action::Allocate | Action::Administer => {
                    allow_if(is_alliance_staff(principal, &[Role::Staff]), Rule::OnlyStaff)
                }
            }
        }
    }
}

/// Anonymous visitors read the registry and public records, and do nothing else.
fn anonymous(action: Action, resource: Resource<'_>) -> Decision {
    match (action.is_read(), resource) {
        (true, Resource::Registry | Resource::Policies | Resource::CouncilDecisions) => Decision::Allow,
        (true, Resource::Record(record)) if record.marking.classification() == Classification::Public => {
            Decision::Allow
        }
        (true, Resource::Record(_)) => Decision::Hidden,
        (true, Resource::Meeting { marking, .. }) if marking.classification() == Classification::Public => {
            Decision::Allow
        }
        (true, Resource::Meeting { .. }) => Decision::Hidden,
        (true, Resource::Operations { .. }) => Decision::Allow,
        _ => Decision::Unauthenticated,
    }
}

fn is_alliance_staff(principal: &Principal, roles: &[Role]) -> bool {
    principal.affiliation == Affiliation::AllianceStaff && roles.contains(&principal.role)
}

/// Cleared for the classification, and the record is released to the principal. The
/// nation a record concerns reads it only when its marking releases it to that nation.
fn may_read(principal: &Principal, marking: &Marking) -> bool {
    if marking.classification() > principal.clearance {
        return false;
    }
    let inside_the_alliance = match &principal.affiliation {
        Affiliation::AllianceStaff => true,
        Affiliation::Nation(_) => principal.nation_is_member,
        Affiliation::Organisation(_) => false,
    };
    match marking.releasability() {
        Releasability::All => true,
        Releasability::MembersOnly => inside_the_alliance,
        Releasability::To { frameworks, nations } => {
            inside_the_alliance
                || matches!(&principal.affiliation, Affiliation::Nation(n) if nations.contains(n))
                || frameworks.iter().any(|f| principal.nation_frameworks.contains(f))
        }
    }
}

/// Staff edit any record; nations' officers and delegates edit those concerning their nation.
fn may_edit(principal: &Principal, subject: Option<NationCode>) -> bool {
    match (principal.role, &principal.affiliation) {
        (Role::Staff, Affiliation::AllianceStaff) => true,
        (Role::PartnerOfficer | Role::MemberDelegate, Affiliation::Nation(nation)) => subject == Some(*nation),
        _ => false,
    }
}
