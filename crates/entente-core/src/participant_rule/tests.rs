use super::*;
use crate::registry::{
    Framework, FrameworkKind, Membership, Nation, Organisation, Participation, Provenance, RegistryParts,
};
use crate::{Interval, parse_day};
use std::collections::BTreeMap;

fn day(text: &str) -> NaiveDate {
    parse_day(text).unwrap()
}

fn interval(start: &str, end: Option<&str>) -> Interval {
    Interval::new(start.parse().unwrap(), end.map(|e| e.parse().unwrap())).unwrap()
}

/// Norway a member; Sweden a partner until it joined on 7 Mar 2024; Morocco and Israel in
/// the Mediterranean Dialogue; Kuwait in the ICI; the EU as an organisation.
fn registry() -> Registry {
    let nation = |code: &str| Nation { code: code.parse().unwrap(), name_en: code.into(), name_fr: code.into() };
    let framework = |code: &str| Framework {
        code: code.parse().unwrap(),
        name_en: code.into(),
        name_fr: code.into(),
        kind: FrameworkKind::Partnership,
        description: String::new(),
        source: String::new(),
    };
    let member = |code: &str, from: &str| Membership {
        nation: code.parse().unwrap(),
        interval: interval(from, None),
        end_reason: None,
        provenance: Provenance::default(),
    };
    let part = |code: &str, fw: &str, from: &str, to: Option<&str>| Participation {
        nation: code.parse().unwrap(),
        framework: fw.parse().unwrap(),
        interval: interval(from, to),
        end_reason: None,
        provenance: Provenance::default(),
    };
    Registry::new(RegistryParts {
        nations: ["NO", "SE", "MA", "IL", "KW", "JP"].into_iter().map(nation).collect(),
        organisations: vec![Organisation { code: "EU".parse().unwrap(), name_en: "EU".into(), name_fr: "UE".into() }],
        frameworks: vec![framework("PFP"), framework("MD"), framework("ICI")],
        memberships: vec![member("NO", "1949-04-04"), member("SE", "2024-03-07")],
        participations: vec![
            part("SE", "PFP", "1994-05-09", Some("2024-03-07")),
            part("MA", "MD", "1995-02-08", None),
            part("IL", "MD", "1995-02-08", None),
            part("KW", "ICI", "2004-12-12", None),
        ],
    })
    .unwrap()
}

