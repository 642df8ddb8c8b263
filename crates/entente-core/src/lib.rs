//! Entente's domain, free of IO: partial dates and intervals, the partnership registry and
//! the questions asked of it. Everything here is deterministic and synchronous, so it can
//! be tested exhaustively and called from the server, the CLI and benchmarks alike.

pub mod allocation;
pub mod assessment;
pub mod audit;
pub mod authz;
pub mod checkpoint;
pub mod codes;
pub mod eligibility;
pub mod event;
pub mod force_evaluation;
pub mod interval;
pub mod marking;
pub mod meeting;
pub mod menu;
pub mod operation;
pub mod partial_date;
pub mod participant_rule;
pub mod programme;
pub mod proposal;
pub mod registry;
pub mod status;
pub mod text;
pub mod timeline;

pub use authz::{
    Action, Affiliation, Caller, Decision, Lifecycle, Principal, Record, RecordKind, Refusal, Resource, Role, Rule,
    Target, authorize,
};
pub use codes::{ActivityCode, AreaCode, CodeError, EventCode, FrameworkCode, NationCode, OrganisationCode};
pub use interval::{Bound, EndBeforeStart, Interval};
pub use marking::{Classification, Marking, MarkingError, Releasability};
pub use partial_date::{DateError, DateWords, PartialDate, Precision, parse_day};
pub use registry::{
    EndReason, Framework, FrameworkKind, Membership, Nation, Organisation, Participation, Provenance, RecordRef,
    Registry, RegistryError, RegistryParts,
};
pub use status::{Change, Movement, NationStatus, Participant, Standing, Subject};
pub use timeline::TimelineEntry;
