//! The deterministic demo (personas documented in [`crate::demo`]) and the builders that
//! `--scale` reuses.

pub mod files;
pub mod logs;

use std::collections::BTreeMap;

use crate::demo::{self, *};
use crate::model::docker::{
    hex_id, swarm_id, Container, Health, LogKind, Mount, Port, RunState, Service, Task,
    LABEL_COMPOSE_PROJECT, LABEL_COMPOSE_SERVICE, LABEL_STACK_NAMESPACE, LABEL_SWARM_SERVICE_ID,
    LABEL_SWARM_SERVICE_NAME, LABEL_SWARM_TASK_ID,
};
use crate::model::endpoint::{
    blank_snapshot_raw, policies, DockerSnapshot, Endpoint, EndpointGroup, KubernetesData,
    KubernetesSnapshot, SecuritySettings, TlsConfig, ENV_AGENT_DOCKER, ENV_AGENT_KUBERNETES,
    ENV_DOCKER, ENV_DOWN, ENV_EDGE_AGENT_DOCKER, ENV_UP,
};
use crate::model::roles;
use crate::model::stack::{
    normalize_stack_name, AutoUpdate, GitAuthentication, GitConfig, ResourceControl, Stack,
    StackOption, STACK_ACTIVE, STACK_COMPOSE, STACK_INACTIVE, STACK_KUBERNETES, STACK_SWARM,
};
use crate::model::user::{
    ApiKey, Team, TeamMembership, User, ROLE_ADMIN, ROLE_STANDARD, TEAM_LEADER, TEAM_MEMBER,
};
use crate::model::Pair;
use crate::state::{api_key_digest, State};

/// CE role ids used in access policies (the CE UI itself writes 0, which grants no role).
const ROLE_STANDARD_USER: i64 = 3;
const ROLE_READ_ONLY: i64 = 4;

