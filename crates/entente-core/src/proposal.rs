//! A change to the registry proposed by staff or a member delegate, applied only once an
//! approver approves it. Applying is pure: it takes the registry as it is when the change
//! is proposed (to refuse an inconsistent proposal at once) and again when it is approved
//! (to refuse one that has become inconsistent meanwhile), and yields the new registry.

use crate::codes::{FrameworkCode, NationCode};
use crate::interval::{Bound, Interval};
use crate::registry::{EndReason, Participation, Provenance, Registry};

/// What is to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryChange {
    /// A nation begins to take part in a framework.
    Begin {
        /// The nation.
        nation: NationCode,
        /// The framework.
        framework: FrameworkCode,
        /// From when.
        start: Bound,
    },
    /// The nation's participation in the framework in force on `end` ends that day.
    End {
        /// The nation.
        nation: NationCode,
        /// The framework.
        framework: FrameworkCode,
        /// The first day it no longer takes part.
        end: Bound,
    },
    /// A nation's names change.
    Rename {
        /// The nation.
        nation: NationCode,
        /// The new English name.
        name_en: String,
        /// The new French name.
        name_fr: String,
    },
}

impl RegistryChange {
    /// The kind's code: `begin`, `end` or `rename`.
    pub fn kind(&self) -> &'static str {
        match self {
            RegistryChange::Begin { .. } => "begin",
            RegistryChange::End { .. } => "end",
            RegistryChange::Rename { .. } => "rename",
        }
    }

    /// The nation it concerns.
    pub fn nation(&self) -> NationCode {
        match self {
            RegistryChange::Begin { nation, .. }
            | RegistryChange::End { nation, .. }
            | RegistryChange::Rename { nation, .. } => *nation,
        }
    }
}

/// A change with why it is made and the public source that attests it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposed {
    /// The change.
    pub change: RegistryChange,
    /// Why (a council decision, a letter of withdrawal...).
    pub reason: String,
    /// Where the fact is published.
    pub source: String,
}

/// Why a change cannot be applied, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ChangeError {
    /// The field: `nation`, `framework`, `start`, `end`, `name_en`, `name_fr`, `reason`, `source`.
    pub field: &'static str,
    /// What is wrong, in words.
    pub reason: String,
}

fn refused(field: &'static str, reason: String) -> ChangeError {
    ChangeError { field, reason }
}

/// The registry with `proposed` applied, or why it cannot be.
pub fn apply(registry: &Registry, proposed: &Proposed) -> Result<Registry, ChangeError> {
    for (field, text) in [("reason", &proposed.reason), ("source", &proposed.source)] {
        if text.trim().is_empty() {
            return Err(refused(field, "is required".into()));
        }
    }
    let nation = proposed.change.nation();
    if registry.nation(nation).is_none() {
        return Err(refused("nation", format!("unknown nation `{nation}`")));
    }
    let mut parts = registry.to_parts();
    match &proposed.change {
        RegistryChange::Begin { framework, start, .. } => {
            known_framework(registry, framework)?;
            let interval = Interval::since(*start);
            let clash = parts
                .participations
                .iter()
                .find(|p| p.nation == nation && &p.framework == framework && p.interval.overlaps(&interval));
            if let Some(clash) = clash {
                return Err(refused(
                    "start",
                    format!("`{nation}` already takes part in `{framework}` {} from then", clash.interval.human()),
                ));
            }
            parts.participations.push(Participation {
                nation,
                framework: framework.clone(),
                interval,
                end_reason: None,
                provenance: Provenance {
                    note: proposed.reason.trim().to_owned(),
                    source: proposed.source.trim().to_owned(),
                },
            });
        }
        RegistryChange::End { framework, end, .. } => {
            known_framework(registry, framework)?;
            let day = end.day();
            let in_force = parts
                .participations
                .iter_mut()
                .find(|p| p.nation == nation && &p.framework == framework && p.interval.contains(day));
            let Some(participation) = in_force else {
                return Err(refused(
                    "end",
                    format!("`{nation}` takes part in `{framework}` on no interval in force on {day}"),
                ));
            };
            let start = participation.interval.start();
            // An end on the start day would leave a participation of no day at all.
            let ended = Interval::new(start, Some(*end)).ok().filter(|_| day > start.day());
            participation.interval = ended
                .ok_or_else(|| refused("end", format!("{end} is not after the participation's start, {start}")))?;
            participation.end_reason = Some(EndReason::Left);
            let provenance = &mut participation.provenance;
            provenance.note = join(&provenance.note, &format!("Ended: {}", proposed.reason.trim()));
            provenance.source = join(&provenance.source, proposed.source.trim());
        }
        RegistryChange::Rename { name_en, name_fr, .. } => {
            for (field, name) in [("name_en", name_en), ("name_fr", name_fr)] {
                if name.trim().is_empty() {
                    return Err(refused(field, "is required".into()));
                }
            }
            if let Some(n) = parts.nations.iter_mut().find(|n| n.code == nation) {
                n.name_en = name_en.trim().to_owned();
                n.name_fr = name_fr.trim().to_owned();
            }
        }
    }
    Registry::new(parts)
        .map_err(|errors| refused("registry", errors.into_iter().map(|e| e.reason).collect::<Vec<_>>().join("; ")))
}

