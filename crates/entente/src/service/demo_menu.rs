//! A generated demonstration menu. The real menu's content is not public, so this makes a
//! realistic one (areas, kinds, providers, languages, audiences, events spread over the
//! year in real places and time zones) from a seed: the same seed gives the same menu.
//! Every generated activity is flagged and says in its description that it was generated.

use entente_core::{Registry, Standing, parse_day};

use super::events::EventInput;
use super::menu::ActivityInput;
use crate::store::menu::StoredArea;

/// SplitMix64: small, fast, and the same sequence on every platform.
pub(super) struct Seeded(pub(super) u64);

impl Seeded {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `items` by weight.
    fn weighted<'a, T>(&mut self, items: &'a [(u32, T)]) -> &'a T {
        let total: u32 = items.iter().map(|(w, _)| w).sum();
        let mut roll = self.below(total as usize) as u32;
        for (weight, item) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        &items[0].1
    }
}

const KINDS: [(u32, (&str, &str, &str)); 8] = [
    (30, ("course", "Course", "Cours")),
    (8, ("exercise", "Exercise", "Exercice")),
    (14, ("workshop", "Workshop", "Atelier")),
    (10, ("conference", "Conference", "Conférence")),
    (14, ("seminar", "Seminar", "Séminaire")),
    (12, ("training", "Training", "Formation")),
    (6, ("expert_team", "Expert team visit", "Visite d’une équipe d’experts")),
    (6, ("visit", "Study visit", "Visite d’étude")),
];

/// Levels: English, then French after a masculine and after a feminine kind.
const LEVELS: [(&str, &str, &str); 6] = [
    ("introductory", "d’initiation", "d’initiation"),
    ("advanced", "avancé", "avancée"),
    ("senior leaders'", "pour hauts responsables", "pour hauts responsables"),
    ("staff officers'", "pour officiers d’état-major", "pour officiers d’état-major"),
    ("regional", "régional", "régionale"),
    ("instructors'", "pour instructeurs", "pour instructeurs"),
];

/// The French kinds that are feminine.
const FEMININE: [&str; 4] = ["Conférence", "Formation", "Visite d’une équipe d’experts", "Visite d’étude"];

const PLACES: [(&str, &str); 16] = [
    ("Oberammergau", "Europe/Berlin"),
    ("Rome", "Europe/Rome"),
    ("Souda Bay", "Europe/Athens"),
    ("Brussels", "Europe/Brussels"),
    ("Tallinn", "Europe/Tallinn"),
    ("Ankara", "Europe/Istanbul"),
    ("Stavanger", "Europe/Oslo"),
    ("Bydgoszcz", "Europe/Warsaw"),
    ("Naples", "Europe/Rome"),
    ("Lisbon", "Europe/Lisbon"),
    ("Amman", "Asia/Amman"),
    ("Kuwait City", "Asia/Kuwait"),
    ("Tbilisi", "Asia/Tbilisi"),
    ("Canberra", "Australia/Sydney"),
    ("Norfolk, Virginia", "America/New_York"),
    ("Kingston, Ontario", "America/Toronto"),
];

const AUDIENCES: [(u32, &str); 7] =
    [(55, "PARTNERS"), (5, "MEMBERS"), (15, "PFP"), (8, "MD;ICI"), (5, "PATG"), (7, "PFP;MD"), (5, "ICI")];

const MARKINGS: [(u32, &str); 3] = [(80, "PUBLIC"), (15, "UNCLASSIFIED"), (5, "RESTRICTED")];

const LANGUAGES: [(u32, &str); 6] = [(50, "en"), (25, "en;fr"), (8, "en;ru"), (7, "en;ar"), (6, "en;es"), (4, "fr")];

/// The generated menu: activities and their events.
#[derive(Debug, Clone, Default)]
pub struct DemoMenu {
    /// Activities.
    pub activities: Vec<ActivityInput>,
    /// Events.
    pub events: Vec<EventInput>,
}

