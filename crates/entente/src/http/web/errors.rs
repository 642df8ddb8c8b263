//! Failures answered as pages, in the request's language: refusals, invalid fields,
//! unknown addresses and internal errors, each put in words from the catalogue.

use askama::Template;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Chrome, render};
use crate::http::AppState;
use crate::http::caller::{CallerContext, Failure};
use crate::http::i18n::Lang;
use crate::service::{Reason, ServiceError};

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    chrome: Chrome,
    heading: String,
    message: String,
}

/// A failed use case, answered as a page in the request's language and framed for the
/// caller by [`frame_pages`], which knows both.
#[derive(Debug)]
pub(super) struct PageError(pub(super) ServiceError);

impl From<ServiceError> for PageError {
    fn from(error: ServiceError) -> Self {
        Self(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        Failure::response(self.0)
    }
}

/// The pages' outer layer: puts a failed page request in words, framed for its caller, in
/// the request's language; so too the plain-text refusals of the router and of axum's
/// extractors (an unknown method, a malformed path or form). API answers pass untouched.
pub async fn frame_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let lang = Lang::of_request(request.uri().query(), request.headers());
    let chosen = crate::http::i18n::chosen(request.uri().query());
    let mut response = framed(next.run(request).await, lang, &state);
    crate::http::i18n::remember(&mut response, chosen, state.options.secure_cookies);
    response
}

/// A page's response, or its failure put in words and framed.
fn framed(response: Response, lang: Lang, state: &AppState) -> Response {
    let failure = response.extensions().get::<Failure>().cloned();
    let rejected = failure.is_none() && is_plain_refusal(&response);
    if failure.is_none() && !rejected {
        return response;
    }
    let chrome = match response.extensions().get::<Arc<CallerContext>>() {
        Some(context) => Chrome::new(context, state),
        None => Chrome::in_language(lang, "/"),
    };
    match failure {
        Some(Failure(error)) => error_page(&error, chrome),
        None => refusal_page(response.status(), chrome),
    }
}

/// Whether `response` is one of axum's own plain-text refusals.
fn is_plain_refusal(response: &Response) -> bool {
    let plain = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    let empty = response.headers().get(axum::http::header::CONTENT_TYPE).is_none();
    response.status().is_client_error() && (plain || empty)
}

