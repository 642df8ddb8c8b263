//! The frame around every page: who is signed in, the links they may follow, the search
//! box, the language and its switch.

use super::super::AppState;
use super::super::i18n::Lang;

/// What every page's frame shows: the search text, who is signed in, the sign-out form's
/// CSRF token, the demo banner, the links the caller may follow, and the language.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    /// The page's language.
    pub lang: Lang,
    /// The language switch: (code, name, link to this page in that language, current).
    pub languages: Vec<(&'static str, String, String, bool)>,
    /// The search box's text.
    pub search: String,
    /// The signed-in user's name.
    pub user: Option<String>,
    /// The session's CSRF token, for forms.
    pub csrf: String,
    /// Whether the demo banner shows.
    pub demo: bool,
    /// Whether the user administration link shows.
    pub is_admin: bool,
    /// Whether the audit trail link shows.
    pub can_audit: bool,
    /// Whether the proposals link shows (the alliance's staff and members' delegations).
    pub follows_proposals: bool,
    /// Whether the "my seats" link shows (a nation's officers and delegates).
    pub has_nation: bool,
    /// The page's path, for marking the current navigation link.
    pub current: String,
    /// The highest marking on the page, as its banner says it, and the banner's class.
    pub marking: Option<(String, &'static str)>,
    /// A message about what the previous form did, from `?flash=KEY` (known keys only).
    pub flash: Option<String>,
}

impl Chrome {
    /// The frame for this caller.
    pub fn new(ctx: &crate::http::caller::CallerContext, state: &AppState) -> Self {
        use entente_core::{Action, Resource, authorize};
        Self {
            lang: ctx.lang,
            languages: languages(ctx.lang, &ctx.path),
            search: String::new(),
            user: ctx.user.as_ref().map(|u| u.display_name.clone()),
            csrf: ctx.csrf().to_owned(),
            demo: state.options.demo,
            is_admin: authorize(ctx.caller(), Action::Read, Resource::Users).is_allowed(),
            can_audit: authorize(ctx.caller(), Action::Read, Resource::AuditTrail).is_allowed(),
            follows_proposals: authorize(
                ctx.caller(),
                Action::Read,
                Resource::Proposal { proposed_by: 0, state: entente_core::Lifecycle::Submitted },
            )
            .is_allowed(),
            has_nation: matches!(
                ctx.caller(),
                entente_core::Caller::User(p) if matches!(p.role, entente_core::Role::PartnerOfficer | entente_core::Role::MemberDelegate)
                    && matches!(p.affiliation, entente_core::Affiliation::Nation(_))
            ),
            current: ctx.path.split('?').next().unwrap_or_default().to_owned(),
            marking: None,
            flash: flash_of(&ctx.path, ctx.lang),
        }
    }

    /// The frame of a page showing content marked `markings`: the banner says the highest.
    pub fn marked<'m>(mut self, markings: impl IntoIterator<Item = &'m entente_core::Marking>) -> Self {
        use entente_core::Classification;
        let highest = markings.into_iter().max_by_key(|m| m.classification());
        self.marking = highest.map(|m| {
            let class = match m.classification() {
                Classification::Restricted => "restricted",
                Classification::Unclassified => "unclassified",
                Classification::Public => "public",
            };
            (self.lang.t_with("marking-banner", &[("marking", m.to_string())]), class)
        });
        self
    }

    /// Whether `href` is the current page or a page under it (for `aria-current`).
    pub fn is_current(&self, href: &str) -> bool {
        if href == "/" {
            self.current == "/"
        } else {
            self.current == href || self.current.starts_with(&format!("{href}/"))
        }
    }
}

/// The flash message a redirect asked for with `flash=KEY`: only keys of the catalogue
/// (`flash-KEY`) are shown, so the address cannot put words on the page.
fn flash_of(path_and_query: &str, lang: Lang) -> Option<String> {
    let query = path_and_query.split_once('?')?.1;
    let key = query.split('&').find_map(|pair| pair.strip_prefix("flash="))?;
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
        return None;
    }
    lang.try_t(&format!("flash-{key}"))
}

impl Chrome {
    /// A frame with nothing but the language and its switch, for requests refused
    /// before the caller is known.
    pub fn in_language(lang: Lang, path: &str) -> Self {
        Self { lang, languages: languages(lang, path), ..Self::default() }
    }

    /// The same frame for the page at `path`: a page shown again after a form's POST
    /// gives its own address, so that the language switch leads back to it.
    pub fn at(mut self, path: &str) -> Self {
        self.languages = languages(self.lang, path);
        self
    }

    /// The message `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The message `key` with two arguments.
    pub fn t2(&self, key: &str, first: &(&'static str, String), second: &(&'static str, String)) -> String {
        self.lang.t_with(key, &[first.clone(), second.clone()])
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.lang.t_with(key, &[(name, value.to_string())])
    }
}

/// The language switch of a page in `current` at `path`.
fn languages(current: Lang, path: &str) -> Vec<(&'static str, String, String, bool)> {
    Lang::ALL.iter().map(|l| (l.code(), l.t("language-name"), switch_href(path, *l), *l == current)).collect()
}

/// The current page's address with `lang` set to `lang` (other parameters kept).
fn switch_href(path_and_query: &str, lang: Lang) -> String {
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    // `//host/x` or `/\host/x` would be read by a browser as another site's address.
    let path = format!("/{}", path.trim_start_matches(['/', '\\']));
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
    let lang_pair = format!("lang={}", lang.code());
    pairs.push(&lang_pair);
    format!("{path}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_keeps_the_query_and_stays_on_this_site() {
        assert_eq!(
            switch_href("/frameworks/PFP?at=2020-01-01&lang=fr", Lang::En),
            "/frameworks/PFP?at=2020-01-01&lang=en"
        );
        assert_eq!(switch_href("/", Lang::Fr), "/?lang=fr");
        assert_eq!(switch_href("//evil.example/x?a=1", Lang::Fr), "/evil.example/x?a=1&lang=fr");
        assert_eq!(switch_href("/\\evil.example/x", Lang::Fr), "/evil.example/x?lang=fr");
    }
}
