//! Unknown addresses inside Portlight.

use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page page-narrow">
            <h1>"Page not found"</h1>
            <p>"Portlight has no page at this address. It may come from an older bookmark."</p>
            <p><A href=Page::Stacks.href()>"Go to the stack browser"</A></p>
        </section>
    }
}
