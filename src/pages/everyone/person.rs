//! One person (`?user=`): what the Access page would show for their own token, built by the
//! same derivation from the administrator's lists, and their tokens where Portainer lets an
//! administrator list them (not another administrator's, from 2.20).

use super::load::Loaded;
use crate::components::clock::now_secs;
use crate::components::ErrorMessage;
use crate::domain::access::everyone::person_inputs;
use crate::domain::access::everyone_view::EveryoneQuery;
use crate::domain::access::{build_report, TokenInfo};
use crate::pages::access::environments::EnvironmentsCard;
use crate::pages::access::stacks::StacksCard;
use crate::pages::access::who::WhoCard;
use crate::session::use_session;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn PersonView(
    user_id: u32,
    lists: Arc<Loaded>,
    query: Memo<EveryoneQuery>,
    set_query: Callback<EveryoneQuery>,
) -> impl IntoView {
    let session = use_session();
    let tokens = session.resource(move |c| async move { c.user_tokens(user_id).await });
    let status = session
        .identity()
        .map(|i| i.status)
        .ok_or_else(|| "unknown".to_string());
    let close = move |_| set_query.run(query.get_untracked());
    let inputs = lists.inputs();
    // The report does not depend on the tokens' answer: the cards show at once.
    let Some(person) = person_inputs(&inputs, user_id, Ok(Vec::new()), status, now_secs()) else {
        return view! {
            <p class="msg msg-error person-missing">{format!("No user #{user_id} in Portainer's list.")}</p>
        }
        .into_any();
    };
    let username = person.user.username.clone();
    let report = build_report(&person);
    let token_list = move || {
        tokens.get().map(|answer| match answer {
            Ok(list) if list.items.is_empty() => {
                view! { <p class="muted person-tokens">"No access tokens."</p> }.into_any()
            }
            Ok(list) => {
                let rows = list.items.iter().map(TokenInfo::from).map(|t| view! {
                    <tr><td>{t.description}</td><td><code>{t.prefix}</code></td><td>{t.created_utc}</td><td>{t.last_used_utc}</td></tr>
                });
                view! {
                    <div class="table-wrap" role="region" aria-label="Access tokens" tabindex="0">
                        <table class="data person-tokens">
                            <thead><tr><th scope="col">"Description"</th><th scope="col">"Prefix"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th></tr></thead>
                            <tbody>{rows.collect_view()}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
            Err(error) if error.is_forbidden() => view! {
                <p class="muted person-tokens">
                    "Portainer does not let an administrator list another administrator's tokens (2.20 and later)."
                </p>
            }
            .into_any(),
            Err(error) => view! { <ErrorMessage doing="Listing the user's tokens" error/> }.into_any(),
        })
    };
    view! {
        <div class="card person-view" role="region" aria-labelledby="person-heading">
            <div class="toolbar">
                <h2 id="person-heading">{format!("{username}, as their own token would show it")}</h2>
                <span class="grow"></span>
                <button class="small close-person" on:click=close>"Close"</button>
            </div>
            <p class="hint">
                "The same derivation as the Access page, from this administrator's lists: the \
                 environments Portainer lets them reach and the stacks their access controls grant."
            </p>
            <h3>"Access tokens"</h3>
            {token_list}
        </div>
        // The Access page's own styles, so the cards read the same.
        <div class="access person-cards">
            <div class="grid-2"><WhoCard who=report.who.clone()/></div>
            <EnvironmentsCard report=report.clone()/>
            <StacksCard report/>
        </div>
    }
    .into_any()
}
