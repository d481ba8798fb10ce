//! `--busy-stack` (`Config::busy_stack`): one more compose stack, [`BUSY_STACK`], whose ten
//! running containers give a benchmark many logs to follow at once (with
//! `--log-lines-per-sec`). Added after the demo (or the generated data) with the next free
//! stack and ResourceControl ids, on environment 1 (`local` in the demo), public (every user
//! lists it, as every user lists `monitoring`); nothing else changes.

use super::builders::{add_stack, compose_containers, stack, ContainerSpec, StackSeed};
use crate::demo::{BUSY_STACK, ENV_LOCAL};
use crate::model::docker::LogKind;
use crate::model::stack::{ResourceControl, STACK_COMPOSE};
use crate::state::State;

/// Its services: (name, image, what its log says).
const SERVICES: [(&str, &str, LogKind); 10] = [
    ("gateway", "nginx:1.27-alpine", LogKind::Nginx),
    ("web", "ghcr.io/acme/web:2.4.1", LogKind::App),
    ("api", "ghcr.io/acme/api:2.4.1", LogKind::App),
    ("auth", "ghcr.io/acme/auth:1.9.0", LogKind::App),
    ("orders", "ghcr.io/acme/orders:3.0.2", LogKind::App),
    ("search", "ghcr.io/acme/search:0.8.5", LogKind::Generic),
    ("worker", "ghcr.io/acme/worker:2.4.1", LogKind::Worker),
    (
        "scheduler",
        "ghcr.io/acme/scheduler:1.2.0",
        LogKind::Generic,
    ),
    ("cache", "redis:7.2", LogKind::Redis),
    ("db", "postgres:16.3", LogKind::Postgres),
];

/// Its `docker-compose.yml`.
fn file() -> String {
    let mut file = String::from("services:\n");
    for (name, image, _) in SERVICES {
        file.push_str(&format!(
            "  {name}:\n    image: {image}\n    restart: unless-stopped\n"
        ));
    }
    file
}

pub fn busy_stack(state: &mut State, boot: i64) {
    let id = state.stacks.iter().map(|s| s.id).max().unwrap_or(0) + 1;
    let rc_id = state
        .resource_controls
        .iter()
        .map(|rc| rc.id)
        .max()
        .unwrap_or(0)
        + 1;
    let busy = stack(StackSeed {
        id,
        name: BUSY_STACK,
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("admin", 1_752_500_000),
        updated: ("admin", 1_752_500_000),
        env: &[],
        active: true,
    });
    let specs: Vec<ContainerSpec> = SERVICES
        .iter()
        .map(|&(name, image, log)| ContainerSpec::running(name, image, log))
        .collect();
    compose_containers(state, &busy, &specs, boot, (id % 1000) as u32);
    let rc = ResourceControl::for_stack(rc_id, ENV_LOCAL, BUSY_STACK).public();
    add_stack(state, busy, &file(), Some(rc));
}
