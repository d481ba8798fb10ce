//! `/stacks/<id>`: one stack, bookmarkable, with a tab per aspect (`?tab=compose`, …):
//! overview, compose file, environment variables, containers, logs; and its actions.

mod actions;
mod compose;
mod containers;
mod env_vars;
mod logs;
mod overview;
mod pods;

pub use actions::{Done, JustUpdated};

use crate::components::badges::{Name, StackStatusBadge};
use crate::components::freshness::{keep_last_good, AutoRefresh};
use crate::components::{ErrorMessage, Loading};
use crate::domain::labels::stack_type_label;
use crate::domain::stack_rows::unnamed_environment;
use crate::portainer::{ApiError, Client, EndpointQuery, Environment, Stack, StackType};
use crate::routes::{segment, with_base, Page};
use crate::session::use_session;
use crate::session::workload::stack_workload;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

/// The tabs, in their URL names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Compose,
    Env,
    Containers,
    Logs,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Overview,
        Tab::Compose,
        Tab::Env,
        Tab::Containers,
        Tab::Logs,
    ];

    fn url_name(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Compose => "compose",
            Tab::Env => "env",
            Tab::Containers => "containers",
            Tab::Logs => "logs",
        }
    }

    fn label(self, kind: StackType) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Compose if kind == StackType::Kubernetes => "Manifest",
            Tab::Compose => "Compose file",
            Tab::Env => "Environment variables",
            Tab::Containers if kind == StackType::Kubernetes => "Pods",
            Tab::Containers => "Containers",
            Tab::Logs => "Logs",
        }
    }

    fn from_url_name(name: &str) -> Tab {
        Tab::ALL
            .into_iter()
            .find(|t| t.url_name() == name)
            .unwrap_or(Tab::Overview)
    }

    /// `/stacks/3?tab=compose` (the overview has no query; the logs have their own path).
    pub fn href(self, stack_id: u32) -> String {
        match self {
            Tab::Overview => Page::Stack(stack_id).path(),
            Tab::Logs => Page::StackLogs(stack_id).path(),
            tab => format!("{}?tab={}", Page::Stack(stack_id).path(), tab.url_name()),
        }
    }
}

/// What the tabs share: the stack (updated after an action) and its environment, if the token
/// can see it, and the connection generation they were loaded in (actions go only to it).
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedStack {
    pub stack: Stack,
    pub env: Option<Environment>,
    /// The token's environment list holds this environment (Portainer's access check).
    pub env_accessible: bool,
    /// See [`crate::session::Session::epoch`].
    pub epoch: u32,
    /// The stack's environment no longer exists (an orphan).
    pub environment_deleted: bool,
}

/// Portainer's 404 for a stack whose environment was deleted (`stack_inspect.go`).
fn is_missing_environment(err: &ApiError) -> bool {
    err.is_not_found()
        && err
            .portainer_message()
            .is_some_and(|m| m.contains("Unable to find an environment"))
}

