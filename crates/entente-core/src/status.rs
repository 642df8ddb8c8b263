//! Questions asked of the registry "as of" a day: a nation's status, every nation's status,
//! a framework's participants, and what changed between two days. All of them apply the
//! single in-force rule of [`crate::interval`], so their answers agree.

use chrono::NaiveDate;
use serde::Serialize;

use crate::codes::{FrameworkCode, NationCode};
use crate::interval::Bound;
use crate::registry::{EndReason, FrameworkKind, Registry};

/// What a nation is to the alliance on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// A member of the alliance.
    Member,
    /// A partner in at least one partnership framework.
    Partner,
    /// In dialogue without a formal programme.
    Dialogue,
}

impl Standing {
    /// The standing's code, as in the API.
    pub fn as_str(&self) -> &'static str {
        match self {
            Standing::Member => "member",
            Standing::Partner => "partner",
            Standing::Dialogue => "dialogue",
        }
    }
}

/// A nation's status on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NationStatus {
    /// The nation.
    pub nation: NationCode,
    /// Member, partner or dialogue country.
    pub status: Standing,
    /// The frameworks the nation takes part in that day, by code.
    pub frameworks: Vec<FrameworkCode>,
    /// False when a bound the answer rests on is imprecise, uncertain or only attested
    /// "by" a date (see [`crate::interval`]).
    pub certain: bool,
}

/// A framework's participant on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Participant {
    /// The nation.
    pub nation: NationCode,
    /// Since when, as recorded.
    pub since: Bound,
    /// Whether the answer for that day is certain.
    pub certain: bool,
}

/// What a change is about: membership of the alliance or a framework.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "framework")]
pub enum Subject {
    /// Membership of the alliance.
    Membership,
    /// Participation in a framework.
    Framework(FrameworkCode),
}

/// Whether a nation joined or left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    /// Joined or began.
    Joined,
    /// Left or ended.
    Left,
}

/// One change in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The day the change counts from under the in-force rule.
    pub day: NaiveDate,
    /// The date as recorded, with its precision.
    pub recorded: Bound,
    /// The nation.
    pub nation: NationCode,
    /// Membership or which framework.
    pub subject: Subject,
    /// Joined or left.
    pub movement: Movement,
    /// Why it ended, for a departure.
    pub reason: Option<EndReason>,
}

impl Registry {
    /// Every nation's status on `day`, by nation code; nations with no status are left out.
    pub fn statuses_at(&self, day: NaiveDate) -> Vec<NationStatus> {
        // Memberships and participations are sorted by nation, so one merge pass suffices.
        let mut out: Vec<NationStatus> = Vec::new();
        for m in self.memberships.iter().filter(|m| m.interval.contains(day)) {
            out.push(NationStatus {
                nation: m.nation,
                status: Standing::Member,
                frameworks: Vec::new(),
                certain: m.interval.is_certain_on(day),
            });
        }
        let mut partners: Vec<NationStatus> = Vec::new();
        for p in self.participations.iter().filter(|p| p.interval.contains(day)) {
            let standing = match self.frameworks.get(&p.framework).map(|f| f.kind) {
                Some(FrameworkKind::Dialogue) => Standing::Dialogue,
                _ => Standing::Partner,
            };
            let certain = p.interval.is_certain_on(day);
            match out.binary_search_by_key(&p.nation, |s| s.nation) {
                Ok(i) => push_framework(&mut out[i], &p.framework, certain, Standing::Member),
                Err(_) => match partners.last_mut() {
                    Some(last) if last.nation == p.nation => push_framework(last, &p.framework, certain, standing),
                    _ => partners.push(NationStatus {
                        nation: p.nation,
                        status: standing,
                        frameworks: vec![p.framework.clone()],
                        certain,
                    }),
                },
            }
        }
        out.extend(partners);
        out.sort_by_key(|s| s.nation);
        // An interval not in force that day may still put the answer in doubt (a day before
        // a `by` start, inside an imprecise end's period).
        let doubted: std::collections::BTreeSet<NationCode> = self.doubtful_intervals(day).collect();
        for status in &mut out {
            status.certain &= !doubted.contains(&status.nation);
        }
        out
    }

