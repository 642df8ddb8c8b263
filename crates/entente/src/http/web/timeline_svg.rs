//! A nation's timeline drawn as an SVG: one row for membership and one per framework,
//! intervals as bars along the years. Plain SVG, no script, so it works without JavaScript
//! and under the Content Security Policy.

use super::svg::escape;
use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use entente_core::{Bound, Subject, TimelineEntry};

const WIDTH: f64 = 960.0;
const LABEL_WIDTH: f64 = 240.0;
const ROW_HEIGHT: f64 = 30.0;
const AXIS_HEIGHT: f64 = 28.0;
const PALETTE: [&str; 6] = ["#2f7d32", "#8a4b0b", "#6a3d9a", "#00707a", "#a4001d", "#5c6b00"];
const MEMBER_COLOUR: &str = "#0b4f8a";

/// The SVG markup for `entries`, with open intervals drawn up to `today`.
pub fn draw(
    entries: &[TimelineEntry],
    today: NaiveDate,
    lang: crate::http::i18n::Lang,
    name_of: impl Fn(&Subject) -> String,
) -> String {
    let mut rows: Vec<&Subject> = Vec::new();
    for e in entries {
        if !rows.contains(&&e.subject) {
            rows.push(&e.subject);
        }
    }
    rows.sort_by_key(|s| !matches!(s, Subject::Membership));
    let first_year = entries.iter().map(|e| e.interval.start_day().year()).min().unwrap_or(today.year());
    let from = NaiveDate::from_ymd_opt(first_year - first_year.rem_euclid(10), 1, 1).unwrap_or(today);
    let to = NaiveDate::from_ymd_opt(today.year() + 1, 1, 1).unwrap_or(today);
    let span = (to - from).num_days().max(1) as f64;
    let x = |day: NaiveDate| {
        LABEL_WIDTH + ((day - from).num_days() as f64 / span).clamp(0.0, 1.0) * (WIDTH - LABEL_WIDTH - 10.0)
    };
    let height = AXIS_HEIGHT + ROW_HEIGHT * rows.len().max(1) as f64 + 6.0;

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="timeline-title"><title id="timeline-title">{}</title>"#,
        escape(&lang.t_with("timeline-title", &[("from", from.year().to_string()), ("to", today.year().to_string())]))
    );
    for year in (from.year()..=to.year()).step_by(10) {
        if let Some(day) = NaiveDate::from_ymd_opt(year, 1, 1) {
            let px = x(day);
            let _ = write!(
                svg,
                r##"<line x1="{px:.1}" y1="{AXIS_HEIGHT}" x2="{px:.1}" y2="{height}" stroke="#d0d7de"/><text x="{px:.1}" y="18" font-size="12" text-anchor="middle" fill="#4a5563">{year}</text>"##
            );
        }
    }
    for (i, subject) in rows.iter().enumerate() {
        let y = AXIS_HEIGHT + ROW_HEIGHT * i as f64;
        let colour = match subject {
            Subject::Membership => MEMBER_COLOUR,
            Subject::Framework(_) => PALETTE[i % PALETTE.len()],
        };
        let _ = write!(
            svg,
            r##"<text x="4" y="{:.1}" font-size="13" fill="#1b1f24">{}</text>"##,
            y + ROW_HEIGHT * 0.62,
            escape(&name_of(subject))
        );
        for e in entries.iter().filter(|e| &&e.subject == subject) {
            let start = x(e.interval.start_day());
            let end = x(e.interval.end_day().unwrap_or(today));
            let _ = write!(
                svg,
                r#"<g><title>{}: {}</title><rect x="{start:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" fill="{colour}"/>"#,
                escape(&name_of(subject)),
                escape(&lang.human_interval(&e.interval)),
                y + 6.0,
                (end - start).max(2.0),
                ROW_HEIGHT - 12.0
            );
            // A pale band over the period a rough bound could fall in.
            let bounds = std::iter::once(e.interval.start()).chain(e.interval.end());
            for bound in bounds.filter(|b| !b.is_exact()) {
                let (a, b) = rough_period(bound);
                let _ = write!(
                    svg,
                    r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#ffffff" fill-opacity="0.55"/>"##,
                    x(a),
                    y + 6.0,
                    (x(b) - x(a)).max(2.0),
                    ROW_HEIGHT - 12.0
                );
            }
            svg.push_str("</g>");
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The days a rough bound could stand for: the period of a partial date, or the year
/// before a `by` date.
fn rough_period(bound: Bound) -> (NaiveDate, NaiveDate) {
    match bound {
        Bound::On(date) => (date.first_day(), date.last_day()),
        Bound::By(date) => (date.first_day() - chrono::Days::new(365), date.first_day()),
    }
}
