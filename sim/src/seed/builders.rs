//! Builders shared by the demo and `--scale`: environments, stacks, and the Docker objects
//! `docker compose` would create for them (`docker stack deploy`'s are in `swarm`).

use std::collections::BTreeMap;

use crate::model::docker::{
    hex_id, Container, Health, LogKind, Mount, Port, RunState, LABEL_COMPOSE_PROJECT,
    LABEL_COMPOSE_SERVICE,
};
use crate::model::endpoint::{
    blank_snapshot_raw, DockerSnapshot, Endpoint, KubernetesData, SecuritySettings, TlsConfig,
    ENV_AGENT_KUBERNETES, ENV_EDGE_AGENT_DOCKER, ENV_UP,
};
use crate::model::stack::{
    normalize_stack_name, GitAuthentication, GitConfig, ResourceControl, Stack, StackOption,
    STACK_ACTIVE, STACK_INACTIVE, STACK_KUBERNETES, STACK_SWARM,
};
use crate::model::Pair;
use crate::state::State;

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
        trusted: kind == ENV_EDGE_AGENT_DOCKER,
        swarm_id: None,
        host_down: false,
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

pub(super) fn ports(list: &[(u16, Option<u16>)]) -> Vec<Port> {
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

pub(super) fn image_id(image: &str) -> String {
    format!("sha256:{}", hex_id(&format!("image/{image}")))
}

pub(super) fn base_env(extra: &[&str]) -> Vec<String> {
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
        let image = image_id(spec.image);
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
            ("com.docker.compose.image", image.clone()),
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
            image_id: image,
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

pub fn add_stack(state: &mut State, stack: Stack, file: &str, rc: Option<ResourceControl>) {
    state.stack_files.insert(stack.id, file.into());
    if let Some(rc) = rc {
        state.resource_controls.push(rc);
    }
    state.stacks.push(stack);
}

/// A container started with `docker run`, outside any stack.
pub fn standalone_container(
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
