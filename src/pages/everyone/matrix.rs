//! The filters and the matrix: users (rows) × environments (columns), each cell with every
//! path and its role; or teams, with their members and the environments they open.

use crate::components::typing::TypingPause;
use crate::domain::access::everyone::{Everyone, Person};
use crate::domain::access::everyone_view::{
    cell_text, columns_in_view, shown_columns, shown_people, EveryoneQuery, ENVIRONMENT_COLUMN_PX,
    STACKS_COLUMN_PX, USER_COLUMN_PX,
};
use crate::domain::display::counted;
use crate::routes::{path_and_query, with_base, Page};
use leptos::prelude::*;
use std::sync::Arc;

/// Rows shown before "Show more": each row is a cell per environment, so 25 rows over 200
/// environments are already 5,000 cells.
const STEP: usize = 25;
/// The search reaches the URL (and the matrix) once typing pauses this long.
const SEARCH_PAUSE_MS: u64 = 150;

#[component]
pub fn Filters(
    everyone: Arc<Everyone>,
    query: Memo<EveryoneQuery>,
    set_query: Callback<EveryoneQuery>,
) -> impl IntoView {
    let typed = TypingPause::new(SEARCH_PAUSE_MS);
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
                    // Re-rendering the matrix per keystroke would stall typing.
                    typed.then(event_target_value(&ev), move |text| edit(&|q| q.q = text.clone()));
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
    let wrap = NodeRef::<leptos::html::Div>::new();
    // The box's scroll offset and width; before it is mounted, the window's width.
    let window_width = window().inner_width().ok().and_then(|w| w.as_f64());
    let scrolled = RwSignal::new((0.0, window_width.unwrap_or(1280.0)));
    let measure = move || {
        if let Some(div) = wrap.get_untracked() {
            scrolled.set((f64::from(div.scroll_left()), f64::from(div.client_width())));
        }
    };
    let resized = window_event_listener_untyped("resize", move |_| measure());
    on_cleanup(move || resized.remove());
    // Changes only when another column comes into view, not on every pixel of a scroll.
    let in_view = Memo::new(move |_| {
        let total = e.with_value(|e| shown_columns(e, &query.read()).len());
        let (left, width) = scrolled.get();
        columns_in_view(left, width, total)
    });
    let teams = Memo::new(move |_| query.read().teams);
    let rows = Memo::new(move |_| e.with_value(|e| shown_people(e, &query.read())));
    let matrix = move || {
        let q = query.get();
        e.with_value(|e| {
            let columns = shown_columns(e, &q);
            let range = in_view.get();
            // Columns out of view are one empty cell each side, of their width.
            let gap = |n: usize| {
                (n > 0).then(|| {
                    let px = n * ENVIRONMENT_COLUMN_PX;
                    view! { <td class="gap" aria-hidden="true" style:width=format!("{px}px")></td> }
                })
            };
            let (before, after) = (range.start, columns.len() - range.end);
            let window = &columns[range.clone()];
            let head = window
                .iter()
                .zip(range.start + 3..)
                .map(|(&k, index)| {
                    let c = &e.environments[k];
                    view! {
                        <th scope="col" aria-colindex=index.to_string()>{c.name.clone()}<span class="sub">{c.group.clone()}</span></th>
                    }
                })
                .collect_view();
            let body = rows.with(|rows| {
                rows.iter()
                    .take(limit.get())
                    .map(|&k| person_row(&e.people[k], window, range.start, &q, (gap(before), gap(after))))
                    .collect_view()
            });
            let width =
                USER_COLUMN_PX + STACKS_COLUMN_PX + columns.len() * ENVIRONMENT_COLUMN_PX;
            view! {
                <table class="data everyone-matrix" style:width=format!("{width}px")
                    aria-colcount=(columns.len() + 2).to_string()>
                    <thead><tr>
                        <th scope="col" class="user">"User"</th><th scope="col" class="stack-count">"Stacks seen"</th>
                        {gap(before)}{head}{gap(after)}
                    </tr></thead>
                    <tbody>{body}</tbody>
                </table>
            }
        })
    };
    let total = move || rows.with(Vec::len);
    move || {
        if teams.get() {
            return e.with_value(|e| teams_table(e)).into_any();
        }
        // A new box starts at its left edge.
        scrolled.update_untracked(|s| s.0 = 0.0);
        view! {
            <p class="hint everyone-summary">
                {move || format!("{} shown, each with the environments they reach and how.", counted(total(), "user", "users"))}
            </p>
            <div class="table-wrap matrix-wrap" role="region" aria-label="Users and environments" tabindex="0"
                node_ref=wrap on:scroll=move |_| measure()>
                {matrix}
            </div>
            {move || {
                let more = total().saturating_sub(limit.get());
                (more > 0).then(|| view! {
                    <button class="small show-more" on:click=move |_| limit.update(|l| *l += STEP)>
                        {format!("Show {} more of {more}", more.min(STEP))}
                    </button>
                })
            }}
        }
        .into_any()
    }
}

fn person_row(
    p: &Person,
    columns: &[usize],
    first: usize,
    q: &EveryoneQuery,
    (before, after): (impl IntoView, impl IntoView),
) -> impl IntoView {
    let cells = columns
        .iter()
        .zip(first + 3..)
        .map(|(&k, index)| {
            let text = cell_text(&p.cells[k]);
            if text.is_empty() {
                view! { <td class="no-access" aria-colindex=index.to_string()><span aria-hidden="true">"–"</span><span class="sr-only">"no access"</span></td> }.into_any()
            } else {
                view! { <td class="access" aria-colindex=index.to_string()><span aria-hidden="true">"✔ "</span>{text}</td> }.into_any()
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
            {before}{cells}{after}
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
