//! The registry: nations, organisations, frameworks, membership of the alliance and
//! participation in frameworks, each over an interval. A [`Registry`] is always valid: it
//! can only be built by [`Registry::new`], which checks every record and reports every
//! problem at once.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::codes::{FrameworkCode, NationCode, OrganisationCode};
use crate::interval::Interval;

/// A sovereign nation, with its names in English and French.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Nation {
    /// ISO 3166-1 alpha-2 code.
    pub code: NationCode,
    /// English short name.
    pub name_en: String,
    /// French short name.
    pub name_fr: String,
}

/// An international organisation the alliance works with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    /// Short code, such as `EU`.
    pub code: OrganisationCode,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
}

/// What taking part in a framework makes a nation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameworkKind {
    /// A partnership framework or status: its participants are partners.
    Partnership,
    /// Dialogue without a formal programme: its participants are dialogue countries.
    Dialogue,
}

impl FrameworkKind {
    /// The kind's code in data files.
    pub fn as_str(&self) -> &'static str {
        match self {
            FrameworkKind::Partnership => "partnership",
            FrameworkKind::Dialogue => "dialogue",
        }
    }

    /// Reads a kind's code.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "partnership" => Some(FrameworkKind::Partnership),
            "dialogue" => Some(FrameworkKind::Dialogue),
            _ => None,
        }
    }
}

/// A partnership framework or status, such as the Partnership for Peace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Framework {
    /// Code, such as `PFP`.
    pub code: FrameworkCode,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
    /// Partnership or dialogue.
    pub kind: FrameworkKind,
    /// One or two sentences on what it is.
    pub description: String,
    /// The public source of the description.
    pub source: String,
}

/// Why an interval ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The nation left or withdrew.
    Left,
    /// The nation joined the alliance, which ends its partnership.
    Accession,
    /// The participation was suspended.
    Suspended,
    /// The framework itself was replaced by another (NACC by EAPC).
    Replaced,
}

impl EndReason {
    /// Every reason.
    pub const ALL: [EndReason; 4] = [EndReason::Left, EndReason::Accession, EndReason::Suspended, EndReason::Replaced];

    /// The reason's code in data files.
    pub fn as_str(&self) -> &'static str {
        match self {
            EndReason::Left => "left",
            EndReason::Accession => "accession",
            EndReason::Suspended => "suspended",
            EndReason::Replaced => "replaced",
        }
    }

    /// Reads a reason's code.
    pub fn parse(text: &str) -> Option<Self> {
        [EndReason::Left, EndReason::Accession, EndReason::Suspended, EndReason::Replaced]
            .into_iter()
            .find(|r| r.as_str() == text)
    }
}

/// Where a fact comes from, kept with every interval.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// A remark on the record.
    pub note: String,
    /// The public source of the fact.
    pub source: String,
}

/// A nation's membership of the alliance over an interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The member nation.
    pub nation: NationCode,
    /// When it was a member.
    pub interval: Interval,
    /// Why it ended, if it did.
    pub end_reason: Option<EndReason>,
    /// Note and source.
    pub provenance: Provenance,
}

/// A nation's participation in a framework over an interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    /// The participating nation.
    pub nation: NationCode,
    /// The framework.
    pub framework: FrameworkCode,
    /// When it took part.
    pub interval: Interval,
    /// Why it ended, if it did.
    pub end_reason: Option<EndReason>,
    /// Note and source.
    pub provenance: Provenance,
}

/// Which record a validation problem is about, by its position in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordRef {
    /// The n-th nation given to [`Registry::new`].
    Nation(usize),
    /// The n-th framework.
    Framework(usize),
    /// The n-th organisation.
    Organisation(usize),
    /// The n-th membership.
    Membership(usize),
    /// The n-th participation.
    Participation(usize),
}

/// One problem found while building a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryError {
    /// The record at fault.
    pub record: RecordRef,
    /// What is wrong, in words a data editor understands.
    pub reason: String,
}

/// The records a registry is built from.
#[derive(Debug, Clone, Default)]
pub struct RegistryParts {
    /// Nations.
    pub nations: Vec<Nation>,
    /// Organisations.
    pub organisations: Vec<Organisation>,
    /// Frameworks.
    pub frameworks: Vec<Framework>,
    /// Memberships of the alliance.
    pub memberships: Vec<Membership>,
    /// Participations in frameworks.
    pub participations: Vec<Participation>,
}

/// A checked registry: every reference resolves and no two intervals of one nation in one
/// framework (or in the alliance) overlap.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub(crate) nations: BTreeMap<NationCode, Nation>,
    pub(crate) organisations: BTreeMap<OrganisationCode, Organisation>,
    pub(crate) frameworks: BTreeMap<FrameworkCode, Framework>,
    pub(crate) memberships: Vec<Membership>,
    pub(crate) participations: Vec<Participation>,
}

