//! Programme pages: programmes by status (the staff) or the caller's nation's ("my
//! programme"), one programme's tree, work plan, versions and lifecycle actions, what an
//! amendment changes, and the forms that build a draft. The services decide.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use entente_core::Action;
use entente_core::programme::{ProgrammeKind, ProgrammeStatus, Step};

use super::form::{Field, RecordForm, Typed, options, own_nation, show, show_refused};
use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::http::i18n::Lang;
use crate::service::programmes::{ObjectiveView, ProgrammeInput, ProgrammeView};
use crate::service::{Reason, ServiceError};
use crate::store::programmes::{StoredItem, StoredProgramme};

/// A programme as a row.
#[derive(Debug, Clone)]
pub struct ProgrammeLine {
    /// Code.
    pub code: String,
    /// Nation.
    pub nation: String,
    /// Kind in words.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Period.
    pub period: String,
    /// Status code.
    pub status: String,
    /// Status in words.
    pub status_label: String,
    /// Version.
    pub version: i64,
}

fn line(p: &StoredProgramme, lang: Lang) -> ProgrammeLine {
    ProgrammeLine {
        code: p.code.clone(),
        nation: p.nation.clone(),
        kind: lang.t(&format!("programme-kind-{}", p.kind)),
        title: p.title.clone(),
        period: if p.ends.is_empty() { p.starts.clone() } else { format!("{} – {}", p.starts, p.ends) },
        status: p.status.clone(),
        status_label: lang.t(&format!("programme-status-{}", p.status)),
        version: p.version,
    }
}

#[derive(Template)]
#[template(path = "programmes.html")]
struct ListPage {
    chrome: Chrome,
    programmes: Vec<ProgrammeLine>,
    statuses: Vec<(String, String, bool)>,
    filtered: bool,
    nation: Option<String>,
    may_create: bool,
}

