//! The interface's languages: every string of the pages, flash messages and errors comes
//! from one Fluent catalogue (`locales/en`, `locales/fr`). The language is, in order: the
//! `?lang=` of the request (then remembered in a cookie), the cookie, `Accept-Language`,
//! English.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use axum::http::header::{ACCEPT_LANGUAGE, SET_COOKIE, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::SameSite;
use chrono::NaiveDate;
use entente_core::{Bound, DateWords, Interval, PartialDate};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Bidirectional isolation marks would show up in HTML and in tests' text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie remembering a chosen language.
pub const LANGUAGE_COOKIE: &str = "entente_lang";

static ENGLISH: LanguageIdentifier = langid!("en");
static FRENCH: LanguageIdentifier = langid!("fr");

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Every language, in the order the switch shows them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The BCP 47 code, as `<html lang>` takes it.
    pub fn code(&self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language named by `code` (`en`, `fr`, `fr-BE`...), if the interface has it.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    fn id(&self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &ENGLISH,
            Lang::Fr => &FRENCH,
        }
    }

    /// The message `key` in this language.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// The message `key`, if the catalogue has it.
    pub fn try_t(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup(self.id(), key)
    }

    /// The message `key` with its arguments; numbers are passed as numbers, so that the
    /// message can choose its plural form.
    pub fn t_with(&self, key: &str, args: &[(&'static str, String)]) -> String {
        LOCALES.lookup_with_args(self.id(), key, &Self::fluent_args(args))
    }

    /// The message `key` with its arguments, if the catalogue has it.
    pub fn try_t_with(&self, key: &str, args: &[(&'static str, String)]) -> Option<String> {
        LOCALES.try_lookup_with_args(self.id(), key, &Self::fluent_args(args))
    }

    /// Arguments for Fluent; numbers are passed as numbers, so a message can choose its plural.
    fn fluent_args(args: &[(&'static str, String)]) -> HashMap<Cow<'static, str>, FluentValue<'static>> {
        args.iter()
            .map(|(name, value)| {
                let value = match value.parse::<i64>() {
                    Ok(number) => FluentValue::from(number),
                    Err(_) => FluentValue::from(value.clone()),
                };
                (Cow::Borrowed(*name), value)
            })
            .collect()
    }

    /// The language of a request: `?lang=`, the cookie, `Accept-Language`, English.
    pub fn of_request(query: Option<&str>, headers: &HeaderMap) -> Lang {
        if let Some(lang) = query_lang(query) {
            return lang;
        }
        if let Some(lang) = CookieJar::from_headers(headers).get(LANGUAGE_COOKIE).and_then(|c| Lang::parse(c.value())) {
            return lang;
        }
        headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map_or(Lang::En, accepted)
    }
}

/// A language's words for dates, looked up once from the catalogue.
struct LocalDateWords {
    months: [String; 12],
    first_day: String,
    uncertain: String,
    by: String,
    present: String,
}

impl LocalDateWords {
    fn of(lang: Lang) -> Self {
        Self {
            months: std::array::from_fn(|i| lang.t(&format!("month-{}", i + 1))),
            first_day: lang.t("date-first-day"),
            uncertain: lang.t("date-uncertain"),
            by: lang.t("date-by"),
            present: lang.t("date-present"),
        }
    }

    fn words(&self) -> DateWords<'_> {
        DateWords {
            months: std::array::from_fn(|i| self.months[i].as_str()),
            first_day: &self.first_day,
            uncertain: &self.uncertain,
            by: &self.by,
            present: &self.present,
        }
    }
}

static DATE_WORDS: [OnceLock<LocalDateWords>; 2] = [OnceLock::new(), OnceLock::new()];

impl Lang {
    fn date_words(self) -> &'static LocalDateWords {
        let index = Lang::ALL.iter().position(|l| *l == self).unwrap_or(0);
        DATE_WORDS[index].get_or_init(|| LocalDateWords::of(self))
    }

    /// A day as a reader of this language writes it: `14 Feb 1995`, `14 févr. 1995`.
    pub fn human_day(self, day: NaiveDate) -> String {
        PartialDate::from_naive(day).human_in(&self.date_words().words())
    }

    /// A partial date, keeping its precision and doubt.
    pub fn human_date(self, date: &PartialDate) -> String {
        date.human_in(&self.date_words().words())
    }

    /// A bound of an interval: `May 1994`, `date unknown, by 2024`.
    pub fn human_bound(self, bound: &Bound) -> String {
        bound.human_in(&self.date_words().words())
    }

    /// An interval: `May 1994 – present`, `mai 1994 – aujourd’hui`.
    pub fn human_interval(self, interval: &Interval) -> String {
        interval.human_in(&self.date_words().words())
    }

    /// `english` or `french`, whichever this language reads: for data kept in both.
    pub fn pick<'a>(self, english: &'a str, french: &'a str) -> &'a str {
        match self {
            Lang::En => english,
            Lang::Fr => french,
        }
    }
}

fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?.split('&').find_map(|pair| pair.strip_prefix("lang=")).and_then(Lang::parse)
}

/// The interface language a browser prefers most, by the q-values of `Accept-Language`.
fn accepted(header: &str) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let Some(lang) = parts.next().and_then(Lang::parse) else { continue };
        let quality =
            parts.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
        // `q=0` says "not this one".
        if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, lang));
        }
    }
    best.map_or(Lang::En, |(_, lang)| lang)
}

/// The language a request chooses with `?lang=`, if any.
pub fn chosen(query: Option<&str>) -> Option<Lang> {
    query_lang(query)
}

/// Remembers a language chosen with `?lang=` in a cookie, for a year; and tells caches
/// that a page's words depend on the cookie and on `Accept-Language`.
pub fn remember(response: &mut Response, chosen: Option<Lang>, secure: bool) {
    if let Some(lang) = chosen {
        let cookie = super::caller::cookie(LANGUAGE_COOKIE, lang.code().to_owned(), secure, SameSite::Lax);
        if let Ok(value) = HeaderValue::from_str(&format!("{cookie}; Max-Age={}", 365 * 24 * 3600)) {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response.headers_mut().append(VARY, HeaderValue::from_static("Accept-Language, Cookie"));
}

#[cfg(test)]
mod tests;
