//! `authorize()`: the one decision on who may do what. Pure: the caller's standing in the
//! registry (member or not, frameworks) is worked out beforehand and passed in, so the same
//! function serves pages, the API, exports, counts, searches and the CLI.

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
    /// See, list, count, search, download, export.
    Read,
    /// Create, change or delete.
    Write,
}

/// What it is done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource<'a> {
    /// The public registry of nations, frameworks and memberships.
    Registry,
    /// A marked record, such as a document, held for a nation (or for no nation).
    Record {
        /// Its marking.
        marking: &'a Marking,
        /// The nation whose record it is, if any.
        owner: Option<NationCode>,
    },
    /// User accounts, for administration.
    Users,
    /// The caller's own account: password, tokens.
    OwnAccount,
    /// The audit trail.
    AuditTrail,
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// Sign in first.
    Unauthenticated,
    /// Signed in, and may know the thing exists, but may not do this.
    Forbidden,
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
        Caller::Anonymous => {
            return match (action, resource) {
                (Action::Read, Resource::Registry) => Decision::Allow,
                (Action::Read, Resource::Record { marking, .. })
                    if marking.classification() == Classification::Public =>
                {
                    Decision::Allow
                }
                (Action::Read, Resource::Record { .. }) => Decision::Hidden,
                _ => Decision::Unauthenticated,
            };
        }
        Caller::User(principal) => principal,
    };
    match (action, resource) {
        (Action::Read, Resource::Registry) | (_, Resource::OwnAccount) => Decision::Allow,
        (Action::Write, Resource::Registry) => allow_if(matches!(principal.role, Role::Admin | Role::Staff)),
        (_, Resource::Users) => allow_if(principal.role == Role::Admin),
        // The trail's details name every record changed, whatever its marking, so only the
        // alliance's own admins and analysts cleared to the highest level may read it.
        (Action::Read, Resource::AuditTrail) => allow_if(
            matches!(principal.role, Role::Admin | Role::Analyst)
                && principal.affiliation == Affiliation::AllianceStaff
                && principal.clearance == Classification::Restricted,
        ),
        (Action::Write, Resource::AuditTrail) => Decision::Forbidden,
        (action, Resource::Record { marking, owner }) => {
            if !may_read(principal, marking, owner) {
                return Decision::Hidden;
            }
            match action {
                Action::Read => Decision::Allow,
                Action::Write => allow_if(may_write(principal, owner)),
            }
        }
    }
}

fn allow_if(allowed: bool) -> Decision {
    if allowed { Decision::Allow } else { Decision::Forbidden }
}

/// Cleared for the classification, and the record is released to the principal.
fn may_read(principal: &Principal, marking: &Marking, owner: Option<NationCode>) -> bool {
    if marking.classification() > principal.clearance {
        return false;
    }
    let inside_the_alliance = match &principal.affiliation {
        Affiliation::AllianceStaff => true,
        Affiliation::Nation(_) => principal.nation_is_member,
        Affiliation::Organisation(_) => false,
    };
    let own_nation = match &principal.affiliation {
        Affiliation::Nation(nation) => Some(*nation),
        _ => None,
    };
    if own_nation.is_some() && own_nation == owner {
        return true;
    }
    match marking.releasability() {
        Releasability::All => true,
        Releasability::MembersOnly => inside_the_alliance,
        Releasability::To { frameworks, nations } => {
            inside_the_alliance
                || own_nation.is_some_and(|n| nations.contains(&n))
                || frameworks.iter().any(|f| principal.nation_frameworks.contains(f))
        }
    }
}