/// `GET /programmes`: the programmes the caller may read, by nation; a nation's officer sees
/// her own nation's ("my programme"); `?status=` filters.
pub async fn list(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let registry = ctx.registry()?.clone();
    let status = params.get("status").map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if let Some(s) = &status
        && ProgrammeStatus::parse(s).is_none()
    {
        return Err(ServiceError::BadQuery {
            parameter: "status".into(),
            reason: Reason::NotOneOf(s.clone(), "draft, submitted, agreed, in_execution, closed"),
        }
        .into());
    }
    let nation = own_nation(&ctx.actor.caller).map(|n| n.to_string());
    let all = state.services.programmes.list(&ctx.actor, &registry, nation.as_deref(), status.as_deref()).await?;
    let statuses = ProgrammeStatus::ALL
        .iter()
        .map(|s| {
            (
                s.as_str().to_owned(),
                ctx.lang.t(&format!("programme-status-{}", s.as_str())),
                status.as_deref() == Some(s.as_str()),
            )
        })
        .collect();
    let may_create = state.services.programmes.may_create(&ctx.actor, nation.as_deref().and_then(|n| n.parse().ok()));
    let page = ListPage {
        chrome: Chrome::new(&ctx, &state),
        programmes: all.iter().map(|p| line(p, ctx.lang)).collect(),
        statuses,
        filtered: status.is_some(),
        nation,
        may_create,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ShowPage {
    chrome: Chrome,
    programme: ProgrammeLine,
    stored: StoredProgramme,
    objectives: Vec<ObjectiveView>,
    work_plan: Vec<StoredItem>,
    versions: Vec<(i64, String)>,
    draft: bool,
    steps: Vec<(String, String)>,
    may_amend: bool,
    may_plan: bool,
    goals: Vec<(i64, String)>,
    first_year: String,
}

/// `GET /programmes/{code}`: the tree, the work plans, the versions and what the caller may
/// do next.
pub async fn show_programme(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> PageResult {
    let registry = ctx.registry()?.clone();
    let version = params.get("version").and_then(|v| v.trim().parse::<i64>().ok());
    let view = state.services.programmes.get(&ctx.actor, &registry, &code, version).await?;
    let actions = state.services.programmes.actions(&ctx.actor, &registry, &view)?;
    let ProgrammeView { programme, objectives, work_plan, versions } = view;
    let marking =
        entente_core::Marking::parse(&programme.marking, |c| crate::service::documents::is_framework_of(&registry, c))
            .map_err(|e| ServiceError::Corrupt(e.to_string()))?;
    let steps = actions
        .steps
        .iter()
        .map(|s| (s.as_str().to_owned(), ctx.lang.t(&format!("programme-step-{}", s.as_str()))))
        .collect();
    let goals = objectives
        .iter()
        .flat_map(|o| o.goals.iter().map(move |g| (g.id, format!("{} / {}", o.title, g.title))))
        .collect();
    let page = ShowPage {
        may_plan: actions.plan,
        goals,
        first_year: programme.starts.get(..4).unwrap_or_default().to_owned(),
        chrome: Chrome::new(&ctx, &state).marked([&marking]),
        programme: line(&programme, ctx.lang),
        draft: actions.edit,
        stored: programme,
        objectives,
        work_plan,
        versions: versions
            .into_iter()
            .map(|(v, status)| (v, ctx.lang.t(&format!("programme-status-{status}"))))
            .collect(),
        steps,
        may_amend: actions.amend,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "programme_changes.html")]
struct ChangesPage {
    chrome: Chrome,
    code: String,
    versions: Option<(i64, i64)>,
    changes: Vec<(String, String, String)>,
}

/// `GET /programmes/{code}/changes`: what the latest version changes against the last agreed.
pub async fn changes(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    let registry = ctx.registry()?.clone();
    let (versions, list) = state.services.programmes.changes(&ctx.actor, &registry, &code).await?;
    let page = ChangesPage {
        chrome: Chrome::new(&ctx, &state),
        code,
        versions,
        changes: list
            .into_iter()
            .map(|d| (path_words(&d.path, ctx.lang), d.before.unwrap_or_default(), d.after.unwrap_or_default()))
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// A difference's place in words: `objective 2 / goal 1 / support` in the page's language.
fn path_words(path: &str, lang: Lang) -> String {
    path.split(" / ")
        .map(|part| match part.split_once(' ') {
            Some((item, n)) => lang.t_with(&format!("programme-path-{item}"), &[("number", n.to_owned())]),
            None => lang.t(&format!("programme-path-{part}")),
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

fn programme_form(lang: Lang, input: &ProgrammeInput, fixed_nation: bool) -> RecordForm {
    let kinds =
        ProgrammeKind::ALL.iter().map(|k| (k.as_str().to_owned(), lang.t(&format!("programme-kind-{}", k.as_str()))));
    let nation = if fixed_nation {
        Field::fixed("nation", lang.t("col-nation"), &input.nation)
    } else {
        Field::text("nation", lang.t("col-nation"), &input.nation).required()
    };
    let fields = vec![
        nation,
        Field::choice("kind", lang.t("programme-kind"), &input.kind, options(kinds, Some(lang.t("form-choose"))))
            .required(),
        Field::text("title", lang.t("menu-col-title"), &input.title).required(),
        Field::date("starts", lang.t("programme-starts"), &input.starts).required(),
        Field::date("ends", lang.t("programme-ends"), &input.ends).hint(lang.t("programme-ends-hint")),
        Field::text("marking", lang.t("feedback-marking"), &input.marking).hint(lang.t("programme-marking-hint")),
    ];
    RecordForm::new(
        lang.t("programme-new"),
        "/programmes".into(),
        lang.t("programme-create"),
        "/programmes".into(),
        fields,
    )
}

/// `GET /programmes/new`: the form that starts a programme.
pub async fn new_programme(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    ctx.signed_in()?;
    let nation = own_nation(&ctx.actor.caller).map(|n| n.to_string());
    if !state.services.programmes.may_create(&ctx.actor, nation.as_deref().and_then(|n| n.parse().ok())) {
        return Err(ServiceError::Refused(entente_core::Refusal {
            rule: entente_core::Rule::OnlyConcernedNation,
            action: Action::Create,
            target: entente_core::Target::Programme,
        })
        .into());
    }
    let input = ProgrammeInput { nation: nation.clone().unwrap_or_default(), ..ProgrammeInput::default() };
    show(
        Chrome::new(&ctx, &state).at("/programmes/new"),
        programme_form(ctx.lang, &input, nation.is_some()),
        StatusCode::OK,
    )
}

/// `POST /programmes`: starts the programme, or shows the form again with the refusal.
pub async fn create(
    ctx: CallerContext,
    State(state): State<AppState>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let nation = own_nation(&ctx.actor.caller).map(|n| n.to_string());
    let input = ProgrammeInput {
        nation: nation.clone().unwrap_or_else(|| typed.get("nation")),
        kind: typed.get("kind"),
        title: typed.get("title"),
        starts: typed.get("starts"),
        ends: typed.get("ends"),
        marking: typed.get("marking"),
    };
    let registry = ctx.registry()?.clone();
    match state.services.programmes.create(&ctx.actor, &registry, &input).await {
        Ok(p) => Ok(Redirect::to(&format!("/programmes/{}?flash=programme-saved", p.code)).into_response()),
        Err(error) => show_refused(
            Chrome::new(&ctx, &state).at("/programmes/new"),
            programme_form(ctx.lang, &input, nation.is_some()),
            error,
            ctx.lang,
        ),
    }
}

/// `POST /programmes/{code}/items`: adds an objective, a goal or a support to a draft, as
/// the form's `what` says.
pub async fn add_item(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let registry = ctx.registry()?.clone();
    let service = &state.services.programmes;
    match typed.get("what").as_str() {
        "objective" => {
            service.add_objective(&ctx.actor, &registry, &code, &typed.get("title")).await?;
        }
        "goal" => {
            service.add_goal(&ctx.actor, &registry, &code, typed.number("objective")?, &typed.get("title")).await?;
        }
        "support" => {
            service.add_support(&ctx.actor, &registry, &code, typed.number("goal")?, &typed.get("item")).await?;
        }
        other => {
            return Err(ServiceError::Invalid {
                field: "what".into(),
                reason: Reason::NotOneOf(other.to_owned(), "objective, goal, support"),
            }
            .into());
        }
    }
    Ok(Redirect::to(&format!("/programmes/{code}?flash=programme-saved#tree")).into_response())
}

/// `POST /programmes/{code}/work-plan`: puts an activity or event on a year's work plan.
pub async fn add_to_work_plan(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let registry = ctx.registry()?.clone();
    let input = crate::service::programmes::WorkPlanInput {
        year: typed.number("year")?,
        goal: typed.number("goal")?,
        item: typed.get("item"),
        priority: typed.number("priority")?,
    };
    state.services.programmes.add_to_work_plan(&ctx.actor, &registry, &code, &input).await?;
    Ok(Redirect::to(&format!("/programmes/{code}?flash=work-plan-added#work-plan")).into_response())
}

/// `POST /programmes/{code}/steps`: takes a lifecycle step.
pub async fn step(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let registry = ctx.registry()?.clone();
    let step = Step::parse(typed.get("step").trim()).ok_or_else(|| ServiceError::Invalid {
        field: "step".into(),
        reason: Reason::NotOneOf(
            typed.get("step"),
            "submit, return, council_decision, partner_acceptance, execute, close",
        ),
    })?;
    state.services.programmes.step(&ctx.actor, &registry, &code, step, &typed.get("reference")).await?;
    Ok(Redirect::to(&format!("/programmes/{code}?flash=programme-saved")).into_response())
}

/// `POST /programmes/{code}/amend`: starts an amendment (a new draft version).
pub async fn amend(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    let registry = ctx.registry()?.clone();
    state.services.programmes.amend(&ctx.actor, &registry, &code).await?;
    Ok(Redirect::to(&format!("/programmes/{code}?flash=programme-saved")).into_response())
}
