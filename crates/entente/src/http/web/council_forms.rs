//! The council secretary's and staff's forms: record a council decision
//! (`/decisions/new`) and create or edit an eligibility policy (`/policies/new`,
//! `/policies/{code}/edit`). The services check, authorize and audit.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};

use super::form::{Field, RecordForm, Typed, options, show, show_refused};
use super::{Chrome, PageResult};
use crate::http::AppState;
use crate::http::caller::CallerContext;
use crate::http::i18n::Lang;
use crate::service::ServiceError;
use crate::service::council::{DecisionInput, PolicyInput};

type Form = axum::Form<std::collections::HashMap<String, String>>;

/// The nation codes of a field: separated by commas, semicolons or spaces.
fn codes(text: &str) -> Vec<String> {
    text.split([',', ';', ' ']).map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect()
}

fn decision_form(lang: Lang, input: &DecisionInput) -> RecordForm {
    let kinds = ["opens", "suspends"].into_iter().map(|k| (k.to_owned(), lang.t(&format!("decision-kind-{k}"))));
    let fields = vec![
        Field::choice("kind", lang.t("decisions-col-kind"), &input.kind, options(kinds, Some(lang.t("form-choose"))))
            .required(),
        Field::text("nations", lang.t("form-nations"), &input.nations.join(", "))
            .required()
            .hint(lang.t("form-nations-hint"))
            .also(&["nation"]),
        Field::text("scope", lang.t("decisions-col-scope"), &input.scope).required().hint(lang.t("form-scope-hint")),
        Field::date("decided_on", lang.t("decisions-col-date"), &input.decided_on).hint(lang.t("form-decided-hint")),
        Field::date("from", lang.t("form-from"), &input.from).required(),
        Field::date("to", lang.t("form-to"), &input.to).hint(lang.t("form-to-hint")),
        Field::text("reference", lang.t("decisions-col-reference"), &input.reference).required(),
    ];
    RecordForm::new(
        lang.t("form-new-decision"),
        "/decisions".into(),
        lang.t("form-record"),
        "/decisions".into(),
        fields,
    )
    .lede(lang.t("form-new-decision-lede"))
}

/// `GET /decisions/new`: the form of a council decision.
pub async fn new_decision(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    ctx.signed_in()?;
    state.services.council.check_recorder(&ctx.actor)?;
    let input = DecisionInput { scope: "menu".into(), ..DecisionInput::default() };
    show(Chrome::new(&ctx, &state).at("/decisions/new"), decision_form(ctx.lang, &input), StatusCode::OK)
}

/// `POST /decisions`: records the decision, or shows the form again with the refusal.
pub async fn create_decision(ctx: CallerContext, State(state): State<AppState>, fields: Form) -> PageResult {
    let typed = Typed(fields.0);
    let input = DecisionInput {
        decided_on: typed.get("decided_on"),
        kind: typed.get("kind"),
        nations: codes(&typed.get("nations")),
        scope: typed.get("scope"),
        from: typed.get("from"),
        to: typed.get("to"),
        reference: typed.get("reference"),
    };
    let registry = ctx.registry()?.clone();
    match state.services.council.add_decision(&ctx.actor, &registry, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/decisions?flash=decision-recorded#decision-{id}")).into_response()),
        Err(error) => show_refused(
            Chrome::new(&ctx, &state).at("/decisions/new"),
            decision_form(ctx.lang, &input),
            error,
            ctx.lang,
        ),
    }
}

fn policy_form(lang: Lang, input: &PolicyInput, editing: bool) -> RecordForm {
    let rules = ["framework_participants", "case_by_case", "all_partners", "suspensions"]
        .into_iter()
        .map(|r| (r.to_owned(), lang.t(&format!("policy-rule-{r}"))));
    let code = if editing {
        Field::fixed("code", lang.t("menu-col-code"), &input.code)
    } else {
        Field::text("code", lang.t("menu-col-code"), &input.code).required().hint(lang.t("form-policy-code-hint"))
    };
    let mut fields = vec![
        code,
        Field::choice("rule", lang.t("form-rule"), &input.rule, options(rules, Some(lang.t("form-choose")))).required(),
        Field::date("from", lang.t("form-from"), &input.from).required(),
        Field::date("to", lang.t("form-to"), &input.to).hint(lang.t("form-to-hint")),
        Field::text("title_en", lang.t("form-title-en"), &input.title_en).required(),
        Field::text("title_fr", lang.t("form-title-fr"), &input.title_fr),
        Field::long_text("source", lang.t("policies-col-source"), &input.source),
    ];
    if editing {
        fields.push(Field::hidden("editing", "1"));
    }
    let heading = if editing {
        lang.t_with("form-edit-policy", &[("code", input.code.clone())])
    } else {
        lang.t("form-new-policy")
    };
    RecordForm::new(heading, "/policies".into(), lang.t("form-save"), "/decisions#policies".into(), fields)
        .lede(lang.t("form-policy-lede"))
}

/// `GET /policies/new`: the form of a new policy.
pub async fn new_policy(ctx: CallerContext, State(state): State<AppState>) -> PageResult {
    ctx.signed_in()?;
    state.services.council.check_policy_editor(&ctx.actor)?;
    show(
        Chrome::new(&ctx, &state).at("/policies/new"),
        policy_form(ctx.lang, &PolicyInput::default(), false),
        StatusCode::OK,
    )
}

/// `GET /policies/{code}/edit`: a policy's edit form.
pub async fn edit_policy(ctx: CallerContext, State(state): State<AppState>, Path(code): Path<String>) -> PageResult {
    ctx.signed_in()?;
    state.services.council.check_policy_editor(&ctx.actor)?;
    let policies = state.services.council.policies(&ctx.actor).await?;
    let code = code.to_ascii_uppercase();
    let policy = policies
        .into_iter()
        .find(|p| p.code == code)
        .ok_or(ServiceError::NotFound { kind: "policy", code: code.clone() })?;
    let input = PolicyInput {
        code: policy.code,
        rule: policy.rule,
        from: policy.from_day,
        to: policy.to_day.unwrap_or_default(),
        title_en: policy.title_en,
        title_fr: policy.title_fr,
        source: policy.source,
    };
    show(
        Chrome::new(&ctx, &state).at(&format!("/policies/{code}/edit")),
        policy_form(ctx.lang, &input, true),
        StatusCode::OK,
    )
}

/// `POST /policies`: creates or replaces the policy of the form's code.
pub async fn save_policy(ctx: CallerContext, State(state): State<AppState>, fields: Form) -> PageResult {
    let typed = Typed(fields.0);
    let editing = typed.0.contains_key("editing");
    let input = PolicyInput {
        code: typed.get("code").to_ascii_uppercase(),
        rule: typed.get("rule"),
        from: typed.get("from"),
        to: typed.get("to"),
        title_en: typed.get("title_en"),
        title_fr: typed.get("title_fr"),
        source: typed.get("source"),
    };
    let saved = if editing {
        state.services.council.save_policy(&ctx.actor, &input).await.map(|_| ())
    } else {
        state.services.council.create_policy(&ctx.actor, &input).await
    };
    match saved {
        Ok(()) => Ok(Redirect::to("/decisions?flash=policy-saved#policies").into_response()),
        Err(error) => {
            let chrome = Chrome::new(&ctx, &state).at("/policies/new");
            show_refused(chrome, policy_form(ctx.lang, &input, editing), error, ctx.lang)
        }
    }
}
