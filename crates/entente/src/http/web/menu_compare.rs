//! `GET /menu/compare?from=&to=&show=`: two years' menus side by side: what was added,
//! removed and changed, field by field, one paged list at a time.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;

use super::listing::{Listing, Pager, page_of};
use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;
use crate::http::i18n::Lang;
use crate::service::{Reason, ServiceError};

/// The lists a comparison shows, one at a time.
const LISTS: [&str; 3] = ["changed", "added", "removed"];

/// One line of the list shown: an activity, and for a change one field's two values.
struct Line {
    code: String,
    /// The menu year its link opens.
    year: i64,
    field: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "menu_compare.html")]
struct ComparePage {
    chrome: Chrome,
    years: Vec<i64>,
    from: i64,
    to: i64,
    /// Each list's key, label, size, link and whether it is shown.
    tabs: Vec<(&'static str, String, usize, String, bool)>,
    show: &'static str,
    lines: Vec<Line>,
    pager: Pager,
}

/// The label of a compared field, in the page's language.
fn field_label(lang: Lang, field: &str) -> String {
    let key = match field {
        "title_en" => "form-title-en",
        "title_fr" => "form-title-fr",
        "description_en" => "form-description-en",
        "description_fr" => "form-description-fr",
        "area" => "menu-area",
        "kind" => "menu-kind",
        "provider" => "activity-provider",
        "languages" => "menu-language",
        "marking" => "activity-marking",
        "open_to" => "menu-col-open-to",
        "default_seats" => "form-default-seats",
        other => return other.to_owned(),
    };
    lang.t(key)
}

fn year_param(listing: &Listing, name: &str, default: i64) -> Result<i64, ServiceError> {
    match listing.filter(name) {
        None => Ok(default),
        Some(text) => text.parse().map_err(|_| ServiceError::BadQuery {
            parameter: name.into(),
            reason: Reason::Inconsistent(format!("`{text}` is not a year")),
        }),
    }
}

/// `GET /menu/compare`: by default the latest menu against the one before it.
pub async fn compare(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let listing = Listing::new("/menu/compare", &params, &["from", "to", "show"])?;
    let lang = ctx.lang;
    let years: Vec<i64> = state.services.menu.years().await?.into_iter().map(|(year, _)| year).collect();
    let latest = years.last().copied().unwrap_or_else(|| i64::from(chrono::Datelike::year(&state.today())));
    let to = year_param(&listing, "to", latest)?;
    let from = year_param(&listing, "from", to - 1)?;
    let show = match listing.filter("show") {
        None => "changed",
        Some(text) => LISTS.into_iter().find(|l| *l == text).ok_or_else(|| ServiceError::BadQuery {
            parameter: "show".into(),
            reason: Reason::NotOneOf(text.to_owned(), "changed, added, removed"),
        })?,
    };
    let page = listing.page()?;
    let registry = ctx.registry()?.clone();
    let comparison = state.services.menu.compare(&ctx.actor.caller, &registry, from, to).await?;
    let sizes = [comparison.changed.len(), comparison.added.len(), comparison.removed.len()];
    let tabs = LISTS
        .into_iter()
        .zip(sizes)
        .map(|(key, size)| {
            let href = format!("/menu/compare?from={from}&to={to}&show={key}");
            (key, lang.t(&format!("compare-{key}")), size, href, key == show)
        })
        .collect();
    let all: Vec<Line> = match show {
        "added" => comparison
            .added
            .iter()
            .map(|c| Line {
                code: c.to_string(),
                year: to,
                field: String::new(),
                before: String::new(),
                after: String::new(),
            })
            .collect(),
        "removed" => comparison
            .removed
            .iter()
            .map(|c| Line {
                code: c.to_string(),
                year: from,
                field: String::new(),
                before: String::new(),
                after: String::new(),
            })
            .collect(),
        _ => comparison
            .changed
            .iter()
            .flat_map(|(code, changes)| {
                changes.iter().map(move |c| Line {
                    code: code.to_string(),
                    year: to,
                    field: field_label(lang, c.field),
                    before: c.before.clone(),
                    after: c.after.clone(),
                })
            })
            .collect(),
    };
    let total = all.len();
    // The years asked for are offered even without a menu, so the form shows what the
    // page compares.
    let mut offered = years;
    offered.extend([from, to]);
    offered.sort_unstable();
    offered.dedup();
    let page = ComparePage {
        chrome: Chrome::new(&ctx, &state),
        years: offered,
        from,
        to,
        tabs,
        show,
        pager: listing.pager(page, total),
        lines: page_of(all, page),
    };
    Ok(render(StatusCode::OK, &page))
}
