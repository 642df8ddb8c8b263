use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use entente_core::{Action, Lifecycle, Role, Rule, Standing, Target};

use super::*;

#[test]
fn the_language_follows_the_query_then_the_cookie_then_the_browser() {
    let mut headers = HeaderMap::new();
    assert_eq!(Lang::of_request(None, &headers), Lang::En);
    headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static("de-DE, fr-CH;q=0.8, en;q=0.5"));
    assert_eq!(Lang::of_request(None, &headers), Lang::Fr);
    headers.insert(COOKIE, HeaderValue::from_static("entente_lang=en"));
    assert_eq!(Lang::of_request(None, &headers), Lang::En);
    assert_eq!(Lang::of_request(Some("at=2020-01-01&lang=fr"), &headers), Lang::Fr);
}

/// Each message of one language's files, with the variables it takes.
fn messages_of(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut messages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut current = None;
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let value = match line.split_once('=') {
                Some((key, value)) if !line.starts_with([' ', '.', '*', '[']) => {
                    let key = key.trim().to_owned();
                    assert!(!messages.contains_key(&key), "{key} is defined twice in {lang}");
                    messages.insert(key.clone(), BTreeSet::new());
                    current = Some(key);
                    value
                }
                _ => line,
            };
            let Some(key) = &current else { continue };
            for (at, _) in value.match_indices('$') {
                let name: String =
                    value[at + 1..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect();
                messages.get_mut(key).unwrap().insert(name);
            }
        }
    }
    messages
}

/// Literal keys passed to `.t("...")`, `.t1("...")` or `.t_with("...")` in `text`.
fn keys_used_in(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for call in [".t(\"", ".t1(\"", ".t_with(\"", " with(\""] {
        for (at, _) in text.match_indices(call) {
            let rest = &text[at + call.len()..];
            if let Some(end) = rest.find('"') {
                keys.push(rest[..end].to_owned());
            }
        }
    }
    keys
}

#[test]
fn every_message_exists_in_english_and_in_french_with_the_same_variables() {
    let (english, french) = (messages_of("en"), messages_of("fr"));
    assert!(english.len() > 100, "{english:?}");
    let only_english: Vec<_> = english.keys().filter(|k| !french.contains_key(*k)).collect();
    let only_french: Vec<_> = french.keys().filter(|k| !english.contains_key(*k)).collect();
    assert!(only_english.is_empty(), "missing in French: {only_english:?}");
    assert!(only_french.is_empty(), "missing in English: {only_french:?}");
    for (key, variables) in &english {
        assert_eq!(&french[key], variables, "{key} takes other variables in French");
        let args: HashMap<Cow<'static, str>, FluentValue> =
            variables.iter().map(|v| (Cow::Owned(v.clone()), FluentValue::from("x"))).collect();
        for lang in Lang::ALL {
            let text = LOCALES.try_lookup_with_args(lang.id(), key, &args);
            assert!(text.is_some_and(|t| !t.trim().is_empty()), "{key} does not resolve in {}", lang.code());
        }
    }
}

#[test]
fn every_key_the_pages_and_the_code_use_is_defined() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let defined = messages_of("en");
    let mut files = vec![];
    for dir in ["templates", "src/http/web", "src/http"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    let mut missing = Vec::new();
    let mut used = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for key in keys_used_in(&text) {
            used += 1;
            if !defined.contains_key(&key) {
                missing.push(format!("{}: {key}", file.display()));
            }
        }
    }
    assert!(used > 100, "only {used} uses found: the scan is broken");
    assert!(missing.is_empty(), "keys used but not defined: {missing:#?}");
}

/// Keys built from a code at run time (`role-{code}`...) exist for every code.
#[test]
fn every_code_shown_in_words_has_its_message() {
    let rules = [
        Rule::OnlyApprover,
        Rule::OnlyStaff,
        Rule::OnlyStaffOrDelegates,
        Rule::OnlyAdmin,
        Rule::OnlyConcernedNation,
        Rule::WrongState(Lifecycle::Draft),
        Rule::WouldNotSee,
        Rule::AuditReaders,
        Rule::AppendOnly,
    ];
    let mut keys: Vec<String> = rules.iter().map(|r| format!("refusal-{}", r.code())).collect();
    keys.extend(Target::ALL.iter().map(|t| format!("target-{}", t.code())));
    keys.extend(Action::ALL.iter().map(|a| format!("action-{}", a.as_str())));
    keys.extend(Lifecycle::ALL.iter().map(|l| format!("state-{}", l.as_str())));
    keys.extend(Role::ALL.iter().map(|r| format!("role-{}", r.as_str())));
    keys.extend(
        [Standing::Member, Standing::Partner, Standing::Dialogue].iter().map(|s| format!("status-{}", s.as_str())),
    );
    keys.extend(entente_core::EndReason::ALL.iter().map(|r| format!("end-{}", r.as_str())));
    keys.extend((1..=12).map(|m| format!("month-{m}")));
    let defined = messages_of("en");
    let missing: Vec<_> = keys.iter().filter(|k| !defined.contains_key(*k)).collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn messages_take_their_arguments_and_dates_their_language() {
    assert_eq!(Lang::Fr.t_with("nations-found", &[("count", "3".into())]), "3 nations trouvées.");
    assert_eq!(Lang::En.t("nav-frameworks"), "Frameworks");
    let day = chrono::NaiveDate::from_ymd_opt(1995, 2, 14).unwrap();
    assert_eq!(Lang::En.human_day(day), "14 Feb 1995");
    assert_eq!(Lang::Fr.human_day(day), "14 févr. 1995");
    let first = chrono::NaiveDate::from_ymd_opt(2009, 1, 1).unwrap();
    assert_eq!(Lang::En.human_day(first), "1 Jan 2009");
    assert_eq!(Lang::Fr.human_day(first), "1er janv. 2009");
    assert_eq!(Lang::Fr.t_with("nations-found", &[("count", "1".into())]), "1 nation trouvée.");
    assert_eq!(Lang::En.t_with("nations-found", &[("count", "1".into())]), "One nation found.");
}
