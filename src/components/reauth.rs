//! When Portainer rejects a token that worked before (revoked, or the user was removed), the
//! page stays where it is and this asks for a new token for that instance, named; the view
//! resumes after it.

use crate::components::ErrorMessage;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn ReauthPrompt() -> impl IntoView {
    let session = use_session();
    let token = RwSignal::new(String::new());
    let renew = Action::new_local(move |(id, token): &(String, String)| {
        let (id, token) = (id.clone(), token.clone());
        async move { session.renew(&id, token).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = renew.value().get() {
            token.set(String::new());
        }
    });
    move || {
        session.expired.get().map(|expired| {
            let id = expired.instance_id.clone();
            view! {
                <div class="overlay">
                    <form
                        class="card reauth"
                        role="dialog"
                        aria-modal="true"
                        aria-labelledby="reauth-title"
                        on:submit=move |ev| {
                            ev.prevent_default();
                            if !token.with(|t| t.trim().is_empty()) {
                                renew.dispatch((id.clone(), token.get()));
                            }
                        }
                    >
                        <h2 id="reauth-title">
                            "Portainer “" <bdi class="instance-name">{expired.instance_name.clone()}</bdi>
                            "” no longer accepts this token"
                        </h2>
                        <p>{expired.error.to_string()}</p>
                        <p class="muted">
                            "Paste a new access token for this Portainer to carry on where you were, or sign out."
                        </p>
                        <label for="reauth-token">"New access token"</label>
                        <input id="reauth-token" type="password" autocomplete="off" bind:value=token/>
                        <div class="actions">
                            <button type="submit" class="primary" disabled=move || renew.pending().get()>
                                "Use this token"
                            </button>
                            <button type="button" on:click=move |_| session.sign_out()>"Sign out"</button>
                        </div>
                        {move || match renew.value().get() {
                            Some(Err(error)) => view! { <ErrorMessage doing="Checking the new token" error/> }.into_any(),
                            _ => ().into_any(),
                        }}
                    </form>
                </div>
            }
        })
    }
}
