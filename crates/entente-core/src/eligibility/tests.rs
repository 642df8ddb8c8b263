use std::collections::BTreeSet;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::marking::Marking;
use crate::menu::ActivityKind;
use crate::registry::{EndReason, Framework, Membership, Nation, Participation, Provenance, RegistryParts};
use crate::{Interval, parse_day};

fn day(text: &str) -> NaiveDate {
    parse_day(text).unwrap()
}

fn code(text: &str) -> NationCode {
    text.parse().unwrap()
}

fn interval(start: &str, end: Option<&str>) -> Interval {
    Interval::new(start.parse().unwrap(), end.map(|e| e.parse().unwrap())).unwrap()
}

fn participation(nation: &str, framework: &str, start: &str, end: Option<&str>) -> Participation {
    Participation {
        nation: code(nation),
        framework: framework.parse().unwrap(),
        interval: interval(start, end),
        end_reason: end.map(|_| EndReason::Left),
        provenance: Provenance::default(),
    }
}

fn framework(text: &str, kind: FrameworkKind) -> Framework {
    Framework {
        code: text.parse().unwrap(),
        name_en: text.into(),
        name_fr: text.into(),
        kind,
        description: String::new(),
        source: String::new(),
    }
}

/// Norway a founder; Poland a partner who became a member; Sweden and Russia in the PfP
/// (Russia suspended in 2014 but still in the EAPC); Morocco in the Mediterranean Dialogue;
/// China a dialogue country.
fn registry() -> Registry {
    let nation = |c: &str| Nation { code: code(c), name_en: c.into(), name_fr: c.into() };
    let member = |c: &str, start: &str| Membership {
        nation: code(c),
        interval: interval(start, None),
        end_reason: None,
        provenance: Provenance::default(),
    };
    Registry::new(RegistryParts {
        nations: ["NO", "PL", "SE", "RU", "MA", "CN"].into_iter().map(nation).collect(),
        organisations: vec![],
        frameworks: vec![
            framework("PFP", FrameworkKind::Partnership),
            framework("EAPC", FrameworkKind::Partnership),
            framework("MD", FrameworkKind::Partnership),
            framework("DIALOGUE", FrameworkKind::Dialogue),
        ],
        memberships: vec![member("NO", "1949-04-04"), member("PL", "1999-03-12")],
        participations: vec![
            participation("PL", "PFP", "1994-02-02", Some("1999-03-12")),
            participation("SE", "PFP", "1994-05-09", None),
            participation("RU", "PFP", "1994-06-22", Some("2014-04-01")),
            participation("RU", "EAPC", "1997-05-30", Some("2022-06-29")),
            participation("MA", "MD", "1995-02-08", None),
            participation("CN", "DIALOGUE", "2014-03-31", None),
        ],
    })
    .unwrap()
}

fn policy(code: &str, rule: PolicyRule, from: &str, to: Option<&str>) -> Policy {
    Policy {
        code: code.into(),
        rule,
        from: day(from),
        to: to.map(day),
        title_en: code.into(),
        title_fr: code.into(),
        source: String::new(),
    }
}

/// NATO's partnership policy as the reference data has it.
fn policies() -> Vec<Policy> {
    vec![
        policy("WORK_PLANS", PolicyRule::FrameworkParticipants, "1991-12-20", Some("2011-04-14")),
        policy("CASE_BY_CASE", PolicyRule::CaseByCase, "1998-01-01", None),
        policy("BERLIN", PolicyRule::AllPartners, "2011-04-15", None),
        policy("SUSPENSIONS", PolicyRule::Suspensions, "1991-12-20", None),
    ]
}

fn decision(id: i64, kind: DecisionKind, nation: &str, scope: Scope, from: &str, to: Option<&str>) -> CouncilDecision {
    CouncilDecision {
        id,
        date: day(from),
        kind,
        nations: BTreeSet::from([code(nation)]),
        scope,
        from: day(from),
        to: to.map(day),
        reference: format!("C-M({id})"),
    }
}

fn decisions() -> Vec<CouncilDecision> {
    vec![
        // Morocco let into one PfP course for three years, and once (too early) in 1996.
        decision(
            1,
            DecisionKind::Opens,
            "MA",
            Scope::Activity("PFP-COURSE".parse().unwrap()),
            "2004-01-01",
            Some("2006-12-31"),
        ),
        decision(2, DecisionKind::Opens, "MA", Scope::Menu, "1996-01-01", Some("1996-12-31")),
        decision(3, DecisionKind::Suspends, "RU", Scope::Menu, "2014-04-01", None),
    ]
}

fn activity(code: &str, open_to: OpenTo) -> Activity {
    Activity {
        code: code.parse().unwrap(),
        year: 2005,
        title_en: code.into(),
        title_fr: String::new(),
        description_en: String::new(),
        description_fr: String::new(),
        area: "DEF_REFORM".parse().unwrap(),
        kind: ActivityKind::Course,
        provider: String::new(),
        languages: vec![],
        marking: Marking::public(),
        open_to,
        default_seats: None,
    }
}

fn pfp_course() -> Activity {
    activity("PFP-COURSE", OpenTo::Frameworks(BTreeSet::from(["PFP".parse().unwrap()])))
}

fn answer(nation: &str, activity: &Activity, on: &str) -> Eligibility {
    let (registry, policies, decisions) = (registry(), policies(), decisions());
    Grounds { registry: &registry, policies: &policies, decisions: &decisions }.eligibility(
        code(nation),
        activity,
        day(on),
    )
}

