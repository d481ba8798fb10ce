//! The search box and the table of stacks, with sortable columns, a pager and a selected row.

use super::health::{HealthCell, HealthChecks};
use super::SetQuery;
use crate::components::badges::{EnvProblemBadge, EnvStatusBadge, Name, StackStatusBadge};
use crate::components::clock::now_secs;
use crate::components::shortcuts::{activates_the_focus, typing};
use crate::domain::git::short_reference;
use crate::domain::labels::{environment_type_label, stack_type_label};
use crate::domain::names::Names;
use crate::domain::stack_query::{Pagination, SortKey, StackQuery, MAX_PER_PAGE};
use crate::domain::stack_rows::{EnvInfo, Source, StackRow};
use crate::domain::time::{format_utc, relative};
use crate::routes::Page;
use crate::session::directory::use_directory;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::time::Duration;

/// How long typing must pause before the search is written to the URL.
const URL_AFTER_MS: u64 = 300;

#[component]
pub fn SearchBox(
    query: Memo<StackQuery>,
    /// The search as typed, ahead of the URL: the list follows it at once.
    typed: RwSignal<Option<String>>,
    set_query: SetQuery,
) -> impl IntoView {
    // The input keeps what was typed; the URL follows it (and Back updates the input).
    let text = RwSignal::new(query.get_untracked().search);
    Effect::new(move |_| {
        let from_url = query.with(|q| q.search.clone());
        if text.get_untracked() != from_url {
            text.set(from_url);
        }
    });
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let write_url = StoredValue::new(None::<TimeoutHandle>);
    // Leaving the page stops a write still waiting: the URL is the next page's by then.
    on_cleanup(move || {
        if let Some(pending) = write_url.try_get_value().flatten() {
            pending.clear();
        }
    });
    // "/" focuses the search box from anywhere on the page, as in most list UIs.
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "/" && !typing(&ev) {
            if let Some(input) = input_ref.get_untracked() {
                ev.prevent_default();
                let _ = input.focus();
            }
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <div class="toolbar">
            <label class="sr-only" for="stack-search">"Search stacks"</label>
            <input
                id="stack-search"
                class="grow"
                type="search"
                node_ref=input_ref
                autocomplete="off"
                placeholder="Search name, environment, creator or git URL   ( / )"
                prop:value=move || text.get()
                // Esc clears the search, and leaves the box once it is empty.
                on:keydown={
                    let set_query = set_query.clone();
                    move |ev: web_sys::KeyboardEvent| {
                        if ev.key() != "Escape" {
                            return;
                        }
                        ev.prevent_default();
                        if text.get_untracked().is_empty() {
                            if let Some(input) = input_ref.get_untracked() {
                                let _ = input.blur();
                            }
                            return;
                        }
                        text.set(String::new());
                        let mut q = query.get_untracked();
                        q.search = String::new();
                        q.page = 1;
                        set_query.replace(q);
                    }
                }
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    text.set(value.clone());
                    typed.set(Some(value));
                    // The URL (a history entry replaced, not added) once typing pauses.
                    if let Some(pending) = write_url.get_value() {
                        pending.clear();
                    }
                    let set_query = set_query.clone();
                    let write = move || {
                        write_url.set_value(None);
                        if typed.get_untracked().is_some() {
                            set_query.replace(query.get_untracked());
                        }
                    };
                    let handle = set_timeout_with_handle(write, Duration::from_millis(URL_AFTER_MS));
                    write_url.set_value(handle.ok());
                }
            />
        </div>
    }
}

const COLUMNS: [SortKey; 8] = SortKey::ALL;
const PER_PAGE_CHOICES: [u32; 5] = [25, 50, 100, 200, MAX_PER_PAGE];

