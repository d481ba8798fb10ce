//! `/access/everyone`: for an administrator's token, who reaches which environment and through
//! what, the stacks each user sees and why, teams as a second view, and one person's page as
//! their own token would show it. Filters live in the URL. Team leaders see the members of
//! the teams they lead, as far as Portainer lets them read; other users are told why not.

mod load;
mod matrix;
mod person;

use crate::components::clock::now_secs;
use crate::components::download::save;
use crate::components::{ErrorMessage, Loading};
use crate::domain::access::everyone::{everyone, Everyone};
use crate::domain::access::everyone_view::{to_csv, to_json, to_markdown, EveryoneQuery};
use crate::domain::time::format_utc;
use crate::routes::{path_and_query, Page};
use crate::session::directory::use_directory;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::sync::Arc;

/// Needs a token (see the route table).
#[component]
pub fn EveryonePage() -> impl IntoView {
    let directory = use_directory();
    view! {
        <section class="page everyone">
            <p class="crumbs"><A href=Page::Access.href()>"← This token's access"</A></p>
            <div class="page-head">
                <h1>"Everyone's access"</h1>
                <span class="sub">"Who reaches which environment and stack, and through what"</span>
            </div>
            {move || {
                let viewer = match directory.get() {
                    None => return view! { <Loading what="Finding out who this token is…"/> }.into_any(),
                    Some(d) => d.viewer,
                };
                match viewer {
                    Some(v) if v.is_admin || v.is_team_leader() => {
                        let led = (!v.is_admin).then(|| v.led_team_ids.clone());
                        view! { <Matrix admin=v.is_admin led/> }.into_any()
                    }
                    _ => view! {
                        <p class="msg msg-info needs-admin">
                            "This page needs an administrator's token: Portainer lets only \
                             administrators list every user and their access (and team leaders \
                             the members of their teams). "
                            <A href=Page::Access.href()>"This token's own access"</A>
                            " is on the Access page."
                        </p>
                    }
                    .into_any(),
                }
            }}
        </section>
    }
}

/// The loaded matrix and the page's query.
#[component]
fn Matrix(admin: bool, led: Option<std::collections::BTreeSet<u32>>) -> impl IntoView {
    let session = use_session();
    let lists = load::Lists::new(session, admin);
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|m| EveryoneQuery::from_pairs(m.into_iter().map(|(k, v)| (&k[..], v))))
    });
    let person =
        Memo::new(move |_| query_map.with(|m| m.get("user").and_then(|u| u.parse::<u32>().ok())));
    let navigate = use_navigate();
    let set_query = Callback::new(move |q: EveryoneQuery| {
        let to = path_and_query(&Page::Everyone.path(), &q.to_query());
        navigate(
            &to,
            leptos_router::NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });
    let built = Memo::new(move |_| {
        lists.loaded().map(|r| {
            r.map(|l| {
                let inputs = l.inputs();
                let mut e = everyone(&inputs);
                // A team leader: the members of their teams only.
                if let Some(led) = &led {
                    let members: Vec<u32> = l
                        .memberships
                        .iter()
                        .filter(|m| led.contains(&m.team_id))
                        .map(|m| m.user_id)
                        .collect();
                    e.people.retain(|p| members.contains(&p.user_id));
                    e.teams.retain(|t| led.contains(&t.id));
                }
                (Arc::new(e), Arc::new(l))
            })
        })
    });
    view! {
        {(!admin).then(|| view! {
            <p class="msg msg-info leader-note">
                "As a team leader you see the members of the teams you lead, through what Portainer \
                 shows you: the environments and stacks you can see yourself, and no user policies \
                 (Portainer shows those to administrators only)."
            </p>
        })}
        {move || match built.get() {
            None => view! { <Loading what="Listing users, teams, environments and stacks…"/> }.into_any(),
            Some(Err((doing, error))) => view! { <ErrorMessage doing error/> }.into_any(),
            Some(Ok((e, lists))) => {
                let notes = lists.unreadable.clone();
                view! {
                    {(!notes.is_empty()).then(|| view! {
                        <ul class="msg msg-warn unreadable">
                            {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                        </ul>
                    })}
                    {move || person.get().map(|id| view! {
                        <person::PersonView user_id=id lists=lists.clone() query set_query/>
                    })}
                    <Exports everyone=e.clone() query/>
                    <matrix::Filters everyone=e.clone() query set_query/>
                    <matrix::Table everyone=e query/>
                }
                .into_any()
            }
        }}
    }
}

/// CSV and Markdown of what the filters show, JSON of everything.
#[component]
fn Exports(everyone: Arc<Everyone>, query: Memo<EveryoneQuery>) -> impl IntoView {
    let failed = RwSignal::new(None::<String>);
    let e = StoredValue::new(everyone);
    let offer = move |kind: &'static str| {
        move |_| {
            let when = format_utc(now_secs());
            let q = query.get_untracked();
            let (name, mime, text) = e.with_value(|e| match kind {
                "csv" => ("csv", "text/csv", to_csv(e, &q)),
                "md" => ("md", "text/markdown", to_markdown(e, &q, &when)),
                _ => ("json", "application/json", to_json(e)),
            });
            let file = format!(
                "portlight-everyone-{}.{name}",
                when.get(..10).unwrap_or("undated")
            );
            failed.set(save(&file, mime, &text).err());
        }
    };
    view! {
        <div class="toolbar everyone-exports">
            <span class="muted">"Export for an audit:"</span>
            <button class="small export-csv" on:click=offer("csv")>"⬇ CSV"</button>
            <button class="small export-md" on:click=offer("md")>"⬇ Markdown"</button>
            <button class="small export-json" on:click=offer("json")>"⬇ JSON"</button>
            <span class="muted">"No token is in them."</span>
        </div>
        {move || failed.get().map(|e| view! {
            <p class="msg msg-error" role="alert">{format!("The download could not be prepared: {e}")}</p>
        })}
    }
}
