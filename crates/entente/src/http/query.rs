//! Query parameters that pages and the API read alike.

use std::collections::HashMap;

use crate::service::audit::AuditFilter;

/// A query parameter refused, and the value given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFilter {
    /// The parameter.
    pub parameter: &'static str,
    /// Its value.
    pub value: String,
}

/// The audit trail's filter from query parameters (empty ones ignored); `from` and `to`
/// are days (`YYYY-MM-DD`) or times (RFC 3339, any offset), anything else is refused.
pub fn audit_filter(params: &HashMap<String, String>) -> Result<AuditFilter, BadFilter> {
    let get = |name: &str| params.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let time = |name: &'static str| -> Result<Option<String>, BadFilter> {
        let Some(text) = get(name) else { return Ok(None) };
        if entente_core::parse_day(&text).is_ok() {
            return Ok(Some(text));
        }
        // Stored times are UTC text; a time with another offset is brought to UTC to compare.
        chrono::DateTime::parse_from_rfc3339(&text)
            .map(|t| Some(crate::store::timestamp(t.with_timezone(&chrono::Utc))))
            .map_err(|_| BadFilter { parameter: name, value: text })
    };
    let (record_kind, record_text) = match get("record") {
        None => (None, None),
        Some(text) => record_filter(&text),
    };
    Ok(AuditFilter {
        actor: get("actor"),
        action: get("action"),
        from: time("from")?,
        to: time("to")?,
        record_kind,
        record_text,
    })
}

/// `document:12` (or `proposal:3`, `user:5`, `token:2`) is one record: events of that
/// kind whose detail names its id. Anything else is text the detail contains (a nation's
/// code, a title).
fn record_filter(text: &str) -> (Option<String>, Option<String>) {
    match text.split_once(':') {
        Some((kind, id)) if id.parse::<i64>().is_ok() && kind.bytes().all(|b| b.is_ascii_lowercase()) => {
            let kind = if kind == "proposal" { "registry" } else { kind };
            (Some(format!("{kind}.")), Some(format!("\"id\":{id}")))
        }
        _ => (None, Some(text.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    #[test]
    fn bad_times_are_refused_and_empty_ones_ignored() {
        let params = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        let filter = super::audit_filter(&params(&[("from", ""), ("to", "2026-11-23T12:00:00+01:00")])).unwrap();
        assert_eq!(filter.from, None);
        assert!(filter.to.unwrap().starts_with("2026-11-23T11:00:00"));
        let refused = super::audit_filter(&params(&[("from", "yesterday")])).unwrap_err();
        assert_eq!((refused.parameter, refused.value.as_str()), ("from", "yesterday"));
    }
}
