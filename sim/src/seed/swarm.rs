//! What `docker stack deploy` creates (services, tasks and their containers) and the swarm
//! nodes they run on.

use std::collections::BTreeMap;

use super::builders::{base_env, image_id, ports};
use crate::model::docker::{
    hex_id, swarm_id, Container, Health, LogKind, RunState, Service, Task, LABEL_STACK_NAMESPACE,
    LABEL_SWARM_SERVICE_ID, LABEL_SWARM_SERVICE_NAME, LABEL_SWARM_TASK_ID,
};
use crate::model::node::Node;
use crate::model::stack::{normalize_stack_name, Stack};
use crate::state::State;

/// A swarm service of a stack.
pub struct ServiceSpec {
    pub service: &'static str,
    pub image: &'static str,
    pub replicas: i64,
    pub ports: &'static [(u16, Option<u16>)],
    pub log: LogKind,
    pub env: &'static [&'static str],
    /// A replica slot whose container has failed (exit code 1).
    pub failed_slot: Option<i64>,
    pub health: Option<Health>,
}

/// Services, tasks and task containers of a swarm stack, spread over the nodes.
pub fn swarm_objects(
    state: &mut State,
    stack: &Stack,
    specs: &[ServiceSpec],
    nodes: &[&str],
    boot: i64,
) {
    swarm_nodes(state, stack.endpoint_id, nodes, stack.creation_date, boot);
    let namespace = normalize_stack_name(&stack.name);
    let created = stack.creation_date;
    for (n, spec) in specs.iter().enumerate() {
        let service_name = format!("{namespace}_{}", spec.service);
        let service_id = swarm_id(&format!("service/{}/{service_name}", stack.endpoint_id));
        state.services.push(Service {
            id: service_id.clone(),
            env_id: stack.endpoint_id,
            stack_id: Some(stack.id),
            name: service_name.clone(),
            namespace: namespace.clone(),
            image: spec.image.into(),
            replicas: spec.replicas,
            created_at: created,
            updated_at: stack.update_date.max(created),
            version: 1000 + 17 * n as i64,
            ports: ports(spec.ports),
            env: spec.env.iter().map(|s| s.to_string()).collect(),
        });
        for slot in 1..=spec.replicas {
            let task_id = swarm_id(&format!("task/{service_id}/{slot}"));
            let node = nodes[(n + slot as usize - 1) % nodes.len()];
            let node_id = Node::id_for(stack.endpoint_id, node);
            let container_name = format!("{service_name}.{slot}.{task_id}");
            let container_id = hex_id(&format!("container/{}/{container_name}", stack.endpoint_id));
            let failed = spec.failed_slot == Some(slot);
            let labels: BTreeMap<String, String> = [
                (LABEL_STACK_NAMESPACE, namespace.clone()),
                ("com.docker.swarm.node.id", node_id.clone()),
                (LABEL_SWARM_SERVICE_ID, service_id.clone()),
                (LABEL_SWARM_SERVICE_NAME, service_name.clone()),
                ("com.docker.swarm.task", String::new()),
                (LABEL_SWARM_TASK_ID, task_id.clone()),
                (
                    "com.docker.swarm.task.name",
                    format!("{service_name}.{slot}.{task_id}"),
                ),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            let age = 26 * 3600 + 300 * slot;
            state.containers.push(Container {
                id: container_id.clone(),
                name: container_name,
                env_id: stack.endpoint_id,
                stack_id: Some(stack.id),
                image: format!(
                    "{}@sha256:{}",
                    spec.image,
                    hex_id(&format!("digest/{}", spec.image))
                ),
                image_id: image_id(spec.image),
                command: Vec::new(),
                created: stack.update_date.max(created) + 30,
                labels,
                state: if failed {
                    RunState::Exited(1)
                } else {
                    RunState::Running
                },
                started_at: boot - age,
                finished_at: if failed { boot - age + 4 * 3600 } else { 0 },
                health: if failed { None } else { spec.health },
                tty: false,
                ports: Vec::new(),
                network: "ingress".into(),
                ip: format!("10.0.1.{}", 10 + 4 * n + slot as usize),
                node: Some(node.into()),
                env: base_env(spec.env),
                mounts: Vec::new(),
                log_kind: spec.log,
                restart_count: 0,
            });
            state.tasks.push(Task {
                id: task_id,
                env_id: stack.endpoint_id,
                stack_id: Some(stack.id),
                service_id: service_id.clone(),
                namespace: namespace.clone(),
                slot,
                node_id,
                container_id,
                image: spec.image.into(),
                created_at: stack.update_date.max(created) + 25,
                desired_state: "running",
            });
        }
    }
}

/// The nodes of an environment's swarm, added the first time a stack lands on it: the first
/// hostname is the manager (and leader), the others workers. Addresses follow the
/// environment's URL (its agent listens on the manager), and the snapshot's CPUs and memory
/// are shared out evenly.
fn swarm_nodes(state: &mut State, env_id: i64, hostnames: &[&str], created: i64, boot: i64) {
    if state.nodes.iter().any(|n| n.env_id == env_id) {
        return;
    }
    let env = state.endpoint(env_id);
    let count = hostnames.len().max(1) as i64;
    let (cpus, memory) = env
        .and_then(|e| e.snapshots.first())
        .map_or((8, 32 << 30), |s| {
            (s.total_cpu / count, s.total_memory / count)
        });
    let base = env.map_or([10, 0, 0, 11], |e| {
        ipv4_of(&e.url).unwrap_or([10, 0, 0, 11])
    });
    for (i, hostname) in hostnames.iter().enumerate() {
        let n = i as i64;
        let last = base[3].saturating_add(i as u8);
        state.nodes.push(Node {
            id: Node::id_for(env_id, hostname),
            env_id,
            hostname: hostname.to_string(),
            manager: i == 0,
            addr: format!("{}.{}.{}.{last}", base[0], base[1], base[2]),
            version: 10 + 7 * n,
            created_at: created - 3600 + 60 * n,
            updated_at: boot - 30 - n,
            nano_cpus: cpus * 1_000_000_000,
            memory_bytes: memory,
        });
    }
}

/// The IPv4 address of `tcp://a.b.c.d:port`.
fn ipv4_of(url: &str) -> Option<[u8; 4]> {
    let host = url.split_once("://")?.1.split(':').next()?;
    let octets: Vec<u8> = host.split('.').filter_map(|o| o.parse().ok()).collect();
    octets.try_into().ok()
}
