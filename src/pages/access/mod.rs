//! `/access`: what this token is, what it can see and do, and why.

use leptos::prelude::*;

#[component]
pub fn AccessPage() -> impl IntoView {
    view! { <section class="page"><h1>"Access"</h1></section> }
}
