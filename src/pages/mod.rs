//! One module per page; every route path lives in [`Page`].

pub mod access;
pub mod connect;
pub mod not_found;
pub mod settings;
pub mod stack_detail;
pub mod stacks;

use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// Every page Portlight has, with its bookmarkable path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    Connect,
    Stacks,
    Stack(u32),
    Access,
    Settings,
}

impl Page {
    pub fn path(&self) -> String {
        match self {
            Page::Connect => "/connect".into(),
            Page::Stacks => "/stacks".into(),
            Page::Stack(id) => format!("/stacks/{id}"),
            Page::Access => "/access".into(),
            Page::Settings => "/settings".into(),
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
        crate::portainer::paths::encode(next)
    )
}

/// `/stacks` + `q=web` → `/stacks?q=web` (the router's `search` has no leading `?`).
pub fn path_and_query(path: &str, search: &str) -> String {
    match search.trim_start_matches('?') {
        "" => path.to_string(),
        query => format!("{path}?{query}"),
    }
}

/// A path inside Portlight as a link target: with the router's base in front ("/portlight"
/// for `trunk build --public-url /portlight/`, "" at the root).
pub fn with_base(path: &str) -> String {
    format!("{}{}", crate::router_base(), path)
}

/// A `next` target is followed only if it is a path inside Portlight, never another site.
pub fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\')).then_some(next)
}

/// Pages that need a token: without one, go to Connect and come back afterwards.
#[component]
pub fn NeedsToken(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    move || {
        if session.has_token() {
            children().into_any()
        } else {
            // Untracked: the redirect changes the location, which must not redirect again.
            // The browser's path includes the router's base; `navigate` adds it again.
            let pathname = location.pathname.get_untracked();
            let inside = pathname
                .strip_prefix(&crate::router_base())
                .unwrap_or(&pathname);
            let next = path_and_query(inside, &location.search.get_untracked());
            view! { <Redirect path=connect_then(&next)/> }.into_any()
        }
    }
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
    fn the_query_keeps_its_question_mark() {
        assert_eq!(path_and_query("/stacks", "q=web"), "/stacks?q=web");
        assert_eq!(path_and_query("/stacks", "?q=web"), "/stacks?q=web");
        assert_eq!(path_and_query("/access", ""), "/access");
    }

    #[test]
    fn next_never_leaves_portlight() {
        assert_eq!(safe_next("/stacks/3"), Some("/stacks/3"));
        assert_eq!(safe_next("//evil.example/x"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next("/\\evil"), None);
    }
}
