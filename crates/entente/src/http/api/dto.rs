//! The API's JSON shapes, with their OpenAPI schemas. They are built from the core's types,
//! which stay free of any HTTP concern.

use chrono::NaiveDate;
use entente_core::{Change, Framework, Interval, Nation, NationStatus, Participant, Registry, Subject, TimelineEntry};
use serde::Serialize;
use utoipa::ToSchema;

/// A nation.
#[derive(Debug, Serialize, ToSchema)]
pub struct NationDto {
    /// ISO 3166-1 alpha-2 code.
    #[schema(example = "SE")]
    pub code: String,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
}

impl From<&Nation> for NationDto {
    fn from(n: &Nation) -> Self {
        Self { code: n.code.to_string(), name_en: n.name_en.clone(), name_fr: n.name_fr.clone() }
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// This page's number, from 1.
    pub page: usize,
    /// Items per page.
    pub per_page: usize,
    /// Items in the whole list.
    pub total: usize,
}

/// One page of a list paged by cursor (keyset): pass `next_after` as `after` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct CursorPage<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Items per page.
    pub per_page: usize,
    /// Items in the whole list (those the caller may see).
    pub total: usize,
    /// The cursor of the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_after: Option<i64>,
}

/// A framework or status.
#[derive(Debug, Serialize, ToSchema)]
pub struct FrameworkDto {
    /// Code, such as `PFP`.
    #[schema(example = "PFP")]
    pub code: String,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
    /// `partnership` or `dialogue`.
    pub kind: String,
    /// What it is.
    pub description: String,
}

impl From<&Framework> for FrameworkDto {
    fn from(f: &Framework) -> Self {
        Self {
            code: f.code.to_string(),
            name_en: f.name_en.clone(),
            name_fr: f.name_fr.clone(),
            kind: f.kind.as_str().into(),
            description: f.description.clone(),
        }
    }
}

/// A nation's status on a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusDto {
    /// ISO 3166-1 alpha-2 code.
    #[schema(example = "SE")]
    pub nation: String,
    /// English name.
    pub name_en: String,
    /// `member`, `partner` or `dialogue`.
    #[schema(example = "partner")]
    pub status: String,
    /// Framework codes in force that day.
    pub frameworks: Vec<String>,
    /// False when a date the answer rests on is imprecise, uncertain or only attested.
    pub certain: bool,
}

impl StatusDto {
    /// The status, with the nation's name from `registry`.
    pub fn new(status: &NationStatus, registry: &Registry) -> Self {
        Self {
            nation: status.nation.to_string(),
            name_en: registry.nation(status.nation).map(|n| n.name_en.clone()).unwrap_or_default(),
            status: status.status.as_str().into(),
            frameworks: status.frameworks.iter().map(ToString::to_string).collect(),
            certain: status.certain,
        }
    }
}

/// Every nation with a status on a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegistryStatusDto {
    /// The day asked about.
    pub at: NaiveDate,
    /// How many nations have a status that day.
    pub count: usize,
    /// Their statuses, by nation code.
    pub nations: Vec<StatusDto>,
}

/// A nation with its status today.
#[derive(Debug, Serialize, ToSchema)]
pub struct NationDetailDto {
    /// The nation.
    #[serde(flatten)]
    pub nation: NationDto,
    /// Its status on `at`, if it has one.
    pub status: Option<StatusDto>,
    /// Whether the answer, a status or none, is certain: false on a day before a "by DATE"
    /// start or within an imprecise bound's period.
    pub certain: bool,
    /// The day the status is for.
    pub at: NaiveDate,
}

/// One interval of a nation's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntryDto {
    /// `membership` or `framework`.
    #[schema(example = "framework")]
    pub subject: String,
    /// The framework's code, for a participation.
    pub framework: Option<String>,
    /// The start as recorded: `1995-02`, `2004-12?` or `by 2014-03-31`.
    #[schema(example = "1994-05-09")]
    pub start: String,
    /// The end as recorded, if it ended.
    pub end: Option<String>,
    /// The interval as a reader expects it: `Feb 1995 – present`.
    pub text: String,
    /// `left`, `accession`, `suspended` or `replaced`.
    pub end_reason: Option<String>,
    /// A remark.
    pub note: String,
    /// The public source.
    pub source: String,
}

impl From<&TimelineEntry> for TimelineEntryDto {
    fn from(e: &TimelineEntry) -> Self {
        let (subject, framework) = subject_parts(&e.subject);
        let (start, end, text) = interval_parts(&e.interval);
        Self {
            subject,
            framework,
            start,
            end,
            text,
            end_reason: e.end_reason.map(|r| r.as_str().into()),
            note: e.provenance.note.clone(),
            source: e.provenance.source.clone(),
        }
    }
}

