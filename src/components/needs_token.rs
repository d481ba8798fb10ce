//! The guard of the pages that need a token: without one, go to Connect and come back to the
//! same view afterwards.

use crate::routes::{connect_then, path_and_query, without_base};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

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
            let next = path_and_query(without_base(&pathname), &location.search.get_untracked());
            view! { <Redirect path=connect_then(&next)/> }.into_any()
        }
    }
}
