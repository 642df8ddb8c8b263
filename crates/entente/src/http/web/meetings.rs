//! Meeting pages: the meetings the caller may see (with a tool that resolves a rule on a
//! day), one meeting with its rule and resolved participants, agenda, outcomes, action
//! items and documents, and the forms that organise and record them. The services decide.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use entente_core::Registry;
use entente_core::meeting::{MeetingFormat, MeetingLevel};

use super::form::{Field, RecordForm, Typed, options, show, show_refused};
use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::http::i18n::Lang;
use crate::service::ServiceError;
use crate::service::documents::Document;
use crate::service::meetings::{ActionInput, MeetingInput, kind_of};
use crate::store::meetings::{StoredAction, StoredMeeting};

/// A meeting as a row.
pub struct MeetingLine {
    /// Its number.
    pub id: i64,
    /// Title.
    pub title: String,
    /// When, in the place's time.
    pub when: String,
    /// Format in words.
    pub format: String,
    /// Level in words.
    pub level: String,
    /// Place.
    pub place: String,
}

/// A meeting's row in the page's language.
pub fn line(m: &StoredMeeting, lang: Lang) -> MeetingLine {
    let when = if !m.recorded_date.is_empty() {
        m.recorded_date.clone()
    } else if m.starts == m.ends {
        m.starts.replace('T', " ")
    } else {
        format!("{} – {}", m.starts.replace('T', " "), m.ends.replace('T', " "))
    };
    MeetingLine {
        id: m.id,
        title: m.title.clone(),
        when: format!("{when} ({})", m.time_zone),
        format: lang.t(&format!("meeting-format-{}", m.format)),
        level: lang.t(&format!("meeting-level-{}", m.level)),
        place: m.place.clone(),
    }
}

