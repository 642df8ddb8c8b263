//! The menu's activities: checked as typed (every fault names its field), created and
//! edited by the alliance's staff, read by whoever `authorize()` lets read their marking,
//! compared year by year, and asked who may take part.

use entente_core::eligibility::{Eligibility, Grounds};
use entente_core::menu::{
    Activity, ActivityKind, Invalid, MenuComparison, OpenTo, check_languages, check_text, check_year,
};
use entente_core::{
    Action, Affiliation, Caller, Classification, Lifecycle, Marking, NationCode, Record, RecordKind, Registry,
    Resource, authorize, text,
};
use serde_json::json;

use super::accounts::Actor;
use super::council::{Rules, append, rules_in};
use super::documents::is_framework_of;
use super::{Db, Reason, ServiceError};
use crate::store::menu::{ActivityRow, AreaTable, StoredActivity, StoredArea};

/// An activity as typed in a form, an API body or an import row.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActivityInput {
    /// Code.
    pub code: String,
    /// Menu year.
    pub year: String,
    /// English title.
    pub title_en: String,
    /// French title.
    pub title_fr: String,
    /// English description.
    pub description_en: String,
    /// French description.
    pub description_fr: String,
    /// Area code.
    pub area: String,
    /// Kind code.
    pub kind: String,
    /// A nation's, an organisation's or an alliance body's code.
    pub provider: String,
    /// ISO 639-1 codes separated by `;`.
    pub languages: String,
    /// Marking (empty: `UNCLASSIFIED`).
    pub marking: String,
    /// `MEMBERS`, `PARTNERS` or framework codes separated by `;`.
    pub open_to: String,
    /// Default seats.
    pub default_seats: String,
}

/// The coded lists an activity is checked against.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Areas.
    pub areas: Vec<StoredArea>,
    /// Alliance bodies.
    pub bodies: Vec<StoredArea>,
}

/// The record `authorize()` judges for an activity (and its events).
pub fn activity_record(marking: &Marking) -> Resource<'_> {
    Resource::Record(Record {
        kind: RecordKind::Activity,
        marking,
        originator: &Affiliation::AllianceStaff,
        subject: None,
        lifecycle: Lifecycle::Unmanaged,
    })
}

pub(super) fn invalid(e: Invalid) -> ServiceError {
    ServiceError::Invalid { field: e.field.to_owned(), reason: Reason::Inconsistent(e.reason) }
}

/// Checks an activity as typed; the first fault names its field.
pub fn check_activity(input: &ActivityInput, registry: &Registry, catalogue: &Catalogue) -> Result<Activity, Invalid> {
    let code = input.code.trim().parse().map_err(|e: entente_core::CodeError| Invalid::new("code", e.to_string()))?;
    let year = input
        .year
        .trim()
        .parse::<i32>()
        .map_err(|_| Invalid::new("year", format!("`{}` is not a year", input.year.trim())))
        .and_then(check_year)?;
    let area_text = input.area.trim();
    let area = area_text
        .parse()
        .ok()
        .filter(|_| catalogue.areas.iter().any(|a| a.code == area_text))
        .ok_or_else(|| Invalid::new("area", format!("unknown area `{area_text}`")))?;
    let kind = ActivityKind::parse(input.kind.trim()).ok_or_else(|| {
        Invalid::new("kind", format!("unknown kind `{}`: give course, exercise, workshop, conference, seminar, training, expert_team or visit", input.kind.trim()))
    })?;
    let provider = input.provider.trim().to_owned();
    if !provider.is_empty() && !is_provider(registry, catalogue, &provider) {
        return Err(Invalid::new(
            "provider",
            format!("unknown provider `{provider}`: give a nation's, an organisation's or an alliance body's code"),
        ));
    }
    let marking = match input.marking.trim() {
        "" => Marking::new(Classification::Unclassified, entente_core::Releasability::All)
            .map_err(|e| Invalid::new("marking", e.to_string()))?,
        text => Marking::parse(text, |c| is_framework_of(registry, c))
            .map_err(|e| Invalid::new("marking", e.to_string()))?,
    };
    let open_to = OpenTo::parse(&input.open_to, |c| registry.framework(c).is_some())?;
    let default_seats = match input.default_seats.trim() {
        "" => None,
        text => Some(text.parse::<u32>().ok().filter(|n| *n <= 10_000).ok_or_else(|| {
            Invalid::new("default_seats", format!("`{text}` is not a number of seats from 0 to 10000"))
        })?),
    };
    Ok(Activity {
        code,
        year,
        title_en: check_text("title_en", &input.title_en, true, 300)?,
        title_fr: check_text("title_fr", &input.title_fr, false, 300)?,
        description_en: check_text("description_en", &input.description_en, false, 4000)?,
        description_fr: check_text("description_fr", &input.description_fr, false, 4000)?,
        area,
        kind,
        provider,
        languages: check_languages(&input.languages)?,
        marking,
        open_to,
        default_seats,
    })
}