    /// The nations with an interval, in force or not on `day`, whose bounds leave the
    /// answer for `day` in doubt.
    fn doubtful_intervals(&self, day: NaiveDate) -> impl Iterator<Item = NationCode> + '_ {
        let memberships = self.memberships.iter().filter(move |m| !m.interval.is_certain_on(day)).map(|m| m.nation);
        let participations =
            self.participations.iter().filter(move |p| !p.interval.is_certain_on(day)).map(|p| p.nation);
        memberships.chain(participations)
    }

    /// Whether the registry's answer about `nation` on `day` (its status, or that it has
    /// none) is certain: no membership or participation of it has a bound that leaves
    /// that day in doubt.
    pub fn is_certain_about(&self, nation: NationCode, day: NaiveDate) -> bool {
        self.memberships.iter().filter(|m| m.nation == nation).all(|m| m.interval.is_certain_on(day))
            && self.participations.iter().filter(|p| p.nation == nation).all(|p| p.interval.is_certain_on(day))
    }

    /// One nation's status on `day`, if it has one.
    pub fn status_at(&self, nation: NationCode, day: NaiveDate) -> Option<NationStatus> {
        let member = self.memberships.iter().find(|m| m.nation == nation && m.interval.contains(day));
        let in_force: Vec<_> =
            self.participations.iter().filter(|p| p.nation == nation && p.interval.contains(day)).collect();
        let mut status = match member {
            Some(m) => NationStatus {
                nation,
                status: Standing::Member,
                frameworks: Vec::new(),
                certain: m.interval.is_certain_on(day),
            },
            None if in_force.is_empty() => return None,
            None => NationStatus { nation, status: Standing::Dialogue, frameworks: Vec::new(), certain: true },
        };
        for p in in_force {
            let standing = match self.frameworks.get(&p.framework).map(|f| f.kind) {
                Some(FrameworkKind::Dialogue) => Standing::Dialogue,
                _ => Standing::Partner,
            };
            push_framework(&mut status, &p.framework, p.interval.is_certain_on(day), standing);
        }
        status.certain &= self.is_certain_about(nation, day);
        Some(status)
    }

    /// The nations taking part in `framework` on `day`, by nation code.
    pub fn participants_at(&self, framework: &FrameworkCode, day: NaiveDate) -> Vec<Participant> {
        self.participations
            .iter()
            .filter(|p| &p.framework == framework && p.interval.contains(day))
            .map(|p| Participant {
                nation: p.nation,
                since: p.interval.start(),
                certain: p.interval.is_certain_on(day),
            })
            .collect()
    }

    /// Who joined or left what after `from` and up to and including `to`: exactly the
    /// differences between the statuses on the two days, in date order.
    pub fn changes_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<Change> {
        let within = |day: NaiveDate| from < day && day <= to;
        let mut changes = Vec::new();
        let membership_bounds =
            self.memberships.iter().map(|m| (m.nation, Subject::Membership, m.interval, m.end_reason));
        let participation_bounds = self
            .participations
            .iter()
            .map(|p| (p.nation, Subject::Framework(p.framework.clone()), p.interval, p.end_reason));
        for (nation, subject, interval, reason) in membership_bounds.chain(participation_bounds) {
            let start = interval.start();
            if within(start.day()) {
                changes.push(Change {
                    day: start.day(),
                    recorded: start,
                    nation,
                    subject: subject.clone(),
                    movement: Movement::Joined,
                    reason: None,
                });
            }
            if let Some(end) = interval.end().filter(|end| within(end.day())) {
                changes.push(Change {
                    day: end.day(),
                    recorded: end,
                    nation,
                    subject,
                    movement: Movement::Left,
                    reason,
                });
            }
        }
        changes.sort_by(|a, b| (a.day, a.nation, &a.subject).cmp(&(b.day, b.nation, &b.subject)));
        changes
    }
}

