//! Every path and query string the client sends, built here as pure functions so they can be
//! checked natively. Paths start with `/api`; [`url`] joins them to the configured base URL.

use super::logs::LogTarget;
use super::models::EndpointType;
use crate::percent::encode;
use serde::Serialize;

/// Cleans what an operator typed as Portainer's address: trims spaces and trailing slashes and
/// a trailing `/api` (every path here already starts with it). Empty means same origin.
pub fn normalize_base_url(input: &str) -> String {
    let mut base = input.trim().trim_end_matches('/');
    if let Some(stripped) = base.strip_suffix("/api") {
        base = stripped.trim_end_matches('/');
    }
    base.to_owned()
}

/// The full URL of `path` (which starts with `/api`).
pub fn url(base_url: &str, path: &str) -> String {
    format!("{}{path}", normalize_base_url(base_url))
}

/// Compose's project name for a stack, as Portainer computes it (`NormalizeStackName`):
/// lower case, with every character outside `[-_a-z0-9]` removed. `"My App_2!"` → `"myapp_2"`.
pub fn normalize_stack_name(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '_')
        .collect()
}

/// The label compose puts on a project's containers; Portainer names the project after the
/// stack ([`normalize_stack_name`]).
pub const COMPOSE_PROJECT: &str = "com.docker.compose.project";
/// The label `docker stack deploy` puts on a swarm stack's services, tasks and containers.
pub const STACK_NAMESPACE: &str = "com.docker.stack.namespace";

/// Docker's `filters` query value for one label, URL-encoded:
/// `{"label":["key=value"]}`.
pub fn label_filter(key: &str, value: &str) -> String {
    filters(&format!("{key}={value}"), None)
}

/// Docker's `filters` for one label (`key` or `key=value`) and, for tasks, a desired state.
fn filters(label: &str, desired_state: Option<&str>) -> String {
    #[derive(Serialize)]
    struct Filters<'a> {
        label: [&'a str; 1],
        #[serde(rename = "desired-state", skip_serializing_if = "Option::is_none")]
        desired_state: Option<[&'a str; 1]>,
    }
    let desired_state = desired_state.map(|s| [s]);
    let filters = Filters {
        label: [label],
        desired_state,
    };
    // Serialising a struct of strings cannot fail.
    encode(&serde_json::to_string(&filters).unwrap_or_default())
}

pub fn system_status() -> String {
    "/api/system/status".into()
}

/// Deprecated alias of [`system_status`], for servers that lack it.
pub fn legacy_status() -> String {
    "/api/status".into()
}

pub fn system_version() -> String {
    "/api/system/version".into()
}

pub fn public_settings() -> String {
    "/api/settings/public".into()
}

pub fn settings() -> String {
    "/api/settings".into()
}

pub fn motd() -> String {
    "/api/motd".into()
}

pub fn roles() -> String {
    "/api/roles".into()
}

pub fn users() -> String {
    "/api/users".into()
}

/// 2.20+ only.
pub fn users_me() -> String {
    "/api/users/me".into()
}

pub fn user(id: u32) -> String {
    format!("/api/users/{id}")
}

pub fn user_tokens(id: u32) -> String {
    format!("/api/users/{id}/tokens")
}

pub fn user_memberships(id: u32) -> String {
    format!("/api/users/{id}/memberships")
}

pub fn teams() -> String {
    "/api/teams".into()
}

pub fn team_memberships() -> String {
    "/api/team_memberships".into()
}

/// Query of `GET /api/endpoints`. The default lists everything without snapshots.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointQuery {
    /// 1-based index of the first environment (Portainer does `start--`).
    pub start: Option<u32>,
    /// 0 or `None`: no pagination.
    pub limit: Option<u32>,
    pub search: Option<String>,
    pub types: Vec<EndpointType>,
    pub group_ids: Vec<u32>,
    /// Snapshots are heavy; they are left out unless asked for.
    pub include_snapshots: bool,
}

/// `GET /api/endpoints`. Arrays use the bracket form (`types[]=1`): Portainer ignores `types=1`.
pub fn endpoints(query: &EndpointQuery) -> String {
    let mut params = Vec::new();
    if !query.include_snapshots {
        params.push("excludeSnapshots=true".to_owned());
    }
    if let Some(start) = query.start {
        params.push(format!("start={start}"));
    }
    if let Some(limit) = query.limit {
        params.push(format!("limit={limit}"));
    }
    if let Some(search) = query.search.as_deref().filter(|s| !s.is_empty()) {
        params.push(format!("search={}", encode(search)));
    }
    params.extend(
        query
            .types
            .iter()
            .map(|t| format!("types[]={}", t.as_u32())),
    );
    params.extend(query.group_ids.iter().map(|g| format!("groupIds[]={g}")));
    with_query("/api/endpoints".into(), &params)
}