/// Users, teams, memberships, roles and access tokens: the same in the demo and at scale.
pub fn people(state: &mut State) {
    state.users = vec![
        User::new(ADMIN_ID, "admin", ROLE_ADMIN, PASSWORD),
        User::new(ALICE_ID, "alice", ROLE_STANDARD, PASSWORD),
        User::new(BOB_ID, "bob", ROLE_STANDARD, PASSWORD),
        User::new(CAROL_ID, "carol", ROLE_STANDARD, PASSWORD),
        User::new(DAVE_ID, "dave", ROLE_STANDARD, PASSWORD),
        User::new(ERIN_ID, "erin", ROLE_ADMIN, PASSWORD),
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
        (5, 1_738_000_000, 0),
        (6, 1_745_000_000, 1_745_003_600),
        (7, 1_730_000_000, 1_749_000_000),
        (8, 1_712_000_000, 1_714_000_000),
    ];
    state.api_keys = demo::TOKENS
        .iter()
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

/// The three environment groups.
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

/// An environment with Portainer's defaults; callers set what differs.
pub fn endpoint(id: i64, name: &str, kind: i64, url: &str, group_id: i64) -> Endpoint {
    Endpoint {
        id,
        name: name.into(),
        kind,
        container_engine: Some(
            if kind == ENV_AGENT_KUBERNETES {
                ""
            } else {
                "docker"
            }
            .into(),
        ),
        url: url.into(),
        group_id,
        public_url: String::new(),
        gpus: Vec::new(),
        tls_config: TlsConfig {
            tls: false,
            tls_skip_verify: false,
        },
        azure_credentials: serde_json::json!({
            "ApplicationID": "", "TenantID": "", "AuthenticationKey": ""
        }),
        tag_ids: Vec::new(),
        status: ENV_UP,
        snapshots: Vec::new(),
        user_access_policies: Some(BTreeMap::new()),
        team_access_policies: BTreeMap::new(),
        edge_id: None,
        edge_key: String::new(),
        edge_checkin_interval: 0,
        kubernetes: KubernetesData::new(Vec::new()),
        compose_syntax_max_version: String::new(),
        security_settings: SecuritySettings::default(),
        last_check_in_date: 0,
        query_date: 0,
        heartbeat: false,
        user_trusted: None,
        post_init_migrations: serde_json::json!({ "MigrateIngresses": true, "MigrateGPUs": true }),
        edge: serde_json::json!({
            "AsyncMode": false, "PingInterval": 0, "SnapshotInterval": 0, "CommandInterval": 0
        }),
        agent: serde_json::json!({ "Version": "" }),
        enable_gpu_management: None,
        authorized_users: None,
        authorized_teams: None,
        tags: None,
        is_edge_device: None,
        trusted: true,
        swarm_id: None,
    }
}

/// A Docker snapshot; container and stack counts are replaced by live figures when the
/// simulator has containers for the environment.
pub fn docker_snapshot(
    time: i64,
    swarm: bool,
    cpus: i64,
    memory_gib: i64,
    images: i64,
) -> DockerSnapshot {
    DockerSnapshot {
        time,
        docker_version: "27.1.2".into(),
        swarm,
        total_cpu: cpus,
        total_memory: memory_gib * 1_073_741_824,
        container_count: 0,
        running_container_count: 0,
        stopped_container_count: 0,
        healthy_container_count: 0,
        unhealthy_container_count: 0,
        volume_count: images / 3,
        image_count: images,
        service_count: 0,
        stack_count: 0,
        docker_snapshot_raw: blank_snapshot_raw(),
        node_count: if swarm { 3 } else { 1 },
        gpu_use_all: false,
        gpu_use_list: Vec::new(),
        is_podman: false,
    }
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

/// Common stack fields.
pub struct StackSeed<'a> {
    pub id: i64,
    pub name: &'a str,
    pub kind: i64,
    pub endpoint_id: i64,
    pub created: (&'a str, i64),
    pub updated: (&'a str, i64),
    pub env: &'a [(&'a str, &'a str)],
    pub active: bool,
}

pub fn stack(seed: StackSeed) -> Stack {
    let entry_point = if seed.kind == STACK_KUBERNETES {
        "manifest.yml"
    } else {
        "docker-compose.yml"
    };
    Stack {
        id: seed.id,
        name: seed.name.into(),
        kind: seed.kind,
        endpoint_id: seed.endpoint_id,
        swarm_id: String::new(),
        entry_point: entry_point.into(),
        env: Some(seed.env.iter().map(|&(n, v)| Pair::new(n, v)).collect()),
        resource_control: None,
        status: if seed.active {
            STACK_ACTIVE
        } else {
            STACK_INACTIVE
        },
        project_path: format!("/data/compose/{}", seed.id),
        creation_date: seed.created.1,
        created_by: seed.created.0.into(),
        update_date: seed.updated.1,
        updated_by: seed.updated.0.into(),
        additional_files: None,
        auto_update: None,
        option: if seed.kind == STACK_SWARM {
            Some(StackOption { prune: false })
        } else {
            None
        },
        git_config: None,
        from_app_template: false,
        namespace: String::new(),
        is_compose_format: None,
    }
}

/// A git-backed stack's repository settings.
pub fn git(url: &str, reference: &str, file: &str, auth: Option<(&str, &str)>) -> GitConfig {
    GitConfig {
        url: url.into(),
        reference_name: reference.into(),
        config_file_path: file.into(),
        authentication: auth.map(|(username, password)| GitAuthentication {
            username: username.into(),
            password: password.into(),
            git_credential_id: 0,
        }),
        // An older commit than the branch head, so a redeploy visibly moves it.
        config_hash: hex_id(&format!("commit/{url}/{reference}/previous"))[..40].into(),
        tls_skip_verify: false,
    }
}

/// A container of a compose service.
pub struct ContainerSpec {
    pub service: &'static str,
    pub image: &'static str,
    pub command: &'static [&'static str],
    pub state: RunState,
    pub health: Option<Health>,
    pub tty: bool,
    pub ports: &'static [(u16, Option<u16>)],
    pub log: LogKind,
    /// Seconds it has been up (running) or stopped (exited) when the simulator starts.
    pub age: i64,
    pub env: &'static [&'static str],
    pub volume: Option<(&'static str, &'static str)>,
}

impl ContainerSpec {
    pub const fn running(service: &'static str, image: &'static str, log: LogKind) -> Self {
        ContainerSpec {
            service,
            image,
            command: &[],
            state: RunState::Running,
            health: None,
            tty: false,
            ports: &[],
            log,
            age: 2 * 3600 + 600,
            env: &[],
            volume: None,
        }
    }
}

fn ports(list: &[(u16, Option<u16>)]) -> Vec<Port> {
    list.iter()
        .map(|&(private, public)| Port {
            private,
            public,
            proto: "tcp",
        })
        .collect()
}

/// A volume (named, prefixed like compose does) or, for an absolute source, a bind mount.
fn mount(volume: Option<(&str, &str)>, prefix: &str) -> Vec<Mount> {
    volume
        .map(|(source, destination)| {
            if source.starts_with('/') {
                Mount::Bind {
                    source: source.into(),
                    destination: destination.into(),
                }
            } else {
                Mount::Volume {
                    name: format!("{prefix}{source}"),
                    destination: destination.into(),
                }
            }
        })
        .into_iter()
        .collect()
}

fn image_id(image: &str) -> String {
    format!("sha256:{}", hex_id(&format!("image/{image}")))
}

fn base_env(extra: &[&str]) -> Vec<String> {
    let mut env: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    env.push("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into());
    env
}

/// Containers of a compose stack, named and labelled like `docker compose` does.
pub fn compose_containers(
    state: &mut State,
    stack: &Stack,
    specs: &[ContainerSpec],
    boot: i64,
    subnet: u32,
) {
    let project = normalize_stack_name(&stack.name);
    let dir = format!("/data/compose/{}", stack.id);
    for (n, spec) in specs.iter().enumerate() {
        let name = format!("{project}-{}-1", spec.service);
        let id = hex_id(&format!("container/{}/{name}", stack.endpoint_id));
        let created = stack.update_date.max(stack.creation_date) + 20 + n as i64;
        let (started_at, finished_at) = match spec.state {
            RunState::Running => (boot - spec.age, 0),
            _ => (boot - spec.age - 3 * 86_400, boot - spec.age),
        };
        let labels: BTreeMap<String, String> = [
            (
                "com.docker.compose.config-hash",
                hex_id(&format!("config/{name}")),
            ),
            ("com.docker.compose.container-number", "1".into()),
            ("com.docker.compose.depends_on", String::new()),
            ("com.docker.compose.image", image_id(spec.image)),
            ("com.docker.compose.oneoff", "False".into()),
            (LABEL_COMPOSE_PROJECT, project.clone()),
            (
                "com.docker.compose.project.config_files",
                format!("{dir}/{}", stack.entry_point),
            ),
            ("com.docker.compose.project.working_dir", dir.clone()),
            (LABEL_COMPOSE_SERVICE, spec.service.into()),
            ("com.docker.compose.version", "2.29.1".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let mounts = mount(spec.volume, &format!("{project}_"));
        state.containers.push(Container {
            id,
            name,
            env_id: stack.endpoint_id,
            stack_id: Some(stack.id),
            image: spec.image.into(),
            image_id: image_id(spec.image),
            command: spec.command.iter().map(|s| s.to_string()).collect(),
            created,
            labels,
            state: spec.state,
            started_at,
            finished_at,
            health: spec.health,
            tty: spec.tty,
            ports: ports(spec.ports),
            network: format!("{project}_default"),
            ip: format!("172.{}.{}.{}", 18 + subnet / 250, subnet % 250, 2 + n),
            node: None,
            env: base_env(spec.env),
            mounts,
            log_kind: spec.log,
            restart_count: 0,
        });
    }
}

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
            let node_id = swarm_id(&format!("node/{}/{node}", stack.endpoint_id));
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

fn add_stack(state: &mut State, stack: Stack, file: &str, rc: Option<ResourceControl>) {
    state.stack_files.insert(stack.id, file.into());
    if let Some(rc) = rc {
        state.resource_controls.push(rc);
    }
    state.stacks.push(stack);
}

/// The seeded demo.
pub fn demo(boot: i64) -> State {
    let mut state = State::default();
    people(&mut state);
    state.groups = groups();
    state.endpoints = environments(boot);
    let rc = ResourceControl::for_stack;

    // --- local --------------------------------------------------------------------------
    let mut web = stack(StackSeed {
        id: STACK_WEB_FRONTEND,
        name: "web-frontend",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("admin", 1_718_611_200),
        updated: ("alice", 1_736_847_000),
        env: &[
            ("API_URL", "https://api.acme.example"),
            ("SESSION_SECRET", "f3a9c1e7b2d84a6f9e0c5b7a1d3f8e2c"),
            ("LOG_LEVEL", "info"),
        ],
        active: true,
    });
    web.git_config = Some(git(
        "https://github.com/acme/web-frontend.git",
        "refs/heads/main",
        "docker-compose.yml",
        None,
    ));
    web.auto_update = Some(AutoUpdate {
        interval: "5m".into(),
        webhook: String::new(),
        job_id: "3".into(),
        force_update: false,
        force_pull_image: false,
    });
    compose_containers(
        &mut state,
        &web,
        &[
            ContainerSpec {
                health: Some(Health::Healthy),
                ports: &[(80, Some(8080))],
                command: &["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
                ..ContainerSpec::running("web", "nginx:1.27-alpine", LogKind::Nginx)
            },
            ContainerSpec {
                command: &["docker-entrypoint.sh", "node", "dist/server.js"],
                ports: &[(3000, None)],
                env: &[
                    "NODE_ENV=production",
                    "API_URL=https://api.acme.example",
                    "SESSION_SECRET=f3a9c1e7b2d84a6f9e0c5b7a1d3f8e2c",
                    "REDIS_URL=redis://redis:6379/0",
                ],
                ..ContainerSpec::running("app", "ghcr.io/acme/web-frontend:2.4.1", LogKind::App)
            },
            ContainerSpec {
                command: &["node", "dist/worker.js"],
                tty: true,
                env: &["REDIS_URL=redis://redis:6379/0"],
                ..ContainerSpec::running(
                    "worker",
                    "ghcr.io/acme/web-frontend:2.4.1",
                    LogKind::Worker,
                )
            },
            ContainerSpec {
                command: &[
                    "docker-entrypoint.sh",
                    "redis-server",
                    "--appendonly",
                    "yes",
                ],
                ports: &[(6379, None)],
                volume: Some(("redis-data", "/data")),
                ..ContainerSpec::running("redis", "redis:7.2-alpine", LogKind::Redis)
            },
        ],
        boot,
        1,
    );
    add_stack(
        &mut state,
        web,
        files::WEB_FRONTEND,
        Some(rc(1, ENV_LOCAL, "web-frontend").teams(&[TEAM_DEVS])),
    );

    let mut monitoring = stack(StackSeed {
        id: STACK_MONITORING,
        name: "monitoring",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("admin", 1_715_594_400),
        updated: ("admin", 1_729_000_000),
        env: &[
            ("GRAFANA_ADMIN_PASSWORD", "Gr4f4na-Adm1n!"),
            ("RETENTION", "15d"),
        ],
        active: true,
    });
    monitoring.additional_files = Some(vec!["docker-compose.alerting.yml".into()]);
    compose_containers(
        &mut state,
        &monitoring,
        &[
            ContainerSpec {
                command: &[
                    "/bin/prometheus",
                    "--config.file=/etc/prometheus/prometheus.yml",
                    "--storage.tsdb.retention.time=15d",
                ],
                ports: &[(9090, Some(9090))],
                volume: Some(("prometheus-data", "/prometheus")),
                age: 6 * 86_400,
                ..ContainerSpec::running(
                    "prometheus",
                    "prom/prometheus:v2.53.0",
                    LogKind::Prometheus,
                )
            },
            ContainerSpec {
                command: &["/run.sh"],
                ports: &[(3000, Some(3000))],
                health: Some(Health::Unhealthy),
                env: &[
                    "GF_SECURITY_ADMIN_PASSWORD=Gr4f4na-Adm1n!",
                    "GF_SERVER_ROOT_URL=https://grafana.acme.example",
                ],
                volume: Some(("grafana-data", "/var/lib/grafana")),
                ..ContainerSpec::running("grafana", "grafana/grafana:11.1.0", LogKind::Generic)
            },
            ContainerSpec {
                command: &["/bin/node_exporter", "--path.rootfs=/host"],
                state: RunState::Exited(1),
                volume: Some(("/", "/host")),
                age: 5 * 3600,
                ..ContainerSpec::running(
                    "node-exporter",
                    "prom/node-exporter:v1.8.1",
                    LogKind::Generic,
                )
            },
            ContainerSpec {
                command: &[
                    "/bin/alertmanager",
                    "--config.file=/etc/alertmanager/alertmanager.yml",
                ],
                ports: &[(9093, Some(9093))],
                ..ContainerSpec::running(
                    "alertmanager",
                    "prom/alertmanager:v0.27.0",
                    LogKind::Generic,
                )
            },
        ],
        boot,
        2,
    );
    add_stack(
        &mut state,
        monitoring,
        files::MONITORING,
        Some(rc(2, ENV_LOCAL, "monitoring").public()),
    );

    let db_admin = stack(StackSeed {
        id: STACK_DB_ADMIN,
        name: "db-admin",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("erin", 1_720_000_000),
        updated: ("erin", 1_733_300_000),
        env: &[
            ("DB_PASSWORD", "s3cr3t-Pg-2024"),
            ("ADMINER_DESIGN", "pepa-linha"),
        ],
        active: true,
    });
    compose_containers(
        &mut state,
        &db_admin,
        &[
            ContainerSpec {
                command: &["docker-entrypoint.sh", "postgres"],
                ports: &[(5432, None)],
                health: Some(Health::Healthy),
                env: &[
                    "POSTGRES_USER=app",
                    "POSTGRES_PASSWORD=s3cr3t-Pg-2024",
                    "POSTGRES_DB=app",
                ],
                volume: Some(("pg-data", "/var/lib/postgresql/data")),
                age: 3 * 86_400,
                ..ContainerSpec::running("postgres", "postgres:16.3", LogKind::Postgres)
            },
            ContainerSpec {
                command: &[
                    "entrypoint.sh",
                    "php",
                    "-S",
                    "[::]:8080",
                    "-t",
                    "/var/www/html",
                ],
                ports: &[(8080, Some(8081))],
                ..ContainerSpec::running("adminer", "adminer:4.8.1", LogKind::Generic)
            },
        ],
        boot,
        3,
    );
    add_stack(
        &mut state,
        db_admin,
        files::DB_ADMIN,
        Some(rc(3, ENV_LOCAL, "db-admin").administrators_only()),
    );

    let sandbox = stack(StackSeed {
        id: STACK_CAROL_SANDBOX,
        name: "carol-sandbox",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("carol", 1_738_000_000),
        updated: ("carol", 1_741_000_000),
        env: &[("JUPYTER_TOKEN", "c4r0l-n0t3b00k-t0k3n")],
        active: false,
    });
    compose_containers(
        &mut state,
        &sandbox,
        &[
            ContainerSpec {
                command: &["tini", "-g", "--", "start-notebook.py"],
                ports: &[(8888, Some(8888))],
                state: RunState::Exited(0),
                age: 4 * 86_400,
                volume: Some(("notebooks", "/home/jovyan/work")),
                ..ContainerSpec::running(
                    "notebook",
                    "jupyter/base-notebook:2024-05-27",
                    LogKind::Generic,
                )
            },
            ContainerSpec {
                command: &["sh"],
                tty: true,
                state: RunState::Exited(137),
                age: 4 * 86_400,
                ..ContainerSpec::running("shell", "alpine:3.20", LogKind::Worker)
            },
        ],
        boot,
        4,
    );
    add_stack(
        &mut state,
        sandbox,
        files::CAROL_SANDBOX,
        Some(rc(4, ENV_LOCAL, "carol-sandbox").users(&[CAROL_ID])),
    );

    let legacy = stack(StackSeed {
        id: STACK_LEGACY_APP,
        name: "legacy-app",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_LOCAL,
        created: ("admin", 1_706_000_000),
        updated: ("admin", 1_712_000_000),
        env: &[
            ("DB_PASSWORD", "legacy-Db-pass"),
            ("MYSQL_ROOT_PASSWORD", "r00t-My5ql!"),
        ],
        active: true,
    });
    compose_containers(
        &mut state,
        &legacy,
        &[
            ContainerSpec {
                command: &["docker-php-entrypoint", "apache2-foreground"],
                ports: &[(80, Some(8082))],
                age: 12 * 86_400,
                ..ContainerSpec::running("php", "php:7.4-apache", LogKind::Nginx)
            },
            ContainerSpec {
                command: &["docker-entrypoint.sh", "mysqld"],
                ports: &[(3306, None), (33060, None)],
                age: 12 * 86_400,
                volume: Some(("mysql-data", "/var/lib/mysql")),
                ..ContainerSpec::running("mysql", "mysql:5.7", LogKind::Generic)
            },
            ContainerSpec {
                command: &["php", "/app/cron.php"],
                state: RunState::Exited(2),
                age: 40 * 60,
                ..ContainerSpec::running("cron", "php:7.4-cli", LogKind::Generic)
            },
        ],
        boot,
        5,
    );
    add_stack(&mut state, legacy, files::LEGACY_APP, None);

    // Containers outside any stack: admins only.
    let portainer = ContainerSpec {
        command: &["/portainer"],
        ports: &[(9443, Some(9443)), (8000, Some(8000))],
        volume: Some(("portainer_data", "/data")),
        age: 9 * 86_400,
        ..ContainerSpec::running(
            "portainer",
            "portainer/portainer-ce:2.23.0",
            LogKind::Generic,
        )
    };
    standalone_container(&mut state, ENV_LOCAL, "portainer", &portainer, boot);
    let watchtower = ContainerSpec {
        command: &["/watchtower", "--schedule", "0 0 4 * * *"],
        volume: Some(("/var/run/docker.sock", "/var/run/docker.sock")),
        age: 9 * 86_400,
        ..ContainerSpec::running(
            "watchtower",
            "containrrr/watchtower:1.7.1",
            LogKind::Generic,
        )
    };
    standalone_container(&mut state, ENV_LOCAL, "watchtower", &watchtower, boot);

    // --- prod-swarm ---------------------------------------------------------------------
    let nodes = ["swarm-manager-1", "swarm-worker-1", "swarm-worker-2"];
    let mut gateway = stack(StackSeed {
        id: STACK_API_GATEWAY,
        name: "api-gateway",
        kind: STACK_SWARM,
        endpoint_id: ENV_PROD_SWARM,
        created: ("admin", 1_722_470_400),
        updated: ("bob", 1_745_000_000),
        env: &[
            ("JWT_SIGNING_KEY", "hs256-9d8c7b6a5f4e3d2c1b0a"),
            ("OIDC_CLIENT_SECRET", "oidc-Cl13nt-S3cr3t"),
        ],
        active: true,
    });
    gateway.swarm_id = PROD_SWARM_ID.into();
    gateway.git_config = Some(git(
        "https://github.com/acme/api-gateway.git",
        "refs/heads/production",
        "stack/docker-compose.yml",
        Some(("deploy-bot", "ghp_3xAmPl3T0k3nN0tR3al000000000000")),
    ));
    gateway.entry_point = "stack/docker-compose.yml".into();
    swarm_objects(
        &mut state,
        &gateway,
        &[
            ServiceSpec {
                service: "traefik",
                image: "traefik:v3.1",
                replicas: 2,
                ports: &[(80, Some(80)), (443, Some(443))],
                log: LogKind::Generic,
                env: &[],
                failed_slot: None,
                health: None,
            },
            ServiceSpec {
                service: "auth",
                image: "ghcr.io/acme/auth-service:1.9.0",
                replicas: 2,
                ports: &[],
                log: LogKind::App,
                env: &["LOG_LEVEL=info"],
                failed_slot: Some(2),
                health: Some(Health::Healthy),
            },
        ],
        &nodes,
        boot,
    );
    add_stack(
        &mut state,
        gateway,
        files::API_GATEWAY,
        Some(rc(6, ENV_PROD_SWARM, "api-gateway").teams(&[TEAM_OPS])),
    );

    let mut payments = stack(StackSeed {
        id: STACK_PAYMENTS,
        name: "payments",
        kind: STACK_SWARM,
        endpoint_id: ENV_PROD_SWARM,
        created: ("bob", 1_725_148_800),
        updated: ("bob", 1_748_000_000),
        env: &[
            ("DB_PASSWORD", "p4yments-Db!"),
            ("STRIPE_API_KEY", "sk_live_51Hx3xAmPl3N0tR3al"),
        ],
        active: true,
    });
    payments.swarm_id = PROD_SWARM_ID.into();
    swarm_objects(
        &mut state,
        &payments,
        &[
            ServiceSpec {
                service: "api",
                image: "ghcr.io/acme/payments-api:3.2.0",
                replicas: 3,
                ports: &[(8443, Some(8443))],
                log: LogKind::App,
                env: &[],
                failed_slot: None,
                health: Some(Health::Healthy),
            },
            ServiceSpec {
                service: "worker",
                image: "ghcr.io/acme/payments-worker:3.2.0",
                replicas: 1,
                ports: &[],
                log: LogKind::Worker,
                env: &[],
                failed_slot: None,
                health: Some(Health::Unhealthy),
            },
        ],
        &nodes,
        boot,
    );
    add_stack(
        &mut state,
        payments,
        files::PAYMENTS,
        Some(rc(7, ENV_PROD_SWARM, "payments").users(&[BOB_ID])),
    );

    // --- staging, edge, kubernetes, orphan ----------------------------------------------
    let staging = stack(StackSeed {
        id: STACK_STAGING_WEB,
        name: "staging-web",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_STAGING,
        created: ("alice", 1_730_000_000),
        updated: ("alice", 1_750_000_000),
        env: &[
            ("API_URL", "https://api.staging.acme.example"),
            ("SESSION_SECRET", "st4g1ng-s3ss10n-s3cr3t"),
        ],
        active: true,
    });
    add_stack(
        &mut state,
        staging,
        files::STAGING_WEB,
        Some(rc(8, ENV_STAGING, "staging-web").teams(&[TEAM_DEVS])),
    );

    let edge = stack(StackSeed {
        id: STACK_EDGE_COLLECTOR,
        name: "edge-collector",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_EDGE_SITE_7,
        created: ("alice", 1_735_000_000),
        updated: ("alice", 1_737_000_000),
        env: &[
            ("UPSTREAM_ENDPOINT", "https://otel.acme.example:4318"),
            ("UPSTREAM_API_KEY", "otel-k3y-51t3-7"),
        ],
        active: true,
    });
    add_stack(
        &mut state,
        edge,
        files::EDGE_COLLECTOR,
        Some(rc(9, ENV_EDGE_SITE_7, "edge-collector").teams(&[TEAM_DEVS])),
    );

    let mut k8s = stack(StackSeed {
        id: STACK_K8S_DEMO,
        name: "k8s-demo",
        kind: STACK_KUBERNETES,
        endpoint_id: ENV_K8S_LAB,
        created: ("alice", 1_740_000_000),
        updated: ("alice", 1_752_000_000),
        env: &[],
        active: true,
    });
    k8s.namespace = "demo".into();
    k8s.git_config = Some(git(
        "https://github.com/acme/k8s-demo.git",
        "refs/heads/main",
        "manifest.yml",
        None,
    ));
    add_stack(
        &mut state,
        k8s,
        files::K8S_DEMO,
        Some(rc(10, ENV_K8S_LAB, "k8s-demo").users(&[ALICE_ID])),
    );

    let old = stack(StackSeed {
        id: STACK_OLD_REPORTS,
        name: "old-reports",
        kind: STACK_COMPOSE,
        endpoint_id: ENV_MISSING,
        created: ("bob", 1_708_000_000),
        updated: ("bob", 1_709_000_000),
        env: &[("SMTP_PASSWORD", "sm7p-R3p0rts")],
        active: true,
    });
    add_stack(
        &mut state,
        old,
        files::OLD_REPORTS,
        Some(rc(11, ENV_MISSING, "old-reports").teams(&[TEAM_OPS])),
    );

    state
}

/// A container started with `docker run`, outside any stack.
fn standalone_container(
    state: &mut State,
    env_id: i64,
    name: &str,
    spec: &ContainerSpec,
    boot: i64,
) {
    state.containers.push(Container {
        id: hex_id(&format!("container/{env_id}/{name}")),
        name: name.into(),
        env_id,
        stack_id: None,
        image: spec.image.into(),
        image_id: image_id(spec.image),
        command: spec.command.iter().map(|s| s.to_string()).collect(),
        created: boot - spec.age - 600,
        labels: BTreeMap::new(),
        state: spec.state,
        started_at: boot - spec.age,
        finished_at: 0,
        health: spec.health,
        tty: false,
        ports: ports(spec.ports),
        network: "bridge".into(),
        ip: format!("172.17.0.{}", 2 + state.containers.len() % 200),
        node: None,
        env: base_env(spec.env),
        mounts: mount(spec.volume, ""),
        log_kind: spec.log,
        restart_count: 0,
    });
}
