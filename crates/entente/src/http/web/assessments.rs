//! Assessment pages: the dashboard of a year (every partner's progress, each framework's,
//! the reviews and what is overdue), a review with its workflow, the units declared to the
//! pool of forces, data quality, and the CSV exports of those lists. The services decide.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use entente_core::assessment::{CycleKind, Direction, Judgement};
use entente_core::{Registry, Standing};

use super::export::csv_download;
use super::form::{Field, RecordForm, Typed, options, own_nation, show_refused};
use super::operations::nation_name;
use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::api::params::{Params, year_or};
use crate::http::caller::CallerContext;
use crate::http::error::HttpError;
use crate::http::i18n::Lang;
use crate::service::assessments::{
    IndicatorInput, MeasurementInput, ParpGoalInput, PartInput, ReviewActions, ReviewInput, ReviewStepInput, is_overdue,
};
use crate::service::force_units::{StepInput, UnitInput, UnitView};
use crate::service::progress::{NationProgress, ProgressService};
use crate::service::quality::{self, Finding};
use crate::store::assessments::{StoredIndicator, StoredMeasurement, StoredReview};

/// A progress figure in words: a percentage, or "no data".
pub(super) fn percent(value: Option<f64>, lang: Lang) -> String {
    match value {
        Some(v) => format!("{:.0} %", v * 100.0),
        None => lang.t("progress-no-data"),
    }
}

/// A status code in words and its badge class.
pub(super) fn status_words(status: Option<&str>, lang: Lang) -> (String, &'static str) {
    match status.and_then(Judgement::parse) {
        Some(j) => (
            lang.t(&format!("judgement-{}", j.as_str())),
            match j {
                Judgement::Achieved => "ok",
                Judgement::OnTrack => "info",
                Judgement::AtRisk => "warn",
                Judgement::OffTrack => "bad",
            },
        ),
        None => (lang.t("progress-no-data"), "idle"),
    }
}

/// A progress figure as a page row shows it.
pub struct Figure {
    /// For `<meter>`: from 0 to 1 (0 when missing).
    pub meter: f64,
    /// Whether there is data.
    pub known: bool,
    /// In words.
    pub words: String,
    /// Status in words.
    pub status: String,
    /// Badge class.
    pub class: &'static str,
}

pub(super) fn figure(value: Option<f64>, status: Option<&str>, lang: Lang) -> Figure {
    let (status, class) = status_words(status, lang);
    Figure { meter: value.unwrap_or(0.0), known: value.is_some(), words: percent(value, lang), status, class }
}

struct NationRow {
    code: String,
    name: String,
    figure: Figure,
    coverage: String,
    change: String,
}

struct ReviewRow {
    id: i64,
    nation: String,
    subject: String,
    stage: String,
    deadline: String,
    status: String,
    status_class: &'static str,
    overdue: bool,
}

fn review_status_class(status: &str) -> &'static str {
    match status {
        "approved" => "ok",
        "submitted" => "info",
        "returned" => "warn",
        _ => "idle",
    }
}

fn review_row(r: &StoredReview, registry: &Registry, lang: Lang, today: chrono::NaiveDate) -> ReviewRow {
    let subject = if r.cycle == CycleKind::Parp.as_str() {
        lang.t("review-cycle-parp")
    } else {
        format!("{} {}", lang.t("review-cycle-programme"), r.programme_code)
    };
    ReviewRow {
        id: r.id,
        nation: nation_name(registry, &r.nation, lang),
        subject: format!("{subject} {} · v{}", r.year, r.version),
        stage: lang.t(&format!("review-stage-{}", r.stage)),
        deadline: r.deadline.clone(),
        status: lang.t(&format!("review-status-{}", r.status)),
        status_class: review_status_class(&r.status),
        overdue: is_overdue(r, today),
    }
}

fn change_words(change: Option<f64>) -> String {
    match change {
        Some(c) if c.abs() < 0.005 => "±0".into(),
        Some(c) => format!("{:+.0}", c * 100.0),
        None => "–".into(),
    }
}

#[derive(Template)]
#[template(path = "assessments.html")]
struct DashboardPage {
    chrome: Chrome,
    year: i64,
    nations: Vec<NationRow>,
    frameworks: Vec<(String, String, Figure)>,
    reviews: Vec<ReviewRow>,
    overdue: usize,
    may_open: bool,
    nation_choices: Vec<(String, String)>,
}

