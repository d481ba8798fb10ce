//! The deterministic demo (personas documented in [`crate::demo`]) and the builders that
//! `--scale` reuses.

mod builders;
mod busy;
pub mod files;
mod kubernetes;
mod lab;
pub mod logs;
mod stacks;
mod swarm;
mod unreachable;

pub use builders::{
    compose_containers, docker_snapshot, endpoint, git, stack, ContainerSpec, StackSeed,
};
pub use busy::busy_stack;
pub use swarm::{swarm_objects, ServiceSpec};

use crate::demo::{self, *};
use crate::model::endpoint::{
    policies, DockerSnapshot, Endpoint, EndpointGroup, KubernetesData, KubernetesSnapshot,
    TlsConfig, ENV_AGENT_DOCKER, ENV_AGENT_KUBERNETES, ENV_DOCKER, ENV_DOWN, ENV_EDGE_AGENT_DOCKER,
};
use crate::model::roles;
use crate::model::user::{
    ApiKey, Team, TeamMembership, User, ROLE_ADMIN, ROLE_STANDARD, TEAM_LEADER, TEAM_MEMBER,
};
use crate::state::{api_key_digest, State};

/// CE role ids used in access policies (the CE UI itself writes 0, which grants no role).
const ROLE_STANDARD_USER: i64 = 3;
const ROLE_READ_ONLY: i64 = 4;

/// Users, teams, memberships, roles and access tokens: the same in the demo and at scale (the
/// lab's grace and team research are added by the demo only).
pub fn people(state: &mut State) {
    state.users = vec![
        User::new(ADMIN_ID, "admin", ROLE_ADMIN, PASSWORD),
        User::new(ALICE_ID, "alice", ROLE_STANDARD, PASSWORD),
        User::new(BOB_ID, "bob", ROLE_STANDARD, PASSWORD),
        User::new(CAROL_ID, "carol", ROLE_STANDARD, PASSWORD),
        User::new(DAVE_ID, "dave", ROLE_STANDARD, PASSWORD).created_since_refresh(),
        User::new(ERIN_ID, "erin", ROLE_ADMIN, PASSWORD).created_since_refresh(),
    ];
    state.teams = [(TEAM_DEVS, "devs"), (TEAM_OPS, "ops"), (TEAM_QA, "qa")]
        .iter()
        .map(|&(id, name)| Team {
            id,
            name: name.into(),
        })
        .collect();
    state.memberships = [
        (1, ALICE_ID, TEAM_DEVS, TEAM_LEADER),
        (2, BOB_ID, TEAM_DEVS, TEAM_MEMBER),
        (3, BOB_ID, TEAM_OPS, TEAM_MEMBER),
    ]
    .iter()
    .map(|&(id, user_id, team_id, role)| TeamMembership {
        id,
        user_id,
        team_id,
        role,
    })
    .collect();
    state.roles = roles::all();
    // (key id, created, last used); key ids match `demo::TOKENS`.
    let dates: [(i64, i64, i64); 8] = [
        (1, 1_717_000_000, 1_751_000_000),
        (2, 1_736_000_000, 1_751_500_000),
        (3, 1_740_000_000, 1_752_000_000),
        (4, 1_725_000_000, 1_750_000_000),
        (5, 1_738_000_000, 1_741_500_000),
        (6, 1_745_000_000, 1_745_003_600),
        (7, 1_730_000_000, 1_749_000_000),
        (8, 1_712_000_000, 1_714_000_000),
    ];
    state.api_keys = demo::TOKENS
        .iter()
        .filter(|t| demo::kept_at_scale(t))
        .map(|t| {
            let (_, created, used) = dates.iter().copied().find(|d| d.0 == t.key_id).unwrap_or((
                t.key_id,
                1_717_000_000,
                0,
            ));
            ApiKey {
                id: t.key_id,
                user_id: t.user_id,
                description: t.description.into(),
                prefix: t.raw[..7].into(),
                date_created: created,
                last_used: used,
                digest: api_key_digest(t.raw),
            }
        })
        .collect();
    state.next_job_id = 10;
}

/// The three environment groups of the demo and of `--scale` (the lab adds two).
pub fn groups() -> Vec<EndpointGroup> {
    let mut production =
        EndpointGroup::new(GROUP_PRODUCTION, "Production", "Production swarm clusters");
    production.team_access_policies = policies(&[(TEAM_OPS, 0)]);
    let mut edge = EndpointGroup::new(
        GROUP_EDGE_SITES,
        "Edge sites",
        "Remote sites behind Edge agents",
    );
    edge.team_access_policies = policies(&[(TEAM_DEVS, 0)]);
    vec![
        EndpointGroup::new(GROUP_UNASSIGNED, "Unassigned", "Unassigned environments"),
        production,
        edge,
    ]
}

