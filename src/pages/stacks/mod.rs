//! `/stacks`: every stack of every environment the token can see, from two requests
//! (`GET /api/stacks` and `GET /api/endpoints`), joined, searched, filtered and sorted in the
//! browser. The whole view state lives in the URL query, so a bookmark reopens it.

mod filters;
mod health;
pub mod table;

use crate::components::freshness::{keep_last_good, Answer, AutoRefresh};
use crate::components::{ErrorMessage, Loading};
use crate::domain::display::counted;
use crate::domain::stack_health::probes;
use crate::domain::stack_query::{
    list_view_of, name_ranks, sort_order_ranked, Searched, SortKey, StackQuery,
};
use crate::domain::stack_rows::{
    build_stack_rows, environment_labels, environments_holding, StackRow,
};
use crate::portainer::{EndpointQuery, Environment, Listed, Stack};
use crate::routes::Page;
use crate::session::directory::use_directory;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The joined data of one load. Shared, never copied ([`LoadState`]): an unchanged refresh
/// compares equal and rebuilds nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadedStacks {
    pub rows: Vec<StackRow>,
    /// Environment id → label, for the environment filter (deleted ones included).
    pub env_names: BTreeMap<u32, String>,
    /// The environments holding at least one listed stack, ascending.
    pub env_ids: Vec<u32>,
    /// Each row's place in name order: every sort's tie-breaker (see `name_ranks`).
    pub name_ranks: Vec<u32>,
    /// A standard user's token that reaches no environment: it may list stacks shared with
    /// it, yet open and act on none.
    pub no_environment: bool,
    /// What Portainer sent that could not be read (see `Listed::note`).
    pub notes: Vec<String>,
}

