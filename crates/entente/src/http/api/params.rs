//! Query parameters, parsed into domain values or refused with a problem naming them.

use std::collections::HashMap;

use chrono::NaiveDate;
use entente_core::parse_day;

use crate::http::error::HttpError;

/// Query parameters as given; `axum::extract::Query` of a map never fails, so every
/// refusal goes through [`HttpError::BadParameter`] and names the parameter.
pub type Params = HashMap<String, String>;

/// A required `YYYY-MM-DD` day.
pub fn required_day(params: &Params, name: &'static str) -> Result<NaiveDate, HttpError> {
    let text = params.get(name).ok_or_else(|| HttpError::BadParameter {
        parameter: name,
        value: None,
        reason: "is required (a day written YYYY-MM-DD)".into(),
    })?;
    parse_day(text).map_err(|e| HttpError::BadParameter {
        parameter: name,
        value: Some(text.clone()),
        reason: match e {
            entente_core::DateError::Shape(_) => format!("`{text}` is not a day written YYYY-MM-DD"),
            entente_core::DateError::OutOfRange(_) => e.to_string(),
        },
    })
}

/// An optional `YYYY-MM-DD` day, `today` when absent.
pub fn day_or_today(params: &Params, name: &'static str, today: NaiveDate) -> Result<NaiveDate, HttpError> {
    if params.contains_key(name) { required_day(params, name) } else { Ok(today) }
}

/// A positive number with a default and a ceiling.
pub fn bounded_number(params: &Params, name: &'static str, default: usize, max: usize) -> Result<usize, HttpError> {
    match params.get(name) {
        None => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(HttpError::BadParameter {
                parameter: name,
                value: Some(text.clone()),
                reason: format!("must be a whole number from 1 to {max}"),
            }),
        },
    }
}

/// The highest page number accepted: beyond it, offsets would overflow.
pub const MAX_PAGE: usize = 1_000_000;

/// Which page of a list was asked for (`page` from 1, `per_page` up to 500, default 100).
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// Page number, from 1.
    pub page: usize,
    /// Items per page.
    pub per_page: usize,
}

impl Paging {
    /// Reads `page` and `per_page`, refusing values out of range.
    pub fn from_params(params: &Params) -> Result<Self, HttpError> {
        Ok(Self {
            page: bounded_number(params, "page", 1, MAX_PAGE)?,
            per_page: bounded_number(params, "per_page", 100, 500)?,
        })
    }

    /// The page as SQL's `limit` and `offset`.
    pub fn limit_offset(&self) -> (i64, i64) {
        let limit = i64::try_from(self.per_page).unwrap_or(i64::MAX);
        let page = i64::try_from(self.page).unwrap_or(i64::MAX);
        (limit, (page - 1).saturating_mul(limit))
    }

    /// The page's items out of `all`, converted by `to_item`.
    pub fn page_of<S, T>(&self, all: &[S], to_item: impl Fn(&S) -> T) -> super::dto::Page<T> {
        let items =
            all.iter().skip((self.page - 1).saturating_mul(self.per_page)).take(self.per_page).map(to_item).collect();
        super::dto::Page { items, page: self.page, per_page: self.per_page, total: all.len() }
    }
}

/// A year from 1949 to 2200, `default` when absent.
pub fn year_or(params: &Params, name: &'static str, default: i64) -> Result<i64, HttpError> {
    match params.get(name) {
        None => Ok(default),
        Some(text) => match text.parse::<i64>() {
            Ok(n) if (1949..=2200).contains(&n) => Ok(n),
            _ => Err(HttpError::BadParameter {
                parameter: name,
                value: Some(text.clone()),
                reason: "must be a year from 1949 to 2200".into(),
            }),
        },
    }
}
