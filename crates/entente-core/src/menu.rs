//! The cooperation menu: areas, activities and who they are open to. An [`Activity`] is
//! always valid: it is built by [`ActivityDraft::check`], which names the field of every
//! fault, so a form, an API call and an import row report bad input the same way.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use crate::codes::{ActivityCode, AreaCode, FrameworkCode};
use crate::marking::Marking;

/// An area of cooperation, such as cyber defence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Area {
    /// Its code.
    pub code: AreaCode,
    /// English name.
    pub name_en: String,
    /// French name.
    pub name_fr: String,
    /// The public description it was derived from.
    pub source: String,
}

/// A bad value, with the field it was given for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct Invalid {
    /// The field, as forms, the API and import files name it.
    pub field: &'static str,
    /// What is wrong, in English.
    pub reason: String,
}

impl Invalid {
    /// A fault in `field`.
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field, reason: reason.into() }
    }
}

/// What kind of activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// A course.
    Course,
    /// An exercise.
    Exercise,
    /// A workshop.
    Workshop,
    /// A conference.
    Conference,
    /// A seminar.
    Seminar,
    /// Training.
    Training,
    /// An expert team's visit or advice.
    ExpertTeam,
    /// A visit.
    Visit,
}

impl ActivityKind {
    /// Every kind.
    pub const ALL: [ActivityKind; 8] = [
        ActivityKind::Course,
        ActivityKind::Exercise,
        ActivityKind::Workshop,
        ActivityKind::Conference,
        ActivityKind::Seminar,
        ActivityKind::Training,
        ActivityKind::ExpertTeam,
        ActivityKind::Visit,
    ];

    /// The kind's code.
    pub fn as_str(&self) -> &'static str {
        match self {
            ActivityKind::Course => "course",
            ActivityKind::Exercise => "exercise",
            ActivityKind::Workshop => "workshop",
            ActivityKind::Conference => "conference",
            ActivityKind::Seminar => "seminar",
            ActivityKind::Training => "training",
            ActivityKind::ExpertTeam => "expert_team",
            ActivityKind::Visit => "visit",
        }
    }

    /// Reads a kind's code.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Who an activity is open to. Members take part in every activity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OpenTo {
    /// The alliance's members only.
    Members,
    /// Every partner.
    Partners,
    /// The participants of these frameworks (and, by policy, others).
    Frameworks(BTreeSet<FrameworkCode>),
}

impl OpenTo {
    /// Reads `MEMBERS`, `PARTNERS` or framework codes separated by `;`, each of which must
    /// be known.
    pub fn parse(text: &str, is_framework: impl Fn(&FrameworkCode) -> bool) -> Result<Self, Invalid> {
        let text = text.trim();
        match text {
            "MEMBERS" => return Ok(OpenTo::Members),
            "PARTNERS" => return Ok(OpenTo::Partners),
            "" => return Err(Invalid::new("open_to", "give MEMBERS, PARTNERS or framework codes separated by `;`")),
            _ => {}
        }
        let mut frameworks = BTreeSet::new();
        for part in text.split(';').map(str::trim) {
            let code: FrameworkCode = part
                .parse()
                .ok()
                .filter(&is_framework)
                .ok_or_else(|| Invalid::new("open_to", format!("`{part}` is not a framework's code")))?;
            frameworks.insert(code);
        }
        Ok(OpenTo::Frameworks(frameworks))
    }
}

impl fmt::Display for OpenTo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenTo::Members => f.write_str("MEMBERS"),
            OpenTo::Partners => f.write_str("PARTNERS"),
            OpenTo::Frameworks(codes) => {
                let codes: Vec<&str> = codes.iter().map(FrameworkCode::as_str).collect();
                f.write_str(&codes.join(";"))
            }
        }
    }
}

/// An item of a year's menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Its code, the same from one year's menu to the next.
    pub code: ActivityCode,
    /// The menu's year.
    pub year: i32,
    /// English title.
    pub title_en: String,
    /// French title (may be empty).
    pub title_fr: String,
    /// English description.
    pub description_en: String,
    /// French description.
    pub description_fr: String,
    /// Its area.
    pub area: AreaCode,
    /// Course, exercise, ...
    pub kind: ActivityKind,
    /// Who provides it: a nation's, an organisation's or an alliance body's code, checked
    /// by the caller against the registry; empty when not given.
    pub provider: String,
    /// Working languages, ISO 639-1 codes.
    pub languages: Vec<String>,
    /// Its marking.
    pub marking: Marking,
    /// Who it is open to.
    pub open_to: OpenTo,
    /// Seats an event of it offers unless told otherwise.
    pub default_seats: Option<u32>,
}

/// The highest year a menu may be for, and the first (the first NACC work plan).
pub const MENU_YEARS: std::ops::RangeInclusive<i32> = 1992..=2100;

/// Checks a year's working languages: two-letter lowercase codes, at most eight.
pub fn check_languages(text: &str) -> Result<Vec<String>, Invalid> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split([';', ',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(Invalid::new("languages", format!("`{part}` is not an ISO 639-1 language code such as `en`")));
        }
        if !out.iter().any(|l| l == part) {
            out.push(part.to_owned());
        }
    }
    if out.len() > 8 {
        return Err(Invalid::new("languages", "at most eight working languages"));
    }
    Ok(out)
}

/// Checks a title or description: trimmed, no control characters, at most `max` characters.
pub fn check_text(field: &'static str, text: &str, required: bool, max: usize) -> Result<String, Invalid> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(Invalid::new(field, "required"));
    }
    if text.chars().count() > max {
        return Err(Invalid::new(field, format!("at most {max} characters")));
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Invalid::new(field, "control characters are not allowed"));
    }
    Ok(text.to_owned())
}

