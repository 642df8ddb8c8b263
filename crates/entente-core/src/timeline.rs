//! A nation's whole history with the alliance, row by row, for pages, the API and the CLI.

use serde::Serialize;

use crate::codes::NationCode;
use crate::interval::Interval;
use crate::registry::{EndReason, Provenance, Registry};
use crate::status::Subject;

/// One interval of a nation's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    /// Membership or a framework.
    pub subject: Subject,
    /// When.
    #[serde(skip)]
    pub interval: Interval,
    /// Why it ended, if it did.
    pub end_reason: Option<EndReason>,
    /// Note and source.
    #[serde(flatten)]
    pub provenance: Provenance,
}

impl Registry {
    /// Every membership and participation of `nation`, in order of start.
    pub fn timeline(&self, nation: NationCode) -> Vec<TimelineEntry> {
        let memberships = self.memberships.iter().filter(|m| m.nation == nation).map(|m| TimelineEntry {
            subject: Subject::Membership,
            interval: m.interval,
            end_reason: m.end_reason,
            provenance: m.provenance.clone(),
        });
        let participations = self.participations.iter().filter(|p| p.nation == nation).map(|p| TimelineEntry {
            subject: Subject::Framework(p.framework.clone()),
            interval: p.interval,
            end_reason: p.end_reason,
            provenance: p.provenance.clone(),
        });
        let mut entries: Vec<TimelineEntry> = memberships.chain(participations).collect();
        entries.sort_by(|a, b| (a.interval.start_day(), &a.subject).cmp(&(b.interval.start_day(), &b.subject)));
        entries
    }
}