pub fn endpoint(id: u32) -> String {
    format!("/api/endpoints/{id}")
}

pub fn endpoint_groups() -> String {
    "/api/endpoint_groups".into()
}

/// Without filters: every visible stack of every environment (a filter would drop swarm or
/// kubernetes stacks, see docs/portainer-api.md §3.1).
pub fn stacks() -> String {
    "/api/stacks".into()
}

pub fn stack(id: u32) -> String {
    format!("/api/stacks/{id}")
}

pub fn stack_file(id: u32) -> String {
    format!("/api/stacks/{id}/file")
}

/// `endpointId` is required since 2.19.
pub fn stack_start(id: u32, endpoint_id: u32) -> String {
    format!("/api/stacks/{id}/start?endpointId={endpoint_id}")
}

pub fn stack_stop(id: u32, endpoint_id: u32) -> String {
    format!("/api/stacks/{id}/stop?endpointId={endpoint_id}")
}

/// `endpointId` is required, and replaces the stored one.
pub fn stack_update(id: u32, endpoint_id: u32) -> String {
    format!("/api/stacks/{id}?endpointId={endpoint_id}")
}

/// Saves a git stack's reference and variables without a redeploy; without `endpointId`
/// Portainer would move the stack to environment 0.
pub fn stack_git_settings(id: u32, endpoint_id: u32) -> String {
    format!("/api/stacks/{id}/git?endpointId={endpoint_id}")
}

/// Without `endpointId` Portainer overwrites the stack's environment with 0.
pub fn stack_git_redeploy(id: u32, endpoint_id: u32) -> String {
    format!("/api/stacks/{id}/git/redeploy?endpointId={endpoint_id}")
}

fn docker(endpoint_id: u32, rest: &str) -> String {
    format!("/api/endpoints/{endpoint_id}/docker{rest}")
}

/// Containers (running or not) of a compose stack, by the normalised project label.
pub fn compose_stack_containers(endpoint_id: u32, stack_name: &str) -> String {
    let project = normalize_stack_name(stack_name);
    containers(endpoint_id, &format!("{COMPOSE_PROJECT}={project}"))
}

/// Containers (running or not) carrying `label` (`key` or `key=value`).
pub fn containers(endpoint_id: u32, label: &str) -> String {
    let filter = filters(label, None);
    docker(
        endpoint_id,
        &format!("/containers/json?all=1&filters={filter}"),
    )
}

/// Every container (running or not), for an environment holding compose and swarm stacks.
pub fn all_containers(endpoint_id: u32) -> String {
    docker(endpoint_id, "/containers/json?all=1")
}

/// Services of a swarm stack, by its namespace label.
pub fn swarm_stack_services(endpoint_id: u32, stack_name: &str) -> String {
    services(endpoint_id, &format!("{STACK_NAMESPACE}={stack_name}"))
}

/// Services carrying `label` (`key` or `key=value`).
pub fn services(endpoint_id: u32, label: &str) -> String {
    let filter = filters(label, None);
    docker(endpoint_id, &format!("/services?filters={filter}"))
}

/// Tasks of a swarm stack, by its namespace label.
pub fn swarm_stack_tasks(endpoint_id: u32, stack_name: &str) -> String {
    let filter = filters(&format!("{STACK_NAMESPACE}={stack_name}"), None);
    docker(endpoint_id, &format!("/tasks?filters={filter}"))
}

/// The tasks of every swarm stack that should be running: what health counts against.
pub fn running_stack_tasks(endpoint_id: u32) -> String {
    let filter = filters(STACK_NAMESPACE, Some("running"));
    docker(endpoint_id, &format!("/tasks?filters={filter}"))
}

/// A swarm's nodes (every role may list them, §5.3).
pub fn nodes(endpoint_id: u32) -> String {
    docker(endpoint_id, "/nodes")
}

pub fn container_inspect(endpoint_id: u32, container_id: &str) -> String {
    docker(
        endpoint_id,
        &format!("/containers/{}/json", encode(container_id)),
    )
}

