//! An operation's contributions drawn as an SVG: one row per nation, a bar per contribution
//! along the years, coloured by kind; a contribution dated with the operation's period for
//! want of sources is hatched pale, so the picture does not claim more than is known.

use super::svg::escape;
use std::fmt::Write;

use chrono::{Datelike, NaiveDate};
use entente_core::Interval;

const WIDTH: f64 = 960.0;
const LABEL_WIDTH: f64 = 200.0;
const ROW_HEIGHT: f64 = 24.0;
const AXIS_HEIGHT: f64 = 28.0;
const LEGEND_HEIGHT: f64 = 26.0;

/// A kind's colour (each passes 3:1 against white).
fn colour(kind: &str) -> &'static str {
    match kind {
        "troops" => "#0b4f8a",
        "assets" => "#00707a",
        "funding" => "#6a3d9a",
        "medical" => "#a4001d",
        "liaison" => "#8a4b0b",
        _ => "#4a5563",
    }
}

/// One bar: the row's label, the kind's code, its period, whether it is dated with the
/// operation's period, and its words for the tooltip.
pub struct Bar {
    /// The nation's name.
    pub row: String,
    /// The kind's code.
    pub kind: String,
    /// The period.
    pub period: Interval,
    /// Dated with the operation for want of sources.
    pub assumed: bool,
    /// Tooltip text.
    pub title: String,
}

/// The SVG for `bars` between `from` and `to` (open periods drawn up to `to`); `kinds` are
/// the legend's (code, words) pairs.
pub fn draw(bars: &[Bar], from: NaiveDate, to: NaiveDate, title: &str, kinds: &[(String, String)]) -> String {
    let mut rows: Vec<&str> = bars.iter().map(|b| b.row.as_str()).collect();
    rows.sort_unstable();
    rows.dedup();
    let start_year = from.year();
    let end_year = to.year() + 1;
    let axis_from = NaiveDate::from_ymd_opt(start_year, 1, 1).unwrap_or(from);
    let axis_to = NaiveDate::from_ymd_opt(end_year, 1, 1).unwrap_or(to);
    let span = (axis_to - axis_from).num_days().max(1) as f64;
    let x = |day: NaiveDate| {
        LABEL_WIDTH + ((day - axis_from).num_days() as f64 / span).clamp(0.0, 1.0) * (WIDTH - LABEL_WIDTH - 10.0)
    };
    let height = LEGEND_HEIGHT + AXIS_HEIGHT + ROW_HEIGHT * rows.len().max(1) as f64 + 6.0;
    let step = ((end_year - start_year) / 8).max(1) as usize;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="contributions-chart-title"><title id="contributions-chart-title">{}</title>"#,
        escape(title)
    );
    let mut legend_x = 4.0;
    for (code, words) in kinds {
        let _ = write!(
            svg,
            r##"<rect x="{legend_x:.1}" y="6" width="14" height="14" rx="2" fill="{}"/><text x="{:.1}" y="18" font-size="12" fill="#1b1f24">{}</text>"##,
            colour(code),
            legend_x + 18.0,
            escape(words)
        );
        legend_x += 26.0 + 7.0 * words.chars().count() as f64;
    }
    for year in (start_year..=end_year).step_by(step) {
        if let Some(day) = NaiveDate::from_ymd_opt(year, 1, 1) {
            let px = x(day);
            let _ = write!(
                svg,
                r##"<line x1="{px:.1}" y1="{:.1}" x2="{px:.1}" y2="{height}" stroke="#d0d7de"/><text x="{px:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="#4a5563">{year}</text>"##,
                LEGEND_HEIGHT + AXIS_HEIGHT,
                LEGEND_HEIGHT + 18.0
            );
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let y = LEGEND_HEIGHT + AXIS_HEIGHT + ROW_HEIGHT * i as f64;
        let _ = write!(
            svg,
            r##"<text x="4" y="{:.1}" font-size="13" fill="#1b1f24">{}</text>"##,
            y + ROW_HEIGHT * 0.65,
            escape(row)
        );
        let mine: Vec<&Bar> = bars.iter().filter(|b| b.row == *row).collect();
        let lane = (ROW_HEIGHT - 8.0) / mine.len().max(1) as f64;
        for (j, bar) in mine.iter().enumerate() {
            let start = x(bar.period.start_day());
            let end = x(bar.period.end_day().unwrap_or(to).min(to));
            let opacity = if bar.assumed { "0.45" } else { "1" };
            let _ = write!(
                svg,
                r#"<g><title>{}</title><rect x="{start:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="2" fill="{}" fill-opacity="{opacity}"/></g>"#,
                escape(&bar.title),
                y + 4.0 + lane * j as f64,
                (end - start).max(2.0),
                (lane - 1.0).max(2.0),
                colour(&bar.kind)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_per_contribution_with_a_row_per_nation_and_no_markup_from_names() {
        let period = |a: &str, b: &str| Interval::new(a.parse().unwrap(), Some(b.parse().unwrap())).unwrap();
        let bars = vec![
            Bar {
                row: "Japan".into(),
                kind: "funding".into(),
                period: period("2003-08-11", "2014-12-28"),
                assumed: true,
                title: "a".into(),
            },
            Bar {
                row: "Japan".into(),
                kind: "liaison".into(),
                period: period("2003-08-11", "2014-12-28"),
                assumed: true,
                title: "b".into(),
            },
            Bar {
                row: "<Georgia>".into(),
                kind: "troops".into(),
                period: period("2004-01-01", "2014-12-28"),
                assumed: false,
                title: "c".into(),
            },
        ];
        let day = |t: &str| entente_core::parse_day(t).unwrap();
        let svg = draw(&bars, day("2003-08-11"), day("2014-12-28"), "ISAF", &[("troops".into(), "Troops".into())]);
        assert_eq!(svg.matches("<g><title>").count(), 3);
        assert!(svg.contains("&lt;Georgia&gt;") && !svg.contains("<Georgia>"));
        assert!(svg.contains(r#"fill-opacity="0.45""#), "assumed dates are drawn pale");
    }
}
