//! `GET /services/{id}/logs` (§5.4a): the logs of a service's task containers in one answer
//! (`api/server/router/swarm/helpers.go` `swarmLogs`, `daemon/cluster/services.go`
//! `ServiceLogs`).

use std::collections::BTreeMap;

use super::{Follow, LogRequest, Logs, Source};
use crate::model::docker::{Service, Task, LABEL_SWARM_SERVICE_ID, LABEL_SWARM_TASK_ID};
use crate::state::State;

/// The attribute keys `ServiceLogs` sets on every line (`contextPrefix` + `.node.id`,
/// `.service.id`, `.task.id`), overriding any the task's log driver added.
const LABEL_SWARM_NODE_ID: &str = "com.docker.swarm.node.id";

/// The answer for a found service. Without `follow`, only tasks that reached `running` are
/// read (swarmkit's `subscription.match`); a task whose container is gone has nothing to read.
pub fn service_logs(db: &State, service: &Service, request: LogRequest) -> Logs {
    let sources = sources(db, service.env_id, &service.id);
    Logs {
        // `swarmLogs` takes the TTY from the service's container spec, which its task
        // containers were created from.
        tty: sources.iter().any(|s| s.container.tty),
        follow: request.follow.then(|| Follow::Service {
            env_id: service.env_id,
            service_id: service.id.clone(),
        }),
        sources,
        request,
    }
}

/// The service's tasks that have a container, by slot, each with its line attributes.
pub fn sources(db: &State, env_id: i64, service_id: &str) -> Vec<Source> {
    let mut tasks: Vec<&Task> = db
        .tasks
        .iter()
        .filter(|t| t.env_id == env_id && t.service_id == service_id)
        .collect();
    tasks.sort_by_key(|t| t.slot);
    tasks
        .into_iter()
        .filter_map(|t| {
            let container = db.containers.iter().find(|c| c.id == t.container_id)?;
            Some(Source {
                container: container.clone(),
                attrs: task_attrs(t),
            })
        })
        .collect()
}

/// `attrsByteSlice` of a task's attributes: sorted by key, each side query-escaped.
fn task_attrs(task: &Task) -> String {
    let attrs = BTreeMap::from([
        (LABEL_SWARM_NODE_ID, task.node_id.as_str()),
        (LABEL_SWARM_SERVICE_ID, task.service_id.as_str()),
        (LABEL_SWARM_TASK_ID, task.id.as_str()),
    ]);
    attrs
        .iter()
        .map(|(k, v)| format!("{}={}", query_escape(k), query_escape(v)))
        .collect::<Vec<_>>()
        .join(",")
}

/// Go's `url.QueryEscape`: unreserved characters stay, a space becomes `+`, every other byte
/// `%XX`.
fn query_escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::query_escape;

    #[test]
    fn escapes_like_go() {
        assert_eq!(
            query_escape("com.docker.swarm.node.id"),
            "com.docker.swarm.node.id"
        );
        assert_eq!(query_escape("a b,c=d/é"), "a+b%2Cc%3Dd%2F%C3%A9");
    }
}