/// A refusal of the router or of an extractor, in words.
fn refusal_page(status: StatusCode, chrome: Chrome) -> Response {
    let (heading, message) = match status {
        StatusCode::NOT_FOUND => ("error-not-found", "error-no-page"),
        StatusCode::METHOD_NOT_ALLOWED => ("error-refused", "error-method-not-allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => ("error-refused", "error-request-too-large"),
        _ => ("error-refused", "error-bad-request"),
    };
    let page = MessagePage { heading: chrome.t(heading), message: chrome.t(message), chrome };
    render(status, &page)
}

/// What a page handler returns.
pub(super) type PageResult = Result<Response, PageError>;

/// A refusal of `authorize()`, in words.
pub(crate) fn refusal_text(refusal: &entente_core::Refusal, lang: Lang) -> String {
    let mut args = vec![
        ("action", lang.t(&format!("action-{}", refusal.action.as_str()))),
        ("target", lang.t(&format!("target-{}", refusal.target.code()))),
    ];
    if let entente_core::Rule::WrongState(state) = refusal.rule {
        args.push(("state", lang.t(&format!("state-{}", state.as_str()))));
    }
    lang.t_with(&format!("refusal-{}", refusal.rule.code()), &args)
}

/// What a user is told of an error, in `lang`.
pub(crate) fn error_message(error: &ServiceError, lang: Lang) -> String {
    use crate::service::SignInProblem;
    match error {
        ServiceError::NotFound { .. } => lang.t("error-not-found-detail"),
        ServiceError::Refused(refusal) => refusal_text(refusal, lang),
        ServiceError::BadCsrf => lang.t("error-bad-csrf"),
        ServiceError::ReadOnlyToken => lang.t("error-read-only-token"),
        ServiceError::Throttled { retry_after } => {
            lang.t_with("error-throttled", &[("seconds", retry_after.to_string())])
        }
        ServiceError::Busy => lang.t("error-busy"),
        ServiceError::SessionRequired => lang.t("error-session-required"),
        ServiceError::Unauthenticated(SignInProblem::WrongCredentials) => lang.t("error-wrong-credentials"),
        ServiceError::Unauthenticated(SignInProblem::SignInFirst) => lang.t("error-sign-in-first"),
        ServiceError::Unauthenticated(SignInProblem::BadToken) => lang.t("error-bad-token"),
        ServiceError::Unauthenticated(SignInProblem::MalformedHeader) => lang.t("error-malformed-header"),
        ServiceError::InvalidFile(problems) => {
            lang.t_with("error-invalid-file", &[("count", problems.len().to_string())])
        }
        ServiceError::TooLarge(limit) => lang.t_with("error-too-large", &[("limit", limit.to_string())]),
        ServiceError::Invalid { field, reason } => {
            lang.t_with("error-invalid", &[("field", field_name(field, lang)), ("reason", reason_text(reason, lang))])
        }
        ServiceError::Conflict(reason) | ServiceError::UnsupportedType(reason) => reason_text(reason, lang),
        ServiceError::BadQuery { parameter, reason } => {
            lang.t_with("error-bad-query", &[("parameter", parameter.clone()), ("reason", reason_text(reason, lang))])
        }
        _ => lang.t("error-internal"),
    }
}

/// A failed use case or refused request, answered as a page in `lang`.
pub(crate) fn error_page(error: &ServiceError, chrome: Chrome) -> Response {
    let lang = chrome.lang;
    match error {
        ServiceError::NotFound { .. } => {
            let page = MessagePage { heading: lang.t("error-not-found"), message: error_message(error, lang), chrome };
            render(StatusCode::NOT_FOUND, &page)
        }
        ServiceError::Unauthenticated(_) => Redirect::to("/sign-in").into_response(),
        _ if error.status().is_some() => {
            let status = error.status().unwrap_or(StatusCode::BAD_REQUEST);
            let page = MessagePage { heading: lang.t("error-refused"), message: error_message(error, lang), chrome };
            let mut response = render(status, &page);
            error.advise(&mut response);
            response
        }
        _ => {
            tracing::error!(error = %error, "page failed");
            let page =
                MessagePage { heading: lang.t("error-internal-heading"), message: lang.t("error-internal"), chrome };
            render(StatusCode::INTERNAL_SERVER_ERROR, &page)
        }
    }
}

/// The answer for any unknown path.
pub async fn not_found(ctx: crate::http::caller::CallerContext, State(state): State<AppState>) -> Response {
    let chrome = Chrome::new(&ctx, &state);
    let page = MessagePage { heading: chrome.t("error-not-found"), message: chrome.t("error-no-page"), chrome };
    render(StatusCode::NOT_FOUND, &page)
}

/// A form field's name as its label says it; a field no page labels keeps its code.
fn field_name(field: &str, lang: Lang) -> String {
    lang.try_t(&format!("input-{field}")).unwrap_or_else(|| field.to_owned())
}

/// Why a value, a file or a request was refused, in words.
pub(crate) fn reason_text(reason: &Reason, lang: Lang) -> String {
    use entente_core::{CodeError, MarkingError};
    let with = |key: &str, value: &str| lang.t_with(key, &[("value", value.to_owned())]);
    match reason {
        Reason::Required => lang.t("reason-required"),
        Reason::NotAnEmail(value) => with("reason-not-an-email", value),
        Reason::AccountDisabled(value) => with("reason-account-disabled", value),
        Reason::TooShort(min) => with("reason-too-short", &min.to_string()),
        Reason::NotCurrentPassword => lang.t("reason-not-current-password"),
        Reason::OutOfRange { min, max } => {
            lang.t_with("reason-out-of-range", &[("min", min.to_string()), ("max", max.to_string())])
        }
        Reason::UnknownNation(value) => with("reason-unknown-nation", value),
        Reason::UnknownFramework(value) => with("reason-unknown-framework", value),
        Reason::UnknownRole(value) => with("reason-unknown-role", value),
        Reason::UnknownClearance(value) => with("reason-unknown-clearance", value),
        Reason::Marking(MarkingError::Classification(value)) => with("reason-marking-classification", value),
        Reason::Marking(MarkingError::Releasability(value)) => with("reason-marking-releasability", value),
        Reason::Marking(MarkingError::Code(value)) => with("reason-marking-code", value),
        Reason::Marking(MarkingError::EmptyRelTo) => lang.t("reason-marking-empty-rel-to"),
        Reason::Marking(MarkingError::PublicRestricted) => lang.t("reason-marking-public-restricted"),
        Reason::Code(CodeError::Nation(value)) => with("reason-code-nation", value),
        Reason::Code(CodeError::Code(value)) => with("reason-code", value),
        Reason::Code(CodeError::Record(value)) => with("reason-record-code", value),
        Reason::Unreadable => lang.t("reason-unreadable"),
        Reason::EmailTaken(value) => with("reason-email-taken", value),
        Reason::SetupClosed => lang.t("reason-setup-closed"),
        Reason::TypeNotAccepted(value) => with("reason-type-not-accepted", value),
        Reason::TypeMismatch(value) => with("reason-type-mismatch", value),
        Reason::NotATime(value) => with("reason-not-a-time", value),
        Reason::ControlCharacter => lang.t("reason-control-character"),
        Reason::TooLong(max) => with("reason-too-long", &max.to_string()),
        Reason::NotADate(value) => with("reason-not-a-date", value),
        Reason::OneChange => lang.t("reason-one-change"),
        Reason::Withdrawn => lang.t("reason-withdrawn"),
        // The core states registry inconsistencies in English (codes and dates mostly).
        Reason::Inconsistent(value) => with("reason-inconsistent", value),
        Reason::NotOneOf(value, allowed) => {
            lang.t_with("reason-not-one-of", &[("value", value.clone()), ("allowed", (*allowed).to_owned())])
        }
        Reason::DeadlinePassed(value) => with("reason-deadline-passed", value),
        Reason::NotTakingRequests(value) => {
            with("reason-not-taking-requests", &lang.t(&format!("event-status-{value}")))
        }
        Reason::NotEligible(nation, why) => {
            lang.t_with("reason-not-eligible", &[("nation", nation.clone()), ("why", why.clone())])
        }
        Reason::AboveQuota(quota) => with("reason-above-quota", &quota.to_string()),
        Reason::AlreadyNominated(value) => with("reason-already-nominated", value),
        Reason::SeatsAllNamed(seats) => with("reason-seats-all-named", &seats.to_string()),
        Reason::RequestCancelled => lang.t("reason-request-cancelled"),
        Reason::NotAtDeadline => lang.t("reason-not-at-deadline"),
        Reason::WouldNotRead(value) => with("reason-would-not-read", value),
        Reason::EventNotStarted(value) => with("reason-event-not-started", value),
        Reason::NotAParticipant => lang.t("reason-not-a-participant"),
        Reason::NotANumber(value) => with("reason-not-a-number", value),
        Reason::ProgrammeExists(value) => with("reason-programme-exists", value),
        Reason::NotAPartner(nation, day) => {
            lang.t_with("reason-not-a-partner", &[("nation", nation.clone()), ("day", day.clone())])
        }
        Reason::BelowSeatsGiven(value) => with("reason-below-seats-given", &value.to_string()),
        Reason::BadRule(position, problem) => {
            lang.t_with("reason-bad-rule", &[("position", position.to_string()), ("problem", problem.clone())])
        }
        Reason::UnknownOperation(value) => with("reason-unknown-operation", value),
        Reason::OutsideOperation(value) => with("reason-outside-operation", value),
        Reason::OfferTooLarge { offered, remaining, allowed } => lang.t_with(
            "reason-offer-too-large",
            &[("offered", offered.to_string()), ("remaining", remaining.to_string()), ("allowed", allowed.to_string())],
        ),
        Reason::ContributionStep(from, to) => lang.t_with(
            "reason-contribution-step",
            &[
                ("from", lang.t(&format!("contribution-status-{from}"))),
                ("to", lang.t(&format!("contribution-status-{to}"))),
            ],
        ),
        Reason::NeedsCouncilDecision => lang.t("reason-needs-council-decision"),
        Reason::DecisionDoesNotCover(id, nation, operation) => lang.t_with(
            "reason-decision-does-not-cover",
            &[("id", id.to_string()), ("nation", nation.clone()), ("operation", operation.clone())],
        ),
        Reason::EndsBeforeStart(start, end) => {
            lang.t_with("reason-ends-before-start", &[("start", start.clone()), ("end", end.clone())])
        }
        Reason::UnknownOwner(value) => with("reason-unknown-owner", value),
        Reason::UnknownTimeZone(value) => with("reason-unknown-time-zone", value),
        Reason::HistoricalRecord => lang.t("reason-historical-record"),
        Reason::UnknownColumn(value, allowed) => {
            lang.t_with("reason-unknown-column", &[("value", value.clone()), ("allowed", allowed.clone())])
        }
        Reason::TargetBeforeBaseline(baseline, target) => {
            lang.t_with("reason-target-before-baseline", &[("baseline", baseline.clone()), ("target", target.clone())])
        }
        Reason::NotAMilestoneValue(value) => with("reason-not-a-milestone-value", value),
        Reason::TargetNotBetter { baseline, target, better } => lang.t_with(
            &format!("reason-target-not-{better}"),
            &[("baseline", baseline.clone()), ("target", target.clone())],
        ),
        Reason::OutsideIndicatorPeriod(date, from, to) => lang.t_with(
            "reason-outside-indicator-period",
            &[("date", date.clone()), ("from", from.clone()), ("to", to.clone())],
        ),
        Reason::ReviewStep(status, step) => lang.t_with(
            "reason-review-step",
            &[("status", lang.t(&format!("review-status-{status}"))), ("step", lang.t(&format!("review-step-{step}")))],
        ),
        Reason::NotYourPart(part, _) => lang.t(&format!("reason-not-your-part-{part}")),
        Reason::StepOutOfOrder(step, needs) => {
            lang.t_with("reason-step-out-of-order", &[("step", step.clone()), ("needs", needs.clone())])
        }
        Reason::StepBeforePrevious(date, before) => {
            lang.t_with("reason-step-before-previous", &[("date", date.clone()), ("before", before.clone())])
        }
        Reason::NotCertified => lang.t("reason-not-certified"),
        Reason::NotCorrectable => lang.t("reason-not-correctable"),
        Reason::ParpGoalExists(value) => with("reason-parp-goal-exists", value),
    }
}