/// `GET /assessments?year=`: every partner's progress, each framework's, and the reviews.
pub async fn dashboard(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let registry = ctx.registry()?.clone();
    let lang = ctx.lang;
    let today = state.today();
    let year = page_year(&params, i64::from(today.year()))?;
    let all = state.services.progress.all(&ctx.actor, &registry, year).await?;
    let frameworks = ProgressService::frameworks(&registry, year, &all)
        .into_iter()
        .filter(|f| !f.nations.is_empty())
        .map(|f| {
            let name = registry
                .frameworks()
                .find(|x| x.code.as_str() == f.framework)
                .map_or_else(|| f.framework.clone(), |x| lang.pick(&x.name_en, &x.name_fr).to_owned());
            (f.framework.clone(), name, figure(f.progress, f.status.as_deref(), lang))
        })
        .collect();
    let mut nations: Vec<NationRow> = all
        .iter()
        .map(|n| NationRow {
            code: n.nation.clone(),
            name: nation_name(&registry, &n.nation, lang),
            figure: figure(n.progress, n.status.as_deref(), lang),
            coverage: lang.t_with(
                "progress-coverage",
                &[("measured", n.measured.to_string()), ("indicators", n.indicators.to_string())],
            ),
            change: change_words(n.change),
        })
        .collect();
    // By name in the page's language, as people look for them.
    nations.sort_by(|a, b| entente_core::text::collate(&a.name, &b.name));
    let reviews: Vec<ReviewRow> = state
        .services
        .assessments
        .list(&ctx.actor, &registry, None, Some(year))
        .await?
        .iter()
        .map(|r| review_row(r, &registry, lang, today))
        .collect();
    let overdue = reviews.iter().filter(|r| r.overdue).count();
    let may_open = state.services.assessments.may_open(&ctx.actor);
    let day = chrono::NaiveDate::from_ymd_opt(i32::try_from(year).unwrap_or(2000), 6, 30).unwrap_or(today);
    let mut nation_choices: Vec<(String, String)> = registry
        .statuses_at(day)
        .into_iter()
        .filter(|s| s.status != Standing::Member)
        .map(|s| (s.nation.to_string(), nation_name(&registry, s.nation.as_str(), lang)))
        .collect();
    nation_choices.sort_by(|a, b| entente_core::text::collate(&a.1, &b.1));
    let page = DashboardPage {
        chrome: Chrome::new(&ctx, &state),
        year,
        nations,
        frameworks,
        reviews,
        overdue,
        may_open,
        nation_choices,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The page's year (`year`, default `default`): a bad one is a 400 naming the parameter.
pub(super) fn page_year(params: &Params, default: i64) -> Result<i64, crate::service::ServiceError> {
    year_or(params, "year", default).map_err(|_| crate::service::ServiceError::BadQuery {
        parameter: "year".into(),
        reason: crate::service::Reason::OutOfRange { min: 1949, max: 2200 },
    })
}

/// `POST /reviews`: opens a review period; a refusal shows the form again, the reason
/// beside the field it names and what was typed kept.
pub async fn open_review(
    ctx: CallerContext,
    State(state): State<AppState>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let opened = async {
        let input = ReviewInput {
            nation: typed.get("nation"),
            cycle: typed.get("cycle"),
            programme: typed.get("programme"),
            year: typed.number("year")?,
            stage: typed.get("stage"),
            deadline: typed.get("deadline"),
            marking: typed.get("marking"),
        };
        state.services.assessments.open_review(&ctx.actor, ctx.registry()?, &input).await
    };
    match opened.await {
        Ok(review) => Ok(Redirect::to(&format!("/reviews/{}?flash=review-saved", review.id)).into_response()),
        Err(error) => {
            show_refused(Chrome::new(&ctx, &state).at("/assessments"), review_form(ctx.lang, &typed), error, ctx.lang)
        }
    }
}

fn review_form(lang: Lang, typed: &Typed) -> RecordForm {
    let cycles = [("programme", "review-cycle-programme"), ("parp", "review-cycle-parp")]
        .map(|(c, k)| (c.to_owned(), lang.t(k)));
    let stages =
        ["annual", "survey", "goals", "assessment"].map(|s| (s.to_owned(), lang.t(&format!("review-stage-{s}"))));
    let fields = vec![
        Field::text("nation", lang.t("col-nation"), &typed.get("nation")).required(),
        Field::choice("cycle", lang.t("review-col-cycle"), &typed.get("cycle"), options(cycles, None)).required(),
        Field::text("programme", lang.t("review-programme"), &typed.get("programme"))
            .hint(lang.t("review-programme-hint")),
        Field::number("year", lang.t("work-plan-year"), &typed.get("year")).required(),
        Field::choice(
            "stage",
            lang.t("review-col-stage"),
            &typed.get("stage"),
            options(stages, Some(lang.t("review-stage-default"))),
        ),
        Field::date("deadline", lang.t("review-col-deadline"), &typed.get("deadline")).required(),
    ];
    RecordForm::new(lang.t("review-open"), "/reviews".into(), lang.t("review-open"), "/assessments".into(), fields)
}

struct IndicatorLine {
    indicator: StoredIndicator,
    goal: String,
    direction: String,
    measurement: Option<StoredMeasurement>,
    judgement: String,
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    chrome: Chrome,
    review: StoredReview,
    nation: String,
    row: ReviewRow,
    versions: Vec<(i64, i64, String)>,
    indicators: Vec<IndicatorLine>,
    actions: ReviewActions,
    judgements: Vec<(String, String)>,
}

/// `GET /reviews/{id}`: a review version, its indicators and measurements, and the
/// workflow forms the caller may use.
pub async fn show_review(ctx: CallerContext, State(state): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let registry = ctx.registry()?.clone();
    let lang = ctx.lang;
    let today = state.today();
    let view = state.services.assessments.get(&ctx.actor, &registry, id, today).await?;
    let marking = crate::service::assessments::marking_text(&registry, &view.review.marking)?;
    let indicators = view
        .indicators
        .into_iter()
        .map(|i| IndicatorLine {
            direction: lang.t(&format!("direction-{}", i.indicator.direction)),
            judgement: i
                .measurement
                .as_ref()
                .filter(|m| !m.judgement.is_empty())
                .map(|m| lang.t(&format!("judgement-{}", m.judgement)))
                .unwrap_or_default(),
            indicator: i.indicator,
            goal: i.goal,
            measurement: i.measurement,
        })
        .collect();
    let judgements =
        Judgement::ALL.iter().map(|j| (j.as_str().to_owned(), lang.t(&format!("judgement-{}", j.as_str())))).collect();
    let page = ReviewPage {
        chrome: Chrome::new(&ctx, &state).marked([&marking]),
        nation: nation_name(&registry, &view.review.nation, lang),
        row: review_row(&view.review, &registry, lang, today),
        review: view.review,
        versions: view
            .versions
            .into_iter()
            .map(|(id, version, status)| (id, version, lang.t(&format!("review-status-{status}"))))
            .collect(),
        indicators,
        actions: view.actions,
        judgements,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /reviews/{id}/parts`: writes the self-assessment or the assessment.
pub async fn write_part(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let input = PartInput { part: typed.get("part"), text: typed.get("text") };
    state.services.assessments.write_part(&ctx.actor, ctx.registry()?, id, &input).await?;
    Ok(Redirect::to(&format!("/reviews/{id}?flash=review-saved")).into_response())
}

/// `POST /reviews/{id}/measurements`: records a measurement; a refusal shows the form again
/// with the reason beside its field.
pub async fn measure(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let recorded = async {
        let evidence = if typed.get("evidence").is_empty() { None } else { Some(typed.number("evidence")?) };
        let input = MeasurementInput {
            indicator: typed.number("indicator")?,
            date: typed.get("date"),
            value: typed.decimal("value")?,
            judgement: typed.get("judgement"),
            note: typed.get("note"),
            evidence,
        };
        state.services.assessments.measure(&ctx.actor, ctx.registry()?, id, &input).await
    };
    match recorded.await {
        Ok(_) => Ok(Redirect::to(&format!("/reviews/{id}?flash=review-saved#indicators")).into_response()),
        Err(error) => {
            let back = format!("/reviews/{id}");
            let judgements = Judgement::ALL
                .iter()
                .map(|j| (j.as_str().to_owned(), ctx.lang.t(&format!("judgement-{}", j.as_str()))));
            let fields = vec![
                Field::hidden("indicator", &typed.get("indicator")),
                Field::date("date", ctx.lang.t("measurement-date"), &typed.get("date")).required(),
                Field::text("value", ctx.lang.t("measurement-value"), &typed.get("value"))
                    .required()
                    .hint(ctx.lang.t("measurement-value-hint")),
                Field::choice(
                    "judgement",
                    ctx.lang.t("measurement-judgement"),
                    &typed.get("judgement"),
                    options(judgements, Some(ctx.lang.t("measurement-judgement-figures"))),
                ),
                Field::text("note", ctx.lang.t("measurement-note"), &typed.get("note")),
                Field::text("evidence", ctx.lang.t("measurement-evidence-number"), &typed.get("evidence")),
            ];
            let form = RecordForm::new(
                ctx.lang.t("measurement-add"),
                format!("{back}/measurements"),
                ctx.lang.t("measurement-add"),
                back.clone(),
                fields,
            );
            show_refused(Chrome::new(&ctx, &state).at(&back), form, error, ctx.lang)
        }
    }
}

/// `POST /reviews/{id}/steps`: submit, return with comments, or approve.
pub async fn step(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let input = ReviewStepInput { step: typed.get("step"), comments: typed.get("comments") };
    state.services.assessments.step(&ctx.actor, ctx.registry()?, id, &input).await?;
    Ok(Redirect::to(&format!("/reviews/{id}?flash=review-saved")).into_response())
}

/// `POST /reviews/{id}/correct`: a new version of an approved review.
pub async fn correct(ctx: CallerContext, State(state): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let review = state.services.assessments.correct(&ctx.actor, ctx.registry()?, id).await?;
    Ok(Redirect::to(&format!("/reviews/{}?flash=review-saved", review.id)).into_response())
}

/// `POST /indicators`: defines an indicator, back to the nation's progress page; a refusal
/// shows the form again, the reason beside the field it names and what was typed kept.
pub async fn create_indicator(
    ctx: CallerContext,
    State(state): State<AppState>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let defined = async {
        let goal_of = |name: &str| if typed.get(name).is_empty() { Ok(0) } else { typed.number(name) };
        let input = IndicatorInput {
            goal: goal_of("goal")?,
            parp_goal: goal_of("parp_goal")?,
            title: typed.get("title"),
            unit: typed.get("unit"),
            direction: typed.get("direction"),
            baseline: typed.decimal("baseline")?,
            baseline_date: typed.get("baseline_date"),
            target: typed.decimal("target")?,
            target_date: typed.get("target_date"),
            marking: typed.get("marking"),
        };
        state.services.assessments.create_indicator(&ctx.actor, ctx.registry()?, &input).await
    };
    match defined.await {
        Ok(indicator) => {
            Ok(Redirect::to(&format!("/progress/{}?flash=indicator-saved", indicator.nation)).into_response())
        }
        Err(error) => {
            let lang = ctx.lang;
            let fields = vec![
                Field::hidden("goal", &typed.get("goal")),
                Field::hidden("parp_goal", &typed.get("parp_goal")),
                Field::text("title", lang.t("indicator-title"), &typed.get("title")).required(),
                Field::text("unit", lang.t("indicator-unit"), &typed.get("unit")),
                Field::choice(
                    "direction",
                    lang.t("indicator-direction"),
                    &typed.get("direction"),
                    options(directions(lang), None),
                )
                .required(),
                Field::text("baseline", lang.t("indicator-baseline"), &typed.get("baseline")).required(),
                Field::date("baseline_date", lang.t("indicator-baseline-date"), &typed.get("baseline_date")).required(),
                Field::text("target", lang.t("indicator-target"), &typed.get("target")).required(),
                Field::date("target_date", lang.t("indicator-target-date"), &typed.get("target_date")).required(),
            ];
            let form = RecordForm::new(
                lang.t("indicator-define"),
                "/indicators".into(),
                lang.t("indicator-define"),
                "/assessments".into(),
                fields,
            );
            show_refused(Chrome::new(&ctx, &state).at("/assessments"), form, error, lang)
        }
    }
}

/// `POST /parp-goals`: agrees a PARP goal.
pub async fn create_parp_goal(
    ctx: CallerContext,
    State(state): State<AppState>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let input = ParpGoalInput {
        nation: typed.get("nation"),
        round_year: typed.number("round_year")?,
        code: typed.get("code"),
        title: typed.get("title"),
        marking: typed.get("marking"),
    };
    let goal = state.services.assessments.create_parp_goal(&ctx.actor, ctx.registry()?, &input).await?;
    Ok(Redirect::to(&format!("/progress/{}?flash=indicator-saved", goal.nation)).into_response())
}

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    chrome: Chrome,
    units: Vec<(UnitView, String)>,
    may_declare: bool,
    own: String,
    steps: Vec<&'static str>,
}

/// `GET /units?due=true`: the units declared to the pool of forces, where they stand.
pub async fn units(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let registry = ctx.registry()?.clone();
    let due_only = params.get("due").is_some_and(|v| v == "true");
    let list = state.services.forces.list(&ctx.actor, &registry, None, state.today()).await?;
    let units = list
        .into_iter()
        .filter(|u| !due_only || u.due_for_revalidation)
        .map(|u| {
            let name = nation_name(&registry, &u.nation, ctx.lang);
            (u, name)
        })
        .collect();
    let own = own_nation(&ctx.actor.caller);
    let may_declare =
        state.services.forces.may_declare(&ctx.actor, own) || state.services.forces.may_declare(&ctx.actor, None);
    let steps = entente_core::force_evaluation::EvaluationStep::ALL.iter().map(|s| s.as_str()).collect();
    let page = UnitsPage {
        chrome: Chrome::new(&ctx, &state),
        units,
        may_declare,
        own: own.map(|n| n.to_string()).unwrap_or_default(),
        steps,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /units`: declares a unit; a refusal shows the form again with the reason beside
/// its field.
pub async fn declare(
    ctx: CallerContext,
    State(state): State<AppState>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let declared = async {
        let input = UnitInput {
            nation: typed.get("nation"),
            name: typed.get("name"),
            unit_type: typed.get("unit_type"),
            size: typed.number("size")?,
            declared_on: typed.get("declared_on"),
            marking: typed.get("marking"),
        };
        state.services.forces.declare(&ctx.actor, ctx.registry()?, &input, state.today()).await
    };
    match declared.await {
        Ok(unit) => Ok(Redirect::to(&format!("/units?flash=unit-saved#unit-{}", unit.id)).into_response()),
        Err(error) => {
            let lang = ctx.lang;
            let fields = vec![
                Field::text("nation", lang.t("col-nation"), &typed.get("nation")).required(),
                Field::text("name", lang.t("unit-name"), &typed.get("name")).required(),
                Field::text("unit_type", lang.t("unit-type"), &typed.get("unit_type")).required(),
                Field::number("size", lang.t("unit-size"), &typed.get("size")).required(),
                Field::date("declared_on", lang.t("unit-declared"), &typed.get("declared_on")).required(),
            ];
            let form = RecordForm::new(
                lang.t("unit-declare"),
                "/units".into(),
                lang.t("unit-declare"),
                "/units".into(),
                fields,
            );
            show_refused(Chrome::new(&ctx, &state).at("/units"), form, error, lang)
        }
    }
}

/// `POST /units/{id}/steps`: records an evaluation step.
pub async fn unit_step(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let number_or_zero = |name: &str| if typed.get(name).is_empty() { Ok(0) } else { typed.number(name) };
    let input = StepInput {
        step: typed.get("step"),
        date: typed.get("date"),
        passed: typed.get("passed") == "true",
        evaluator: typed.get("evaluator"),
        areas: typed.get("areas"),
        tasks_passed: number_or_zero("tasks_passed")?,
        tasks_total: number_or_zero("tasks_total")?,
    };
    state.services.forces.record_step(&ctx.actor, ctx.registry()?, id, &input, state.today()).await?;
    Ok(Redirect::to(&format!("/units?flash=unit-saved#unit-{id}")).into_response())
}

/// Findings of one kind: (finding, nation's name).
struct FindingGroup {
    kind: String,
    heading: String,
    items: Vec<(Finding, String)>,
}

#[derive(Template)]
#[template(path = "quality.html")]
struct QualityPage {
    chrome: Chrome,
    year: i64,
    groups: Vec<FindingGroup>,
}

/// `GET /data-quality?year=`: what is missing or late, by kind.
pub async fn data_quality(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> PageResult {
    let registry = ctx.registry()?.clone();
    let lang = ctx.lang;
    let today = state.today();
    let year = page_year(&params, i64::from(today.year()))?;
    let all = quality::findings(&state.services, &ctx.actor, &registry, year, today).await?;
    let groups = quality::KINDS
        .iter()
        .map(|kind| {
            let items = all
                .iter()
                .filter(|f| f.kind == *kind)
                .map(|f| (f.clone(), nation_name(&registry, &f.nation, lang)))
                .collect();
            FindingGroup { kind: kind.to_string(), heading: lang.t(&format!("quality-{kind}")), items }
        })
        .collect();
    Ok(render(StatusCode::OK, &QualityPage { chrome: Chrome::new(&ctx, &state), year, groups }))
}

/// `GET /assessments.csv?year=`: every nation's progress.
pub async fn progress_csv(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let year = year_or(&params, "year", i64::from(state.today().year()))?;
    let all: Vec<NationProgress> = state.services.progress.all(&ctx.actor, ctx.registry()?, year).await?;
    let cell = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
    let rows = all.iter().map(|n| {
        vec![
            n.nation.clone(),
            year.to_string(),
            cell(n.progress),
            n.status.clone().unwrap_or_default(),
            n.measured.to_string(),
            n.indicators.to_string(),
            cell(n.previous),
            cell(n.change),
        ]
    });
    let header = ["nation", "year", "progress", "status", "measured", "indicators", "previous", "change"];
    csv_download(&format!("entente-progress-{year}.csv"), &header, rows.collect::<Vec<_>>().into_iter())
}

/// `GET /reviews.csv?year=`: the reviews.
pub async fn reviews_csv(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let year = if params.contains_key("year") { Some(year_or(&params, "year", 0)?) } else { None };
    let today = state.today();
    let list = state.services.assessments.list(&ctx.actor, ctx.registry()?, None, year).await?;
    let rows = list.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.nation.clone(),
            r.cycle.clone(),
            r.programme_code.clone(),
            r.year.to_string(),
            r.stage.clone(),
            r.version.to_string(),
            r.status.clone(),
            r.deadline.clone(),
            is_overdue(r, today).to_string(),
        ]
    });
    let header = ["id", "nation", "cycle", "programme", "year", "stage", "version", "status", "deadline", "overdue"];
    csv_download("entente-reviews.csv", &header, rows.collect::<Vec<_>>().into_iter())
}

/// `GET /units.csv`: the units and where they stand.
pub async fn units_csv(ctx: CallerContext, State(state): State<AppState>) -> Result<Response, HttpError> {
    let list = state.services.forces.list(&ctx.actor, ctx.registry()?, None, state.today()).await?;
    let rows = list.iter().map(|u| {
        vec![
            u.id.to_string(),
            u.nation.clone(),
            u.name.clone(),
            u.unit_type.clone(),
            u.size.to_string(),
            u.declared_on.clone(),
            u.passed.clone().unwrap_or_default(),
            u.certified_on.clone().unwrap_or_default(),
            u.expires_on.clone().unwrap_or_default(),
            u.due_for_revalidation.to_string(),
        ]
    });
    let header = ["id", "nation", "name", "type", "size", "declared_on", "passed", "certified_on", "expires_on", "due"];
    csv_download("entente-units.csv", &header, rows.collect::<Vec<_>>().into_iter())
}

/// `GET /data-quality.csv?year=`: the findings.
pub async fn quality_csv(
    ctx: CallerContext,
    State(state): State<AppState>,
    Query(params): Query<Params>,
) -> Result<Response, HttpError> {
    let today = state.today();
    let year = year_or(&params, "year", i64::from(today.year()))?;
    let all = quality::findings(&state.services, &ctx.actor, ctx.registry()?, year, today).await?;
    let rows = all.into_iter().map(|f| vec![f.kind, f.nation, f.subject, f.date, f.link]);
    csv_download(&format!("entente-data-quality-{year}.csv"), &["kind", "nation", "subject", "date", "link"], rows)
}

/// The choices of an indicator's direction, in words.
pub(super) fn directions(lang: Lang) -> Vec<(String, String)> {
    Direction::ALL.iter().map(|d| (d.as_str().to_owned(), lang.t(&format!("direction-{}", d.as_str())))).collect()
}