fn texts(answer: &Eligibility) -> Vec<String> {
    answer.reasons.iter().map(ToString::to_string).collect()
}

#[test]
fn before_1998_a_country_outside_the_frameworks_cannot_be_let_in() {
    let morocco = answer("MA", &pfp_course(), "1996-06-01");
    assert!(!morocco.eligible);
    let reasons = texts(&morocco);
    assert!(reasons.contains(&"MA is not a PFP participant on 1996-06-01".to_owned()), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("no policy in force on 1996-06-01 lets the council")), "{reasons:?}");
    let sweden = answer("SE", &pfp_course(), "1996-06-01");
    assert!(sweden.eligible);
    assert_eq!(sweden.reasons[0].to_string(), "SE is a PFP participant on 1996-06-01");
}

#[test]
fn from_1998_a_council_decision_opens_an_activity_within_its_validity_only() {
    let inside = answer("MA", &pfp_course(), "2005-06-01");
    assert!(inside.eligible, "{:?}", texts(&inside));
    assert!(matches!(inside.reasons[0], Reason::OpenedBy { decision: 1, .. }));
    let outside = answer("MA", &pfp_course(), "2008-06-01");
    assert!(!outside.eligible);
    assert_eq!(
        texts(&outside)[..2],
        ["MA is not a PFP participant on 2008-06-01".to_owned(), "no council decision covers it".to_owned()]
    );
}

#[test]
fn after_berlin_every_partner_takes_part_in_every_partnership_activity() {
    let morocco = answer("MA", &pfp_course(), "2012-01-10");
    assert!(morocco.eligible);
    assert!(matches!(&morocco.reasons[1], Reason::Policy { code, .. } if code == "BERLIN"));
    let members_only = activity("NAC-ONLY", OpenTo::Members);
    let closed = answer("MA", &members_only, "2012-01-10");
    assert!(!closed.eligible);
    assert_eq!(closed.reasons, vec![Reason::MembersOnly]);
    // A dialogue country is no partner: only a council decision would let it in.
    let china = answer("CN", &pfp_course(), "2015-01-01");
    assert!(!china.eligible);
    assert!(texts(&china).contains(&"CN is not a partner on 2015-01-01".to_owned()), "{:?}", texts(&china));
}

#[test]
fn a_partner_that_became_a_member_takes_part_as_a_member() {
    assert!(matches!(answer("PL", &pfp_course(), "1995-01-01").reasons[0], Reason::Participant { .. }));
    assert!(!answer("PL", &activity("NAC-ONLY", OpenTo::Members), "1995-01-01").eligible);
    let member = answer("PL", &activity("NAC-ONLY", OpenTo::Members), "2000-01-01");
    assert!(member.eligible);
    assert!(matches!(member.reasons[0], Reason::Member { .. }));
}

#[test]
fn a_suspension_closes_everything_whatever_the_frameworks() {
    let open_to_all = activity("ALL", OpenTo::Partners);
    assert!(answer("RU", &open_to_all, "2010-01-01").eligible);
    let suspended = answer("RU", &open_to_all, "2015-01-01");
    assert!(!suspended.eligible, "Russia was still in the EAPC in 2015, but suspended");
    assert!(matches!(suspended.reasons[0], Reason::Suspended { decision: 3, .. }));
}

#[test]
fn before_any_policy_only_members_take_part() {
    let sweden = answer("SE", &pfp_course(), "1990-06-01");
    assert!(!sweden.eligible);
    assert!(matches!(sweden.reasons[0], Reason::NoPolicy { .. }));
    assert!(answer("NO", &pfp_course(), "1990-06-01").eligible);
}

fn open_to_strategy() -> impl Strategy<Value = OpenTo> {
    prop_oneof![
        Just(OpenTo::Members),
        Just(OpenTo::Partners),
        proptest::sample::subsequence(vec!["PFP", "EAPC", "MD", "DIALOGUE"], 1..=3)
            .prop_map(|codes| OpenTo::Frameworks(codes.into_iter().map(|c| c.parse().unwrap()).collect())),
    ]
}

proptest! {
    /// The matrix and the single answer are one judgement: they agree on every cell, and
    /// a member is never refused while no suspension concerns it.
    #[test]
    fn the_matrix_agrees_with_each_answer(
        days in 0i64..(40 * 365),
        open_to in proptest::collection::vec(open_to_strategy(), 1..6),
    ) {
        let on = day("1990-01-01") + chrono::Days::new(days as u64);
        let (registry, policies, decisions) = (registry(), policies(), decisions());
        let grounds = Grounds { registry: &registry, policies: &policies, decisions: &decisions };
        let activities: Vec<Activity> = open_to
            .into_iter()
            .enumerate()
            .map(|(i, o)| activity(if i == 0 { "PFP-COURSE" } else { "OTHER" }, o))
            .collect();
        for row in grounds.matrix(&activities, on) {
            for (i, a) in activities.iter().enumerate() {
                let single = grounds.eligibility(row.nation, a, on);
                prop_assert_eq!(row.eligible.contains(&i), single.eligible);
                prop_assert!(!single.reasons.is_empty());
                if row.standing == Standing::Member {
                    prop_assert!(single.eligible);
                }
            }
        }
    }
}
