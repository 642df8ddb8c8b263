//! Searching the menu: full text in both languages (accents and case ignored, words as
//! prefixes), filters, ranking in SQL; then `authorize()` on each hit and, when asked,
//! "open to this nation" by the core's eligibility; then one page.

use std::collections::HashMap;

use chrono::NaiveDate;
use entente_core::eligibility::Eligibility;
use entente_core::menu::{Activity, ActivityKind};
use entente_core::{Action, Caller, Marking, NationCode, Registry, authorize, text};

use super::documents::is_framework_of;
use super::menu::{MenuService, activity_of, activity_record, audience_of, grounds, readable_classifications};
use super::{Reason, ServiceError};
use crate::store::menu::{Candidate, MenuSearch};

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
    pub async fn search(
        &self,
        caller: &Caller,
        registry: &Registry,
        query: &MenuQuery,
    ) -> Result<MenuPage, ServiceError> {
        let catalogue = self.catalogue().await?;
        if let Some(area) = query.area.as_deref().filter(|a| !catalogue.areas.iter().any(|x| x.code == *a)) {
            return Err(bad("area", Reason::Inconsistent(format!("unknown area `{area}`"))));
        }
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
        let candidates = tx.search_menu(&search).await?;
        let rules = if query.open_to.is_some() { Some(super::council::rules_in(&mut tx).await?) } else { None };
        tx.commit().await?;
        let hits = self.visible(caller, registry, candidates)?;
        let hits: Vec<(i64, Activity)> = match (&rules, query.open_to) {
            (Some(rules), Some(nation)) => {
                let grounds = grounds(registry, rules);
                let seen = grounds.standpoint(nation, query.at);
                hits.into_iter()
                    .filter(|(_, a)| grounds.judge(&seen, a, grounds.open_to_partners(a)).is_eligible())
                    .collect()
            }
            _ => hits,
        };
        let total = hits.len();
        let per_page = query.per_page.clamp(1, 200) as usize;
        let skip = (query.page.max(1) as usize - 1) * per_page;
        let page_ids: Vec<i64> = hits.iter().skip(skip).take(per_page).map(|(id, _)| *id).collect();
        let mut tx = self.db.read().await?;
        let mut rows = tx.activities_by_ids(&page_ids).await?;
        tx.commit().await?;
        rows.sort_by_key(|r| page_ids.iter().position(|id| *id == r.id));
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let activity = activity_of(row, registry)?;
            let eligibility = match (&rules, query.open_to) {
                (Some(rules), Some(nation)) => Some(grounds(registry, rules).eligibility(nation, &activity, query.at)),
                _ => None,
            };
            out.push(MenuHit { activity, eligibility });
        }
        Ok(MenuPage { hits: out, total })
    }

    /// The candidates the caller may read, as light activities (what eligibility needs).
    fn visible(
        &self,
        caller: &Caller,
        registry: &Registry,
        candidates: Vec<Candidate>,
    ) -> Result<Vec<(i64, Activity)>, ServiceError> {
        // Markings repeat across a menu: each distinct one is parsed and judged once.
        let mut judged: HashMap<String, bool> = HashMap::new();
        let mut out = Vec::with_capacity(candidates.len());
        for c in candidates {
            let allowed = match judged.get(&c.marking) {
                Some(allowed) => *allowed,
                None => {
                    let marking = Marking::parse(&c.marking, |f| is_framework_of(registry, f))
                        .map_err(|e| ServiceError::Corrupt(format!("activity {}: {e}", c.code)))?;
                    let allowed = authorize(caller, Action::Read, activity_record(&marking)).is_allowed();
                    judged.insert(c.marking.clone(), allowed);
                    allowed
                }
            };
            if !allowed {
                continue;
            }
            let activity = audience_of(&c.code, c.year, &c.area, &c.open_to, registry)?;
            out.push((c.id, activity));
        }
        Ok(out)
    }
}