/// The two lists joined into the browser's rows.
fn joined(stacks: &Listed<Stack>, envs: &Listed<Environment>, is_admin: bool) -> LoadedStacks {
    let rows = build_stack_rows(&stacks.items, &envs.items, is_admin);
    LoadedStacks {
        env_names: environment_labels(&rows, &envs.items),
        env_ids: environments_holding(&rows),
        name_ranks: name_ranks(&rows),
        rows,
        no_environment: !is_admin && envs.items.is_empty(),
        notes: [
            stacks.note("stack", "stacks"),
            envs.note("environment", "environments"),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

/// Changes the URL query (and so the view). Search keystrokes replace the history entry;
/// other changes add one, so Back undoes a filter.
#[derive(Clone)]
pub struct SetQuery(std::sync::Arc<dyn Fn(StackQuery, bool) + Send + Sync>);

impl SetQuery {
    pub fn set(&self, q: StackQuery) {
        (self.0)(q, false)
    }

    pub fn replace(&self, q: StackQuery) {
        (self.0)(q, true)
    }
}

/// Needs a token (see the route table).
#[component]
pub fn StacksPage() -> impl IntoView {
    let session = use_session();
    let stacks = session.resource(|client| async move { client.stacks().await });
    let envs = session.resource(|client| async move {
        let page = client.endpoints(&EndpointQuery::default()).await?;
        Ok(page.environments)
    });

    // Read in place, never copied: the answers stay with their requests. User and team names
    // are not read here, so their arrival rebuilds no row (the table names owners itself).
    let fetched = Memo::new(move |_| -> LoadState {
        let is_admin = session.identity().is_some_and(|i| i.user.is_admin());
        stacks.with(|stacks| {
            envs.with(|envs| {
                let stacks = stacks?.as_ref().map_err(|e| ("Loading stacks", e.clone()));
                let envs = envs?
                    .as_ref()
                    .map_err(|e| ("Loading environments", e.clone()));
                Some(stacks.and_then(|stacks| {
                    let envs: &Listed<Environment> = envs?;
                    Ok(Arc::new(joined(stacks, envs, is_admin)))
                }))
            })
        })
    });

    // What the page shows: the last good load, kept while a refresh is under way or failed
    // (the failure is said above the list, see `failed`).
    let (loaded, failed) = keep_last_good(fetched);
    // Each answer (identical or not) dates the page.
    let updated_at = RwSignal::new(None::<f64>);
    Effect::new(move |_| {
        let ok = |r: Option<bool>| r == Some(true);
        let stacks_ok = stacks.with(|s| s.as_ref().map(|s| s.is_ok()));
        let envs_ok = envs.with(|e| e.as_ref().map(|e| e.is_ok()));
        if ok(stacks_ok) && ok(envs_ok) {
            updated_at.set(Some(js_sys::Date::now()));
        }
    });

    let health = health::HealthChecks::start(
        Signal::derive(move || with_loaded(loaded, |l| probes(&l.rows))),
        updated_at.into(),
    );

    let state = Memo::new(move |_| {
        loaded.with(|l| match l {
            None => State::Loading,
            Some(Err(_)) => State::Failed,
            Some(Ok(l)) if l.rows.is_empty() => State::Empty,
            Some(Ok(_)) => State::Ready,
        })
    });

    let location = use_location();
    // What is typed in the search box reaches the list at once and the URL a moment later
    // (see `SearchBox`): writing the URL on every keystroke cost more than filtering.
    let typed = RwSignal::new(None::<String>);
    let query = Memo::new(move |_| {
        let mut q = StackQuery::parse(&location.search.get());
        typed.with(|t| {
            if let Some(t) = t.as_ref().filter(|t| **t != q.search) {
                q.search = t.clone();
                q.page = 1;
                q.selected = None;
            }
        });
        q
    });
    // Any change of the URL (the search written, Back, a filter) ends what was typed.
    Effect::new(move |_| {
        location.search.track();
        typed.set(None);
    });
    let navigate = use_navigate();
    let set_query = SetQuery(std::sync::Arc::new(move |q: StackQuery, replace: bool| {
        let search = q.search.clone();
        navigate(
            &format!("{}{}", Page::Stacks.path(), q.to_query_string()),
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
        // The search now written wins over what was typed, even where the URL stays the same
        // (Esc or "Clear" before a typed search had reached it).
        typed.set(Some(search));
    }));

    let refetch = Callback::new(move |()| {
        stacks.refetch();
        envs.refetch();
    });
    let refresh = move |_| refetch.run(());

    view! {
        <section class="page">
            <div class="page-head">
                <h1>"Stacks"</h1>
                <span class="sub stack-summary">
                    {move || loaded.with(|l| match l {
                        Some(Ok(l)) => format!(
                            "{} in {}",
                            counted(l.rows.len(), "stack", "stacks"),
                            counted(l.env_ids.len(), "environment", "environments")
                        ),
                        _ => String::new(),
                    })}
                </span>
                <button class="small refresh" on:click=refresh title="Fetch the stacks again">
                    "↻ Refresh"
                </button>
                <AutoRefresh refresh=refetch updated_at=updated_at.into() failed what="stacks"/>
            </div>
            {move || loaded.with(|l| match l {
                Some(Ok(l)) => view! {
                    {l.no_environment.then(|| view! { <NoEnvironment/> })}
                    {l.notes
                        .iter()
                        .map(|n| view! { <p class="msg msg-warn unreadable" role="status">{n.clone()}</p> })
                        .collect_view()}
                    <health::HealthOffer checks=health/>
                }
                .into_any(),
                _ => ().into_any(),
            })}
            // Rebuilt only when the kind of state changes: new data (names arriving, a refresh)
            // flows into the same list, which keeps the search box's focus and the scroll.
            {move || match state.get() {
                State::Loading => view! { <Loading what="Loading every stack of every environment…"/> }.into_any(),
                State::Failed => loaded.get_untracked().and_then(Result::err).map(|(doing, error)| view! {
                    <ErrorMessage doing error/>
                    <button on:click=refresh>"Try again"</button>
                })
                .into_any(),
                State::Empty => view! { <NoStacks is_admin=session.identity().is_some_and(|i| i.user.is_admin())/> }.into_any(),
                State::Ready => {
                    let set_query = set_query.clone();
                    view! { <Browser loaded query typed set_query health/> }.into_any()
                }
            }}
        </section>
    }
}

/// The list itself, once data is there: filters on the side, search and table.
#[component]
fn Browser(
    loaded: Memo<LoadState>,
    query: Memo<StackQuery>,
    typed: RwSignal<Option<String>>,
    set_query: SetQuery,
    health: health::HealthChecks,
) -> impl IntoView {
    let directory = use_directory();
    // Sorted once per sort change; each keystroke then filters in that order.
    // (A memo of its own, so a keystroke that leaves the sort alone does not re-sort.)
    let sort = Memo::new(move |_| query.with(|q| (q.sort, q.descending)));
    // Numbered, so a search can tell whether its last answer is about the same rows and order.
    let generation = StoredValue::new(0u64);
    let order = Memo::new(move |_| {
        let (key, desc) = sort.get();
        generation.update_value(|g| *g += 1);
        // Only the ownership sort reads names ("restricted to alice"), so only it waits for them.
        let names = match key {
            SortKey::Ownership => directory.with(|d| d.map(|d| d.names.clone())),
            _ => None,
        }
        .unwrap_or_default();
        let order = with_loaded(loaded, |l| {
            sort_order_ranked(&l.rows, &l.name_ranks, key, desc, &names)
        })
        .unwrap_or_default();
        (generation.get_value(), order)
    });
    // The search, narrowed from the last answer while the operator types on.
    let search = Memo::new(move |_| query.with(|q| q.search.clone()));
    let searched = Memo::new(move |previous: Option<&Searched>| {
        order.with(|(generation, order)| {
            search.with(|s| {
                with_loaded(loaded, |l| {
                    Searched::new(&l.rows, order, *generation, s, previous)
                })
                .unwrap_or_default()
            })
        })
    });
    // Each row's health class, again as each environment answers.
    let classes = Memo::new(move |_| with_loaded(loaded, |l| health.classes(&l.rows)).flatten());
    let filtered = Memo::new(move |_| {
        searched.with(|found| {
            query.with(|q| {
                classes.with(|classes| {
                    with_loaded(loaded, |l| {
                        list_view_of(&l.rows, &found.rows, &l.env_ids, classes.as_deref(), q)
                    })
                })
            })
        })
    });
    let env_names =
        Memo::new(move |_| with_loaded(loaded, |l| l.env_names.clone()).unwrap_or_default());
    let visible_rows = Memo::new(move |_| {
        filtered
            .with(|f| {
                f.as_ref().and_then(|f| {
                    with_loaded(loaded, |l| {
                        f.visible
                            .iter()
                            .filter_map(|&i| l.rows.get(i).cloned())
                            .collect::<Vec<_>>()
                    })
                })
            })
            .unwrap_or_default()
    });

    // A memo, so the five facets read one copy per keystroke, not one each.
    let counts = Memo::new(move |_| {
        filtered.with(|f| f.as_ref().map(|f| f.counts.clone()).unwrap_or_default())
    });
    // On a phone the filters open as a sheet over the list, behind a button that counts them.
    let sheet_open = RwSignal::new(false);
    let active_filters = move || {
        query.with(|q| {
            q.envs.len()
                + q.types.len()
                + q.statuses.len()
                + q.sources.len()
                + q.ownership.len()
                + q.health.len()
        })
    };
    view! {
        <button
            class="filters-toggle"
            aria-controls="stack-filters"
            aria-expanded=move || sheet_open.get().to_string()
            on:click=move |_| sheet_open.update(|o| *o = !*o)
        >
            {move || if sheet_open.get() { "Hide filters" } else { "Filters" }}
            {move || match active_filters() {
                0 => None,
                n => Some(view! { " " <span class="badge filter-count">{n}</span> }),
            }}
        </button>
        <div class="stack-browser" class:filters-open=move || sheet_open.get()>
            <filters::Filters
                query
                counts=counts.into()
                env_names
                set_query=set_query.clone()
            />
            <div>
                <table::SearchBox query typed set_query=set_query.clone()/>
                <table::StackTable
                    rows=visible_rows
                    query
                    filtered=Signal::derive(move || filtered.with(|f| f.as_ref().map(|f| (f.page, f.total_matching))))
                    set_query
                    health
                />
            </div>
        </div>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Loading,
    Failed,
    Empty,
    Ready,
}

type LoadState = Answer<Arc<LoadedStacks>>;

fn with_loaded<R>(loaded: Memo<LoadState>, f: impl FnOnce(&LoadedStacks) -> R) -> Option<R> {
    loaded.with(|l| match l {
        Some(Ok(l)) => Some(f(l)),
        _ => None,
    })
}

/// Said at once rather than found out stack by stack: every detail page and action would
/// answer 403.
#[component]
fn NoEnvironment() -> impl IntoView {
    view! {
        <div class="msg msg-warn no-environment" role="status">
            <strong>"This token reaches no environment."</strong>
            <p>
                "Portainer lists it the stacks shared with its user, but it can open none of them and \
                 act on none: that needs access to the stack's environment, given by an administrator \
                 (on the environment or its group, to the user or one of their teams). "
                <a href=Page::Access.href()>"What can this token do?"</a>
            </p>
        </div>
    }
}

/// "This token sees no stacks", with the likely reasons.
#[component]
fn NoStacks(is_admin: bool) -> impl IntoView {
    view! {
        <div class="card empty no-stacks">
            <strong>"This token sees no stacks."</strong>
            {if is_admin {
                view! {
                    <p>"This Portainer has no stacks yet: administrators see every stack of every environment, orphans included."</p>
                }
                .into_any()
            } else {
                view! {
                    <p>"Portainer shows a standard user only the stacks whose access control is public or names them or one of their teams. Stacks without access control are shown to administrators only."</p>
                    <p>"Stack management may also be disabled for regular users on an environment, and the environment itself may not be reachable by this token. The Access page shows what this token can see and why."</p>
                    <p><a href=Page::Access.href()>"What can this token do?"</a></p>
                }
                .into_any()
            }}
        </div>
    }
}
