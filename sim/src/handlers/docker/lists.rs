//! The list endpoints (`GET /containers/json`, `/services`, `/tasks`, `/nodes`) with
//! Portainer's filtering and decoration of their answers (§5.3).

use axum::http::StatusCode;
use axum::response::Response;

use super::access::{container_access, decorate, service_access, task_access, Access};
use super::filters::{any_of, labels_match, parse_docker_filters};
use crate::auth::Caller;
use crate::clock;
use crate::error::docker_error;
use crate::model::docker::{Health, RunState};
use crate::model::endpoint::Endpoint;
use crate::query::Query;
use crate::state::State as Db;

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

pub fn container_list(db: &Db, caller: &Caller, env: &Endpoint, query: &Query) -> Response {
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

pub fn service_list(db: &Db, caller: &Caller, env: &Endpoint, query: &Query) -> Response {
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

pub fn task_list(db: &Db, caller: &Caller, env: &Endpoint, query: &Query) -> Response {
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

/// `GET /nodes`. Portainer's `transport.go` `proxyNodeRequest` passes the list through for
/// every role, unfiltered and undecorated (only `/nodes/{id}` is for administrators); the
/// agent forwards it to a manager (`docker_operation.go` `dispatchOperation`).
pub fn node_list(db: &Db, env: &Endpoint, query: &Query) -> Response {
    let filters = match parse_docker_filters(
        query,
        &["id", "label", "membership", "name", "node.label", "role"],
    ) {
        Ok(f) => f,
        Err(message) => return docker_error(StatusCode::BAD_REQUEST, message),
    };
    let no_labels = Default::default();
    let items: Vec<serde_json::Value> = db
        .nodes
        .iter()
        .filter(|n| n.env_id == env.id)
        .filter(|n| {
            // Nodes carry no engine or node labels here.
            labels_match(&filters, &no_labels)
                && filters.get("node.label").is_none_or(|v| v.is_empty())
                && any_of(&filters, "id", |id| n.id.starts_with(id))
                && any_of(&filters, "name", |name| n.hostname.starts_with(name))
                && any_of(&filters, "role", |role| role == n.role())
                && any_of(&filters, "membership", |m| m == "accepted")
        })
        .map(|n| n.json())
        .collect();
    crate::error::json(&items)
}
