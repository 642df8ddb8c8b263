//! Searching the menu: full text in both languages (accents and case ignored, words as
//! prefixes), filters and ranking in SQL; `authorize()` and, when asked, "open to this
//! nation" by the core's eligibility, on groups of alike hits; then one page from SQL.

use std::collections::HashMap;

use chrono::NaiveDate;
use entente_core::eligibility::Eligibility;
use entente_core::menu::{Activity, ActivityKind};
use entente_core::{Action, Caller, Marking, NationCode, Registry, authorize, text};

use super::documents::is_framework_of;
use super::menu::{MenuService, activity_of, activity_record, audience_of, grounds, readable_classifications};
use super::{Reason, ServiceError};
use crate::store::menu::{AreaTable, GroupShape, Keep, MenuSearch};

/// What a user searches for.
#[derive(Debug, Clone, Default)]
pub struct MenuQuery {
    /// Words.
    pub q: String,
    /// Menu year.
    pub year: Option<i64>,
    /// Area code.
    pub area: Option<String>,
    /// Kind code.
    pub kind: Option<String>,
    /// Provider code.
    pub provider: Option<String>,
    /// `YYYY-MM`: with an event starting that month.
    pub month: Option<String>,
    /// Working language.
    pub language: Option<String>,
    /// Only activities open to this nation on `at`.
    pub open_to: Option<NationCode>,
    /// The day eligibility is judged on.
    pub at: NaiveDate,
    /// Page, from 1.
    pub page: i64,
    /// Hits per page.
    pub per_page: i64,
}

/// One hit.
#[derive(Debug, Clone)]
pub struct MenuHit {
    /// The activity.
    pub activity: Activity,
    /// Whether the nation asked about may take part, and why.
    pub eligibility: Option<Eligibility>,
}

/// A page of hits.
#[derive(Debug, Clone)]
pub struct MenuPage {
    /// The hits, best first.
    pub hits: Vec<MenuHit>,
    /// How many hits in all.
    pub total: usize,
}

fn bad(field: &str, reason: Reason) -> ServiceError {
    ServiceError::Invalid { field: field.into(), reason }
}

/// The words of a query, folded, alphanumeric only (at most eight).
pub fn words_of(q: &str) -> Vec<String> {
    text::fold(q).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(8).map(str::to_owned).collect()
}

impl MenuService {
    /// Searches the menu as `caller` may see it.
    ///
    /// The hits are grouped in SQL by what decides whether the caller may read them and,
    /// when a nation is named, whether it may take part (marking; audience, area, and the
    /// code of an activity a council decision names). Each group is judged once, by
    /// `authorize()` and the core's eligibility, and SQL then returns one page of the hits
    /// of the groups kept: nothing is judged or read twice, however large the menu.
    pub async fn search(
        &self,
        caller: &Caller,
        registry: &Registry,
        query: &MenuQuery,
    ) -> Result<MenuPage, ServiceError> {
        if let Some(kind) = query.kind.as_deref().filter(|k| ActivityKind::parse(k).is_none()) {
            return Err(bad(
                "kind",
                Reason::NotOneOf(
                    kind.into(),
                    "course, exercise, workshop, conference, seminar, training, expert_team, visit",
                ),
            ));
        }
        if let Some(month) = &query.month
            && chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_err()
        {
            return Err(bad("month", Reason::NotATime(month.clone())));
        }
        let search = MenuSearch {
            year: query.year,
            words: words_of(&query.q),
            area: query.area.clone(),
            kind: query.kind.clone(),
            provider: query.provider.clone(),
            month: query.month.clone(),
            language: query.language.clone(),
            classifications: readable_classifications(caller),
        };
        let mut tx = self.db.read().await?;
        if let Some(area) = &query.area
            && !tx.areas(AreaTable::Areas).await?.iter().any(|x| x.code == *area)
        {
            return Err(bad("area", Reason::Inconsistent(format!("unknown area `{area}`"))));
        }
        let rules = match query.open_to {
            Some(_) => Some(super::council::rules_in(&mut tx).await?),
            None => None,
        };
        let grounds = rules.as_ref().map(|rules| grounds(registry, rules));
        let seen = match (&grounds, query.open_to) {
            (Some(grounds), Some(nation)) => Some(grounds.standpoint(nation, query.at)),
            _ => None,
        };
        let pinned: Vec<String> = seen.iter().flat_map(|s| s.named_activities()).map(ToString::to_string).collect();
        let shape = if seen.is_some() { GroupShape::Audience { pinned: &pinned } } else { GroupShape::Marking };
        let groups = tx.menu_groups(&search, &shape).await?;
        let mut readable: HashMap<String, bool> = HashMap::new();
        let (mut kept, mut dropped, mut total) = (Vec::new(), Vec::new(), 0usize);
        for group in &groups {
            let mut keep = match readable.get(&group.marking) {
                Some(allowed) => *allowed,
                None => {
                    let allowed = may_read(caller, registry, &group.marking)?;
                    readable.insert(group.marking.clone(), allowed);
                    allowed
                }
            };
            if keep && let (Some(grounds), Some(seen)) = (&grounds, &seen) {
                let code = if group.code.is_empty() { unnamed_code(&pinned) } else { group.code.clone() };
                let activity = audience_of(&code, 0, &group.area, &group.open_to, registry)?;
                keep = grounds.judge(seen, &activity, grounds.open_to_partners(&activity)).is_eligible();
            }
            if keep {
                total += usize::try_from(group.hits).unwrap_or_default();
                kept.push(group.key(&shape));
            } else {
                dropped.push(group.key(&shape));
            }
        }
        // The shorter list makes the shorter query.
        let except = dropped.len() < kept.len();
        let keep = Keep { shape: shape.clone(), keys: if except { dropped } else { kept }, except };
        let per_page = query.per_page.clamp(1, 200);
        let offset = (query.page.max(1) - 1).saturating_mul(per_page);
        let rows = tx.menu_page(&search, &keep, per_page, offset).await?;
        tx.commit().await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let activity = activity_of(row, registry)?;
            let eligibility = match (&grounds, query.open_to) {
                (Some(grounds), Some(nation)) => Some(grounds.eligibility(nation, &activity, query.at)),
                _ => None,
            };
            out.push(MenuHit { activity, eligibility });
        }
        Ok(MenuPage { hits: out, total })
    }
}

/// Whether `caller` may read a record of the menu with this marking.
fn may_read(caller: &Caller, registry: &Registry, marking: &str) -> Result<bool, ServiceError> {
    let marking = Marking::parse(marking, |f| is_framework_of(registry, f))
        .map_err(|e| ServiceError::Corrupt(format!("marking `{marking}`: {e}")))?;
    Ok(authorize(caller, Action::Read, activity_record(&marking)).is_allowed())
}

/// A code no decision names, for judging a group of activities none of whose codes a
/// decision names.
fn unnamed_code(pinned: &[String]) -> String {
    (0..).map(|n| format!("UNNAMED-{n}")).find(|code| !pinned.contains(code)).unwrap_or_default()
}
