//! Staff's forms for the menu: a new activity (`/activities/new`), an activity's edit
//! (`/activities/{code}/edit`), a new event (`/events/new`) and an event's edit
//! (`/events/{code}/edit`). The services check and authorize; these pages only lay out
//! the fields and show a refusal next to the field it names.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use entente_core::event::EventStatus;
use entente_core::menu::ActivityKind;

use super::form::{Field, RecordForm, Typed, options, show, show_refused};
use super::{Chrome, PageResult};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::http::i18n::Lang;
use crate::service::events::{EventInput, input_of as event_input_of};
use crate::service::menu::{ActivityInput, Catalogue, input_of as activity_input_of};

type Form = axum::Form<std::collections::HashMap<String, String>>;

/// The activity's fields; an edit shows its code and year, which stay.
fn activity_fields(lang: Lang, catalogue: &Catalogue, input: &ActivityInput, editing: bool) -> Vec<Field> {
    let areas =
        catalogue.areas.iter().map(|a| (a.code.clone(), format!("{} ({})", lang.pick(&a.name_en, &a.name_fr), a.code)));
    let kinds = ActivityKind::ALL.iter().map(|k| (k.as_str().to_owned(), lang.t(&format!("kind-{}", k.as_str()))));
    let (code, year) = if editing {
        (
            Field::fixed("code", lang.t("menu-col-code"), &input.code),
            Field::fixed("year", lang.t("menu-year"), &input.year),
        )
    } else {
        (
            Field::text("code", lang.t("menu-col-code"), &input.code)
                .required()
                .hint(lang.t("form-activity-code-hint")),
            Field::number("year", lang.t("menu-year"), &input.year).required(),
        )
    };
    vec![
        code,
        year,
        Field::text("title_en", lang.t("form-title-en"), &input.title_en).required(),
        Field::text("title_fr", lang.t("form-title-fr"), &input.title_fr),
        Field::long_text("description_en", lang.t("form-description-en"), &input.description_en),
        Field::long_text("description_fr", lang.t("form-description-fr"), &input.description_fr),
        Field::choice("area", lang.t("menu-area"), &input.area, options(areas, Some(lang.t("form-choose")))).required(),
        Field::choice("kind", lang.t("menu-kind"), &input.kind, options(kinds, Some(lang.t("form-choose")))).required(),
        Field::text("provider", lang.t("activity-provider"), &input.provider).hint(lang.t("form-provider-hint")),
        Field::text("languages", lang.t("menu-language"), &input.languages).hint(lang.t("form-languages-hint")),
        Field::text("marking", lang.t("activity-marking"), &input.marking).hint(lang.t("form-marking-hint")),
        Field::text("open_to", lang.t("menu-col-open-to"), &input.open_to).required().hint(lang.t("form-open-to-hint")),
        Field::number("default_seats", lang.t("form-default-seats"), &input.default_seats),
    ]
}

fn activity_input(typed: &Typed) -> ActivityInput {
    ActivityInput {
        code: typed.get("code"),
        year: typed.get("year"),
        title_en: typed.get("title_en"),
        title_fr: typed.get("title_fr"),
        description_en: typed.get("description_en"),
        description_fr: typed.get("description_fr"),
        area: typed.get("area"),
        kind: typed.get("kind"),
        provider: typed.get("provider"),
        languages: typed.get("languages"),
        marking: typed.get("marking"),
        open_to: typed.get("open_to"),
        default_seats: typed.get("default_seats"),
    }
}

fn new_activity_form(lang: Lang, catalogue: &Catalogue, input: &ActivityInput) -> RecordForm {
    RecordForm::new(
        lang.t("form-new-activity"),
        "/activities".into(),
        lang.t("form-create"),
        "/menu".into(),
        activity_fields(lang, catalogue, input, false),
    )
}

/// `GET /activities/new`: the form of a new activity.
pub async fn new_activity(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    ctx.signed_in()?;
    state.services.menu.check_editor(&ctx.actor)?;
    let catalogue = state.services.menu.catalogue().await?;
    let input = ActivityInput {
        year: state.today().format("%Y").to_string(),
        marking: "UNCLASSIFIED".into(),
        open_to: "PARTNERS".into(),
        languages: "en".into(),
        ..ActivityInput::default()
    };
    let form = new_activity_form(ctx.lang, &catalogue, &input);
    show(Chrome::new(&ctx, &state).at("/activities/new"), form, StatusCode::OK)
}

