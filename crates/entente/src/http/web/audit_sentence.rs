//! An audit event as a sentence a person reads: "Ana (partner officer, nation GE)
//! uploaded “Notes” marked RESTRICTED REL TO GE". The details stay one click away.

use std::collections::HashMap;

use entente_core::audit::AuditEvent;
use serde_json::Value;

use crate::http::i18n::Lang;
use crate::service::accounts::User;
use crate::service::audit::actor_id;
use entente_core::Affiliation;

/// Who the actors of a page of events are, in words, by user id.
pub fn people(users: &[User], lang: Lang) -> HashMap<i64, String> {
    users
        .iter()
        .map(|u| {
            let role = lang.t(&format!("role-{}", u.role.as_str()));
            let name = u.display_name.clone();
            // The alliance's own staff are named by role; others by role and where from.
            let words = match &u.affiliation {
                Affiliation::AllianceStaff => lang.t_with("audit-person", &[("name", name), ("role", role)]),
                Affiliation::Nation(code) => {
                    lang.t_with("audit-person-of", &[("name", name), ("role", role), ("of", code.to_string())])
                }
                Affiliation::Organisation(code) => {
                    lang.t_with("audit-person-of", &[("name", name), ("role", role), ("of", code.to_string())])
                }
            };
            (u.id, words)
        })
        .collect()
}

/// The actor in words: a known user by name and role, the operator, the system, or an
/// anonymous client by address.
fn who(label: &str, people: &HashMap<i64, String>, lang: Lang) -> String {
    if let Some(person) = actor_id(label).and_then(|id| people.get(&id)) {
        return person.clone();
    }
    if let Some(name) = label.strip_prefix("cli:") {
        return lang.t_with("audit-operator", &[("name", name.to_owned())]);
    }
    if label.starts_with("system:") {
        return lang.t("audit-system");
    }
    if let Some(address) = label.strip_prefix("anonymous@") {
        return lang.t_with("audit-anonymous", &[("address", address.to_owned())]);
    }
    label.to_owned()
}

fn field(detail: &Value, path: &[&str]) -> String {
    let value = path.iter().fold(detail, |v, key| &v[*key]);
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The event as a sentence in `lang`; an action without a sentence of its own is named.
pub fn sentence(event: &AuditEvent, people: &HashMap<i64, String>, lang: Lang) -> String {
    let detail: Value = serde_json::from_str(&event.detail).unwrap_or(Value::Null);
    let mut args = vec![("who", who(&event.actor, people, lang)), ("action", event.action.clone())];
    let pick = |name: &'static str, path: &[&str]| (name, field(&detail, path));
    args.extend([
        pick("id", &["id"]),
        pick("title", &["after", "title"]),
        pick("marking", &["after", "marking"]),
        pick("nation", &["nation"]),
        pick("framework", &["framework"]),
        pick("day", &["day"]),
        pick("email", if detail["email"].is_string() { &["email"] } else { &["after", "email"] }),
        pick("path", &["path"]),
        pick("reason", &["reason"]),
        pick("comment", &["comment"]),
    ]);
    // Events whose detail names the record at the top level.
    if args.iter().any(|(n, v)| *n == "title" && v.is_empty()) {
        args.retain(|(n, _)| *n != "title");
        args.push(("title", field(&detail, &["title"])));
    }
    if args.iter().any(|(n, v)| *n == "marking" && v.is_empty()) {
        args.retain(|(n, _)| *n != "marking");
        args.push(("marking", field(&detail, &["marking"])));
    }
    let key = format!("audit-says-{}", event.action.replace(['.', '_'], "-"));
    lang.try_t_with(&key, &args).unwrap_or_else(|| lang.t_with("audit-says-other", &args))
}

/// The details, indented for reading.
pub fn details(event: &AuditEvent) -> String {
    serde_json::from_str::<Value>(&event.detail)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| event.detail.clone())
}
