//! Stacks: list with `filters`, inspect, file, start, stop, git redeploy, delete
//! (docs/portainer-api.md §3.1, §4, §11).
//! Each handler runs Portainer's checks in Portainer's order, with its exact messages (which
//! differ between handlers: "endpoint"/"environment", "Stack"/"stack management").

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{json, Value};

use super::Q;
use crate::auth::Caller;
use crate::clock;
use crate::error::{empty, json, route_id, ApiError};
use crate::model::docker::hex_id;
use crate::model::docker::{LABEL_COMPOSE_PROJECT, LABEL_STACK_NAMESPACE};
use crate::model::endpoint::Endpoint;
use crate::model::stack::{
    normalize_stack_name, stack_resource_id, Stack, STACK_ACTIVE, STACK_COMPOSE, STACK_INACTIVE,
    STACK_KUBERNETES, STACK_SWARM,
};
use crate::payload::{bool_field, decode_object, field, pairs_field, string_field};
use crate::query::Query;
use crate::reach::{dial, Unreachable};
use crate::state::{Sim, State as Db};
use crate::PortainerVersion;

const STACK_NOT_FOUND: &str =
    "Unable to find a stack with the specified identifier inside the database";

fn find_stack(db: &Db, id: i64) -> Result<Stack, ApiError> {
    db.stack(id)
        .cloned()
        .ok_or_else(|| ApiError::object_not_found(STACK_NOT_FOUND, "stacks", id))
}

/// The environment a handler names in its own words when it is missing.
fn find_endpoint(db: &Db, id: i64, message: &str) -> Result<Endpoint, ApiError> {
    db.endpoint(id)
        .cloned()
        .ok_or_else(|| ApiError::object_not_found(message, "endpoints", id))
}

