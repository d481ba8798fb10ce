//! Connect: Portainer address and access token, checked before anything is stored; the saved
//! Portainer instances, switched in one click.

use crate::components::connected::{Arrival, ConnectedSummary};
use crate::components::feedback::page_csp;
use crate::components::ErrorMessage;
use crate::domain::connection::{csp_allows, origin_of};
use crate::portainer::check_token;
use crate::routes::{safe_next, Page};
use crate::session::context::page_origin;
use crate::session::{use_session, Connection, Edit, Instance};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn ConnectPage() -> impl IntoView {
    let session = use_session();
    view! {
        <section class="page page-narrow">
            <h1>"Connect to Portainer"</h1>
            <ConnectionStatus/>
            <ConnectForm/>
            <Show when=move || session.instances.with(|i| !i.list.is_empty())>
                <SavedInstances/>
            </Show>
        </section>
    }
}

/// Where the current instance stands: connected (as whom), checking, or failed.
#[component]
fn ConnectionStatus() -> impl IntoView {
    let session = use_session();
    move || match session.connection.get() {
        Connection::Disconnected => ().into_any(),
        Connection::Checking => view! {
            <p class="loading" role="status">"Checking the saved token…"</p>
        }
        .into_any(),
        Connection::Failed(error) => view! {
            <ErrorMessage doing="Checking the saved token" error/>
        }
        .into_any(),
        Connection::Connected(identity) => view! {
            <div class="msg msg-ok connected" role="status">
                <ConnectedSummary identity/>
                <div class="actions">
                    <A href=Page::Stacks.href() attr:class="button primary">"Browse stacks"</A>
                    <A href=Page::Access.href() attr:class="button">"What can this token do?"</A>
                    <button class="sign-out" on:click=move |_| session.sign_out()>
                        "Sign out"
                    </button>
                </div>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn ConnectForm() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let origin = page_origin();
    let current = session.current();
    let name = RwSignal::new(String::new());
    let url = RwSignal::new(
        current
            .as_ref()
            .map(|i| i.display_url(&origin).to_string())
            .unwrap_or_else(|| origin.clone()),
    );
    let token = RwSignal::new(String::new());
    let remember = RwSignal::new(current.as_ref().is_none_or(|i| i.remember));

    let connect = Action::new_local(
        move |(name, url, token, remember): &(String, String, String, bool)| {
            let (name, url, token, remember) =
                (name.clone(), url.clone(), token.clone(), *remember);
            async move { session.connect(name, url, token, remember).await }
        },
    );
    // After a successful connect: back where the operator was going, or to the stacks.
    let arrival = expect_context::<Arrival>();
    Effect::new(move |_| {
        if let Some(Ok(_)) = connect.value().get() {
            token.set(String::new());
            let next = query.with_untracked(|q| q.get("next"));
            let to = next
                .as_deref()
                .and_then(safe_next)
                .unwrap_or_else(|| Page::Stacks.path());
            arrival.expect();
            navigate(&to, Default::default());
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if token.with(|t| t.trim().is_empty()) {
            return;
        }
        connect.dispatch((name.get(), url.get(), token.get(), remember.get()));
    };
    // Said while typing: an origin this build may not call, whatever the token.
    let csp = page_csp();
    let page = origin.clone();
    let refused_origin = move || {
        url.with(|u| (!csp_allows(&csp, u, &page)).then(|| origin_of(u).unwrap_or_default()))
    };
    // Said while typing: a pasted space or invisible character would make every request fail.
    let token_problem =
        move || token.with(|t| check_token(t.trim()).err().filter(|_| !t.trim().is_empty()));
    let heading = move || {
        if session.has_token() {
            "Connect another Portainer, or the same one with another token"
        } else {
            "Portainer address and access token"
        }
    };

    view! {
        <form class="card connect-form" on:submit=submit>
            <h2>{heading}</h2>
            <label for="portainer-url">"Portainer URL"</label>
            <input id="portainer-url" type="url" required autocomplete="url" bind:value=url/>
            {move || refused_origin().map(|api| view! {
                <p class="msg msg-warn origin-refused" role="status">
                    {format!(
                        "This Portlight may call only its own origin: the browser will refuse to send anything to {api}. \
                         Serve Portlight on Portainer's origin, or list {api} in its connect-src when deploying it \
                         (deploy/README.md, \"Other origins\")."
                    )}
                </p>
            })}
            <p class="hint">
                "Where Portainer's /api is served. Normally this page's own address: Portainer sends no \
                 CORS headers, so Portlight must be served from the same origin (see deploy/)."
            </p>
            <label for="access-token">"Access token"</label>
            <input
                id="access-token"
                type="password"
                required
                autocomplete="off"
                spellcheck="false"
                placeholder="ptr_…"
                bind:value=token
            />
            <p class="hint">"Portainer → My account → Access tokens. A token carries all of its user's rights."</p>
            {move || token_problem().map(|e| view! { <p class="msg msg-warn token-problem" role="status">{e.to_string()}</p> })}
            <label for="instance-name">"Name " <span class="muted">"(optional)"</span></label>
            <input id="instance-name" type="text" placeholder="e.g. production" bind:value=name/>
            <fieldset>
                <legend>"Keep the token"</legend>
                <label class="check">
                    <input
                        type="radio"
                        name="remember"
                        id="remember-device"
                        prop:checked=move || remember.get()
                        on:change=move |_| remember.set(true)
                    />
                    "Remember on this device (localStorage)"
                </label>
                <label class="check">
                    <input
                        type="radio"
                        name="remember"
                        id="remember-tab"
                        prop:checked=move || !remember.get()
                        on:change=move |_| remember.set(false)
                    />
                    "This tab only (sessionStorage, gone when the tab closes)"
                </label>
            </fieldset>
            <div class="actions">
                <button type="submit" class="primary connect" disabled=move || connect.pending().get()>
                    {move || if connect.pending().get() { "Connecting…" } else { "Connect" }}
                </button>
            </div>
            {move || match connect.value().get() {
                Some(Err(error)) => {
                    view! { <ErrorMessage doing="Connecting" error api_url=url.get_untracked()/> }
                        .into_any()
                }
                _ => ().into_any(),
            }}
        </form>
    }
}

/// The saved Portainer instances: switch, rename or forget each.
#[component]
fn SavedInstances() -> impl IntoView {
    let session = use_session();
    let origin = page_origin();
    // The instance whose address was just changed (its row is rebuilt with the new address).
    let moved = RwSignal::new(None::<String>);
    view! {
        <div class="card saved-instances">
            <h2>"Saved Portainers"</h2>
            <table class="data">
                <thead>
                    <tr><th>"Name"</th><th>"Address"</th><th>"Token kept"</th><th></th></tr>
                </thead>
                <tbody>
                    <For
                        each=move || session.instances.get().list
                        key=|i| (i.id.clone(), i.name.clone(), i.url.clone(), i.remember)
                        children=move |instance: Instance| {
                            let origin = origin.clone();
                            view! { <InstanceRow instance origin moved/> }
                        }
                    />
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn InstanceRow(
    instance: Instance,
    origin: String,
    moved: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let id = StoredValue::new(instance.id.clone());
    let is_current = move || {
        session
            .instances
            .with(|i| id.with_value(|id| i.is_current(id)))
    };
    let has_token = move || id.with_value(|id| session.has_saved_token(id));
    let editing = RwSignal::new(false);
    let name = RwSignal::new(instance.name.clone());
    let url = RwSignal::new(instance.display_url(&origin).to_string());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let outcome = id.with_value(|id| session.edit(id, &name.get(), &url.get()));
        if outcome == Edit::Moved {
            moved.set(Some(id.get_value()));
        }
        editing.set(false);
    };
    let was_moved = move || moved.with(|m| m.as_deref() == Some(id.get_value().as_str()));
    let shown_url = instance.display_url(&origin).to_string();
    let kept = if instance.remember {
        "this device"
    } else {
        "this tab"
    };
    view! {
        <tr class="instance" data-instance=instance.name.clone()>
            <td>
                <bdi>{instance.name.clone()}</bdi>
                <Show when=is_current>
                    " " <span class="badge badge-ok">"current"</span>
                </Show>
            </td>
            <td class="mono">{shown_url}</td>
            <td class="token-kept">
                {move || if has_token() { kept } else { "no token" }}
            </td>
            <td class="nowrap">
                <Show when=move || !is_current()>
                    <button class="small switch" on:click=move |_| id.with_value(|id| session.switch(id))>"Switch"</button>
                </Show>
                " "
                <button class="small edit" on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
                " "
                <button class="small danger forget" on:click=move |_| id.with_value(|id| session.forget(id))>"Forget"</button>
            </td>
        </tr>
        <Show when=move || editing.get()>
            <tr>
                <td colspan="4">
                    <form class="edit-instance" on:submit=save>
                        <label>"Name" <input type="text" bind:value=name/></label>
                        <label>"Address" <input type="url" bind:value=url/></label>
                        <p class="hint">"A token is bound to the address it was given for: changing the address forgets it."</p>
                        <div class="actions">
                            <button type="submit" class="small primary">"Save"</button>
                        </div>
                    </form>
                </td>
            </tr>
        </Show>
        <Show when=move || !has_token()>
            <tr class="needs-token">
                <td colspan="4">
                    {move || was_moved().then_some(
                        view! { <p class="msg msg-info moved-note">"The address changed, so the token given for the old one was forgotten."</p> },
                    )}
                    <TokenForm id=id.get_value()/>
                </td>
            </tr>
        </Show>
    }
}

/// A token for a saved instance that has none (signed out, moved, or kept in another tab):
/// checked against that instance's own address before it is saved.
#[component]
fn TokenForm(id: String) -> impl IntoView {
    let session = use_session();
    let token = RwSignal::new(String::new());
    let field = format!("token-{id}");
    let give = Action::new_local(move |(id, token): &(String, String)| {
        let (id, token) = (id.clone(), token.clone());
        async move { session.renew(&id, token).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !token.with(|t| t.trim().is_empty()) {
            give.dispatch((id.clone(), token.get()));
        }
    };
    view! {
        <form class="give-token" on:submit=submit>
            <label for=field.clone()>"Access token for this Portainer"</label>
            <input id=field type="password" autocomplete="off" spellcheck="false" bind:value=token/>
            <button type="submit" class="small primary" disabled=move || give.pending().get()>"Check and save"</button>
            {move || match give.value().get() {
                Some(Err(error)) => view! { <ErrorMessage doing="Checking the token" error/> }.into_any(),
                _ => ().into_any(),
            }}
        </form>
    }
}
