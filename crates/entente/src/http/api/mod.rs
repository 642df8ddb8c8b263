//! The JSON API under `/api/v1`. The route table below also yields the OpenAPI document,
//! so the two cannot drift apart.

pub mod assessments;
mod audit;
mod documents;
pub mod dto;
pub mod events;
mod frameworks;
mod me;
pub mod meetings;
pub mod memo;
pub mod menu;
mod nations;
pub mod operations;
pub mod params;
pub mod programmes;
mod proposals;
mod registry;
pub mod seats;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Entente API", description = "Partnership cooperation: the time-aware registry of nations, frameworks and memberships."),
    tags((name = "registry", description = "Who is what, when"),
         (name = "documents", description = "Marked records, released through authorize()"),
         (name = "accounts", description = "Who is calling"),
         (name = "audit", description = "The hash-chained audit trail"),
         (name = "menu", description = "The cooperation menu: activities, events, eligibility, council decisions"),
         (name = "seats", description = "Seat requests, nominations and allocation"),
         (name = "programmes", description = "Tailored programmes, goals and yearly work plans"),
         (name = "meetings", description = "Dialogue meetings, participant rules, action items"),
         (name = "operations", description = "Operations, contributions, force generation, liaison postings"),
         (name = "assessments", description = "Indicators, reviews and their workflow, progress roll-ups, force evaluations, data quality"))
)]
struct ApiDoc;

/// Memoised answers of the API's heaviest questions.
#[derive(Debug, Default)]
pub struct Memos {
    /// `GET /registry/status?at=`, by day.
    pub status: memo::Memo<chrono::NaiveDate>,
}

/// The API routes, relative to `/api/v1`, with their OpenAPI description.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(nations::list))
        .routes(routes!(nations::show))
        .routes(routes!(nations::timeline))
        .routes(routes!(frameworks::list))
        .routes(routes!(frameworks::participants))
        .routes(routes!(registry::status))
        .routes(routes!(registry::changes))
        .routes(routes!(proposals::list, proposals::create))
        .routes(routes!(proposals::show))
        .routes(routes!(proposals::approve))
        .routes(routes!(proposals::return_proposal))
        .routes(routes!(documents::list, documents::create))
        .routes(routes!(documents::show, documents::edit))
        .routes(routes!(documents::content, documents::replace))
        .routes(routes!(documents::withdraw))
        .routes(routes!(documents::versions))
        .routes(routes!(menu::areas))
        .routes(routes!(menu::years))
        .routes(routes!(menu::menu))
        .routes(routes!(menu::matrix))
        .routes(routes!(menu::compare))
        .routes(routes!(menu::search, menu::create))
        .routes(routes!(menu::show, menu::update))
        .routes(routes!(menu::eligibility))
        .routes(routes!(events::list, events::create))
        .routes(routes!(events::show, events::update))
        .routes(routes!(events::decisions, events::add_decision))
        .routes(routes!(events::policies))
        .routes(routes!(events::save_policy))
        .routes(routes!(seats::create, seats::list))
        .routes(routes!(seats::cancel))
        .routes(routes!(seats::allocate))
        .routes(routes!(seats::allocate_year))
        .routes(routes!(seats::set_budget))
        .routes(routes!(seats::nominate, seats::nominations))
        .routes(routes!(seats::nomination_status))
        .routes(routes!(seats::add_feedback, seats::feedback))
        .routes(routes!(programmes::list, programmes::create))
        .routes(routes!(programmes::show, programmes::update))
        .routes(routes!(programmes::add_objective))
        .routes(routes!(programmes::add_goal))
        .routes(routes!(programmes::add_support))
        .routes(routes!(programmes::add_to_work_plan))
        .routes(routes!(programmes::step))
        .routes(routes!(programmes::amend))
        .routes(routes!(programmes::changes))
        .routes(routes!(meetings::resolve))
        .routes(routes!(meetings::list, meetings::create))
        .routes(routes!(meetings::show, meetings::update))
        .routes(routes!(meetings::add_entry))
        .routes(routes!(meetings::add_action))
        .routes(routes!(meetings::action_status))
        .routes(routes!(meetings::attach))
        .routes(routes!(operations::list))
        .routes(routes!(operations::show))
        .routes(routes!(operations::contributors))
        .routes(routes!(operations::contribute))
        .routes(routes!(operations::contribution_status))
        .routes(routes!(operations::of_nation))
        .routes(routes!(operations::add_requirement))
        .routes(routes!(operations::postings, operations::post))
        .routes(routes!(assessments::create_parp_goal))
        .routes(routes!(assessments::create_indicator))
        .routes(routes!(assessments::list_reviews, assessments::open_review))
        .routes(routes!(assessments::show_review))
        .routes(routes!(assessments::write_part))
        .routes(routes!(assessments::measure))
        .routes(routes!(assessments::step))
        .routes(routes!(assessments::correct))
        .routes(routes!(assessments::nation_progress))
        .routes(routes!(assessments::overview))
        .routes(routes!(assessments::units, assessments::declare))
        .routes(routes!(assessments::unit_step))
        .routes(routes!(assessments::data_quality))
        .routes(routes!(audit::list))
        .routes(routes!(me::show))
}
