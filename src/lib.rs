//! Portlight: a lightweight front end for Portainer.
//!
//! `portainer` talks HTTP, `domain` holds pure logic (tested natively), `session` keeps
//! connections and tokens, `pages` and `components` render, `routes` says where each page lives.

pub mod components;
pub mod domain;
pub mod pages;
pub mod percent;
pub mod portainer;
pub mod routes;
pub mod session;

use components::connected::ArrivalNote;
use components::needs_token::NeedsToken;
use components::reauth::ReauthPrompt;
use components::shortcuts::Shortcuts;
use components::topbar::TopBar;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{ParamSegment, StaticSegment};
use pages::access::AccessPage;
use pages::connect::ConnectPage;
use pages::everyone::EveryonePage;
use pages::not_found::NotFound;
use pages::settings::SettingsPage;
use pages::stack_detail::{JustUpdated, StackDetailPage};
use pages::stack_edit::StackEditPage;
use pages::stacks::StacksPage;
use routes::{router_base, segment, Page};
use session::Session;

/// The route table. Pages inside `NeedsToken` send the operator to Connect first when no
/// token is stored, and come back afterwards.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::provide();
    session::directory::provide_directory();
    components::connected::Arrival::provide();
    JustUpdated::provide();
    remove_boot_message();
    view! {
        <Router base=router_base()>
            <TopBar/>
            <main>
                <ArrivalNote/>
                <Routes fallback=NotFound>
                    <Route path=() view=move || {
                        let to = if session.has_token() { Page::Stacks } else { Page::Connect };
                        view! { <Redirect path=to.path()/> }
                    }/>
                    <Route path=StaticSegment(segment::CONNECT) view=ConnectPage/>
                    <Route path=StaticSegment(segment::STACKS) view=|| view! {
                        <NeedsToken><StacksPage/></NeedsToken>
                    }/>
                    <Route path=(StaticSegment(segment::STACKS), ParamSegment(segment::STACK_ID)) view=|| view! {
                        <NeedsToken><StackDetailPage/></NeedsToken>
                    }/>
                    <Route path=(StaticSegment(segment::STACKS), ParamSegment(segment::STACK_ID), StaticSegment(segment::LOGS)) view=|| view! {
                        <NeedsToken><StackDetailPage/></NeedsToken>
                    }/>
                    <Route path=(StaticSegment(segment::STACKS), ParamSegment(segment::STACK_ID), StaticSegment(segment::EDIT)) view=|| view! {
                        <NeedsToken><StackEditPage/></NeedsToken>
                    }/>
                    <Route path=StaticSegment(segment::ACCESS) view=|| view! {
                        <NeedsToken><AccessPage/></NeedsToken>
                    }/>
                    <Route path=(StaticSegment(segment::ACCESS), StaticSegment(segment::EVERYONE)) view=|| view! {
                        <NeedsToken><EveryonePage/></NeedsToken>
                    }/>
                    <Route path=StaticSegment(segment::SETTINGS) view=SettingsPage/>
                </Routes>
            </main>
            <ReauthPrompt/>
            <Shortcuts/>
        </Router>
    }
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