fn is_provider(registry: &Registry, catalogue: &Catalogue, code: &str) -> bool {
    code.parse::<NationCode>().is_ok_and(|n| registry.nation(n).is_some())
        || registry.organisations().any(|o| o.code.as_str() == code)
        || catalogue.bodies.iter().any(|b| b.code == code)
}

/// The row that stores `activity`.
pub fn row_of(activity: &Activity, registry: &Registry, generated: bool) -> ActivityRow {
    let search = [&activity.title_en, &activity.title_fr, &activity.description_en, &activity.description_fr]
        .map(|t| t.as_str())
        .join(" ");
    ActivityRow {
        code: activity.code.to_string(),
        year: i64::from(activity.year),
        title_en: activity.title_en.clone(),
        title_fr: activity.title_fr.clone(),
        description_en: activity.description_en.clone(),
        description_fr: activity.description_fr.clone(),
        area: activity.area.to_string(),
        kind: activity.kind.as_str().into(),
        provider: activity.provider.clone(),
        languages: activity.languages.join(";"),
        classification: activity.marking.classification().as_str().into(),
        marking: activity.marking.to_text(|c| is_framework_of(registry, c)),
        open_to: activity.open_to.to_string(),
        default_seats: activity.default_seats.map(i64::from),
        search_text: text::fold(&search),
        generated,
    }
}

/// The input that would make `row` again (for edit forms and exports).
pub fn input_of(row: &StoredActivity) -> ActivityInput {
    ActivityInput {
        code: row.code.clone(),
        year: row.year.to_string(),
        title_en: row.title_en.clone(),
        title_fr: row.title_fr.clone(),
        description_en: row.description_en.clone(),
        description_fr: row.description_fr.clone(),
        area: row.area.clone(),
        kind: row.kind.clone(),
        provider: row.provider.clone(),
        languages: row.languages.clone(),
        marking: row.marking.clone(),
        open_to: row.open_to.clone(),
        default_seats: row.default_seats.map(|s| s.to_string()).unwrap_or_default(),
    }
}

/// The core's activity from its row (the row was checked when stored).
pub fn activity_of(row: &StoredActivity, registry: &Registry) -> Result<Activity, ServiceError> {
    let corrupt = |e: Invalid| ServiceError::Corrupt(format!("activity {} {}: {e}", row.year, row.code));
    let marking = Marking::parse(&row.marking, |c| is_framework_of(registry, c))
        .map_err(|e| ServiceError::Corrupt(format!("activity {}: {e}", row.code)))?;
    Ok(Activity {
        code: row.code.parse().map_err(|e: entente_core::CodeError| corrupt(Invalid::new("code", e.to_string())))?,
        year: row.year as i32,
        title_en: row.title_en.clone(),
        title_fr: row.title_fr.clone(),
        description_en: row.description_en.clone(),
        description_fr: row.description_fr.clone(),
        area: row.area.parse().map_err(|e: entente_core::CodeError| corrupt(Invalid::new("area", e.to_string())))?,
        kind: ActivityKind::parse(&row.kind).ok_or_else(|| corrupt(Invalid::new("kind", row.kind.clone())))?,
        provider: row.provider.clone(),
        languages: row.languages.split(';').filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        marking,
        open_to: OpenTo::parse(&row.open_to, |c| registry.framework(c).is_some()).map_err(corrupt)?,
        default_seats: row.default_seats.map(|s| s as u32),
    })
}

