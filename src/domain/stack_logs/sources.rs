//! A stack's log sources: each container of a compose stack, each service of a swarm stack
//! (Docker's service logs gather the service's tasks, as `docker service logs` does), or each
//! container of a Kubernetes stack's pods.
//! And the prefix of each line: the source, or for a swarm service the task that wrote it,
//! `api.2@node-1`, read from the attributes Docker puts before the text with `details=1`.

use crate::domain::containers::Workload;
use crate::domain::pods::{self, StackPod};
use crate::portainer::{ContainerSummary, ServiceSummary, TaskSummary};

pub use crate::portainer::LogTarget;

/// One source of the stack's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackLogSource {
    /// Stable across redeploys, used in the URL: the container's name, or the service's.
    pub key: String,
    /// The line prefix: `web-1`, or the service name without the stack's `<stack>_`.
    pub label: String,
    pub target: LogTarget,
    /// `running`, `exited (1)`, `unhealthy`, `2/2 running`.
    pub state: String,
}

/// The stack's sources, by key: compose containers (running or not), or swarm services.
pub fn stack_log_sources(workload: &Workload, stack_name: &str) -> Vec<StackLogSource> {
    let mut sources: Vec<StackLogSource> = match workload {
        Workload::Containers(list) => list.iter().map(container_source).collect(),
        Workload::Swarm { services, tasks } => services
            .iter()
            .map(|s| service_source(s, tasks, stack_name))
            .collect(),
        Workload::Pods(pods) => pods.iter().flat_map(pod_sources).collect(),
    };
    crate::domain::order::sort_with(&mut sources, &|a, b| a.key.cmp(&b.key));
    sources
}

fn container_source(c: &ContainerSummary) -> StackLogSource {
    let name = c.display_name().to_string();
    // Compose names containers `<project>-<service>-<n>`; the service and number say enough.
    let label = match (
        c.labels.get("com.docker.compose.service"),
        c.labels.get("com.docker.compose.container-number"),
    ) {
        (Some(service), Some(n)) => format!("{service}-{n}"),
        _ => name.clone(),
    };
    use crate::domain::containers::Health;
    let state = match Health::from_status(&c.status) {
        Health::None => c.state.clone(),
        health => format!("{}, {}", c.state, health.label()),
    };
    StackLogSource {
        key: name,
        label,
        target: LogTarget::Container { id: c.id.clone() },
        state,
    }
}

fn service_source(s: &ServiceSummary, tasks: &[TaskSummary], stack_name: &str) -> StackLogSource {
    let name = &s.spec.name;
    let prefix = format!("{stack_name}_");
    StackLogSource {
        key: name.clone(),
        label: name.strip_prefix(&prefix).unwrap_or(name).to_string(),
        target: LogTarget::Service { id: s.id.clone() },
        state: crate::domain::containers::replicas_label(s, tasks),
    }
}

/// One source per container of a pod, named by [`pods::log_key`].
fn pod_sources(p: &StackPod) -> Vec<StackLogSource> {
    let meta = &p.pod.metadata;
    pods::containers(&p.pod)
        .into_iter()
        .map(|(container, _, status)| {
            let key = pods::log_key(&meta.name, &container);
            StackLogSource {
                label: key.clone(),
                key,
                target: LogTarget::Pod {
                    namespace: meta.namespace.clone(),
                    pod: meta.name.clone(),
                    container,
                },
                state: pods::container_state(status),
            }
        })
        .collect()
}

/// What a line's prefix names: a source, or one task of a swarm service. Lines carry the
/// index of their origin; the colour follows the source, so a service's tasks share one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origins {
    entries: Vec<(u32, String)>,
}

impl Origins {
    /// Origin `i` is source `i` until tasks are added.
    pub fn new(sources: &[StackLogSource]) -> Self {
        Self {
            entries: sources
                .iter()
                .enumerate()
                .map(|(i, s)| (i as u32, s.label.clone()))
                .collect(),
        }
    }

    /// The origin for `label` under `source`, added on first sight.
    pub fn intern(&mut self, source: u32, label: String) -> u32 {
        if let Some(i) = self
            .entries
            .iter()
            .position(|(s, l)| *s == source && *l == label)
        {
            return i as u32;
        }
        self.entries.push((source, label));
        (self.entries.len() - 1) as u32
    }

    pub fn label(&self, origin: u32) -> &str {
        self.entries
            .get(origin as usize)
            .map_or("?", |e| e.1.as_str())
    }

    pub fn source(&self, origin: u32) -> u32 {
        self.entries.get(origin as usize).map_or(0, |e| e.0)
    }
}

/// The attributes Docker writes before a service log line's text with `details=1`
/// (`api/server/httputils/write_log_stream.go`: `key=value` pairs sorted by key, values
/// query-escaped, joined by commas, then a space).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TaskDetails {
    pub node_id: String,
    pub task_id: String,
}

/// Splits the details off a service log line's text; a line without them is left whole.
pub fn split_details(text: &str) -> (Option<TaskDetails>, &str) {
    let (head, rest) = text.split_once(' ').unwrap_or((text, ""));
    if !head.starts_with("com.docker.swarm.") {
        return (None, text);
    }
    let mut details = TaskDetails::default();
    for pair in head.split(',') {
        let Some((key, value)) = pair.split_once('=') else {
            return (None, text);
        };
        let value = crate::percent::decode(value);
        match key {
            "com.docker.swarm.node.id" => details.node_id = value,
            "com.docker.swarm.task.id" => details.task_id = value,
            _ => {}
        }
    }
    (Some(details), rest)
}

/// A task's prefix, as `docker service logs` writes it: `<service>.<slot>@<node>` (a global
/// service's task has no slot). The node is its hostname when known, else its short id.
pub fn task_label(
    service_label: &str,
    details: &TaskDetails,
    tasks: &[TaskSummary],
    node_name: &dyn Fn(&str) -> Option<String>,
) -> String {
    let slot = tasks
        .iter()
        .find(|t| t.id == details.task_id)
        .and_then(|t| t.slot);
    let node = node_name(&details.node_id)
        .unwrap_or_else(|| details.node_id.chars().take(10).collect::<String>());
    match (slot, node.is_empty()) {
        (Some(slot), false) => format!("{service_label}.{slot}@{node}"),
        (Some(slot), true) => format!("{service_label}.{slot}"),
        (None, false) => format!("{service_label}@{node}"),
        (None, true) => service_label.to_string(),
    }
}
