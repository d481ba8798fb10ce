//! Stacks: list with `filters`, inspect, file, delete (the actions are in `stack_actions`)
//! (docs/portainer-api.md §3.1, §4, §11).
//! Each handler runs Portainer's checks in Portainer's order, with its exact messages (which
//! differ between handlers: "endpoint"/"environment", "Stack"/"stack management").

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{json, Value};

use super::Q;
use crate::auth::Caller;
use crate::error::{empty, json, route_id, ApiError};
use crate::model::endpoint::Endpoint;
use crate::model::stack::{stack_resource_id, Stack, STACK_COMPOSE, STACK_SWARM};
use crate::payload::field;
use crate::query::Query;
use crate::state::{Sim, State as Db};
use crate::PortainerVersion;

pub(super) const STACK_NOT_FOUND: &str =
    "Unable to find a stack with the specified identifier inside the database";

pub(super) fn find_stack(db: &Db, id: i64) -> Result<Stack, ApiError> {
    db.stack(id)
        .cloned()
        .ok_or_else(|| ApiError::object_not_found(STACK_NOT_FOUND, "stacks", id))
}

/// The environment a handler names in its own words when it is missing.
pub(super) fn find_endpoint(db: &Db, id: i64, message: &str) -> Result<Endpoint, ApiError> {
    db.endpoint(id)
        .cloned()
        .ok_or_else(|| ApiError::object_not_found(message, "endpoints", id))
}

/// `userCanManageStacks`: on Docker environments with stack management off for regular users,
/// only administrators pass. No environment (an orphan seen by an admin) passes.
pub(super) fn can_manage(caller: &Caller, env: Option<&Endpoint>) -> bool {
    match env {
        Some(env)
            if env.is_docker()
                && !env
                    .security_settings
                    .allow_stack_management_for_regular_users =>
        {
            caller.is_admin()
        }
        _ => true,
    }
}

/// `AuthorizedEndpointOperation`.
pub(super) fn check_environment(
    db: &Db,
    caller: &Caller,
    env: &Endpoint,
    message: &str,
) -> Result<(), ApiError> {
    if db.authorized_endpoint(caller, env) {
        Ok(())
    } else {
        Err(ApiError::environment_denied(message))
    }
}

/// `userCanAccessStack`: the stack's ResourceControl grants access, or the caller is an admin.
pub(super) fn check_stack_access(db: &Db, caller: &Caller, stack: &Stack) -> Result<(), ApiError> {
    let granted = db
        .stack_resource_control(stack)
        .is_some_and(|rc| rc.grants(caller.user_id, &caller.team_ids));
    if granted || caller.is_admin() {
        Ok(())
    } else {
        Err(ApiError::resource_denied())
    }
}

/// The checks `stackUpdate` and `stackGitRedeploy` share, in their order: the stack's
/// environment (by the id the handler may just have replaced), access to it, the stack's
/// ResourceControl (Docker stacks only: Portainer CE gives Kubernetes stacks none), then the
/// management gate in the handler's own words.
pub(super) fn check_stack_change(
    db: &Db,
    caller: &Caller,
    stack: &Stack,
    gate: &str,
) -> Result<Endpoint, ApiError> {
    let env = find_endpoint(
        db,
        stack.endpoint_id,
        "Unable to find the environment associated to the stack inside the database",
    )?;
    check_environment(db, caller, &env, "Permission denied to access environment")?;
    if stack.is_docker() {
        check_stack_access(db, caller, stack)?;
    }
    if !can_manage(caller, Some(&env)) {
        return Err(ApiError::forbidden(gate));
    }
    Ok(env)
}

#[derive(Default)]
struct Filters {
    endpoint_id: i64,
    swarm_id: String,
    include_orphaned: bool,
}

