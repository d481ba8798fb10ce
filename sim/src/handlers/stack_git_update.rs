//! `POST /api/stacks/{id}/git?endpointId=N`: a git stack's settings saved without a redeploy
//! (docs/portainer-api.md §13), with the checks of `stack_update_git.go` `stackUpdateGit` in its
//! order and its words. 2.19 and 2.23 run the same code here; only the error bodies and the
//! stack's JSON differ, as everywhere.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;

use super::stack_actions::{git_auth, next_job_id};
use super::stack_update::{auto_update_settings, validate_auto_update};
use super::stacks::{check_stack_change, find_stack, STACK_NOT_FOUND};
use super::Q;
use crate::auth::Caller;
use crate::clock;
use crate::error::{json, route_id, ApiError};
use crate::model::stack::{
    AutoUpdate, GitAuthentication, GitConfig, Stack, StackOption, STACK_SWARM,
};
use crate::model::Pair;
use crate::payload::{bool_field, decode_object, object_field, pairs_field, string_field};
use crate::state::Sim;

/// `stackGitUpdatePayload` (no json tags: Go names, matched without regard to case).
struct Payload {
    auto_update: Option<AutoUpdate>,
    env: Option<Vec<Pair>>,
    prune: bool,
    reference: String,
    authenticate: bool,
    username: String,
    password: String,
    tls_skip_verify: bool,
}

/// `request.DecodeAndValidateJSONPayload`: the body decoded, then `stackGitUpdatePayload`
/// `Validate`, which is `api/git/update/validate.go` `ValidateAutoUpdateSettings` alone.
fn decode(body: &[u8]) -> Result<Payload, ApiError> {
    let owner = "stacks.stackGitUpdatePayload";
    let map = decode_object(body)?;
    let auto_update = match object_field(&map, owner, "AutoUpdate", "portainer.AutoUpdateSettings")?
    {
        Some(fields) => Some(auto_update_settings(fields)?),
        None => None,
    };
    let payload = Payload {
        auto_update,
        env: pairs_field(&map, owner, "Env")?,
        prune: bool_field(&map, owner, "Prune")?,
        reference: string_field(&map, owner, "RepositoryReferenceName")?,
        authenticate: bool_field(&map, owner, "RepositoryAuthentication")?,
        username: string_field(&map, owner, "RepositoryUsername")?,
        password: string_field(&map, owner, "RepositoryPassword")?,
        tls_skip_verify: bool_field(&map, owner, "TLSSkipVerify")?,
    };
    validate_auto_update(payload.auto_update.as_ref())?;
    Ok(payload)
}

/// `stackUpdateGit` (2.19 and 2.23). Unlike its neighbours it reads the payload before the
/// stack, so a bad body answers 400 even for a stack that does not exist; a stack without
/// `GitConfig` is a 500, before `endpointId` and any access check. `endpointId` is optional
/// and replaces the stored one (absent: environment 0, hence 404), and the stack is saved on
/// it. Then the environment, access to it, the ResourceControl (compose and swarm only) and the
/// gate in this handler's words. Nothing is cloned or deployed: `Status`, `ConfigHash` and the
/// Docker objects stay as they are.
pub async fn update_git(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(raw_id): Path<String>,
    Q(query): Q,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = route_id("stack", &raw_id)?;
    let payload = decode(&body)?;
    let mut db = sim.write();
    let mut stack = find_stack(&db, id)?;
    if stack.git_config.is_none() {
        return Err(ApiError::internal("No Git config in the found stack"));
    }
    stack.endpoint_id = query.optional_number("endpointId")?;
    check_stack_change(
        &db,
        &caller,
        &stack,
        "Stack editing is disabled for non-admin users",
    )?;
    // `userCanAccessStack` and the gate passed: `deployments.StopAutoupdate` stops the old job
    // here, so a credential check that fails below leaves the stack without a running job
    // although its saved `JobID` stays. The simulator runs no jobs, so nothing shows it.
    let start_job = apply(&mut stack, payload)?;
    if start_job {
        // `deployments.StartAutoupdate`: its interval parse cannot fail, `Validate` parsed it.
        let job_id = next_job_id(&mut db);
        if let Some(auto) = stack.auto_update.as_mut() {
            auto.job_id = job_id;
        }
    }
    stack.updated_by = caller.username.clone();
    stack.update_date = clock::now();
    let stored = db
        .stack_mut(id)
        .ok_or_else(|| ApiError::object_not_found(STACK_NOT_FOUND, "stacks", id))?;
    *stored = stack;
    // `response.JSON` of the saved stack, password blanked, no ResourceControl.
    Ok(json(&stored.view(sim.version, None)))
}

/// What `stackUpdateGit` overwrites, unconditionally: reference, TLS flag, `AutoUpdate` (the
/// payload's, `JobID` included, until a new job replaces it), `Env`, and for swarm stacks
/// `Option` = `{Prune}`. Then the credentials: with `RepositoryAuthentication` they are the
/// payload's username and password, an empty password meaning the saved one (both versions,
/// unlike `updateKubernetesStack` on 2.23), checked with `GitService.LatestCommitID`; without
/// it they are removed. Returns whether an auto-update job is to be started (an interval).
fn apply(stack: &mut Stack, payload: Payload) -> Result<bool, ApiError> {
    if let Some(git) = stack.git_config.as_mut() {
        git.reference_name = payload.reference;
        git.tls_skip_verify = payload.tls_skip_verify;
        set_credentials(
            git,
            payload.authenticate,
            payload.username,
            payload.password,
        )?;
    }
    let start_job = payload
        .auto_update
        .as_ref()
        .is_some_and(|a| !a.interval.is_empty());
    stack.auto_update = payload.auto_update;
    stack.env = payload.env;
    if stack.kind == STACK_SWARM {
        stack.option = Some(StackOption {
            prune: payload.prune,
        });
    }
    Ok(start_job)
}

/// The credentials part of `stackUpdateGit`. A stack with saved credentials stands for a
/// private repository (as for the redeploy, `stack_actions::clone_allowed`).
fn set_credentials(
    git: &mut GitConfig,
    authenticate: bool,
    username: String,
    password: String,
) -> Result<(), ApiError> {
    let saved = git.authentication.take();
    if !authenticate {
        return Ok(());
    }
    let private = saved.is_some();
    let password = match saved {
        Some(saved) if password.is_empty() => saved.password,
        _ => password,
    };
    // `LatestCommitID` lists the refs with `getAuth`'s credentials: none without a password,
    // which a private repository refuses (`gittypes.ErrAuthenticationFailure`).
    if private && git_auth(&username, &password).is_none() {
        return Err(ApiError::internal("Unable to fetch git repository")
            .details("authentication failed, please ensure that the git credentials are correct"));
    }
    git.authentication = Some(GitAuthentication {
        username,
        password,
        git_credential_id: 0,
    });
    Ok(())
}
