//! The filters and the matrix: users (rows) × environments (columns), each cell with every
//! path and its role; or teams, with their members and the environments they open.

use crate::domain::access::everyone::{Everyone, Person};
use crate::domain::access::everyone_view::{cell_text, shown, EveryoneQuery};
use crate::domain::display::counted;
use crate::routes::{path_and_query, with_base, Page};
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// Rows shown before "Show more": each row is a cell per environment, so 25 rows over 200
/// environments are already 5,000 cells.
const STEP: usize = 25;
/// The search reaches the URL (and the matrix) once typing pauses this long.
const SEARCH_PAUSE_MS: u64 = 250;

#[component]
pub fn Filters(
    everyone: Arc<Everyone>,
    query: Memo<EveryoneQuery>,
    set_query: Callback<EveryoneQuery>,
) -> impl IntoView {
    let typed = StoredValue::new(0u32);
    let edit = move |change: &dyn Fn(&mut EveryoneQuery)| {
        let mut q = query.get_untracked();
        change(&mut q);
        set_query.run(q);
    };
    let mut groups: Vec<(u32, String)> = Vec::new();
    for c in &everyone.environments {
        if !groups.iter().any(|(id, _)| *id == c.group_id) {
            groups.push((c.group_id, c.group.clone()));
        }
    }
    let group_options = groups
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
        .collect_view();
    let env_options = everyone
        .environments
        .iter()
        .map(|c| view! { <option value=c.id.to_string()>{c.name.clone()}</option> })
        .collect_view();
    let number = |v: String| v.parse::<u32>().ok();
    view! {
        <div class="card everyone-filters">
            <div class="field">
            <label for="everyone-search">"User"</label>
            <input id="everyone-search" type="search" placeholder="Part of a username"
                prop:value=move || query.with(|q| q.q.clone())
                on:input=move |ev| {
                    // Re-rendering the matrix per keystroke would stall typing: the last
                    // text wins once typing pauses.
                    let text = event_target_value(&ev);
                    let generation = typed.get_value() + 1;
                    typed.set_value(generation);
                    set_timeout(
                        move || {
                            if typed.get_value() == generation {
                                edit(&|q| q.q = text.clone());
                            }
                        },
                        Duration::from_millis(SEARCH_PAUSE_MS),
                    );
                }/>
            </div>
            <div class="field">
            <label for="everyone-group">"Group"</label>
            <select id="everyone-group"
                prop:value=move || query.with(|q| q.group.map(|g| g.to_string()).unwrap_or_default())
                on:change=move |ev| { let v = number(event_target_value(&ev)); edit(&|q| q.group = v) }>
                <option value="">"Every group"</option>
                {group_options}
            </select>
            </div>
            <div class="field">
            <label for="everyone-reach">"Only users with access to"</label>
            <select id="everyone-reach"
                prop:value=move || query.with(|q| q.reach.map(|g| g.to_string()).unwrap_or_default())
                on:change=move |ev| { let v = number(event_target_value(&ev)); edit(&|q| q.reach = v) }>
                <option value="">"Any environment"</option>
                {env_options}
            </select>
            </div>
            <div class="actions view-switch" role="group" aria-label="View">
                <button class="small view-users" aria-pressed=move || (!query.with(|q| q.teams)).to_string()
                    on:click=move |_| edit(&|q| q.teams = false)>"Users"</button>
                <button class="small view-teams" aria-pressed=move || query.with(|q| q.teams).to_string()
                    on:click=move |_| edit(&|q| q.teams = true)>"Teams"</button>
            </div>
        </div>
    }
}

#[component]
pub fn Table(everyone: Arc<Everyone>, query: Memo<EveryoneQuery>) -> impl IntoView {
    let e = StoredValue::new(everyone);
    let limit = RwSignal::new(STEP);
    move || {
        let q = query.get();
        if q.teams {
            return e.with_value(|e| teams_table(e)).into_any();
        }
        e.with_value(|e| {
            let (columns, rows) = shown(e, &q);
            let total = rows.len();
            let more = total.saturating_sub(limit.get());
            let head = columns
                .iter()
                .map(|&k| {
                    let c = &e.environments[k];
                    view! { <th scope="col">{c.name.clone()}<span class="sub">{c.group.clone()}</span></th> }
                })
                .collect_view();
            let body = rows
                .iter()
                .take(limit.get())
                .map(|p| person_row(p, &columns, &q))
                .collect_view();
            view! {
                <p class="hint everyone-summary">
                    {format!("{} shown, each with the environments they reach and how.", counted(total, "user", "users"))}
                </p>
                <div class="table-wrap matrix-wrap" role="region" aria-label="Users and environments" tabindex="0">
                    <table class="data everyone-matrix">
                        <thead><tr><th scope="col">"User"</th><th scope="col">"Stacks seen"</th>{head}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                {(more > 0).then(|| view! {
                    <button class="small show-more" on:click=move |_| limit.update(|l| *l += STEP)>
                        {format!("Show {} more of {more}", more.min(STEP))}
                    </button>
                })}
            }
            .into_any()
        })
    }
}

fn person_row(p: &Person, columns: &[usize], q: &EveryoneQuery) -> impl IntoView {
    let cells = columns
        .iter()
        .map(|&k| {
            let text = cell_text(&p.cells[k]);
            if text.is_empty() {
                view! { <td class="no-access"><span aria-hidden="true">"–"</span><span class="sr-only">"no access"</span></td> }.into_any()
            } else {
                view! { <td class="access"><span aria-hidden="true">"✔ "</span>{text}</td> }.into_any()
            }
        })
        .collect_view();
    // The person's view keeps the filters: `?user=` on top of the current query.
    let query = match q.to_query() {
        ref filters if filters.is_empty() => format!("user={}", p.user_id),
        filters => format!("{filters}&user={}", p.user_id),
    };
    let href = with_base(&path_and_query(&Page::Everyone.path(), &query));
    let role = if p.is_admin {
        "administrator"
    } else {
        "standard user"
    };
    let teams = p.teams.join(", ");
    view! {
        <tr class="person" data-user=p.username.clone()>
            <th scope="row">
                <a href=href>{p.username.clone()}</a>
                <span class="sub">{role}{(!teams.is_empty()).then(|| format!(" · {teams}"))}</span>
            </th>
            <td class="stack-count">{p.stacks.len()}</td>
            {cells}
        </tr>
    }
}

fn teams_table(e: &Everyone) -> AnyView {
    let rows = e
        .teams
        .iter()
        .map(|t| {
            let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
            view! {
                <tr class="team" data-team=t.name.clone()>
                    <th scope="row">{t.name.clone()}</th>
                    <td>{list(&t.leaders)}</td>
                    <td>{list(&t.members)}</td>
                    <td class="team-environments">{if t.environments.is_empty() { "none".to_string() } else { t.environments.join(", ") }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap" role="region" aria-label="Teams" tabindex="0">
            <table class="data everyone-teams">
                <thead><tr>
                    <th scope="col">"Team"</th><th scope="col">"Leaders"</th>
                    <th scope="col">"Members"</th><th scope="col">"Environments its policies open"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
