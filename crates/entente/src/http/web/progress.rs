//! A nation's progress page (its progress over five years, programmes, goals and
//! indicators, the year compared with the one before, the forms that define indicators and
//! PARP goals), the world map of the partnerships on a day, and the nation's yearly report
//! as a printable page and an Excel workbook.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use entente_core::Registry;

use super::assessments::{Figure, directions, figure, page_year, percent};
use super::operations::nation_name;
use super::{Chrome, PageResult, progress_svg, render, world_map};
use crate::http::AppState;
use crate::http::api::params::{Params, day_or_today};
use crate::http::caller::CallerContext;
use crate::http::error::HttpError;
use crate::http::i18n::Lang;
use crate::service::progress::{GoalProgress, NationProgress, assemble, highest_marking};
use crate::service::{ServiceError, reports};

/// A goal as a row of the page.
pub struct GoalRow {
    id: i64,
    title: String,
    objective: String,
    figure: Figure,
    coverage: String,
    indicators: Vec<(String, String, String, Figure)>,
}

fn goal_rows(goals: &[GoalProgress], lang: Lang) -> Vec<GoalRow> {
    goals
        .iter()
        .map(|g| GoalRow {
            id: g.id,
            title: if g.code.is_empty() { g.title.clone() } else { format!("{} {}", g.code, g.title) },
            objective: g.objective.clone(),
            figure: figure(g.progress, g.status.as_deref(), lang),
            coverage: coverage(g.measured, g.indicators, lang),
            indicators: g
                .indicator_progress
                .iter()
                .map(|i| {
                    let latest = match (i.value, &i.measured_on) {
                        (Some(v), Some(d)) => format!("{v} {} ({d})", i.unit),
                        _ => lang.t("progress-no-data"),
                    };
                    let range = format!("{} → {} {} ({})", i.baseline, i.target, i.unit, i.target_date);
                    (i.title.clone(), range, latest, figure(i.progress, i.status.as_deref(), lang))
                })
                .collect(),
        })
        .collect()
}

/// "3 of 5 indicators measured".
fn coverage(measured: usize, indicators: usize, lang: Lang) -> String {
    lang.t_with("progress-coverage", &[("measured", measured.to_string()), ("indicators", indicators.to_string())])
}

/// The year before's figure in words.
fn previous_words(progress: &NationProgress, lang: Lang) -> String {
    lang.t_with(
        "progress-previous",
        &[("year", (progress.year - 1).to_string()), ("value", percent(progress.previous, lang))],
    )
}

/// The programmes of a nation's progress as the pages show them.
fn programme_sections(progress: &NationProgress, lang: Lang) -> Vec<ProgrammeSection> {
    progress
        .programmes
        .iter()
        .map(|p| ProgrammeSection {
            code: p.code.clone(),
            title: p.title.clone(),
            figure: figure(p.progress, p.status.as_deref(), lang),
            coverage: coverage(p.measured, p.indicators, lang),
            goals: goal_rows(&p.goals, lang),
        })
        .collect()
}

/// A programme as the page shows it.
pub struct ProgrammeSection {
    code: String,
    title: String,
    figure: Figure,
    coverage: String,
    goals: Vec<GoalRow>,
}

#[derive(Template)]
#[template(path = "progress.html")]
struct NationPage {
    chrome: Chrome,
    code: String,
    name: String,
    year: i64,
    figure: Figure,
    previous: String,
    coverage: String,
    chart: String,
    programmes: Vec<ProgrammeSection>,
    parp_figure: Figure,
    parp_goals: Vec<GoalRow>,
    may_define: bool,
    directions: Vec<(String, String)>,
    goal_choices: Vec<(i64, String)>,
}

