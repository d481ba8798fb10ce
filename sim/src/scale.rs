//! `--scale STACKS,ENVS[,USERS,TEAMS]`: the demo's people (without the lab) with many generated
//! environments and stacks, and optionally generated users and teams with their policies (see
//! [`people`]), for benchmarks. Deterministic, and cheap to build (no per-stack work beyond a
//! few strings).

mod people;

pub use people::People;

use crate::demo::{
    ALICE_ID, BOB_ID, CAROL_ID, GROUP_EDGE_SITES, GROUP_PRODUCTION, GROUP_UNASSIGNED, TEAM_DEVS,
    TEAM_OPS,
};
use crate::model::docker::swarm_id;
use crate::model::docker::{LogKind, RunState};
use crate::model::endpoint::{
    policies, TlsConfig, ENV_AGENT_DOCKER, ENV_AGENT_KUBERNETES, ENV_DOCKER, ENV_DOWN,
    ENV_EDGE_AGENT_DOCKER,
};
use crate::model::endpoint::{KubernetesData, KubernetesSnapshot};
use crate::model::stack::{ResourceControl, STACK_COMPOSE, STACK_KUBERNETES, STACK_SWARM};
use crate::seed::{self, files, ContainerSpec, ServiceSpec, StackSeed};
use crate::state::State;

const WORDS: [&str; 12] = [
    "billing",
    "catalog",
    "checkout",
    "search",
    "auth",
    "reports",
    "mailer",
    "gateway",
    "media",
    "inventory",
    "analytics",
    "notify",
];
const IMAGES: [&str; 4] = [
    "ghcr.io/acme/service:1.4.2",
    "ghcr.io/acme/service:1.5.0",
    "nginx:1.27-alpine",
    "node:20-alpine",
];

/// What a generated stack needs of its environment.
struct Host {
    id: i64,
    kind: i64,
    swarm_id: Option<String>,
    reachable: bool,
}

/// A demo id, then a generated one if any.
fn with(first: i64, generated: Option<i64>) -> Vec<i64> {
    std::iter::once(first).chain(generated).collect()
}

