use proptest::prelude::*;

use super::*;
use crate::marking::tests::any_marking;

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

fn staff(role: Role) -> Principal {
    Principal {
        user_id: 2,
        role,
        affiliation: Affiliation::AllianceStaff,
        clearance: Classification::Restricted,
        nation_is_member: false,
        nation_frameworks: BTreeSet::new(),
    }
}

fn marking(text: &str) -> Marking {
    Marking::parse(text, |c| ["MD", "PFP", "ICI"].contains(&c)).unwrap()
}

const STAFF: Affiliation = Affiliation::AllianceStaff;

fn document<'a>(marking: &'a Marking, subject: Option<&str>) -> Resource<'a> {
    Resource::Record(Record {
        kind: RecordKind::Document,
        marking,
        originator: &STAFF,
        subject: subject.map(|s| s.parse().unwrap()),
        lifecycle: Lifecycle::Unmanaged,
    })
}

fn programme(marking: &Marking, subject: &str, lifecycle: Lifecycle) -> Resource<'static> {
    let marking: &'static Marking = Box::leak(Box::new(marking.clone()));
    Resource::Record(Record {
        kind: RecordKind::Programme,
        marking,
        originator: &STAFF,
        subject: Some(subject.parse().unwrap()),
        lifecycle,
    })
}

#[test]
fn a_partner_officer_reads_what_is_released_to_her_and_changes_what_concerns_her_nation() {
    let georgia = Caller::User(officer("GE", &["PFP", "EAPC"]));
    let read = |text: &str, subject: Option<&str>| authorize(&georgia, Action::Read, document(&marking(text), subject));
    assert_eq!(read("RESTRICTED REL TO GE", Some("GE")), Decision::Allow, "released to her nation");
    assert_eq!(read("RESTRICTED REL TO PFP", None), Decision::Allow, "released to her framework");
    assert_eq!(read("RESTRICTED REL TO UA", Some("UA")), Decision::Hidden, "another partner's record");
    assert_eq!(read("UNCLASSIFIED MEMBERS ONLY", None), Decision::Hidden);
    let m = marking("RESTRICTED REL TO PFP");
    assert_eq!(authorize(&georgia, Action::Update, document(&m, Some("GE"))), Decision::Allow);
    let Decision::Forbidden(refusal) = authorize(&georgia, Action::Update, document(&m, Some("UA"))) else {
        panic!("she may see it, but it is Ukraine's to change")
    };
    assert_eq!(refusal.rule, Rule::OnlyConcernedNation);
}

#[test]
fn the_nation_a_record_concerns_does_not_read_it_when_it_is_marked_members_only() {
    let georgia = Caller::User(officer("GE", &["PFP"]));
    let members_only = marking("RESTRICTED MEMBERS ONLY");
    assert_eq!(authorize(&georgia, Action::Read, document(&members_only, Some("GE"))), Decision::Hidden);
    assert_eq!(authorize(&georgia, Action::Update, document(&members_only, Some("GE"))), Decision::Hidden);
    let staff = Caller::User(staff(Role::Staff));
    assert!(authorize(&staff, Action::Read, document(&members_only, Some("GE"))).is_allowed());
}

#[test]
fn the_council_approves_and_only_the_partner_agrees_a_submitted_programme() {
    let m = marking("UNCLASSIFIED");
    let submitted = programme(&m, "GE", Lifecycle::Submitted);
    let decision = authorize(&Caller::User(staff(Role::Staff)), Action::Approve, submitted);
    let Decision::Forbidden(refusal) = decision else { panic!("{decision:?}") };
    assert_eq!(refusal.to_string(), "only an approver may approve a programme");
    assert!(authorize(&Caller::User(staff(Role::Approver)), Action::Approve, submitted).is_allowed());
    // The partner's acceptance is hers: not the council secretariat's, nor another nation's.
    assert!(authorize(&Caller::User(officer("GE", &[])), Action::Agree, submitted).is_allowed());
    for other in [Caller::User(staff(Role::Approver)), Caller::User(officer("UA", &[]))] {
        let Decision::Forbidden(refusal) = authorize(&other, Action::Agree, submitted) else { panic!() };
        assert_eq!(refusal.rule, Rule::OnlyConcernedNation);
    }
    let draft = programme(&m, "GE", Lifecycle::Draft);
    let decision = authorize(&Caller::User(staff(Role::Approver)), Action::Approve, draft);
    let Decision::Forbidden(refusal) = decision else { panic!("{decision:?}") };
    assert_eq!(refusal.to_string(), "you may not approve a programme that is draft");
}

#[test]
fn nobody_edits_an_agreed_programme() {
    let m = marking("UNCLASSIFIED");
    let agreed = programme(&m, "GE", Lifecycle::Agreed);
    for caller in [Caller::User(staff(Role::Staff)), Caller::User(officer("GE", &[]))] {
        let decision = authorize(&caller, Action::Update, agreed);
        assert_eq!(
            decision,
            Decision::Forbidden(Refusal {
                rule: Rule::WrongState(Lifecycle::Agreed),
                action: Action::Update,
                target: Target::Programme
            })
        );
    }
    assert!(
        authorize(&Caller::User(officer("GE", &[])), Action::Submit, programme(&m, "GE", Lifecycle::Draft))
            .is_allowed()
    );
}