/// Checks a menu year.
pub fn check_year(year: i32) -> Result<i32, Invalid> {
    if MENU_YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(Invalid::new("year", format!("{year} is outside {}-{}", MENU_YEARS.start(), MENU_YEARS.end())))
    }
}

/// One field that differs between two years' versions of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field.
    pub field: &'static str,
    /// Its value in the earlier menu.
    pub before: String,
    /// Its value in the later menu.
    pub after: String,
}

/// What changed from one year's menu to another's, by activity code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MenuComparison {
    /// In the later menu only.
    pub added: Vec<ActivityCode>,
    /// In the earlier menu only.
    pub removed: Vec<ActivityCode>,
    /// In both, with the fields that differ.
    pub changed: Vec<(ActivityCode, Vec<FieldChange>)>,
}

/// Compares two menus field by field; `marking_text` writes a marking as the menu shows it.
pub fn compare(earlier: &[Activity], later: &[Activity], marking_text: impl Fn(&Marking) -> String) -> MenuComparison {
    fn by_code(menu: &[Activity]) -> std::collections::BTreeMap<ActivityCode, &Activity> {
        menu.iter().map(|a| (a.code.clone(), a)).collect()
    }
    let (before, after) = (by_code(earlier), by_code(later));
    let mut out = MenuComparison::default();
    for (code, old) in &before {
        let Some(new) = after.get(code) else {
            out.removed.push(code.clone());
            continue;
        };
        let seats = |a: &Activity| a.default_seats.map(|s| s.to_string()).unwrap_or_default();
        let fields: [(&'static str, String, String); 11] = [
            ("title_en", old.title_en.clone(), new.title_en.clone()),
            ("title_fr", old.title_fr.clone(), new.title_fr.clone()),
            ("description_en", old.description_en.clone(), new.description_en.clone()),
            ("description_fr", old.description_fr.clone(), new.description_fr.clone()),
            ("area", old.area.to_string(), new.area.to_string()),
            ("kind", old.kind.as_str().to_owned(), new.kind.as_str().to_owned()),
            ("provider", old.provider.clone(), new.provider.clone()),
            ("languages", old.languages.join(";"), new.languages.join(";")),
            ("marking", marking_text(&old.marking), marking_text(&new.marking)),
            ("open_to", old.open_to.to_string(), new.open_to.to_string()),
            ("default_seats", seats(old), seats(new)),
        ];
        let changes: Vec<FieldChange> = fields
            .into_iter()
            .filter(|(_, b, a)| b != a)
            .map(|(field, before, after)| FieldChange { field, before, after })
            .collect();
        if !changes.is_empty() {
            out.changed.push((code.clone(), changes));
        }
    }
    out.added = after.keys().filter(|code| !before.contains_key(*code)).cloned().collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(code: &FrameworkCode) -> bool {
        ["PFP", "MD", "ICI", "PATG"].contains(&code.as_str())
    }

    #[test]
    fn open_to_reads_members_partners_and_framework_lists() {
        assert_eq!(OpenTo::parse("MEMBERS", known), Ok(OpenTo::Members));
        assert_eq!(OpenTo::parse("PARTNERS", known), Ok(OpenTo::Partners));
        let Ok(list) = OpenTo::parse("PFP; MD", known) else { panic!("list") };
        assert_eq!(list.to_string(), "MD;PFP");
        let Err(bad) = OpenTo::parse("PFP;XYZ", known) else { panic!("unknown framework accepted") };
        assert_eq!(bad.field, "open_to");
        assert!(bad.reason.contains("XYZ"), "{}", bad.reason);
        assert!(OpenTo::parse("", known).is_err());
    }

    #[test]
    fn kinds_read_back_their_codes() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ActivityKind::parse("lecture"), None);
    }

    #[test]
    fn two_menus_compare_field_by_field() {
        let activity = |code: &str, title: &str, open_to: OpenTo| Activity {
            code: code.parse().unwrap(),
            year: 2025,
            title_en: title.into(),
            title_fr: String::new(),
            description_en: String::new(),
            description_fr: String::new(),
            area: "CYBER".parse().unwrap(),
            kind: ActivityKind::Course,
            provider: String::new(),
            languages: vec!["en".into()],
            marking: Marking::public(),
            open_to,
            default_seats: Some(20),
        };
        let earlier = [activity("A-1", "Cyber basics", OpenTo::Partners), activity("A-2", "Gone", OpenTo::Partners)];
        let later = [activity("A-1", "Cyber essentials", OpenTo::Members), activity("A-3", "New", OpenTo::Partners)];
        let diff = compare(&earlier, &later, |_| "PUBLIC".into());
        assert_eq!(diff.added, vec!["A-3".parse().unwrap()]);
        assert_eq!(diff.removed, vec!["A-2".parse().unwrap()]);
        let (code, fields) = &diff.changed[0];
        assert_eq!(code.as_str(), "A-1");
        let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
        assert_eq!(names, ["title_en", "open_to"]);
        assert_eq!((fields[1].before.as_str(), fields[1].after.as_str()), ("PARTNERS", "MEMBERS"));
    }

    #[test]
    fn languages_are_two_letter_codes() {
        assert_eq!(check_languages("en;fr, en"), Ok(vec!["en".to_owned(), "fr".to_owned()]));
        assert_eq!(check_languages("").map(|l| l.len()), Ok(0));
        assert_eq!(check_languages("english").map_err(|e| e.field), Err("languages"));
    }
}
