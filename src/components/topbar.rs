//! The bar on every page: where Portlight is connected, as whom, and the way out.

use crate::routes::Page;
use crate::session::{use_session, Connection};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

#[component]
pub fn TopBar() -> impl IntoView {
    let session = use_session();
    let instance_count = move || session.instances.with(|i| i.list.len());
    // On a phone the pages and the connection fold behind a menu button; the instance and
    // the user stay in view. Any navigation folds it again.
    let menu_open = RwSignal::new(false);
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let who = move || match session.connection.get() {
        Connection::Disconnected => "not connected".to_string(),
        Connection::Checking => "checking…".to_string(),
        Connection::Failed(_) => "connection failed".to_string(),
        Connection::Connected(identity) => identity.short(),
    };
    view! {
        <header class="topbar">
            <A href=Page::Stacks.href() attr:class="brand">
                <img src="favicon.svg" alt=""/>
                "Portlight"
            </A>
            <span class="topbar-who">
                <bdi>{move || session.current().map(|i| i.name).unwrap_or_default()}</bdi>
                <span class="muted">{who}</span>
            </span>
            <button
                class="menu-toggle"
                aria-controls="topbar-menu"
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| menu_open.update(|o| *o = !*o)
            >
                {move || if menu_open.get() { "✕ Close" } else { "☰ Menu" }}
            </button>
            <div id="topbar-menu" class="topbar-menu" class:open=move || menu_open.get()>
            <nav class="nav" aria-label="Pages">
                <A href=Page::Stacks.href()>"Stacks"</A>
                <A href=Page::Access.href()>"Access"</A>
                <A href=Page::Settings.href()>"Settings"</A>
                <A href=Page::Connect.href()>"Connections"</A>
            </nav>
            <span class="spacer"></span>
            <Show when=move || session.read_only()>
                <span class="badge badge-warn read-only" title="No mutating request is sent">
                    "read-only"
                </span>
            </Show>
            <div class="connection">
                <Show when=move || { instance_count() > 1 }>
                    <label class="sr-only" for="instance-switch">"Portainer instance"</label>
                    <select
                        id="instance-switch"
                        on:change=move |ev| {
                            session.switch(&event_target_value(&ev));
                        }
                    >
                        <For
                            each=move || session.instances.get().list
                            key=|i| (i.id.clone(), i.name.clone())
                            children=move |i| {
                                let id = i.id.clone();
                                let name = i.name.clone();
                                view! {
                                    <option
                                        value=i.id
                                        data-instance=name
                                        selected=move || session.instances.with(|s| s.is_current(&id))
                                    >
                                        {i.name}
                                    </option>
                                }
                            }
                        />
                    </select>
                </Show>
                <Show when=move || { instance_count() <= 1 }>
                    <strong class="instance-name">
                        <bdi>{move || session.current().map(|i| i.name).unwrap_or_default()}</bdi>
                    </strong>
                </Show>
                <span class="who">{who}</span>
                <Show when=move || session.has_token()>
                    <button class="small sign-out-top" on:click=move |_| session.sign_out()>
                        "Sign out"
                    </button>
                </Show>
            </div>
            </div>
        </header>
    }
}