/// The nation with `code` (any case), or a refusal naming `field`: for values typed into a
/// form, a query or a command, where an unknown code is bad input rather than a missing page.
pub fn nation_field(registry: &Registry, field: &str, code: &str) -> Result<NationCode, ServiceError> {
    super::registry::find_nation(registry, code.trim()).map(|n| n.code).map_err(|_| ServiceError::Invalid {
        field: field.into(),
        reason: Reason::UnknownNation(code.trim().to_ascii_uppercase()),
    })
}

/// An activity with only what eligibility looks at (code, year, area, audience), for
/// judging search hits and events without reading every activity's texts.
pub fn audience_of(
    code: &str,
    year: i64,
    area: &str,
    open_to: &str,
    registry: &Registry,
) -> Result<Activity, ServiceError> {
    let corrupt = |what: &str| ServiceError::Corrupt(format!("activity {code}: {what}"));
    Ok(Activity {
        code: code.parse().map_err(|_| corrupt("code"))?,
        year: year as i32,
        title_en: String::new(),
        title_fr: String::new(),
        description_en: String::new(),
        description_fr: String::new(),
        area: area.parse().map_err(|_| corrupt("area"))?,
        kind: ActivityKind::Course,
        provider: String::new(),
        languages: Vec::new(),
        marking: Marking::public(),
        open_to: OpenTo::parse(open_to, |f| registry.framework(f).is_some()).map_err(|_| corrupt("open_to"))?,
        default_seats: None,
    })
}

/// The classifications `caller` may read, lowest first.
pub fn readable_classifications(caller: &Caller) -> Vec<String> {
    let clearance = match caller {
        Caller::Anonymous => Classification::Public,
        Caller::User(p) => p.clearance,
    };
    Classification::ALL.iter().filter(|c| **c <= clearance).map(|c| c.as_str().to_owned()).collect()
}

/// One nation's row of a menu's eligibility matrix.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MatrixEntry {
    /// The nation.
    pub nation: String,
    /// Its standing that day.
    pub status: String,
    /// How many activities it may take part in.
    pub eligible_count: usize,
    /// Their codes.
    pub eligible: Vec<String>,
}

/// The menu's activities.
#[derive(Debug, Clone)]
pub struct MenuService {
    pub(super) db: Db,
}

impl MenuService {
    /// A service over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The areas and alliance bodies.
    pub async fn catalogue(&self) -> Result<Catalogue, ServiceError> {
        let mut tx = self.db.read().await?;
        let catalogue =
            Catalogue { areas: tx.areas(AreaTable::Areas).await?, bodies: tx.areas(AreaTable::Bodies).await? };
        tx.commit().await?;
        Ok(catalogue)
    }

    /// Whether the caller may create activities at all.
    pub fn may_edit(&self, caller: &Caller) -> bool {
        authorize(caller, Action::Create, activity_record(&Marking::public())).is_allowed()
    }

    /// Whether the caller may edit a record of the menu (an activity or its events) so
    /// marked: the pages offer the edit forms to those who may.
    pub fn may_change(&self, caller: &Caller, marking: &Marking) -> bool {
        authorize(caller, Action::Update, activity_record(marking)).is_allowed()
    }