/// `GET /progress/{nation}?year=`: the nation's progress.
pub async fn nation(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> PageResult {
    let registry = ctx.registry()?.clone();
    let lang = ctx.lang;
    let code = code.to_ascii_uppercase();
    let nation: entente_core::NationCode = code
        .parse()
        .ok()
        .filter(|n| registry.nation(*n).is_some())
        .ok_or_else(|| ServiceError::NotFound { kind: "nation", code: code.clone() })?;
    let year = page_year(&params, i64::from(state.today().year()))?;
    let inputs = state.services.progress.inputs(&ctx.actor, &registry, Some(&code), year).await?;
    let progress = assemble(&code, year, &inputs)?;
    let marking = highest_marking(&registry, &inputs)?;
    let mut points = Vec::new();
    for y in (year - 4)..=year {
        points.push((y, if y == year { progress.progress } else { assemble(&code, y, &inputs)?.progress }));
    }
    let name = nation_name(&registry, &code, lang);
    let chart = progress_svg::draw(
        &points,
        &lang.t_with("progress-chart-title", &[("nation", name.clone())]),
        &lang.t("progress-no-data"),
    );
    let programmes = programme_sections(&progress, lang);
    let goal_choices = progress
        .programmes
        .iter()
        .flat_map(|p| p.goals.iter().map(move |g| (g.id, format!("{} · {}", p.code, g.title))))
        .collect();
    let may_define = state.services.assessments.may_define(&ctx.actor, nation);
    let page = NationPage {
        chrome: Chrome::new(&ctx, &state).marked(marking.iter()),
        figure: figure(progress.progress, progress.status.as_deref(), lang),
        previous: previous_words(&progress, lang),
        coverage: coverage(progress.measured, progress.indicators, lang),
        parp_figure: figure(progress.parp.progress, progress.parp.status.as_deref(), lang),
        parp_goals: goal_rows(&progress.parp.goals, lang),
        code,
        name,
        year,
        chart,
        programmes,
        may_define,
        directions: directions(lang),
        goal_choices,
    };
    Ok(render(StatusCode::OK, &page))
}

/// Nations of one standing on the map's day: (code, name).
struct NationGroup {
    class: String,
    heading: String,
    nations: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    chrome: Chrome,
    at: String,
    day_words: String,
    map: String,
    groups: Vec<NationGroup>,
}

/// `GET /map?at=`: the world map of the partnerships on a day, and the same as lists.
pub async fn map_page(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let registry = ctx.registry()?.clone();
    let lang = ctx.lang;
    let at = day_or_today(&params, "at", state.today())?;
    let statuses = registry.statuses_at(at);
    let groups = ["member", "partner", "dialogue"]
        .iter()
        .map(|class| {
            let mut nations: Vec<(String, String)> = statuses
                .iter()
                .filter(|s| world_map::class_of(Some(s)) == *class)
                .map(|s| (s.nation.to_string(), nation_name(&registry, s.nation.as_str(), lang)))
                .collect();
            nations.sort_by(|a, b| a.1.cmp(&b.1));
            NationGroup { class: class.to_string(), heading: lang.t(&format!("map-status-{class}")), nations }
        })
        .collect();
    let page = MapPage {
        chrome: Chrome::new(&ctx, &state),
        at: at.to_string(),
        day_words: lang.human_day(at),
        map: world_map::draw(&registry, at, lang),
        groups,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /map.svg?at=`: the map alone, as SVG.
pub async fn map_svg(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let at = day_or_today(&params, "at", state.today())?;
    let svg = world_map::draw(ctx.registry()?, at, ctx.lang);
    Ok(([(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response())
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    lang: Lang,
    code: String,
    name: String,
    year: i64,
    figure: Figure,
    previous: String,
    coverage: String,
    chart: String,
    programmes: Vec<ProgrammeSection>,
    parp_figure: Figure,
    parp_goals: Vec<GoalRow>,
    generated: String,
    marking: Option<String>,
}

impl ReportPage {
    fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }
}

/// A nation's yearly progress report as a printable, self-contained HTML page.
pub fn report_html(
    progress: &NationProgress,
    registry: &Registry,
    lang: Lang,
    generated: NaiveDate,
) -> Result<String, ServiceError> {
    let name = nation_name(registry, &progress.nation, lang);
    let points = vec![(progress.year - 1, progress.previous), (progress.year, progress.progress)];
    let page = ReportPage {
        lang,
        code: progress.nation.clone(),
        chart: progress_svg::draw(
            &points,
            &lang.t_with("progress-chart-title", &[("nation", name.clone())]),
            &lang.t("progress-no-data"),
        ),
        name,
        year: progress.year,
        figure: figure(progress.progress, progress.status.as_deref(), lang),
        previous: previous_words(progress, lang),
        coverage: coverage(progress.measured, progress.indicators, lang),
        programmes: programme_sections(progress, lang),
        parp_figure: figure(progress.parp.progress, progress.parp.status.as_deref(), lang),
        parp_goals: goal_rows(&progress.parp.goals, lang),
        generated: lang.human_day(generated),
        marking: progress.marking.clone(),
    };
    page.render().map_err(|e| ServiceError::Corrupt(format!("report: {e}")))
}

/// `GET /reports/{nation}/{file}`: `2026` the printable report, `2026.xlsx` the workbook.
pub async fn report(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path((code, file)): Path<(String, String)>,
    Query(_params): Query<HashMap<String, String>>,
) -> Result<Response, HttpError> {
    let registry = ctx.registry()?.clone();
    let code = code.to_ascii_uppercase();
    if code.parse::<entente_core::NationCode>().ok().and_then(|n| registry.nation(n)).is_none() {
        return Err(ServiceError::NotFound { kind: "nation", code }.into());
    }
    let (year_text, xlsx) = match file.strip_suffix(".xlsx") {
        Some(year) => (year, true),
        None => (file.strip_suffix(".html").unwrap_or(&file), false),
    };
    let year = year_text
        .parse::<i64>()
        .ok()
        .filter(|y| (1949..=2200).contains(y))
        .ok_or_else(|| ServiceError::NotFound { kind: "report", code: file.clone() })?;
    let progress = state.services.progress.nation(&ctx.actor, &registry, &code, year).await?;
    if xlsx {
        let bytes = reports::workbook(&progress, &nation_name(&registry, &code, Lang::En))?;
        let disposition = format!("attachment; filename=\"entente-{code}-{year}.xlsx\"");
        Ok((
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response())
    } else {
        let html = report_html(&progress, &registry, ctx.lang, state.today())?;
        Ok(axum::response::Html(html).into_response())
    }
}

/// The report as a file to keep (`entente report --format html`): the stylesheet is put
/// inside, so the file reads and prints without the server.
pub fn report_file(
    progress: &NationProgress,
    registry: &Registry,
    lang: Lang,
    generated: NaiveDate,
) -> Result<String, ServiceError> {
    let html = report_html(progress, registry, lang, generated)?;
    let inline = format!("<style>{}</style>", include_str!("../../../static/style.css"));
    Ok(html.replacen("<link rel=\"stylesheet\" href=\"/static/style.css\">", &inline, 1))
}
