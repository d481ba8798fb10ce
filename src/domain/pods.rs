//! A Kubernetes stack's pods: Portainer labels only the top-level objects of a stack's
//! manifests (docs/portainer-api.md §15.3), so its pods are the bare pods carrying the stack's
//! id and the pods its Deployments, StatefulSets and DaemonSets select. And how each pod
//! reads in a table, in `kubectl get pods`' words.

use crate::domain::order::{cmp_ignore_case, sort_with};
use crate::portainer::paths::KUBE_STACK_ID;
use crate::portainer::{KubeWorkload, Pod, PodContainerState, PodContainerStatus};

/// A pod of the stack, and what made it: `Deployment demo-web`, or `Pod` for a bare one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackPod {
    pub pod: Pod,
    pub owner: String,
}

/// The workload kinds a stack's pods come from, with the `apps/v1` resource that lists them.
pub const WORKLOAD_KINDS: [(&str, &str); 3] = [
    ("Deployment", "deployments"),
    ("StatefulSet", "statefulsets"),
    ("DaemonSet", "daemonsets"),
];

/// The pods of stack `stack_id` among a namespace's `pods`, problems first, then by name.
/// `workloads` are the stack's, with their kind.
pub fn stack_pods(
    stack_id: u32,
    pods: Vec<Pod>,
    workloads: &[(&str, KubeWorkload)],
) -> Vec<StackPod> {
    let id = stack_id.to_string();
    let mut found: Vec<StackPod> = pods
        .into_iter()
        .filter_map(|pod| {
            let labels = &pod.metadata.labels;
            let owner = if labels.get(KUBE_STACK_ID) == Some(&id) {
                "Pod".to_string()
            } else {
                let (kind, w) = workloads
                    .iter()
                    .find(|(_, w)| w.spec.selector.matches(labels))?;
                format!("{kind} {}", w.metadata.name)
            };
            Some(StackPod { pod, owner })
        })
        .collect();
    sort_with(&mut found, &|a, b| {
        troubled(&b.pod)
            .cmp(&troubled(&a.pod))
            .then_with(|| cmp_ignore_case(&a.pod.metadata.name, &b.pod.metadata.name))
    });
    found
}

/// The pod's status as `kubectl get pods` shows it: the pod's own reason (`Evicted`), else
/// the first container's reason for not running (`CrashLoopBackOff`, `ErrImagePull`,
/// `Error`), else the phase.
pub fn pod_status(pod: &Pod) -> String {
    let status = &pod.status;
    if !status.reason.is_empty() {
        return status.reason.clone();
    }
    let done = status.phase == "Succeeded";
    let reason = status.container_statuses.iter().find_map(|c| {
        if let Some(w) = c.state.get("waiting").filter(|w| !w.reason.is_empty()) {
            return Some(w.reason.clone());
        }
        let t = c.state.get("terminated").filter(|_| !done)?;
        Some(if t.reason.is_empty() {
            format!("exit code {}", t.exit_code)
        } else {
            t.reason.clone()
        })
    });
    reason.unwrap_or_else(|| match status.phase.as_str() {
        "" => "Unknown".to_string(),
        phase => phase.to_string(),
    })
}

/// Whether the pod needs a look: not running (or done), or a container not ready.
pub fn troubled(pod: &Pod) -> bool {
    match pod.status.phase.as_str() {
        "Succeeded" => false,
        "Running" => {
            let (ready, total) = ready(pod);
            ready < total || !pod.status.reason.is_empty()
        }
        _ => true,
    }
}

/// Ready containers and containers, `1/2` in the table.
pub fn ready(pod: &Pod) -> (usize, usize) {
    let statuses = &pod.status.container_statuses;
    let ready = statuses.iter().filter(|c| c.ready).count();
    (ready, pod.spec.containers.len().max(statuses.len()))
}

/// Restarts of all the pod's containers.
pub fn restarts(pod: &Pod) -> u32 {
    pod.status
        .container_statuses
        .iter()
        .map(|c| c.restart_count)
        .sum()
}

/// The pod's containers with their status (none while it is being scheduled), in the order
/// of its spec.
pub fn containers(pod: &Pod) -> Vec<(String, String, Option<&PodContainerStatus>)> {
    let statuses = &pod.status.container_statuses;
    let mut list: Vec<(String, String, Option<&PodContainerStatus>)> = pod
        .spec
        .containers
        .iter()
        .map(|c| {
            let status = statuses.iter().find(|s| s.name == c.name);
            (c.name.clone(), c.image.clone(), status)
        })
        .collect();
    // A status without a spec entry (a spec Portlight could not read) is still a container.
    for s in statuses {
        if !list.iter().any(|(name, ..)| *name == s.name) {
            list.push((s.name.clone(), String::new(), Some(s)));
        }
    }
    list
}

/// `running`, `waiting: CrashLoopBackOff`, `terminated: Completed (0)`; `pending` before the
/// kubelet reports.
pub fn container_state(status: Option<&PodContainerStatus>) -> String {
    let Some(status) = status else {
        return "pending".into();
    };
    state_label(&status.state)
}

fn state_label(state: &PodContainerState) -> String {
    let Some((kind, detail)) = state.iter().next() else {
        return "pending".into();
    };
    match kind.as_str() {
        "terminated" => {
            let reason = if detail.reason.is_empty() {
                "terminated"
            } else {
                &detail.reason
            };
            format!("{reason} ({})", detail.exit_code)
        }
        _ if detail.reason.is_empty() => kind.clone(),
        _ => format!("{kind}: {}", detail.reason),
    }
}

/// The previous run, for a container that restarted: `last run: Error (1)`.
pub fn last_run(status: Option<&PodContainerStatus>) -> Option<String> {
    let last = &status?.last_state;
    last.contains_key("terminated")
        .then(|| format!("last run: {}", state_label(last)))
}

/// Whether the container runs now.
pub fn is_running(status: Option<&PodContainerStatus>) -> bool {
    status.is_some_and(|s| s.state.contains_key("running"))
}

/// A pod container's log source, `pod/container` as `kubectl logs --prefix` names it: the
/// key of the stack log view's selection and the prefix of its lines.
pub fn log_key(pod: &str, container: &str) -> String {
    format!("{pod}/{container}")
}

#[cfg(test)]
mod tests;
