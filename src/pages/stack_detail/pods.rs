//! A Kubernetes stack's pods, as `kubectl get pods` lists them (status, ready, restarts, node,
//! age), each with its containers and links to their logs.

use crate::components::clock::now_secs;
use crate::domain::pods::{self, StackPod};
use crate::domain::time::{parse_rfc3339, relative};
use crate::routes::with_base;
use leptos::prelude::*;

#[component]
pub fn PodTable(pods: Vec<StackPod>, stack_id: u32) -> impl IntoView {
    let now = now_secs();
    view! {
        <table class="data pods" tabindex="0" aria-label="Pods">
            <thead>
                <tr>
                    <th>"Pod"</th><th>"Status"</th><th>"Ready"</th><th>"Restarts"</th>
                    <th>"Containers"</th><th>"Node"</th><th>"Age"</th><th></th>
                </tr>
            </thead>
            <tbody>
                {pods.into_iter().map(|p| pod_row(p, stack_id, now)).collect_view()}
            </tbody>
        </table>
    }
}

fn pod_row(p: StackPod, stack_id: u32, now: i64) -> impl IntoView {
    let pod = &p.pod;
    let name = pod.metadata.name.clone();
    let status = pods::pod_status(pod);
    let status_class = if pods::troubled(pod) {
        "badge badge-bad"
    } else if pod.status.phase == "Running" || pod.status.phase == "Succeeded" {
        "badge badge-ok"
    } else {
        "badge badge-warn"
    };
    let (ready, total) = pods::ready(pod);
    let containers = pods::containers(pod);
    let keys: Vec<String> = containers
        .iter()
        .map(|(c, ..)| pods::log_key(&name, c))
        .collect();
    let container_items = containers
        .into_iter()
        .zip(&keys)
        .map(|((c, image, status), key)| {
            let state = pods::container_state(status);
            let class = if pods::is_running(status) { "badge badge-ok" } else { "badge badge-bad" };
            let restarts = status.map_or(0, |s| s.restart_count);
            let last = pods::last_run(status);
            let link = with_base(&super::logs::href_for(stack_id, key));
            view! {
                <li class="pod-container" data-name=c.clone()>
                    <a class="mono" href=link title="This container's log">{c.clone()}</a>" "
                    <span class=class>{state}</span>
                    {(restarts > 0).then(|| view! { <span class="sub">{format!("{restarts} restarts")}{last.map(|l| format!(", {l}"))}</span> })}
                    <span class="sub mono">{image}</span>
                </li>
            }
        })
        .collect_view();
    let logs = with_base(&super::logs::href_for_sources(stack_id, keys));
    let age = parse_rfc3339(&pod.metadata.creation_timestamp)
        .map(|t| relative(t, now))
        .unwrap_or_default();
    let node = if pod.spec.node_name.is_empty() {
        "not scheduled".to_string()
    } else {
        pod.spec.node_name.clone()
    };
    let why = (!pod.status.message.is_empty()).then(|| pod.status.message.clone());
    view! {
        <tr class="pod" data-name=name.clone()>
            <td class="mono">{name.clone()}<span class="sub">{p.owner.clone()}</span></td>
            <td><span class=status_class>{status}</span>{why.map(|m| view! { <span class="sub">{m}</span> })}</td>
            <td class="ready">{format!("{ready}/{total}")}</td>
            <td class="restarts">{pods::restarts(pod)}</td>
            <td><ul class="pod-containers">{container_items}</ul></td>
            <td class="mono">{node}</td>
            <td>{age}</td>
            <td><a class="button small" href=logs>"Logs"</a></td>
        </tr>
    }
}
