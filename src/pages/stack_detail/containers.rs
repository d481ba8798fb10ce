//! The stack's containers (compose), services and tasks (swarm) or pods (Kubernetes), from the
//! stack page's shared [`Workload`]. A stopped stack has none: Portainer removes them
//! (`compose down`, `stack rm`).

use super::LoadedStack;
use crate::components::clock::now_secs;
use crate::components::RefreshCard;
use crate::domain::containers::{ports_label, replicas_label, task_name, Health, Workload};
use crate::domain::failures::Asked;
use crate::domain::time::relative;
use crate::portainer::{ContainerSummary, ServiceSummary, StackStatus, StackType, TaskSummary};
use crate::routes::with_base;
use crate::session::workload::{StackWorkload, WorkloadResource};
use leptos::prelude::*;

#[component]
pub fn Containers(loaded: LoadedStack, workload: Option<WorkloadResource>) -> impl IntoView {
    let Some(workload) = workload else {
        return view! {
            <p class="msg msg-warn">{format!("Portainer reports an unknown stack type ({}); Portlight cannot tell where its containers are.", loaded.stack.kind.as_u32())}</p>
        }
        .into_any();
    };
    let stack_id = loaded.stack.id;
    let stopped = loaded.stack.status == StackStatus::Inactive;
    let namespace = loaded.stack.namespace.clone();
    let (class, title, loading, doing) = match loaded.stack.kind {
        StackType::DockerSwarm => (
            "services",
            "Services and tasks",
            "Loading services and tasks…",
            "Loading services",
        ),
        StackType::Kubernetes => ("pods", "Pods", "Loading pods…", "Loading pods"),
        _ => (
            "containers",
            "Containers",
            "Loading containers…",
            "Loading containers",
        ),
    };
    view! {
        <RefreshCard
            class
            title
            loading
            doing
            resource=workload
            asked=asked_for(loaded.stack.kind)
            render={move |fetched: StackWorkload| {
                let notes = fetched
                    .unreadable
                    .into_iter()
                    .map(|n| view! { <p class="msg msg-warn unreadable" role="status">{n}</p> })
                    .collect_view();
                let w = fetched.workload;
                let body = if w.is_empty() {
                    nothing_runs(stopped, &w, &namespace).into_any()
                } else {
                    match w {
                        Workload::Containers(list) => view! { <ContainerTable list stack_id/> }.into_any(),
                        Workload::Swarm { services, tasks } => view! { <ServiceTables services tasks stack_id/> }.into_any(),
                        Workload::Pods(pods) => view! { <super::pods::PodTable pods stack_id/> }.into_any(),
                    }
                };
                view! { {notes} {body} }.into_any()
            }}
        />
    }
    .into_any()
}

/// What was asked for a stack's workload, for explaining its failures.
pub fn asked_for(kind: StackType) -> Asked {
    match kind {
        StackType::Kubernetes => Asked::KubernetesList,
        _ => Asked::DockerList,
    }
}

/// An empty workload, explained: a stopped stack's containers are removed, not exited.
fn nothing_runs(stopped: bool, workload: &Workload, namespace: &str) -> impl IntoView {
    let text = match (stopped, workload) {
        (_, Workload::Pods(_)) => format!("No pod of this stack was found in namespace “{namespace}”: neither a pod labelled with the stack's id nor one selected by the stack's Deployments, StatefulSets or DaemonSets. Its objects may have been deleted outside Portainer, or scaled to zero."),
        (true, Workload::Containers(_)) => "Stopped: no containers. Portainer removes a compose stack's containers when it stops it (compose down); starting it creates them again.".into(),
        (true, Workload::Swarm { .. }) => "Stopped: no services. Portainer removes a swarm stack's services when it stops it (docker stack rm); starting it deploys them again.".into(),
        (false, Workload::Containers(_)) => "No container carries this stack's compose project label. The stack may have been removed outside Portainer, or the token may not see its containers.".into(),
        (false, Workload::Swarm { .. }) => "No service carries this stack's namespace label. The stack may have been removed outside Portainer, or the token may not see its services.".into(),
    };
    view! { <p class="empty nothing-runs">{text}</p> }
}

#[component]
fn ContainerTable(list: Vec<ContainerSummary>, stack_id: u32) -> impl IntoView {
    let now = now_secs();
    view! {
        <table class="data containers" tabindex="0" aria-label="Containers">
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
    let logs = with_base(&super::logs::href_for(stack_id, c.display_name()));
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

#[component]
fn ServiceTables(
    services: Vec<ServiceSummary>,
    tasks: Vec<TaskSummary>,
    stack_id: u32,
) -> impl IntoView {
    let service_rows = services
        .iter()
        .map(|s| {
            // A service's log gathers its tasks', each line naming its task.
            let logs = with_base(&super::logs::href_for(stack_id, &s.spec.name));
            view! {
                <tr class="service" data-name=s.spec.name.clone()>
                    <td class="mono">{s.spec.name.clone()}</td>
                    <td>{replicas_label(s, &tasks)}</td>
                    <td><a class="button small" href=logs>"Logs"</a></td>
                </tr>
            }
        })
        .collect_view();
    let task_rows = tasks
        .iter()
        .map(|t| {
            let name = task_name(t, &services);
            let state_class = if t.status.state == "running" { "badge badge-ok" } else { "badge badge-warn" };
            view! {
                <tr class="task">
                    <td class="mono">{name}</td>
                    <td><span class=state_class>{t.status.state.clone()}</span></td>
                    <td>{t.desired_state.clone()}</td>
                    <td class="mono">{t.node_id.get(..12).unwrap_or(&t.node_id).to_string()}</td>
                    <td>{if t.status.err.is_empty() { t.status.message.clone() } else { t.status.err.clone() }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data services" tabindex="0" aria-label="Services">
            <thead><tr><th>"Service"</th><th>"Replicas"</th><th></th></tr></thead>
            <tbody>{service_rows}</tbody>
        </table>
        <h3>"Tasks"</h3>
        <table class="data tasks" tabindex="0" aria-label="Tasks">
            <thead>
                <tr><th>"Task"</th><th>"State"</th><th>"Desired"</th><th>"Node"</th><th>"Message"</th></tr>
            </thead>
            <tbody>{task_rows}</tbody>
        </table>
    }
}
