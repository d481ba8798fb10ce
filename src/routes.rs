//! Where each page lives: the path segments the route table matches (in `lib.rs`), each page's
//! bookmarkable path and link, the router base Portlight is served under, and where Connect
//! may send the operator afterwards.

/// The path segments of the routes, named once for the route table and for [`Page::path`].
pub mod segment {
    pub const CONNECT: &str = "connect";
    pub const STACKS: &str = "stacks";
    pub const ACCESS: &str = "access";
    pub const SETTINGS: &str = "settings";
    /// The parameter after `/stacks/`.
    pub const STACK_ID: &str = "id";
    /// `/stacks/<id>/edit`.
    pub const EDIT: &str = "edit";
    /// `/stacks/<id>/logs`.
    pub const LOGS: &str = "logs";
    /// `/access/everyone`.
    pub const EVERYONE: &str = "everyone";
}

/// Every page Portlight has, with its bookmarkable path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Connect,
    Stacks,
    Stack(u32),
    StackEdit(u32),
    /// The logs of every container or service of the stack.
    StackLogs(u32),
    Access,
    Everyone,
    Settings,
}

impl Page {
    pub fn path(&self) -> String {
        match self {
            Page::Connect => format!("/{}", segment::CONNECT),
            Page::Stacks => format!("/{}", segment::STACKS),
            Page::Stack(id) => format!("/{}/{id}", segment::STACKS),
            Page::StackEdit(id) => format!("/{}/{id}/{}", segment::STACKS, segment::EDIT),
            Page::StackLogs(id) => format!("/{}/{id}/{}", segment::STACKS, segment::LOGS),
            Page::Access => format!("/{}", segment::ACCESS),
            Page::Everyone => format!("/{}/{}", segment::ACCESS, segment::EVERYONE),
            Page::Settings => format!("/{}", segment::SETTINGS),
        }
    }

    /// The page a path (without the router base or a query) names, if any.
    pub fn from_path(path: &str) -> Option<Page> {
        let path = path.strip_prefix('/')?;
        let path = path.strip_suffix('/').unwrap_or(path);
        match path.split_once('/') {
            None if path == segment::CONNECT => Some(Page::Connect),
            None if path == segment::STACKS => Some(Page::Stacks),
            None if path == segment::ACCESS => Some(Page::Access),
            None if path == segment::SETTINGS => Some(Page::Settings),
            Some((first, rest)) if first == segment::ACCESS && rest == segment::EVERYONE => {
                Some(Page::Everyone)
            }
            Some((first, rest)) if first == segment::STACKS => {
                let (id, last) = match rest.split_once('/') {
                    Some((id, last)) if last == segment::EDIT || last == segment::LOGS => {
                        (id, Some(last))
                    }
                    Some(_) => return None,
                    None => (rest, None),
                };
                // Digits only: `u32::from_str` would also take a leading `+`.
                let digits = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
                let id: u32 = digits.then(|| id.parse().ok()).flatten()?;
                Some(match last {
                    Some(segment::EDIT) => Page::StackEdit(id),
                    Some(_) => Page::StackLogs(id),
                    None => Page::Stack(id),
                })
            }
            _ => None,
        }
    }

    /// The page's address for a link (`href`): its path under the base Portlight is served
    /// from. leptos_router adds the base to `navigate` targets, never to `href`s.
    pub fn href(&self) -> String {
        with_base(&self.path())
    }
}

/// `/connect?next=<where the operator was going>`.
pub fn connect_then(next: &str) -> String {
    format!(
        "{}?next={}",
        Page::Connect.path(),
        crate::percent::encode(next)
    )
}

/// `/stacks` + `q=web` → `/stacks?q=web` (the router's `search` has no leading `?`).
pub fn path_and_query(path: &str, search: &str) -> String {
    match search.trim_start_matches('?') {
        "" => path.to_string(),
        query => format!("{path}?{query}"),
    }
}

/// Where Connect may go after connecting: `next` rebuilt as one of Portlight's own pages with
/// its query, or None. Nothing of `next` is followed as it came: a browser drops tabs and
/// newlines from a URL, so `/\t/evil.example` would otherwise leave for another site.
pub fn safe_next(next: &str) -> Option<String> {
    let (path, query) = next.split_once('?').unwrap_or((next, ""));
    let page = Page::from_path(path)?;
    let query_is_plain = query
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~%!$'()*+,;=:@/&".contains(&b));
    Some(if query_is_plain {
        path_and_query(&page.path(), query)
    } else {
        page.path()
    })
}