/// What part of a container's log to fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogOptions {
    /// Last N lines; `None` for all.
    pub tail: Option<u32>,
    /// Prefix each line with Docker's RFC 3339 timestamp.
    pub timestamps: bool,
    pub stdout: bool,
    pub stderr: bool,
    /// Only lines after this.
    pub since: Option<Since>,
    /// Swarm node name for `X-PortainerAgent-Target`, when the environment is an agent on a
    /// swarm and the container lives on another node.
    pub node: Option<String>,
}

impl Default for LogOptions {
    fn default() -> Self {
        Self {
            tail: Some(200),
            timestamps: true,
            stdout: true,
            stderr: true,
            since: None,
            node: None,
        }
    }
}

/// A log's start: Docker takes a time, Kubernetes a number of seconds before now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Since {
    /// Unix seconds.
    pub at: i64,
    pub ago: u32,
}

/// `GET …/containers/{id}/logs` or `…/services/{id}/logs` (with `details=1`, so each line
/// names its task), or a pod container's log; `follow` keeps the answer open and streams.
pub fn logs(endpoint_id: u32, target: &LogTarget, options: &LogOptions, follow: bool) -> String {
    let (path, details) = match target {
        LogTarget::Container { id } => (format!("/containers/{}/logs", encode(id)), false),
        LogTarget::Service { id } => (format!("/services/{}/logs", encode(id)), true),
        LogTarget::Pod {
            namespace,
            pod,
            container,
        } => return pod_log(endpoint_id, namespace, pod, container, options, follow),
    };
    let flag = |on: bool| if on { 1 } else { 0 };
    let mut params = vec![
        format!("stdout={}", flag(options.stdout)),
        format!("stderr={}", flag(options.stderr)),
        match options.tail {
            Some(n) => format!("tail={n}"),
            None => "tail=all".to_owned(),
        },
        format!("timestamps={}", flag(options.timestamps)),
    ];
    if let Some(since) = options.since {
        params.push(format!("since={}", since.at));
    }
    if follow {
        params.push("follow=1".to_owned());
    }
    if details {
        params.push("details=1".to_owned());
    }
    let path = docker(endpoint_id, &path);
    with_query(path, &params)
}

fn with_query(path: String, params: &[String]) -> String {
    if params.is_empty() {
        path
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

/// `/api/endpoints/{id}/kubernetes{path}`: Portainer's proxy to the environment's Kubernetes
/// API (docs/portainer-api.md §15.1).
fn kubernetes(endpoint_id: u32, path: &str) -> String {
    format!("/api/endpoints/{endpoint_id}/kubernetes{path}")
}

/// The label Portainer puts on each top-level object of a Kubernetes stack (§15.3).
pub const KUBE_STACK_ID: &str = "io.portainer.kubernetes.application.stackid";

/// Every pod of a namespace: a stack's pods are its bare pods (labelled with the stack) and
/// those its workloads select, which carry only their template's labels (§15.3).
pub fn namespace_pods(endpoint_id: u32, namespace: &str) -> String {
    kubernetes(
        endpoint_id,
        &format!("/api/v1/namespaces/{}/pods", encode(namespace)),
    )
}

/// The `apps/v1` workloads Portainer deployed for stack `stack_id`; `resource` is
/// `deployments`, `statefulsets` or `daemonsets`.
pub fn stack_workloads(endpoint_id: u32, namespace: &str, resource: &str, stack_id: u32) -> String {
    kubernetes(
        endpoint_id,
        &format!(
            "/apis/apps/v1/namespaces/{}/{resource}?labelSelector={}",
            encode(namespace),
            encode(&format!("{KUBE_STACK_ID}={stack_id}"))
        ),
    )
}

/// A pod container's log (§15.4). Kubernetes merges stdout and stderr and has no filter for
/// them, so those options are not sent; a follow's `tailLines=0` starts at the end.
fn pod_log(
    endpoint_id: u32,
    namespace: &str,
    pod: &str,
    container: &str,
    options: &LogOptions,
    follow: bool,
) -> String {
    let mut params = vec![format!("container={}", encode(container))];
    if let Some(n) = options.tail {
        params.push(format!("tailLines={n}"));
    }
    if let Some(since) = options.since {
        // Kubernetes refuses 0 (422 `must be greater than 0`).
        params.push(format!("sinceSeconds={}", since.ago.max(1)));
    }
    if options.timestamps {
        params.push("timestamps=true".to_owned());
    }
    if follow {
        params.push("follow=true".to_owned());
    }
    let path = kubernetes(
        endpoint_id,
        &format!(
            "/api/v1/namespaces/{}/pods/{}/log",
            encode(namespace),
            encode(pod)
        ),
    );
    with_query(path, &params)
}
