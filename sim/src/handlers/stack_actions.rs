//! Stack actions: start, stop and git redeploy (docs/portainer-api.md §4.2–§4.4, §4.8,
//! §4.9), each running Portainer's checks in its handler's order with its exact messages.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;

use super::stacks::{
    can_manage, check_environment, check_stack_access, check_stack_change, find_endpoint,
    find_stack, STACK_NOT_FOUND,
};
use super::Q;
use crate::auth::Caller;
use crate::clock;
use crate::error::{json, route_id, ApiError};
use crate::model::docker::hex_id;
use crate::model::docker::{LABEL_COMPOSE_PROJECT, LABEL_STACK_NAMESPACE};
use crate::model::endpoint::Endpoint;
use crate::model::stack::{
    normalize_stack_name, Stack, STACK_ACTIVE, STACK_INACTIVE, STACK_KUBERNETES, STACK_SWARM,
};
use crate::payload::{bool_field, decode_object, pairs_field, string_field};
use crate::reach::{dial, Unreachable};
use crate::state::{Sim, State as Db};
use crate::PortainerVersion;

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
    // `stackStart` restarts the auto-update job before it starts the stack, and
    // `StartAutoupdate` (`api/stacks/deployments/autoupdate.go`) parses the interval first: an
    // interval Go's `time.ParseDuration` refuses is a 400, and nothing is started or saved.
    if let Some(auto) = stack
        .auto_update
        .as_ref()
        .filter(|a| !a.interval.is_empty())
    {
        if let Err(err) = clock::parse_go_duration(&auto.interval) {
            return Err(
                ApiError::bad_request("Unable to parse stack's auto update interval").details(err),
            );
        }
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

/// A failed deploy of a compose or swarm stack (a git redeploy's or an update's): `deployStack`
/// and `updateComposeStack`/`updateSwarmStack` return the deployer's error as the message
/// itself. Compose wraps the CLI's words (`api/exec/compose_stack.go`: `failed to pull images
/// of the stack` when images are pulled first, else `failed to deploy a stack`); swarm passes
/// them on as they are.
pub(super) fn deploy_failure(
    sim: &Sim,
    stack: &Stack,
    pull: bool,
    unreachable: &Unreachable,
) -> ApiError {
    deploy_error(stack, pull, &docker_words(sim, unreachable))
}

/// The 500 for a deploy whose tool failed with `words`: `InternalServerError(err.Error(), err)`,
/// so message and details are the same text.
pub(super) fn deploy_error(stack: &Stack, pull: bool, words: &str) -> ApiError {
    let message = match (stack.kind, pull) {
        (STACK_SWARM, _) => words.to_string(),
        (_, true) => format!("failed to pull images of the stack: {words}"),
        (_, false) => format!("failed to deploy a stack: {words}"),
    };
    ApiError::internal(message)
}

pub(super) fn next_job_id(db: &mut Db) -> String {
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

/// The credentials a redeploy's clone is sent with. `stackGitRedeploy`
/// (`stack_update_git_redeploy.go`, 2.19 and 2.23) passes the payload's username and password
/// only when `RepositoryAuthentication` is set, an empty password then meaning the saved one;
/// without it the clone is anonymous, whatever is saved. `api/git/git.go` `getAuth` then hands
/// go-git credentials only when there is a password, with the username `token` when none is
/// given: `None` is an anonymous clone.
pub(super) fn clone_credentials(
    stack: &Stack,
    authenticate: bool,
    username: &str,
    password: &str,
) -> Option<(String, String)> {
    if !authenticate {
        return None;
    }
    let saved = stack
        .git_config
        .as_ref()
        .and_then(|g| g.authentication.as_ref());
    let password = match saved {
        Some(saved) if password.is_empty() => saved.password.as_str(),
        _ => password,
    };
    git_auth(username, password)
}

/// `api/git/git.go` `getAuth` (2.19 and 2.23): basic-auth credentials only with a password.
pub(super) fn git_auth(username: &str, password: &str) -> Option<(String, String)> {
    if password.is_empty() {
        return None;
    }
    let username = if username.is_empty() {
        "token"
    } else {
        username
    };
    Some((username.to_string(), password.to_string()))
}

/// Whether the repository lets the clone through. The simulator has no git server: a stack
/// with saved credentials stands for a private repository, which refuses an anonymous clone;
/// any other repository is public.
fn clone_allowed(stack: &Stack, credentials: Option<&(String, String)>) -> bool {
    let private = stack
        .git_config
        .as_ref()
        .is_some_and(|g| g.authentication.is_some());
    !private || credentials.is_some()
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
    let (mut stack, env, pull, credentials) = {
        let db = sim.read();
        let mut stack = find_stack(&db, id)?;
        if stack.git_config.is_none() {
            return Err(ApiError::bad_request("Stack is not created from git"));
        }
        stack.endpoint_id = query.optional_number("endpointId")?;
        let env = check_stack_change(
            &db,
            &caller,
            &stack,
            "Stack management is disabled for non-admin users",
        )?;
        let payload = decode_object(&body)?;
        let reference = string_field(&payload, owner, "RepositoryReferenceName")?;
        let env_vars = pairs_field(&payload, owner, "Env")?;
        let prune = bool_field(&payload, owner, "Prune")?;
        let authenticate = bool_field(&payload, owner, "RepositoryAuthentication")?;
        let username = string_field(&payload, owner, "RepositoryUsername")?;
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
        let credentials = clone_credentials(&stack, authenticate, &username, &password);
        (stack, env, pull, credentials)
    };
    sim.write().git_clones.push(credentials.clone());
    if !clone_allowed(&stack, credentials.as_ref()) {
        return Err(ApiError::internal("Unable to clone git repository directory").details(
            "Invalid git credential: authentication failed, please ensure that the git credentials are correct",
        ));
    }
    if stack.is_docker() {
        if let Err(unreachable) = dial(&env, sim.dial).await {
            return Err(deploy_failure(&sim, &stack, pull, &unreachable));
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