#[test]
fn making_a_record_one_could_not_read_is_refused_not_hidden() {
    let georgia = Caller::User(officer("GE", &["PFP"]));
    let m = marking("RESTRICTED MEMBERS ONLY");
    let decision = authorize(&georgia, Action::Create, document(&m, Some("GE")));
    assert!(matches!(decision, Decision::Forbidden(Refusal { rule: Rule::WouldNotSee, .. })), "{decision:?}");
}

#[test]
fn anonymous_visitors_read_the_registry_and_public_records_only() {
    let public = Marking::public();
    assert!(authorize(&Caller::Anonymous, Action::Read, Resource::Registry).is_allowed());
    assert!(authorize(&Caller::Anonymous, Action::Export, Resource::Registry).is_allowed());
    assert!(authorize(&Caller::Anonymous, Action::Read, document(&public, None)).is_allowed());
    let unclassified = marking("UNCLASSIFIED");
    assert_eq!(authorize(&Caller::Anonymous, Action::Read, document(&unclassified, None)), Decision::Hidden);
    assert_eq!(authorize(&Caller::Anonymous, Action::Create, document(&public, None)), Decision::Unauthenticated);
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

fn any_action() -> impl Strategy<Value = Action> {
    prop::sample::select(Action::ALL.to_vec())
}

fn any_kind() -> impl Strategy<Value = RecordKind> {
    prop::sample::select(vec![
        RecordKind::Document,
        RecordKind::Programme,
        RecordKind::CouncilDecision,
        RecordKind::Assessment,
    ])
}

fn any_lifecycle() -> impl Strategy<Value = Lifecycle> {
    prop::sample::select(Lifecycle::ALL.to_vec())
}

/// Releasability to a partner nation, stated independently of the implementation.
fn released_to_partner(p: &Principal, nation: NationCode, marking: &Marking) -> bool {
    match marking.releasability() {
        Releasability::All => true,
        Releasability::MembersOnly => false,
        Releasability::To { frameworks, nations } => {
            nations.contains(&nation) || frameworks.iter().any(|f| p.nation_frameworks.contains(f))
        }
    }
}

proptest! {
    #[test]
    fn nobody_reads_above_their_clearance(p in any_principal(), m in any_marking(), subject in proptest::option::of(any_nation()), kind in any_kind(), lifecycle in any_lifecycle(), action in any_action()) {
        let record = Record { kind, marking: &m, originator: &STAFF, subject, lifecycle };
        let decision = authorize(&Caller::User(p.clone()), action, Resource::Record(record));
        if m.classification() > p.clearance {
            prop_assert!(!decision.is_allowed());
        }
    }

    #[test]
    fn a_partner_officer_reads_only_what_is_released_to_her_nation_and_changes_only_what_concerns_it(
        p in any_principal(), m in any_marking(), subject in proptest::option::of(any_nation()), nation in any_nation(),
        kind in any_kind(), lifecycle in any_lifecycle(), action in any_action()
    ) {
        let p = Principal { role: Role::PartnerOfficer, affiliation: Affiliation::Nation(nation), nation_is_member: false, ..p };
        let caller = Caller::User(p.clone());
        let resource = Resource::Record(Record { kind, marking: &m, originator: &STAFF, subject, lifecycle });
        if authorize(&caller, action, resource).is_allowed() {
            prop_assert!(released_to_partner(&p, nation, &m), "{action:?} allowed on a record not released to {nation}");
            if !action.is_read() {
                prop_assert_eq!(subject, Some(nation));
                // Agreeing is hers only for a programme: it records her nation's acceptance.
                let agrees_her_programme = action == Action::Agree && kind == RecordKind::Programme;
                prop_assert!(agrees_her_programme || matches!(action, Action::Create | Action::Update | Action::Delete | Action::Submit));
            }
        }
    }

    #[test]
    fn only_approvers_approve_only_the_partner_agrees_her_programme_and_only_what_was_submitted(
        p in any_principal(), m in any_marking(), subject in proptest::option::of(any_nation()), kind in any_kind(),
        lifecycle in any_lifecycle(), agree in any::<bool>()
    ) {
        let action = if agree { Action::Agree } else { Action::Approve };
        let resource = Resource::Record(Record { kind, marking: &m, originator: &STAFF, subject, lifecycle });
        if authorize(&Caller::User(p.clone()), action, resource).is_allowed() {
            if agree && kind == RecordKind::Programme {
                // A programme's agreement is the partner's acceptance, recorded by her own
                // nation's officers only (the council's side is its recorded decision).
                prop_assert!(matches!(p.role, Role::PartnerOfficer | Role::MemberDelegate));
                prop_assert_eq!(Some(p.affiliation.clone()), subject.map(Affiliation::Nation));
            } else {
                prop_assert_eq!(p.role, Role::Approver);
            }
            prop_assert_eq!(lifecycle, Lifecycle::Submitted);
        }
    }

    #[test]
    fn agreed_and_closed_records_are_never_changed(
        p in any_principal(), m in any_marking(), subject in proptest::option::of(any_nation()), kind in any_kind(), closed in any::<bool>()
    ) {
        let lifecycle = if closed { Lifecycle::Closed } else { Lifecycle::Agreed };
        let resource = Resource::Record(Record { kind, marking: &m, originator: &STAFF, subject, lifecycle });
        for action in [Action::Update, Action::Delete, Action::Submit, Action::Create] {
            prop_assert!(!authorize(&Caller::User(p.clone()), action, resource).is_allowed());
        }
    }

    #[test]
    fn anonymous_only_reads_and_exports_public_records(m in any_marking(), subject in proptest::option::of(any_nation()), action in any_action()) {
        let decision = authorize(&Caller::Anonymous, action, document(&m, None));
        let _ = subject;
        prop_assert_eq!(decision.is_allowed(), action.is_read() && m.classification() == Classification::Public);
        if !action.is_read() {
            prop_assert_eq!(decision, Decision::Unauthenticated);
        }
    }

    #[test]
    fn the_audit_trail_is_read_only_by_fully_cleared_staff_admins_and_analysts_and_never_changed(p in any_principal(), action in any_action()) {
        let allowed = authorize(&Caller::User(p.clone()), action, Resource::AuditTrail).is_allowed();
        if allowed {
            prop_assert!(action.is_read());
            prop_assert!(matches!(p.role, Role::Admin | Role::Analyst));
            prop_assert_eq!(p.affiliation, Affiliation::AllianceStaff);
            prop_assert_eq!(p.clearance, Classification::Restricted);
        }
    }

    #[test]
    fn only_admins_administer_users(p in any_principal(), action in any_action()) {
        let allowed = authorize(&Caller::User(p.clone()), action, Resource::Users).is_allowed();
        prop_assert_eq!(allowed, p.role == Role::Admin);
    }

    #[test]
    fn every_refusal_names_its_action_and_target(p in any_principal(), m in any_marking(), kind in any_kind(), lifecycle in any_lifecycle(), action in any_action()) {
        let resource = Resource::Record(Record { kind, marking: &m, originator: &STAFF, subject: None, lifecycle });
        if let Decision::Forbidden(refusal) = authorize(&Caller::User(p), action, resource) {
            prop_assert_eq!(refusal.action, action);
            prop_assert!(refusal.to_string().contains(action.as_str()));
        }
    }
}

#[test]
fn an_approver_decides_on_pending_proposals_of_others_only() {
    let approver = Caller::User(staff(Role::Approver)); // user 2
    let others = Resource::Proposal { proposed_by: 7, state: Lifecycle::Submitted };
    let own = Resource::Proposal { proposed_by: 2, state: Lifecycle::Submitted };
    let decided = Resource::Proposal { proposed_by: 7, state: Lifecycle::Closed };
    assert_eq!(authorize(&approver, Action::Approve, others), Decision::Allow);
    let rule = |d: Decision| match d {
        Decision::Forbidden(r) => Some(r.rule),
        _ => None,
    };
    assert_eq!(rule(authorize(&approver, Action::Approve, own)), Some(Rule::OwnProposal));
    assert_eq!(rule(authorize(&approver, Action::Approve, decided)), Some(Rule::WrongState(Lifecycle::Closed)));
    let staff_member = Caller::User(staff(Role::Staff));
    assert_eq!(rule(authorize(&staff_member, Action::Approve, others)), Some(Rule::OnlyApprover));
    assert_eq!(authorize(&staff_member, Action::Create, others), Decision::Allow);
    assert_eq!(authorize(&approver, Action::Create, others), Decision::Allow, "she proposes; another decides");
    let officer = Caller::User(officer("GE", &["PFP"]));
    assert_eq!(rule(authorize(&officer, Action::Create, others)), Some(Rule::OnlyStaffOrDelegates));
    assert_eq!(rule(authorize(&officer, Action::Read, others)), Some(Rule::OnlyStaffOrDelegates), "deliberation");
    assert_eq!(authorize(&Caller::Anonymous, Action::Read, others), Decision::Unauthenticated);
    // A role is not enough: an approver or a delegate must also belong where the role does.
    let mut approver_of_a_nation = staff(Role::Approver);
    approver_of_a_nation.affiliation = Affiliation::Nation("GE".parse().unwrap());
    assert_eq!(rule(authorize(&Caller::User(approver_of_a_nation), Action::Approve, others)), Some(Rule::OnlyApprover));
    let mut delegate = self::officer("NO", &[]);
    delegate.role = Role::MemberDelegate;
    delegate.nation_is_member = true;
    assert_eq!(authorize(&Caller::User(delegate.clone()), Action::Create, others), Decision::Allow);
    delegate.nation_is_member = false;
    assert_eq!(rule(authorize(&Caller::User(delegate), Action::Create, others)), Some(Rule::OnlyStaffOrDelegates));
}