/// Generates `count` activities of `year` with their events, from `seed`.
pub fn generate(
    year: i32,
    count: usize,
    seed: u64,
    areas: &[StoredArea],
    bodies: &[StoredArea],
    registry: &Registry,
) -> DemoMenu {
    let mut rng = Seeded(seed);
    let Ok(mid_year) = parse_day(&format!("{year}-07-01")) else { return DemoMenu::default() };
    let mut providers: Vec<String> = registry
        .statuses_at(mid_year)
        .into_iter()
        .filter(|s| s.status == Standing::Member)
        .map(|s| s.nation.to_string())
        .collect();
    providers.extend(bodies.iter().map(|b| b.code.clone()));
    let mut menu = DemoMenu::default();
    if areas.is_empty() {
        return menu;
    }
    for i in 0..count {
        let area = rng.pick(areas);
        let (kind, kind_en, kind_fr) = *rng.weighted(&KINDS);
        let (level_en, masculine, feminine) = *rng.pick(&LEVELS);
        let feminine_kind = FEMININE.contains(&kind_fr);
        let level_fr = if feminine_kind { feminine } else { masculine };
        let devoted = if feminine_kind { "consacrée" } else { "consacré" };
        let code = format!("{}-{:04}", area.code, i + 1);
        let open_to = *rng.weighted(&AUDIENCES);
        let provider = if providers.is_empty() { String::new() } else { rng.pick(&providers).clone() };
        let seats = [12, 16, 20, 24, 30, 40, 60][rng.below(7)];
        menu.activities.push(ActivityInput {
            code: code.clone(),
            year: year.to_string(),
            title_en: format!("{} {kind_en}: {}", capitalised(level_en), area.name_en.to_lowercase()),
            title_fr: format!("{kind_fr} {level_fr}\u{a0}: {}", area.name_fr.to_lowercase()),
            description_en: format!(
                "Generated for demonstration (seed {seed}): {level_en} {} on {}, for officers and officials working on it.",
                kind_en.to_lowercase(),
                area.name_en.to_lowercase()
            ),
            description_fr: format!(
                "Activité générée pour la démonstration (graine {seed}). {kind_fr} {level_fr} {devoted} à\u{a0}: {}.",
                area.name_fr.to_lowercase()
            ),
            area: area.code.clone(),
            kind: kind.into(),
            provider,
            languages: (*rng.weighted(&LANGUAGES)).into(),
            marking: (*rng.weighted(&MARKINGS)).into(),
            open_to: open_to.into(),
            default_seats: seats.to_string(),
        });
        // Most activities run once a year, some twice, a few only on demand.
        let runs = [0, 1, 1, 1, 1, 2][rng.below(6)];
        for run in 0..runs {
            let (place, zone) = *rng.pick(&PLACES);
            let start = mid_year - chrono::Days::new(170) + chrono::Days::new(rng.below(330) as u64);
            let length = [1, 2, 3, 5, 5, 10][rng.below(6)];
            let end = start + chrono::Days::new(length - 1);
            let deadline = start - chrono::Days::new(30 + rng.below(30) as u64);
            let whole_days = kind == "expert_team" || kind == "visit";
            let (start_text, end_text) = if whole_days {
                (start.to_string(), end.to_string())
            } else {
                (format!("{start}T09:00"), format!("{end}T17:00"))
            };
            let quota = [1, 2, 2, 3][rng.below(4)].min(seats);
            menu.events.push(EventInput {
                code: format!("{code}-{}", run + 1),
                activity: code.clone(),
                start: start_text,
                end: end_text,
                time_zone: zone.into(),
                place: place.into(),
                capacity: seats.to_string(),
                quota: quota.to_string(),
                deadline: deadline.to_string(),
                status: "planned".into(),
                mode: if rng.below(2) == 0 { "first_come" } else { "at_deadline" }.into(),
            });
        }
    }
    menu
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl super::menu::MenuService {
    /// Replaces the generated activities of `year` (and their events) with a new demo
    /// menu; activities entered by people are never touched. Returns how many activities
    /// and events were stored.
    pub async fn load_demo(
        &self,
        actor: &super::accounts::Actor,
        registry: &Registry,
        year: i32,
        count: usize,
        seed: u64,
    ) -> Result<(usize, usize), super::ServiceError> {
        use crate::store::menu::AreaTable;
        actor.require(entente_core::Action::Create, super::menu::activity_record(&entente_core::Marking::public()))?;
        let mut tx = self.db.write().await?;
        let catalogue = super::menu::Catalogue {
            areas: tx.areas(AreaTable::Areas).await?,
            bodies: tx.areas(AreaTable::Bodies).await?,
        };
        let demo = generate(year, count, seed, &catalogue.areas, &catalogue.bodies, registry);
        tx.delete_generated(i64::from(year)).await?;
        // What people entered in that year's menu, and every event code, are read once: a
        // generated code that is taken is skipped.
        let entered: std::collections::HashSet<String> =
            tx.menu(i64::from(year)).await?.into_iter().map(|a| a.code).collect();
        let codes: Vec<String> = demo.events.iter().map(|e| e.code.clone()).collect();
        let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
        for chunk in codes.chunks(1000) {
            taken.extend(tx.existing_event_codes(chunk).await?);
        }
        let mut ids: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        for input in &demo.activities {
            let activity = super::menu::check_activity(input, registry, &catalogue).map_err(super::menu::invalid)?;
            if entered.contains(activity.code.as_str()) {
                continue;
            }
            let id = tx.insert_activity(&super::menu::row_of(&activity, registry, true)).await?;
            ids.insert(activity.code.to_string(), id);
        }
        let mut events = 0;
        for input in &demo.events {
            let (Some(activity_id), false) = (ids.get(&input.activity), taken.contains(&input.code)) else { continue };
            let event = input.draft().check().map_err(super::menu::invalid)?;
            tx.insert_event(&super::events::event_row(&event, *activity_id)).await?;
            events += 1;
        }
        let activities = ids.len();
        super::council::append(
            &mut tx,
            &actor.label,
            "menu.demo",
            serde_json::json!({
                "year": year, "seed": seed, "activities": activities, "events": events
            }),
        )
        .await?;
        tx.commit().await?;
        Ok((activities, events))
    }
}