fn known_framework(registry: &Registry, framework: &FrameworkCode) -> Result<(), ChangeError> {
    match registry.framework(framework) {
        Some(_) => Ok(()),
        None => Err(refused("framework", format!("unknown framework `{framework}`"))),
    }
}

fn join(before: &str, added: &str) -> String {
    if before.trim().is_empty() { added.to_owned() } else { format!("{before} {added}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{Framework, FrameworkKind, Nation, RegistryParts};

    fn registry() -> Registry {
        let nation =
            |code: &str, en: &str| Nation { code: code.parse().unwrap(), name_en: en.into(), name_fr: en.into() };
        Registry::new(RegistryParts {
            nations: vec![nation("MT", "Malta"), nation("SE", "Sweden")],
            frameworks: vec![Framework {
                code: "PFP".parse().unwrap(),
                name_en: "Partnership for Peace".into(),
                name_fr: "Partenariat pour la paix".into(),
                kind: FrameworkKind::Partnership,
                description: String::new(),
                source: String::new(),
            }],
            participations: vec![Participation {
                nation: "MT".parse().unwrap(),
                framework: "PFP".parse().unwrap(),
                interval: Interval::since("2008-04-03".parse().unwrap()),
                end_reason: None,
                provenance: Provenance::default(),
            }],
            ..RegistryParts::default()
        })
        .unwrap()
    }

    fn proposed(change: RegistryChange) -> Proposed {
        Proposed { change, reason: "Council decision".into(), source: "https://example.org".into() }
    }

    fn end(day: &str) -> RegistryChange {
        RegistryChange::End {
            nation: "MT".parse().unwrap(),
            framework: "PFP".parse().unwrap(),
            end: day.parse().unwrap(),
        }
    }

    #[test]
    fn an_end_closes_the_participation_in_force_that_day() {
        let after = apply(&registry(), &proposed(end("2027-01-01"))).unwrap();
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let pfp: FrameworkCode = "PFP".parse().unwrap();
        assert_eq!(after.participants_at(&pfp, day("2026-12-31")).len(), 1);
        assert!(after.participants_at(&pfp, day("2027-01-01")).is_empty());
    }

    #[test]
    fn inconsistent_changes_name_the_field() {
        let r = registry();
        assert_eq!(apply(&r, &proposed(end("2000-01-01"))).unwrap_err().field, "end", "not in force then");
        assert_eq!(apply(&r, &proposed(end("2008-04-03"))).unwrap_err().field, "end", "an end on the start day");
        let begin = RegistryChange::Begin {
            nation: "MT".parse().unwrap(),
            framework: "PFP".parse().unwrap(),
            start: "2020-01-01".parse().unwrap(),
        };
        assert_eq!(apply(&r, &proposed(begin)).unwrap_err().field, "start", "overlaps");
        let unknown = RegistryChange::Begin {
            nation: "MT".parse().unwrap(),
            framework: "XYZ".parse().unwrap(),
            start: "2020-01-01".parse().unwrap(),
        };
        assert_eq!(apply(&r, &proposed(unknown)).unwrap_err().field, "framework");
        let nobody = RegistryChange::Rename { nation: "FR".parse().unwrap(), name_en: "F".into(), name_fr: "F".into() };
        assert_eq!(apply(&r, &proposed(nobody)).unwrap_err().field, "nation");
        let no_source = Proposed { source: " ".into(), ..proposed(end("2027-01-01")) };
        assert_eq!(apply(&r, &no_source).unwrap_err().field, "source");
    }
}
