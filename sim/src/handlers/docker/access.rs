//! Portainer's ResourceControl rules on Docker objects (§5.3, §5.4): the search that decorates
//! and filters answers (`access_control.go` `findResourceControl`), and the check before an
//! operation on one object (`transport.go` `restrictedResourceOperation`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::daemon::{find_container, find_service, NOT_A_SWARM_MANAGER};
use crate::auth::Caller;
use crate::model::docker::{
    Container, Service, Task, LABEL_COMPOSE_PROJECT, LABEL_STACK_NAMESPACE, LABEL_SWARM_SERVICE_ID,
};
use crate::model::endpoint::Endpoint;
use crate::model::stack::{stack_resource_id, ResourceControl, RC_CONTAINER, RC_SERVICE, RC_STACK};
use crate::state::State as Db;

pub enum Access<'a> {
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

pub fn container_access<'a>(
    db: &'a Db,
    caller: &Caller,
    env: &Endpoint,
    c: &Container,
) -> Access<'a> {
    resolve_access(
        db,
        caller,
        env,
        db.resource_control(&c.id, RC_CONTAINER),
        &c.labels,
    )
}

pub fn service_access<'a>(db: &'a Db, caller: &Caller, env: &Endpoint, s: &Service) -> Access<'a> {
    resolve_access(
        db,
        caller,
        env,
        db.resource_control(&s.id, RC_SERVICE),
        &s.labels(),
    )
}

pub fn task_access<'a>(db: &'a Db, caller: &Caller, env: &Endpoint, t: &Task) -> Access<'a> {
    resolve_access(
        db,
        caller,
        env,
        db.resource_control(&t.service_id, RC_SERVICE),
        &t.spec_labels(),
    )
}

/// Adds `Portainer.ResourceControl` to a Docker object.
pub fn decorate(object: &mut Value, rc: Option<&ResourceControl>) {
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

/// What `restrictedResourceOperation` decides before an operation such as `…/logs` reaches
/// Docker.
#[derive(Debug)]
pub enum Restricted {
    /// Forwarded to Docker, which answers as it would anyone (admins always pass).
    Pass,
    /// `WriteAccessDeniedResponse`: the broken denial of §5.4.
    Refused,
    /// The Docker client's inspect, needed to find an inherited RC, failed with this error.
    InspectFailed(String),
}

impl Restricted {
    fn by(rc: Option<&ResourceControl>, caller: &Caller) -> Self {
        match rc {
            Some(rc) if rc.grants(caller.user_id, &caller.team_ids) => Restricted::Pass,
            _ => Restricted::Refused,
        }
    }
}

/// `getStackResourceIDFromLabels`: the swarm namespace if set, else the compose project.
fn stack_rc<'a>(
    db: &'a Db,
    env: &Endpoint,
    labels: &BTreeMap<String, String>,
) -> Option<&'a ResourceControl> {
    let name = [LABEL_STACK_NAMESPACE, LABEL_COMPOSE_PROJECT]
        .iter()
        .find_map(|key| labels.get(*key).filter(|v| !v.is_empty()))?;
    db.resource_control(&stack_resource_id(env.id, name), RC_STACK)
}

/// `/containers/{id}/…` for a non-admin. `{id}` is the path's own text, so the container's
/// own RC (stored under its full id) only counts when the request names it by that id;
/// otherwise `getInheritedResourceControlFromContainerLabels` inspects the container and
/// takes the service's RC, else the stack's, ignoring `io.portainer.accesscontrol.*` labels.
pub fn restricted_container(db: &Db, caller: &Caller, env: &Endpoint, token: &str) -> Restricted {
    if caller.is_admin() {
        return Restricted::Pass;
    }
    if let Some(own) = db.resource_control(token, RC_CONTAINER) {
        return Restricted::by(Some(own), caller);
    }
    let Some(c) = find_container(db, env.id, token) else {
        return Restricted::InspectFailed(format!(
            "Error response from daemon: No such container: {token}"
        ));
    };
    let service = c
        .labels
        .get(LABEL_SWARM_SERVICE_ID)
        .filter(|id| !id.is_empty())
        .and_then(|id| db.resource_control(id, RC_SERVICE));
    Restricted::by(service.or_else(|| stack_rc(db, env, &c.labels)), caller)
}

/// `/services/{id}/…` for a non-admin: the service's own RC under the path's text, else
/// `getInheritedResourceControlFromServiceLabels` (`services.go`): inspect the service, then
/// the stack's RC from its labels.
pub fn restricted_service(
    db: &Db,
    caller: &Caller,
    env: &Endpoint,
    swarm: bool,
    token: &str,
) -> Restricted {
    if caller.is_admin() {
        return Restricted::Pass;
    }
    if let Some(own) = db.resource_control(token, RC_SERVICE) {
        return Restricted::by(Some(own), caller);
    }
    if !swarm {
        return Restricted::InspectFailed(format!(
            "Error response from daemon: {NOT_A_SWARM_MANAGER}"
        ));
    }
    match find_service(db, env.id, token) {
        Ok(s) => Restricted::by(stack_rc(db, env, &s.labels()), caller),
        Err((_, message)) => {
            Restricted::InspectFailed(format!("Error response from daemon: {message}"))
        }
    }
}
