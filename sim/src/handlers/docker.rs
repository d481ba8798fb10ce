//! The Docker proxy (`/api/endpoints/{id}/docker/...`, §5): Portainer's environment checks,
//! then a small Docker Engine behind it, with Portainer's ResourceControl filtering and
//! decoration of the answers.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::{logs, Q};
use crate::auth::Caller;
use crate::clock;
use crate::error::{docker_error, route_id, ApiError};
use crate::model::docker::{
    Container, Health, RunState, Service, Task, LABEL_COMPOSE_PROJECT, LABEL_STACK_NAMESPACE,
    LABEL_SWARM_SERVICE_ID,
};
use crate::model::endpoint::{Endpoint, ENV_AGENT_KUBERNETES};
use crate::model::stack::{stack_resource_id, ResourceControl, RC_CONTAINER, RC_SERVICE, RC_STACK};
use crate::query::Query;
use crate::reach::Unreachable;
use crate::state::{Sim, State as Db};
use crate::PortainerVersion;

/// The Engine API version the simulated daemons speak.
const API_VERSION: &str = "1.46";
const DOCKER_VERSION: &str = "27.1.2";

pub async fn proxy(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    method: Method,
    Path((raw_id, rest)): Path<(String, String)>,
    Q(query): Q,
) -> Result<Response, ApiError> {
    let id = route_id("environment", &raw_id)?;
    let env = {
        let db = sim.read();
        let env = db.endpoint(id).cloned().ok_or_else(|| {
            ApiError::object_not_found(
                "Unable to find an environment with the specified identifier inside the database",
                "endpoints",
                id,
            )
        })?;
        if !db.authorized_endpoint(&caller, &env) {
            return Err(ApiError::environment_denied(
                "Permission denied to access environment",
            ));
        }
        env
    };
    // `api/http/handler/endpointproxy/proxy_docker.go` `proxyRequestsToDockerAPI`.
    if env.is_edge() && env.edge_id.as_deref().unwrap_or("").is_empty() {
        return Err(
            ApiError::internal("No Edge agent registered with the environment")
                .details("No agent available"),
        );
    }
    if let Err(unreachable) = crate::reach::dial(&env, sim.dial).await {
        return Ok(unreachable_answer(&sim, &env, &unreachable));
    }
    let path = strip_api_version(&format!("/{rest}"));
    let mut response = if env.kind == ENV_AGENT_KUBERNETES {
        docker_error(StatusCode::NOT_FOUND, "page not found")
    } else {
        match engine(&sim, &caller, &env, &method, &path, &query) {
            Engine::Answer(response) => response,
            Engine::Logs(container) => {
                logs::response(sim.clone(), *container, &query, is_socket(&env)).await
            }
        }
    };
    let h = response.headers_mut();
    h.insert("Api-Version", HeaderValue::from_static(API_VERSION));
    h.insert("Docker-Experimental", HeaderValue::from_static("false"));
    h.insert("Ostype", HeaderValue::from_static("linux"));
    h.insert("Server", HeaderValue::from_static("Docker/27.1.2 (linux)"));
    Ok(response)
}

/// What the proxy answers when it cannot reach the Docker host (after the wait of
/// `reach::dial`). An Edge environment on 2.23: `TunnelAddr` fails, so 500 `Unable to get the
/// active tunnel`. A TCP or agent environment (and an Edge one on 2.19, whose tunnel port
/// answers nothing): `httputil.ReverseProxy`'s default error handler, 502 with an empty body
/// and no content type (`api/http/proxy/factory/reverse_proxy.go`, no `ErrorHandler` set). The
/// local socket: `dockerLocalProxy.ServeHTTP` writes a JSON 500.
fn unreachable_answer(sim: &Sim, env: &Endpoint, unreachable: &Unreachable) -> Response {
    match unreachable {
        Unreachable::Tunnel if sim.version == PortainerVersion::V2_23 => {
            ApiError::internal("Unable to get the active tunnel")
                .details(unreachable.text())
                .into_response()
        }
        _ if is_socket(env) => socket_error(
            sim,
            "dial unix /var/run/docker.sock: connect: connection refused",
        ),
        _ => StatusCode::BAD_GATEWAY.into_response(),
    }
}

/// A local environment talks to Docker through its socket (`unix://` or `npipe://`).
fn is_socket(env: &Endpoint) -> bool {
    env.url.starts_with("unix://") || env.url.starts_with("npipe://")
}

