//! The world map of the partnerships on a day: each country's shape (Natural Earth's, via
//! the npm package `world-atlas`, converted once by `scripts/world_map.py` into
//! `data/world_map.csv`) coloured by what the registry says the nation was that day, a
//! member, a partner (by its first framework) or a dialogue country, and linked to its
//! nation page. Readable without JavaScript: every shape has its title, and the picture a
//! description; the page beside it lists the nations as text.

use std::fmt::Write;
use std::sync::OnceLock;

use chrono::NaiveDate;
use entente_core::{Framework, FrameworkKind, NationStatus, Registry, Standing};

use super::svg::escape;
use crate::http::i18n::Lang;

const WORLD: &str = include_str!("../../../../../data/world_map.csv");

/// Partners' colours, one per framework in the registry's order (each passes 3:1 on the
/// sea's pale blue); members and dialogue countries have their own.
const FRAMEWORK_COLOURS: [&str; 8] =
    ["#2e7d32", "#00796b", "#6a1b9a", "#ad1457", "#ef6c00", "#5d4037", "#827717", "#1565c0"];
const MEMBER: &str = "#0b3d91";
const DIALOGUE: &str = "#b8860b";
const NONE: &str = "#d7dbe0";

struct Shape {
    code: String,
    name: String,
    path: String,
}

fn shapes() -> &'static [Shape] {
    static SHAPES: OnceLock<Vec<Shape>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        csv::Reader::from_reader(WORLD.as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| Shape { code: r[0].to_owned(), name: r[1].to_owned(), path: r[2].to_owned() })
            .collect()
    })
}

fn colour_of_class(class: &str) -> &'static str {
    match class {
        "member" => MEMBER,
        "partner" => FRAMEWORK_COLOURS[0],
        "dialogue" => DIALOGUE,
        _ => NONE,
    }
}

/// A partner is coloured by its first partnership framework (not a dialogue format).
fn lead_framework<'a>(status: &'a NationStatus, frameworks: &[&Framework]) -> Option<&'a str> {
    status
        .frameworks
        .iter()
        .find(|code| frameworks.iter().any(|f| &f.code == *code && f.kind == FrameworkKind::Partnership))
        .map(|code| code.as_str())
}

/// A nation's class on the map: `member`, `partner`, `dialogue` or `none`.
pub fn class_of(status: Option<&NationStatus>) -> &'static str {
    match status.map(|s| s.status) {
        Some(Standing::Member) => "member",
        Some(Standing::Partner) => "partner",
        Some(Standing::Dialogue) => "dialogue",
        None => "none",
    }
}

/// The map for `day` in `lang`.
pub fn draw(registry: &Registry, day: NaiveDate, lang: Lang) -> String {
    let statuses = registry.statuses_at(day);
    let status_of = |code: &str| statuses.iter().find(|s| s.nation.as_str() == code);
    let frameworks: Vec<_> = registry.frameworks().collect();
    let colour_of_framework = |code: &str| {
        frameworks
            .iter()
            .position(|f| f.code.as_str() == code)
            .map_or(FRAMEWORK_COLOURS[0], |i| FRAMEWORK_COLOURS[i % FRAMEWORK_COLOURS.len()])
    };
    let day_words = lang.human_day(day);
    let title = lang.t_with("map-title", &[("day", day_words.clone())]);
    let count = |class: &str| statuses.iter().filter(|s| class_of(Some(s)) == class).count();
    let description = lang.t_with(
        "map-description",
        &[
            ("members", count("member").to_string()),
            ("partners", count("partner").to_string()),
            ("dialogue", count("dialogue").to_string()),
        ],
    );
    let mut svg = String::with_capacity(WORLD.len() + 64 * 1024);
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 20 1000 470\" role=\"group\" \
         aria-labelledby=\"map-title map-desc\" class=\"world-map\" data-day=\"{day}\">\
         <title id=\"map-title\">{}</title><desc id=\"map-desc\">{}</desc>\
         <rect x=\"0\" y=\"20\" width=\"1000\" height=\"425\" fill=\"#eef4fa\"/>",
        escape(&title),
        escape(&description)
    );
    for shape in shapes() {
        let status = if shape.code.is_empty() { None } else { status_of(&shape.code) };
        let class = class_of(status);
        let known = shape.code.parse().ok().and_then(|c| registry.nation(c));
        let name = known.map_or(shape.name.as_str(), |n| lang.pick(&n.name_en, &n.name_fr));
        let mut words = lang.t(&format!("map-status-{class}"));
        // Presentation attributes, not CSS: the pages' content security policy allows no
        // inline styles, and the SVG is also served on its own.
        let mut fill = format!(" fill=\"{}\"", colour_of_class(class));
        if let Some(s) = status.filter(|s| s.status == Standing::Partner) {
            let codes: Vec<&str> = s.frameworks.iter().map(|f| f.as_str()).collect();
            words = format!("{words} ({})", codes.join(", "));
            if let Some(first) = lead_framework(s, &frameworks) {
                fill = format!(" fill=\"{}\"", colour_of_framework(first));
            }
        }
        let framework_class = status
            .filter(|s| s.status == Standing::Partner)
            .and_then(|s| lead_framework(s, &frameworks))
            .map(|f| format!(" fw-{}", f.to_ascii_lowercase()))
            .unwrap_or_default();
        let data = if shape.code.is_empty() { String::new() } else { format!(" data-nation=\"{}\"", shape.code) };
        let path = format!(
            "<path{data} class=\"{class}{framework_class}\"{fill} stroke=\"#fff\" stroke-width=\".3\" d=\"{}\"><title>{}: {}</title></path>",
            shape.path,
            escape(name),
            escape(&words)
        );
        match known {
            Some(_) => {
                let _ = write!(svg, "<a href=\"/nations/{}?at={day}\">{path}</a>", shape.code);
            }
            None => svg.push_str(&path),
        }
    }
    // The legend, on white below the map (Antarctica's shape reaches under it): members,
    // each framework's partners, dialogue, none.
    svg.push_str("<rect x=\"0\" y=\"445\" width=\"1000\" height=\"45\" fill=\"#fff\"/>");
    let mut entries: Vec<(String, String)> = vec![(MEMBER.into(), lang.t("map-status-member"))];
    for f in &frameworks {
        if f.kind == FrameworkKind::Partnership {
            let words = format!("{} ({})", lang.t("map-status-partner"), f.code.as_str());
            entries.push((colour_of_framework(f.code.as_str()).into(), words));
        }
    }
    entries.push((DIALOGUE.into(), lang.t("map-status-dialogue")));
    entries.push((NONE.into(), lang.t("map-status-none")));
    for (i, (colour, words)) in entries.iter().enumerate() {
        let (x, y) = (10.0 + (i % 5) as f64 * 196.0, 452.0 + (i / 5) as f64 * 18.0);
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#1b1f24\">{}</text>",
            x + 16.0,
            y + 10.0,
            escape(words)
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::shapes;

    #[test]
    fn the_converted_shapes_carry_iso_codes() {
        let all = shapes();
        assert!(all.len() > 200, "{} shapes", all.len());
        for code in ["SE", "FI", "GE", "UA", "JP", "MT", "XK"] {
            assert!(all.iter().any(|s| s.code == code), "no shape for {code}");
        }
    }
}