impl Registry {
    /// Builds a registry, or reports every problem in the records.
    pub fn new(parts: RegistryParts) -> Result<Self, Vec<RegistryError>> {
        let mut errors = Vec::new();
        let mut nations = BTreeMap::new();
        for (i, nation) in parts.nations.into_iter().enumerate() {
            let code = nation.code;
            if nations.insert(code, nation).is_some() {
                errors.push(problem(RecordRef::Nation(i), format!("nation `{code}` is listed twice")));
            }
        }
        let mut organisations = BTreeMap::new();
        for (i, organisation) in parts.organisations.into_iter().enumerate() {
            let code = organisation.code.clone();
            if organisations.insert(code.clone(), organisation).is_some() {
                errors.push(problem(RecordRef::Organisation(i), format!("organisation `{code}` is listed twice")));
            }
        }
        let mut frameworks = BTreeMap::new();
        for (i, framework) in parts.frameworks.into_iter().enumerate() {
            let code = framework.code.clone();
            if frameworks.insert(code.clone(), framework).is_some() {
                errors.push(problem(RecordRef::Framework(i), format!("framework `{code}` is listed twice")));
            }
        }
        for (i, m) in parts.memberships.iter().enumerate() {
            if !nations.contains_key(&m.nation) {
                errors.push(problem(RecordRef::Membership(i), format!("unknown nation `{}`", m.nation)));
            }
            let earlier =
                parts.memberships[..i].iter().find(|o| o.nation == m.nation && o.interval.overlaps(&m.interval));
            if let Some(other) = earlier {
                errors.push(problem(
                    RecordRef::Membership(i),
                    format!("membership of `{}` overlaps its membership {}", m.nation, other.interval.human()),
                ));
            }
        }
        for (i, p) in parts.participations.iter().enumerate() {
            if !nations.contains_key(&p.nation) {
                errors.push(problem(RecordRef::Participation(i), format!("unknown nation `{}`", p.nation)));
            }
            if !frameworks.contains_key(&p.framework) {
                errors.push(problem(RecordRef::Participation(i), format!("unknown framework `{}`", p.framework)));
            }
            let earlier = parts.participations[..i]
                .iter()
                .find(|o| o.nation == p.nation && o.framework == p.framework && o.interval.overlaps(&p.interval));
            if let Some(other) = earlier {
                errors.push(problem(
                    RecordRef::Participation(i),
                    format!(
                        "participation of `{}` in `{}` overlaps its participation {}",
                        p.nation,
                        p.framework,
                        other.interval.human()
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut memberships = parts.memberships;
        memberships.sort_by_key(|m| (m.nation, m.interval.start_day()));
        let mut participations = parts.participations;
        participations.sort_by(|a, b| {
            (a.nation, a.interval.start_day(), &a.framework).cmp(&(b.nation, b.interval.start_day(), &b.framework))
        });
        Ok(Self { nations, organisations, frameworks, memberships, participations })
    }

    /// Every nation, by code.
    pub fn nations(&self) -> impl Iterator<Item = &Nation> {
        self.nations.values()
    }

    /// One nation.
    pub fn nation(&self, code: NationCode) -> Option<&Nation> {
        self.nations.get(&code)
    }

    /// Every organisation, by code.
    pub fn organisations(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.values()
    }

    /// One organisation.
    pub fn organisation(&self, code: &OrganisationCode) -> Option<&Organisation> {
        self.organisations.get(code)
    }

    /// Every framework, by code.
    pub fn frameworks(&self) -> impl Iterator<Item = &Framework> {
        self.frameworks.values()
    }

    /// One framework.
    pub fn framework(&self, code: &FrameworkCode) -> Option<&Framework> {
        self.frameworks.get(code)
    }

    /// Every membership, by nation then start.
    pub fn memberships(&self) -> &[Membership] {
        &self.memberships
    }

    /// Every participation, by nation then start.
    pub fn participations(&self) -> &[Participation] {
        &self.participations
    }

    /// The records the registry was built from, for export.
    pub fn to_parts(&self) -> RegistryParts {
        RegistryParts {
            nations: self.nations.values().cloned().collect(),
            organisations: self.organisations.values().cloned().collect(),
            frameworks: self.frameworks.values().cloned().collect(),
            memberships: self.memberships.clone(),
            participations: self.participations.clone(),
        }
    }
}

fn problem(record: RecordRef, reason: String) -> RegistryError {
    RegistryError { record, reason }
}