/// `api/http/proxy/factory/docker.go` `(*dockerLocalProxy).ServeHTTP`: any error of the
/// transport becomes a 500 `Unable to proxy the request via the Docker socket`, written by the
/// version's `libhttp`.
fn socket_error(sim: &Sim, details: &str) -> Response {
    let error =
        ApiError::internal("Unable to proxy the request via the Docker socket").details(details);
    error.into_response_for(sim.version)
}

/// A non-admin refused a container's logs. The access-denied writer of
/// `api/http/proxy/factory/utils/response.go` (`WriteAccessDeniedResponse`) builds a response
/// without a content type, which `utils/json.go` `marshal` cannot encode (`mime: no media
/// type`): the transport fails, so the socket proxy answers 500 and the reverse proxy of TCP
/// and agent environments 502 with an empty body; never the 403 it meant (2.19 and 2.23).
fn refused_logs(sim: &Sim, env: &Endpoint) -> Response {
    if is_socket(env) {
        socket_error(sim, "mime: no media type")
    } else {
        StatusCode::BAD_GATEWAY.into_response()
    }
}

/// Removes a leading `/v1.xx` API version segment, as Portainer's `apiVersionRe` does.
fn strip_api_version(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/v") {
        let end = rest.find('/').unwrap_or(rest.len());
        let version = &rest[..end];
        let valid = version.split_once('.').is_some_and(|(major, minor)| {
            major.len() == 1
                && major.bytes().all(|b| b.is_ascii_digit())
                && minor.bytes().all(|b| b.is_ascii_digit())
        });
        if valid {
            let stripped = &rest[end..];
            return if stripped.is_empty() {
                "/".into()
            } else {
                stripped.into()
            };
        }
    }
    path.to_owned()
}

/// What the engine answers: a response, or a container whose log is streamed (which takes
/// time, so it is answered outside the database lock).
enum Engine {
    Answer(Response),
    Logs(Box<Container>),
}

impl From<Response> for Engine {
    fn from(response: Response) -> Self {
        Engine::Answer(response)
    }
}

/// The Docker Engine subset behind the proxy.
fn engine(
    sim: &Arc<Sim>,
    caller: &Caller,
    env: &Endpoint,
    method: &Method,
    path: &str,
    query: &Query,
) -> Engine {
    if method == Method::OPTIONS {
        return StatusCode::OK.into_response().into();
    }
    if method != Method::GET && method != Method::HEAD {
        return docker_error(StatusCode::NOT_FOUND, "page not found").into();
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let db = sim.read();
    let swarm = env.snapshots.first().is_some_and(|s| s.swarm);
    let response = match segments.as_slice() {
        ["_ping"] => "OK".into_response(),
        ["version"] => crate::error::json(&version_json()),
        ["info"] => crate::error::json(&info_json(&db, env, swarm)),
        ["containers", "json"] => container_list(&db, caller, env, query),
        ["containers", id, "json"] => match find_container(&db, env.id, id) {
            Some(c) => match container_access(&db, caller, env, c) {
                Access::Granted(rc) => {
                    let mut object = c.inspect_json();
                    decorate(&mut object, rc);
                    crate::error::json(&object)
                }
                Access::Denied => access_denied(),
            },
            None => no_such_container(id),
        },
        ["containers", id, "logs"] => match find_container(&db, env.id, id) {
            Some(c) => match container_access(&db, caller, env, c) {
                Access::Granted(_) => return Engine::Logs(Box::new(c.clone())),
                Access::Denied => refused_logs(sim, env),
            },
            None => no_such_container(id),
        },
        ["services"] | ["services", _] | ["tasks"] if !swarm => docker_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.",
        ),
        ["services"] => service_list(&db, caller, env, query),
        ["services", id] => match db
            .services
            .iter()
            .find(|s| s.env_id == env.id && (s.id == *id || s.name == *id || s.id.starts_with(*id)))
        {
            Some(s) => match service_access(&db, caller, env, s) {
                Access::Granted(rc) => {
                    let mut object = s.json();
                    decorate(&mut object, rc);
                    crate::error::json(&object)
                }
                Access::Denied => access_denied(),
            },
            None => docker_error(StatusCode::NOT_FOUND, format!("service {id} not found")),
        },
        ["tasks"] => task_list(&db, caller, env, query),
        _ => docker_error(StatusCode::NOT_FOUND, "page not found"),
    };
    response.into()
}

