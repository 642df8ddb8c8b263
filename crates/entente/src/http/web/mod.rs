//! Server-rendered pages that work without JavaScript: askama templates, one struct a page.

mod account;
mod assessments;
mod audit;
mod audit_sentence;
mod changes;
mod chrome;
mod contribution_svg;
mod council_forms;
mod documents;
mod errors;
mod export;
mod form;
mod framework;
mod home;
mod listing;
mod meetings;
mod menu;
mod menu_compare;
mod menu_forms;
mod nation;
mod operations;
mod programmes;
mod progress;
mod progress_svg;
mod proposals;
mod reference;
mod seats;
mod session;
mod svg;
mod timeline_svg;
mod users;
mod world_map;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

pub use chrome::Chrome;
use errors::{PageError, PageResult};
pub(crate) use errors::{error_message, frame_pages, not_found};
pub use progress::{report_file, report_html};
pub use world_map::draw as draw_world_map;

use super::AppState;
use super::i18n::Lang;

type Route = (&'static str, &'static str, axum::routing::MethodRouter<AppState>);

/// Every page route: method, path and handler. The router is built from this table, and
/// the authorization matrix test enumerates it, so no route escapes the matrix.
fn route_table() -> Vec<Route> {
    vec![
        ("GET", "/", get(home::show)),
        ("GET", "/nations", get(nation::search)),
        ("GET", "/nations/{code}", get(nation::show)),
        ("GET", "/frameworks", get(framework::list)),
        ("GET", "/frameworks/{code}", get(framework::show)),
        ("GET", "/export/status.csv", get(export::status_csv)),
        ("GET", "/export/frameworks/{code}/participants.csv", get(export::participants_csv)),
        ("GET", "/sign-in", get(session::show)),
        ("POST", "/sign-in", post(session::submit)),
        ("POST", "/sign-out", post(session::sign_out)),
        ("GET", "/setup/{token}", get(session::setup)),
        ("POST", "/setup/{token}", post(session::setup_submit)),
        ("GET", "/account", get(account::show)),
        ("POST", "/account/password", post(account::change_password)),
        ("POST", "/account/tokens", post(account::create_token)),
        ("POST", "/account/tokens/{id}/revoke", post(account::revoke_token)),
        ("GET", "/admin/users", get(users::list)),
        ("POST", "/admin/users", post(users::create)),
        ("POST", "/admin/users/{id}", post(users::update)),
        ("GET", "/documents", get(documents::list)),
        ("POST", "/documents", post(documents::create)),
        ("GET", "/documents/new", get(documents::new)),
        ("GET", "/documents/{id}", get(documents::show)),
        ("GET", "/documents/{id}/download", get(documents::download)),
        ("POST", "/documents/{id}/edit", post(documents::edit)),
        ("POST", "/documents/{id}/replace", post(documents::replace)),
        ("POST", "/documents/{id}/withdraw", post(documents::withdraw)),
        ("GET", "/audit", get(audit::show)),
        ("GET", "/audit.csv", get(audit::csv)),
        ("GET", "/registry/changes", get(changes::show)),
        ("GET", "/registry/proposals", get(proposals::list)),
        ("POST", "/registry/proposals", post(proposals::create)),
        ("GET", "/registry/proposals/{id}", get(proposals::show)),
        ("POST", "/registry/proposals/{id}/approve", post(proposals::approve)),
        ("POST", "/registry/proposals/{id}/return", post(proposals::return_proposal)),
        ("GET", "/menu", get(menu::search)),
        ("GET", "/menu/compare", get(menu_compare::compare)),
        ("GET", "/activities/new", get(menu_forms::new_activity)),
        ("POST", "/activities", post(menu_forms::create_activity)),
        ("GET", "/activities/{code}", get(menu::activity)),
        ("GET", "/activities/{code}/edit", get(menu_forms::edit_activity)),
        ("POST", "/activities/{code}/edit", post(menu_forms::update_activity)),
        ("GET", "/events/new", get(menu_forms::new_event)),
        ("POST", "/events", post(menu_forms::create_event)),
        ("GET", "/events/{code}", get(menu::event)),
        ("GET", "/events/{code}/edit", get(menu_forms::edit_event)),
        ("POST", "/events/{code}/edit", post(menu_forms::update_event)),
        ("POST", "/events/{code}/calendar", post(menu::select)),
        ("POST", "/events/{code}/requests", post(seats::request)),
        ("POST", "/events/{code}/work-plan", post(seats::add_to_work_plan)),
        ("POST", "/events/{code}/feedback", post(seats::add_feedback)),
        ("GET", "/events/{code}/board", get(seats::board)),
        ("POST", "/events/{code}/allocate", post(seats::allocate)),
        ("POST", "/requests/{id}/nominations", post(seats::nominate)),
        ("POST", "/requests/{id}/cancel", post(seats::cancel)),
        ("GET", "/my/seats", get(seats::mine)),
        ("GET", "/programmes", get(programmes::list)),
        ("GET", "/programmes/new", get(programmes::new_programme)),
        ("POST", "/programmes", post(programmes::create)),
        ("GET", "/programmes/{code}", get(programmes::show_programme)),
        ("GET", "/programmes/{code}/changes", get(programmes::changes)),
        ("POST", "/programmes/{code}/items", post(programmes::add_item)),
        ("POST", "/programmes/{code}/work-plan", post(programmes::add_to_work_plan)),
        ("POST", "/programmes/{code}/steps", post(programmes::step)),
        ("POST", "/programmes/{code}/amend", post(programmes::amend)),
        ("GET", "/meetings", get(meetings::list)),
        ("GET", "/meetings/new", get(meetings::new_meeting)),
        ("POST", "/meetings", post(meetings::create)),
        ("GET", "/meetings/{id}", get(meetings::show_meeting)),
        ("POST", "/meetings/{id}/entries", post(meetings::add_entry)),
        ("POST", "/meetings/{id}/actions", post(meetings::add_action)),
        ("POST", "/meetings/{id}/documents", post(meetings::attach)),
        ("POST", "/action-items/{id}/status", post(meetings::action_status)),
        ("GET", "/operations", get(operations::list)),
        ("GET", "/operations/{code}", get(operations::show)),
        ("POST", "/operations/{code}/contributions", post(operations::contribute)),
        ("POST", "/operations/{code}/requirements", post(operations::require)),
        ("POST", "/contributions/{id}/status", post(operations::step)),
        ("POST", "/postings", post(operations::post)),
        ("GET", "/assessments", get(assessments::dashboard)),
        ("GET", "/assessments.csv", get(assessments::progress_csv)),
        ("POST", "/reviews", post(assessments::open_review)),
        ("GET", "/reviews.csv", get(assessments::reviews_csv)),
        ("GET", "/reviews/{id}", get(assessments::show_review)),
        ("POST", "/reviews/{id}/parts", post(assessments::write_part)),
        ("POST", "/reviews/{id}/measurements", post(assessments::measure)),
        ("POST", "/reviews/{id}/steps", post(assessments::step)),
        ("POST", "/reviews/{id}/correct", post(assessments::correct)),
        ("POST", "/indicators", post(assessments::create_indicator)),
        ("POST", "/parp-goals", post(assessments::create_parp_goal)),
        ("GET", "/progress/{nation}", get(progress::nation)),
        ("GET", "/reports/{nation}/{file}", get(progress::report)),
        ("GET", "/map", get(progress::map_page)),
        ("GET", "/map.svg", get(progress::map_svg)),
        ("GET", "/units", get(assessments::units)),
        ("POST", "/units", post(assessments::declare)),
        ("GET", "/units.csv", get(assessments::units_csv)),
        ("POST", "/units/{id}/steps", post(assessments::unit_step)),
        ("GET", "/data-quality", get(assessments::data_quality)),
        ("GET", "/data-quality.csv", get(assessments::quality_csv)),
        ("GET", "/decisions", get(menu::decisions)),
        ("GET", "/decisions/new", get(council_forms::new_decision)),
        ("POST", "/decisions", post(council_forms::create_decision)),
        ("GET", "/policies/new", get(council_forms::new_policy)),
        ("GET", "/policies/{code}/edit", get(council_forms::edit_policy)),
        ("POST", "/policies", post(council_forms::save_policy)),
        ("GET", "/calendar/areas/{file}", get(menu::area_feed)),
        ("GET", "/calendar/nations/{file}", get(menu::nation_feed)),
        ("GET", "/calendar/frameworks/{file}", get(menu::framework_feed)),
        ("GET", "/calendar/users/{file}", get(menu::user_feed)),
        ("POST", "/account/calendar", post(menu::new_feed)),
        ("GET", "/api", get(reference::api)),
        ("GET", "/design", get(reference::design)),
        ("GET", "/static/style.css", get(stylesheet)),
    ]
}

