//! Portlight: a lightweight front end for Portainer.
//!
//! `portainer` talks HTTP, `domain` holds pure logic (tested natively), `session` keeps
//! connections and tokens, `pages` and `components` render.

pub mod components;
pub mod domain;
pub mod pages;
pub mod portainer;
pub mod session;

use components::reauth::ReauthPrompt;
use components::topbar::TopBar;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use pages::access::AccessPage;
use pages::connect::ConnectPage;
use pages::not_found::NotFound;
use pages::settings::SettingsPage;
use pages::stack_detail::StackDetailPage;
use pages::stacks::StacksPage;
use pages::Page;
use session::Session;

#[component]
pub fn App() -> impl IntoView {
    let session = Session::provide();
    session::directory::provide_directory();
    remove_boot_message();
    view! {
        <Router base=router_base()>
            <TopBar/>
            <main>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=move || {
                        let to = if session.has_token() { Page::Stacks } else { Page::Connect };
                        view! { <Redirect path=to.path()/> }
                    }/>
                    <Route path=path!("/connect") view=ConnectPage/>
                    <Route path=path!("/stacks") view=StacksPage/>
                    <Route path=path!("/stacks/:id") view=StackDetailPage/>
                    <Route path=path!("/access") view=AccessPage/>
                    <Route path=path!("/settings") view=SettingsPage/>
                </Routes>
            </main>
            <ReauthPrompt/>
        </Router>
    }
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

fn base_path(href: &str) -> String {
    let path = match href.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => href,
    };
    path.trim_end_matches('/').to_string()
}

/// The static "Loading Portlight…" line goes once the app is mounted.
fn remove_boot_message() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
}

#[cfg(test)]
mod tests {
    use super::base_path;

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
