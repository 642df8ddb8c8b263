//! `GET /registry/changes?from=&to=`: what changed in the registry between two dates,
//! grouped by framework (the alliance's membership first).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use entente_core::text::collate;
use entente_core::{Movement, Subject};

use super::listing::Listing;
use super::{Chrome, PageResult, render};
use crate::http::AppState;
use crate::http::api::params::Params;
use crate::http::caller::CallerContext;

struct ChangeRow {
    day: String,
    nation_code: String,
    nation: String,
    movement: String,
    badge: &'static str,
    reason: String,
}

struct ChangeGroup {
    id: String,
    name: String,
    rows: Vec<ChangeRow>,
}

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage {
    chrome: Chrome,
    from: String,
    to: String,
    error: Option<String>,
    groups: Vec<ChangeGroup>,
    total: usize,
}

/// Reads a day parameter, or says what is wrong with it.
fn day_of(
    listing: &Listing,
    name: &str,
    default: chrono::NaiveDate,
    lang: crate::http::i18n::Lang,
) -> Result<chrono::NaiveDate, String> {
    match listing.filter(name) {
        None => Ok(default),
        Some(text) => entente_core::parse_day(text)
            .map_err(|_| lang.t_with("changes-bad-day", &[("field", name.to_owned()), ("value", text.to_owned())])),
    }
}

/// `GET /registry/changes`: by default, the last twelve months.
pub async fn show(ctx: CallerContext, State(state): State<AppState>, Query(params): Query<Params>) -> PageResult {
    let listing = Listing::new("/registry/changes", &params, &["from", "to"])?;
    let lang = ctx.lang;
    let today = state.today();
    let a_year_ago = today.checked_sub_months(chrono::Months::new(12)).unwrap_or(today);
    let (from, to) = (day_of(&listing, "from", a_year_ago, lang), day_of(&listing, "to", today, lang));
    let registry = ctx.registry()?;
    let (from_text, to_text) = (
        listing.filter("from").map_or_else(|| a_year_ago.to_string(), str::to_owned),
        listing.filter("to").map_or_else(|| today.to_string(), str::to_owned),
    );
    let (changes, error) = match (from, to) {
        (Ok(from), Ok(to)) if from <= to => (registry.changes_between(from, to), None),
        (Ok(_), Ok(_)) => (Vec::new(), Some(lang.t("changes-from-after-to"))),
        (Err(e), _) | (_, Err(e)) => (Vec::new(), Some(e)),
    };
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for change in &changes {
        let (id, name) = match &change.subject {
            Subject::Membership => ("members".to_owned(), lang.t("member-of-the-alliance")),
            Subject::Framework(code) => (
                code.to_string(),
                registry
                    .framework(code)
                    .map_or_else(|| code.to_string(), |f| lang.pick(&f.name_en, &f.name_fr).to_owned()),
            ),
        };
        let row = ChangeRow {
            day: lang.human_bound(&change.recorded),
            nation_code: change.nation.to_string(),
            nation: registry
                .nation(change.nation)
                .map(|n| lang.pick(&n.name_en, &n.name_fr).to_owned())
                .unwrap_or_default(),
            movement: lang.t(if change.movement == Movement::Joined { "changes-joined" } else { "changes-left" }),
            badge: if change.movement == Movement::Joined { "ok" } else { "bad" },
            reason: change.reason.map(|r| lang.t(&format!("end-{}", r.as_str()))).unwrap_or_default(),
        };
        match groups.iter_mut().find(|g| g.id == id) {
            Some(group) => group.rows.push(row),
            None => groups.push(ChangeGroup { id, name, rows: vec![row] }),
        }
    }
    groups.sort_by(|a, b| (a.id != "members").cmp(&(b.id != "members")).then_with(|| collate(&a.name, &b.name)));
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = ChangesPage {
        chrome: Chrome::new(&ctx, &state),
        from: from_text,
        to: to_text,
        error,
        total: changes.len(),
        groups,
    };
    Ok(render(status, &page))
}
