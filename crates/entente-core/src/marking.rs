//! Markings: a classification and a releasability, after the structure of STANAG 4774
//! confidentiality labels (a policy's classification plus release categories).
//!
//! # Text form
//!
//! `CLASSIFICATION[ RELEASABILITY]`, where the classification is `PUBLIC`, `UNCLASSIFIED` or
//! `RESTRICTED`, and the releasability is one of:
//!
//! - nothing: releasable to all;
//! - `MEMBERS ONLY`: to the alliance's members and staff only;
//! - `REL TO A, B, ...`: to the members and staff, and to the named frameworks (their
//!   participants on the day of the question) and nations. A code is read as a framework's
//!   when such a framework exists, otherwise as a nation's ISO 3166-1 alpha-2 code; a nation
//!   whose code is also a framework's (Moldova's `MD`) is written `nation:MD`.
//!
//! `PUBLIC` is always releasable to all. Examples: `UNCLASSIFIED`, `RESTRICTED MEMBERS ONLY`,
//! `UNCLASSIFIED REL TO MD, UA`.

use std::collections::BTreeSet;
use std::fmt;

use crate::codes::{FrameworkCode, NationCode};

/// How sensitive a record is, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Classification {
    /// Published: anyone, signed in or not.
    Public,
    /// Not classified, but not for the public.
    Unclassified,
    /// The highest level the system may hold.
    Restricted,
}

impl Classification {
    /// Every level, lowest first.
    pub const ALL: [Classification; 3] =
        [Classification::Public, Classification::Unclassified, Classification::Restricted];

    /// The level's name in the text form.
    pub fn as_str(&self) -> &'static str {
        match self {
            Classification::Public => "PUBLIC",
            Classification::Unclassified => "UNCLASSIFIED",
            Classification::Restricted => "RESTRICTED",
        }
    }

    /// Reads a level's name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// To whom a record may be released.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Releasability {
    /// Anyone cleared for the classification.
    All,
    /// The alliance's members and staff only.
    MembersOnly,
    /// Members and staff, and the named frameworks' participants and nations.
    To {
        /// Frameworks whose participants may read it.
        frameworks: BTreeSet<FrameworkCode>,
        /// Nations that may read it.
        nations: BTreeSet<NationCode>,
    },
}

/// A classification with a releasability.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Marking {
    classification: Classification,
    releasability: Releasability,
}

/// Why a marking text was refused, naming the part at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkingError {
    /// The first word is not a classification.
    #[error("unknown classification `{0}`: expected PUBLIC, UNCLASSIFIED or RESTRICTED")]
    Classification(String),
    /// What follows the classification is not a releasability.
    #[error("unknown releasability `{0}`: expected nothing, `MEMBERS ONLY` or `REL TO` followed by codes")]
    Releasability(String),
    /// A code in `REL TO` is neither a framework's nor a nation's.
    #[error("unknown code `{0}` in REL TO: not a framework nor an ISO 3166-1 alpha-2 nation code")]
    Code(String),
    /// `REL TO` names nobody.
    #[error("REL TO names no framework or nation")]
    EmptyRelTo,
    /// A public record cannot be restricted in its release.
    #[error("a PUBLIC marking is releasable to all and takes no releasability")]
    PublicRestricted,
}

impl Marking {
    /// A marking; `PUBLIC` records are always releasable to all.
    pub fn new(classification: Classification, releasability: Releasability) -> Result<Self, MarkingError> {
        if classification == Classification::Public && releasability != Releasability::All {
            return Err(MarkingError::PublicRestricted);
        }
        if let Releasability::To { frameworks, nations } = &releasability
            && frameworks.is_empty()
            && nations.is_empty()
        {
            return Err(MarkingError::EmptyRelTo);
        }
        Ok(Self { classification, releasability })
    }

    /// The public marking.
    pub fn public() -> Self {
        Self { classification: Classification::Public, releasability: Releasability::All }
    }

    /// The classification.
    pub fn classification(&self) -> Classification {
        self.classification
    }

    /// The releasability.
    pub fn releasability(&self) -> &Releasability {
        &self.releasability
    }

