//! Lists people can work with: sorted on the server (`?sort=column`, `?sort=-column` for
//! descending), filtered by known parameters, paged. An unknown column or parameter is
//! refused with a 400 that names it.

use std::collections::BTreeMap;

use crate::http::api::params::Params;
use crate::service::{Reason, ServiceError};

/// Parameters every page takes besides its own filters.
const COMMON: [&str; 4] = ["lang", "flash", "sort", "page"];

/// Rows per page of a paged list.
pub const PER_PAGE: usize = 50;

/// A list's request: its path and its parameters, checked.
#[derive(Debug, Clone)]
pub struct Listing {
    path: String,
    params: BTreeMap<String, String>,
}

/// The sort asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// The column's key.
    pub key: &'static str,
    /// Largest first.
    pub descending: bool,
}

/// A column's header: its label, the link that sorts by it, and its state for `aria-sort`.
#[derive(Debug, Clone)]
pub struct Column {
    /// The header's text.
    pub label: String,
    /// The link sorting by this column (the other way when it is the current one).
    pub href: String,
    /// `ascending`, `descending` or `none`.
    pub aria_sort: &'static str,
    /// `▲`, `▼` or nothing.
    pub arrow: &'static str,
    /// Whether it holds numbers (aligned right).
    pub numeric: bool,
}

/// A page of a longer list.
#[derive(Debug, Clone)]
pub struct Pager {
    /// This page, from 1.
    pub page: usize,
    /// Pages in all.
    pub pages: usize,
    /// The previous page's link.
    pub prev: Option<String>,
    /// The next page's link.
    pub next: Option<String>,
}

impl Listing {
    /// The list at `path` asked for with `params`; a parameter that is neither common nor
    /// one of `filters` is refused, naming it.
    pub fn new(path: &str, params: &Params, filters: &[&str]) -> Result<Self, ServiceError> {
        if let Some(unknown) = params.keys().find(|k| !COMMON.contains(&k.as_str()) && !filters.contains(&k.as_str())) {
            let mut known: Vec<&str> = filters.to_vec();
            known.extend(["sort", "page"]);
            return Err(ServiceError::BadQuery {
                parameter: unknown.clone(),
                reason: Reason::UnknownColumn(unknown.clone(), known.join(", ")),
            });
        }
        let params =
            params.iter().filter(|(k, _)| k.as_str() != "flash").map(|(k, v)| (k.clone(), v.clone())).collect();
        Ok(Self { path: path.to_owned(), params })
    }

    /// A filter's value, trimmed; `None` when absent or empty.
    pub fn filter(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// The sort asked for among `columns` (the first is the default), or a 400 naming it.
    pub fn sort(&self, columns: &[&'static str]) -> Result<Sort, ServiceError> {
        self.sort_or(columns, columns[0])
    }

    /// The sort asked for among `columns`, `default` (`name`, or `-date` for descending)
    /// when none is, or a 400 naming it.
    pub fn sort_or(&self, columns: &[&'static str], default: &str) -> Result<Sort, ServiceError> {
        let text = self.filter("sort").unwrap_or(default);
        let (name, descending) = match text.strip_prefix('-') {
            Some(name) => (name, true),
            None => (text, false),
        };
        match columns.iter().find(|c| **c == name) {
            Some(key) => Ok(Sort { key, descending }),
            None => Err(ServiceError::BadQuery {
                parameter: "sort".into(),
                reason: Reason::UnknownColumn(name.to_owned(), columns.join(", ")),
            }),
        }
    }

    /// The page asked for (from 1), or a 400.
    pub fn page(&self) -> Result<usize, ServiceError> {
        match self.filter("page") {
            None => Ok(1),
            Some(text) => text.parse::<usize>().ok().filter(|p| (1..=1_000_000).contains(p)).ok_or_else(|| {
                ServiceError::BadQuery {
                    parameter: "page".into(),
                    reason: Reason::OutOfRange { min: 1, max: 1_000_000 },
                }
            }),
        }
    }

    /// This list's address with `name` set to `value` (removed when `None`); changing
    /// the sort or a filter goes back to the first page.
    pub fn href(&self, name: &str, value: Option<&str>) -> String {
        let mut params = self.params.clone();
        if name != "page" {
            params.remove("page");
        }
        match value {
            Some(v) => params.insert(name.to_owned(), v.to_owned()),
            None => params.remove(name),
        };
        if params.is_empty() {
            return self.path.clone();
        }
        let query: Vec<String> = params.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
        format!("{}?{}", self.path, query.join("&"))
    }

    /// The headers of `columns` (key, label, numeric) for `sort`.
    pub fn columns(&self, sort: Sort, columns: &[(&'static str, String, bool)]) -> Vec<Column> {
        columns
            .iter()
            .map(|(key, label, numeric)| {
                let current = *key == sort.key;
                let next = if current && !sort.descending { format!("-{key}") } else { (*key).to_owned() };
                Column {
                    label: label.clone(),
                    href: self.href("sort", Some(&next)),
                    aria_sort: match (current, sort.descending) {
                        (false, _) => "none",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    },
                    arrow: match (current, sort.descending) {
                        (false, _) => "",
                        (true, false) => "▲",
                        (true, true) => "▼",
                    },
                    numeric: *numeric,
                }
            })
            .collect()
    }

    /// The pager of a list of `total` items on page `page`.
    pub fn pager(&self, page: usize, total: usize) -> Pager {
        let pages = total.div_ceil(PER_PAGE).max(1);
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| self.href("page", Some(&(page - 1).to_string()))),
            next: (page < pages).then(|| self.href("page", Some(&(page + 1).to_string()))),
        }
    }
}

/// Makes the columns at `indices` plain headers: they cannot be sorted by.
pub fn unsortable(columns: &mut [Column], indices: &[usize]) {
    for i in indices {
        if let Some(column) = columns.get_mut(*i) {
            column.href.clear();
        }
    }
}

/// The items of `page` out of `all`.
pub fn page_of<T>(all: Vec<T>, page: usize) -> Vec<T> {
    all.into_iter().skip((page - 1).saturating_mul(PER_PAGE)).take(PER_PAGE).collect()
}

/// Orders `items` by `key` as `sort` says.
pub fn ordered<T>(items: &mut [T], sort: Sort, compare: impl Fn(&T, &T) -> std::cmp::Ordering) {
    items.sort_by(|a, b| if sort.descending { compare(b, a) } else { compare(a, b) });
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(query: &[(&str, &str)]) -> Result<Listing, ServiceError> {
        let params = query.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        Listing::new("/nations", &params, &["q", "status"])
    }

    #[test]
    fn unknown_columns_and_parameters_are_named() {
        let error = listing(&[("sort", "colour")]).unwrap().sort(&["name", "code"]).unwrap_err();
        assert!(error.to_string().contains("`colour`"), "{error}");
        let error = listing(&[("shade", "red")]).unwrap_err();
        assert!(error.to_string().starts_with("shade:"), "{error}");
    }

    #[test]
    fn a_sorted_header_links_to_the_other_direction_and_keeps_the_filters() {
        let list = listing(&[("q", "Côte d"), ("sort", "name"), ("page", "2")]).unwrap();
        let sort = list.sort(&["name", "code"]).unwrap();
        let columns = list.columns(sort, &[("name", "Name".into(), false), ("code", "Code".into(), false)]);
        assert_eq!(columns[0].aria_sort, "ascending");
        assert_eq!(columns[0].href, "/nations?q=C%C3%B4te%20d&sort=-name", "back to page 1");
        assert_eq!(columns[1].href, "/nations?q=C%C3%B4te%20d&sort=code");
    }
}