/// The `filters` query parameter: JSON decoded like Go decodes it into
/// `stackListOperationFilters` (case-insensitive keys, strict types).
fn parse_filters(query: &Query) -> Result<Filters, ApiError> {
    let raw = query.get("filters");
    let mut filters = Filters::default();
    if raw.is_empty() {
        return Ok(filters);
    }
    let invalid = |details: String| {
        ApiError::bad_request("Invalid query parameter: filters").details(details)
    };
    let value: Value =
        serde_json::from_str(raw).map_err(|err| invalid(format!("invalid JSON: {err}")))?;
    let map = match value {
        Value::Null => return Ok(filters),
        Value::Object(map) => map,
        other => {
            return Err(invalid(format!(
                "json: cannot unmarshal {} into Go value of type stacks.stackListOperationFilters",
                crate::payload::go_kind(&other)
            )))
        }
    };
    let type_error = |name: &str, go_type: &str, value: &Value| {
        invalid(format!(
            "json: cannot unmarshal {} into Go struct field stackListOperationFilters.{name} of type {go_type}",
            crate::payload::go_kind(value)
        ))
    };
    match field(&map, "EndpointID") {
        None | Some(Value::Null) => {}
        Some(v) => {
            filters.endpoint_id = v
                .as_i64()
                .ok_or_else(|| type_error("EndpointID", "int", v))?
        }
    }
    match field(&map, "SwarmID") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => filters.swarm_id = s.clone(),
        Some(v) => return Err(type_error("SwarmID", "string", v)),
    }
    match field(&map, "IncludeOrphanedStacks") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => filters.include_orphaned = *b,
        Some(v) => return Err(type_error("IncludeOrphanedStacks", "bool", v)),
    }
    Ok(filters)
}

/// `filterStacks` (`api/http/handler/stacks/stack_list.go`): with an `EndpointID` or
/// `SwarmID`, only compose stacks of that environment and swarm stacks of that swarm remain
/// (kubernetes stacks never do); orphans are added on request. 2.23 (since 2.22.0) appends the
/// orphans after the regular stacks, leaving out an orphan whose name a kept stack has; 2.19
/// takes them in one pass, in id order, without that de-duplication.
fn filter_stacks(db: &Db, filters: &Filters, version: PortainerVersion) -> Vec<Stack> {
    if filters.endpoint_id == 0 && filters.swarm_id.is_empty() {
        return db.stacks.clone();
    }
    let regular = |s: &Stack| {
        (s.kind == STACK_COMPOSE && s.endpoint_id == filters.endpoint_id)
            || (s.kind == STACK_SWARM && s.swarm_id == filters.swarm_id)
    };
    let orphan_of_kind = |s: &Stack| {
        db.endpoint(s.endpoint_id).is_none()
            && ((s.kind == STACK_COMPOSE && filters.swarm_id.is_empty())
                || (s.kind == STACK_SWARM && !filters.swarm_id.is_empty()))
    };
    if version == PortainerVersion::V2_19 {
        return db
            .stacks
            .iter()
            .filter(|s| {
                if filters.include_orphaned && db.endpoint(s.endpoint_id).is_none() {
                    orphan_of_kind(s)
                } else {
                    regular(s)
                }
            })
            .cloned()
            .collect();
    }
    let mut kept: Vec<Stack> = db.stacks.iter().filter(|s| regular(s)).cloned().collect();
    if filters.include_orphaned {
        let orphans: Vec<Stack> = db
            .stacks
            .iter()
            .filter(|s| orphan_of_kind(s))
            .filter(|s| !kept.iter().any(|k| k.name == s.name))
            .cloned()
            .collect();
        kept.extend(orphans);
    }
    kept
}

/// `GET /api/stacks`: every stack an admin may see; for others only stacks whose
/// ResourceControl grants access. Environment access is not checked here.
pub async fn list(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Q(query): Q,
) -> Result<Response, ApiError> {
    let filters = parse_filters(&query)?;
    let db = sim.read();
    let stacks = filter_stacks(&db, &filters, sim.version);
    if !caller.is_admin() && filters.include_orphaned {
        return Err(
            ApiError::forbidden("Permission denied to access orphaned stacks")
                .details("Unauthorized"),
        );
    }
    let controls = db.stack_resource_controls();
    let visible: Vec<Stack> = stacks
        .iter()
        .filter_map(|stack| {
            let rc = controls
                .get(stack_resource_id(stack.endpoint_id, &stack.name).as_str())
                .copied();
            let allowed = caller.is_admin()
                || rc.is_some_and(|rc| rc.grants(caller.user_id, &caller.team_ids));
            allowed.then(|| stack.view(sim.version, rc))
        })
        .collect();
    Ok(json(&visible))
}

