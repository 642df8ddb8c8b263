//! A nation's progress over the years as an SVG line: one point a year from 0 to 100 %,
//! a gap where no data (never a fall to zero), and the figures as text beside it.

use std::fmt::Write;

use super::svg::escape;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 32.0;

/// The chart of `points` (year, progress or none), titled `title`, with `no_data` for the
/// years without data.
pub fn draw(points: &[(i64, Option<f64>)], title: &str, no_data: &str) -> String {
    let n = points.len().max(2) as f64;
    let x = |i: usize| LEFT + (WIDTH - LEFT - RIGHT) * i as f64 / (n - 1.0);
    let y = |v: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - v.clamp(0.0, 1.0));
    let description = points
        .iter()
        .map(|(year, v)| match v {
            Some(v) => format!("{year}: {:.0} %", v * 100.0),
            None => format!("{year}: {no_data}"),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"progress-chart-title progress-chart-desc\" class=\"chart\">\
         <title id=\"progress-chart-title\">{}</title><desc id=\"progress-chart-desc\">{}</desc>",
        escape(title),
        escape(&description)
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\" stroke=\"#d0d5dc\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#3d4650\">{:.0} %</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            y(tick) + 4.0,
            tick * 100.0,
            y0 = y(tick)
        );
    }
    // The line is broken where a year has no data.
    let mut segment: Vec<String> = Vec::new();
    let flush = |segment: &mut Vec<String>, svg: &mut String| {
        if segment.len() > 1 {
            let _ = write!(
                svg,
                "<polyline fill=\"none\" stroke=\"#0b3d91\" stroke-width=\"2.5\" points=\"{}\"/>",
                segment.join(" ")
            );
        }
        segment.clear();
    };
    for (i, (_, v)) in points.iter().enumerate() {
        match v {
            Some(v) => segment.push(format!("{:.1},{:.1}", x(i), y(*v))),
            None => flush(&mut segment, &mut svg),
        }
    }
    flush(&mut segment, &mut svg);
    for (i, (year, v)) in points.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#3d4650\">{year}</text>",
            x(i),
            HEIGHT - 10.0
        );
        match v {
            Some(v) => {
                let _ = write!(
                    svg,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"#0b3d91\"><title>{year}: {:.0} %</title></circle>",
                    x(i),
                    y(*v),
                    v * 100.0
                );
            }
            None => {
                let _ = write!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#6b7480\">{}</text>",
                    x(i),
                    y(0.0) - 6.0,
                    escape(no_data)
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::draw;

    #[test]
    fn a_year_without_data_breaks_the_line_and_says_so() {
        let svg = draw(&[(2024, Some(0.2)), (2025, None), (2026, Some(0.5))], "GE", "no data");
        assert_eq!(svg.matches("<polyline").count(), 0, "single points are not lines");
        assert!(svg.contains("2025: no data"));
        assert_eq!(svg.matches("<circle").count(), 2);
        let joined = draw(&[(2024, Some(0.2)), (2025, Some(0.3))], "GE", "no data");
        assert_eq!(joined.matches("<polyline").count(), 1);
    }
}