/// A participant's code and name in the page's language.
pub fn party_name(registry: &Registry, kind: &str, code: &str, lang: Lang) -> String {
    let name = match kind {
        "nation" => {
            code.parse().ok().and_then(|c| registry.nation(c)).map(|n| lang.pick(&n.name_en, &n.name_fr).to_owned())
        }
        _ => code
            .parse()
            .ok()
            .and_then(|c| registry.organisation(&c))
            .map(|o| lang.pick(&o.name_en, &o.name_fr).to_owned()),
    };
    name.unwrap_or_else(|| code.to_owned())
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct ListPage {
    chrome: Chrome,
    meetings: Vec<MeetingLine>,
    next: Option<i64>,
    may_organise: bool,
    rule: String,
    at: String,
    resolved: Option<Vec<(String, String)>>,
    rule_error: Option<String>,
}

/// `GET /meetings`: the meetings the caller may see, newest first; `?rule=&at=` resolves a
/// rule on a day.
pub async fn list(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let registry = ctx.registry()?.clone();
    let lang = ctx.lang;
    let after = params.get("after").and_then(|a| a.trim().parse().ok());
    let page = state.services.meetings.list(&ctx.actor, &registry, None, after).await?;
    let rule = params.get("rule").map(|r| r.trim().to_owned()).unwrap_or_default();
    let (at, _, date_error) = super::page_day(&params, state.today(), lang);
    let (resolved, rule_error) = if let Some(error) = date_error {
        (None, Some(error))
    } else if rule.is_empty() {
        (None, None)
    } else {
        match state.services.meetings.resolve_rule(&registry, &rule, at).await {
            Ok((_, parties)) => (
                Some(
                    parties
                        .iter()
                        .map(|p| (p.code().to_owned(), party_name(&registry, kind_of(p), p.code(), lang)))
                        .collect(),
                ),
                None,
            ),
            Err(ServiceError::Invalid { reason, .. }) => (None, Some(super::errors::reason_text(&reason, lang))),
            Err(other) => return Err(other.into()),
        }
    };
    let listing = ListPage {
        chrome: Chrome::new(&ctx, &state),
        meetings: page.items.iter().map(|m| line(m, lang)).collect(),
        next: page.next,
        may_organise: state.services.meetings.may_organise(&ctx.actor),
        rule,
        at: at.to_string(),
        resolved,
        rule_error,
    };
    Ok(render(StatusCode::OK, &listing))
}

fn meeting_form(lang: Lang, input: &MeetingInput) -> RecordForm {
    let formats =
        MeetingFormat::ALL.iter().map(|f| (f.as_str().to_owned(), lang.t(&format!("meeting-format-{}", f.as_str()))));
    let levels =
        MeetingLevel::ALL.iter().map(|l| (l.as_str().to_owned(), lang.t(&format!("meeting-level-{}", l.as_str()))));
    let fields = vec![
        Field::text("title", lang.t("menu-col-title"), &input.title).required(),
        Field::choice("format", lang.t("meeting-format"), &input.format, options(formats, Some(lang.t("form-choose"))))
            .required(),
        Field::choice("level", lang.t("meeting-level"), &input.level, options(levels, Some(lang.t("form-choose"))))
            .required(),
        Field::text("starts", lang.t("meeting-starts"), &input.starts).required().hint(lang.t("meeting-time-hint")),
        Field::text("ends", lang.t("meeting-ends"), &input.ends).hint(lang.t("meeting-ends-hint")),
        Field::text("time_zone", lang.t("meeting-time-zone"), &input.time_zone).hint(lang.t("meeting-time-zone-hint")),
        Field::text("place", lang.t("meeting-place"), &input.place),
        Field::text("chair", lang.t("meeting-chair"), &input.chair),
        Field::text("rule", lang.t("meeting-rule"), &input.rule).hint(lang.t("meeting-rule-hint")),
        Field::text("names", lang.t("meeting-names"), &input.names).hint(lang.t("meeting-names-hint")),
        Field::text("marking", lang.t("feedback-marking"), &input.marking).hint(lang.t("meeting-marking-hint")),
    ];
    RecordForm::new(lang.t("meeting-new"), "/meetings".into(), lang.t("meeting-create"), "/meetings".into(), fields)
}

fn input_of(typed: &Typed) -> MeetingInput {
    MeetingInput {
        title: typed.get("title"),
        format: typed.get("format"),
        level: typed.get("level"),
        starts: typed.get("starts"),
        ends: typed.get("ends"),
        time_zone: typed.get("time_zone"),
        place: typed.get("place"),
        chair: typed.get("chair"),
        rule: typed.get("rule"),
        names: typed.get("names"),
        marking: typed.get("marking"),
    }
}

/// `GET /meetings/new`: the form that organises a meeting.
pub async fn new_meeting(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    ctx.signed_in()?;
    if !state.services.meetings.may_organise(&ctx.actor) {
        return Err(ServiceError::Refused(entente_core::Refusal {
            rule: entente_core::Rule::OnlyStaff,
            action: entente_core::Action::Create,
            target: entente_core::Target::Meeting,
        })
        .into());
    }
    let input = MeetingInput { time_zone: "Europe/Brussels".into(), ..MeetingInput::default() };
    show(Chrome::new(&ctx, &state).at("/meetings/new"), meeting_form(ctx.lang, &input), StatusCode::OK)
}

/// `POST /meetings`: organises the meeting, or shows the form again with the refusal.
pub async fn create(
    ctx: CallerContext,
    State(state): State<AppState>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let input = input_of(&Typed(fields.0));
    let registry = ctx.registry()?.clone();
    match state.services.meetings.create(&ctx.actor, &registry, &input).await {
        Ok(m) => Ok(Redirect::to(&format!("/meetings/{}?flash=meeting-saved", m.id)).into_response()),
        Err(error) => {
            show_refused(Chrome::new(&ctx, &state).at("/meetings/new"), meeting_form(ctx.lang, &input), error, ctx.lang)
        }
    }
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct ShowPage {
    chrome: Chrome,
    meeting: StoredMeeting,
    line: MeetingLine,
    participants: Vec<(String, String)>,
    agenda: Vec<String>,
    outcomes: Vec<String>,
    actions: Vec<(StoredAction, String)>,
    documents: Vec<Document>,
    participant: bool,
    may_organise: bool,
}

/// `GET /meetings/{id}`: the meeting, its rule and resolved participants, agenda, outcomes,
/// action items and documents.
pub async fn show_meeting(ctx: CallerContext, State(state): State<AppState>, Path(id): Path<i64>) -> PageResult {
    let registry = ctx.registry()?.clone();
    let lang = ctx.lang;
    let view = state.services.meetings.get(&ctx.actor, &registry, id).await?;
    let may_organise = state.services.meetings.may_organise(&ctx.actor);
    let page = ShowPage {
        chrome: Chrome::new(&ctx, &state).marked([&view.marking]),
        line: line(&view.meeting, lang),
        participants: view
            .participants
            .iter()
            .map(|(kind, code)| (code.clone(), party_name(&registry, kind, code, lang)))
            .collect(),
        agenda: view.agenda,
        outcomes: view.outcomes,
        actions: view
            .actions
            .into_iter()
            .map(|a| {
                let status = lang.t(&format!("action-status-{}", a.status));
                (a, status)
            })
            .collect(),
        documents: view.documents,
        participant: view.participant,
        meeting: view.meeting,
        may_organise,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /meetings/{id}/entries`: adds an agenda item or an outcome.
pub async fn add_entry(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let registry = ctx.registry()?.clone();
    let section = typed.get("section");
    state.services.meetings.add_entry(&ctx.actor, &registry, id, section.trim(), &typed.get("text")).await?;
    Ok(Redirect::to(&format!("/meetings/{id}?flash=meeting-saved#{}", section.trim())).into_response())
}

/// `POST /meetings/{id}/actions`: adds an action item.
pub async fn add_action(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let registry = ctx.registry()?.clone();
    let input = ActionInput { title: typed.get("title"), owner: typed.get("owner"), due: typed.get("due") };
    state.services.meetings.add_action(&ctx.actor, &registry, id, &input).await?;
    Ok(Redirect::to(&format!("/meetings/{id}?flash=meeting-saved#actions")).into_response())
}

/// `POST /action-items/{id}/status`: sets an action item's status.
pub async fn action_status(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let registry = ctx.registry()?.clone();
    let action = state.services.meetings.set_action_status(&ctx.actor, &registry, id, &typed.get("status")).await?;
    Ok(Redirect::to(&format!("/meetings/{}?flash=meeting-saved#actions", action.meeting_id)).into_response())
}

/// `POST /meetings/{id}/documents`: attaches a document.
pub async fn attach(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    fields: Form<HashMap<String, String>>,
) -> PageResult {
    let typed = Typed(fields.0);
    let registry = ctx.registry()?.clone();
    state.services.meetings.attach_document(&ctx.actor, &registry, id, typed.number("document")?).await?;
    Ok(Redirect::to(&format!("/meetings/{id}?flash=meeting-saved#documents")).into_response())
}