/// Every page route's method and path.
pub fn route_list() -> Vec<(&'static str, &'static str)> {
    route_table().into_iter().map(|(method, path, _)| (method, path)).collect()
}

/// The page routes.
pub fn routes() -> Router<AppState> {
    route_table().into_iter().fold(Router::new(), |router, (_, path, handler)| router.route(path, handler))
}

/// Renders a page with a status.
fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../../static/style.css"),
    )
        .into_response()
}

/// A user's affiliation, in words.
fn affiliation_text(affiliation: &entente_core::Affiliation, lang: Lang) -> String {
    use entente_core::Affiliation;
    match affiliation {
        Affiliation::AllianceStaff => lang.t("affiliation-staff"),
        Affiliation::Nation(code) => lang.t_with("affiliation-nation", &[("code", code.to_string())]),
        Affiliation::Organisation(code) => lang.t_with("affiliation-organisation", &[("code", code.to_string())]),
    }
}

/// Reads the optional `at` parameter of a page: today when absent, an error message
/// naming the field when malformed.
fn page_day(
    params: &crate::http::api::params::Params,
    today: chrono::NaiveDate,
    lang: Lang,
) -> (chrono::NaiveDate, String, Option<String>) {
    match params.get("at").map(String::as_str) {
        None | Some("") => (today, today.to_string(), None),
        Some(text) => match entente_core::parse_day(text) {
            Ok(day) => (day, text.to_owned(), None),
            Err(e) => {
                let key = match e {
                    entente_core::DateError::Shape(_) => "date-invalid-shape",
                    entente_core::DateError::OutOfRange(_) => "date-invalid-day",
                };
                (today, text.to_owned(), Some(lang.t_with(key, &[("value", text.to_owned())])))
            }
        },
    }
}