#[component]
pub fn StackTable(
    rows: Memo<Vec<StackRow>>,
    query: Memo<StackQuery>,
    /// The page shown and how many stacks match in all.
    filtered: Signal<Option<(Pagination, usize)>>,
    set_query: SetQuery,
    health: HealthChecks,
) -> impl IntoView {
    let now = now_secs();
    let navigate = use_navigate();
    // Arrow keys move the selection, Enter opens it.
    let keys = {
        let set_query = set_query.clone();
        window_event_listener(leptos::ev::keydown, move |ev| {
            if typing(&ev) {
                return;
            }
            let ids: Vec<u32> = rows.with_untracked(|r| r.iter().map(|r| r.id).collect());
            let q = query.get_untracked();
            let at = q.selected.and_then(|s| ids.iter().position(|id| *id == s));
            let next = match ev.key().as_str() {
                "ArrowDown" | "j" => at.map_or(0, |i| (i + 1).min(ids.len().saturating_sub(1))),
                "ArrowUp" | "k" => at.map_or(0, |i| i.saturating_sub(1)),
                // A focused link or button answers Enter itself.
                "Enter" if activates_the_focus(&ev) => return,
                "Enter" => {
                    if let Some(id) = q.selected {
                        navigate(&Page::Stack(id).path(), Default::default());
                    }
                    return;
                }
                _ => return,
            };
            if let Some(id) = ids.get(next) {
                ev.prevent_default();
                let mut q = q;
                q.selected = Some(*id);
                set_query.replace(q);
            }
        })
    };
    on_cleanup(move || keys.remove());

    // A selection moved by keyboard stays in view. One watcher for the table rather than one
    // per row: a row costs less to build, and every keystroke that changes the page builds 50.
    let tbody = NodeRef::<leptos::html::Tbody>::new();
    Effect::new(move |_| {
        if query.with(|q| q.selected).is_none() {
            return;
        }
        // On the next frame, once the rows have taken the new selection. A click on a row both
        // selects it and leaves the page, so by then the table may be gone: `try_` reads nothing
        // from a disposed node ref instead of panicking.
        request_animation_frame(move || {
            let Some(tbody) = tbody.try_get_untracked().flatten() else {
                return;
            };
            if let Ok(Some(tr)) = tbody.query_selector("tr[aria-selected='true']") {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                tr.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    });

    let header_set = set_query.clone();
    let row_set = set_query.clone();
    let pager_set = set_query;
    view! {
        <div class="table-wrap" role="region" aria-label="Stacks" tabindex="0">
            <table class="data stacks" aria-rowcount=move || filtered.get().map(|(_, n)| n).unwrap_or(0)>
                <thead>
                    <tr>
                        {COLUMNS
                            .into_iter()
                            .map(|key| {
                                let set = header_set.clone();
                                let sort_state = move || {
                                    query.with(|q| {
                                        (q.sort == key)
                                            .then_some(if q.descending { "descending" } else { "ascending" })
                                    })
                                };
                                // Health follows status; it is not sorted (its filter finds
                                // what is broken).
                                let health_th = (key == SortKey::Status).then_some(move || {
                                    health.on.get().then(|| view! { <th data-col="health">"Health"</th> })
                                });
                                view! {
                                    <th aria-sort=sort_state data-col=key.url_name()>
                                        <button
                                            class="sort"
                                            title=format!("Sort by {}", key.label().to_lowercase())
                                            on:click=move |_| {
                                                let mut q = query.get_untracked();
                                                q.toggle_sort(key);
                                                set.set(q);
                                            }
                                        >
                                            {key.label()}
                                            {move || match sort_state() {
                                                Some("ascending") => " ▲",
                                                Some(_) => " ▼",
                                                None => "",
                                            }}
                                        </button>
                                    </th>
                                    {health_th}
                                }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody node_ref=tbody>
                    <For
                        each=move || rows.get()
                        // Names arriving later change only the ownership text, in place; the
                        // environment is keyed because "orphaned" needs the viewer to be known.
                        key=|row| {
                            (row.id, row.status, row.updated_at, row.env.clone(), row.refused.is_some())
                        }
                        children=move |row: StackRow| {
                            let set = row_set.clone();
                            view! { <StackRowView row now query set health/> }
                        }
                    />
                </tbody>
            </table>
        </div>
        {move || {
            filtered
                .get()
                .filter(|(_, total)| *total == 0)
                .map(|_| {
                    view! {
                        <div class="empty no-match">
                            <strong>"No stack matches this search and these filters."</strong>
                            <p>"Clear the search or some filters to see more."</p>
                        </div>
                    }
                })
        }}
        <Pager filtered query set_query=pager_set/>
    }
}

#[component]
fn StackRowView(
    row: StackRow,
    now: i64,
    query: Memo<StackQuery>,
    set: SetQuery,
    health: HealthChecks,
) -> impl IntoView {
    let id = row.id;
    let health_cell = {
        let row = row.clone();
        move || {
            health.on.get().then(|| {
                let row = row.clone();
                view! { <td class="health"><HealthCell row envs=health.envs/></td> }
            })
        }
    };
    let selected = move || query.with(|q| q.selected == Some(id));
    let env = match &row.env {
        EnvInfo::Known { kind, status, .. } => {
            let (kind, status) = (*kind, *status);
            view! {
                <span class="sub">
                    {environment_type_label(kind)} " " <EnvStatusBadge status/>
                </span>
            }
            .into_any()
        }
        other => view! { <span class="sub"><EnvProblemBadge env=other.clone()/></span> }.into_any(),
    };
    let env_name = row.env_label();
    let source = match &row.source {
        Source::Git { url, reference } => view! {
            <span title=url.clone()>"git " <span class="mono">{repo_name(url)}</span></span>
            <span class="sub mono">{short_reference(reference).to_string()}</span>
        }
        .into_any(),
        Source::File { entry_point } => view! {
            <span>"file"</span>
            <span class="sub mono">{entry_point.clone()}</span>
        }
        .into_any(),
    };
    let name = row.name.clone();
    let directory = use_directory();
    let owner = row.ownership.clone();
    let ownership = move || {
        directory.with(|d| match d {
            Some(d) => owner.describe(&d.names),
            None => owner.describe(&Names::default()),
        })
    };
    view! {
        <tr
            class="stack-row"
            aria-selected=move || selected().to_string()
            data-stack=row.name.clone()
            on:click=move |_| {
                let mut q = query.get_untracked();
                if q.selected != Some(id) {
                    q.selected = Some(id);
                    set.replace(q);
                }
            }
        >
            <td class="name">
                <a href=Page::Stack(id).href()><Name name/></a>
                <span class="sub">{format!("#{id}")}</span>
                {row.refused.clone().map(|why| view! {
                    <span class="badge badge-warn refused" title=why.clone()>"cannot open"</span>
                    <span class="sr-only">{why}</span>
                })}
            </td>
            <td class="env"><bdi>{env_name}</bdi>{env}</td>
            <td class="type">{stack_type_label(row.kind)}</td>
            <td class="status"><StackStatusBadge status=row.status/></td>
            {health_cell}
            <td class="source">{source}</td>
            <td class="ownership">{ownership}</td>
            <td class="created">
                <ChangedBy by=row.created_by.clone() at=row.created_at now/>
            </td>
            <td class="updated">
                <ChangedBy by=row.updated_by.clone() at=row.updated_at now/>
            </td>
        </tr>
    }
}

/// "bob" over "3 days ago" (the exact UTC time on hover).
#[component]
fn ChangedBy(by: String, at: i64, now: i64) -> impl IntoView {
    let by = if by.is_empty() { "—".to_string() } else { by };
    view! {
        {by}
        <span class="sub" title=format_utc(at)>{relative(at, now)}</span>
    }
}

/// `https://github.com/acme/web.git` → `acme/web`.
fn repo_name(url: &str) -> String {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.split_once('/').map_or("", |(_, p)| p),
        // scp-like `git@host:owner/repo.git`
        None => url.split_once(':').map_or(url, |(_, p)| p),
    };
    let path = path.trim_end_matches('/');
    path.strip_suffix(".git").unwrap_or(path).to_string()
}

#[component]
fn Pager(
    filtered: Signal<Option<(Pagination, usize)>>,
    query: Memo<StackQuery>,
    set_query: SetQuery,
) -> impl IntoView {
    let go = {
        let set_query = set_query.clone();
        move |page: u32| {
            let mut q = query.get_untracked();
            q.page = page;
            q.selected = None;
            set_query.set(q);
        }
    };
    let go_prev = go.clone();
    let page = move || filtered.get().map(|(p, _)| p);
    view! {
        <div class="pager">
            <span class="page-label" aria-live="polite">
                {move || page().map(|p| p.label()).unwrap_or_default()}
            </span>
            <button
                class="small prev-page"
                disabled=move || !page().is_some_and(|p| p.has_previous())
                on:click=move |_| {
                    if let Some(p) = page() {
                        go_prev(p.number - 1)
                    }
                }
            >"← Previous"</button>
            <button
                class="small next-page"
                disabled=move || !page().is_some_and(|p| p.has_next())
                on:click=move |_| {
                    if let Some(p) = page() {
                        go(p.number + 1)
                    }
                }
            >"Next →"</button>
            <label class="sr-only" for="per-page">"Stacks per page"</label>
            <select
                id="per-page"
                on:change=move |ev| {
                    if let Ok(per) = event_target_value(&ev).parse::<u32>() {
                        let mut q = query.get_untracked();
                        q.per_page = per;
                        q.page = 1;
                        set_query.set(q);
                    }
                }
            >
                {PER_PAGE_CHOICES
                    .into_iter()
                    .map(|n| {
                        view! {
                            <option value=n.to_string() selected=move || query.with(|q| q.per_page == n)>
                                {format!("{n} per page")}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::repo_name;

    #[test]
    fn repository_names_drop_host_and_git_suffix() {
        assert_eq!(
            repo_name("https://github.com/acme/web-frontend.git"),
            "acme/web-frontend"
        );
        assert_eq!(repo_name("https://gitlab.example.com/a/b/c/"), "a/b/c");
        assert_eq!(repo_name("git@github.com:acme/x.git"), "acme/x");
    }
}