fn access_denied() -> Response {
    docker_error(StatusCode::FORBIDDEN, "access denied to resource")
}

fn no_such_container(id: &str) -> Response {
    docker_error(StatusCode::NOT_FOUND, format!("No such container: {id}"))
}

/// Docker resolves a full id, a name (with or without `/`) or an unambiguous id prefix.
fn find_container<'a>(db: &'a Db, env_id: i64, reference: &str) -> Option<&'a Container> {
    let on_env = || db.containers.iter().filter(move |c| c.env_id == env_id);
    let name = reference.trim_start_matches('/');
    if let Some(c) = on_env().find(|c| c.id == reference || c.name == name) {
        return Some(c);
    }
    let mut matches = on_env().filter(|c| !reference.is_empty() && c.id.starts_with(reference));
    let first = matches.next();
    match matches.next() {
        None => first,
        Some(_) => None,
    }
}

enum Access<'a> {
    Granted(Option<&'a ResourceControl>),
    Denied,
}

/// Portainer's `findResourceControl`: the object's own RC, else the service's, else the
/// stack's from the swarm namespace or compose project label. Non-admins need one that grants
/// them access; admins see everything and get the decoration when an RC exists.
fn resolve_access<'a>(
    db: &'a Db,
    caller: &Caller,
    env: &Endpoint,
    own: Option<&'a ResourceControl>,
    labels: &BTreeMap<String, String>,
) -> Access<'a> {
    let rc = own
        .or_else(|| {
            labels
                .get(LABEL_SWARM_SERVICE_ID)
                .and_then(|sid| db.resource_control(sid, RC_SERVICE))
        })
        .or_else(|| {
            labels
                .get(LABEL_STACK_NAMESPACE)
                .and_then(|ns| db.resource_control(&stack_resource_id(env.id, ns), RC_STACK))
        })
        .or_else(|| {
            labels
                .get(LABEL_COMPOSE_PROJECT)
                .and_then(|p| db.resource_control(&stack_resource_id(env.id, p), RC_STACK))
        });
    match rc {
        _ if caller.is_admin() => Access::Granted(rc),
        Some(rc) if rc.grants(caller.user_id, &caller.team_ids) => Access::Granted(Some(rc)),
        _ => Access::Denied,
    }
}

fn container_access<'a>(db: &'a Db, caller: &Caller, env: &Endpoint, c: &Container) -> Access<'a> {
    resolve_access(
        db,
        caller,
        env,
        db.resource_control(&c.id, RC_CONTAINER),
        &c.labels,
    )
}

fn service_access<'a>(db: &'a Db, caller: &Caller, env: &Endpoint, s: &Service) -> Access<'a> {
    resolve_access(
        db,
        caller,
        env,
        db.resource_control(&s.id, RC_SERVICE),
        &s.labels(),
    )
}

fn task_access<'a>(db: &'a Db, caller: &Caller, env: &Endpoint, t: &Task) -> Access<'a> {
    resolve_access(
        db,
        caller,
        env,
        db.resource_control(&t.service_id, RC_SERVICE),
        &t.spec_labels(),
    )
}

/// Adds `Portainer.ResourceControl` to a Docker object.
fn decorate(object: &mut Value, rc: Option<&ResourceControl>) {
    let (Some(rc), Value::Object(map)) = (rc, object) else {
        return;
    };
    let portainer = map
        .entry("Portainer")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(p) = portainer {
        p.insert(
            "ResourceControl".into(),
            serde_json::to_value(rc).unwrap_or(Value::Null),
        );
    }
}

/// Docker's `filters` parameter: `{"key":["v",...]}` or the legacy `{"key":{"v":true}}`.
/// Errors are Docker's 400 message.
fn parse_docker_filters(
    query: &Query,
    allowed: &[&str],
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let raw = query.get("filters");
    let mut filters = BTreeMap::new();
    if raw.is_empty() {
        return Ok(filters);
    }
    let value: Value = serde_json::from_str(raw).map_err(|err| format!("invalid filter: {err}"))?;
    let Value::Object(map) = value else {
        return Err("invalid filter: expected a JSON object".into());
    };
    for (key, values) in map {
        if !allowed.contains(&key.as_str()) {
            return Err(format!("invalid filter '{key}'"));
        }
        let list: Vec<String> = match values {
            Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    other => Err(format!("invalid filter '{key}={other}'")),
                })
                .collect::<Result<_, _>>()?,
            Value::Object(set) => set
                .into_iter()
                .filter(|(_, on)| on.as_bool().unwrap_or(false))
                .map(|(k, _)| k)
                .collect(),
            other => return Err(format!("invalid filter '{key}={other}'")),
        };
        filters.insert(key, list);
    }
    Ok(filters)
}