/// Needs a token (see the route table).
#[component]
pub fn StackDetailPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<u32>().ok())));
    // `/stacks/<id>/logs` is the logs tab (as is an older link's `?tab=logs`).
    let location = use_location();
    let tab = Memo::new(move |_| {
        if location
            .pathname
            .with(|p| p.ends_with(&format!("/{}", segment::LOGS)))
        {
            return Tab::Logs;
        }
        query.with(|q| Tab::from_url_name(&q.get("tab").unwrap_or_default()))
    });

    // The name of a stack Portainer refused to show, from the list (which admits it by its
    // ResourceControl alone), keyed by its id.
    let refused_name = RwSignal::new(None::<(u32, String)>);
    let stack = session.resource(move |client| {
        let id = id.get();
        let epoch = session.epoch_now();
        async move {
            let id = id.ok_or_else(|| ApiError::BadRequest {
                message: "this address has no valid stack id".into(),
            })?;
            let listed = |client: Client| async move {
                let list = client.stacks().await?;
                Ok::<_, ApiError>(list.items.into_iter().find(|s| s.id == id))
            };
            let mut stack = match client.stack(id).await {
                Ok(stack) => stack,
                // `stack_inspect.go` answers a non-admin 404 for a stack whose environment
                // was deleted, while the list still shows it: show what the list knows.
                Err(err) if is_missing_environment(&err) => match client.listed_stack(id).await? {
                    Some(stack) => return Ok((stack, epoch, true)),
                    None => return Err(err),
                },
                Err(err) if err.is_forbidden() => {
                    if let Ok(Some(listed)) = listed(client).await {
                        refused_name.set(Some((id, listed.name)));
                    }
                    return Err(err);
                }
                Err(err) => return Err(err),
            };
            // Portainer's inspect leaves the ResourceControl off Kubernetes stacks and off
            // orphans (the list has it): borrow it so ownership and actions are judged right.
            if stack.resource_control.is_none() {
                stack.resource_control = listed(client).await?.and_then(|s| s.resource_control);
            }
            Ok((stack, epoch, false))
        }
    });
    // The token's own environment list (not GET /endpoints/{id}): it tells accessible from not
    // without a 403, and names the environment when it can.
    let envs =
        session.resource(|client| async move { client.endpoints(&EndpointQuery::default()).await });
    // A stack returned by start/stop/redeploy replaces the fetched one.
    let updated = RwSignal::new(None::<Stack>);
    let outcome: actions::Outcome = RwSignal::new(None);
    Effect::new(move |_| {
        let id = id.get();
        session.epoch.track();
        updated.set(None);
        // Arriving from the edit page: its update is this page's outcome.
        outcome.set(JustUpdated::take_for(id).map(Ok));
    });

    let fetched = Memo::new(
        move |_| -> Option<Result<LoadedStack, (&'static str, ApiError)>> {
            let (fetched, epoch, missing_environment) = match stack.get()? {
                Ok(answer) => answer,
                Err(e) => return Some(Err(("Loading the stack", e))),
            };
            let stack = updated.get().unwrap_or(fetched);
            let envs = match envs.get()? {
                Ok(page) => page.environments,
                Err(e) => return Some(Err(("Loading environments", e))),
            };
            let env = envs.items.into_iter().find(|e| e.id == stack.endpoint_id);
            // An administrator's list holds every environment: one missing from it is gone.
            let admin = session.identity().is_some_and(|i| i.user.is_admin());
            let environment_deleted = missing_environment || (env.is_none() && admin);
            Some(Ok(LoadedStack {
                env_accessible: env.is_some(),
                env,
                stack,
                epoch,
                environment_deleted,
            }))
        },
    );

    // A refresh keeps the page as it is when it fails, and rebuilds it only when the stack
    // changed (the memo compares).
    let (loaded, failed) = keep_last_good(fetched);
    // Each answer dates the page, and supersedes the stack an action returned.
    let updated_at = RwSignal::new(None::<f64>);
    Effect::new(move |_| {
        if stack.with(|s| matches!(s, Some(Ok(_)))) {
            updated_at.set(Some(js_sys::Date::now()));
            updated.set(None);
        }
    });
    let refetch = Callback::new(move |()| {
        stack.refetch();
        envs.refetch();
    });

    view! {
        <section class="page stack-detail">
            <p class="crumbs"><A href=Page::Stacks.href()>"← All stacks"</A></p>
            {move || match loaded.get() {
                None => view! { <Loading what="Loading the stack…"/> }.into_any(),
                Some(Err((doing, error))) => {
                    let forbidden = error.is_forbidden();
                    let id = id.get();
                    let name = refused_name
                        .get()
                        .filter(|(named, _)| Some(*named) == id)
                        .map(|(_, name)| name);
                    let heading = match (name, id) {
                        (Some(name), _) => view! { <Name name/> }.into_any(),
                        (None, Some(id)) => format!("Stack #{id}").into_any(),
                        (None, None) => "Stack".into_any(),
                    };
                    view! {
                        <h1>{heading}</h1>
                        <ErrorMessage doing error/>
                        {forbidden.then(|| view! {
                            <p class="msg msg-info forbidden-note">
                                "Portainer lists a stack to anyone its access control admits, but shows its \
                                 details (and lets anyone act on it) only with access to its environment, \
                                 and only to administrators where stack management is disabled for regular \
                                 users. "
                                <A href=Page::Access.href()>"The Access page"</A>
                                " shows what this token reaches."
                            </p>
                        })}
                    }
                    .into_any()
                }
                Some(Ok(l)) => view! {
                    <StackView loaded=l tab updated outcome refetch updated_at failed/>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn StackView(
    loaded: LoadedStack,
    tab: Memo<Tab>,
    updated: RwSignal<Option<Stack>>,
    outcome: actions::Outcome,
    /// Fetches the stack and the environments again.
    refetch: Callback<()>,
    updated_at: RwSignal<Option<f64>>,
    failed: Signal<Option<String>>,
) -> impl IntoView {
    let stack = &loaded.stack;
    let id = stack.id;
    let env_name = match &loaded.env {
        Some(env) => env.name.clone(),
        None => unnamed_environment(stack.endpoint_id, loaded.environment_deleted),
    };
    let env_filter = format!("{}?env={}", Page::Stacks.path(), stack.endpoint_id);
    let title = stack.name.clone();
    let kind = stack.kind;
    let tabs = Tab::ALL
        .into_iter()
        .map(|t| {
            view! {
                <a
                    href=with_base(&t.href(id))
                    data-tab=t.url_name()
                    aria-current=move || (tab.get() == t).then_some("page")
                >
                    {t.label(kind)}
                </a>
            }
        })
        .collect_view();
    // What runs for the stack: fetched the first time a tab needs it (the overview never asks
    // Docker), then shared by the containers and logs tabs. Owned by this view, not by a tab.
    let owner = Owner::current();
    let cache = StoredValue::new_local(None);
    let for_workload = stack.clone();
    let workload = move || {
        if let Some(known) = cache.get_value() {
            return known;
        }
        let fetch = || stack_workload(use_session(), &for_workload);
        let made = match &owner {
            Some(owner) => owner.with(fetch),
            None => fetch(),
        };
        cache.set_value(Some(made));
        made
    };
    // The automatic refresh reads what runs again too, once a tab has asked for it.
    let refresh = Callback::new(move |()| {
        refetch.run(());
        if let Some(Some(workload)) = cache.get_value() {
            workload.refetch();
        }
    });
    let body = {
        let loaded = loaded.clone();
        move || {
            let l = loaded.clone();
            let workload = || untrack(&workload);
            match tab.get() {
                Tab::Overview => view! { <overview::Overview loaded=l/> }.into_any(),
                Tab::Compose => view! { <compose::ComposeFile loaded=l/> }.into_any(),
                Tab::Env => view! { <env_vars::EnvVars loaded=l/> }.into_any(),
                Tab::Containers => {
                    view! { <containers::Containers loaded=l workload=workload()/> }.into_any()
                }
                Tab::Logs => view! { <logs::Logs loaded=l workload=workload()/> }.into_any(),
            }
        }
    };
    view! {
        <div class="page-head">
            <h1><Name name=title/></h1>
            <StackStatusBadge status=stack.status/>
            <span class="sub">
                {stack_type_label(stack.kind)} " stack on "
                <a href=with_base(&env_filter)><bdi>{env_name}</bdi></a>
            </span>
            <AutoRefresh refresh updated_at=updated_at.into() failed what="stack"/>
        </div>
        <actions::Actions loaded=loaded.clone() updated outcome/>
        <nav class="tabs" aria-label="Stack">{tabs}</nav>
        {body}
    }
}