/// Adds a framework to a status; a nation in any partnership framework is a partner, one
/// only in dialogue formats is a dialogue country, and a member stays a member.
fn push_framework(status: &mut NationStatus, framework: &FrameworkCode, certain: bool, standing: Standing) {
    status.frameworks.push(framework.clone());
    status.frameworks.sort();
    status.certain &= certain;
    status.status = status.status.min(standing);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{Framework, Membership, Nation, Participation, Provenance, RegistryParts};
    use crate::{Interval, parse_day};
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn day(text: &str) -> NaiveDate {
        parse_day(text).unwrap()
    }

    fn interval(start: &str, end: Option<&str>) -> Interval {
        Interval::new(start.parse().unwrap(), end.map(|e| e.parse().unwrap())).unwrap()
    }

    fn nation(code: &str) -> Nation {
        Nation { code: code.parse().unwrap(), name_en: code.into(), name_fr: code.into() }
    }

    fn framework(code: &str, kind: FrameworkKind) -> Framework {
        Framework {
            code: code.parse().unwrap(),
            name_en: code.into(),
            name_fr: code.into(),
            kind,
            description: String::new(),
            source: String::new(),
        }
    }

    fn participation(nation: &str, fw: &str, start: &str, end: Option<&str>) -> Participation {
        Participation {
            nation: nation.parse().unwrap(),
            framework: fw.parse().unwrap(),
            interval: interval(start, end),
            end_reason: end.map(|_| EndReason::Left),
            provenance: Provenance::default(),
        }
    }

    /// A small slice of history: Sweden's path to membership, Malta's withdrawal and return,
    /// a dialogue country and an uncertain Gulf accession.
    fn sample() -> Registry {
        Registry::new(RegistryParts {
            nations: ["SE", "MT", "CN", "KW", "NO"].into_iter().map(nation).collect(),
            organisations: vec![],
            frameworks: vec![
                framework("PFP", FrameworkKind::Partnership),
                framework("EOP", FrameworkKind::Partnership),
                framework("ICI", FrameworkKind::Partnership),
                framework("DIALOGUE", FrameworkKind::Dialogue),
            ],
            memberships: vec![
                Membership {
                    nation: "NO".parse().unwrap(),
                    interval: interval("1949-04-04", None),
                    end_reason: None,
                    provenance: Provenance::default(),
                },
                Membership {
                    nation: "SE".parse().unwrap(),
                    interval: interval("2024-03-07", None),
                    end_reason: None,
                    provenance: Provenance::default(),
                },
            ],
            participations: vec![
                participation("SE", "PFP", "1994-05-09", Some("2024-03-07")),
                participation("SE", "EOP", "2014-09-05", Some("2024-03-07")),
                participation("MT", "PFP", "1995-04-26", Some("1996-10-27")),
                participation("MT", "PFP", "2008-04-03", None),
                participation("CN", "DIALOGUE", "by 2014-03-31", None),
                participation("KW", "ICI", "2004-12?", None),
            ],
        })
        .unwrap()
    }

    #[test]
    fn a_partner_becomes_a_member_on_its_accession_day() {
        let registry = sample();
        let sweden = "SE".parse().unwrap();
        let before = registry.status_at(sweden, day("2020-01-01")).unwrap();
        assert_eq!(before.status, Standing::Partner);
        assert_eq!(before.frameworks, vec!["EOP".parse().unwrap(), "PFP".parse().unwrap()]);
        let after = registry.status_at(sweden, day("2024-03-07")).unwrap();
        assert_eq!(after.status, Standing::Member);
        assert!(after.frameworks.is_empty());
    }

    #[test]
    fn a_nation_can_leave_and_rejoin() {
        let registry = sample();
        let malta = "MT".parse().unwrap();
        assert!(registry.status_at(malta, day("1996-01-01")).is_some());
        assert!(registry.status_at(malta, day("2000-01-01")).is_none());
        assert_eq!(registry.status_at(malta, day("2009-01-01")).unwrap().status, Standing::Partner);
    }

    #[test]
    fn a_day_before_a_by_start_is_in_doubt_even_without_a_status() {
        let registry = sample();
        let china: NationCode = "CN".parse().unwrap();
        assert_eq!(registry.status_at(china, day("2014-03-30")), None);
        assert!(!registry.is_certain_about(china, day("2014-03-30")), "China may already have been in dialogue");
        assert!(registry.is_certain_about(china, day("2014-04-01")));
    }

    #[test]
    fn dialogue_countries_and_uncertain_dates_are_told_apart() {
        let registry = sample();
        let china = registry.status_at("CN".parse().unwrap(), day("2020-01-01")).unwrap();
        assert_eq!(china.status, Standing::Dialogue);
        assert!(china.certain);
        assert!(registry.status_at("CN".parse().unwrap(), day("2014-03-30")).is_none());
        let kuwait = registry.status_at("KW".parse().unwrap(), day("2004-12-15")).unwrap();
        assert!(!kuwait.certain, "Kuwait's accession month is itself uncertain");
        assert!(registry.status_at("KW".parse().unwrap(), day("2010-01-01")).unwrap().certain);
    }

    #[test]
    fn changes_name_who_joined_and_left_what() {
        let registry = sample();
        let changes = registry.changes_between(day("2024-01-01"), day("2024-12-31"));
        let described: Vec<_> = changes.iter().map(|c| (c.nation.as_str(), c.subject.clone(), c.movement)).collect();
        assert_eq!(
            described,
            vec![
                ("SE", Subject::Membership, Movement::Joined),
                ("SE", Subject::Framework("EOP".parse().unwrap()), Movement::Left),
                ("SE", Subject::Framework("PFP".parse().unwrap()), Movement::Left),
            ]
        );
    }

    type Facts = BTreeSet<(NationCode, Subject)>;

    fn facts_on(registry: &Registry, on: NaiveDate) -> Facts {
        let mut facts = BTreeSet::new();
        for status in registry.statuses_at(on) {
            if status.status == Standing::Member {
                facts.insert((status.nation, Subject::Membership));
            }
            for fw in status.frameworks {
                facts.insert((status.nation, Subject::Framework(fw)));
            }
        }
        facts
    }

    proptest! {
        #[test]
        fn status_of_all_agrees_with_status_of_each(offset in 0u64..30_000) {
            let registry = sample();
            let on = day("1949-01-01") + chrono::Days::new(offset);
            let all = registry.statuses_at(on);
            let each: Vec<_> = registry.nations().filter_map(|n| registry.status_at(n.code, on)).collect();
            prop_assert_eq!(all, each);
        }

        #[test]
        fn changes_turn_one_day_into_the_other(a in 0u64..30_000, b in 0u64..30_000) {
            let registry = sample();
            let (from, to) = (day("1949-01-01") + chrono::Days::new(a.min(b)), day("1949-01-01") + chrono::Days::new(a.max(b)));
            let mut facts = facts_on(&registry, from);
            for change in registry.changes_between(from, to) {
                let fact = (change.nation, change.subject);
                match change.movement {
                    Movement::Joined => prop_assert!(facts.insert(fact)),
                    Movement::Left => prop_assert!(facts.remove(&fact)),
                }
            }
            prop_assert_eq!(facts, facts_on(&registry, to));
        }
    }
}