/// Every `label` filter (`key` or `key=value`) must match.
fn labels_match(
    filters: &BTreeMap<String, Vec<String>>,
    labels: &BTreeMap<String, String>,
) -> bool {
    filters.get("label").is_none_or(|wanted| {
        wanted.iter().all(|w| match w.split_once('=') {
            Some((k, v)) => labels.get(k).is_some_and(|actual| actual == v),
            None => labels.contains_key(w.as_str()),
        })
    })
}

/// Any value of a filter matches (`None` when the filter is absent).
fn any_of(filters: &BTreeMap<String, Vec<String>>, key: &str, test: impl Fn(&str) -> bool) -> bool {
    filters
        .get(key)
        .is_none_or(|values| values.is_empty() || values.iter().any(|v| test(v)))
}

const CONTAINER_FILTERS: &[&str] = &[
    "ancestor",
    "before",
    "expose",
    "exited",
    "health",
    "id",
    "isolation",
    "is-task",
    "label",
    "name",
    "network",
    "publish",
    "since",
    "status",
    "volume",
];
const STATUSES: &[&str] = &[
    "created",
    "restarting",
    "running",
    "removing",
    "paused",
    "exited",
    "dead",
];

fn container_list(db: &Db, caller: &Caller, env: &Endpoint, query: &Query) -> Response {
    let filters = match parse_docker_filters(query, CONTAINER_FILTERS) {
        Ok(f) => f,
        Err(message) => return docker_error(StatusCode::BAD_REQUEST, message),
    };
    if let Some(bad) = filters
        .get("status")
        .and_then(|values| values.iter().find(|v| !STATUSES.contains(&v.as_str())))
    {
        return docker_error(
            StatusCode::BAD_REQUEST,
            format!("invalid filter 'status={bad}'"),
        );
    }
    // A status filter lists stopped containers too, as `all` would.
    let all = query.docker_bool("all") || filters.contains_key("status");
    let now = clock::now();
    let mut items = Vec::new();
    for c in db.containers.iter().filter(|c| c.env_id == env.id) {
        let keep = (all || c.is_running())
            && labels_match(&filters, &c.labels)
            && any_of(&filters, "status", |s| s == c.state_name())
            && any_of(&filters, "name", |n| {
                c.name.contains(n.trim_start_matches('/'))
            })
            && any_of(&filters, "id", |id| c.id.starts_with(id))
            && any_of(
                &filters,
                "exited",
                |code| matches!(c.state, RunState::Exited(x) if x.to_string() == code),
            )
            && any_of(&filters, "health", |h| {
                matches!(
                    (h, c.health, c.is_running()),
                    ("healthy", Some(Health::Healthy), true)
                        | ("unhealthy", Some(Health::Unhealthy), true)
                        | ("none", None, _)
                )
            })
            && any_of(&filters, "is-task", |t| {
                (t == "true")
                    == c.labels
                        .contains_key(crate::model::docker::LABEL_SWARM_TASK_ID)
            });
        if !keep {
            continue;
        }
        if let Access::Granted(rc) = container_access(db, caller, env, c) {
            let mut object = c.summary_json(now);
            decorate(&mut object, rc);
            items.push(object);
        }
    }
    // Docker lists the newest container first.
    items.reverse();
    crate::error::json(&items)
}

fn service_list(db: &Db, caller: &Caller, env: &Endpoint, query: &Query) -> Response {
    let filters = match parse_docker_filters(query, &["id", "label", "mode", "name"]) {
        Ok(f) => f,
        Err(message) => return docker_error(StatusCode::BAD_REQUEST, message),
    };
    let mut items = Vec::new();
    for s in db.services.iter().filter(|s| s.env_id == env.id) {
        let keep = labels_match(&filters, &s.labels())
            && any_of(&filters, "id", |id| s.id.starts_with(id))
            && any_of(&filters, "name", |n| s.name.starts_with(n))
            && any_of(&filters, "mode", |m| m == "replicated");
        if !keep {
            continue;
        }
        if let Access::Granted(rc) = service_access(db, caller, env, s) {
            let mut object = s.json();
            decorate(&mut object, rc);
            items.push(object);
        }
    }
    crate::error::json(&items)
}