/// Japan contributed to ISAF from 2003 to 2014.
struct Isaf(BTreeMap<&'static str, (NationCode, Interval)>);

impl Operations for Isaf {
    fn exists(&self, code: &str) -> bool {
        self.0.contains_key(code)
    }
    fn contributors(&self, code: &str, day: NaiveDate) -> BTreeSet<NationCode> {
        self.0.get(code).filter(|(_, period)| period.contains(day)).map(|(n, _)| *n).into_iter().collect()
    }
}

fn operations() -> Isaf {
    Isaf(BTreeMap::from([("ISAF", ("JP".parse().unwrap(), interval("2003-08-11", Some("2014-12-28"))))]))
}

fn resolve(rule: &str, on: &str) -> Vec<String> {
    let rule = Rule::parse(rule).unwrap();
    rule.check(&registry(), &operations()).unwrap();
    rule.resolve(&registry(), &operations(), day(on)).iter().map(|p| p.code().to_owned()).collect()
}

fn error(rule: &str) -> (usize, Problem) {
    let e = Rule::parse(rule).and_then(|r| r.check(&registry(), &operations()).map(|()| r)).unwrap_err();
    (e.position, e.problem)
}

#[test]
fn nato_plus_seven_is_the_members_and_the_dialogue() {
    assert_eq!(resolve("members + framework:MD", "2020-01-01"), ["IL", "MA", "NO"]);
}

#[test]
fn a_nation_that_joins_the_alliance_moves_from_the_partners_to_the_members() {
    assert_eq!(resolve("members", "2023-06-01"), ["NO"]);
    assert_eq!(resolve("partners", "2023-06-01"), ["IL", "KW", "MA", "SE"]);
    assert_eq!(resolve("members", "2024-06-01"), ["NO", "SE"]);
    assert_eq!(resolve("partners", "2024-06-01"), ["IL", "KW", "MA"]);
}

#[test]
fn operators_bind_as_documented() {
    assert_eq!(resolve("members + framework:MD - nation:IL", "2020-01-01"), ["MA", "NO"]);
    assert_eq!(resolve("members + (framework:MD - nation:IL)", "2020-01-01"), ["MA", "NO"]);
    assert_eq!(resolve("partners & framework:MD + nation:JP", "2020-01-01"), ["IL", "JP", "MA"]);
    assert_eq!(resolve("partners & (framework:MD + nation:JP)", "2020-01-01"), ["IL", "MA"]);
    assert_eq!(resolve("nation:NO - nation:NO", "2020-01-01"), Vec::<String>::new());
}

#[test]
fn organisations_and_operations_resolve_on_the_day() {
    assert_eq!(resolve("members + operation:ISAF + org:EU", "2010-01-01"), ["EU", "JP", "NO"]);
    assert_eq!(resolve("members + operation:ISAF + org:EU", "2016-01-01"), ["EU", "NO"]);
}

#[test]
fn keywords_and_codes_may_be_written_in_any_case() {
    assert_eq!(resolve("Members + FRAMEWORK:md", "2020-01-01"), ["IL", "MA", "NO"]);
}

#[test]
fn parse_errors_name_the_position() {
    assert_eq!(error(""), (1, Problem::Empty));
    assert_eq!(error("members +"), (10, Problem::ExpectedTerm("the end of the rule".into())));
    assert_eq!(error("members ++ partners"), (10, Problem::ExpectedTerm("`+`".into())));
    assert_eq!(error("members partners"), (9, Problem::ExpectedOperator("`partners`".into())));
    assert_eq!(error("(members + partners"), (1, Problem::Unclosed));
    assert_eq!(error("members + frameworks:MD"), (11, Problem::UnknownTerm("frameworks:MD".into())));
    assert_eq!(error("members + nation:XX"), (11, Problem::BadCode("XX".into())));
    assert_eq!(error("members)"), (8, Problem::ExpectedOperator("`)`".into())));
}

#[test]
fn unknown_codes_are_named_with_their_position() {
    assert_eq!(error("members + framework:XYZ"), (11, Problem::UnknownFramework("XYZ".into())));
    assert_eq!(error("members + operation:NOPE"), (11, Problem::UnknownOperation("NOPE".into())));
    assert_eq!(error("nation:FR"), (1, Problem::UnknownNation("FR".into())));
    assert_eq!(error("members & org:UN"), (11, Problem::UnknownOrganisation("UN".into())));
}

#[test]
fn a_dash_inside_an_operation_code_is_part_of_the_code() {
    let rule = Rule::parse("members + operation:NTM-I - nation:NO").unwrap();
    assert_eq!(rule.to_string(), "members + operation:NTM-I - nation:NO");
    assert_eq!(
        Rule::parse("members - (partners + nation:JP)").unwrap().to_string(),
        "members - (partners + nation:JP)"
    );
    assert_eq!(Rule::parse("(members & partners) + nation:JP").unwrap().to_string(), "members & partners + nation:JP");
}

#[test]
fn a_rule_reads_back_to_itself() {
    for text in ["members + framework:MD", "partners & (framework:MD + nation:JP) - org:EU", "members"] {
        let rule = Rule::parse(text).unwrap();
        let again = Rule::parse(&rule.to_string()).unwrap();
        assert_eq!(
            rule.resolve(&registry(), &operations(), day("2020-01-01")),
            again.resolve(&registry(), &operations(), day("2020-01-01"))
        );
    }
}