/// `userCanManageStacks`: on Docker environments with stack management off for regular users,
/// only administrators pass. No environment (an orphan seen by an admin) passes.
fn can_manage(caller: &Caller, env: Option<&Endpoint>) -> bool {
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
fn check_environment(
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
fn check_stack_access(db: &Db, caller: &Caller, stack: &Stack) -> Result<(), ApiError> {
    let granted = db
        .stack_resource_control(stack)
        .is_some_and(|rc| rc.grants(caller.user_id, &caller.team_ids));
    if granted || caller.is_admin() {
        Ok(())
    } else {
        Err(ApiError::resource_denied())
    }
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

/// `checkUniqueStackNameInDocker` (`api/http/handler/stacks/handler.go`): another stack of that
/// name on the environment (case-insensitive), or, in Docker, a service of a swarm stack's
/// namespace or any container (running or not) of a compose project with exactly the stored
/// name. A stack that runs has its own containers, so starting it collides with itself.
fn unique_in_docker(db: &Db, env: &Endpoint, stack: &Stack) -> bool {
    let other_stack = db.stacks.iter().any(|s| {
        s.id != stack.id && s.endpoint_id == env.id && s.name.eq_ignore_ascii_case(&stack.name)
    });
    let service = !stack.swarm_id.is_empty()
        && db.services.iter().any(|s| {
            s.env_id == env.id && s.labels().get(LABEL_STACK_NAMESPACE) == Some(&stack.name)
        });
    let container = db
        .containers
        .iter()
        .any(|c| c.env_id == env.id && c.labels.get(LABEL_COMPOSE_PROJECT) == Some(&stack.name));
    !(other_stack || service || container)
}

/// `POST /api/stacks/{id}/start?endpointId=N` (`stack_start.go` `stackStart`, 2.19 and 2.23):
/// the management gate, then the name collision in Docker (which dials the host: an
/// unreachable one fails here), and only then the stack's access control and its status. So a
/// stack that runs answers 409, not 400, and a caller without access to the stack learns that
/// it runs before being refused.
pub async fn start(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
    Q(query): Q,
) -> Result<Response, ApiError> {
    let id = route_id("stack", &raw_id)?;
    let env = {
        let db = sim.read();
        let stack = find_stack(&db, id)?;
        if stack.kind == STACK_KUBERNETES {
            return Err(ApiError::bad_request(
                "Starting a kubernetes stack is not supported",
            ));
        }
        let endpoint_id = query.required_number("endpointId")?;
        let env = find_endpoint(
            &db,
            endpoint_id,
            "Unable to find an endpoint with the specified identifier inside the database",
        )?;
        check_environment(&db, &caller, &env, "Permission denied to access endpoint")?;
        if !can_manage(&caller, Some(&env)) {
            return Err(ApiError::forbidden(
                "stack management is disabled for non-admin users",
            ));
        }
        env
    };
    if let Err(unreachable) = dial(&env, sim.dial).await {
        return Err(ApiError::internal("Unable to check for name collision")
            .details(docker_words(&sim, &unreachable)));
    }
    let mut db = sim.write();
    let stack = find_stack(&db, id)?;
    if !unique_in_docker(&db, &env, &stack) {
        let message = format!("A stack with the name '{}' is already running", stack.name);
        return Err(ApiError::new(axum::http::StatusCode::CONFLICT, message));
    }
    check_stack_access(&db, &caller, &stack)?;
    if stack.status == STACK_ACTIVE {
        return Err(ApiError::bad_request("Stack is already active"));
    }
    let job_id = next_job_id(&mut db);
    db.create_stack_objects(id, clock::now());
    let stored = db
        .stack_mut(id)
        .ok_or_else(|| ApiError::object_not_found(STACK_NOT_FOUND, "stacks", id))?;
    if let Some(auto) = stored
        .auto_update
        .as_mut()
        .filter(|a| !a.interval.is_empty())
    {
        auto.job_id = job_id;
    }
    // Portainer normalises the name before `compose up` and saves the stack with it.
    stored.name = normalize_stack_name(&stored.name);
    stored.status = STACK_ACTIVE;
    Ok(json(&stored.view(sim.version, None)))
}

fn next_job_id(db: &mut Db) -> String {
    db.next_job_id += 1;
    db.next_job_id.to_string()
}

/// The Docker client's words for a host it could not use, as the version says them.
fn docker_words(sim: &Sim, unreachable: &Unreachable) -> String {
    match unreachable {
        Unreachable::Tunnel => crate::reach::tunnel_failure(sim.version),
        other => other.text(),
    }
}

/// `POST /api/stacks/{id}/stop?endpointId=N` (`stack_stop.go` `stackStop`): access control
/// before the management gate (unlike start), no name check. Stopping runs `compose down` or
/// `stack rm`, which remove the stack's containers or services; an unreachable host fails
/// with `Unable to stop stack` and the stack stays as it was.
pub async fn stop(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
    Q(query): Q,
) -> Result<Response, ApiError> {
    let id = route_id("stack", &raw_id)?;
    let (stack, env) = {
        let db = sim.read();
        let stack = find_stack(&db, id)?;
        if stack.kind == STACK_KUBERNETES {
            return Err(ApiError::bad_request(
                "Stopping a kubernetes stack is not supported",
            ));
        }
        let endpoint_id = query.required_number("endpointId")?;
        let env = find_endpoint(
            &db,
            endpoint_id,
            "Unable to find an environment with the specified identifier inside the database",
        )?;
        check_environment(
            &db,
            &caller,
            &env,
            "Permission denied to access environment",
        )?;
        check_stack_access(&db, &caller, &stack)?;
        if !can_manage(&caller, Some(&env)) {
            return Err(ApiError::forbidden(
                "stack management is disabled for non-admin users",
            ));
        }
        if stack.status == STACK_INACTIVE {
            return Err(ApiError::bad_request("Stack is already inactive"));
        }
        (stack, env)
    };
    if let Err(unreachable) = dial(&env, sim.dial).await {
        return Err(
            ApiError::internal("Unable to stop stack").details(stop_failure(
                &sim,
                &stack,
                &unreachable,
            )),
        );
    }
    let mut db = sim.write();
    db.remove_stack_objects(id);
    let stored = db
        .stack_mut(id)
        .ok_or_else(|| ApiError::object_not_found(STACK_NOT_FOUND, "stacks", id))?;
    if let Some(auto) = stored.auto_update.as_mut() {
        auto.job_id.clear();
    }
    stored.name = normalize_stack_name(&stored.name);
    stored.status = STACK_INACTIVE;
    Ok(json(&stored.view(sim.version, None)))
}

/// Why `stopStack` failed: compose wraps the CLI's words (`api/exec/compose_stack.go` `Down`,
/// `failed to remove a stack`), except a tunnel that does not open, which it passes on as it
/// is; swarm passes the docker CLI's stderr (`api/exec/swarm_stack.go` `Remove`). The CLI's
/// words for a host it cannot reach are the Docker client's.
fn stop_failure(sim: &Sim, stack: &Stack, unreachable: &Unreachable) -> String {
    let words = docker_words(sim, unreachable);
    match (stack.kind, unreachable) {
        (STACK_SWARM, _) => format!("{words}\n"),
        (_, Unreachable::Tunnel) => format!("failed starting tunnel: {words}"),
        _ => format!("failed to remove a stack: {words}"),
    }
}

/// What a redeploy's clone needs: `stackGitRedeploy` sends the payload's credentials only when
/// `RepositoryAuthentication` is set, an empty password then meaning the saved one; without it
/// the clone is anonymous, whatever is saved (`stack_update_git_redeploy.go`, 2.19 and 2.23).
/// The simulator has no git server: a stack with saved credentials stands for a private
/// repository, which refuses an anonymous clone.
fn clone_allowed(stack: &Stack, authenticate: bool, password: &str) -> bool {
    let saved = stack
        .git_config
        .as_ref()
        .and_then(|g| g.authentication.as_ref());
    match saved {
        None => true,
        Some(saved) => authenticate && (!password.is_empty() || !saved.password.is_empty()),
    }
}

/// `PUT /api/stacks/{id}/git/redeploy?endpointId=N` (`stack_update_git_redeploy.go`
/// `stackGitRedeploy`): the payload's reference and Env replace the stored ones
/// unconditionally; an omitted `endpointId` means environment 0, so 404. A private
/// repository cloned without credentials fails with 500 `Unable to clone git repository
/// directory`; an unreachable host fails the deploy with the deployer's own words.
pub async fn redeploy(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
    Q(query): Q,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = route_id("stack", &raw_id)?;
    let owner = "stacks.stackGitRedployPayload";
    let (mut stack, env, pull) = {
        let db = sim.read();
        let mut stack = find_stack(&db, id)?;
        if stack.git_config.is_none() {
            return Err(ApiError::bad_request("Stack is not created from git"));
        }
        stack.endpoint_id = query.optional_number("endpointId")?;
        let env = find_endpoint(
            &db,
            stack.endpoint_id,
            "Unable to find the environment associated to the stack inside the database",
        )?;
        check_environment(
            &db,
            &caller,
            &env,
            "Permission denied to access environment",
        )?;
        if stack.is_docker() {
            check_stack_access(&db, &caller, &stack)?;
        }
        if !can_manage(&caller, Some(&env)) {
            return Err(ApiError::forbidden(
                "Stack management is disabled for non-admin users",
            ));
        }
        let payload = decode_object(&body)?;
        let reference = string_field(&payload, owner, "RepositoryReferenceName")?;
        let env_vars = pairs_field(&payload, owner, "Env")?;
        let prune = bool_field(&payload, owner, "Prune")?;
        let authenticate = bool_field(&payload, owner, "RepositoryAuthentication")?;
        string_field(&payload, owner, "RepositoryUsername")?;
        let password = string_field(&payload, owner, "RepositoryPassword")?;
        let pull = bool_field(&payload, owner, "PullImage")?;
        // `StackName` exists from 2.22.0; 2.19 ignores the key.
        let stack_name = string_field(&payload, owner, "StackName")?;
        if let Some(git) = stack.git_config.as_mut() {
            git.reference_name = reference;
        }
        stack.env = env_vars;
        if stack.kind == STACK_SWARM {
            stack.option = Some(crate::model::stack::StackOption { prune });
        }
        if stack.kind == STACK_KUBERNETES && sim.version == PortainerVersion::V2_23 {
            // Portainer really does take the name from the payload, even an empty one.
            stack.name = stack_name;
        }
        if !clone_allowed(&stack, authenticate, &password) {
            return Err(ApiError::internal("Unable to clone git repository directory").details(
                "Invalid git credential: authentication failed, please ensure that the git credentials are correct",
            ));
        }
        (stack, env, pull)
    };
    if stack.is_docker() {
        if let Err(unreachable) = dial(&env, sim.dial).await {
            // `deployStack` returns the deployer's error as the message itself.
            let words = docker_words(&sim, &unreachable);
            let message = match (stack.kind, pull) {
                (STACK_SWARM, _) => words,
                (_, true) => format!("failed to pull images of the stack: {words}"),
                (_, false) => format!("failed to deploy a stack: {words}"),
            };
            return Err(ApiError::internal(message));
        }
    }
    let now = clock::now();
    if let Some(git) = stack.git_config.as_mut() {
        // The latest commit of the requested reference.
        git.config_hash =
            hex_id(&format!("commit/{}/{}", git.url, git.reference_name))[..40].into();
    }
    stack.updated_by = caller.username.clone();
    stack.update_date = now;
    stack.status = STACK_ACTIVE;
    let mut db = sim.write();
    db.create_stack_objects(id, now);
    db.run_stack_containers(id, now, true);
    let stored = db
        .stack_mut(id)
        .ok_or_else(|| ApiError::object_not_found(STACK_NOT_FOUND, "stacks", id))?;
    *stored = stack;
    Ok(json(&stored.view(sim.version, None)))
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