/// `POST /activities`: creates the activity, or shows the form again with the refusal.
pub async fn create_activity(ctx: CallerContext, State(state): State<AppState>, fields: Form) -> PageResult {
    let input = activity_input(&Typed(fields.0));
    let registry = ctx.registry()?.clone();
    match state.services.menu.create(&ctx.actor, &registry, &input).await {
        Ok(activity) => {
            Ok(Redirect::to(&format!("/activities/{}?year={}&flash=activity-saved", activity.code, activity.year))
                .into_response())
        }
        Err(error) => {
            let catalogue = state.services.menu.catalogue().await?;
            let form = new_activity_form(ctx.lang, &catalogue, &input);
            show_refused(Chrome::new(&ctx, &state).at("/activities/new"), form, error, ctx.lang)
        }
    }
}

fn edit_activity_form(lang: Lang, catalogue: &Catalogue, input: &ActivityInput) -> RecordForm {
    let back = format!("/activities/{}?year={}", input.code, input.year);
    RecordForm::new(
        lang.t_with("form-edit-activity", &[("code", input.code.clone()), ("year", input.year.clone())]),
        format!("/activities/{}/edit", input.code),
        lang.t("form-save"),
        back,
        activity_fields(lang, catalogue, input, true),
    )
}

/// `GET /activities/{code}/edit?year=`: the activity's edit form.
pub async fn edit_activity(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<Params>,
) -> PageResult {
    ctx.signed_in()?;
    let year = params.get("year").and_then(|y| y.parse::<i64>().ok());
    let registry = ctx.registry()?.clone();
    let row = state.services.menu.editable(&ctx.actor, &registry, &code.to_ascii_uppercase(), year).await?;
    let catalogue = state.services.menu.catalogue().await?;
    let form = edit_activity_form(ctx.lang, &catalogue, &activity_input_of(&row));
    show(Chrome::new(&ctx, &state).at(&format!("/activities/{}/edit", row.code)), form, StatusCode::OK)
}

/// `POST /activities/{code}/edit` (with the menu's `year`): saves the activity.
pub async fn update_activity(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    fields: Form,
) -> PageResult {
    let typed = Typed(fields.0);
    let code = code.to_ascii_uppercase();
    let registry = ctx.registry()?.clone();
    let year = match typed.get("year").parse::<i64>() {
        Ok(year) => year,
        // The form always sends the year it shows; without one, no menu is named.
        Err(_) => return Err(crate::service::ServiceError::NotFound { kind: "activity", code }.into()),
    };
    let input = ActivityInput { code: code.clone(), ..activity_input(&typed) };
    match state.services.menu.update(&ctx.actor, &registry, &code, year, &input).await {
        Ok(activity) => {
            Ok(Redirect::to(&format!("/activities/{}?year={}&flash=activity-saved", activity.code, activity.year))
                .into_response())
        }
        Err(error) => {
            let catalogue = state.services.menu.catalogue().await?;
            let form = edit_activity_form(ctx.lang, &catalogue, &input);
            show_refused(Chrome::new(&ctx, &state).at(&format!("/activities/{code}/edit")), form, error, ctx.lang)
        }
    }
}

/// The event's fields; an edit shows its code, which stays.
fn event_fields(lang: Lang, input: &EventInput, editing: bool) -> Vec<Field> {
    let statuses =
        EventStatus::ALL.iter().map(|s| (s.as_str().to_owned(), lang.t(&format!("event-status-{}", s.as_str()))));
    let modes = ["first_come", "at_deadline"].into_iter().map(|m| (m.to_owned(), lang.t(&format!("seat-mode-{m}"))));
    let code = if editing {
        Field::fixed("code", lang.t("menu-col-code"), &input.code)
    } else {
        Field::text("code", lang.t("menu-col-code"), &input.code).required().hint(lang.t("form-event-code-hint"))
    };
    vec![
        code,
        Field::text("activity", lang.t("form-activity"), &input.activity).required().hint(lang.t("form-activity-hint")),
        Field::text("start", lang.t("event-start"), &input.start).required().hint(lang.t("form-time-hint")),
        Field::text("end", lang.t("event-end"), &input.end).required().hint(lang.t("form-time-hint")),
        Field::text("time_zone", lang.t("form-time-zone"), &input.time_zone)
            .required()
            .hint(lang.t("form-time-zone-hint")),
        Field::text("place", lang.t("event-place"), &input.place).required(),
        Field::number("capacity", lang.t("event-capacity"), &input.capacity).required(),
        Field::number("quota", lang.t("form-quota"), &input.quota).hint(lang.t("form-quota-hint")),
        Field::date("deadline", lang.t("event-deadline"), &input.deadline),
        Field::choice("status", lang.t("event-status"), &input.status, options(statuses, None)),
        Field::choice("mode", lang.t("event-mode"), &input.mode, options(modes, None)),
    ]
}