    /// Reads the text form; `is_framework` tells which codes name frameworks.
    pub fn parse(text: &str, is_framework: impl Fn(&str) -> bool) -> Result<Self, MarkingError> {
        let text = text.trim();
        let (first, rest) = text.split_once(' ').map_or((text, ""), |(a, b)| (a, b.trim()));
        let classification =
            Classification::parse(first).ok_or_else(|| MarkingError::Classification(first.to_owned()))?;
        let releasability = if rest.is_empty() {
            Releasability::All
        } else if rest == "MEMBERS ONLY" {
            Releasability::MembersOnly
        } else if let Some(list) = rest.strip_prefix("REL TO ") {
            let mut frameworks = BTreeSet::new();
            let mut nations = BTreeSet::new();
            for code in list.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                if let Some(nation) = code.strip_prefix("nation:") {
                    nations.insert(nation.parse().map_err(|_| MarkingError::Code(code.to_owned()))?);
                } else if is_framework(code) {
                    frameworks.insert(code.parse().map_err(|_| MarkingError::Code(code.to_owned()))?);
                } else {
                    nations.insert(code.parse().map_err(|_| MarkingError::Code(code.to_owned()))?);
                }
            }
            Releasability::To { frameworks, nations }
        } else {
            return Err(MarkingError::Releasability(rest.to_owned()));
        };
        Self::new(classification, releasability)
    }

    /// The text form, writing `nation:` before a nation code that `is_framework` claims.
    pub fn to_text(&self, is_framework: impl Fn(&str) -> bool) -> String {
        let mut text = self.classification.as_str().to_owned();
        match &self.releasability {
            Releasability::All => {}
            Releasability::MembersOnly => text.push_str(" MEMBERS ONLY"),
            Releasability::To { frameworks, nations } => {
                let codes: Vec<String> = frameworks
                    .iter()
                    .map(ToString::to_string)
                    .chain(
                        nations
                            .iter()
                            .map(|n| if is_framework(n.as_str()) { format!("nation:{n}") } else { n.to_string() }),
                    )
                    .collect();
                text.push_str(" REL TO ");
                text.push_str(&codes.join(", "));
            }
        }
        text
    }
}

impl fmt::Display for Marking {
    /// The text form, for a reader; frameworks and nations are told apart by the registry
    /// when it is printed for parsing again (see [`Marking::to_text`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text(|_| false))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    fn frameworks(code: &str) -> bool {
        ["MD", "PFP", "ICI", "EAPC"].contains(&code)
    }

    #[test]
    fn reads_the_documented_examples() {
        let m = Marking::parse("UNCLASSIFIED REL TO MD, UA", frameworks).unwrap();
        assert_eq!(m.classification(), Classification::Unclassified);
        let Releasability::To { frameworks: f, nations: n } = m.releasability() else { panic!() };
        assert!(f.contains(&"MD".parse().unwrap()));
        assert!(n.contains(&"UA".parse().unwrap()));
        assert_eq!(m.to_text(frameworks), "UNCLASSIFIED REL TO MD, UA");
        assert_eq!(
            Marking::parse("RESTRICTED MEMBERS ONLY", frameworks).unwrap().to_text(frameworks),
            "RESTRICTED MEMBERS ONLY"
        );
        assert_eq!(Marking::parse("PUBLIC", frameworks).unwrap(), Marking::public());
        let moldova = Marking::parse("RESTRICTED REL TO nation:MD", frameworks).unwrap();
        assert_eq!(moldova.to_text(frameworks), "RESTRICTED REL TO nation:MD");
    }

    #[test]
    fn names_the_part_that_is_wrong() {
        assert_eq!(
            Marking::parse("SECRET", frameworks).unwrap_err().to_string(),
            "unknown classification `SECRET`: expected PUBLIC, UNCLASSIFIED or RESTRICTED"
        );
        assert_eq!(Marking::parse("RESTRICTED REL TO MD, XX", frameworks), Err(MarkingError::Code("XX".into())));
        assert_eq!(Marking::parse("RESTRICTED NOFORN", frameworks), Err(MarkingError::Releasability("NOFORN".into())));
        assert_eq!(Marking::parse("PUBLIC MEMBERS ONLY", frameworks), Err(MarkingError::PublicRestricted));
        assert_eq!(Marking::parse("RESTRICTED REL TO ", frameworks), Err(MarkingError::Releasability("REL TO".into())));
    }

    pub(crate) fn any_marking() -> impl Strategy<Value = Marking> {
        let codes = prop::sample::subsequence(vec!["MD", "PFP", "ICI"], 0..=3);
        let nations = prop::sample::subsequence(vec!["UA", "GE", "MD", "JP", "SE"], 0..=3);
        (0usize..3, 0usize..3, codes, nations).prop_filter_map("valid", |(c, r, codes, nations)| {
            let releasability = match r {
                0 => Releasability::All,
                1 => Releasability::MembersOnly,
                _ => Releasability::To {
                    frameworks: codes.iter().map(|c| c.parse().unwrap()).collect(),
                    nations: nations.iter().map(|n| n.parse().unwrap()).collect(),
                },
            };
            Marking::new(Classification::ALL[c], releasability).ok()
        })
    }

    proptest! {
        #[test]
        fn text_round_trips(marking in any_marking()) {
            let text = marking.to_text(frameworks);
            prop_assert_eq!(Marking::parse(&text, frameworks).unwrap(), marking);
        }
    }
}