fn subject_parts(subject: &Subject) -> (String, Option<String>) {
    match subject {
        Subject::Membership => ("membership".into(), None),
        Subject::Framework(code) => ("framework".into(), Some(code.to_string())),
    }
}

fn interval_parts(interval: &Interval) -> (String, Option<String>, String) {
    (interval.start().to_string(), interval.end().map(|e| e.to_string()), interval.human())
}

/// A nation's whole timeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineDto {
    /// The nation.
    pub nation: NationDto,
    /// Memberships and participations in order of start.
    pub entries: Vec<TimelineEntryDto>,
}

/// A framework's participant on a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantDto {
    /// ISO 3166-1 alpha-2 code.
    pub nation: String,
    /// English name.
    pub name_en: String,
    /// Since when, as recorded.
    pub since: String,
    /// Whether the answer for that day is certain.
    pub certain: bool,
}

impl ParticipantDto {
    /// The participant, with the nation's name from `registry`.
    pub fn new(p: &Participant, registry: &Registry) -> Self {
        Self {
            nation: p.nation.to_string(),
            name_en: registry.nation(p.nation).map(|n| n.name_en.clone()).unwrap_or_default(),
            since: p.since.to_string(),
            certain: p.certain,
        }
    }
}

/// A framework's participants on a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipantsDto {
    /// The framework.
    pub framework: FrameworkDto,
    /// The day asked about.
    pub at: NaiveDate,
    /// The participants, by nation code.
    pub participants: Vec<ParticipantDto>,
}

/// One change in the registry.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeDto {
    /// The day the change counts from.
    pub day: NaiveDate,
    /// The date as recorded, with its precision.
    pub recorded: String,
    /// ISO 3166-1 alpha-2 code.
    pub nation: String,
    /// `membership` or `framework`.
    pub subject: String,
    /// The framework's code, for a participation.
    pub framework: Option<String>,
    /// `joined` or `left`.
    pub movement: String,
    /// Why it ended, for a departure.
    pub reason: Option<String>,
}

impl From<&Change> for ChangeDto {
    fn from(c: &Change) -> Self {
        let (subject, framework) = subject_parts(&c.subject);
        Self {
            day: c.day,
            recorded: c.recorded.to_string(),
            nation: c.nation.to_string(),
            subject,
            framework,
            movement: match c.movement {
                entente_core::Movement::Joined => "joined".into(),
                entente_core::Movement::Left => "left".into(),
            },
            reason: c.reason.map(|r| r.as_str().into()),
        }
    }
}

/// What changed between two days.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangesDto {
    /// The first day (excluded).
    pub from: NaiveDate,
    /// The last day (included).
    pub to: NaiveDate,
    /// The changes in date order.
    pub changes: Vec<ChangeDto>,
}

/// A page answered with a `Link` header (`next`, `prev`: RFC 8288) whose addresses repeat
/// the request's own query with another page.
#[derive(Debug)]
pub struct Linked<P> {
    /// The address asked for, as the client sent it.
    pub uri: axum::http::Uri,
    /// The page.
    pub page: P,
}

/// The request's address with `name` set to `value` (other parameters kept as sent).
fn with_parameter(uri: &axum::http::Uri, name: &str, value: &str) -> String {
    let mut pairs: Vec<&str> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(name))
        .collect();
    let replacement = format!("{name}={value}");
    pairs.push(&replacement);
    format!("<{}?{}>", uri.path(), pairs.join("&"))
}

fn linked_json(body: impl Serialize, links: Vec<String>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = axum::Json(body).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&links.join(", "))
        && !links.is_empty()
    {
        response.headers_mut().insert(axum::http::header::LINK, value);
    }
    response
}

impl<T: Serialize> axum::response::IntoResponse for Linked<Page<T>> {
    fn into_response(self) -> axum::response::Response {
        let Linked { uri, page } = self;
        let mut links = Vec::new();
        if page.page.saturating_mul(page.per_page) < page.total {
            links.push(format!("{}; rel=\"next\"", with_parameter(&uri, "page", &(page.page + 1).to_string())));
        }
        if page.page > 1 {
            links.push(format!("{}; rel=\"prev\"", with_parameter(&uri, "page", &(page.page - 1).to_string())));
        }
        linked_json(page, links)
    }
}

impl<T: Serialize> axum::response::IntoResponse for Linked<CursorPage<T>> {
    fn into_response(self) -> axum::response::Response {
        let Linked { uri, page } = self;
        let links = page
            .next_after
            .map(|after| format!("{}; rel=\"next\"", with_parameter(&uri, "after", &after.to_string())))
            .into_iter()
            .collect();
        linked_json(page, links)
    }
}