fn task_list(db: &Db, caller: &Caller, env: &Endpoint, query: &Query) -> Response {
    let filters = match parse_docker_filters(
        query,
        &[
            "desired-state",
            "id",
            "label",
            "name",
            "node",
            "service",
            "up-to-date",
        ],
    ) {
        Ok(f) => f,
        Err(message) => return docker_error(StatusCode::BAD_REQUEST, message),
    };
    let mut items = Vec::new();
    for t in db.tasks.iter().filter(|t| t.env_id == env.id) {
        let service = db.services.iter().find(|s| s.id == t.service_id);
        let service_name = service.map(|s| s.name.as_str()).unwrap_or("");
        let keep = labels_match(&filters, &t.spec_labels())
            && any_of(&filters, "desired-state", |d| d == t.desired_state)
            && any_of(&filters, "id", |id| t.id.starts_with(id))
            && any_of(&filters, "node", |n| t.node_id == n)
            && any_of(&filters, "service", |s| {
                s == t.service_id || s == service_name
            })
            && any_of(&filters, "name", |n| {
                format!("{service_name}.{}", t.slot).starts_with(n)
            });
        if !keep {
            continue;
        }
        if let Access::Granted(rc) = task_access(db, caller, env, t) {
            let container = db.containers.iter().find(|c| c.id == t.container_id);
            let mut object = t.json(container);
            decorate(&mut object, rc);
            items.push(object);
        }
    }
    crate::error::json(&items)
}

fn version_json() -> Value {
    json!({
        "Platform": { "Name": "Docker Engine - Community" },
        "Version": DOCKER_VERSION,
        "ApiVersion": API_VERSION,
        "MinAPIVersion": "1.24",
        "GitCommit": "f9522e5",
        "GoVersion": "go1.21.12",
        "Os": "linux",
        "Arch": "amd64",
        "KernelVersion": "6.1.0-23-amd64",
        "BuildTime": "2024-07-31T20:21:42.000000000+00:00",
    })
}

fn info_json(db: &Db, env: &Endpoint, swarm: bool) -> Value {
    let containers: Vec<&Container> = db
        .containers
        .iter()
        .filter(|c| c.env_id == env.id)
        .collect();
    let running = containers.iter().filter(|c| c.is_running()).count();
    let swarm_info = if swarm {
        json!({
            "NodeID": crate::model::docker::swarm_id(&format!("node/{}/manager", env.id)),
            "NodeAddr": "10.0.10.11",
            "LocalNodeState": "active",
            "ControlAvailable": true,
            "Error": "",
            "RemoteManagers": null,
            "Nodes": 3,
            "Managers": 1,
            "Cluster": { "ID": env.swarm_id.clone().unwrap_or_default() }
        })
    } else {
        json!({ "NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive", "ControlAvailable": false, "Error": "", "RemoteManagers": null })
    };
    json!({
        "ID": crate::model::docker::hex_id(&format!("daemon/{}", env.id))[..36].to_uppercase(),
        "Containers": containers.len(),
        "ContainersRunning": running,
        "ContainersPaused": 0,
        "ContainersStopped": containers.len() - running,
        "Images": env.snapshots.first().map(|s| s.image_count).unwrap_or(0),
        "Driver": "overlay2",
        "Name": env.name,
        "ServerVersion": DOCKER_VERSION,
        "OperatingSystem": "Debian GNU/Linux 12 (bookworm)",
        "OSType": "linux",
        "Architecture": "x86_64",
        "NCPU": env.snapshots.first().map(|s| s.total_cpu).unwrap_or(0),
        "MemTotal": env.snapshots.first().map(|s| s.total_memory).unwrap_or(0),
        "Swarm": swarm_info,
    })
}

#[cfg(test)]
mod tests {
    use super::strip_api_version;

    #[test]
    fn strips_versions() {
        assert_eq!(
            strip_api_version("/v1.41/containers/json"),
            "/containers/json"
        );
        assert_eq!(strip_api_version("/containers/json"), "/containers/json");
        assert_eq!(strip_api_version("/volumes"), "/volumes");
    }
}