/// Staff write any record; nations' officers and delegates write their own nation's only.
fn may_write(principal: &Principal, owner: Option<NationCode>) -> bool {
    match (principal.role, &principal.affiliation) {
        (Role::Staff, Affiliation::AllianceStaff) => true,
        (Role::PartnerOfficer | Role::MemberDelegate, Affiliation::Nation(nation)) => owner == Some(*nation),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marking::tests::any_marking;
    use proptest::prelude::*;

    fn officer(nation: &str, frameworks: &[&str]) -> Principal {
        Principal {
            user_id: 1,
            role: Role::PartnerOfficer,
            affiliation: Affiliation::Nation(nation.parse().unwrap()),
            clearance: Classification::Restricted,
            nation_is_member: false,
            nation_frameworks: frameworks.iter().map(|f| f.parse().unwrap()).collect(),
        }
    }

    fn marking(text: &str) -> Marking {
        Marking::parse(text, |c| ["MD", "PFP", "ICI"].contains(&c)).unwrap()
    }

    #[test]
    fn a_partner_officer_reads_her_own_and_what_is_released_to_her() {
        let georgia = Caller::User(officer("GE", &["PFP", "EAPC"]));
        let read = |text: &str, owner: Option<&str>| {
            let m = marking(text);
            authorize(
                &georgia,
                Action::Read,
                Resource::Record { marking: &m, owner: owner.map(|o| o.parse().unwrap()) },
            )
        };
        assert_eq!(read("RESTRICTED MEMBERS ONLY", Some("GE")), Decision::Allow, "her own nation's record");
        assert_eq!(read("RESTRICTED REL TO PFP", None), Decision::Allow, "released to her framework");
        assert_eq!(read("RESTRICTED REL TO UA", Some("UA")), Decision::Hidden, "another partner's record");
        assert_eq!(read("UNCLASSIFIED MEMBERS ONLY", None), Decision::Hidden);
        let m = marking("RESTRICTED REL TO PFP");
        let write = |owner: &str| {
            authorize(&georgia, Action::Write, Resource::Record { marking: &m, owner: Some(owner.parse().unwrap()) })
        };
        assert_eq!(write("GE"), Decision::Allow);
        assert_eq!(write("UA"), Decision::Forbidden, "she may see it, but it is Ukraine's to change");
    }

    #[test]
    fn anonymous_visitors_read_the_registry_and_public_records_only() {
        let public = Marking::public();
        assert!(authorize(&Caller::Anonymous, Action::Read, Resource::Registry).is_allowed());
        assert!(
            authorize(&Caller::Anonymous, Action::Read, Resource::Record { marking: &public, owner: None })
                .is_allowed()
        );
        let unclassified = marking("UNCLASSIFIED");
        assert_eq!(
            authorize(&Caller::Anonymous, Action::Read, Resource::Record { marking: &unclassified, owner: None }),
            Decision::Hidden
        );
        assert_eq!(
            authorize(&Caller::Anonymous, Action::Write, Resource::Record { marking: &public, owner: None }),
            Decision::Unauthenticated
        );
        assert_eq!(authorize(&Caller::Anonymous, Action::Read, Resource::AuditTrail), Decision::Unauthenticated);
    }

    fn any_nation() -> impl Strategy<Value = NationCode> {
        prop::sample::select(vec!["UA", "GE", "MD", "JP", "SE", "NO"]).prop_map(|n| n.parse().unwrap())
    }

    fn any_principal() -> impl Strategy<Value = Principal> {
        let role = prop::sample::select(Role::ALL.to_vec());
        let affiliation = prop_oneof![
            Just(Affiliation::AllianceStaff),
            any_nation().prop_map(Affiliation::Nation),
            Just(Affiliation::Organisation("EU".parse().unwrap())),
        ];
        let frameworks = prop::sample::subsequence(vec!["MD", "PFP", "ICI", "EAPC"], 0..=3);
        (role, affiliation, 0usize..3, any::<bool>(), frameworks).prop_map(|(role, affiliation, c, member, fws)| {
            Principal {
                user_id: 7,
                role,
                affiliation,
                clearance: Classification::ALL[c],
                nation_is_member: member,
                nation_frameworks: fws.iter().map(|f| f.parse().unwrap()).collect(),
            }
        })
    }

    /// Releasability to a partner nation, stated independently of the implementation.
    fn released_to_partner(p: &Principal, nation: NationCode, marking: &Marking, owner: Option<NationCode>) -> bool {
        owner == Some(nation)
            || match marking.releasability() {
                Releasability::All => true,
                Releasability::MembersOnly => false,
                Releasability::To { frameworks, nations } => {
                    nations.contains(&nation) || frameworks.iter().any(|f| p.nation_frameworks.contains(f))
                }
            }
    }

    proptest! {
        #[test]
        fn nobody_reads_above_their_clearance(p in any_principal(), m in any_marking(), owner in proptest::option::of(any_nation())) {
            let decision = authorize(&Caller::User(p.clone()), Action::Read, Resource::Record { marking: &m, owner });
            if m.classification() > p.clearance {
                prop_assert_eq!(decision, Decision::Hidden);
            }
        }

        #[test]
        fn a_partner_officer_reads_only_what_is_released_to_her_nation_and_writes_only_her_own(
            p in any_principal(), m in any_marking(), owner in proptest::option::of(any_nation()), nation in any_nation()
        ) {
            let p = Principal { role: Role::PartnerOfficer, affiliation: Affiliation::Nation(nation), nation_is_member: false, ..p };
            let caller = Caller::User(p.clone());
            let resource = Resource::Record { marking: &m, owner };
            if authorize(&caller, Action::Read, resource).is_allowed() {
                prop_assert!(released_to_partner(&p, nation, &m, owner));
            }
            if authorize(&caller, Action::Write, resource).is_allowed() {
                prop_assert_eq!(owner, Some(nation));
            }
        }

        #[test]
        fn anonymous_reads_public_only(m in any_marking(), owner in proptest::option::of(any_nation())) {
            let decision = authorize(&Caller::Anonymous, Action::Read, Resource::Record { marking: &m, owner });
            prop_assert_eq!(decision.is_allowed(), m.classification() == Classification::Public);
            let write = authorize(&Caller::Anonymous, Action::Write, Resource::Record { marking: &m, owner });
            prop_assert_eq!(write, Decision::Unauthenticated);
        }

        #[test]
        fn the_audit_trail_is_read_only_by_fully_cleared_staff_admins_and_analysts(p in any_principal()) {
            let allowed = authorize(&Caller::User(p.clone()), Action::Read, Resource::AuditTrail).is_allowed();
            if allowed {
                prop_assert!(matches!(p.role, Role::Admin | Role::Analyst));
                prop_assert_eq!(p.affiliation, Affiliation::AllianceStaff);
                prop_assert_eq!(p.clearance, Classification::Restricted);
            }
        }

        #[test]
        fn only_admins_administer_users(p in any_principal()) {
            let allowed = authorize(&Caller::User(p.clone()), Action::Write, Resource::Users).is_allowed();
            prop_assert_eq!(allowed, p.role == Role::Admin);
        }
    }
}