pub fn generate(boot: i64, stack_count: usize, env_count: usize, extra: People) -> State {
    let mut state = State::default();
    seed::people(&mut state);
    people::add_people(&mut state, extra);
    state.groups = seed::groups();

    for i in 1..=env_count {
        let id = i as i64;
        let (kind, prefix) = match i % 10 {
            7 | 8 => (ENV_AGENT_DOCKER, "swarm"),
            9 => (ENV_EDGE_AGENT_DOCKER, "edge"),
            0 => (ENV_AGENT_KUBERNETES, "k8s"),
            _ => (ENV_DOCKER, "docker"),
        };
        let group = match kind {
            ENV_AGENT_DOCKER => GROUP_PRODUCTION,
            ENV_EDGE_AGENT_DOCKER => GROUP_EDGE_SITES,
            _ => GROUP_UNASSIGNED,
        };
        let url = match kind {
            ENV_EDGE_AGENT_DOCKER => String::new(),
            ENV_AGENT_KUBERNETES => format!("k8s-{i:03}.acme.internal:30778"),
            ENV_AGENT_DOCKER => format!("tcp://10.1.{}.{}:9001", i / 250, i % 250),
            _ => format!("tcp://10.2.{}.{}:2375", i / 250, i % 250),
        };
        let mut env = seed::endpoint(id, &format!("{prefix}-{i:03}"), kind, &url, group);
        if kind != ENV_EDGE_AGENT_DOCKER && i % 23 == 0 {
            env.status = ENV_DOWN;
        }
        match i % 4 {
            1 => env.team_access_policies = policies(&[(TEAM_DEVS, 3)]),
            2 => env.user_access_policies = Some(policies(&[(CAROL_ID, 4)])),
            3 => env.user_access_policies = Some(policies(&[(BOB_ID, 0), (ALICE_ID, 3)])),
            _ => {}
        }
        if i % 6 == 5 {
            env.team_access_policies.insert(
                TEAM_OPS,
                crate::model::endpoint::AccessPolicy { role_id: 0 },
            );
        }
        match kind {
            ENV_AGENT_KUBERNETES => {
                env.kubernetes = KubernetesData::new(vec![KubernetesSnapshot {
                    time: boot - 120,
                    kubernetes_version: "v1.30.4".into(),
                    node_count: 3,
                    total_cpu: 12,
                    total_memory: 50_465_865_728,
                }]);
            }
            _ => {
                let swarm = kind == ENV_AGENT_DOCKER;
                env.snapshots = vec![seed::docker_snapshot(boot - 100 - id, swarm, 8, 32, 20)];
                if swarm {
                    env.swarm_id = Some(swarm_id(&format!("swarm/{i}")));
                }
            }
        }
        if kind == ENV_EDGE_AGENT_DOCKER {
            env.edge_id = Some(format!("{:08x}-0000-4000-8000-{i:012}", i * 2_654_435));
            env.edge_checkin_interval = 5;
        }
        if kind == ENV_AGENT_DOCKER || kind == ENV_AGENT_KUBERNETES {
            env.tls_config = TlsConfig {
                tls: true,
                tls_skip_verify: true,
            };
            env.agent = serde_json::json!({ "Version": "2.23.0" });
        }
        state.endpoints.push(env);
    }

    let reach = if extra.any() {
        people::add_policies(&mut state, extra)
    } else {
        Vec::new()
    };

    // What the stacks need of their environment, read once rather than cloned per stack.
    let hosts: Vec<Host> = state
        .endpoints
        .iter()
        .map(|e| Host {
            id: e.id,
            kind: e.kind,
            swarm_id: e.swarm_id.clone(),
            reachable: e.status != ENV_DOWN && (e.kind == ENV_DOCKER || e.kind == ENV_AGENT_DOCKER),
        })
        .collect();
    let nodes = ["node-1", "node-2", "node-3"];
    for j in 1..=stack_count {
        let id = j as i64;
        let env = hosts.get((j - 1) % env_count.max(1));
        let env_id = env.map_or(1, |e| e.id);
        let env_kind = env.map_or(ENV_DOCKER, |e| e.kind);
        let kind = match env_kind {
            ENV_AGENT_KUBERNETES => STACK_KUBERNETES,
            ENV_AGENT_DOCKER if j % 2 == 0 => STACK_SWARM,
            _ => STACK_COMPOSE,
        };
        // Some names are not already normalised, as older Portainer versions allowed.
        let name = if j % 25 == 0 {
            format!("Billing.API-{j:04}")
        } else {
            format!("{}-{j:04}", WORDS[j % WORDS.len()])
        };
        let active = j % 9 != 0;
        let mut stack = seed::stack(StackSeed {
            id,
            name: &name,
            kind,
            endpoint_id: env_id,
            created: (["admin", "alice", "bob"][j % 3], 1_704_067_200 + id * 3_600),
            updated: (["alice", "bob", "admin"][j % 3], 1_735_689_600 + id * 1_800),
            env: &[("DB_PASSWORD", "generated-Db-pass"), ("LOG_LEVEL", "info")],
            active,
        });
        if kind == STACK_SWARM {
            stack.swarm_id = env.and_then(|e| e.swarm_id.clone()).unwrap_or_default();
        }
        if kind == STACK_KUBERNETES {
            stack.namespace = format!("ns-{}", j % 7);
        }
        if j % 3 == 0 {
            stack.git_config = Some(seed::git(
                &format!("https://github.com/acme/{}.git", WORDS[j % WORDS.len()]),
                "refs/heads/main",
                &stack.entry_point.clone(),
                None,
            ));
        }
        let rc = ResourceControl::for_stack(id, env_id, &name);
        let (team, user) = people::named_in_rc(&reach, (j - 1) % env_count.max(1), j / 6, extra);
        let rc = match j % 6 {
            0 => Some(rc.teams(&with(TEAM_DEVS, team))),
            1 => Some(rc.teams(&[TEAM_OPS])),
            2 => Some(rc.public()),
            3 => Some(rc.users(&with(ALICE_ID, user))),
            4 => Some(rc.administrators_only()),
            _ => None,
        };
        let reachable = env.is_some_and(|e| e.reachable);
        let image = IMAGES[j % IMAGES.len()];
        let state_now = if active {
            RunState::Running
        } else {
            RunState::Exited(0)
        };
        if reachable && kind == STACK_COMPOSE {
            seed::compose_containers(
                &mut state,
                &stack,
                &[
                    ContainerSpec {
                        state: state_now,
                        ..ContainerSpec::running("app", image, LogKind::App)
                    },
                    ContainerSpec {
                        state: state_now,
                        ..ContainerSpec::running("db", "postgres:16.3", LogKind::Postgres)
                    },
                ],
                boot,
                (j % 1000) as u32,
            );
        } else if reachable && kind == STACK_SWARM {
            seed::swarm_objects(
                &mut state,
                &stack,
                &[ServiceSpec {
                    service: "app",
                    image,
                    replicas: 1,
                    ports: &[],
                    log: LogKind::App,
                    env: &[],
                    failed_slot: None,
                    health: None,
                }],
                &nodes,
                boot,
            );
        }
        let file = if kind == STACK_KUBERNETES {
            files::generated_manifest(&name.to_lowercase(), &stack.namespace)
        } else {
            files::generated_compose(&name, image, kind == STACK_SWARM)
        };
        state.stack_files.insert(id, file);
        if let Some(rc) = rc {
            state.resource_controls.push(rc);
        }
        state.stacks.push(stack);
    }
    state
}

#[cfg(test)]
mod tests;