fn environments(boot: i64) -> Vec<Endpoint> {
    let mut local = endpoint(
        ENV_LOCAL,
        "local",
        ENV_DOCKER,
        "unix:///var/run/docker.sock",
        GROUP_UNASSIGNED,
    );
    local.snapshots = vec![docker_snapshot(boot - 95, false, 8, 16, 24)];
    local.user_access_policies = Some(policies(&[(CAROL_ID, ROLE_READ_ONLY)]));
    local.team_access_policies = policies(&[(TEAM_DEVS, ROLE_STANDARD_USER)]);

    let mut swarm = endpoint(
        ENV_PROD_SWARM,
        "prod-swarm",
        ENV_AGENT_DOCKER,
        "tcp://10.0.10.11:9001",
        GROUP_PRODUCTION,
    );
    swarm.tls_config = TlsConfig {
        tls: true,
        tls_skip_verify: true,
    };
    swarm.snapshots = vec![docker_snapshot(boot - 140, true, 24, 96, 41)];
    swarm.agent = serde_json::json!({ "Version": "2.23.0" });
    swarm.swarm_id = Some(PROD_SWARM_ID.into());

    let mut edge = endpoint(
        ENV_EDGE_SITE_7,
        "edge-site-7",
        ENV_EDGE_AGENT_DOCKER,
        "",
        GROUP_EDGE_SITES,
    );
    edge.edge_id = Some("7d3b9c2a-41f6-4e8b-9a0d-5c2e8f1b6a47".into());
    edge.edge_key = "aHR0cHM6Ly9wb3J0YWluZXIuYWNtZS5leGFtcGxlOjk0NDN8cG9ydGFpbmVyLmFjbWUuZXhhbXBsZTo4MDAwfGE5OmYzOjJkfDM".into();
    edge.edge_checkin_interval = 5;
    edge.snapshots = vec![DockerSnapshot {
        container_count: 2,
        running_container_count: 2,
        stack_count: 1,
        ..docker_snapshot(boot - 60, false, 4, 4, 6)
    }];
    edge.agent = serde_json::json!({ "Version": "2.23.0" });

    let mut staging = endpoint(
        ENV_STAGING,
        "staging",
        ENV_DOCKER,
        "tcp://10.0.4.21:2375",
        GROUP_UNASSIGNED,
    );
    staging.status = ENV_DOWN;
    staging
        .security_settings
        .allow_stack_management_for_regular_users = false;
    staging.user_access_policies = Some(policies(&[(BOB_ID, 0)]));
    staging.team_access_policies = policies(&[(TEAM_DEVS, ROLE_STANDARD_USER)]);
    // The last snapshot before the host went away.
    staging.snapshots = vec![DockerSnapshot {
        container_count: 2,
        running_container_count: 2,
        stack_count: 1,
        ..docker_snapshot(boot - 3 * 86_400, false, 4, 8, 12)
    }];

    let mut k8s = endpoint(
        ENV_K8S_LAB,
        "k8s-lab",
        ENV_AGENT_KUBERNETES,
        "k8s-lab.acme.internal:30778",
        GROUP_UNASSIGNED,
    );
    k8s.tls_config = TlsConfig {
        tls: true,
        tls_skip_verify: true,
    };
    k8s.user_access_policies = Some(policies(&[(ALICE_ID, ROLE_STANDARD_USER)]));
    k8s.kubernetes = KubernetesData::new(vec![KubernetesSnapshot {
        time: boot - 120,
        kubernetes_version: "v1.30.4".into(),
        node_count: 3,
        total_cpu: 12,
        total_memory: 50_465_865_728,
    }]);
    k8s.agent = serde_json::json!({ "Version": "2.23.0" });

    vec![local, swarm, edge, staging, k8s]
}

/// The seeded demo.
pub fn demo(boot: i64) -> State {
    let mut state = State::default();
    people(&mut state);
    state.groups = groups();
    state.endpoints = environments(boot);
    stacks::local(&mut state, boot);
    stacks::prod_swarm(&mut state, boot);
    unreachable::unreachable(&mut state);
    lab::lab(&mut state, boot);
    kubernetes::k8s_lab(&mut state, boot);
    state
}