/// A path inside Portlight as a link target: with the router's base in front ("/portlight"
/// for `trunk build --public-url /portlight/`, "" at the root).
pub fn with_base(path: &str) -> String {
    format!("{}{}", router_base(), path)
}

/// The path Portlight is served under ("" at the root, "/portlight" under a sub-path), from
/// the `<base href>` trunk writes from `--public-url`.
pub fn router_base() -> String {
    // Read once: the <base> element never changes while the page lives.
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let href = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("base[href]").ok().flatten())
            .and_then(|b| b.get_attribute("href"))
            .unwrap_or_default();
        base_path(&href)
    })
    .clone()
}

/// A location's path without the router base, for `next`.
pub fn without_base(pathname: &str) -> &str {
    let base = router_base();
    pathname.strip_prefix(base.as_str()).unwrap_or(pathname)
}

fn base_path(href: &str) -> String {
    let path = match href.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => href,
    };
    path.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_the_bookmarkable_urls() {
        assert_eq!(Page::Stack(12).path(), "/stacks/12");
        assert_eq!(Page::Access.path(), "/access");
        assert_eq!(
            connect_then("/stacks?q=web"),
            "/connect?next=%2Fstacks%3Fq%3Dweb"
        );
    }

    #[test]
    fn every_page_is_found_from_its_own_path() {
        for page in [
            Page::Connect,
            Page::Stacks,
            Page::Stack(7),
            Page::StackEdit(7),
            Page::StackLogs(7),
            Page::Access,
            Page::Everyone,
            Page::Settings,
        ] {
            assert_eq!(Page::from_path(&page.path()), Some(page));
        }
        assert_eq!(Page::from_path("/stacks/"), Some(Page::Stacks));
        assert_eq!(Page::from_path("/stacks/+7"), None);
        assert_eq!(Page::from_path("/stacks/7/edit/"), Some(Page::StackEdit(7)));
        assert_eq!(Page::from_path("/stacks/7/logs"), Some(Page::StackLogs(7)));
        assert_eq!(Page::from_path("/stacks/7/logs/x"), None);
        assert_eq!(Page::from_path("/stacks/7/edit/x"), None);
        assert_eq!(Page::from_path("/stacks/99999999999"), None);
        assert_eq!(Page::from_path("/elsewhere"), None);
        assert_eq!(Page::from_path("stacks"), None);
    }

    #[test]
    fn the_query_keeps_its_question_mark() {
        assert_eq!(path_and_query("/stacks", "q=web"), "/stacks?q=web");
        assert_eq!(path_and_query("/stacks", "?q=web"), "/stacks?q=web");
        assert_eq!(path_and_query("/access", ""), "/access");
    }

    #[test]
    fn next_leads_only_to_a_page_of_portlight() {
        assert_eq!(safe_next("/stacks/3").as_deref(), Some("/stacks/3"));
        assert_eq!(
            safe_next("/stacks?q=web%20a&env=1,2").as_deref(),
            Some("/stacks?q=web%20a&env=1,2")
        );
        for hostile in [
            "//evil.example/x",
            "/\t/evil.example/phish",
            "/%09/evil.example/phish",
            "/\n/evil.example",
            "https://evil.example",
            "/\\evil",
            "/\\/evil.example",
            "javascript:alert(1)",
            "",
            "/stacks/3/../../evil",
        ] {
            assert_eq!(safe_next(hostile), None, "{hostile:?}");
        }
        // A query with anything odd in it is dropped, the page is kept.
        assert_eq!(safe_next("/access?x=\t//evil").as_deref(), Some("/access"));
    }

    #[test]
    fn router_base_follows_the_public_url() {
        assert_eq!(base_path("/"), "");
        assert_eq!(base_path(""), "");
        assert_eq!(base_path("/portlight/"), "/portlight");
        assert_eq!(
            base_path("https://ops.example.com/portlight/"),
            "/portlight"
        );
    }
}
