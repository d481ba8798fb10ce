//! What the Docker engine itself answers: version, info, and how it resolves the id or name
//! in a path.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::model::docker::{Container, Service};
use crate::model::endpoint::Endpoint;
use crate::model::node::Node;
use crate::state::State as Db;

/// The Engine API version the simulated daemons speak.
pub const API_VERSION: &str = "1.46";
pub const DOCKER_VERSION: &str = "27.1.2";

/// What a swarm endpoint answers on a daemon outside any swarm (a 503).
pub const NOT_A_SWARM_MANAGER: &str = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

/// A failed lookup: Docker's status and message.
pub type NotFound = (StatusCode, String);

/// Docker resolves a full id, a name (with or without `/`) or an unambiguous id prefix.
pub fn find_container<'a>(db: &'a Db, env_id: i64, reference: &str) -> Option<&'a Container> {
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

/// `daemon/cluster/helpers.go` `getService` / `getNode`: the full id, else the name, else an
/// id prefix, which must be unique.
fn find_swarm_object<'a, T>(
    items: impl Iterator<Item = &'a T> + Clone,
    kind: &str,
    reference: &str,
    id: fn(&T) -> &str,
    name: fn(&T) -> &str,
) -> Result<&'a T, NotFound> {
    if let Some(found) = items
        .clone()
        .find(|x| id(x) == reference)
        .or_else(|| items.clone().find(|x| name(x) == reference))
    {
        return Ok(found);
    }
    let matches: Vec<&T> = items.filter(|x| id(x).starts_with(reference)).collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err((
            StatusCode::NOT_FOUND,
            format!("{kind} {reference} not found"),
        )),
        many => Err((
            StatusCode::BAD_REQUEST,
            format!(
                "{kind} {reference} is ambiguous ({} matches found)",
                many.len()
            ),
        )),
    }
}

pub fn find_service<'a>(db: &'a Db, env_id: i64, reference: &str) -> Result<&'a Service, NotFound> {
    let on_env = db.services.iter().filter(move |s| s.env_id == env_id);
    find_swarm_object(on_env, "service", reference, |s| &s.id, |s| &s.name)
}

pub fn find_node<'a>(db: &'a Db, env_id: i64, reference: &str) -> Result<&'a Node, NotFound> {
    let on_env = db.nodes.iter().filter(move |n| n.env_id == env_id);
    find_swarm_object(on_env, "node", reference, |n| &n.id, |n| &n.hostname)
}

pub fn version_json() -> Value {
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

pub fn info_json(db: &Db, env: &Endpoint, swarm: bool) -> Value {
    let containers: Vec<&Container> = db
        .containers
        .iter()
        .filter(|c| c.env_id == env.id)
        .collect();
    let running = containers.iter().filter(|c| c.is_running()).count();
    let leader = db.nodes.iter().find(|n| n.env_id == env.id && n.manager);
    let swarm_info = if swarm {
        json!({
            "NodeID": leader.map_or_else(|| Node::id_for(env.id, "manager"), |n| n.id.clone()),
            "NodeAddr": leader.map_or("10.0.10.11", |n| n.addr.as_str()),
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
