//! The stack's containers (compose: label `com.docker.compose.project=<normalised name>`) or
//! services and tasks (swarm: `com.docker.stack.namespace`), through Portainer's Docker proxy.

use super::{LoadedStack, Tab};
use crate::components::clock::now_secs;
use crate::components::RefreshCard;
use crate::domain::containers::{ports_label, replicas_label, sort_for_display, task_name, Health};
use crate::domain::time::relative;
use crate::portainer::{ApiError, ContainerSummary, ServiceSummary, StackType, TaskSummary};
use crate::routes::with_base;
use crate::session::use_session;
use leptos::prelude::*;

#[component]
pub fn Containers(loaded: LoadedStack) -> impl IntoView {
    match loaded.stack.kind {
        StackType::DockerCompose => view! { <ComposeContainers loaded/> }.into_any(),
        StackType::DockerSwarm => view! { <SwarmServices loaded/> }.into_any(),
        StackType::Kubernetes => view! {
            <div class="card kubernetes-note">
                <p>
                    "This is a Kubernetes stack. Portainer exposes its workloads through its Kubernetes \
                     proxy, not through the Docker API that Portlight reads, so Portlight does not list \
                     its pods or show their logs. Open it in Portainer's own UI"
                    {(!loaded.stack.namespace.is_empty()).then(|| format!(" (namespace “{}”)", loaded.stack.namespace))}
                    "."
                </p>
            </div>
        }
        .into_any(),
        StackType::Unknown(n) => view! {
            <p class="msg msg-warn">{format!("Portainer reports an unknown stack type ({n}); Portlight cannot tell where its containers are.")}</p>
        }
        .into_any(),
    }
}

/// Containers of a compose stack, problems first.
pub fn compose_containers(
    loaded: &LoadedStack,
) -> LocalResource<Result<Vec<ContainerSummary>, ApiError>> {
    let (env_id, name) = (loaded.stack.endpoint_id, loaded.stack.name.clone());
    use_session().resource(move |client| {
        let name = name.clone();
        async move {
            let mut list = client.compose_stack_containers(env_id, &name).await?;
            sort_for_display(&mut list);
            Ok(list)
        }
    })
}

#[component]
fn ComposeContainers(loaded: LoadedStack) -> impl IntoView {
    let containers = compose_containers(&loaded);
    let stack_id = loaded.stack.id;
    let now = now_secs();
    view! {
        <RefreshCard
            class="containers"
            title="Containers"
            loading="Loading containers…"
            doing="Loading containers"
            resource=containers
            render={move |list: Vec<ContainerSummary>| {
                if list.is_empty() {
                    return view! {
                        <p class="empty">
                            "No container carries this stack's compose project label. The stack may be \
                             stopped and removed, or the token may not see its containers."
                        </p>
                    }
                    .into_any();
                }
                view! {
                    <table class="data containers">
                        <thead>
                            <tr>
                                <th>"Name"</th><th>"State"</th><th>"Health"</th><th>"Image"</th>
                                <th>"Ports"</th><th>"Created"</th><th></th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|c| container_row(c, stack_id, now)).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        />
    }
}

fn container_row(c: ContainerSummary, stack_id: u32, now: i64) -> impl IntoView {
    let health = Health::from_status(&c.status);
    let health_class = match health {
        Health::Healthy => "badge badge-ok",
        Health::Unhealthy => "badge badge-bad",
        Health::Starting => "badge badge-warn",
        Health::None => "muted",
    };
    let state_class = match c.state.as_str() {
        "running" => "badge badge-ok",
        "exited" | "dead" => "badge badge-bad",
        _ => "badge badge-warn",
    };
    let logs = with_base(&format!("{}&container={}", Tab::Logs.href(stack_id), c.id));
    view! {
        <tr class="container" data-name=c.display_name().to_string()>
            <td class="mono">{c.display_name().to_string()}<span class="sub">{c.id.get(..12).unwrap_or(&c.id).to_string()}</span></td>
            <td><span class=state_class>{c.state.clone()}</span><span class="sub">{c.status.clone()}</span></td>
            <td class="health"><span class=health_class>{health.label()}</span></td>
            <td class="mono">{c.image.clone()}</td>
            <td class="mono">{ports_label(&c.ports)}</td>
            <td>{relative(c.created, now)}</td>
            <td><a class="button small" href=logs>"Logs"</a></td>
        </tr>
    }
}

/// Services and tasks of a swarm stack.
pub type SwarmStack = (Vec<ServiceSummary>, Vec<TaskSummary>);

pub fn swarm_stack(loaded: &LoadedStack) -> LocalResource<Result<SwarmStack, ApiError>> {
    let (env_id, name) = (loaded.stack.endpoint_id, loaded.stack.name.clone());
    use_session().resource(move |client| {
        let name = name.clone();
        async move {
            let services = client.swarm_stack_services(env_id, &name).await?;
            let tasks = client.swarm_stack_tasks(env_id, &name).await?;
            Ok((services, tasks))
        }
    })
}

#[component]
fn SwarmServices(loaded: LoadedStack) -> impl IntoView {
    let stack_id = loaded.stack.id;
    let data = swarm_stack(&loaded);
    view! {
        <RefreshCard
            class="services"
            title="Services and tasks"
            loading="Loading services and tasks…"
            doing="Loading services"
            resource=data
            render={move |(services, tasks): SwarmStack| {
                if services.is_empty() {
                    return view! {
                        <p class="empty">"No service carries this stack's namespace label: the stack may be stopped."</p>
                    }
                    .into_any();
                }
                view! { <ServiceTables services tasks stack_id/> }.into_any()
            }}
        />
    }
}

#[component]
fn ServiceTables(
    services: Vec<ServiceSummary>,
    tasks: Vec<TaskSummary>,
    stack_id: u32,
) -> impl IntoView {
    let service_rows = services
        .iter()
        .map(|s| {
            view! {
                <tr class="service" data-name=s.spec.name.clone()>
                    <td class="mono">{s.spec.name.clone()}</td>
                    <td>{replicas_label(s, &tasks)}</td>
                </tr>
            }
        })
        .collect_view();
    let task_rows = tasks
        .iter()
        .map(|t| {
            let name = task_name(t, &services);
            let logs = t
                .container_id()
                .map(|cid| with_base(&format!("{}&container={cid}", Tab::Logs.href(stack_id))));
            let state_class = if t.status.state == "running" { "badge badge-ok" } else { "badge badge-warn" };
            view! {
                <tr class="task">
                    <td class="mono">{name}</td>
                    <td><span class=state_class>{t.status.state.clone()}</span></td>
                    <td>{t.desired_state.clone()}</td>
                    <td class="mono">{t.node_id.get(..12).unwrap_or(&t.node_id).to_string()}</td>
                    <td>{if t.status.err.is_empty() { t.status.message.clone() } else { t.status.err.clone() }}</td>
                    <td>{logs.map(|href| view! { <a class="button small" href=href>"Logs"</a> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data services">
            <thead><tr><th>"Service"</th><th>"Replicas"</th></tr></thead>
            <tbody>{service_rows}</tbody>
        </table>
        <h3>"Tasks"</h3>
        <table class="data tasks">
            <thead>
                <tr><th>"Task"</th><th>"State"</th><th>"Desired"</th><th>"Node"</th><th>"Message"</th><th></th></tr>
            </thead>
            <tbody>{task_rows}</tbody>
        </table>
    }
}