    /// Refuses unless the actor may add activities to a menu (the new-activity form asks).
    pub fn check_editor(&self, actor: &Actor) -> Result<(), ServiceError> {
        actor.require(Action::Create, activity_record(&Marking::public()))
    }

    /// An activity the actor may edit (the edit form asks); hidden ones are not found.
    pub async fn editable(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        year: Option<i64>,
    ) -> Result<StoredActivity, ServiceError> {
        let (row, activity) = self.get(&actor.caller, registry, code, year).await?;
        actor.require(Action::Update, activity_record(&activity.marking))?;
        Ok(row)
    }

    /// One activity (of `year`, or of the latest menu holding it), if the caller may read it.
    pub async fn get(
        &self,
        caller: &Caller,
        registry: &Registry,
        code: &str,
        year: Option<i64>,
    ) -> Result<(StoredActivity, Activity), ServiceError> {
        let not_found = || ServiceError::NotFound { kind: "activity", code: code.to_owned() };
        let row = self.db.read().await?.activity(code, year).await?.ok_or_else(not_found)?;
        let activity = activity_of(&row, registry)?;
        if !authorize(caller, Action::Read, activity_record(&activity.marking)).is_allowed() {
            return Err(not_found());
        }
        Ok((row, activity))
    }

    /// Creates an activity; a code already in that year's menu is a conflict.
    pub async fn create(
        &self,
        actor: &Actor,
        registry: &Registry,
        input: &ActivityInput,
    ) -> Result<Activity, ServiceError> {
        actor.require(Action::Create, activity_record(&Marking::public()))?;
        let mut tx = self.db.write().await?;
        let catalogue =
            Catalogue { areas: tx.areas(AreaTable::Areas).await?, bodies: tx.areas(AreaTable::Bodies).await? };
        let activity = check_activity(input, registry, &catalogue).map_err(invalid)?;
        actor.require(Action::Create, activity_record(&activity.marking))?;
        if tx.activity(activity.code.as_str(), Some(i64::from(activity.year))).await?.is_some() {
            return Err(ServiceError::Conflict(Reason::Inconsistent(format!(
                "the {} menu already has an activity {}",
                activity.year, activity.code
            ))));
        }
        let row = row_of(&activity, registry, false);
        let id = tx.insert_activity(&row).await?;
        append(&mut tx, &actor.label, "activity.create", json!({ "id": id, "after": input_of_row(&row) })).await?;
        tx.commit().await?;
        Ok(activity)
    }