/// The checks shared by inspect and file. Returns whether Portainer decorates the stack with
/// its ResourceControl (only Docker stacks of an existing environment).
fn check_read(db: &Db, caller: &Caller, stack: &Stack) -> Result<bool, ApiError> {
    let env = db.endpoint(stack.endpoint_id);
    if env.is_none() && !caller.is_admin() {
        return Err(ApiError::object_not_found(
            "Unable to find an environment with the specified identifier inside the database",
            "endpoints",
            stack.endpoint_id,
        ));
    }
    if !can_manage(caller, env) {
        return Err(ApiError::forbidden(
            "Stack management is disabled for non-admin users",
        ));
    }
    let Some(env) = env else { return Ok(false) };
    check_environment(db, caller, env, "Permission denied to access environment")?;
    if stack.is_docker() {
        check_stack_access(db, caller, stack)?;
    }
    Ok(stack.is_docker())
}

/// `GET /api/stacks/{id}`. Kubernetes and orphaned stacks come back without their
/// ResourceControl, as Portainer only decorates Docker stacks of an existing environment here.
pub async fn inspect(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = route_id("stack", &raw_id)?;
    let db = sim.read();
    let stack = find_stack(&db, id)?;
    let decorate = check_read(&db, &caller, &stack)?;
    let rc = db.stack_resource_control(&stack).filter(|_| decorate);
    Ok(json(&stack.view(sim.version, rc)))
}

/// `GET /api/stacks/{id}/file`: the entry point only.
pub async fn file(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
) -> Result<Response, ApiError> {
    let id = route_id("stack", &raw_id)?;
    let db = sim.read();
    let stack = find_stack(&db, id)?;
    check_read(&db, &caller, &stack)?;
    let content = db.stack_files.get(&id).cloned().unwrap_or_default();
    Ok(json(&json!({ "StackFileContent": content })))
}

/// `DELETE /api/stacks/{id}?endpointId=N`: an `endpointId` other than the stack's marks it
/// orphaned (403 for non-admins); 204 on success.
pub async fn delete(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
    Q(query): Q,
) -> Result<Response, ApiError> {
    if query.bool("external") {
        return delete_external(&sim, &caller, &raw_id, &query);
    }
    let id = route_id("stack", &raw_id)?;
    let mut db = sim.write();
    let stack = find_stack(&db, id)?;
    let endpoint_id = query.optional_number("endpointId")?;
    let orphaned = endpoint_id != stack.endpoint_id;
    if orphaned && !caller.is_admin() {
        return Err(ApiError::forbidden(
            "Permission denied to remove orphaned stack",
        ));
    }
    let env = find_endpoint(
        &db,
        endpoint_id,
        "Unable to find the endpoint associated to the stack inside the database",
    )?;
    if !orphaned {
        check_environment(&db, &caller, &env, "Permission denied to access endpoint")?;
        if stack.is_docker() {
            check_stack_access(&db, &caller, &stack)?;
        }
    }
    if !can_manage(&caller, Some(&env)) {
        return Err(ApiError::forbidden(
            "stack deletion is disabled for non-admin users",
        ));
    }
    db.remove_stack(id);
    Ok(empty())
}

/// `DELETE /api/stacks/{name}?external=true&endpointId=N`: removes a swarm stack Portainer
/// does not know. The simulator has none, so an admin gets a 204 for a name that matches no
/// stack (Docker's `stack rm` of nothing succeeds) and a 400 for a known one.
fn delete_external(
    sim: &Sim,
    caller: &Caller,
    name: &str,
    query: &Query,
) -> Result<Response, ApiError> {
    let endpoint_id = query.required_number("endpointId")?;
    if !caller.is_admin() {
        return Err(ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "Permission denied to delete the stack",
        )
        .details("Unauthorized"));
    }
    let db = sim.read();
    if db.stacks.iter().any(|s| s.name == name) {
        return Err(ApiError::bad_request(
            "A stack with this name exists inside the database. Cannot use external delete method",
        )
        .details("A tag already exists with this name"));
    }
    find_endpoint(
        &db,
        endpoint_id,
        "Unable to find the endpoint associated to the stack inside the database",
    )?;
    Ok(empty())
}
