//! A seat request's answer in words: the status, the seats and why not more, from the
//! core's [`Why`], in the page's language (the API and the CLI use English).

use entente_core::allocation::Why;

use super::i18n::Lang;

/// Why a request got no more seats, in words.
pub fn why_text(why: &Why, asked: i64, lang: Lang) -> String {
    let n = |v: u32| v.to_string();
    match why {
        Why::Full => lang.t_with("seat-why-full", &[("asked", asked.to_string())]),
        Why::NotEligible => lang.t("seat-why-not-eligible"),
        Why::Quota { quota } => lang.t_with("seat-why-quota", &[("quota", n(*quota))]),
        Why::HigherPriority { capacity, asked_ahead, .. } => {
            lang.t_with("seat-why-higher-priority", &[("capacity", n(*capacity)), ("ahead", n(*asked_ahead))])
        }
        Why::Spread { capacity, priority, asked, seat } => lang.t_with(
            "seat-why-spread",
            &[("capacity", n(*capacity)), ("asked", n(*asked)), ("priority", priority.to_string()), ("seat", n(*seat))],
        ),
        Why::Taken { capacity } => lang.t_with("seat-why-taken", &[("capacity", n(*capacity))]),
        Why::Budget { area: None, seats } => lang.t_with("seat-why-budget", &[("seats", n(*seats))]),
        Why::Budget { area: Some(area), seats } => {
            lang.t_with("seat-why-budget-area", &[("seats", n(*seats)), ("area", area.clone())])
        }
    }
}

/// A request's answer in words: "waitlisted: 6 seats, 7 seats asked at priority 1 ...".
/// `reason` is the stored JSON of the core's answer (empty until answered); `deadline` the
/// event's registration deadline.
pub fn answer_text(status: &str, seats: i64, allocated: i64, reason: &str, deadline: &str, lang: Lang) -> String {
    let why = serde_json::from_str::<Why>(reason).ok();
    let why_words = || why.as_ref().map(|w| why_text(w, seats, lang)).unwrap_or_default();
    match status {
        "requested" => lang.t_with("seat-answer-requested", &[("deadline", deadline.to_owned())]),
        "cancelled" => lang.t("seat-answer-cancelled"),
        _ if allocated == 0 => lang.t_with("seat-answer-waitlisted", &[("why", why_words())]),
        _ if allocated < seats => lang.t_with(
            "seat-answer-partly",
            &[("granted", allocated.to_string()), ("asked", seats.to_string()), ("why", why_words())],
        ),
        _ => lang.t_with("seat-answer-allocated", &[("why", why_words())]),
    }
}