    /// Edits an activity of a year's menu (its code and year stay).
    pub async fn update(
        &self,
        actor: &Actor,
        registry: &Registry,
        code: &str,
        year: i64,
        input: &ActivityInput,
    ) -> Result<Activity, ServiceError> {
        let mut tx = self.db.write().await?;
        let not_found = || ServiceError::NotFound { kind: "activity", code: code.to_owned() };
        let before = tx.activity(code, Some(year)).await?.ok_or_else(not_found)?;
        let old = activity_of(&before, registry)?;
        actor.require(Action::Update, activity_record(&old.marking))?;
        let catalogue =
            Catalogue { areas: tx.areas(AreaTable::Areas).await?, bodies: tx.areas(AreaTable::Bodies).await? };
        let input = ActivityInput { code: before.code.clone(), year: before.year.to_string(), ..input.clone() };
        let activity = check_activity(&input, registry, &catalogue).map_err(invalid)?;
        actor.require(Action::Update, activity_record(&activity.marking))?;
        let row = row_of(&activity, registry, before.generated);
        tx.update_activity(before.id, &row).await?;
        append(
            &mut tx,
            &actor.label,
            "activity.update",
            json!({
                "id": before.id, "before": input_of(&before), "after": input_of_row(&row)
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(activity)
    }

    /// The activities of `year` the caller may read, by code.
    pub async fn menu(&self, caller: &Caller, registry: &Registry, year: i64) -> Result<Vec<Activity>, ServiceError> {
        let rows = self.db.read().await?.menu(year).await?;
        readable(caller, registry, &rows)
    }

    /// The years with a menu and their sizes (counting every activity, marked or not: the
    /// size of a menu is not itself sensitive).
    pub async fn years(&self) -> Result<Vec<(i64, i64)>, ServiceError> {
        Ok(self.db.read().await?.menu_years().await?)
    }

    /// Compares the activities the caller may read in two years' menus.
    pub async fn compare(
        &self,
        caller: &Caller,
        registry: &Registry,
        earlier: i64,
        later: i64,
    ) -> Result<MenuComparison, ServiceError> {
        let mut tx = self.db.read().await?;
        let (a, b) = (tx.menu(earlier).await?, tx.menu(later).await?);
        tx.commit().await?;
        let (a, b) = (readable(caller, registry, &a)?, readable(caller, registry, &b)?);
        Ok(entente_core::menu::compare(&a, &b, |m| m.to_text(|c| is_framework_of(registry, c))))
    }

    /// Whether `nation` may take part in the activity on `day`, and why.
    pub async fn eligibility(
        &self,
        caller: &Caller,
        registry: &Registry,
        code: &str,
        year: Option<i64>,
        nation: NationCode,
        day: chrono::NaiveDate,
    ) -> Result<(Activity, Eligibility), ServiceError> {
        let (_, activity) = self.get(caller, registry, code, year).await?;
        let rules = self.rules().await?;
        let answer = grounds(registry, &rules).eligibility(nation, &activity, day);
        Ok((activity, answer))
    }

    /// For every nation with a status on `day`, the activities of `year` (those the caller
    /// may read) it may take part in; and how many activities the caller may read.
    pub async fn matrix(
        &self,
        caller: &Caller,
        registry: &Registry,
        year: i64,
        day: chrono::NaiveDate,
    ) -> Result<(usize, Vec<MatrixEntry>), ServiceError> {
        let mut tx = self.db.read().await?;
        let rows = tx.menu(year).await?;
        let rules = rules_in(&mut tx).await?;
        tx.commit().await?;
        let activities = readable(caller, registry, &rows)?;
        let entries = grounds(registry, &rules)
            .matrix(&activities, day)
            .into_iter()
            .map(|row| MatrixEntry {
                nation: row.nation.to_string(),
                status: row.standing.as_str().into(),
                eligible_count: row.eligible.len(),
                eligible: row.eligible.iter().map(|i| activities[*i].code.to_string()).collect(),
            })
            .collect();
        Ok((activities.len(), entries))
    }

    /// The policies and decisions.
    pub async fn rules(&self) -> Result<Rules, ServiceError> {
        let mut tx = self.db.read().await?;
        let rules = rules_in(&mut tx).await?;
        tx.commit().await?;
        Ok(rules)
    }
}

/// The grounds of eligibility over `registry` and `rules`.
pub fn grounds<'a>(registry: &'a Registry, rules: &'a Rules) -> Grounds<'a> {
    Grounds { registry, policies: &rules.policies, decisions: &rules.decisions }
}

/// The activities among `rows` the caller may read.
pub fn readable(caller: &Caller, registry: &Registry, rows: &[StoredActivity]) -> Result<Vec<Activity>, ServiceError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let activity = activity_of(row, registry)?;
        if authorize(caller, Action::Read, activity_record(&activity.marking)).is_allowed() {
            out.push(activity);
        }
    }
    Ok(out)
}

fn input_of_row(row: &ActivityRow) -> serde_json::Value {
    json!({
        "code": row.code, "year": row.year, "title_en": row.title_en, "title_fr": row.title_fr,
        "area": row.area, "kind": row.kind, "provider": row.provider, "languages": row.languages,
        "marking": row.marking, "open_to": row.open_to, "default_seats": row.default_seats,
    })
}