fn event_input(typed: &Typed) -> EventInput {
    EventInput {
        code: typed.get("code"),
        activity: typed.get("activity"),
        start: typed.get("start"),
        end: typed.get("end"),
        time_zone: typed.get("time_zone"),
        place: typed.get("place"),
        capacity: typed.get("capacity"),
        quota: typed.get("quota"),
        deadline: typed.get("deadline"),
        status: typed.get("status"),
        mode: typed.get("mode"),
    }
}

fn new_event_form(lang: Lang, input: &EventInput) -> RecordForm {
    let back = if input.activity.is_empty() { "/menu".to_owned() } else { format!("/activities/{}", input.activity) };
    RecordForm::new(
        lang.t("form-new-event"),
        "/events".into(),
        lang.t("form-create"),
        back,
        event_fields(lang, input, false),
    )
}

/// `GET /events/new?activity=`: the form of a new event (of an activity, when named).
pub async fn new_event(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    ctx.signed_in()?;
    state.services.menu.check_editor(&ctx.actor)?;
    let activity = params.get("activity").map(|a| a.trim().to_ascii_uppercase()).unwrap_or_default();
    let input = EventInput {
        code: if activity.is_empty() { String::new() } else { format!("{activity}-") },
        activity,
        time_zone: "Europe/Brussels".into(),
        status: "planned".into(),
        mode: "first_come".into(),
        ..EventInput::default()
    };
    show(Chrome::new(&ctx, &state).at("/events/new"), new_event_form(ctx.lang, &input), StatusCode::OK)
}

/// `POST /events`: schedules the event, or shows the form again with the refusal.
pub async fn create_event(ctx: CallerContext, State(state): State<AppState>, fields: Form) -> PageResult {
    let input = event_input(&Typed(fields.0));
    let registry = ctx.registry()?.clone();
    match state.services.events.create(&ctx.actor, &registry, &input).await {
        Ok(event) => Ok(Redirect::to(&format!("/events/{}?flash=event-saved", event.code)).into_response()),
        Err(error) => {
            show_refused(Chrome::new(&ctx, &state).at("/events/new"), new_event_form(ctx.lang, &input), error, ctx.lang)
        }
    }
}

fn edit_event_form(lang: Lang, input: &EventInput) -> RecordForm {
    RecordForm::new(
        lang.t_with("form-edit-event", &[("code", input.code.clone())]),
        format!("/events/{}/edit", input.code),
        lang.t("form-save"),
        format!("/events/{}", input.code),
        event_fields(lang, input, true),
    )
}

/// `GET /events/{code}/edit`: the event's edit form.
pub async fn edit_event(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    ctx.signed_in()?;
    let registry = ctx.registry()?.clone();
    let event = state.services.events.editable(&ctx.actor, &registry, &code).await?;
    let form = edit_event_form(ctx.lang, &event_input_of(&event));
    show(Chrome::new(&ctx, &state).at(&format!("/events/{}/edit", event.code)), form, StatusCode::OK)
}

/// `POST /events/{code}/edit`: saves the event.
pub async fn update_event(
    ctx: CallerContext,
    State(state): State<AppState>,
    Path(code): Path<String>,
    fields: Form,
) -> PageResult {
    let input = EventInput { code: code.clone(), ..event_input(&Typed(fields.0)) };
    let registry = ctx.registry()?.clone();
    match state.services.events.update(&ctx.actor, &registry, &code, &input).await {
        Ok(event) => Ok(Redirect::to(&format!("/events/{}?flash=event-saved", event.code)).into_response()),
        Err(error) => {
            let chrome = Chrome::new(&ctx, &state).at(&format!("/events/{code}/edit"));
            show_refused(chrome, edit_event_form(ctx.lang, &input), error, ctx.lang)
        }
    }
}
